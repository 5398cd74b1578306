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
import unicodedata
from collections.abc import Mapping, Sequence
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


def _over(values: np.ndarray, minimum: int) -> dict[int, int]:
    uniq, counts = np.unique(values, return_counts=True)
    keep = counts >= minimum
    return {int(k): int(n) for k, n in zip(uniq[keep], counts[keep], strict=True)}


def evidence_of(hashes: Sequence[tuple[np.ndarray, np.ndarray]]) -> LineEvidence:
    """The evidence from every document's :func:`document_hashes` (in any order: counts only)."""
    if not hashes:
        return LineEvidence()
    grouped = np.concatenate([g for g, _ in hashes])
    plain = np.concatenate([p for _, p in hashes])
    # a line's outlets: the distinct (outlet, line) pairs, counted per line
    _, first = np.unique(grouped, return_index=True)
    return LineEvidence(_over(grouped, OUTLET_MIN_DOCUMENTS), _over(plain[first], CORPUS_MIN_OUTLETS), len(hashes))


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
    text is held, only two 64-bit hashes per distinct line of a document until they are counted.
    A raw file that cannot be read raises its clear error (the same the clean step gives)."""
    return evidence_of(hashes_of(corpus_dir, sources, processes))


def hashes_of(
    corpus_dir: Path, sources: Sequence[corpus.Source], processes: int | None = None
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Every document's :func:`document_hashes`, in id order (the corpus pass without the counting,
    for a caller that adds documents to it: ``coopnum add``)."""
    ordered = sorted(sources, key=lambda s: s.doc_id)
    chunks = [ordered[i : i + CHUNK_DOCUMENTS] for i in range(0, len(ordered), CHUNK_DOCUMENTS)]
    hashes: list[tuple[np.ndarray, np.ndarray]] = []
    for result in parallel_map(_HashStep(corpus_dir), chunks, processes or default_processes()):
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
