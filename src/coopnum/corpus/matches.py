"""What a line rule found (:class:`Match`), apart from :mod:`~coopnum.corpus.rules` so that the modules holding
rules of their own (:mod:`~coopnum.corpus.posts`) can build one without importing the rule list that imports them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Match:
    rule: str
    outlet: str | None = None
    date: str | None = None
    list_items: str | None = None  # rule name for the lines this heading introduces
    trim_to: int | None = None  # trim rules: characters of the line to drop
