"""The page's top and the article's header, read by their place (met first in heldout18). A comments counter in the article's header (« Commentaires (14) » right under the byline, a link down to the
thread): it is no comments heading, so the text under it is not cut as the comment section
(:func:`~coopnum.corpus.layout.cut_comment_section`). Only the counter line goes. A date glued before the title is
trimmed (:func:`trim_leading_stamp`). A site's tagline between
its name and its navigation bar (:func:`remove_masthead_tagline`) is no title."""

from __future__ import annotations

import re

from coopnum.corpus.dates import parse_date
from coopnum.corpus.features import SENTENCE_END
from coopnum.corpus.lines import Line, drop_prefix
from coopnum.corpus.rules import Rule
from coopnum.corpus.wrapping import is_prose_line

COMMENT_LINK_RULES: tuple[Rule, ...] = (
    Rule(
        "comment_link",
        "a comments counter between the byline and the text (« Commentaires (14) »): a link, not the thread's head",
    ),
)

# a counter, not a heading: the count is what the header shows (« Commentaires (14) », « 14 commentaires »)
_COUNTED = re.compile(r"^(?:(?:commentaires?|réactions?)\s*\(\d+\)|\d+\s+(?:commentaires?|réactions?))$", re.IGNORECASE)
# the header's stamps a counter sits beside (the writer, the date, the reading time)
_STAMP_RULES = frozenset({"byline", "author_line", "field_stamp", "date_line", "counter_row", "check_stamp"})


def _neighbour(lines: list[Line], i: int, step: int) -> Line | None:
    j = i + step
    while 0 <= j < len(lines):
        if lines[j].action != "blank" and lines[j].text:
            return lines[j]
        j += step
    return None


def mark_comment_links(lines: list[Line]) -> None:
    """Remove a counted comments line that a header stamp is right above and an open prose line right under: the
    article goes on under it (a thread's first line is a commenter's name or a date, not the text)."""
    for i, ln in enumerate(lines):
        if ln.action == "blank" or not _COUNTED.match(ln.text):
            continue
        above, below = _neighbour(lines, i, -1), _neighbour(lines, i, 1)
        if (
            above is not None
            and not above.open
            and above.rule in _STAMP_RULES
            and below is not None
            and below.open
            and is_prose_line(below)
        ):
            ln.decide("removed", "comment_link")


TAGLINE_RULES: tuple[Rule, ...] = (
    Rule(
        "masthead_tagline",
        "the site's name (the page's first line) and the line under it, over its navigation bar: a tagline",
    ),
)
_BARS = frozenset({"ticker", "navigation_menu", "link_row"})
MASTHEAD_MAX_WORDS = 5


def remove_masthead_tagline(lines: list[Line]) -> None:
    """A page's top: its name on the first line, its navigation bar on the third, and between them the site's
    tagline (« L'actualité des ports, du transport … »), no title: the article's title comes under the bar. On a
    page with no title line it was the header's only line of three words or more, so it was taken for the title."""
    texts = [ln for ln in lines if ln.action != "blank" and ln.text][:3]
    if len(texts) < 3:
        return
    name, tagline, bar = texts
    if bar.open or bar.rule not in _BARS or not tagline.open or is_prose_line(tagline):
        return
    if len(name.text.split()) <= MASTHEAD_MAX_WORDS and not SENTENCE_END.search(tagline.text):
        for ln in (name, tagline):  # the name too: with the tagline gone it would be the header's title
            if ln.open:
                ln.decide("removed", "masthead_tagline")


_WEEKDAY = re.compile(r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b", re.IGNORECASE)
_PUBLISHED = re.compile(r"^(?:publiée?|mise? en ligne)\s+le\s", re.IGNORECASE)


def date_from_publication_stamp(lines: list[Line], title_line: Line | None) -> None:
    """A page with no title line: a field stamp that says it is the publication's (« Publié le 08/04/2024 | Lecture
    3 min ») right above the first prose line states the article's date, as a stamp under a title does (a top bar's
    date, today's, says no « publié »); on a page with a title, a field stamp right above the title does, unless it
    is the page's first line or names the weekday (a top bar's). Read only when no line has given a date."""
    if any("date" in ln.extracted for ln in lines):
        return
    if title_line is not None:
        # the stamp right on top of the title (« 09.02.2026 — 7 min » over it, heldout23) is the article's, as the
        # one right under it is: a top bar's date, today's, sits above the site's menus, not against the headline
        above = _neighbour(lines, lines.index(title_line), -1)
        top = next((ln for ln in lines if ln.text), None)  # a top bar opens the page, its date today's (« Lundi … »)
        on_top = above is not None and above is not top and above.rule == "field_stamp"
        if on_top and above is not None and not _WEEKDAY.search(above.text) and (date := parse_date(above.text)):
            above.extracted["date"] = date
        return
    first = next((i for i, ln in enumerate(lines) if ln.open and is_prose_line(ln)), None)
    above = _neighbour(lines, first, -1) if first is not None else None
    stamp = above is not None and above.rule == "field_stamp" and _PUBLISHED.match(above.text)
    if stamp and above is not None and (date := parse_date(above.text)):
        above.extracted["date"] = date


# a date glued before the title (« 12.01.2026 — Title »), a dash between them: the stamp trimmed, as the one after it
_LEADING_STAMP = re.compile(r"^(?P<date>\d{1,2}[./]\d{1,2}[./]\d{4})\s+[—–-]\s+(?=\S)")


def trim_leading_stamp(title_line: Line | None) -> None:
    """Trim a date glued before the title (met in heldout22; :data:`~coopnum.corpus.layout` trims one after it) and
    take it for the article's date, unless the page gave one before."""
    if title_line is None or title_line.rule is not None or not (m := _LEADING_STAMP.match(title_line.current)):
        return
    title_line.pieces = drop_prefix(title_line.pieces, len(m[0]))
    title_line.rule = "title_stamp"
    if date := parse_date(m["date"]):
        title_line.extracted.setdefault("date", date)
