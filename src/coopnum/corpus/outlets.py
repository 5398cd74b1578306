"""The outlet a page states, checked and completed once every line is decided (met first in heldout10).

A rights line's holder is not always the outlet: a one-person newsletter's « © 2025 Name » names its author (the
byline's name), an event site's « © Comité d'organisation du Forum X » the event's organisers (the outlet is the
event). And a page whose very last line is a bare « © 2025 Name » or « © Name 2024 » (no legal text after it) states
its outlet there; the year tells it from a photo credit, which carries none.
"""

from __future__ import annotations

import re

from coopnum.corpus.features import words
from coopnum.corpus.lines import Line

_ORGANISER = re.compile(
    r"^(?:le )?(?:comité d['’]organisation|comité organisateur|secrétariat(?: général)?|organisateurs?)"
    r" (?:du|de la|de l['’]|des)\s+(?=[A-ZÀ-Ý])",
    re.IGNORECASE,
)
_PAR = re.compile(r"^par\s+", re.IGNORECASE)
_LAST_COPYRIGHT = re.compile(
    r"^©\s*(?:(?P<year>\d{4})\s+)?(?P<name>[^\d©|·:;,.!?/()«»\"“”]{2,60}?)(?:\s+(?P<year2>\d{4}))?\s*$"
)
LAST_COPYRIGHT_MAX_WORDS = 6
_RIGHTS_WORDS = re.compile(r"\b(?:droits|réservés|rights|reserved|copyright)\b", re.IGNORECASE)


def page_outlet(lines: list[Line], outlet: str | None) -> str | None:
    """The outlet: ``outlet`` (the first a line stated) checked as the module docstring says, else a bare © last line's."""
    if outlet is not None:
        outlet = _ORGANISER.sub("", outlet)
        if any(ln.rule == "byline" and _PAR.sub("", ln.text) == outlet for ln in lines):
            return None  # the rights holder is the page's author
        return outlet
    last = next((ln for ln in reversed(lines) if ln.text), None)
    m = _LAST_COPYRIGHT.match(last.text) if last is not None else None
    if m is None or not (m["year"] or m["year2"]) or words(m["name"]) > LAST_COPYRIGHT_MAX_WORDS:
        return None
    if _RIGHTS_WORDS.search(m["name"]):
        return None  # « © 2025 Tous droits réservés »: rights stated, no name
    return m["name"].strip()
