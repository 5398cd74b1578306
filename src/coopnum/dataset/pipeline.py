"""The per-document step of ``build`` and ``validate``: read, clean, check, and (for the build) rows.

One rule set: every document is checked by the same named checks (:mod:`coopnum.quality`), which
report findings and never raise; ``validate`` lists them, the build stops on the first finding of
severity error (:func:`coopnum.dataset.run.run`). A chunk of documents is the unit of work:
:class:`ChunkStep` turns one chunk into a :class:`ChunkResult` (Arrow tables, counts, findings)
with pure functions only, and any executor (:mod:`coopnum.util.executor`) can run it.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from coopnum.annotation import adjudication
from coopnum.annotation import format as ann
from coopnum.annotation import provenance as provenance_mod
from coopnum.annotation.document import Document
from coopnum.corpus import recurring, splits
from coopnum.corpus import sources as corpus
from coopnum.corpus.clean import clean_source_file
from coopnum.dataset import card, registry
from coopnum.errors import BuildError, CheckFailed, CoopnumError
from coopnum.quality import agreement, checks, variation
from coopnum.quality.findings import ERROR, Finding, finding, from_error
from coopnum.text import align

CHUNK_DOCUMENTS = 64  # fixed: chunk edges are part of what makes two builds byte-identical


def annotation_file(annotations_dir: Path, doc_id: str) -> str:
    return str(annotations_dir / ann.SUBDIR / f"{doc_id}.json")


def annotation_ids(annotations_dir: Path) -> frozenset[str]:
    folder = annotations_dir / ann.SUBDIR
    return frozenset(p.stem for p in folder.glob("*.json")) if folder.is_dir() else frozenset()


@dataclass(frozen=True)
class Setup:
    """What every chunk needs, read once by the main process (workers inherit it)."""

    root: Path
    annotation_ids: frozenset[str]  # stems of the annotation files
    folds: dict[str, int]
    provenance: provenance_mod.Provenance | None
    reasons: dict[tuple[str, str, str], adjudication.Reason]
    setup_findings: tuple[Finding, ...] = ()  # unreadable provenance or reasons, orphan annotations, IPTC codes
    with_rows: bool = True  # the build: rows for every config; validation: digests of the gold instead
    evidence: recurring.LineEvidence = field(default_factory=recurring.LineEvidence)  # recurring lines

    @property
    def annotated(self) -> bool:
        return bool(self.annotation_ids)

    @property
    def corpus_dir(self) -> Path:
        return self.root / "corpus"

    @property
    def annotations_dir(self) -> Path:
        return self.root / "annotations"


def _orphan_findings(ids: Iterable[str], corpus_ids: set[str], annotations_dir: Path) -> list[Finding]:
    """Annotation files of documents that are not in the corpus."""
    out = []
    for doc_id in sorted(set(ids) - corpus_ids):
        path = annotation_file(annotations_dir, doc_id)
        try:
            doc = ann.load_file(Path(path))
        except CoopnumError as e:
            out.append(from_error("annotation_format", e))
            continue
        except RecursionError:
            out.append(finding("annotation_format", f"{path}: JSON nested too deeply"))
            continue
        out.append(
            dataclasses.replace(
                finding("coverage", "document in annotations but not in the corpus", doc.doc_id, None, "doc_id"),
                file=path,
            )
        )
    return out


def read_setup(root: Path, *, with_rows: bool) -> tuple[Setup, list[corpus.Source]]:
    """The corpus's records and everything the checks need; problems with the annotations'
    side files are findings. Raises only when the corpus itself cannot be listed."""
    sources = corpus.list_corpus(root / "corpus")
    annotations_dir = root / "annotations"
    ids = annotation_ids(annotations_dir)
    out: list[Finding] = checks.iptc_findings()
    out += _orphan_findings(ids, {s.doc_id for s in sources}, annotations_dir)
    reasons: dict = {}
    provenance = None
    if ids:
        try:
            reasons = adjudication.load_reasons(annotations_dir)
        except CoopnumError as e:
            out.append(from_error("annotation_format", e))
        try:
            provenance = provenance_mod.load(annotations_dir)
        except CoopnumError as e:
            out.append(from_error("provenance", e))
        if provenance is not None:  # pseudonyms only, one role each
            out += checks.provenance_findings(provenance, str(annotations_dir / provenance_mod.FILE))
    fold_of = splits.folds(s.doc_id for s in sources)
    try:  # the corpus pass before cleaning; an unreadable raw file is reported by its chunk instead
        evidence = recurring.of_corpus(root / "corpus", sources)
    except CoopnumError:
        evidence = recurring.LineEvidence()
    return Setup(root, ids, fold_of, provenance, reasons, tuple(out), with_rows, evidence), sources


def error_of(f: Finding, annotations_dir: Path) -> CheckFailed:
    """The build's error for a finding of severity error: one line naming file, document, annotation, field."""
    file = f.file or (annotation_file(annotations_dir, f.document) if f.document else str(annotations_dir))
    return CheckFailed(f.check, f.message, file=file, doc_id=f.document, annotation=f.annotation, field=f.field)


def gold_digest(spans: Iterable[tuple[int, int, str]]) -> tuple[int, str]:
    ordered = sorted(spans)
    return len(ordered), hashlib.sha256(repr(ordered).encode()).hexdigest()


# ------------------------------------------------------------------ one document


def clean_source(
    corpus_dir: Path, source: corpus.Source, fold: int, evidence: recurring.LineEvidence | None = None
) -> Document:
    """Read and clean one document (with the corpus's recurring-line ``evidence``, when given);
    metadata the cleaner extracted must agree with its record."""
    c = clean_source_file(corpus_dir, source, evidence)
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


def _load_annotations(setup: Setup, d: Document) -> tuple[ann.DocumentAnnotations | None, list[Finding]]:
    if d.doc_id not in setup.annotation_ids:
        return None, []  # cleaned, not annotated yet: in `documents` only (`coopnum status` says so)
    path = annotation_file(setup.annotations_dir, d.doc_id)
    try:
        return ann.load_file(Path(path)), []
    except CoopnumError as e:
        f = from_error("annotation_format", e)
        return None, [f] if f.document == d.doc_id else [f, finding("coverage", "no readable annotations", d.doc_id)]
    except RecursionError:
        return None, [finding("annotation_format", "JSON nested too deeply", d.doc_id, None, "annotations")]


def _provenance_findings(setup: Setup, d: Document, doc: ann.DocumentAnnotations) -> list[Finding]:
    # annotators.json itself unreadable: reported once, and only the ids' pattern is checked here
    unreadable = setup.provenance is None and any(f.check == "provenance" for f in setup.setup_findings)
    return checks.annotator_findings(setup.provenance, d.doc_id, doc, described=not unreadable)


def check_document(setup: Setup, d: Document) -> tuple[Document, list[Finding]]:
    """The document with its annotations (when they parse) and every per-document finding."""
    doc, out = _load_annotations(setup, d)
    if doc is None:
        return d, out
    d = Document(d.source, d.clean, d.split, d.fold, doc)
    out += checks.document_findings(d, doc)
    if not any(f.check == "stale_text" for f in out):
        out += checks.adjudication_findings([(d, doc)], setup.reasons)
        out += checks.unsupported_gold_findings([(d, doc)], setup.reasons)
    out += _provenance_findings(setup, d, doc)
    return d, out


# ------------------------------------------------------------------ one chunk


@dataclass
class ChunkResult:
    """What one chunk gives back to the main process (all of it small, or Arrow)."""

    error: CoopnumError | None = None  # a corpus problem (unreadable or unclean raw file, bad record)
    findings: list[Finding] = field(default_factory=list)
    tally: Counter[tuple[str, ...]] = field(default_factory=Counter)
    agreement: agreement.Accumulator = field(default_factory=agreement.Accumulator)
    gold_surfaces: Counter[tuple[str, str]] = field(default_factory=Counter)
    pass_surfaces: Counter[tuple[str, str]] = field(default_factory=Counter)
    tables: dict[tuple[str, str], pa.Table] = field(default_factory=dict)  # (config, split) -> rows
    spill: pa.RecordBatch | None = None
    gold_digests: dict[str, tuple[int, str]] = field(default_factory=dict)  # validation: doc id -> digest
    stance_rows: int = 0
    annotated_documents: int = 0

    @property
    def first_error(self) -> Finding | None:
        return next((f for f in self.findings if f.severity == ERROR), None)


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


def _spill_values(d: Document, gold: ann.Annotation) -> dict[str, object]:
    """What the second pass (the variation check) needs of one gold document."""
    entities = sorted(gold.entities)
    return {
        "doc_id": d.doc_id,
        "gold_id": gold.id,
        "text": d.clean.text,
        "paragraph_starts": [a for a, _ in d.paragraph_ranges],
        "paragraph_ends": [b for _, b in d.paragraph_ranges],
        "entity_starts": [e.start for e in entities],
        "entity_ends": [e.end for e in entities],
        "entity_labels": [e.label for e in entities],
        "entity_texts": [e.text for e in entities],
    }


@dataclass(frozen=True)
class ChunkStep:
    """Clean, check, count and (for the build) turn into rows the documents of one chunk."""

    setup: Setup

    def warm_up(self) -> None:
        align.french()  # loaded once in the main process, inherited by forked workers

    def __call__(self, sources: Sequence[tuple[corpus.Source, int]]) -> ChunkResult:
        # The cyclic collector would scan the chunk's many short-lived objects again and again (15 %
        # of the time); they are freed by reference counting, so it waits until the chunk is done.
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._chunk(sources)
        finally:
            if enabled:
                gc.enable()

    def _chunk(self, sources: Sequence[tuple[corpus.Source, int]]) -> ChunkResult:
        setup, result = self.setup, ChunkResult()
        rows: dict[tuple[str, str], list[dict[str, object]]] = {}
        spill: dict[str, list[object]] = {name: [] for name in SPILL_SCHEMA.names}
        for source, fold in sources:
            try:
                d = clean_source(setup.corpus_dir, source, fold, setup.evidence)
            except CoopnumError as e:
                result.error = e
                return result
            d, found = check_document(setup, d)
            result.findings += found
            if setup.with_rows:
                if any(f.severity == ERROR for f in found):
                    return result  # the build stops here: nothing of a document with an error is written
                for config in registry.written(setup.annotated):
                    config_rows = registry.rows_of(config, d, setup.annotated)  # none of an unadjudicated one
                    if config_rows:
                        rows.setdefault((config, d.split), []).extend(config_rows)
                result.tally.update(card.tally(d))
            self._count(d, found, result, spill)
        if spill["doc_id"]:
            result.spill = pa.RecordBatch.from_pydict(spill, schema=SPILL_SCHEMA)
        config_features = registry.configs(setup.annotated)
        for (config, split), config_rows in rows.items():
            result.tables[(config, split)] = pa.Table.from_pylist(
                config_rows, schema=config_features[config].arrow_schema
            )
        return result

    def _count(self, d: Document, found: list[Finding], result: ChunkResult, spill: dict[str, list[object]]) -> None:
        """Agreement, surface forms and gold counts of one document, for the corpus-level figures."""
        doc = d.annotations
        if doc is None or any(f.check == "stale_text" for f in found):
            return  # reported; the corpus-level counts need current annotations
        if sum(a.ground_truth for a in doc.annotations) > 1:
            return  # two golds: reported as an error
        result.agreement.add(doc)
        passes = [a for a in doc.annotations if not a.ground_truth]
        result.pass_surfaces.update(variation.surface_counts(s for a in passes for s in a.entities))
        gold = doc.gold_or_none()
        if gold is None:
            return
        result.annotated_documents += 1
        result.stance_rows += len(gold.paragraph_stances)  # `stance`: one row per paragraph (`stance_document`: one)
        result.gold_surfaces.update(variation.surface_counts(gold.entities))
        if not self.setup.with_rows:  # for the check of dataset/'s ner tags; the build does not need them
            result.gold_digests[d.doc_id] = gold_digest((s.start, s.end, s.label) for s in gold.entities)
        for name, value in _spill_values(d, gold).items():
            spill[name].append(value)


@dataclass(frozen=True)
class VariationStep:
    """The variation findings of one spilled chunk against the corpus's surface table."""

    table: variation.SurfaceTable
    spill: Path

    def __call__(self, index: int) -> list[Finding]:
        with pa.memory_map(str(self.spill)) as source:
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
            out += variation.document_variation_findings(
                self.table, r["doc_id"], r["gold_id"], r["text"], paragraphs, entities
            )
        return out
