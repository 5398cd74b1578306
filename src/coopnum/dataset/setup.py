"""What every chunk of ``build`` and ``validate`` needs, read once by the main process: the corpus's
records, folds, annotation ids, adjudication reasons, provenance, recurring-line evidence and (with
a cache) each document's key. :mod:`coopnum.dataset.pipeline` re-exports it; the per-document step
is there."""

from __future__ import annotations

import dataclasses
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from coopnum.annotation import adjudication
from coopnum.annotation import format as ann
from coopnum.annotation import provenance as provenance_mod
from coopnum.corpus import recurring, splits
from coopnum.corpus import sources as corpus
from coopnum.dataset import cache, shards
from coopnum.dataset import evidence as evidence_cache
from coopnum.dataset.manifest import library_versions
from coopnum.errors import CoopnumError
from coopnum.quality import checks
from coopnum.quality.findings import Finding, finding, from_error
from coopnum.util.digests import RegularFiles


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
    store: cache.EntryStore | None = None  # the per-document cache (None: --no-cache)
    keys: cache.DocumentKeys | None = None  # each document's key in it
    evidence_digest: str = ""  # evidence_cache.evidence_digest(evidence), with a cache
    uncached_documents: int | None = None  # with a cache, set by the documents pass: documents with no entry; None: all
    plan: shards.Plan | None = None  # the Parquet shards of each split (None: one file per split)

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


def read_setup(
    root: Path,
    *,
    with_rows: bool,
    store: cache.EntryStore | None = None,
    input_hashes: Mapping[str, str] | None = None,
    regular: Container[str] | None = None,
) -> tuple[Setup, list[corpus.Source]]:
    """The corpus's records and everything the checks need; problems with the annotations'
    side files are findings. Raises only when the corpus itself cannot be listed. With a cache
    ``store`` and the sha256 of every input (:mod:`coopnum.dataset.manifest`; ``regular``: those
    that are regular files, default all), documents whose inputs are unchanged reuse their results
    (:mod:`coopnum.dataset.cache`)."""
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
    keys = None
    if store is not None and input_hashes is not None:
        context = cache.context_digest(input_hashes, library_versions(), annotated=bool(ids))
        hashes = _regular_hashes(input_hashes, regular)
        keys = cache.DocumentKeys(context, hashes, ids, cache.reasons_by_document(reasons))
    digest = ""
    try:  # the corpus pass before cleaning; an unreadable raw file is reported by its chunk instead
        if keys is not None and store is not None:
            evidence, digest = evidence_cache.cached_evidence(root, sources, store, keys)
        else:
            evidence = recurring.of_corpus(root / "corpus", sources)
    except CoopnumError:
        evidence = recurring.LineEvidence()
        digest = evidence_cache.evidence_digest(evidence) if keys is not None else ""
    # uncached_documents is counted by the documents pass (coopnum.dataset.run), over the chunks it computes
    plan = shards.Plan.of((s.doc_id, splits.split_of(s.doc_id)) for s in sources)  # every document has a row
    setup = Setup(
        root, ids, fold_of, provenance, reasons, tuple(out), with_rows, evidence, store, keys, digest, plan=plan
    )
    return setup, sources


def _regular_hashes(input_hashes: Mapping[str, str], regular: Container[str] | None) -> Mapping[str, str]:
    """The hashes of the regular inputs: the snapshot's own view of them when it is one (no copy)."""
    if regular is None:
        return input_hashes
    return regular if isinstance(regular, RegularFiles) else {k: v for k, v in input_hashes.items() if k in regular}
