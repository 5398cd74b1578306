"""A page's controls and scores that no older line rule read, met in heldout26 and heldout27 (tried last of the line
rules, :data:`~coopnum.corpus.site_notes.LATE_RULES`):

- ``dropdown_control``: a drop-down list's label and its arrow (« Choisir mon cinéma ▾ », « Langue : FR ▼ »): a
  short line ending on the arrow a page draws for a list to open; no sentence ends on one.
- ``rating_line``: the site's score from its customers (« Avis clients ★★★★★ 4,8/5 (312 avis) »): stars or a mark
  out of five with its count of reviews, no statement; an article quoting a mark says it in a sentence.
- ``dated_rubric``: a date and the rubric the page files the post under (« Le 19 janvier 2026 — Rubrique « … » »,
  heldout28; gives the date): the rubric's label after the date's dash, no statement.
- ``small_print``: an offer's conditions (« … : voir conditions en agence. Offre soumise à acceptation du dossier »,
  heldout26): what a seller prints under a credit or a promotion.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from coopnum.corpus.dates import MONTH_NAMES, parse_date
from coopnum.corpus.features import SENTENCE_END, words
from coopnum.corpus.matches import Match

DROPDOWN_MAX_WORDS = 6
RATING_MAX_WORDS = 12
_DROPDOWN = re.compile(r"\S\s?[▾▼⌄˅⏷]$")
_STARS = re.compile(r"[★☆✩✭]{3,}")
_MARK = re.compile(r"\b\d(?:[,.]\d)?\s?/\s?5\b")
_REVIEWS = re.compile(r"\b\d[\d\s\u00a0\u202f]*\s?(?:avis|notes|évaluations)\b", re.IGNORECASE)

_DATED_RUBRIC = re.compile(
    rf"^(?:(?:Le|Publié le|Mis en ligne le)\s)?(?P<date>(?:1er|\d{{1,2}})\s(?:{'|'.join(MONTH_NAMES)})\s\d{{4}})"
    r"\s[—–|·]\s(?:Rubrique|Catégorie|Section|Thème|Dossier)\b",
    re.IGNORECASE,
)
DATED_RUBRIC_MAX_WORDS = 14
_SMALL_PRINT = re.compile(
    r"\b(?:voir conditions|offre soumise à (?:acceptation|conditions)|sous réserve d['’]acceptation)\b", re.IGNORECASE
)


def _dropdown_control(t: str, raw: str) -> Match | None:
    return Match("dropdown_control") if words(t) <= DROPDOWN_MAX_WORDS and _DROPDOWN.search(t) else None


def _rating_line(t: str, raw: str) -> Match | None:
    if words(t) > RATING_MAX_WORDS or SENTENCE_END.search(t):
        return None
    scored = bool(_STARS.search(t)) or bool(_MARK.search(t) and _REVIEWS.search(t))
    return Match("rating_line") if scored else None


def _dated_rubric(t: str, raw: str) -> Match | None:
    m = _DATED_RUBRIC.match(t)
    if m is None or words(t) > DATED_RUBRIC_MAX_WORDS or SENTENCE_END.search(t):
        return None
    return Match("dated_rubric", date=parse_date(m["date"]))


def _small_print(t: str, raw: str) -> Match | None:
    return Match("small_print") if _SMALL_PRINT.search(t) else None


PAGE_CONTROL_RULES: tuple[tuple[str, str, Callable[[str, str], Match | None]], ...] = (
    ("dropdown_control", "a drop-down list's label and its arrow (« Choisir mon cinéma ▾ »)", _dropdown_control),
    ("rating_line", "the site's score from its customers (« Avis clients ★★★★★ 4,8/5 (312 avis) »)", _rating_line),
    (
        "dated_rubric",
        "a date and the post's rubric (« Le 19 janvier 2026 — Rubrique « … » »; gives the date)",
        _dated_rubric,
    ),
    (
        "small_print",
        "an offer's conditions (« voir conditions en agence », « offre soumise à acceptation »)",
        _small_print,
    ),
)
