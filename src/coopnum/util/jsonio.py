"""One reader for the text and JSON files people edit, with one error policy.

Every problem becomes one :class:`~coopnum.errors.CoopnumError` (of the class the caller
passes, so a sources file fails as a corpus error and a prediction file as an evaluation
error) naming the file, and the line for JSON Lines:

* bytes: a UTF-8 byte-order mark, UTF-16 or UTF-32 (with or without a byte-order mark),
  NUL bytes (the padding of a half-written file) and anything that is not UTF-8 are refused;
* JSON: a key twice in one object (``json`` would keep the last one silently), ``NaN`` and
  ``Infinity`` (and numbers so large they overflow to infinity), integers too long for
  Python's parser and nesting too deep for it are refused rather than raised as
  ``ValueError`` or ``RecursionError``;
* JSON Lines are split on ``\\n`` only: U+2028 and U+2029 are valid inside a JSON string,
  and ``str.splitlines`` would cut a record in two at them.
"""

from __future__ import annotations

import json
import math
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from coopnum.errors import CoopnumError

ErrorClass = type[CoopnumError]
UTF8_BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
MAX_INT_DIGITS = 1000  # far above any offset or count these files hold; far below int()'s own limit


class _Refused(ValueError):
    """Raised inside the JSON parser's hooks; carries the field it is about."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _looks_like_utf16(data: bytes) -> bool:
    """Mostly-Latin text in UTF-16 has a NUL in every other byte, all at odd or all at even offsets."""
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return len(sample) >= 2 and max(even, odd) >= len(sample) // 4 and min(even, odd) * 8 <= max(even, odd)


def decode(data: bytes, error: ErrorClass, what: str, **where: str | None) -> str:
    """``data`` as strict UTF-8 text; ``what`` names the file in the message ("raw file", ...)."""
    if data.startswith(UTF8_BOM):
        raise error(f"{what} starts with a UTF-8 byte-order mark; save it as UTF-8 without one", **where)
    for mark, encoding in _OTHER_BOMS:
        if data.startswith(mark):
            raise error(f"{what} is {encoding} (byte-order mark {mark.hex(' ')}); save it as UTF-8", **where)
    nul = data.find(b"\0")
    if nul >= 0:
        if _looks_like_utf16(data):
            raise error(
                f"{what} looks like UTF-16 without a byte-order mark (NUL bytes between letters); save it as UTF-8",
                **where,
            )
        raise error(
            f"{what} holds a NUL byte at byte {nul} (line {_line_of(data, nul)}): a half-written or binary file",
            **where,
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise error(
            f"{what} is not valid UTF-8: byte {e.start} (0x{data[e.start]:02x}) on line {_line_of(data, e.start)}, "
            f"{e.reason}; save it as UTF-8",
            **where,
        ) from None


def read_bytes(path: Path, error: ErrorClass, what: str, **where: str | None) -> bytes:
    """The bytes of a regular file (a FIFO or a folder would block or fail half-way); OS errors name the path."""
    where.setdefault("file", str(path))
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise error(f"{what} is not a regular file", **where)
        return path.read_bytes()
    except FileNotFoundError:
        raise error(f"{what} not found", **where) from None
    except OSError as e:
        raise error(f"cannot read {what}: {e.strerror or e}", **where) from None


def read_text(path: Path, error: ErrorClass, what: str, **where: str | None) -> str:
    where.setdefault("file", str(path))
    return decode(read_bytes(path, error, what, **where), error, what, **where)


# ------------------------------------------------------------------ JSON


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(f"key {key!r} appears twice in one object (JSON would keep only the last)", key)
        out[key] = value
    return out


def _constant(name: str) -> float:
    raise _Refused(f"{name} is not a JSON number")


def _int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise _Refused(f"an integer of {len(digits.lstrip('-'))} digits is too large")
    return int(digits)


def _float(digits: str) -> float:
    value = float(digits)
    if not math.isfinite(value):
        raise _Refused(f"number {digits[:40]} is too large (it would be infinity)")
    return value


def loads(text: str, error: ErrorClass, **where: str | None) -> Any:
    """Parse one JSON value under the policy of this module; ``where`` names the file (and line)."""
    try:
        return json.loads(text, object_pairs_hook=_object, parse_constant=_constant, parse_int=_int, parse_float=_float)
    except json.JSONDecodeError as e:
        at = f"line {e.lineno} column {e.colno}" if "\n" in text else f"column {e.colno}"
        raise error(f"invalid JSON: {e.msg} at {at}", **where) from None
    except _Refused as e:
        if e.field is not None and where.get("field") is None:
            where = {**where, "field": e.field}
        raise error(f"invalid JSON: {e}", **where) from None
    except RecursionError:
        raise error("invalid JSON: arrays or objects nested too deeply to read", **where) from None
    except ValueError as e:  # what Python's own parsers refuse beyond the hooks above
        raise error(f"invalid JSON: {e}", **where) from None


def read_json(path: Path, error: ErrorClass, what: str) -> Any:
    """The one JSON value in ``path``."""
    return loads(read_text(path, error, what), error, file=str(path))


def json_lines(text: str, error: ErrorClass, file: str) -> Iterator[tuple[str, Any]]:
    """``(file:line, value)`` for each non-blank line of JSON Lines ``text``, split on ``\\n`` only."""
    for n, line in enumerate(text.split("\n"), start=1):
        if line.strip(" \t\r"):  # JSON's own whitespace; U+2028 alone on a line is not blank
            where = f"{file}:{n}"
            yield where, loads(line, error, file=where)


def read_json_lines(path: Path, error: ErrorClass, what: str) -> list[tuple[str, Any]]:
    """Every ``(path:line, value)`` of a JSON Lines file (read and parsed whole, so a bad line fails first)."""
    return list(json_lines(read_text(path, error, what), error, str(path)))
