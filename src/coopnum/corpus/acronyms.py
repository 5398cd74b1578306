"""An outlet stated as an acronym, spelt out by the page itself (« ATP - Agence Ténéré Presse »).

A © footer or an agency signature often names the outlet by its acronym (« © ATP 2024 »,
« ATP/MI/AS »), while the masthead spells it out once: « ACRONYM – Full Name ». When such a line
holds the acronym the outlet opens with, and the full name's words begin with the acronym's
letters in order, the full name is the outlet as the page states it (never world knowledge).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_SPELT_OUT = re.compile(r"^(?P<acronym>[A-ZÀ-Ý]{2,8})\s[–—-]\s(?P<name>[A-ZÀ-Ý][^|·.:;!?©]{3,60})$")
_ACRONYM_OPENING = re.compile(r"^[A-ZÀ-Ý]{2,8}(?=$|[/\s-])")
_WORD = re.compile(r"[^\W\d_]+")


def initials_fit(acronym: str, name: str) -> bool:
    """Whether the acronym's letters open words of ``name`` in order, the first one the first word."""
    initials = [w[0].upper() for w in _WORD.findall(name)]
    if not initials or initials[0] != acronym[0]:
        return False
    it = iter(initials)
    return all(letter in it for letter in acronym)  # a subsequence: « d'analyse » may add a word


def spelt_out(outlet: str | None, texts: Iterable[str]) -> str | None:
    """The full name the page gives the acronym ``outlet`` opens with, else ``outlet`` unchanged."""
    m = _ACRONYM_OPENING.match(outlet or "")
    if outlet is None or m is None:
        return outlet
    for t in texts:
        line = _SPELT_OUT.match(t)
        if line and line["acronym"] == m.group() and initials_fit(m.group(), line["name"]):
            return line["name"].strip()
    return outlet
