"""Label Studio text offsets ↔ coopnum offsets (code points): the one place they are converted.

JavaScript strings count UTF-16 code units, Python strings code points; the two
differ by one for every character outside the Basic Multilingual Plane
(U+10000 and above, e.g. most emoji) before the offset, while CR, LF, NBSP and
every other BMP character count one in both. Which unit Label Studio uses was
measured, not assumed: in Chromium against Label Studio 1.23.2, a region the
annotator selects after an emoji (and after NBSP and CRLF) comes back with its
code-point offsets (``tests/labelstudio/test_ls_browser.py`` checks it on every run). So
:data:`LABEL_STUDIO_UNIT` is code points and the conversion is the identity; if
an upgrade changes the front end, that test fails and the constant switches to
:data:`UTF16`, for which :class:`Utf16Index` is ready and tested.

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


CODE_POINTS = "code points"
UTF16 = "UTF-16 code units"
LABEL_STUDIO_UNIT = CODE_POINTS  # measured with Label Studio 1.23.2 (see the module docstring)


class LabelStudioOffsets:
    """Offsets into one text (a task's paragraph) in Label Studio's unit ↔ code points."""

    __slots__ = ("_len", "_utf16")

    def __init__(self, text: str, unit: str = LABEL_STUDIO_UNIT) -> None:
        if unit not in (CODE_POINTS, UTF16):
            raise ValueError(f"unknown offset unit {unit!r}")
        self._len = len(text)
        self._utf16 = Utf16Index(text) if unit == UTF16 else None

    def to_label_studio(self, index: int) -> int:
        if self._utf16 is not None:
            return self._utf16.to_utf16(index)
        if not 0 <= index <= self._len:
            raise OffsetError(f"code-point offset {index} is outside the text (0..{self._len})")
        return index

    def from_label_studio(self, offset: int) -> int:
        if self._utf16 is not None:
            return self._utf16.from_utf16(offset)
        if not 0 <= offset <= self._len:
            raise OffsetError(f"offset {offset} is outside the text (0..{self._len})")
        return offset
