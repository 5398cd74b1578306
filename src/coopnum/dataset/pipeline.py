"""The per-document step of ``build`` and ``validate``: read, clean, check, and (for the build) rows.

One rule set: every document is checked by the same named checks (:mod:`coopnum.quality`), which
report findings and never raise; ``validate`` lists them, the build stops on the first finding of
severity error (:func:`coopnum.dataset.run.run`). A chunk of documents is the unit of work:
:class:`ChunkStep` turns one chunk into a :class:`ChunkResult` (Arrow tables, counts, findings)
with pure functions only, and any executor (:mod:`coopnum.util.executor`) can run it.
"""

from __future__ import annotations

import gc
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from coopnum.annotation import format as ann
from coopnum.annotation.document import Document
from coopnum.corpus import recurring, splits
from coopnum.corpus import sources as corpus
from coopnum.corpus.clean import clean_source_file
from coopnum.dataset import cache, card, chunk_tables, registry, row_privacy
from coopnum.dataset import evidence as evidence_cache
from coopnum.dataset.setup import Setup, annotation_file
from coopnum.dataset.setup import read_setup as read_setup  # re-exported: build and validation call pipeline.read_setup
from coopnum.errors import BuildError, CheckFailed, CoopnumError
from coopnum.quality import agreement, checks, variation
from coopnum.quality.findings import ERROR, Finding, finding, from_error
from coopnum.text import align

CHUNK_DOCUMENTS = 64  # fixed: chunk edges are part of what makes two builds byte-identical
# Loading spaCy (a second or more) in the main process, to share it with the forked workers, pays
# off when many documents are cleaned; a rebuild after an edit cleans a few, whose tokens are often
# cached (their clean text did not change): a worker that needs the tokenizer then loads it itself.
WARM_UP_DOCUMENTS = CHUNK_DOCUMENTS


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
    d = d.with_annotations(doc)  # the same text and paragraphs: any tokens go with it
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
    table_rows: dict[tuple[str, str], int] = field(default_factory=dict)  # tables left in the cache: their rows
    spill: pa.RecordBatch | None = None
    spill_digest: str = ""  # with a cache: the sha256 of the spill batch (the variation pass's key)
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
    """Clean, check, count and (for the build) turn into rows the documents of one chunk.

    With a cache (``setup.store``), a chunk whose documents' keys and consulted evidence are all
    unchanged is one entry (its tables as Arrow, per split, apart: :mod:`coopnum.dataset.chunk_tables`); otherwise
    each document is looked up alone."""

    setup: Setup

    def warm_up(self) -> None:
        uncached = self.setup.uncached_documents  # None: no cache, every document is cleaned
        if uncached is None or uncached > WARM_UP_DOCUMENTS:
            align.french()  # loaded once in the main process, inherited by forked workers

    def __call__(self, sources: Sequence[tuple[corpus.Source, int]]) -> ChunkResult:
        # The cyclic collector would scan the chunk's many short-lived objects again and again (15 %
        # of the time); they are freed by reference counting, so it waits until the chunk is done.
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._cached_chunk(sources)
        finally:
            if enabled:
                gc.enable()

    def chunk_key(self, sources: Sequence[tuple[corpus.Source, int]]) -> str | None:
        setup = self.setup
        if setup.keys is None or setup.store is None:
            return None
        keys = [setup.keys.of(source, fold) for source, fold in sources]
        return None if None in keys else cache.digest("chunk", str(setup.with_rows), *(k or "" for k in keys))

    def serving_key(self, sources: Sequence[tuple[corpus.Source, int]]) -> str | None:
        """The chunk's key when its entry will serve, from its head alone (:class:`cache.ChunkHead`), else
        None: the main process reads such a chunk itself (:meth:`cached`, given the key) and sends only the
        others to workers."""
        found = self.serving_head(sources)
        return None if found is None else found[0]

    def serving_head(self, sources: Sequence[tuple[corpus.Source, int]]) -> tuple[str, cache.ChunkHead] | None:
        """(the chunk's key, its head) when its entry will serve (:meth:`serving_key`), else None."""
        setup, key = self.setup, self.chunk_key(sources)
        if key is None or setup.store is None:
            return None
        head = cache.ChunkHead.read(setup.store.get(cache.head_key(key)))
        if head is None:
            return None
        # a head is written only for lookups that can hold; the same evidence: they hold, unread
        holds = head.evidence == setup.evidence_digest or evidence_cache.evidence_holds(
            head.lookups, head.evidence, setup.evidence, setup.evidence_digest
        )
        return (key, head) if holds else None

    def cached(
        self,
        sources: Sequence[tuple[corpus.Source, int]],
        key: str | None = None,
        needed: chunk_tables.Needed | None = None,
    ) -> ChunkResult | None:
        """The chunk's result from its entry when the entry holds, else None; ``key``: the chunk's key when
        the caller has it already (:meth:`serving_key`); its tables only when ``needed`` (:mod:`.chunk_tables`)."""
        key = self.chunk_key(sources) if key is None else key
        found = None if key is None else chunk_tables.read(self.setup, key, needed)
        return found if isinstance(found, ChunkResult) else None

    def _cached_chunk(self, sources: Sequence[tuple[corpus.Source, int]]) -> ChunkResult:
        setup, key = self.setup, self.chunk_key(sources)
        if key is None or setup.store is None:
            return self._chunk(sources)
        found = self.cached(sources)
        if found is not None:
            return found
        lookups: list[tuple[int, int, int | None]] = []
        result = self._chunk(sources, lookups)
        complete = result.error is None and not (setup.with_rows and result.first_error is not None)
        if complete and evidence_cache.UNCACHEABLE not in lookups:
            chunk_tables.put(setup, key, result, tuple(dict.fromkeys(lookups)))
        return result

    def _chunk(
        self, sources: Sequence[tuple[corpus.Source, int]], lookups: list[tuple[int, int, int | None]] | None = None
    ) -> ChunkResult:
        """The chunk's result from its documents' parts; their evidence lookups go into ``lookups``."""
        setup, result = self.setup, ChunkResult()
        lookups = [] if lookups is None else lookups
        rows: dict[tuple[str, str], list[registry.Rows]] = {}
        spill: dict[str, list[object]] = {name: [] for name in SPILL_SCHEMA.names}
        for source, fold in sources:
            part = self._part(source, fold)
            if isinstance(part, CoopnumError):
                result.error = part
                return result
            lookups += part.lookups if part.lookups is not None else [evidence_cache.UNCACHEABLE]
            result.findings += part.findings
            if setup.with_rows:
                if part.errored:
                    return result  # the build stops here: nothing of a document with an error is written
                if part.personal_data:  # cached or not: the build stops here too
                    result.findings += row_privacy.findings(setup.root, part, setup.plan)
                    return result
                for config, config_rows in part.rows.items():
                    rows.setdefault((config, part.split), []).append(config_rows)
                result.tally.update(part.tally)
            _add_counts(part, result, spill, with_digests=not setup.with_rows)
        if spill["doc_id"]:
            result.spill = pa.RecordBatch.from_pydict(spill, schema=SPILL_SCHEMA)
            if setup.store is not None:
                result.spill_digest = cache.digest(result.spill.serialize().to_pybytes())
        for (config, split), pieces in rows.items():
            result.tables[(config, split)] = registry.table_of(config, pieces, setup.annotated)
        return result

    def _part(self, source: corpus.Source, fold: int) -> cache.DocumentPart | CoopnumError:
        """One document's results: from the cache when its inputs (and the evidence its cleaning
        consulted) are unchanged, else computed, and stored for the next run."""
        setup = self.setup
        key = setup.keys.of(source, fold) if setup.keys is not None else None
        if key is None or setup.store is None:
            return document_part(setup, source, fold)
        cached = cache.loads(setup.store.get(key))
        if (
            cached is not None
            and cached.serves(setup.with_rows)
            and evidence_cache.evidence_holds(cached.lookups, cached.evidence, setup.evidence, setup.evidence_digest)
        ):
            return cached
        part = document_part(setup, source, fold)
        if isinstance(part, cache.DocumentPart) and part.lookups is not None:
            setup.store.put(key, cache.dumps(part))
        return part


def document_part(setup: Setup, source: corpus.Source, fold: int) -> cache.DocumentPart | CoopnumError:
    """Clean and check one document, and (for the build, when it has no error) make its rows."""
    recorder = evidence_cache.EvidenceRecorder(setup.evidence)
    try:
        d = clean_source(setup.corpus_dir, source, fold, recorder.evidence)
    except CoopnumError as e:
        return e
    tokens_key = _tokens_key(setup, d)
    tokens_cached = tokens_key is not None and _load_tokens(setup, tokens_key, d)
    d, found = check_document(setup, d)
    errored = any(f.severity == ERROR for f in found)
    part = cache.DocumentPart(d.doc_id, d.split, found, errored, recorder.lookups(), setup.evidence_digest)
    if setup.with_rows and not errored:
        rows = {}
        for config in registry.written(setup.annotated):
            config_rows = registry.document_rows(config, d, setup.annotated)  # none of an unadjudicated one
            if len(config_rows):
                rows[config] = config_rows
        part.rows = rows  # pickled: validation never unpickles them
        part.personal_data = row_privacy.personal_data(rows, setup.annotated)
        part.tally = card.tally(d)
    _count(d, found, part)
    if tokens_key is not None and not tokens_cached and setup.store is not None and d.tokenised:
        setup.store.put(tokens_key, cache.dumps(align.columns_of(d.sentences)))  # tokenised here: kept
    return part


def _tokens_key(setup: Setup, d: Document) -> str | None:
    """The cache key of a document's tokens (:attr:`Document.sentences`): they depend on its clean text
    and paragraphs alone (and the code and spaCy's version, in the context), so an edit of its
    annotation or of the boilerplate of its raw file finds them."""
    if setup.keys is None or setup.store is None:
        return None
    return cache.digest("tokens", setup.keys.context, d.clean.text, repr(d.paragraph_ranges))


def _load_tokens(setup: Setup, key: str, d: Document) -> bool:
    """Give ``d`` its cached tokens, when there are; whether there were."""
    columns = cache.load_value(setup.store.get(key)) if setup.store is not None else None
    if not isinstance(columns, align.TokenColumns) or (len(columns) and columns.text != d.clean.text):
        return False
    d.give_sentences(columns.sentences())
    return True


def _count(d: Document, found: list[Finding], part: cache.DocumentPart) -> None:
    """Agreement, surface forms and gold counts of one document, for the corpus-level figures."""
    doc = d.annotations
    if doc is None or any(f.check == "stale_text" for f in found):
        return  # reported; the corpus-level counts need current annotations
    if sum(a.ground_truth for a in doc.annotations) > 1:
        return  # two golds: reported as an error
    part.counted = True
    part.agreement = agreement.Accumulator()
    part.agreement.add(doc)
    passes = [a for a in doc.annotations if not a.ground_truth]
    part.pass_surfaces = variation.surface_counts(s for a in passes for s in a.entities)
    gold = doc.gold_or_none()
    if gold is None:
        return
    part.has_gold = True
    part.stance_rows = len(gold.paragraph_stances)  # `stance`: one row per paragraph (`stance_document`: one)
    part.gold_surfaces = variation.surface_counts(gold.entities)
    part.gold_digest = gold_digest((s.start, s.end, s.label) for s in gold.entities)
    part.spill = _spill_values(d, gold)


def _add_counts(
    part: cache.DocumentPart, result: ChunkResult, spill: dict[str, list[object]], *, with_digests: bool
) -> None:
    """A document's counts into its chunk's (the gold digests only for validation: the check of
    dataset/'s ner tags; the build does not need them)."""
    if not part.counted or part.agreement is None:
        return
    result.agreement.merge(part.agreement)
    result.pass_surfaces.update(part.pass_surfaces)
    if not part.has_gold:
        return
    result.annotated_documents += 1
    result.stance_rows += part.stance_rows
    result.gold_surfaces.update(part.gold_surfaces)
    if with_digests and part.gold_digest is not None:
        result.gold_digests[part.doc_id] = part.gold_digest
    for name, value in (part.spill or {}).items():
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
