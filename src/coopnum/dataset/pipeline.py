"""The per-document work of ``build`` and ``validate``, streamed in chunks across processes.

Documents are taken in id order, in fixed-size chunks (:data:`CHUNK_DOCUMENTS`); each chunk is
read, cleaned, checked, turned into Arrow tables and counted by a worker, with pure functions
only; the main process merges what the chunks return, in order: tables go to one Parquet writer
per config and split, counts add up (card figures, agreement, surface forms), findings are
collected. Nothing holds the corpus's texts or rows: memory is a few chunks per worker, a few
buffered row groups, and a small per-document index (ids, source records, folds) in the main
process, which is what still grows with the corpus (≈ 4 KB per document). The corpus-level variation check needs every surface form of the gold before it can look
at a document, so it is a second pass over a spill file (id, text, paragraphs, gold spans) that the
first pass writes. The output does not depend on the number of processes: chunks are the same,
and their results are merged in document order.

Worker processes are forked (the set-up is inherited, not pickled); a worker that dies is a
clear error, not a hang; ``processes=1`` runs everything in this process, which the tests compare
with two.
"""

from __future__ import annotations

import collections
import gc
import hashlib
import itertools
import json
import multiprocessing
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from coopnum import schema
from coopnum.annotation import adjudication
from coopnum.annotation import format as ann
from coopnum.annotation import provenance as provenance_mod
from coopnum.corpus import sources as corpus
from coopnum.corpus import splits
from coopnum.corpus.clean import clean_document
from coopnum.dataset import card, features
from coopnum.dataset import rows as configs
from coopnum.dataset.rows import Document
from coopnum.errors import AnnotationError, BuildError, CoopnumError
from coopnum.quality import agreement
from coopnum.quality import checks as validate

CHUNK_DOCUMENTS = 64  # fixed: chunk edges are part of what makes two builds byte-identical
ROW_GROUP_BYTES = 8 << 20  # a writer flushes a row group when its buffer holds this much Arrow data
PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 9, "use_dictionary": True, "write_statistics": True}
IN_FLIGHT_PER_PROCESS = 3  # chunks submitted ahead of the one the main process is waiting for
BUILD, VALIDATE = "build", "validate"


def annotation_file(annotations_dir: Path, doc_id: str) -> str:
    return str(annotations_dir / ann.SUBDIR / f"{doc_id}.json")


@dataclass(frozen=True)
class Setup:
    """What every chunk needs, read once by the main process (workers inherit it)."""

    root: Path
    mode: str  # BUILD: the first error stops everything; VALIDATE: problems become findings
    annotation_ids: frozenset[str]  # stems of the annotation files
    folds: dict[str, int]
    provenance: provenance_mod.Provenance | None
    reasons: dict[tuple[str, str, str], adjudication.Reason]
    setup_findings: tuple[validate.Finding, ...] = ()  # VALIDATE: unreadable provenance or reasons

    @property
    def annotated(self) -> bool:
        return bool(self.annotation_ids)

    @property
    def corpus_dir(self) -> Path:
        return self.root / "corpus"

    @property
    def annotations_dir(self) -> Path:
        return self.root / "annotations"


def annotation_ids(annotations_dir: Path) -> frozenset[str]:
    folder = annotations_dir / ann.SUBDIR
    return frozenset(p.stem for p in folder.glob("*.json")) if folder.is_dir() else frozenset()


@dataclass
class ChunkResult:
    """What one chunk gives back to the main process (all of it small, or Arrow)."""

    error: CoopnumError | None = None  # BUILD: the chunk's first problem; VALIDATE: a corpus problem
    findings: list[validate.Finding] = field(default_factory=list)
    tally: Counter[tuple[str, ...]] = field(default_factory=Counter)
    agreement: agreement.Accumulator = field(default_factory=agreement.Accumulator)
    gold_surfaces: Counter[tuple[str, str]] = field(default_factory=Counter)
    pass_surfaces: Counter[tuple[str, str]] = field(default_factory=Counter)
    tables: dict[tuple[str, str], pa.Table] = field(default_factory=dict)  # (config, split) -> rows
    spill: pa.RecordBatch | None = None
    gold_digests: dict[str, tuple[int, str]] = field(default_factory=dict)  # VALIDATE: doc id -> (entities, digest)
    stance_rows: int = 0
    annotated_documents: int = 0


SPILL_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("gold_id", pa.string()),
        ("text", pa.large_string()),
        ("paragraph_starts", pa.list_(pa.int32())),
        ("paragraph_ends", pa.list_(pa.int32())),
        ("entity_starts", pa.list_(pa.int32())),
        ("entity_ends", pa.list_(pa.int32())),
        ("entity_labels", pa.list_(pa.string())),
        ("entity_texts", pa.list_(pa.string())),
    ]
)


def gold_digest(spans: Iterable[tuple[int, int, str]]) -> tuple[int, str]:
    ordered = sorted(spans)
    return len(ordered), hashlib.sha256(repr(ordered).encode()).hexdigest()


# ------------------------------------------------------------------ one document


def clean_source(corpus_dir: Path, source: corpus.Source, fold: int) -> Document:
    """Read and clean one document; metadata the cleaner extracted must agree with its record."""
    raw = corpus.read_raw(corpus_dir, source)
    try:
        c = clean_document(raw.text, source.doc_id)
    except CoopnumError as e:
        e.file = e.file or str(corpus_dir / "raw" / source.file)
        raise
    for name in ("outlet", "date"):
        found, stated = getattr(c, name), getattr(source, name)
        if found is not None and found != stated:
            raise BuildError(
                f"the cleaner reads {name} {found!r} in the article but sources.jsonl says {stated!r}",
                file=str(corpus_dir / "sources.jsonl"),
                doc_id=source.doc_id,
                field=name,
            )
    return Document(source, c, splits.split_of(source.doc_id), fold)


def check_gold_complete(gold: ann.Annotation, file: str, doc_id: str) -> None:
    def fail(message: str, name: str) -> AnnotationError:
        return AnnotationError(message, file=file, doc_id=doc_id, annotation=gold.id, field=name)

    if gold.stance is None:
        raise fail("the gold has no document stance", "stance")
    if not gold.topics:
        raise fail("the gold has no topic", "topics")
    missing = [i for i, s in enumerate(gold.paragraph_stances) if s is None]
    if missing:
        raise fail(f"the gold has no stance for paragraph(s) {missing}", "paragraph_stances")
    spans = sorted(gold.entities)
    for a, b in itertools.pairwise(spans):
        if b.start < a.end:
            raise fail(f"spans [{a.start}, {a.end}) {a.label} and [{b.start}, {b.end}) {b.label} overlap", "entities")


def attach_for_build(setup: Setup, d: Document) -> Document:
    """The document with its annotations, checked as the build needs them (errors raise)."""
    file = annotation_file(setup.annotations_dir, d.doc_id)
    if d.doc_id not in setup.annotation_ids:
        raise AnnotationError("document in the corpus has no annotations", file=file, doc_id=d.doc_id, field="doc_id")
    found = ann.load_file(Path(file))
    ann.check_against_text(found, d.clean.text, d.clean.text_sha256, d.paragraph_ranges, file)
    try:
        gold = found.gold()
    except AnnotationError as e:
        e.file = file
        raise
    if gold is None:
        raise AnnotationError(
            "no ground-truth (adjudicated) annotation", file=file, doc_id=d.doc_id, field="ground_truth"
        )
    check_gold_complete(gold, file, d.doc_id)
    where = str(setup.annotations_dir / provenance_mod.FILE)
    if setup.provenance is None:
        raise AnnotationError("annotations exist but annotators.json, which says who made them, does not", file=where)
    for a in found.annotations:
        if not setup.provenance.describes(a.annotator):
            raise AnnotationError(
                f"annotator {a.annotator!r} is not described in annotators.json",
                file=file,
                doc_id=d.doc_id,
                annotation=a.id,
                field="annotator",
            )
    return Document(d.source, d.clean, d.split, d.fold, found)


def rows_of(config: str, d: Document, with_gold: bool) -> list[dict[str, object]]:
    if config == "documents":
        return [configs.document_row(d, with_gold)]
    if config == "ner":
        return configs.ner_rows(d)
    if config == "stance":
        return configs.stance_rows(d)
    if config == "topic":
        return [configs.topic_row(d)]
    if config == "annotator_labels":
        return configs.annotator_rows(d)
    raise ValueError(f"unknown config {config!r}")


def annotation_findings_of(setup: Setup, d: Document, doc: ann.DocumentAnnotations) -> list[validate.Finding]:
    """Every per-document check of ``validate`` on one document's annotations."""
    out = validate.document_findings(d, doc)
    if not any(f.check == "stale_text" for f in out):
        pair = [(d, doc)]
        out += validate.adjudication_findings(pair, setup.reasons)
        out += validate.unsupported_gold_findings(pair, setup.reasons)
    for a in doc.annotations:
        if setup.provenance is None or not setup.provenance.describes(a.annotator):
            out.append(
                validate.finding(
                    "provenance",
                    f"annotator {a.annotator!r} is not described in annotators.json",
                    d.doc_id,
                    a.id,
                    "annotator",
                )
            )
    return out


# ------------------------------------------------------------------ one chunk

_SETUP: Setup | None = None  # the worker's set-up (inherited through fork)


def process_chunk(sources: Sequence[tuple[corpus.Source, int]]) -> ChunkResult:
    """Clean, check, count and (in BUILD mode) turn into rows the documents of one chunk."""
    # The cyclic collector would scan the chunk's many short-lived objects again and again (15 %
    # of the time); they are freed by reference counting, so it waits until the chunk is done.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _process_chunk(sources)
    finally:
        if enabled:
            gc.enable()


def _process_chunk(sources: Sequence[tuple[corpus.Source, int]]) -> ChunkResult:
    setup = _SETUP
    assert setup is not None
    result = ChunkResult()
    with_gold = setup.annotated
    rows: dict[tuple[str, str], list[dict[str, object]]] = {}
    config_features = features.configs(with_gold)
    spill: dict[str, list[object]] = {name: [] for name in SPILL_SCHEMA.names}
    for source, fold in sources:
        try:
            d = clean_source(setup.corpus_dir, source, fold)
        except CoopnumError as e:
            result.error = e
            return result
        doc: ann.DocumentAnnotations | None = None
        if setup.mode == BUILD:
            try:
                if with_gold:
                    d = attach_for_build(setup, d)
                    doc = d.annotations
                for config in config_features:
                    rows.setdefault((config, d.split), []).extend(rows_of(config, d, with_gold))
            except CoopnumError as e:
                e.doc_id = e.doc_id or d.doc_id
                e.file = e.file or annotation_file(setup.annotations_dir, d.doc_id)
                result.error = e
                return result
        elif d.doc_id in setup.annotation_ids:
            try:
                doc = ann.load_file(Path(annotation_file(setup.annotations_dir, d.doc_id)))
                d = Document(d.source, d.clean, d.split, d.fold, doc)
            except CoopnumError as e:
                f = validate.from_error("annotation_format", e)
                result.findings.append(f)
                if f.document != d.doc_id:
                    result.findings.append(
                        validate.finding("coverage", "corpus document without annotations", d.doc_id, None, "doc_id")
                    )
            except RecursionError:
                path = annotation_file(setup.annotations_dir, d.doc_id)
                result.findings.append(validate.finding("annotation_format", f"{path}: JSON nested too deeply"))
        elif with_gold:
            result.findings.append(
                validate.finding("coverage", "corpus document without annotations", d.doc_id, None, "doc_id")
            )
        if setup.mode == BUILD:
            result.tally.update(card.tally(d))
        if doc is None:
            continue
        found = annotation_findings_of(setup, d, doc)
        result.findings += found
        if any(f.check == "stale_text" for f in found) or sum(a.ground_truth for a in doc.annotations) > 1:
            continue  # reported above; the corpus-level counts need one current gold per document
        result.agreement.add(doc)
        passes = [a for a in doc.annotations if not a.ground_truth]
        result.pass_surfaces.update(validate.surface_counts(s for a in passes for s in a.entities))
        gold = doc.gold_or_none()
        if gold is None:
            continue
        result.annotated_documents += 1
        result.stance_rows += len(gold.paragraph_stances) + 1
        result.gold_surfaces.update(validate.surface_counts(gold.entities))
        if setup.mode == VALIDATE:  # for the check of dataset/'s ner tags; the build does not need them
            result.gold_digests[d.doc_id] = gold_digest((s.start, s.end, s.label) for s in gold.entities)
        entities = sorted(gold.entities)
        for name, value in (
            ("doc_id", d.doc_id),
            ("gold_id", gold.id),
            ("text", d.clean.text),
            ("paragraph_starts", [a for a, _ in d.paragraph_ranges]),
            ("paragraph_ends", [b for _, b in d.paragraph_ranges]),
            ("entity_starts", [e.start for e in entities]),
            ("entity_ends", [e.end for e in entities]),
            ("entity_labels", [e.label for e in entities]),
            ("entity_texts", [e.text for e in entities]),
        ):
            spill[name].append(value)
    if spill["doc_id"]:
        result.spill = pa.RecordBatch.from_pydict(spill, schema=SPILL_SCHEMA)
    for (config, split), config_rows in rows.items():
        result.tables[(config, split)] = pa.Table.from_pylist(config_rows, schema=config_features[config].arrow_schema)
    return result


_TABLE: validate.SurfaceTable | None = None  # the second pass's corpus table (inherited through fork)
_SPILL: Path | None = None


def variation_of_batch(index: int) -> list[validate.Finding]:
    """The variation findings of one spilled chunk against the corpus table."""
    assert _TABLE is not None and _SPILL is not None
    with pa.memory_map(str(_SPILL)) as source:
        batch = pa.ipc.open_file(source).get_batch(index)
    out = []
    for r in batch.to_pylist():
        entities = [
            ann.Span(s, e, label, text)
            for s, e, label, text in zip(
                r["entity_starts"], r["entity_ends"], r["entity_labels"], r["entity_texts"], strict=True
            )
        ]
        paragraphs = list(zip(r["paragraph_starts"], r["paragraph_ends"], strict=True))
        out += validate.document_variation_findings(_TABLE, r["doc_id"], r["gold_id"], r["text"], paragraphs, entities)
    return out


# ------------------------------------------------------------------ the clean stage


@dataclass(frozen=True)
class CleanSummary:
    doc_id: str
    raw_lines: int
    kept: int
    removed: int
    paragraphs: int
    characters: int
    title: str  # "yes" or "no"


def clean_record(d: Document) -> dict[str, object]:
    c = d.clean
    return {
        "doc_id": c.doc_id,
        "raw_file": f"corpus/raw/{d.source.file}",
        "raw_sha256": d.source.raw_sha256,
        "title": c.title,
        "outlet_extracted": c.outlet,
        "date_extracted": c.date,
        "text": c.text,
        "text_sha256": c.text_sha256,
        "paragraphs": [{"start": p.start, "end": p.end, "kind": p.kind} for p in c.paragraphs],
        "offset_map": c.offset_map.as_rows(),
    }


_CLEAN_TARGET: tuple[Path, Path] | None = None  # (corpus folder, output folder), inherited through fork


def clean_chunk(sources: Sequence[corpus.Source]) -> list[CleanSummary] | CoopnumError:
    """Clean some documents and write ``<doc_id>.json`` and ``<doc_id>.audit.jsonl`` for each."""
    assert _CLEAN_TARGET is not None
    corpus_dir, folder = _CLEAN_TARGET
    out = []
    for s in sources:
        try:
            d = clean_source(corpus_dir, s, 0)
        except CoopnumError as e:
            return e
        c = d.clean
        (folder / f"{c.doc_id}.json").write_text(
            json.dumps(clean_record(d), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        with (folder / f"{c.doc_id}.audit.jsonl").open("w", encoding="utf-8") as f:
            for a in c.audit:
                f.write(json.dumps(a.__dict__, ensure_ascii=False) + "\n")
        actions = [a.action for a in c.audit]
        out.append(
            CleanSummary(
                c.doc_id,
                len(actions),
                sum(a in ("kept", "trimmed") for a in actions),
                actions.count("removed"),
                len(c.paragraphs),
                len(c.text),
                "yes" if c.title else "no",
            )
        )
    return out


def write_clean(
    corpus_dir: Path, target: Path, processes: int | None = None, chunk_documents: int = CHUNK_DOCUMENTS
) -> list[CleanSummary]:
    """The clean stage on its own: every document's clean text and audit under ``target``, written
    into a temporary folder that replaces ``target`` only when all are written."""
    global _CLEAN_TARGET
    from coopnum.dataset.build import swap_in

    sources = corpus.list_corpus(corpus_dir)
    chunks = [sources[i : i + chunk_documents] for i in range(0, len(sources), chunk_documents)]
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".clean.tmp-", dir=target.parent))
    summaries: list[CleanSummary] = []
    try:
        _CLEAN_TARGET = (corpus_dir, tmp)
        for result in parallel_map(clean_chunk, chunks, processes or default_processes()):  # type: ignore[arg-type]
            if isinstance(result, CoopnumError):
                raise result
            summaries += result  # type: ignore[arg-type]
        swap_in(tmp, target)  # the old folder stays if the swap fails
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        _CLEAN_TARGET = None
    return summaries


# ------------------------------------------------------------------ the corpus


def default_processes() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def parallel_map(function: Callable[[object], object], items: Sequence[object], processes: int) -> Iterator[object]:
    """``map`` over forked worker processes, results in the order of ``items`` (in this process
    when one is asked for or there is one item)."""
    if processes <= 1 or len(items) <= 1:
        yield from map(function, items)
        return
    from coopnum.text import align

    align.french()  # loaded once here, inherited by the workers
    gc.freeze()  # what exists now is shared with the workers: keep their collectors off those pages
    workers = min(processes, len(items))
    # A process pool that reports a worker killed (out of memory, a signal) as BrokenProcessPool,
    # where multiprocessing.Pool would wait for its result for ever.
    executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    try:
        # A few tasks ahead per worker, not all of them: results wait here only as long as the
        # consumer takes, so memory holds a few chunks whatever the corpus size.
        pending: collections.deque[Future[object]] = collections.deque()
        for item in items:
            pending.append(executor.submit(function, item))
            if len(pending) >= IN_FLIGHT_PER_PROCESS * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BrokenProcessPool:
        raise BuildError(
            "a worker process stopped without returning its result (killed, perhaps for lack of memory: "
            "try --processes 1); nothing was written"
        ) from None
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


class ParquetSink:
    """One Parquet file per (config, split), written a row group at a time in the order given."""

    def __init__(self, folder: Path, config_features: dict[str, features.Features]) -> None:
        self.folder = folder
        self.config_features = config_features
        self.writers: dict[tuple[str, str], pq.ParquetWriter] = {}
        self.buffers: dict[tuple[str, str], list[pa.Table]] = {}
        self.buffered: Counter[tuple[str, str]] = Counter()  # bytes
        self.rows: Counter[tuple[str, str]] = Counter()

    def add(self, key: tuple[str, str], table: pa.Table) -> None:
        self.buffers.setdefault(key, []).append(table)
        self.rows[key] += table.num_rows
        self.buffered[key] += table.nbytes
        if self.buffered[key] >= ROW_GROUP_BYTES:
            self._flush(key)

    def _writer(self, key: tuple[str, str]) -> pq.ParquetWriter:
        if key not in self.writers:
            config, split = key
            path = self.folder / "data" / config / f"{split}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            self.writers[key] = pq.ParquetWriter(path, self.config_features[config].arrow_schema, **PARQUET_OPTIONS)
        return self.writers[key]

    def _flush(self, key: tuple[str, str]) -> None:
        tables = self.buffers.pop(key, [])
        self.buffered[key] = 0
        if tables:
            table = pa.concat_tables(tables).combine_chunks()
            self._writer(key).write_table(table, row_group_size=table.num_rows)

    def close(self) -> dict[str, dict[str, int]]:
        """Flush and close every file (an empty split still gets its file); rows per config and split."""
        for config in self.config_features:
            for split in schema.SPLITS:
                key = (config, split)
                self._flush(key)
                self._writer(key).close()
        return {c: {s: self.rows[(c, s)] for s in schema.SPLITS} for c in self.config_features}

    def abort(self) -> None:
        for w in self.writers.values():
            w.close()


@dataclass
class CorpusResult:
    """What a streamed run gives: rows written (BUILD), card figures, agreement, findings."""

    findings: list[validate.Finding]
    tally: Counter[tuple[str, ...]]
    agreement: agreement.Report | None
    rows: dict[str, dict[str, int]]
    gold_digests: dict[str, tuple[int, str]]
    stance_rows: int
    annotated_documents: int
    documents: int
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per pass (for benchmarks only)


Mapper = Callable[[Callable[[object], object], Sequence[object], int], Iterator[object]]


def run(
    setup: Setup,
    sources: Sequence[corpus.Source],
    out: Path | None,
    processes: int | None = None,
    chunk_documents: int = CHUNK_DOCUMENTS,
    mapper: Mapper | None = None,
) -> CorpusResult:
    """Stream every document through :func:`process_chunk`; in BUILD mode write the Parquet files
    under ``out``. BUILD raises the first error, in document order; VALIDATE returns findings.

    ``mapper`` runs the chunks (default :func:`parallel_map`, forked processes); any ordered map
    will do, such as a distributed engine's (``benchmarks/ray_build.py``)."""
    mapper = mapper or parallel_map
    global _SETUP, _TABLE, _SPILL
    processes = processes or default_processes()
    ordered = sorted(sources, key=lambda s: s.doc_id)
    chunks = [
        [(s, setup.folds[s.doc_id]) for s in ordered[i : i + chunk_documents]]
        for i in range(0, len(ordered), chunk_documents)
    ]
    with_gold = setup.annotated
    sink = ParquetSink(out, features.configs(with_gold)) if setup.mode == BUILD and out is not None else None
    findings: list[validate.Finding] = list(setup.setup_findings)
    tally: Counter[tuple[str, ...]] = Counter()
    acc = agreement.Accumulator()
    gold_surfaces: Counter[tuple[str, str]] = Counter()
    pass_surfaces: Counter[tuple[str, str]] = Counter()
    digests: dict[str, tuple[int, str]] = {}
    stance_rows = annotated = 0
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="coopnum-spill-") as spill_dir:
        spill_path = Path(spill_dir) / "gold.arrow"
        spill_writer = None
        batches = 0
        _SETUP = setup
        try:
            for result in mapper(process_chunk, chunks, processes):  # type: ignore[arg-type]
                assert isinstance(result, ChunkResult)
                if result.error is not None:
                    if setup.mode == BUILD:
                        raise result.error
                    return CorpusResult([validate.from_error("corpus", result.error)], Counter(), None, {}, {}, 0, 0, 0)
                findings += result.findings
                tally.update(result.tally)
                acc.merge(result.agreement)
                gold_surfaces.update(result.gold_surfaces)
                pass_surfaces.update(result.pass_surfaces)
                digests.update(result.gold_digests)
                stance_rows += result.stance_rows
                annotated += result.annotated_documents
                if sink is not None:
                    for key in sorted(result.tables):
                        sink.add(key, result.tables[key])
                if result.spill is not None:
                    if spill_writer is None:
                        spill_writer = pa.ipc.new_file(
                            str(spill_path), SPILL_SCHEMA, options=pa.ipc.IpcWriteOptions(compression="lz4")
                        )
                    spill_writer.write_batch(result.spill)
                    batches += 1
            rows = sink.close() if sink is not None else {}
            sink = None
            seconds["documents"] = time.perf_counter() - started
        finally:
            _SETUP = None
            if sink is not None:
                sink.abort()
            if spill_writer is not None:
                spill_writer.close()
        if batches:
            _TABLE = validate.SurfaceTable.of(
                gold_surfaces,
                pass_surfaces,
                validate.justified_variation(setup.annotations_dir / "GUIDELINES.md"),
            )
            _SPILL = spill_path
            try:
                for found in mapper(variation_of_batch, list(range(batches)), processes):  # type: ignore[arg-type]
                    findings += found  # type: ignore[arg-type]
            finally:
                _TABLE = _SPILL = None
        seconds["variation"] = time.perf_counter() - started - seconds["documents"]
    report = acc.report() if with_gold else None
    if report is not None:
        findings += validate.agreement_findings(report)
    return CorpusResult(
        sorted(set(findings)), tally, report, rows, digests, stance_rows, annotated, len(ordered), seconds
    )
