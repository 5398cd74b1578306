"""A letter of several sections, one of them the article (met in heldout24: a cooperative's monthly letter). Its
masthead lists the sections on one line (« Au sommaire : Le mot du bureau · Paniers · L'article du mois · Agenda »),
and each section opens under a heading that repeats an entry. The article is the section with the most prose; the
others (the board's word, the baskets' prices, the agenda) are the letter's, and so is the article's own section
heading (« L'article du mois »): the article's headline comes right under it.

Read only when nothing above the contents line is kept: a post listing its own sections under its title
(« Sommaire : A · B · C » under the headline) is one article, its sections its crossheads.
"""

from __future__ import annotations

import re

from coopnum.corpus.lines import Line
from coopnum.corpus.rules import Rule
from coopnum.corpus.wrapping import is_prose_line

LETTER_RULES: tuple[Rule, ...] = (
    Rule("letter_section", "a letter's section other than the article's, under a heading its contents line lists"),
)

MIN_SECTIONS = 2
_CONTENTS = re.compile(r"^(?:au sommaire|sommaire|dans ce numéro)\s?:\s(?P<items>.+)$", re.IGNORECASE)
_ITEM_SEP = re.compile(r"\s[·•|/]\s")


def _key(t: str) -> str:
    return " ".join(t.split()).casefold()


def remove_other_sections(lines: list[Line]) -> None:
    """Keep the letter's section with the most prose; remove the others and the article's own heading."""
    at = next((i for i, ln in enumerate(lines) if ln.text and _CONTENTS.match(ln.text)), None)
    if at is None or lines[at].open or any(ln.open and ln.text for ln in lines[:at]):
        return
    m = _CONTENTS.match(lines[at].text)
    entries = {_key(x) for x in _ITEM_SEP.split(m["items"])} if m else set()
    heads = [i for i in range(at + 1, len(lines)) if lines[i].open and _key(lines[i].text) in entries]
    if len(heads) < MIN_SECTIONS:
        return
    sections = [range(h, end) for h, end in zip(heads, [*heads[1:], len(lines)], strict=True)]
    prose = [sum(1 for i in s if lines[i].open and is_prose_line(lines[i])) for s in sections]
    best = max(prose)
    if prose.count(best) > 1 or best == 0:
        return  # no one section is the article
    for s, n in zip(sections, prose, strict=True):
        for i in s if n != best else s[:1]:
            if lines[i].open and lines[i].text:
                lines[i].decide("removed", "letter_section")
