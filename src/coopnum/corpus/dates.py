"""Dates stated in French news text: ISO, day/month/year in figures, or « 1er mars 2024 »."""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ]
    )
}
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b")
_DATE_DMY = re.compile(r"\b(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})\b")
# Abbreviated months (« 21 nov. 2024 »), tried after the full names.
_ABBREVIATIONS = ("janv", "févr", "fév", "avr", "juil", "sept", "oct", "nov", "déc")
MONTH_NAMES: tuple[str, ...] = (*_MONTHS, *_ABBREVIATIONS)  # a month as a date may name it, in full or cut
_DATE_TEXT = re.compile(
    r"\b(1er|\d{1,2})\s+(" + "|".join((*_MONTHS, *_ABBREVIATIONS)) + r")\.?\s+(\d{4})\b", re.IGNORECASE
)


def _month(name: str) -> int:
    name = name.lower()
    return next(n for m, n in _MONTHS.items() if m.startswith(name))


def _calendar_date(m: re.Match[str], order: str) -> str | None:
    """The ISO form of one match, or ``None`` when it names no real day or month (2025-13, 30 février)."""
    if order == "ymd":
        y, mo, d = int(m[1]), int(m[2]), int(m[3]) if m[3] else None
    elif order == "dmy":
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    else:
        d = 1 if m[1].lower() == "1er" else int(m[1])
        mo, y = _month(m[2]), int(m[3])
    try:
        date = dt.date(y, mo, d or 1)
    except ValueError:
        return None
    return date.isoformat() if d else date.isoformat()[:7]


def parse_date(s: str) -> str | None:
    """The first complete date stated in ``s`` as ISO 8601 (``YYYY-MM-DD`` or ``YYYY-MM``).

    A day and month without a year is no date: it returns ``None`` rather than a guess. An
    impossible date (``2025-02-30``) is no date either, and does not hide a real one after it.
    """
    for pattern, order in ((_DATE_ISO, "ymd"), (_DATE_DMY, "dmy"), (_DATE_TEXT, "dMy")):
        for m in pattern.finditer(s):
            date = _calendar_date(m, order)
            if date is not None:
                return date
    return None


def blank_out_dates(s: str) -> str:
    """``s`` with every date a pattern of :func:`parse_date` knows replaced by a space."""
    return _DATE_TEXT.sub(" ", _DATE_DMY.sub(" ", _DATE_ISO.sub(" ", s)))
