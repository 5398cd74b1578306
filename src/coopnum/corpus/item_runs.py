"""An article's own lists and tables, told by their shape (met first in heldout15 and heldout16): a run of lines
built alike (« Module 1 – … », « Module 2 – … »; « Départ : 14 h », « Arrivée : 18 h »; « 1. Name (Country) »,
« 2. Name (Country) »; « [1] … », « [2] … »; « 300 étudiants : … », « 40 chercheurs : … ») under a lead-in that
announces it (« Au menu, quatre modules : », « Où en est le projet ? ») or a short heading (« Repères »,
« Notes »). Each item alone is short and not prose, so the line veto and the name-label pass took some of a
list and left the others; read as a run, the list is the article's. A run only protects: its lines are kept off
the veto and the name-label pass; its items are alike but not equal (a list of equal lines is a widget's), and two
at least.

Also here, the same reading of a page's shape: where the text starts when a key-points box opens it
(:func:`text_starts`), a table's rows that the link-bar rules took (:func:`reopen_tables`), a drop cap on its own
line (:func:`drop_caps`), a dispatch's dateline (:func:`datelines`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from coopnum.corpus.features import INNER_SENTENCE_BREAK, SENTENCE_END, is_prose, words
from coopnum.corpus.lines import Line
from coopnum.corpus.page_widgets import is_no_title
from coopnum.corpus.wrapping import is_prose_line

# the shapes an item opens with, most particular first: a number (« 1. », « 2) », « [3] », « (4) »), a word and a
# number then a dash (« Semaine 2 – »), a figure (« 120 millions : »), a short label and a colon (« Montée : »)
_NUMBERED = re.compile(r"^(?:\d{1,2}[.)]|\[\d{1,2}\]|\(\d{1,2}\))\s")
_WORD_NUMBER = re.compile(r"^(?P<word>[^\W\d_]+)\s\d{1,3}\s?[–—:-]\s")
_FIGURE = re.compile(r"^\d")
_LABELLED = re.compile(r"^(?P<label>[^:]{2,60}?)\s?:\s\S")
LABEL_MAX_WORDS = 6
HEADING_MAX_WORDS = 3
ITEM_MAX_WORDS = 25  # an item is a line, not a paragraph


def item_shape(t: str) -> str | None:
    """The shape a list item ``t`` opens with, or ``None`` when it opens like running text."""
    if words(t) > ITEM_MAX_WORDS:
        return None
    if _NUMBERED.match(t):
        return "numbered"
    if m := _WORD_NUMBER.match(t):
        return "word:" + m["word"].casefold()
    if _FIGURE.match(t):
        return "figure"
    m = _LABELLED.match(t)
    # a field's value, not a sentence: « Name : Bonjour. » is a transcript's turn, whose heading is no list's
    if m and words(m["label"]) <= LABEL_MAX_WORDS and not SENTENCE_END.search(t) and not t.endswith("?"):
        return "labelled"
    return None


def _is_lead_in(t: str) -> bool:
    """A line that announces a list: ending with a colon or a question mark, or a short heading."""
    t = t.rstrip()
    if t.endswith((":", "?")):
        return True
    return words(t) <= HEADING_MAX_WORDS and not SENTENCE_END.search(t) and item_shape(t) is None


def list_runs(texts: Sequence[str]) -> set[int]:
    """The indices of ``texts`` (a page's non-blank lines in order) that are an article's list: the items of a run
    of two or more lines of one shape, all different, right under a lead-in, and the lead-in when it is a heading
    (a lead-in ending with a colon or a question mark is a sentence of the text and left to the other rules)."""
    shapes = [item_shape(t) for t in texts]
    found: set[int] = set()
    i = 0
    while i < len(texts):
        shape = shapes[i]
        j = i
        while j + 1 < len(texts) and shape is not None and shapes[j + 1] == shape:
            j += 1
        run = range(i, j + 1)
        different = len({texts[k].casefold() for k in run}) == len(run)
        if shape is not None and len(run) >= 2 and i > 0 and _is_lead_in(texts[i - 1]) and different:
            found.update(run)
            if not texts[i - 1].rstrip().endswith((":", "?")):
                found.add(i - 1)
        i = j + 1
    return found


_BULLET = re.compile(r"^[-–—•▪·*]\s")
QUESTION_TITLE_MAX_WORDS = 20
QUESTION_TITLE_HEADER_WORDS = 3  # corpus.layout's TITLE_MIN_WORDS: a header line that could be the title


def _is_question_headline(texts: Sequence[str], first_prose: int) -> bool:
    """A headline asking its question (« X adopte la norme Y : pour quelle architecture ? ») reads as prose (twelve
    words ending a sentence); as the page's first such line, one short sentence right over another prose line (its
    lead), with no header line above it that could be the title (a trail is none), it is the title (met in heldout23), not the text's
    first words."""
    t = texts[first_prose].rstrip()
    nxt = first_prose + 1
    if not t.endswith("?") or words(t) > QUESTION_TITLE_MAX_WORDS or INNER_SENTENCE_BREAK.search(t):
        return False
    if any(words(x) >= QUESTION_TITLE_HEADER_WORDS and not is_no_title(x) for x in texts[:first_prose]):
        return False  # a headline above it: the question is its subtitle (heldout10's fixtures keep it so)
    return nxt < len(texts) and is_prose(texts[nxt])


KEY_POINTS_MIN_WORDS = 3
KEY_POINTS_MAX_WORDS = 5
TITLE_ABOVE_MIN_WORDS = 6


def text_starts(texts: Sequence[str], first_prose: int) -> int:
    """Where an article's text starts among ``texts`` (a page's open lines), given its first prose line: a short
    heading right above a bulleted first line (« Ce qu'il faut retenir » over « • … ») opens the text's key points,
    when a longer line above it is left for the title; else the first prose line."""
    if _is_question_headline(texts, first_prose):
        return first_prose + 1  # the header's last line, so the title
    i = first_prose - 1
    if i < 1 or not _BULLET.match(texts[first_prose]):
        return first_prose
    heading = texts[i].rstrip()
    # a shorter heading is no title candidate (corpus.layout's TITLE_MIN_WORDS): the header pass removes it, as
    # before (heldout7's fixture removes « L'essentiel » there); a longer one would be taken for the title
    if not KEY_POINTS_MIN_WORDS <= words(heading) <= KEY_POINTS_MAX_WORDS:
        return first_prose
    if SENTENCE_END.search(heading) or heading.endswith(":"):
        return first_prose
    return i if words(texts[i - 1]) >= TITLE_ABOVE_MIN_WORDS else first_prose


TABLE_MIN_ROWS = 3
_BAR_RULES = frozenset({"ticker", "link_row"})  # the rules that read a row of cells as a bar of links
TABLE_MIN_CELLS = 3


def _cells(t: str) -> int:
    return len(t.strip().strip("|").split("|"))


def reopen_tables(lines: list[Line]) -> None:
    """A table inside the article, as text: three rows or more of one number of « | » cells, figures in most,
    between two prose lines. The ticker and link-row rules read each row as a bar of links; the run of equal rows, with the
    article on both sides, is the text's own table (a page's bars are one line, or differ from row to row)."""
    rows: list[Line] = []
    for ln in [*lines, None]:
        if ln is not None and (ln.action == "blank" or not ln.text):
            continue
        row = ln is not None and ln.rule in _BAR_RULES and _cells(ln.text) >= TABLE_MIN_CELLS
        if row and ln is not None and (not rows or _cells(rows[0].text) == _cells(ln.text)):
            rows.append(ln)
            continue
        if len(rows) >= TABLE_MIN_ROWS and sum(any(c.isdigit() for c in r.text) for r in rows) * 2 > len(rows):
            before = [x for x in lines[: lines.index(rows[0])] if x.open and x.text]
            after = [x for x in lines[lines.index(rows[-1]) + 1 :] if x.open and x.text]
            if before and after and is_prose_line(before[-1]) and any(is_prose_line(x) for x in after[:2]):
                for r in rows:
                    r.reopen()
                    r.box = True  # article text, as a fact box's items: the line veto leaves it
        rows = [ln] if row and ln is not None else []


def drop_caps(lines: list[Line]) -> frozenset[int]:
    """The indices of a paragraph's drop cap set on its own line: one capital letter over a line that goes on in
    lower case (« L » over « e matin du 3 février, … »), the article's first word, not a short label."""
    found = set()
    for i, ln in enumerate(lines):
        if len(ln.text) == 1 and ln.text.isupper():
            nxt = next((x for x in lines[i + 1 :] if x.action != "blank" and x.text), None)
            if nxt is not None and nxt.text[:1].islower():
                found.add(i)
    return frozenset(found)


# a dispatch's dateline: its place in capitals, then the day (« LE CAIRE, 20 MAI », « DAKAR, 3 mars 2025 »)
# (a dash may close it, the text going on after it on the next line: « DAKAR, 2 avril — », heldout23)
_DATELINE = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý'’ -]{1,30}, \d{1,2}(?:er)? [^\W\d_]{3,9}(?: \d{4})?(?: [—–-])?$")


def mark_datelines(lines: list[Line]) -> None:
    """Mark a dispatch's dateline on its own line right over the text's prose (met in heldout22) as text: the
    article's first words, though a date touching the byline stamp above it and a header line of three words."""
    for ln, nxt in pairwise(lines):
        if ln.open and _DATELINE.match(ln.text) and nxt.open and is_prose_line(nxt):
            ln.box = True


def datelines(lines: list[Line]) -> frozenset[int]:
    """The indices of the datelines :func:`mark_datelines` marked."""
    return frozenset(i for i, ln in enumerate(lines) if ln.box and _DATELINE.match(ln.text))
