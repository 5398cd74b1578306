"""Lines of the text that header and widget rules read as furniture: a letter's salutation and a heading over the
text's own numbered list.

- *A letter's salutation* (« Madame, Monsieur, », « Chers clients, »): a customer notice or an open letter opens its
  text with it, right under the header; short, without a statement's end, it was the header's label. With an open
  prose line right under it, it is the text's first line.
- *A heading over the text's numbered list* (« Ce qui change pour vous » over « 1. … », « Sources » over « (1) … »,
  or over dashed items running on with semicolons, heldout22):
  said to the reader or named like a related list, the heading was removed by the reader-prompt or related-list
  rule, while the list under it, open lines numbered one after another, was kept. With the text's prose right above
  it, it is the list's crosshead. A related list's items are removed themselves, so its heading stays removed; a
  numbered list there that holds the page's own title (« Les plus lus » over « 2. <title> », heldout23) is the site's
  list of its articles: its items are removed too, prose-shaped or not.
- *A crosshead said to the reader* (« Ce que cela change pour vous », heldout27) between two of the text's prose
  lines: the reader-prompt rule took it; no imperative, no « nos » of the house, no « ? » or « ! » of a prompt.
- *An update's lead-in* (« Mise à jour du 3 décembre : » over « le groupe de travail a publié … », heldout26): the
  stamp rule took it; the line under it goes on its sentence in lower case, so it is the text's.
- *A step of the text's numbered list said to the reader* (« 2. Rechargez votre forfait », heldout22) between the open
  steps 1 and 3: the reader-prompt rule took it, the list is the text's.

Both are marked as box lines (:attr:`~coopnum.corpus.lines.Line.box`): article text, off the footer rules and the
line veto.
"""

from __future__ import annotations

import re

from coopnum.corpus.features import SENTENCE_END, words
from coopnum.corpus.lines import Line
from coopnum.corpus.wrapping import is_prose_line

SALUTATION_MAX_WORDS = 5
LIST_HEAD_MAX_WORDS = 8
LIST_MIN_ITEMS = 2
CLOSING_MAX_WORDS = 25
# the rules that took a letter's closing formula, said to the reader
_CLOSING_RULES = frozenset({"reader_prompt", "house_voice"})
_SALUTATION = re.compile(
    r"^(?:(?:Madame|Monsieur|Mesdames|Messieurs|Mademoiselle)(?:,? (?:et |ou )?(?:Madame|Monsieur|Messieurs))?"
    r"|(?:Cher|Chère|Chers|Chères)(?: \w+){1,3}|Bonjour(?: à tous)?)\s?,$"
)
# the rules that took a list's heading for a prompt or a related list's heading
_HEAD_RULES = frozenset({"reader_prompt", "related_heading"})
_NUMBERED = re.compile(r"^(?:\((?P<a>\d{1,2})\)|\[(?P<b>\d{1,2})\]|(?P<c>\d{1,2})[.)])\s+\S")
_NUMBER_PREFIX = re.compile(r"^(?:\(\d{1,2}\)|\[\d{1,2}\]|\d{1,2}[.)])\s+")
# an item of a dashed list that runs on with semicolons (« – les tickets restent valables ; »), its last item closed
_RUN_ON_ITEM = re.compile(r"^[–—•-]\s\S.*[;.]$")


def _text_lines(lines: list[Line]) -> list[Line]:
    return [x for x in lines if x.action != "blank" and x.text]


def _number(ln: Line) -> int | None:
    m = _NUMBERED.match(ln.current)
    return int(m["a"] or m["b"] or m["c"]) if m and ln.open else None


def _numbered_run(below: list[Line]) -> int:
    """How many lines open ``below`` as a list numbered from 1, one after another."""
    n = 0
    while n < len(below) and _number(below[n]) == n + 1:
        n += 1
    return n


def _items_run(below: list[Line]) -> int:
    """How many lines open ``below`` as a list numbered from 1, or as dashed items running on with semicolons (the
    first one ending on « ; »)."""
    n = _numbered_run(below)
    if n or not below or not below[0].current.endswith(";"):
        return n
    while n < len(below) and below[n].open and _RUN_ON_ITEM.match(below[n].current):
        n += 1
    return n


def _reopen_numbered_steps(text: list[Line]) -> None:
    """A step of a numbered list said to the reader (« 2. Rechargez votre forfait en ligne. ») between the open
    steps numbered just before and just after it: the reader-prompt rule took it; it is the list's, so the text's."""
    for k in range(1, len(text) - 1):
        ln = text[k]
        m = None if ln.open or ln.rule != "reader_prompt" else _NUMBERED.match(ln.current)
        if m is None:
            continue
        n = int(m["a"] or m["b"] or m["c"])
        if _number(text[k - 1]) == n - 1 and _number(text[k + 1]) == n + 1:
            ln.reopen()


CROSSHEAD_MAX_WORDS = 8
# what a site's prompt between two paragraphs says (« Abonnez-vous … », « Découvrez nos offres », « Envie … ? »)
_PROMPT_WORDS = re.compile(r"[^\W\d_]{2,}ez\b|\b(?:nos|notre)\b|[?!:]", re.IGNORECASE)


def _reopen_crossheads(text: list[Line]) -> None:
    """A crosshead said to the reader between two open prose lines of the text (see the module docstring)."""
    for k in range(1, len(text) - 1):
        ln, t = text[k], text[k].text
        if ln.open or ln.rule != "reader_prompt" or words(t) > CROSSHEAD_MAX_WORDS or not t[-1:].isalpha():
            continue
        if _PROMPT_WORDS.search(t) or not t[:1].isupper():
            continue
        if all(x.open and is_prose_line(x) for x in (text[k - 1], text[k + 1])):
            ln.reopen()
            ln.box = True


_STAMP_RULES = frozenset({"update_stamp", "date_line"})


def _reopen_stamp_lead_ins(text: list[Line]) -> None:
    """An update's stamp closed by « : » whose sentence the open prose line under it goes on (see the module
    docstring)."""
    for k in range(len(text) - 1):
        ln, below = text[k], text[k + 1]
        if ln.open or ln.rule not in _STAMP_RULES or not ln.text.endswith(":"):
            continue
        if below.open and is_prose_line(below) and below.current[:1].islower():
            ln.reopen()
            ln.box = True


def _reopen_closing_formula(text: list[Line]) -> None:
    """A letter's closing formula (« Pour toute question, votre interlocuteur reste à votre disposition. »), said
    to the reader, right under its last paragraph: the reader-prompt rule took it; in a letter it is the text's."""
    last = next((k for k in range(len(text) - 1, -1, -1) if text[k].open and is_prose_line(text[k])), None)
    if last is None or last + 1 >= len(text):
        return
    ln = text[last + 1]
    if ln.rule in _CLOSING_RULES and SENTENCE_END.search(ln.text) and words(ln.text) <= CLOSING_MAX_WORDS:
        ln.reopen()
        ln.box = True


def _lists_the_page(items: list[Line], title: str | None) -> bool:
    """Whether a numbered list under a related list's heading holds the page's own title (« 2. <title> »): the site's
    list of its articles (« Les plus lus »), whose first items read as prose (met in heldout23), not the text's."""
    return title is not None and any(_NUMBER_PREFIX.sub("", x.current, count=1) == title for x in items)


def mark_text_heads(lines: list[Line]) -> None:
    """Reopen a letter's salutation over the text (and then its closing formula) and a heading over the text's own
    numbered list."""
    text = _text_lines(lines)
    title = next((x.current for x in lines if x.kind == "title"), None)
    _reopen_numbered_steps(text)
    _reopen_crossheads(text)
    _reopen_stamp_lead_ins(text)
    letter = False
    for k, ln in enumerate(text):
        if ln.open or k + 1 >= len(text):
            continue
        below, t = text[k + 1], ln.text
        if _SALUTATION.match(t) and words(t) <= SALUTATION_MAX_WORDS:
            if below.open and is_prose_line(below):
                ln.reopen()
                ln.box = letter = True
            continue
        if ln.rule not in _HEAD_RULES or words(t) > LIST_HEAD_MAX_WORDS or SENTENCE_END.search(t) or ":" in t:
            continue
        above = next((x for x in reversed(text[:k]) if x.open), None)
        run = _items_run(text[k + 1 :])
        if _lists_the_page(text[k + 1 : k + 1 + run], title):
            for item in text[k + 1 : k + 1 + run]:
                item.decide("removed", "related_item")
        elif above is not None and is_prose_line(above) and run >= LIST_MIN_ITEMS:
            ln.reopen()
            ln.box = True
    if letter:
        _reopen_closing_formula(text)
