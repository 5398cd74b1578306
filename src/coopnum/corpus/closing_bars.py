"""What closes an article: its closing bars, the share row (« Partager cet article : LinkedIn · X ») and the tags
row (« Thèmes : Serbie · Réseaux », « Mots-clés : … »), and an agenda of the site's events (« Prochains
rendez-vous » over « Mardi 4 novembre, 20 h : blitz mensuel »). What a page puts under them is the site's: a « Le
saviez-vous ? » box, job offers, the most-read list, the letter's blurb, a club's opening hours, each written as
statements or headline-shaped lines the footer rules do not all read (met in heldout19 and heldout20).

:func:`cut_after_closing_bars` removes every open line from such an agenda, or after such a bar, when the article's
text is above it (at least :data:`TEXT_MIN_LINES` prose lines, and little prose under it); an agenda with prose and
then a share or tags row under it is a box inside the text (heldout27): it alone goes (``agenda_box``); a fact box marked as the
article's (:attr:`~coopnum.corpus.lines.Line.box`) stays. A share row under the standfirst has the article under it
and cuts nothing. It runs before the header and footer are found, so the footer is the one the clean text, cleaned
again, has (the cleaner stays idempotent); an article's list ending the text is marked first
(:mod:`~coopnum.corpus.boxes`), so the line veto does not read it as footer furniture.
"""

from __future__ import annotations

import re

from coopnum.corpus.dates import MONTH_NAMES
from coopnum.corpus.features import SENTENCE_END, words
from coopnum.corpus.lines import Line
from coopnum.corpus.rules import Rule
from coopnum.corpus.wrapping import is_prose_line

TEXT_MIN_LINES = 3
BELOW_MAX_LINES = 4  # the site's blurbs under the bars: a box's statement, the letter's pitch, a club's hours
# the rules that take a share or tags row as a bar of links; a live blog's « Partager ce message » under each post
# (share_widget) is no row
_BAR_RULES = frozenset({"ticker", "link_row", "tags_heading"})
_BAR = re.compile(r"^(?:partager|partagez|tags|thèmes|mots-clés|mots clés|étiquettes)\b", re.IGNORECASE)

CLOSING_BAR_RULES: tuple[Rule, ...] = (
    Rule("after_closing_bars", "every line under the article's share or tags row, and a site's agenda and below it"),
    Rule("agenda_box", "a site's agenda (a heading over dated events) inside the text: the article goes on under it"),
)


_DESK_INITIALS = re.compile(r"^[a-z]{1,4}(?:/[a-z]{1,4}){1,5}$")
_WEEKDAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
# an agenda's item: an event announced for a weekday and a date (« Mardi 4 novembre, 20 h : blitz mensuel »), no
# statement; an article's timeline gives dates without a weekday (« 12 mars : vote ») and says them in sentences
_EVENT = re.compile(rf"^(?:[–—•·-]\s)?{_WEEKDAY}\s(?:1er|\d{{1,2}})\s(?:{'|'.join(MONTH_NAMES)})\b", re.IGNORECASE)
EVENT_MAX_WORDS = 20
HEADING_MAX_WORDS = 4
# the rules that may have taken an agenda's heading (« NOS ATELIERS », a name in capitals to the label pass)
_HEADING_RULES = frozenset({"name_label", "header_label"})


def _is_closing_bar(ln: Line) -> bool:
    return not ln.open and ln.rule in _BAR_RULES and bool(_BAR.match(ln.text))


def is_event_item(t: str) -> bool:
    """An agenda's item (see :data:`_EVENT`)."""
    return bool(_EVENT.match(t)) and words(t) <= EVENT_MAX_WORDS and not SENTENCE_END.search(t)


def _is_agenda_heading(ln: Line, below: Line | None) -> bool:
    """A short heading without final punctuation over an agenda's item, open or taken by the label pass."""
    t = ln.text
    short = 1 <= words(t) <= HEADING_MAX_WORDS and t[-1:].isalpha()
    return (
        short
        and (ln.open or ln.rule in _HEADING_RULES)
        and below is not None
        and below.open
        and is_event_item(below.current)
    )


def _agenda_inside(lines: list[Line], i: int) -> list[Line]:
    """The agenda headed by ``lines[i]`` (its heading and its items) when the article goes on under it: prose
    under its items, then a share or tags row (heldout27: « Prochaines ventes » between two paragraphs); else
    nothing."""
    box = [lines[i]]
    rest = iter(lines[i + 1 :])
    for x in rest:
        if x.action == "blank" or not x.text:
            continue
        if not (x.open and is_event_item(x.current)):
            break
        box.append(x)
    else:
        return []
    prose = 0
    for y in [x, *rest]:
        if y.open and is_prose_line(y):
            prose += 1
        elif prose and _is_closing_bar_or_share(y):
            return box
    return []


def _is_closing_bar_or_share(ln: Line) -> bool:
    return not ln.open and bool(_BAR.match(ln.text))


def _closes(lines: list[Line], i: int) -> bool:
    ln = lines[i]
    below = next((x for x in lines[i + 1 :] if x.action != "blank" and x.text), None)
    return _is_closing_bar(ln) or _is_agenda_heading(ln, below)


def _prose_words(lines: list[Line]) -> tuple[int, int]:
    """How many open prose lines ``lines`` hold, and their words."""
    prose = [x for x in lines if x.open and is_prose_line(x)]
    return len(prose), sum(words(x.current) for x in prose)


def closing_index(lines: list[Line], inside: list[Line] | None = None) -> int | None:
    """The index of the line that closes the article (a closing bar or an agenda's heading with the text above it),
    or ``None``. The text is above it when the prose under it is a few lines (:data:`BELOW_MAX_LINES`) holding
    less than half the words of the prose above: a share row under the lead (« Partager : … » between the standfirst
    and the text) has the article's body under it. An agenda with the text going on under it closes nothing: its
    lines are added to ``inside`` when given."""
    prose = 0
    for i, ln in enumerate(lines):
        if ln.open and is_prose_line(ln):
            prose += 1
        elif prose >= TEXT_MIN_LINES and _closes(lines, i):
            if not _is_closing_bar(ln) and (box := _agenda_inside(lines, i)):
                if inside is not None:
                    inside.extend(box)
                continue
            below, below_words = _prose_words(lines[i + 1 :])
            if below <= BELOW_MAX_LINES and 2 * below_words < _prose_words(lines[:i])[1]:
                return i
    return None


def cut_after_closing_bars(lines: list[Line]) -> bool:
    """Remove the open lines under the article's share or tags row, and from a site's agenda on (see the module
    docstring); whether any went."""
    inside: list[Line] = []
    i = closing_index(lines, inside)
    for x in inside:
        x.decide("removed", "agenda_box")
    if i is None:
        return bool(inside)
    cut = [x for x in (lines[i:] if lines[i].open else lines[i + 1 :]) if x.open and not x.box]
    for x in cut:
        x.decide("removed", "after_closing_bars")
    return bool(cut or inside)
