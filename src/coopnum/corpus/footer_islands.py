"""A site's lines left standing in its footer (met in heldout25 and heldout27): the organisation's blurb (« Depuis
1994, Name accompagne … »), its legal status or licence (« Name SAS, organisme de formation enregistré … »), its
address line, a legal warning of what it sells, a button's label (« Demander mon devis »), each between the lines of
furniture that close the page (a related list, the site's call, the letter's box, the legal links). They read as
prose or as a short statement, so neither the footer rules nor the end of the article (the last prose line) take
them: what tells them is their place.

:func:`remove_footer_islands` reads the page's non-blank lines as runs of open and of removed lines. From the foot
up, an open run of at most :data:`ISLAND_MAX_LINES` lines between two removed runs, the one under it all of the
page's foot (:data:`FOOT_RULES`: legal, contact and link lines), is an island; the walk stops at the first open run
that is not (the article's text), which must be there. The topmost islands go only under a run that closes an article: at
least :data:`CLOSING_MIN_LINES` removed lines (a related list, a box), a share or tags row or the site's own
call (:data:`_CLOSING_RULES`); an article's
paragraph under a single « Lire aussi » link, above its share row, stays. The text above the islands holds at least
:data:`TEXT_MIN_LINES` prose lines, and the page must end on removed lines.
"""

from __future__ import annotations

import re

from coopnum.corpus.lines import Line
from coopnum.corpus.rules import Rule
from coopnum.corpus.wrapping import is_prose_line

ISLAND_MAX_LINES = 2
CLOSING_MIN_LINES = 2
TEXT_MIN_LINES = 3
RULE = "footer_island"
_SHARE = re.compile(r"^(?:partager|partagez|imprimer|tags|thèmes|mots-clés|mots clés|étiquettes)\b", re.IGNORECASE)
# a share or tags row; the site's call or its own voice (« Vous déménagez ? Nos conseillers vous accompagnent »)
_CLOSING_RULES = frozenset({"share_widget", "tags_heading", "house_voice", "site_call"})
# the rules of a page's foot: its legal, contact and link lines, the site's about and letter lines; not what closes
# an article (its author's box, tags, share row, comments, related list), which an article's last paragraphs may sit
# above, under a box inside the text
FOOT_RULES = frozenset(
    {
        "footer_furniture",
        "link_row",
        "ticker",
        "photo_caption",
        "copyright_footer",
        "ticket_terms",
        "follow_widget",
        "site_about",
        "site_legal",
        "site_mention",
        "recurring_line",
        "consent_banner",
    }
)

FOOTER_ISLAND_RULES: tuple[Rule, ...] = (
    Rule(RULE, "a line or two left open between the removed lines of the page's foot, under the article's end"),
)


def _runs(lines: list[Line]) -> list[list[Line]]:
    """The page's non-blank lines as runs of open lines and of removed ones, in order."""
    runs: list[list[Line]] = []
    for ln in lines:
        if ln.action == "blank" or not ln.text:
            continue
        if runs and runs[-1][0].open == ln.open:
            runs[-1].append(ln)
        else:
            runs.append([ln])
    return runs


def _closes(run: list[Line]) -> bool:
    """Whether a removed run closes an article: a few lines of furniture, a share or tags row, or the site speaking
    to its reader in its own name."""
    return len(run) >= CLOSING_MIN_LINES or any(ln.rule in _CLOSING_RULES or _SHARE.match(ln.text) for ln in run)


def remove_footer_islands(lines: list[Line]) -> bool:
    """Remove the footer's islands (see the module docstring); whether any went."""
    runs = _runs(lines)
    if len(runs) < 3 or runs[-1][0].open:
        return False
    islands: list[int] = []  # indexes of open runs, from the foot up
    for i in range(len(runs) - 2, 0, -1):
        run = runs[i]
        if not run[0].open:
            continue
        if len(run) > ISLAND_MAX_LINES or not all(ln.rule in FOOT_RULES for ln in runs[i + 1]):
            break
        islands.append(i)
    else:
        return False  # no run of the article's text above them: the page is all short runs
    while islands and not _closes(runs[islands[-1] - 1]):
        islands.pop()  # the topmost island must lie under the article's end
    if not islands:
        return False
    text = [ln for run in runs[: islands[-1]] for ln in run if ln.open and is_prose_line(ln)]
    if len(text) < TEXT_MIN_LINES:
        return False
    for i in islands:
        for ln in runs[i]:
            ln.decide("removed", RULE)
    return True
