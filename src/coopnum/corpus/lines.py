"""The raw text as lines: where each line lies in the raw text, and its state while it is cleaned."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from coopnum.text.textmap import Piece, text_of


@dataclass
class Line:
    no: int
    raw_start: int
    raw_end: int
    newline: tuple[int, int]  # raw range of the line end after it (empty at end of file)
    pieces: list[Piece]
    text: str  # normalised, before trimming
    action: str | None = None
    rule: str | None = None
    kind: str | None = None
    extracted: dict[str, str] = field(default_factory=dict)
    recurrence: int | None = None  # removed as a recurring line: the documents (or outlets) holding it
    wrapped: bool = False  # part of a paragraph cut over several lines (corpus.wrapping)
    box: bool = False  # part of a fact box after the last paragraph (corpus.boxes): article text

    @property
    def open(self) -> bool:
        return self.action is None

    @property
    def current(self) -> str:
        """The text left after any trimming."""
        return text_of(self.pieces)

    def decide(self, action: str, rule: str | None) -> None:
        self.action, self.rule = action, rule

    def reopen(self) -> None:
        """Undo a line rule's removal that the layout shows wrong (a heading over the text's own list)."""
        self.action = self.rule = None


@dataclass(frozen=True)
class LineState:
    """What cleaning may change in a line, kept to read a step again (corpus.clean reads the header again)."""

    action: str | None
    rule: str | None
    kind: str | None
    pieces: list[Piece]  # never changed in place: a trim gives the line a new list
    extracted: dict[str, str]
    wrapped: bool
    box: bool


def snapshot(lines: list[Line]) -> list[LineState]:
    return [LineState(ln.action, ln.rule, ln.kind, ln.pieces, dict(ln.extracted), ln.wrapped, ln.box) for ln in lines]


def restore(lines: list[Line], states: list[LineState]) -> None:
    for ln, s in zip(lines, states, strict=True):
        ln.action, ln.rule, ln.kind, ln.pieces = s.action, s.rule, s.kind, s.pieces
        ln.extracted, ln.wrapped, ln.box = dict(s.extracted), s.wrapped, s.box


_LINE_END = re.compile(r"\r\n|\r|\n")


def split_lines(raw: str) -> list[tuple[int, int, int, int]]:
    """``(start, end, newline_start, newline_end)`` per line; CRLF, CR and LF all end a line."""
    out, pos = [], 0
    for m in _LINE_END.finditer(raw):
        out.append((pos, m.start(), m.start(), m.end()))
        pos = m.end()
    if pos < len(raw) or not out:
        out.append((pos, len(raw), len(raw), len(raw)))
    return out


def drop_suffix(pieces: list[Piece], n_chars: int) -> list[Piece]:
    """Pieces before the last ``n_chars`` characters of their text (a verbatim piece is split)."""
    keep = len(text_of(pieces)) - n_chars
    out: list[Piece] = []
    pos = 0
    for p in pieces:
        if pos >= keep:
            break
        if pos + len(p.text) > keep:
            if len(p.text) == p.raw_end - p.raw_start:
                cut = keep - pos
                out.append(Piece(p.text[:cut], p.raw_start, p.raw_start + cut))
            break
        out.append(p)
        pos += len(p.text)
    return out


def drop_prefix(pieces: list[Piece], n_chars: int) -> list[Piece]:
    """Pieces after the first ``n_chars`` characters of their text (a verbatim piece is split)."""
    pos = 0
    for i, p in enumerate(pieces):
        if pos >= n_chars:
            return pieces[i:]
        if pos + len(p.text) > n_chars and len(p.text) == p.raw_end - p.raw_start:
            cut = n_chars - pos
            return [Piece(p.text[cut:], p.raw_start + cut, p.raw_end), *pieces[i + 1 :]]
        pos += len(p.text)
    return []
