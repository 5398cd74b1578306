"""Python string offsets (code points) ↔ JavaScript string offsets (UTF-16 code units).

Label Studio's browser front end measures text offsets in UTF-16 code units, as
JavaScript strings do; coopnum measures them in code points, as Python strings
do. The two differ by one for every character outside the Basic Multilingual
Plane (U+10000 and above, e.g. most emoji) before the offset. CR, LF, NBSP and
every other BMP character count one in both. This module is the only place the
conversion happens.

>>> Utf16Index("a😀b").to_utf16(2), Utf16Index("a😀b").from_utf16(3)
(3, 2)
"""

from __future__ import annotations

import bisect


class OffsetError(ValueError):
    """A UTF-16 offset outside the text or inside a surrogate pair."""


class Utf16Index:
    """Offset conversion for one string; built once in O(n), each lookup O(log n)."""

    __slots__ = ("_astral", "_text_len", "utf16_len")

    def __init__(self, text: str) -> None:
        # Code-point positions of the astral characters: everything else maps one to one.
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        self._text_len = len(text)
        self.utf16_len = len(text) + len(self._astral)

    def to_utf16(self, index: int) -> int:
        """UTF-16 offset of code-point offset ``index`` (0 ≤ index ≤ len(text))."""
        if not 0 <= index <= self._text_len:
            raise OffsetError(f"code-point offset {index} is outside the text (0..{self._text_len})")
        return index + bisect.bisect_left(self._astral, index)

    def from_utf16(self, unit: int) -> int:
        """Code-point offset of UTF-16 offset ``unit``; an offset between two surrogates is an error."""
        if not 0 <= unit <= self.utf16_len:
            raise OffsetError(f"UTF-16 offset {unit} is outside the text (0..{self.utf16_len})")
        # Astral characters before the answer i are those at positions p with p + rank(p) + 1 < unit.
        lo, hi = 0, len(self._astral)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._astral[mid] + mid + 1 < unit:
                lo = mid + 1
            else:
                hi = mid
        index = unit - lo
        if lo < len(self._astral) and self._astral[lo] + lo + 1 == unit:
            raise OffsetError(f"UTF-16 offset {unit} falls inside the surrogate pair of code point {self._astral[lo]}")
        return index


def utf16_len(text: str) -> int:
    return Utf16Index(text).utf16_len
