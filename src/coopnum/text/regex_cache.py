"""A disk cache of compiled regular expressions, for the one that makes loading spaCy's French rules slow.

``spacy.lang.fr`` compiles, when imported, one ``(?iu)`` pattern of some 300 alternatives over large
character classes (its ``TOKEN_MATCH``); CPython 3.11 takes 7–9 s to compile it, in every process that
tokenises: most of a small build's fixed cost. The compiled program CPython makes for a pattern is a list
of integers that depends only on the pattern, its flags and the interpreter, so it is kept in a file keyed
by all three (and spaCy's version); a later process hands the file's program to ``_sre.compile`` and puts the
result in :mod:`re`'s own cache, where the ``re.compile`` in spaCy's module finds it. The regular
expression is the same object CPython would have built (``tests/text/test_regex_cache.py`` compares the
programs); a missing, unreadable or foreign file only means compiling it as usual. It relies on CPython's
private ``_sre.compile(pattern, flags, code, groups, groupindex, indexgroup)`` and ``re._cache`` (3.11 to
3.13), and is skipped anywhere else.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_sre: Any
try:
    _sre = importlib.import_module("_sre")  # CPython's regular expression engine (no stubs: private)
except ImportError:  # not CPython
    _sre = None

SUPPORTED = sys.implementation.name == "cpython" and (3, 11) <= sys.version_info[:2] <= (3, 13)


def cache_dir() -> Path:
    """``$COOPNUM_CACHE_DIR``, else ``$XDG_CACHE_HOME/coopnum`` (``~/.cache/coopnum``)."""
    if os.environ.get("COOPNUM_CACHE_DIR"):
        return Path(os.environ["COOPNUM_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "coopnum"


def cache_file(name: str, *versions: str) -> Path:
    """The file of ``name``'s programs for this interpreter (and the given library versions)."""
    magic = str(getattr(_sre, "MAGIC", ""))
    key = hashlib.sha256("\0".join([sys.version, magic, *versions]).encode()).hexdigest()[:16]
    return cache_dir() / f"regex-{name}-{key}.json"


def seed(path: Path) -> list[re.Pattern[str]]:
    """Put the programs of ``path`` into :mod:`re`'s cache; the patterns seeded (none when the file is
    missing, unreadable, or not one this interpreter accepts)."""
    if not SUPPORTED or not isinstance(getattr(re, "_cache", None), dict):
        return []
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
        seeded = []
        for e in entries:
            compiled = _sre.compile(
                e["pattern"], e["final_flags"], e["code"], e["groups"], e["groupindex"], tuple(e["indexgroup"])
            )
            re._cache[str, e["pattern"], e["flags"]] = compiled  # type: ignore[attr-defined]
            seeded.append(compiled)
        return seeded
    except (OSError, ValueError, TypeError, KeyError, RuntimeError):  # RuntimeError: sre rejects the program
        return []


class _Recorder:
    """Stands in for ``_sre`` inside ``re._compiler`` and keeps the arguments of every ``compile``."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def compile(self, *args: Any) -> Any:
        self.calls.append(args)
        return _sre.compile(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(_sre, name)


@contextmanager
def recording() -> Iterator[Callable[[re.Pattern[str], int, Path], bool]]:
    """Record the programs compiled inside the block; the function it gives writes one pattern's program
    (``flags`` as given to ``re.compile``) to a file, atomically, and says whether it did."""
    compiler = getattr(re, "_compiler", None)
    recorder = _Recorder()
    installed = SUPPORTED and compiler is not None and getattr(compiler, "_sre", None) is _sre
    if installed:
        compiler._sre = recorder  # type: ignore[union-attr]
    saved = False

    def save(pattern: re.Pattern[str], flags: int, path: Path) -> bool:
        nonlocal saved
        calls = [c for c in recorder.calls if c[0] == pattern.pattern and c[1] == pattern.flags]
        if not calls or saved:
            return False
        text, final_flags, code, groups, groupindex, indexgroup = calls[-1]
        entry = {"pattern": text, "flags": flags, "final_flags": final_flags, "code": list(code), "groups": groups}
        entry |= {"groupindex": dict(groupindex), "indexgroup": list(indexgroup)}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as tmp:
                try:
                    json.dump([entry], tmp)
                except BaseException:
                    os.unlink(tmp.name)
                    raise
            os.replace(tmp.name, path)  # whole or not at all: readers never see half a file
        except OSError:
            return False
        saved = True
        return True

    try:
        yield save
    finally:
        if installed:
            compiler._sre = _sre  # type: ignore[union-attr]


def flags_given(pattern: re.Pattern[str]) -> int | None:
    """The flags ``re.compile`` was called with for ``pattern`` (its key in :mod:`re`'s cache), if it is there."""
    cache = getattr(re, "_cache", None)
    if not isinstance(cache, dict):
        return None
    return next((key[2] for key, value in cache.items() if value is pattern), None)
