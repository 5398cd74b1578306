"""In-article boxes after the last paragraph: a fact box (« Repères », « En chiffres ») is article text.

A fact box sits right after the article's last paragraph: a short heading without final
punctuation, then, with no blank line between, at least two short statements (« 2011 : création
de … . », « 28 salariés, dont … . »). Its heading ends no statement, so the footer rules would
take it for page furniture and end the article there; marking the box (:attr:`Line.box`) keeps
the heading and its items out of the footer rules and the line veto.
"""

from __future__ import annotations

from coopnum.corpus.features import SENTENCE_END, words
from coopnum.corpus.lines import Line
from coopnum.corpus.wrapping import is_prose_line

BOX_HEADING_MAX_WORDS = 5
BOX_ITEM_MAX_WORDS = 20
BOX_MIN_ITEMS = 2

# Furniture that may sit between the last paragraph and the box (a photo and its credit).
_BETWEEN = frozenset({"photo_credit", "photo_caption", "image_markup", "blank"})


def _is_box_heading(t: str) -> bool:
    return 1 <= words(t) <= BOX_HEADING_MAX_WORDS and t[:1].isupper() and t[-1:].isalpha()


def _is_box_item(ln: Line) -> bool:
    t = ln.current
    # a statement, or a list item running on with a semicolon (« • 2025 : accès des universités ; »)
    return ln.open and bool(t) and words(t) <= BOX_ITEM_MAX_WORDS and bool(SENTENCE_END.search(t) or t.endswith(";"))


def mark_fact_box(lines: list[Line]) -> None:
    """Mark the fact box right after the last prose line, if there is one."""
    last = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].open and is_prose_line(lines[i])), None)
    if last is None:
        return
    i = last + 1
    while i < len(lines) and not lines[i].open and lines[i].rule in _BETWEEN:
        i += 1
    if i >= len(lines) or not lines[i].open or not _is_box_heading(lines[i].current):
        return
    end = i + 1
    while end < len(lines) and _is_box_item(lines[end]):
        end += 1
    if end - i - 1 >= BOX_MIN_ITEMS:
        for ln in lines[i:end]:
            ln.box = True
