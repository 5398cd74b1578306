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


# a statement's end: a full stop or an ellipsis (a quote or bracket may close it), a closing quote,
# or the semicolon of a list item that runs on (« – la formation des ingénieurs ; »)
STATEMENT_END = re.compile(r"(?:[.…][\"»”’')\]]*|[»”;])$")
# the article's signature, its author and their trade (« Name Surname, commissaire-priseur »)
SIGNED = re.compile(r"^[A-ZÀ-Ý][a-zà-ÿ'’-]+(?: [A-ZÀ-Ý][\w'’-]+){1,2}, [a-zà-ÿ][\w'’-]*(?: [\w'’-]+){0,3}$")
SIGNED_ABOVE_MIN_WORDS = 12


def _open_next(lines: list[Line], ln: Line, step: int) -> Line | None:
    at = next((i for i, x in enumerate(lines) if x is ln), None)
    if at is None:
        return None
    rest = lines[at + 1 :] if step > 0 else lines[:at][::-1]
    return next((x for x in rest if x.open and x.text), None)


def text_at_foot(lines: list[Line], ln: Line) -> bool:
    """Whether ``ln``, a short line of the page's foot (``lines``, which starts under the text's last paragraph), is
    the text's all the same (heldout27): an interview's question (« … ? ») that the next open line answers with a
    statement, or that answer; or the article's signature (:data:`SIGNED`) first in ``lines`` or right under an open
    line of :data:`SIGNED_ABOVE_MIN_WORDS` words or more ending a statement."""
    t = ln.current
    above, below = _open_next(lines, ln, -1), _open_next(lines, ln, 1)
    if t.endswith("?"):
        return below is not None and bool(STATEMENT_END.search(below.current))
    if above is not None and above.current.endswith("?") and STATEMENT_END.search(t):
        return True
    if SIGNED.match(t):
        return above is None or (
            len(above.current.split()) >= SIGNED_ABOVE_MIN_WORDS and bool(STATEMENT_END.search(above.current))
        )
    return False
