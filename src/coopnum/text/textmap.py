"""Text that remembers where every character came from.

Cleaning never edits a string in place: it transforms a list of :class:`Piece`
objects, each holding some output text and the half-open range ``[raw_start,
raw_end)`` of the raw text (code points of the decoded file) it was made from.
At the end the pieces are compressed into an :class:`OffsetMap` that maps any
clean offset back to the raw file.

The normalisations, each documented where it is defined:

* invisible characters (zero-width, bidi controls, soft hyphen, BOM, C0/C1
  controls other than tab) are removed;
* Unicode NFC, per combining sequence, so a composed character maps to the
  whole raw sequence it came from;
* whitespace: a run of whitespace characters inside a line becomes one
  character: U+00A0 NO-BREAK SPACE before ``: ; ! ? »`` and after ``«`` (French
  typography), U+0020 SPACE everywhere else; runs at either end of a line are
  removed. Whitespace is never inserted where the raw text had none.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

NBSP = "\u00a0"
# Characters removed outright. Zero-width joiners are meaningful only in emoji
# and Indic scripts, neither of which is body text in a French news corpus.
INVISIBLE = frozenset(
    "\u00ad"  # soft hyphen
    "\u200b\u200c\u200d\u2060\ufeff"  # zero-width space/non-joiner/joiner, word joiner, BOM
    "\u200e\u200f\u061c"  # LRM, RLM, ALM
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # bidi isolates
)
# Before these a space is a French no-break space; after « as well.
NBSP_BEFORE = frozenset(":;!?»")
NBSP_AFTER = frozenset("«")


@dataclass(frozen=True, slots=True)
class Piece:
    """Output ``text`` made from raw characters ``[raw_start, raw_end)``."""

    text: str
    raw_start: int
    raw_end: int


def pieces_of(raw: str, start: int, end: int) -> list[Piece]:
    """One piece per raw character of ``raw[start:end]``."""
    return [Piece(raw[i], i, i + 1) for i in range(start, end)]


def text_of(pieces: Sequence[Piece]) -> str:
    return "".join(p.text for p in pieces)


def is_invisible(ch: str) -> bool:
    """Zero-width, bidi control, soft hyphen, BOM, or a control character other than tab."""
    if ch in INVISIBLE:
        return True
    cat = unicodedata.category(ch)
    return cat == "Cc" and ch != "\t"


def drop_invisible(pieces: Sequence[Piece]) -> list[Piece]:
    return [p for p in pieces if not (len(p.text) == 1 and is_invisible(p.text))]


def nfc(pieces: Sequence[Piece]) -> list[Piece]:
    """Unicode NFC, applied per combining sequence (a starter and the marks after it).

    A sequence that NFC changes becomes one piece covering all its raw characters.
    """
    text = text_of(pieces)
    if unicodedata.is_normalized("NFC", text):
        return list(pieces)
    out: list[Piece] = []
    group: list[Piece] = []

    def flush() -> None:
        if not group:
            return
        g = text_of(group)
        n = unicodedata.normalize("NFC", g)
        if n == g:
            out.extend(group)
        else:
            out.append(Piece(n, group[0].raw_start, group[-1].raw_end))
        group.clear()

    for p in pieces:
        if group and unicodedata.combining(p.text[0]) == 0:
            flush()
        group.append(p)
    flush()
    if not unicodedata.is_normalized("NFC", text_of(out)):
        # Composition across sequences (Hangul jamo, for one): fall back to one
        # piece for the whole line rather than a wrong map.
        return [Piece(unicodedata.normalize("NFC", text), pieces[0].raw_start, pieces[-1].raw_end)]
    return out


def normalise_space(pieces: Sequence[Piece]) -> list[Piece]:
    """Collapse whitespace runs to one character and strip both ends (see module doc)."""
    out: list[Piece] = []
    i, n = 0, len(pieces)
    while i < n:
        p = pieces[i]
        if not p.text.isspace():
            out.append(p)
            i += 1
            continue
        j = i
        while j < n and pieces[j].text.isspace():
            j += 1
        if out and j < n:  # inner run; runs at either end are dropped
            before, after = out[-1].text[-1], pieces[j].text[0]
            ch = NBSP if (after in NBSP_BEFORE or before in NBSP_AFTER) else " "
            out.append(Piece(ch, pieces[i].raw_start, pieces[j - 1].raw_end))
        i = j
    return out


# A line none of the normalisations would change (apart from plain spaces at its ends): no
# whitespace but single plain spaces, no space that French typography turns into a no-break space,
# no invisible or control character, already NFC. Most lines of a news article are like that.
_NEEDS_WORK = re.compile("[^\\S ]|  | [:;!?»]|« |[\x00-\x08\x0a-\x1f\x7f-\x9f" + "".join(sorted(INVISIBLE)) + "]")


# Characters :func:`drop_invisible` removes (see :func:`is_invisible`).
_INVISIBLE_CHAR = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f" + "".join(sorted(INVISIBLE)) + "]")
_SPACE_RUN = re.compile(r"\s+")  # \s is str.isspace() for str patterns


def normalise_line(raw: str, start: int, end: int) -> list[Piece]:
    """All in-line normalisations of ``raw[start:end]``, in their fixed order.

    Two shortcuts give the same text and offset map as the character-by-character path (the tests
    compare them) at a fraction of the cost: a line that needs no normalisation is one verbatim
    piece; a line whose only work is whitespace (most of the rest: French no-break spaces) is cut at
    its whitespace runs, one piece per word and per run."""
    line = raw[start:end]
    text = line.strip(" ")
    if not text:
        return normalise_space(nfc(drop_invisible(pieces_of(raw, start, end))))
    if not _NEEDS_WORK.search(text) and unicodedata.is_normalized("NFC", text):
        lead = len(line) - len(line.lstrip(" "))
        return [Piece(text, start + lead, start + lead + len(text))]
    if not _INVISIBLE_CHAR.search(line) and unicodedata.is_normalized("NFC", line):
        return _normalise_space_runs(line, start)
    return normalise_space(nfc(drop_invisible(pieces_of(raw, start, end))))


def _normalise_space_runs(line: str, offset: int) -> list[Piece]:
    """:func:`normalise_space` for a line with nothing else to do, a whitespace run at a time."""
    out: list[Piece] = []
    pos, n = 0, len(line)
    for m in _SPACE_RUN.finditer(line):
        a, b = m.span()
        if a > pos:
            out.append(Piece(line[pos:a], offset + pos, offset + a))
        if out and b < n:  # inner run; runs at either end are dropped
            before, after = out[-1].text[-1], line[b]
            ch = NBSP if (after in NBSP_BEFORE or before in NBSP_AFTER) else " "
            out.append(Piece(ch, offset + a, offset + b))
        pos = b
    if pos < n:
        out.append(Piece(line[pos:], offset + pos, offset + n))
    return out


@dataclass(frozen=True, slots=True)
class Segment:
    """Clean ``[clean_start, clean_end)`` comes from raw ``[raw_start, raw_end)``.

    When both ranges have the same length the mapping is character by character;
    otherwise (a collapsed whitespace run, an NFC composition) every clean
    character of the segment maps to the whole raw range.
    """

    clean_start: int
    clean_end: int
    raw_start: int
    raw_end: int

    @property
    def one_to_one(self) -> bool:
        return self.clean_end - self.clean_start == self.raw_end - self.raw_start


@dataclass(frozen=True)
class OffsetMap:
    segments: tuple[Segment, ...]

    @classmethod
    def from_pieces(cls, pieces: Sequence[Piece], raw: str) -> OffsetMap:
        """Compress pieces: runs of verbatim, contiguous characters become one segment."""
        segments: list[Segment] = []
        pos = 0
        run: list[int] | None = None  # [clean_start, clean_end, raw_start, raw_end]
        for p in pieces:
            verbatim = raw[p.raw_start : p.raw_end] == p.text
            if verbatim and run is not None and run[1] == pos and run[3] == p.raw_start:
                run[1] += len(p.text)
                run[3] = p.raw_end
            else:
                if run is not None:
                    segments.append(Segment(*run))
                run = [pos, pos + len(p.text), p.raw_start, p.raw_end]
                if not verbatim:
                    segments.append(Segment(*run))
                    run = None
            pos += len(p.text)
        if run is not None:
            segments.append(Segment(*run))
        return cls(tuple(segments))

    def raw_span(self, clean_start: int, clean_end: int) -> tuple[int, int]:
        """Raw range covering the clean half-open range ``[clean_start, clean_end)``."""
        if not 0 <= clean_start < clean_end <= self.clean_length:
            raise ValueError(f"clean range [{clean_start}, {clean_end}) outside [0, {self.clean_length})")
        return self._raw_of(clean_start)[0], self._raw_of(clean_end - 1)[1]

    @property
    def clean_length(self) -> int:
        return self.segments[-1].clean_end if self.segments else 0

    @functools.cached_property
    def _starts(self) -> list[int]:
        return [s.clean_start for s in self.segments]

    def _raw_of(self, i: int) -> tuple[int, int]:
        seg = self.segments[bisect.bisect_right(self._starts, i) - 1]
        if seg.one_to_one:
            r = seg.raw_start + (i - seg.clean_start)
            return r, r + 1
        return seg.raw_start, seg.raw_end

    def as_rows(self) -> list[list[int]]:
        """``[clean_start, clean_end, raw_start, raw_end]`` rows, for JSON and Parquet."""
        return [[s.clean_start, s.clean_end, s.raw_start, s.raw_end] for s in self.segments]
