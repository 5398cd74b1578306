"""The figures the card, the datasheet and Croissant print: one :func:`tally` per document, summed.

:class:`Stats` is computed once by the build from the sum of every document's
:func:`tally` (a :class:`~collections.Counter`, so chunks and processes add up),
and every number in the generated documents is read from it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypedDict

import coopnum
from coopnum import schema
from coopnum.annotation.document import STAGES, Document
from coopnum.annotation.provenance import Provenance
from coopnum.quality.agreement import Report as AgreementReport
from coopnum.quality.findings import Finding


@dataclass(frozen=True)
class BaselineResults:
    results: dict[str, dict]  # name -> config, method, versions, scores, fold_mean, fold_std, command
    current: bool  # computed on this build's data


@dataclass(frozen=True)
class Stats:
    """Every figure the card and the datasheet print, computed once from the build."""

    documents: dict[str, int]  # split -> documents
    paragraphs: dict[str, int]  # kind -> paragraphs
    characters: int
    raw_lines: int
    removed_by_rule: dict[str, int]
    outlet_known: int
    date_known: int
    title_known: int
    outlets: dict[str, int]
    dates: list[str]  # publication dates the articles state, sorted
    url_known: int = 0
    stages: dict[str, int] = field(default_factory=dict)  # stage (annotation.document.STAGES) -> documents
    annotated: bool = False
    tokens: dict[str, int] = field(default_factory=dict)  # split -> tokens
    sentences: dict[str, int] = field(default_factory=dict)
    mentions: dict[str, dict[str, int]] = field(default_factory=dict)  # split -> label -> gold mentions
    stances: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)  # level -> split -> label -> n
    topics: dict[str, dict[str, int]] = field(default_factory=dict)  # split -> topic -> documents
    annotations_per_document: float = 0.0
    passes: dict[int, int] = field(default_factory=dict)  # independent passes (not gold) -> documents
    preannotation_models: dict[str, int] = field(default_factory=dict)  # recorded model version -> documents
    annotations_by: dict[str, int] = field(default_factory=dict)  # annotator id -> annotations (passes and gold)
    agreement: AgreementReport | None = None
    provenance: Provenance | None = None
    known_issues: tuple[Finding, ...] = ()
    baselines: BaselineResults | None = None
    release: str = coopnum.__version__  # the release version; the build sets its root's (dataset.release)

    @classmethod
    def from_tally(
        cls,
        total: Mapping[tuple[str, ...], int],
        provenance: Provenance | None = None,
        report: AgreementReport | None = None,
        known_issues: Sequence[Finding] = (),
    ) -> Stats:
        """The figures from the sum of every document's :func:`tally`."""
        base = _corpus_figures(total, provenance)
        if not total[("annotated_documents",)]:
            return cls(**base)
        return cls(**base, **_annotation_figures(total), agreement=report, known_issues=tuple(known_issues))

    @property
    def total_documents(self) -> int:
        return sum(self.documents.values())

    def stance_totals(self, level: str) -> dict[str, int]:
        """Gold stance label -> count at one level (``paragraph`` or ``document``), over all splits."""
        out: Counter[str] = Counter()
        for counts in self.stances.get(level, {}).values():
            out.update(counts)
        return dict(out)


def _keyed(total: Mapping[tuple[str, ...], int], kind: str) -> dict[str, int]:
    return dict(sorted((k[1], n) for k, n in total.items() if k[0] == kind and n))


class _CorpusFigures(TypedDict):
    """The :class:`Stats` fields every build has, annotated or not."""

    documents: dict[str, int]
    paragraphs: dict[str, int]
    characters: int
    raw_lines: int
    removed_by_rule: dict[str, int]
    outlet_known: int
    date_known: int
    title_known: int
    url_known: int
    outlets: dict[str, int]
    dates: list[str]
    provenance: Provenance | None
    stages: dict[str, int]


class _AnnotationFigures(TypedDict):
    """The :class:`Stats` fields only an annotated build has."""

    annotated: bool
    tokens: dict[str, int]
    sentences: dict[str, int]
    mentions: dict[str, dict[str, int]]
    stances: dict[str, dict[str, dict[str, int]]]
    topics: dict[str, dict[str, int]]
    annotations_per_document: float
    passes: dict[int, int]
    preannotation_models: dict[str, int]
    annotations_by: dict[str, int]


def _corpus_figures(total: Mapping[tuple[str, ...], int], provenance: Provenance | None) -> _CorpusFigures:
    return _CorpusFigures(
        documents={s: total[("documents", s)] for s in schema.SPLITS},
        paragraphs={k: total[("paragraphs", k)] for k in schema.PARAGRAPH_KINDS},
        characters=total[("characters",)],
        raw_lines=total[("raw_lines",)],
        removed_by_rule=_keyed(total, "removed"),
        outlet_known=total[("outlet_known",)],
        date_known=total[("date_known",)],
        title_known=total[("title_known",)],
        url_known=total[("url_known",)],
        outlets=_keyed(total, "outlet"),
        dates=[date for date, n in _keyed(total, "date").items() for _ in range(n)],
        provenance=provenance,
        stages={stage: total[("stage", stage)] for stage in STAGES},
    )


def _annotation_figures(total: Mapping[tuple[str, ...], int]) -> _AnnotationFigures:
    def by_split(kind: str) -> dict[str, dict[str, int]]:
        return {
            s: {k[2]: n for k, n in sorted(total.items()) if k[0] == kind and k[1] == s and n} for s in schema.SPLITS
        }

    return _AnnotationFigures(
        annotated=True,
        tokens={s: total[("tokens", s)] for s in schema.SPLITS},
        sentences={s: total[("sentences", s)] for s in schema.SPLITS},
        mentions=by_split("mentions"),
        stances={
            level: {
                s: {k[3]: n for k, n in sorted(total.items()) if k[:3] == ("stance", level, s) and n}
                for s in schema.SPLITS
            }
            for level in schema.STANCE_LEVELS
        },
        topics=by_split("topic"),
        annotations_per_document=total[("annotations",)] / total[("annotated_documents",)],
        passes=dict(sorted((int(k[1]), n) for k, n in total.items() if k[0] == "passes" and n)),
        preannotation_models=_keyed(total, "preannotation_model"),
        annotations_by=_keyed(total, "annotations_by"),
    )


def tally(d: Document) -> Counter[tuple[str, ...]]:
    """One document's contribution to every figure of :class:`Stats` (a sum over documents is the corpus's)."""
    c, split = d.clean, d.split
    out: Counter[tuple[str, ...]] = Counter(
        {("documents", split): 1, ("characters",): len(c.text), ("raw_lines",): len(c.audit)}
    )
    out.update(("paragraphs", p.kind) for p in c.paragraphs)
    for rule, n in c.removed_by_rule().items():
        out[("removed", rule)] += n
    out[("outlet", d.source.outlet or "(not stated)")] += 1
    out[("outlet_known",)] += bool(d.source.outlet)
    out[("date_known",)] += bool(d.source.date)
    out[("url_known",)] += bool(d.source.url)
    out[("title_known",)] += bool(c.title)
    if d.source.date:
        out[("date", d.source.date)] += 1
    out[("stage", d.stage)] += 1
    gold = d.gold if d.adjudicated else None
    if d.annotations is None or gold is None:
        return out
    out[("annotated_documents",)] += 1
    out[("annotations",)] += len(d.annotations.annotations)
    out.update(("annotations_by", a.annotator) for a in d.annotations.annotations)
    # a str key: tally keys are tuples of str (Stats.from_tally turns it back into an int)
    out[("passes", str(sum(not a.ground_truth for a in d.annotations.annotations)))] += 1
    out.update(("preannotation_model", v) for v in sorted({p.model_version for p in d.annotations.predictions}))
    out[("sentences", split)] += len(d.sentences)
    out[("tokens", split)] += sum(len(s.tokens) for s in d.sentences)
    out.update(("mentions", split, e.label) for e in gold.entities)
    out.update(("stance", "paragraph", split, label) for label in gold.paragraph_stances if label is not None)
    if gold.stance is not None:
        out[("stance", "document", split, gold.stance)] += 1
    out.update(("topic", split, t) for t in gold.topics)
    return out
