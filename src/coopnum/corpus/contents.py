"""A table of contents around one opened article (met first in heldout11: a newsletter's « Dans ce numéro », a
magazine's « Sommaire »): the article starts at the line that repeats one of its entries.

The entries are the items removed under a contents heading; an entry reads as the headline it lists, less its
number (« 1. ») and its page leader (« .......... p. 12 »). The later line that repeats an entry is the opened
article's headline: it is kept (the list pass took it for one more item), and every open line above it is the
page's (an issue line, an editorial, a « view in your browser » note), not the article's.
"""

from __future__ import annotations

import re

from coopnum.corpus.lines import Line
from coopnum.corpus.rules import Rule
from coopnum.corpus.wrapping import is_prose_line

CONTENTS_RULES: tuple[Rule, ...] = (
    Rule("contents_page", "above the headline a table of contents repeats, every open line (the issue's furniture)"),
)

_CONTENTS_HEADING = re.compile(r"^(?:sommaire|table des matières|(?:dans|au sommaire de) ce numéro)\b", re.IGNORECASE)
_NUMBER = re.compile(r"^\d{1,2}[.)]\s+")
_LEADER = re.compile(r"\s*(?:\.{3,}|…+)\s*(?:p\.?\s*)?\d{1,4}$|\s+p\.\s?\d{1,4}$")


def _entry(t: str) -> str:
    return " ".join(_LEADER.sub("", _NUMBER.sub("", t)).split()).casefold()


def _entries(lines: list[Line]) -> tuple[set[str], int, int | None]:
    """The entries of the first table of contents, the index of its last line, and the index of an item in it
    that repeats an earlier entry (the opened article's headline, which the list pass took for one more item)."""
    found: set[str] = set()
    last = -1
    in_contents = False
    for i, ln in enumerate(lines):
        if ln.action == "blank":
            continue
        if ln.rule == "related_heading":
            # a heading inside the contents (« Dossier : … ») opens one of its parts
            in_contents = in_contents or bool(_CONTENTS_HEADING.match(ln.text))
        elif in_contents and ln.rule == "related_item":
            if _entry(ln.text) in found:
                return found, i, i
            found.add(_entry(ln.text))
            last = i
        elif found:
            break
    return found, last, None


def open_listed_article(lines: list[Line]) -> None:
    """Keep the headline a table of contents lists again right below it; remove what is above that headline.
    Prose between the contents and the repeated line means the contents list the article's own sections (a
    blog's « Sommaire » under its title): the repeated line is then a crosshead, and nothing changes."""
    entries, last, at = _entries(lines)
    if not entries:
        return
    if at is None:
        at = next((i for i in range(last + 1, len(lines)) if lines[i].text and _entry(lines[i].text) in entries), None)
    if at is None or any(ln.open and is_prose_line(ln) for ln in lines[last + 1 : at]):
        return
    head = lines[at]
    if not head.open and head.rule == "related_item":
        head.reopen()
    if not head.open:
        return
    for ln in lines[:at]:
        if ln.open and ln.action != "blank":
            ln.decide("removed", "contents_page")
