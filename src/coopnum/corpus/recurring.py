"""Corpus-level evidence for the line rules: lines that recur across the documents of one outlet.

A line that several documents of one outlet hold word for word is that outlet's page furniture
(a masthead, a tagline, a standard "about" paragraph, a form field), as the line filters of C4
and Gopher assume. So before any document is cleaned, one pass over the corpus
(:func:`of_corpus`) counts, for every line, the documents of each outlet that hold it and the
outlets of the corpus that hold it; only lines reaching a threshold are kept (a few hashes and
counts). :func:`~coopnum.corpus.clean.clean_document` then gets the counts of its document's
outlet (:meth:`LineEvidence.view`) and removes, among the lines no other line rule removed
(:func:`remove_recurring`):

* a line held by at least :data:`OUTLET_MIN_DOCUMENTS` documents of the document's outlet;
* a line that is not prose and is held by documents of at least :data:`CORPUS_MIN_OUTLETS`
  outlets (prose shared across outlets is syndicated text, a wire dispatch printed by several
  papers, not furniture);

never a line of a document whose prose all recurs (a duplicate article: its lines recur because
the article does, not because they are furniture).
The rule is ``recurring_line``; the audit record gives the count (``LineDecision.recurrence``).

Thresholds, from the fixtures (23 scrapes from 23 outlets, ``tests/fixtures/cleaning``): 28
lines recur in two or more of them and 9 in three or more, all page furniture ("Publicité" in 5,
"Partager" in 4, "Les plus lus" in 4, …) and none a body line. Three, not two: one repeated
slogan between two articles is weak evidence, and three documents of one outlet is the smallest
corpus where a line shared by "most" of them differs from one shared by a pair.

The outlet of a document is its sources record's ``outlet`` (stated in the text), else the host
of its ``url``; a document with neither is an outlet of its own. A line's key is its text with
Unicode NFC, case folded, every digit as ``0`` (so "© 2024 …" and "© 2025 …", "Vu 1 384 fois"
and "Vu 52 fois" are one line) and runs of white space as one space; keys are 64-bit BLAKE2b
hashes, so the evidence is the same whatever the process, machine or order of documents.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from coopnum.corpus import sources as corpus
from coopnum.corpus.features import is_prose
from coopnum.corpus.lines import Line, split_lines
from coopnum.util.executor import default_processes, parallel_map

OUTLET_MIN_DOCUMENTS = 3
CORPUS_MIN_OUTLETS = 3
CHUNK_DOCUMENTS = 64
RULE = "recurring_line"

_DIGIT = re.compile(r"\d")


def line_key(raw_line: str) -> str:
    """The form in which two lines count as the same line (empty for a blank line)."""
    return _DIGIT.sub("0", " ".join(unicodedata.normalize("NFC", raw_line).casefold().split()))


def _hash(*parts: str) -> int:
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8, person=b"coopnum-line").digest()
    return int.from_bytes(digest, "little")


def outlet_of(source: corpus.Source) -> str:
    """The group whose documents share furniture: the stated outlet, else the URL's host, else the document."""
    if source.outlet:
        return "outlet:" + " ".join(source.outlet.casefold().split())
    host = urlsplit(source.url).hostname if source.url else None
    return "host:" + host.removeprefix("www.") if host else "document:" + source.doc_id


@dataclass(frozen=True)
class RecurringLines:
    """The evidence one document is cleaned with: the counts of its outlet, and of the corpus."""

    outlet: str
    outlet_documents: Mapping[int, int]  # hash(outlet, key) -> documents of the outlet (≥ threshold)
    corpus_outlets: Mapping[int, int]  # hash(key) -> outlets of the corpus (≥ threshold)

    def count(self, raw_line: str, prose: bool) -> int:
        """The documents of the outlet holding the line, or the outlets holding it; 0 below the thresholds."""
        key = line_key(raw_line)
        if not key:
            return 0
        n = self.outlet_documents.get(_hash(self.outlet, key), 0)
        return n or (0 if prose else self.corpus_outlets.get(_hash(key), 0))


@dataclass(frozen=True)
class LineEvidence:
    """Recurring lines of a corpus (only those at or over a threshold are kept)."""

    outlet_documents: Mapping[int, int] = field(default_factory=dict)
    corpus_outlets: Mapping[int, int] = field(default_factory=dict)
    documents: int = 0

    def view(self, source: corpus.Source) -> RecurringLines:
        return RecurringLines(outlet_of(source), self.outlet_documents, self.corpus_outlets)

    def __len__(self) -> int:
        return len(self.outlet_documents) + len(self.corpus_outlets)


def document_hashes(group: str, raw: str) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct line of one document: (hash(group, key), hash(key)), as two uint64 arrays."""
    keys = sorted({line_key(raw[s:e]) for s, e, _, _ in split_lines(raw)} - {""})
    grouped = np.fromiter((_hash(group, k) for k in keys), dtype=np.uint64, count=len(keys))
    plain = np.fromiter((_hash(k) for k in keys), dtype=np.uint64, count=len(keys))
    return grouped, plain


def _over(values: np.ndarray, minimum: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values held at least ``minimum`` times, sorted, and how many times."""
    uniq, counts = np.unique(values, return_counts=True)
    keep = counts >= minimum
    return uniq[keep], counts[keep]


def _table(parts: list[tuple[np.ndarray, np.ndarray]]) -> dict[int, int]:
    """The (values, counts) of every bucket as one dict, in the order of the values (what one
    :func:`numpy.unique` over the whole corpus gave)."""
    if not parts:
        return {}
    values = np.concatenate([v for v, _ in parts])
    counts = np.concatenate([c for _, c in parts])
    order = np.argsort(values, kind="stable")
    return dict(zip(values[order].tolist(), counts[order].tolist(), strict=True))


class LineCounter:
    """The counts behind :class:`LineEvidence`, fed a few documents' :func:`document_hashes` at a time.

    Holding every line's two hashes until the end, then sorting them all at once, was the corpus
    pass's high-water (the arrays, their concatenation and :func:`numpy.unique`'s sort of it). Here
    each (outlet, line) hash goes with its line hash into one of :data:`BUCKETS` buckets chosen by
    the line hash, so every occurrence of a line, whatever its outlet, is in one bucket, and the
    buckets are counted one at a time: the same counts (a line's outlets are its distinct (outlet,
    line) hashes). With a ``folder`` the buckets are files there, so memory holds one bucket."""

    BUCKETS = 16
    SHIFT = np.uint64(64 - 4)  # the line hash's top four bits name its bucket

    def __init__(self, folder: Path | None = None) -> None:
        self.documents = 0
        self.folder = folder
        self._memory: list[list[np.ndarray]] = [[] for _ in range(self.BUCKETS)]

    def add(self, hashes: Iterable[tuple[np.ndarray, np.ndarray]]) -> None:
        """Some documents' :func:`document_hashes`."""
        pairs = []
        for grouped, plain in hashes:
            self.documents += 1
            if len(grouped):
                pairs.append(np.stack([grouped, plain], axis=1))
        if not pairs:
            return
        rows = np.concatenate(pairs).astype(np.uint64, copy=False)
        bucket = rows[:, 1] >> self.SHIFT
        for b in np.unique(bucket).tolist():
            chosen = np.ascontiguousarray(rows[bucket == b])
            if self.folder is None:
                self._memory[b].append(chosen)
            else:
                with (self.folder / f"lines-{b:02d}.u64").open("ab") as f:
                    chosen.tofile(f)

    def _bucket(self, b: int) -> np.ndarray:
        if self.folder is None:
            parts, self._memory[b] = self._memory[b], []
            return np.concatenate(parts) if parts else np.empty((0, 2), dtype=np.uint64)
        path = self.folder / f"lines-{b:02d}.u64"
        if not path.is_file():
            return np.empty((0, 2), dtype=np.uint64)
        return np.fromfile(path, dtype=np.uint64).reshape(-1, 2)

    def evidence(self) -> LineEvidence:
        """The evidence of every document added (the counter is spent: its buckets are read once)."""
        outlet_parts, corpus_parts = [], []
        for b in range(self.BUCKETS):
            rows = self._bucket(b)
            if not len(rows):
                continue
            outlet_parts.append(_over(rows[:, 0], OUTLET_MIN_DOCUMENTS))
            # a line's outlets: the distinct (outlet, line) pairs, counted per line
            _, first = np.unique(rows[:, 0], return_index=True)
            corpus_parts.append(_over(rows[first, 1], CORPUS_MIN_OUTLETS))
        if not self.documents:
            return LineEvidence()
        return LineEvidence(_table(outlet_parts), _table(corpus_parts), self.documents)


def evidence_of(hashes: Iterable[tuple[np.ndarray, np.ndarray]]) -> LineEvidence:
    """The evidence from every document's :func:`document_hashes` (in any order: counts only)."""
    counter = LineCounter()
    counter.add(hashes)
    return counter.evidence()


def evidence_of_chunks(chunks: Iterable[Iterable[tuple[np.ndarray, np.ndarray]]]) -> LineEvidence:
    """:func:`evidence_of` for documents' hashes that come a chunk at a time (a corpus pass): each chunk
    goes to a :class:`LineCounter`'s files in a temporary folder as it comes, so they are never all held."""
    with tempfile.TemporaryDirectory(prefix="coopnum-lines-") as folder:
        counter = LineCounter(Path(folder))
        for chunk in chunks:
            counter.add(chunk)
        return counter.evidence()


def texts_evidence(documents: Sequence[tuple[str, str]]) -> LineEvidence:
    """The evidence of documents given as (outlet group, raw text) — for tools and tests."""
    return evidence_of([document_hashes(group, raw) for group, raw in documents])


@dataclass(frozen=True)
class _HashStep:
    corpus_dir: Path

    def __call__(self, sources: Sequence[corpus.Source]) -> list[tuple[np.ndarray, np.ndarray]]:
        return [document_hashes(outlet_of(s), corpus.read_raw(self.corpus_dir, s).text) for s in sources]


def of_corpus(corpus_dir: Path, sources: Sequence[corpus.Source], processes: int | None = None) -> LineEvidence:
    """The corpus pass: every raw file read once (over worker processes), its lines hashed; no
    text is held, and the hashes go to a :class:`LineCounter`'s files a chunk at a time, so not
    even they are all held before they are counted. A raw file that cannot be read raises its
    clear error (the same the clean step gives)."""
    return evidence_of_chunks(_hashed_chunks(corpus_dir, sources, processes))


def _hashed_chunks(
    corpus_dir: Path, sources: Sequence[corpus.Source], processes: int | None
) -> Iterator[list[tuple[np.ndarray, np.ndarray]]]:
    ordered = sorted(sources, key=lambda s: s.doc_id)
    chunks = [ordered[i : i + CHUNK_DOCUMENTS] for i in range(0, len(ordered), CHUNK_DOCUMENTS)]
    yield from parallel_map(_HashStep(corpus_dir), chunks, processes or default_processes())


def hashes_of(
    corpus_dir: Path, sources: Sequence[corpus.Source], processes: int | None = None
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Every document's :func:`document_hashes`, in id order (the corpus pass without the counting,
    for a caller that adds documents to it: ``coopnum add``)."""
    hashes: list[tuple[np.ndarray, np.ndarray]] = []
    for result in _hashed_chunks(corpus_dir, sources, processes):
        hashes += result
    return hashes


def remove_recurring(lines: list[Line], raw: str, recurring: RecurringLines) -> None:
    """Remove the open lines the evidence marks (see the module docstring), recording the count."""
    found: list[tuple[Line, int]] = []
    for ln in lines:
        if ln.open and ln.text:
            n = recurring.count(raw[ln.raw_start : ln.raw_end], is_prose(ln.current))
            if n:
                found.append((ln, n))
    marked = {id(ln) for ln, _ in found}
    prose = [ln for ln in lines if ln.open and is_prose(ln.current)]
    if prose and all(id(ln) in marked for ln in prose):
        # a duplicate article (the corpus holds copies of it): its lines recur because the article
        # does, which says nothing of what is furniture in it; the other line rules still apply
        return
    for ln, n in found:
        ln.decide("removed", RULE)
        ln.recurrence = n
