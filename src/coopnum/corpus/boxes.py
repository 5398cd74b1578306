"""In-article boxes after the last paragraph: a fact box (« Repères », « En chiffres ») is article text.

A fact box sits right after the article's last paragraph: a short heading without final
punctuation, then, with no blank line between, at least two short statements (« 2011 : création
de … . », « 28 salariés, dont … . »). Its heading ends no statement, so the footer rules would
take it for page furniture and end the article there; marking the box (:attr:`Line.box`) keeps
the heading and its items out of the footer rules and the line veto.
"""

from __future__ import annotations

import re

from coopnum.corpus import closing_bars, item_runs
from coopnum.corpus.dates import MONTH_NAMES
from coopnum.corpus.features import SENTENCE_END, words
from coopnum.corpus.lines import Line
from coopnum.corpus.wrapping import is_prose_line

BOX_HEADING_MAX_WORDS = 5
BOX_ITEM_MAX_WORDS = 20
BOX_MIN_ITEMS = 2
LEAD_IN_MAX_WORDS = 12
FIELD_MAX_WORDS = 16
PROMPT_HEADING_MAX_WORDS = 3
_FIELD = re.compile(r"^[A-ZÀ-Ý][^:;.!?]{1,40}\s?:\s?\S")

# Furniture that may sit between the last paragraph and the box (a photo and its credit).
_BETWEEN = frozenset({"photo_credit", "photo_caption", "image_markup", "blank"})


def _is_box_heading(t: str) -> bool:
    return 1 <= words(t) <= BOX_HEADING_MAX_WORDS and t[:1].isupper() and t[-1:].isalpha()


def _is_lead_in(t: str) -> bool:
    """A sentence's opening that a list goes on (« Trois questions restent en suspens : », « Le Conseil décide : »)."""
    return 1 <= words(t) <= LEAD_IN_MAX_WORDS and t[:1].isupper() and t.endswith(":")


def _is_box_item(ln: Line) -> bool:
    t = ln.current
    # a statement, or a list item running on with a semicolon (« • 2025 : accès des universités ; »)
    return ln.open and bool(t) and words(t) <= BOX_ITEM_MAX_WORDS and bool(SENTENCE_END.search(t) or t.endswith(";"))


# A figures item of a box (« 330 000 habitants », « – 4 heures gagnées par train »): a leading figure and a unit or
# a noun, no statement; a date (« 26 novembre — Salon … », an agenda's item), a time and a list's number (« 1. Prix »)
# are no figure
# (?!\w), not \b: after « % » or « € » a space is no word boundary (« • 94 % de cas », heldout22)
_FIGURE_ITEM = re.compile(r"^(?:[–—•·-]\s)?\d+(?:[\s\u00a0\u202f,.]\d+)*\s?(?:%|€|\$|[^\W\d_][^\W\d_'’-]*)(?!\w)")
_DATE_OR_TIME = re.compile(
    rf"^(?:[–—•·-]\s)?(?:1er|\d{{1,2}})\s(?:{'|'.join(MONTH_NAMES)})\b|^\d{{1,2}}\s?h\b", re.IGNORECASE
)
FIGURE_ITEM_MAX_WORDS = 12


def _is_figure_item(ln: Line) -> bool:
    t = ln.current
    return (
        ln.open
        and words(t) <= FIGURE_ITEM_MAX_WORDS
        and bool(_FIGURE_ITEM.match(t))
        and not _DATE_OR_TIME.match(t)
        and not _READER.search(t)
        and not SENTENCE_END.search(t)
    )


def _is_field(ln: Line) -> bool:
    """A field of the text under a list (« Vote : Pour : 41 — Contre : 9 », « Date limite : 15 mai 2026 »)."""
    return ln.open and bool(_FIELD.match(ln.current)) and words(ln.current) <= FIELD_MAX_WORDS


def _is_section_heading(ln: Line) -> bool:
    """A box's heading; also a posting's heading said to the reader (« Vos missions », « Votre profil »), which the
    reader-prompt rule removed: under it, a list of items running on with semicolons tells it for a heading."""
    t = ln.current
    if ln.open:
        return _is_box_heading(t) or _is_lead_in(t)
    return ln.rule == "reader_prompt" and words(t) <= PROMPT_HEADING_MAX_WORDS and t[-1:].isalpha()


def _blank(lines: list[Line], k: int) -> bool:
    return k < len(lines) and lines[k].action == "blank"


def _is_bullet_item(ln: Line) -> bool:
    t = ln.current
    return ln.open and bool(_BULLET.match(t)) and words(t) <= FIGURE_ITEM_MAX_WORDS and not _READER.search(t)


def _is_sheet_field(ln: Line) -> bool:
    """A field of a data sheet (« Valeur faciale : 500 FCFA », « Tirage : 40 000 exemplaires »): no statement, no
    address (a contact box's « Courriel : … » is the page's)."""
    t = ln.current
    # a dated field (« Entrée en vigueur : 1er septembre 2026 ») reads to the stamp rule as the page's date field
    field = _is_field(ln) or (ln.rule == "field_stamp" and bool(_FIELD.match(t)) and words(t) <= FIELD_MAX_WORDS)
    return field and not SENTENCE_END.search(t) and not _READER.search(t) and not _ADDRESS.search(t)


_BULLET = re.compile(r"^[•▪◦·–—-]\s\S")
_ADDRESS = re.compile(r"@|https?:|www\.|\.(?:fr|com|org)\b|\b(?:tél|téléphone|courriel|e-mail|fax)\b", re.IGNORECASE)
# the shapes of a box's items that end no statement: figures (« 330 000 habitants »), bullets, a data sheet's fields
_ITEM_SHAPES = (_is_figure_item, _is_bullet_item, _is_sheet_field)


def _figures_end(lines: list[Line], i: int) -> int:
    """Where the box of items of one shape without a stop (:data:`_ITEM_SHAPES`) under the heading at ``i`` ends
    (``i`` when there is none): one under the other, or each after one blank line when a blank line parts the
    heading from the first (a page that puts a blank line between all its lines)."""
    step = 2 if _blank(lines, i + 1) else 1
    for shape in _ITEM_SHAPES:
        k, items = i + step, 0
        while k < len(lines) and shape(lines[k]) and (step == 1 or _blank(lines, k - 1)):
            items, k = items + 1, k + step
        if items >= BOX_MIN_ITEMS:
            return k - step + 1
    return i


def _section_end(lines: list[Line], i: int) -> int:
    """Where the section opened by the heading at ``i`` ends (``i`` itself when there is none): its items, and
    after a list the fields that close it. A heading said to the reader or a lead-in needs a list under it."""
    if i >= len(lines):
        return i
    head = lines[i]
    # the heading of a box of items may be one other outlets print too (« Fiche technique »), which the corpus
    # evidence removed: the items under it, the page's own, tell it for the box's
    shared = head.rule == "recurring_line"
    if (head.open or shared) and _is_box_heading(head.current) and (fig_end := _figures_end(lines, i)) > i:
        return fig_end
    if not _is_section_heading(head):
        return i
    end = i + 1
    while end < len(lines) and (_is_box_item(lines[end]) or (end > i + 1 and _is_field(lines[end]))):
        end += 1
    items = lines[i + 1 : end]
    if len(items) < BOX_MIN_ITEMS:
        return i
    if (not head.open or _is_lead_in(head.current)) and not any(x.current.endswith(";") for x in items):
        return i
    return end


def _mark_closing_list(lines: list[Line], last: int, stop: int) -> None:
    """The article's own list ending its text (« Au programme, six semaines : » over « Semaine 1 – … »): a run of one
    item shape under a lead-in (:func:`~coopnum.corpus.item_runs.list_runs`), the last prose line or the open line
    right under it. Marked, it stays out of the footer rules, so a clean text ending on it cleans to itself."""
    tail: list[Line] = []
    for ln in lines[last + 1 : stop]:
        if ln.action == "blank" or not ln.text:
            continue
        if not ln.open:
            break
        tail.append(ln)
    found = item_runs.list_runs([lines[last].current, *(x.current for x in tail)])
    if (1 not in found and 2 not in found) or any(_DATE_OR_TIME.match(x.current) for x in tail[:3]):
        return  # an agenda's dated items (« 9 octobre — Soirée … ») are the site's, not the text's list
    for k in range(1, len(tail) + 1):
        if k in found or (k == 1 and k + 1 in found):  # an item, or the lead-in under the last prose line
            tail[k - 1].box = True
        elif k > 1:
            break


def mark_fact_box(lines: list[Line]) -> None:
    """Mark the fact boxes and lists right after the last prose line, one after another, if there are any."""
    # the text ends at its closing bars: a box under them is the site's (« Cours du jour » over the day's prices)
    stop = closing_bars.closing_index(lines)
    stop = len(lines) if stop is None else stop
    last = next((i for i in range(stop)[::-1] if lines[i].open and is_prose_line(lines[i])), None)
    if last is None:
        return
    _mark_closing_list(lines, last, stop)
    i = last + 1
    while i < len(lines) and not lines[i].open and lines[i].rule in _BETWEEN:
        i += 1
    while i < stop and (end := _section_end(lines, i)) > i:
        for ln in lines[i:end]:
            if ln.action == "blank":  # between a figures box's items
                continue
            if not ln.open:  # a heading said to the reader: the list under it shows it is the text's
                if ln.rule == "field_stamp":  # a box's dated field: no date of the page's
                    ln.extracted.clear()
                ln.reopen()
            ln.box = True
        i = end


# A data line: a label, then figures with their units (« Prix moyen au m² : 2024 : 48 € — 2025 : 62 € », « Repères :
# 31 universités • 100 Gbit/s • 2026 »); a phone number's groups have no unit, a link row no figures, a file name's
# figures (« communique_20260209.pdf ») are part of a word
_DATA_LABEL = re.compile(r"^[A-ZÀ-Ý][^:@]{1,40}\s?:\s\S")
_FIGURE_UNIT = re.compile(r"(?<![\w,.])\d[\d,.]*\s?(?:%|€|\$|[^\W\d_][^\W\d_/]{0,11}\b)")
DATA_MIN_FIGURES = 2
DATA_MAX_WORDS = 20
_DATA_RULES = frozenset({"link_row", "ticker", "footer_furniture"})  # the rules that took such a line as a bar


def is_data_line(t: str) -> bool:
    """A line of figures with units, not prose and not said to the reader."""
    return (
        words(t) <= DATA_MAX_WORDS
        and not SENTENCE_END.search(t)
        and len(_FIGURE_UNIT.findall(t)) >= DATA_MIN_FIGURES
        and not _READER.search(t)
        and "@" not in t
    )


_READER = re.compile(r"\b(?:vous|votre|vos)\b", re.IGNORECASE)


def _next_text(lines: list[Line], i: int) -> Line | None:
    return next((x for x in lines[i + 1 :] if x.action != "blank" and x.text), None)


def mark_data_lines(lines: list[Line]) -> None:
    """A labelled data line right after a paragraph (a one-line fact box) is the article's, whether the link-row
    rules took it or it was left open; and a short heading the name-label pass took (« EN CHIFFRES ») over an
    unlabelled data line is the box's heading."""
    for i, ln in enumerate(lines):
        nxt = _next_text(lines, i)
        if nxt is None or not (ln.open and is_prose_line(ln)) or not (nxt.open or nxt.rule in _DATA_RULES):
            continue
        if _DATA_LABEL.match(nxt.text) and is_data_line(nxt.text):
            nxt.reopen()
            nxt.box = True
    for i, ln in enumerate(lines):
        if ln.rule != "name_label" or words(ln.text) > PROMPT_HEADING_MAX_WORDS or any(c.isdigit() for c in ln.text):
            continue
        below = _next_text(lines, i)
        if below is None or not below.open or ":" in below.text or not below.text[:1].isdigit():
            continue
        if is_data_line(below.text):
            ln.reopen()
            ln.box = below.box = True
