"""``coopnum status``: where each corpus document stands, read from the files alone (no server).

A document is *cleaned* when it has no annotation file yet; *in Label Studio* when
``annotations/labelstudio/<doc_id>.json`` exists (``coopnum ls pull`` writes one for every task,
recording its ``task_id``) but holds no pass; then it has *n passes* (annotations that are not the
gold), is *adjudicated* once a gold (ground-truth) annotation exists, and is *stale* when its
annotations were made on a text whose SHA-256 differs from the current clean text's (the build
leaves it out of the annotated configs). ``coopnum ls push`` keeps no local record, so a task pushed
but never pulled shows as cleaned. Each stage names the next command to run.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from coopnum.annotation import format as ann
from coopnum.annotation.document import ADJUDICATED, CLEANED, PASSES, STALE
from coopnum.corpus import recurring, sources
from coopnum.corpus.clean import clean_source_file

IN_LABEL_STUDIO = "in_label_studio"
PASSES_NEEDED = 2  # two independent passes, then adjudication (annotations/GUIDELINES.md)
STATUS_STAGES = (CLEANED, IN_LABEL_STUDIO, PASSES, ADJUDICATED, STALE)

NEXT = {
    CLEANED: "coopnum ls push",
    IN_LABEL_STUDIO: "annotate in Label Studio (or coopnum ls tasks / coopnum ls submit), then coopnum ls pull",
    "one_pass": "a second, independent pass in Label Studio, then coopnum ls pull",
    PASSES: "coopnum adjudication-package --out DIR, submit the gold (coopnum ls submit --ground-truth), "
    "then coopnum ls pull",
    ADJUDICATED: "coopnum build",
    STALE: "coopnum ls push (the task gets the new text), annotate it again, then coopnum ls pull",
}


@dataclass(frozen=True)
class DocumentStatus:
    doc_id: str
    file: str
    stage: str  # one of STATUS_STAGES
    in_label_studio: bool
    task_id: int | None
    passes: int
    adjudicated: bool
    stale: bool
    next_command: str

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def _stage(annotations: ann.DocumentAnnotations | None, text_sha256: str) -> tuple[str, int, bool]:
    """The stage, the number of passes and whether there is a gold."""
    if annotations is None:
        return CLEANED, 0, False
    passes = sum(not a.ground_truth for a in annotations.annotations)
    gold = annotations.gold() is not None
    if annotations.text_sha256 != text_sha256:
        return STALE, passes, gold
    if gold:
        return ADJUDICATED, passes, gold
    return (PASSES if passes else IN_LABEL_STUDIO), passes, gold


def _next(stage: str, passes: int) -> str:
    if stage == PASSES and passes < PASSES_NEEDED:
        return NEXT["one_pass"]
    return NEXT[stage]


def document_status(
    corpus_dir: Path,
    source: sources.Source,
    annotations: ann.DocumentAnnotations | None,
    evidence: recurring.LineEvidence | None = None,
) -> DocumentStatus:
    """``evidence``: the corpus's recurring lines, as the build cleans with them (else the text could
    differ from the build's and a current annotation look stale)."""
    clean = clean_source_file(corpus_dir, source, evidence)
    stage, passes, gold = _stage(annotations, clean.text_sha256)
    return DocumentStatus(
        doc_id=source.doc_id,
        file=source.file,
        stage=stage,
        in_label_studio=annotations is not None,
        task_id=annotations.task_id if annotations else None,
        passes=passes,
        adjudicated=gold and stage != STALE,
        stale=stage == STALE,
        next_command=_next(stage, passes),
    )


@dataclass(frozen=True)
class CorpusStatus:
    documents: tuple[DocumentStatus, ...]
    orphans: tuple[str, ...]  # doc ids of annotation files whose document is not in the corpus

    def counts(self) -> dict[str, int]:
        """Documents per stage, every stage named (zero included)."""
        return {stage: sum(d.stage == stage for d in self.documents) for stage in STATUS_STAGES}

    def to_json(self) -> dict[str, object]:
        return {
            "documents": [d.to_json() for d in self.documents],
            "counts": self.counts(),
            "orphan_annotations": list(self.orphans),
        }


def corpus_status(root: Path) -> CorpusStatus:
    """Every document of ``root/corpus`` in file order, with its stage (see the module docstring)."""
    corpus_dir = root / "corpus"
    annotations = ann.load_all(root / "annotations")
    listed = sources.list_corpus(corpus_dir)
    evidence = recurring.of_corpus(corpus_dir, listed)  # the build's corpus pass, so the texts are the build's
    documents = tuple(document_status(corpus_dir, s, annotations.get(s.doc_id), evidence) for s in listed)
    known = {d.doc_id for d in documents}
    return CorpusStatus(documents, tuple(sorted(set(annotations) - known)))
