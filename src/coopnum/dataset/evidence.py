"""The recurring-line evidence and the cache: what a document's cleaning consulted, and the corpus pass, cached.

The cleaner consults the corpus's :class:`~coopnum.corpus.recurring.LineEvidence` line by line, so
a document's results depend on part of it that no key made up front can name. An
:class:`EvidenceRecorder` hands the cleaner the same evidence with every table wrapped: each lookup
is logged with its answer (a scalar field read is logged too; a whole table read makes the result
uncacheable). A cache entry keeps that log, and is reused only when the current evidence gives
every logged lookup the same answer (:func:`evidence_holds`); when the whole evidence is the one
the entry was made with (:func:`evidence_digest`), that holds without checking lookups one by one.

:func:`cached_evidence` is :func:`~coopnum.corpus.recurring.of_corpus` with each chunk of raw
files' line hashes cached, so a rebuild reads only the raw files that changed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from coopnum.corpus import recurring
from coopnum.corpus import sources as corpus
from coopnum.dataset.cache import DocumentKeys, EntryStore, digest, dumps, load_value
from coopnum.util.digests import FileTable
from coopnum.util.executor import default_processes, parallel_map

SOURCES = "corpus/sources.jsonl"

Lookup = tuple[int, int, int | None]  # (field of the evidence, key looked up, answer or None)
UNCACHEABLE: Lookup = (-1, 0, None)  # in a chunk's lookups: a document whose cleaning read a whole table


def _scalar(value: object) -> int:
    """A scalar field's value as a lookup answer (its key is 0)."""
    return int(digest(repr(value))[:15], 16)


def _answers(evidence: recurring.LineEvidence) -> list[Mapping[int, Any]]:
    """Each field of the evidence as a table: its own for a mapping, ``{0: value}`` for a scalar."""
    out: list[Mapping[int, Any]] = []
    for f in dataclasses.fields(evidence):
        value = getattr(evidence, f.name)
        out.append(value if isinstance(value, Mapping) else {0: _scalar(value)})
    return out


class _Recorded(Mapping[int, int]):
    """A table of the evidence that logs every key looked up in it, with the answer."""

    def __init__(self, table: Mapping[int, int], index: int, log: list[Lookup]) -> None:
        self.table, self.index, self.log = table, index, log
        self.whole = False

    def __getitem__(self, key: int) -> int:
        value = self.table.get(key)
        self.log.append((self.index, key, value))
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[int]:
        self.whole = True  # the cleaning read the whole table: its result depends on all of it
        return iter(self.table)

    def __len__(self) -> int:
        self.whole = True
        return len(self.table)


_RECORDING_CLASSES: dict[type, type] = {}


def _recording_class(cls: type) -> type:
    """A subclass of the evidence's class whose scalar fields log their reads (made once)."""
    if cls in _RECORDING_CLASSES:
        return _RECORDING_CLASSES[cls]
    index = {f.name: i for i, f in enumerate(dataclasses.fields(cls))}

    def __getattribute__(self: Any, name: str) -> Any:
        value = object.__getattribute__(self, name)
        if name in index and not isinstance(value, Mapping):
            object.__getattribute__(self, "_log").append((index[name], 0, _scalar(value)))
        return value

    made = _RECORDING_CLASSES[cls] = type(f"Recording{cls.__name__}", (cls,), {"__getattribute__": __getattribute__})
    return made


class EvidenceRecorder:
    """The corpus's evidence as the cleaner of one document sees it, with every lookup kept."""

    def __init__(self, evidence: recurring.LineEvidence) -> None:
        self.log: list[Lookup] = []
        self.tables: list[_Recorded] = []
        values: dict[str, Any] = {}
        for i, f in enumerate(dataclasses.fields(evidence)):
            value = getattr(evidence, f.name)
            if isinstance(value, Mapping):
                value = _Recorded(value, i, self.log)
                self.tables.append(value)
            values[f.name] = value
        self.evidence: recurring.LineEvidence = _recording_class(type(evidence))(**values)
        object.__setattr__(self.evidence, "_log", self.log)  # frozen: set past its __setattr__

    def lookups(self) -> tuple[Lookup, ...] | None:
        """Every lookup and its answer, or None when the cleaning read a whole table (uncacheable)."""
        return None if any(t.whole for t in self.tables) else tuple(self.log)


def evidence_digest(evidence: recurring.LineEvidence) -> str:
    """One hash of the whole evidence: when it is the one an entry was made with, every lookup
    gives the answer it gave then, and checking them one by one can be skipped."""
    parts = []
    for table in _answers(evidence):
        items = sorted(table.items())
        try:
            parts.append(np.array(items, dtype=np.uint64).tobytes())
        except (TypeError, ValueError, OverflowError):
            parts.append(repr(items).encode("utf-8"))
    return digest(*parts)


def evidence_holds(
    lookups: tuple[Lookup, ...] | None, made_with: str, evidence: recurring.LineEvidence, now: str
) -> bool:
    """Whether ``evidence`` (whose :func:`evidence_digest` is ``now``) gives every recorded lookup
    the answer it gave when the entry was made (with the evidence ``made_with``)."""
    if lookups is None or UNCACHEABLE in lookups:
        return False
    if made_with == now:
        return True
    tables = _answers(evidence)
    return all(0 <= index < len(tables) and tables[index].get(key) == value for index, key, value in lookups)


@dataclass(frozen=True)
class _LinesStep:
    """The line hashes of a chunk of raw files (:func:`recurring.document_hashes`), cached per chunk."""

    root: Path
    store: EntryStore
    keys: DocumentKeys
    known: dict[str, str | None] = dataclasses.field(default_factory=dict)  # first doc id -> chunk key

    def chunk_key(self, sources: Sequence[corpus.Source]) -> str | None:
        # worked out once per chunk (before the workers fork): each costs a lookup of every raw file's hash
        first = sources[0].doc_id if sources else ""
        if first in self.known:
            return self.known[first]
        keys = [self.keys.lines_of(s, recurring.outlet_of(s)) for s in sources]
        key = None if None in keys else digest("lines chunk", *(k or "" for k in keys))
        self.known[first] = key
        return key

    def __call__(self, sources: Sequence[corpus.Source]) -> list[tuple[np.ndarray, np.ndarray]]:
        key = self.chunk_key(sources)
        body = self.store.get(key) if key is not None else None
        if body is not None:
            lengths = np.frombuffer(body[: 8 * len(sources)], dtype="<u8")
            if int(lengths.sum()) * 16 == len(body) - 8 * len(sources):
                return _unpack_lines(body[8 * len(sources) :], lengths)
        out = [
            recurring.document_hashes(recurring.outlet_of(s), corpus.read_raw(self.root / "corpus", s).text)
            for s in sources
        ]
        if key is not None:
            lengths = np.array([len(g) for g, _ in out], dtype="<u8")
            arrays = [a.astype("<u8").tobytes() for pair in out for a in pair]
            self.store.put(key, lengths.tobytes() + b"".join(arrays))
        return out


def _unpack_lines(data: bytes, lengths: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    values = np.frombuffer(data, dtype="<u8")
    out, at = [], 0
    for n in lengths.tolist():
        out.append((values[at : at + n], values[at + n : at + 2 * n]))
        at += 2 * n
    return out


def cached_evidence(
    root: Path, sources: Sequence[corpus.Source], store: EntryStore, keys: DocumentKeys, processes: int | None = None
) -> tuple[recurring.LineEvidence, str]:
    """(:func:`recurring.of_corpus` with each chunk of raw files' line hashes cached, its :func:`evidence_digest`):
    the same evidence (its counts are over the hashes, in any order), reading only the raw files that changed;
    the pair is cached whole under a digest of every chunk's key (the raw files' hashes and records, the code),
    so when no raw file changed, neither the line hashes nor the corpus's tables are read or made again."""
    ordered = sorted(sources, key=lambda s: s.doc_id)
    size = recurring.CHUNK_DOCUMENTS
    chunks = [ordered[i : i + size] for i in range(0, len(ordered), size)]
    step = _LinesStep(root, store, keys)
    whole = _whole_key(keys, chunks, step)
    found = load_value(store.get(whole)) if whole is not None else None
    if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], recurring.LineEvidence):
        return found[0], str(found[1])
    if all((key := step.chunk_key(c)) is not None and store.has(key) for c in chunks):
        processes = 1  # every chunk cached: reading them here costs less than starting workers
    evidence = recurring.evidence_of_chunks(parallel_map(step, chunks, processes or default_processes()))
    made = evidence, evidence_digest(evidence)
    if whole is not None:
        store.put(whole, dumps(made))
    return made


def _whole_key(keys: DocumentKeys, chunks: Sequence[Sequence[corpus.Source]], step: _LinesStep) -> str | None:
    """The key of the whole evidence: the code, ``sources.jsonl`` (every record) and every raw file's row in
    the input snapshot (:meth:`~coopnum.util.digests.FileTable.prefix_digest`, no work per file), or, with no
    snapshot (validation's hashes, a dict), a digest of every chunk's key; None when a raw file has no hash."""
    table = getattr(keys.input_hashes, "table", None)
    records = keys.input_hashes.get(SOURCES)
    if isinstance(table, FileTable) and records is not None:
        return digest("evidence", keys.context, records, table.prefix_digest("corpus/raw/"))
    chunk_keys = [step.chunk_key(c) for c in chunks]
    return None if None in chunk_keys else digest("evidence", keys.context, *(k or "" for k in chunk_keys))
