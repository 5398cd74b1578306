"""The corpus, streamed: chunks of documents through :class:`~coopnum.dataset.pipeline.ChunkStep`.

Documents are taken in id order, in fixed-size chunks; an executor (:mod:`coopnum.util.executor`)
runs each chunk, and the main process merges what the chunks return, in order: tables go to one
Parquet writer per config and split, counts add up (card figures, agreement, surface forms),
findings are collected. Nothing holds the corpus's texts or rows: memory is a few chunks per
worker, a few buffered row groups, and a small per-document index (ids, source records, folds) in
the main process, which is what still grows with the corpus. The corpus-level variation check
needs every surface form of the gold before it can look at a document, so it is a second pass over
a spill file (id, text, paragraphs, gold spans) that the first pass writes. The output does not
depend on the number of processes: chunks are the same, and their results are merged in order.
With a cache (:mod:`coopnum.dataset.cache`), a chunk, a document or a variation batch whose inputs
did not change is read back instead of computed; the merge is the same, and so are the bytes. A
chunk whose entry serves is read by the main process itself; only the others go to the executor.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import tempfile
import time
from collections import Counter
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

import pyarrow as pa

from coopnum.corpus import sources as corpus
from coopnum.dataset import cache, registry, shard_cache
from coopnum.dataset.parquet import ParquetSink
from coopnum.dataset.pipeline import (
    CHUNK_DOCUMENTS,
    SPILL_SCHEMA,
    ChunkResult,
    ChunkStep,
    Setup,
    VariationStep,
    error_of,
)
from coopnum.errors import CoopnumError
from coopnum.quality import agreement, checks, variation
from coopnum.quality.findings import ERROR, Finding, from_error
from coopnum.util.executor import Mapper, default_processes, parallel_map
from coopnum.util.progress import Counter as ProgressCounter
from coopnum.util.progress import Progress, silent


@dataclass
class CorpusResult:
    """What a streamed run gives: rows written (build), card figures, agreement, findings."""

    findings: list[Finding]
    tally: Counter[tuple[str, ...]]
    agreement: agreement.Report | None
    rows: dict[str, dict[str, int]]
    gold_digests: dict[str, tuple[int, str]]
    stance_rows: int
    annotated_documents: int
    documents: int
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per pass (for benchmarks only)
    parquet_sha256: dict[str, str] = field(default_factory=dict)  # files whose sha256 is known (cached shards)
    encoded: tuple[str, ...] = ()  # the files the sink encoded (the others were copied from the cache)


@dataclass
class _Merged:
    """The running sums of the chunks' results, in document order."""

    findings: list[Finding]
    tally: Counter[tuple[str, ...]] = field(default_factory=Counter)
    agreement: agreement.Accumulator = field(default_factory=agreement.Accumulator)
    gold_surfaces: Counter[tuple[str, str]] = field(default_factory=Counter)
    pass_surfaces: Counter[tuple[str, str]] = field(default_factory=Counter)
    digests: dict[str, tuple[int, str]] = field(default_factory=dict)
    stance_rows: int = 0
    annotated: int = 0

    def add(self, r: ChunkResult) -> None:
        self.findings += r.findings
        self.tally.update(r.tally)
        self.agreement.merge(r.agreement)
        self.gold_surfaces.update(r.gold_surfaces)
        self.pass_surfaces.update(r.pass_surfaces)
        self.digests.update(r.gold_digests)
        self.stance_rows += r.stance_rows
        self.annotated += r.annotated_documents


class _Spill:
    """The gold documents of the first pass, one Arrow record batch per chunk, for the second."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.writer: pa.ipc.RecordBatchFileWriter | None = None
        self.batches = 0
        self.digests: list[str] = []  # each batch's sha256, with a cache ("" without)

    def add(self, batch: pa.RecordBatch | None, digest: str = "") -> None:
        if batch is None:
            return
        self.digests.append(digest)
        if self.writer is None:
            options = pa.ipc.IpcWriteOptions(compression="lz4")
            self.writer = pa.ipc.new_file(str(self.path), SPILL_SCHEMA, options=options)
        self.writer.write_batch(batch)
        self.batches += 1

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def _first_pass(
    setup: Setup,
    chunks: _Chunks,
    sink: ParquetSink | None,
    spill: _Spill,
    mapper: Mapper,
    processes: int,
    served: Sequence[Served],
    progress: Progress = silent,
) -> _Merged | CoopnumError:
    """Every chunk through the per-document step. The build stops on the first error finding (in
    document order); a corpus problem ends the pass for validation too."""
    merged = _Merged(list(setup.setup_findings))
    done = ProgressCounter(progress, "documents", chunks.documents)
    # Merging unpickled results makes many objects that reference counting frees; the cyclic
    # collector would scan the whole set-up (sources, keys, evidence) again and again meanwhile.
    enabled = gc.isenabled()
    gc.disable()
    results = _results(setup, chunks, sink, mapper, processes, served)
    try:
        for chunk, result in zip(chunks, results, strict=False):
            if result.error is not None:
                return result.error
            merged.add(result)
            first = result.first_error
            if setup.with_rows and first is not None:
                raise error_of(first, setup.annotations_dir)
            if sink is not None:
                for key in sorted(result.tables):
                    sink.add(key, result.tables[key])
                for key, rows in result.table_rows.items():
                    sink.count(key, rows)
            spill.add(result.spill, result.spill_digest)
            done.add(len(chunk))
    finally:
        results.close()  # the workers stop when an error ends the pass early
        if enabled:
            gc.enable()
    return merged


Served = tuple[str, cache.ChunkHead] | None  # a chunk's key and head when its entry serves


def _served(setup: Setup, chunks: _Chunks, indices: Iterable[int] | None = None) -> list[Served]:
    """Each chunk's key and head when its entry serves (worked out once: the key is a digest of its documents'
    keys); only at ``indices`` when given (None elsewhere)."""
    if setup.store is None:
        return [None] * len(chunks)
    step = ChunkStep(setup)
    wanted = set(range(len(chunks)) if indices is None else indices)
    return [step.serving_head(chunk) if i in wanted else None for i, chunk in enumerate(chunks)]


def _results(
    setup: Setup, chunks: _Chunks, sink: ParquetSink | None, mapper: Mapper, processes: int, served: Sequence[Served]
) -> Generator[ChunkResult, None, None]:
    """Each chunk's result, in order. A chunk whose cache entry serves (its head says so) is read here:
    sent to a worker, its MBs of tables would be read there, pickled and unpickled here again. The
    others, computed or failing their evidence check, go to ``mapper``, started (workers forked) only
    when the first of them is reached."""
    step = ChunkStep(setup)
    serving = [None if s is None else s[0] for s in served]
    misses = [i for i, key in enumerate(serving) if key is None]
    if setup.store is not None:
        # whether to load the tokenizer before forking (ChunkStep.warm_up): documents with no entry of
        # their own, in the chunks that are computed
        step = ChunkStep(dataclasses.replace(setup, uncached_documents=_uncached(setup, chunks, misses)))
    computed: Iterator[ChunkResult] | None = None
    needed = sink.needs if sink is not None else lambda spans: False  # without a sink, no table is written
    try:
        for i, chunk in enumerate(chunks):
            if serving[i] is not None:
                found = step.cached(chunk, serving[i], needed)
                yield found if found is not None else step(chunk)  # torn or evicted since: computed here
                continue
            if computed is None:
                if sink is not None:
                    sink.pause()  # the workers are forked with no writer thread running
                computed = mapper(step, _Some(chunks, misses), processes)
            yield next(computed)
    finally:
        close = getattr(computed, "close", None)
        if close is not None:
            close()  # the pool's workers stop (an error found before the last chunk)


def _uncached(setup: Setup, chunks: _Chunks, indices: Sequence[int]) -> int:
    keys, store = setup.keys, setup.store
    if keys is None or store is None:
        return chunks.documents
    return sum((key := keys.of(s, fold)) is None or not store.has(key) for i in indices for s, fold in chunks[i])


Chunk = list[tuple[corpus.Source, int]]


class _LazyChunks(Sequence[Chunk]):
    """A sequence of chunks, each made by :meth:`_chunk` when it is asked for (negative and sliced indices as a
    list takes them)."""

    def _chunk(self, index: int) -> Chunk:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> Chunk: ...

    @overload
    def __getitem__(self, index: slice) -> list[Chunk]: ...

    def __getitem__(self, index: int | slice) -> Chunk | list[Chunk]:
        if isinstance(index, slice):
            return [self._chunk(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._chunk(index)


class _Some(_LazyChunks):
    """The chunks at ``indices``, each made when it is asked for (as :class:`_Chunks` does)."""

    def __init__(self, chunks: _Chunks, indices: Sequence[int]) -> None:
        self.chunks, self.indices = chunks, indices

    def __len__(self) -> int:
        return len(self.indices)

    def _chunk(self, index: int) -> Chunk:
        return self.chunks[self.indices[index]]


class _Chunks(_LazyChunks):
    """Documents in id order, in fixed-size chunks of (source record, fold), each made when it is
    asked for: a list of every chunk would hold a tuple per document for the whole run."""

    def __init__(self, setup: Setup, sources: Sequence[corpus.Source], chunk_documents: int) -> None:
        self.ordered = sorted(sources, key=lambda s: s.doc_id)
        self.folds = setup.folds
        self.size = chunk_documents
        self.documents = len(self.ordered)

    def __len__(self) -> int:
        return -(-self.documents // self.size)

    def _chunk(self, index: int) -> Chunk:
        return [(s, self.folds[s.doc_id]) for s in self.ordered[index * self.size : (index + 1) * self.size]]


def _chunks(setup: Setup, sources: Sequence[corpus.Source], chunk_documents: int) -> _Chunks:
    """Documents in id order, in fixed-size chunks of (source record, fold)."""
    return _Chunks(setup, sources, chunk_documents)


def _variation_pass(
    setup: Setup, merged: _Merged, spill: _Spill, mapper: Mapper, processes: int, progress: Progress = silent
) -> list[Finding]:
    """The second pass: every spilled gold document against the corpus's table of surface forms."""
    if not spill.batches:
        return []
    table = variation.SurfaceTable.of(
        merged.gold_surfaces,
        merged.pass_surfaces,
        variation.justified_variation(setup.annotations_dir / "GUIDELINES.md"),
    )
    keys = _variation_keys(setup, table, spill)
    found_in: dict[int, list[Finding]] = {}
    for i, key in enumerate(keys):
        cached = cache.load_value(setup.store.get(key)) if setup.store is not None and key else None
        if isinstance(cached, list):
            found_in[i] = cached
    todo = [i for i in range(spill.batches) if i not in found_in]
    out: list[Finding] = []
    done = ProgressCounter(progress, "variation check (chunks)", spill.batches)
    done.add(len(found_in))
    results = mapper(VariationStep(table, spill.path), todo, processes) if todo else iter([])
    for i, found in zip(todo, results, strict=True):
        if setup.store is not None and keys[i]:
            setup.store.put(keys[i], cache.dumps(found))
        found_in[i] = found
        done.add()
    for i in range(spill.batches):
        out += found_in[i]
    return out


def _variation_keys(setup: Setup, table: variation.SurfaceTable, spill: _Spill) -> list[str]:
    """Each spilled batch's key in the cache: the code, the whole surface table and the batch's
    bytes ("" where there is no cache, or a batch has no digest)."""
    if setup.store is None or setup.keys is None:
        return [""] * spill.batches
    whole = cache.digest(
        json.dumps(table.labels, sort_keys=True),
        json.dumps(table.votes, sort_keys=True),
        json.dumps(sorted(table.exceptions)),
    )
    return [cache.digest("variation", setup.keys.context, whole, d) if d else "" for d in spill.digests]


def _copy_cached(setup: Setup, groups: shard_cache.Groups, sink: ParquetSink | None) -> dict[str, str]:
    """Copy into the output every shard whose bytes are in the cache and whose evidence holds
    (:mod:`coopnum.dataset.shard_cache`); the sink leaves their rows out. The sha256 of each, by path."""
    if sink is None or setup.plan is None:
        return {}
    copied = shard_cache.copy_in(setup, groups, sink.folder)
    sink.cached = set(copied)
    return {setup.plan.path(*shard): digest for shard, digest in copied.items()}


def _store_encoded(setup: Setup, chunks: _Chunks, groups: shard_cache.Groups, sink: ParquetSink) -> dict[str, str]:
    """Store the bytes of every shard just encoded whose chunks now all have a head that holds (the pass
    wrote those of the chunks it computed); the sha256 of each, by path."""
    if setup.store is None or not sink.encoded:
        return {}
    needed = shard_cache.chunks_of(groups, sink.encoded)
    heads = {i: s[1] for i, s in enumerate(_served(setup, chunks, needed)) if s is not None}
    stored = shard_cache.store_encoded(setup, groups, heads, sink.encoded, sink.folder)
    return {sink.encoded[shard]: digest for shard, digest in stored.items()}


def _documents_pass(
    setup: Setup,
    chunks: _Chunks,
    sink: ParquetSink | None,
    spill: _Spill,
    mapper: Mapper,
    processes: int,
    progress: Progress,
) -> tuple[_Merged | CoopnumError, dict[str, dict[str, int]], dict[str, str], tuple[str, ...]]:
    """The first pass with the sink: (merged results, rows per config and split, the sha256 known of the
    files written, the files encoded). Cached shards are copied in first and the encoded ones stored after."""
    try:
        served = _served(setup, chunks)
        groups = shard_cache.groups(setup, chunks) if sink is not None and setup.store is not None else {}
        known = _copy_cached(setup, groups, sink)  # before any row is handed to the sink
        merged = _first_pass(setup, chunks, sink, spill, mapper, processes, served, progress)
        rows = sink.close() if sink is not None else {}
        encoded = tuple(sorted(sink.encoded.values())) if sink is not None else ()
        if sink is not None and not isinstance(merged, CoopnumError):
            known |= _store_encoded(setup, chunks, groups, sink)
        sink = None
    finally:
        if sink is not None:
            sink.abort()
        spill.close()
    return merged, rows, known, encoded


def run(
    setup: Setup,
    sources: Sequence[corpus.Source],
    out: Path | None,
    processes: int | None = None,
    chunk_documents: int = CHUNK_DOCUMENTS,
    mapper: Mapper | None = None,
    progress: Progress = silent,
) -> CorpusResult:
    """Stream every document through the per-document step; for the build (``setup.with_rows``)
    write the Parquet files under ``out`` and raise the first error; for validation return findings.
    ``progress`` (:mod:`coopnum.util.progress`) hears of the documents done, chunk by chunk.

    ``mapper`` runs the chunks (default :func:`~coopnum.util.executor.parallel_map`, forked
    processes); any ordered map will do, such as a distributed engine's (``benchmarks/ray_build.py``)."""
    mapper = mapper or parallel_map
    processes = processes or default_processes()
    if setup.with_rows:
        first = next((f for f in setup.setup_findings if f.severity == ERROR), None)
        if first is not None:
            raise error_of(first, setup.annotations_dir)
    chunks = _chunks(setup, sources, chunk_documents)
    if setup.keys is not None:
        setup.keys.prime(pair for chunk in chunks for pair in chunk)
    sink = (
        ParquetSink(out, registry.configs(setup.annotated), setup.plan) if setup.with_rows and out is not None else None
    )
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="coopnum-spill-") as spill_dir:
        spill = _Spill(Path(spill_dir) / "gold.arrow")
        merged, rows, known, encoded = _documents_pass(setup, chunks, sink, spill, mapper, processes, progress)
        if isinstance(merged, CoopnumError):
            if setup.with_rows:
                raise merged
            return CorpusResult([from_error("corpus", merged)], Counter(), None, {}, {}, 0, 0, 0)
        seconds["documents"] = time.perf_counter() - started
        merged.findings += _variation_pass(setup, merged, spill, mapper, processes, progress)
        seconds["variation"] = time.perf_counter() - started - seconds["documents"]
    report = merged.agreement.report() if setup.annotated else None
    if report is not None:
        merged.findings += checks.agreement_findings(report)
    return CorpusResult(
        sorted(set(merged.findings)),
        merged.tally,
        report,
        rows,
        merged.digests,
        merged.stance_rows,
        merged.annotated,
        len(sources),
        seconds,
        known,
        encoded,
    )
