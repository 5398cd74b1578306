"""Agreement between annotators, and between a model and the gold, from the same counts.

Counts first, division last: :func:`span_counts` returns (true positives,
predicted, reference) per label for two sets of spans; :func:`prf` divides
with an explicit zero-division policy (an empty denominator gives 0.0, and the
count that made it empty is reported beside the score). Exact matching is
set intersection of ``(start, end, label)``; partial matching pairs spans of
the same label that share at least one character, one to one, greedily in
text order.

Chance-corrected agreement on categorical choices is Krippendorff's alpha
(nominal), from the ``krippendorff`` package.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import krippendorff
import numpy as np

from coopnum import schema
from coopnum.annotation.format import Annotation, DocumentAnnotations
from coopnum.quality.scores import PRF, add_counts, scores, span_counts


def alpha_nominal(
    units: Sequence[Sequence[str | None]], categories: Sequence[str], repeats: Sequence[int] | None = None
) -> float | None:
    """Krippendorff's alpha (nominal): ``units[u][c]`` is coder c's label for unit u, None if missing;
    ``repeats[u]`` (default 1) says how many units have exactly that row of labels.

    None when alpha is undefined: fewer than two pairable values, or no variation at all
    (every value identical: the expected disagreement is zero).
    """
    if not units:
        return None
    data = np.array(
        [[np.nan if v is None else float(categories.index(v)) for v in unit] for unit in units], dtype=float
    ).T  # coders × units
    if repeats is not None:
        data = np.repeat(data, np.asarray(repeats, dtype=np.int64), axis=1)
    values = data[~np.isnan(data)]
    pairable = int(np.count_nonzero((~np.isnan(data)).sum(axis=0) >= 2))
    if pairable == 0 or len(set(values.tolist())) < 2:
        return None
    a = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    return None if math.isnan(a) else float(a)


# ------------------------------------------------------------------ the corpus report


@dataclass(frozen=True)
class PairReport:
    """Two annotators over the documents both annotated; ``first`` is taken as the reference."""

    first: str
    second: str
    documents: int
    ner_exact: dict[str, PRF]
    ner_partial: dict[str, PRF]
    disagreements: dict[str, int]


@dataclass(frozen=True)
class Report:
    annotators: tuple[str, ...]
    pairs: tuple[PairReport, ...]
    paragraph_stance_alpha: float | None
    document_stance_alpha: float | None
    topic_alpha: dict[str, float | None]
    preannotation: dict[str, dict[str, PRF]]  # model version -> CoNLL-4 scores against the gold
    # model version -> annotator -> overall CoNLL-4 score of the model against that pass: how close each
    # pass stayed to the suggestions (the effect of starting from pre-annotations, or not)
    preannotation_vs_passes: dict[str, dict[str, PRF]]
    paragraph_units: int
    document_units: int
    # pairs of annotators who share no document: their agreement is undefined (n/a), not 0
    unshared_pairs: tuple[tuple[str, str], ...] = ()


def _spans(a: Annotation) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in a.entities]


def disagreement_counts(a: Annotation, b: Annotation) -> Counter[str]:
    """Kinds of disagreement between two annotations of one document.

    Entity disagreements are counted once per pair of spans involved: same range but another
    label; same label, overlapping but other edges; and spans the other has nothing against.
    """
    out: Counter[str] = Counter()
    only_a, only_b = sorted(set(_spans(a)) - set(_spans(b))), sorted(set(_spans(b)) - set(_spans(a)))
    used_a: set[int] = set()
    used_b: set[int] = set()
    for kind, pairs in (
        ("entity label", lambda x, y: x[:2] == y[:2]),
        ("entity boundary", lambda x, y: x[2] == y[2] and x[0] < y[1] and y[0] < x[1]),
    ):
        for i, x in enumerate(only_a):
            for j, y in enumerate(only_b):
                if i not in used_a and j not in used_b and pairs(x, y):
                    used_a.add(i)
                    used_b.add(j)
                    out[kind] += 1
    out["entity in one only"] = len(only_a) - len(used_a) + len(only_b) - len(used_b)
    out["paragraph stance"] = sum(x != y for x, y in zip(a.paragraph_stances, b.paragraph_stances, strict=False))
    out["document stance"] = int(a.stance != b.stance)
    out["topic"] = len(set(a.topics) ^ set(b.topics))
    return out


def corpus_report(docs: Iterable[DocumentAnnotations]) -> Report:
    """Agreement over ``DocumentAnnotations``: every pair of (non-gold) annotators, alpha over all."""
    acc = Accumulator()
    for d in docs:
        acc.add(d)
    return acc.report()


Unit = tuple[tuple[str, str | None], ...]  # (annotator, label) for each pass over one unit
_Key = TypeVar("_Key")  # a pair of annotators, a model version, or (model version, pass)


def _merge_counts(
    mine: dict[_Key, dict[str, tuple[int, int, int]]], theirs: Mapping[_Key, Mapping[str, tuple[int, int, int]]]
) -> None:
    """Add ``theirs`` span counts into ``mine``, key by key."""
    for key, counts in theirs.items():
        mine[key] = add_counts(mine.get(key, {}), counts)


class Accumulator:
    """The counts behind a :class:`Report`, added a document at a time and merged across processes.

    Everything is a sum (span counts per pair and label, disagreement kinds, and each distinct row of
    labels over the annotators with the number of units that have it), so a corpus is never held in
    memory and the report equals :func:`corpus_report` over the same documents in any order."""

    def __init__(self) -> None:
        self.annotators: set[str] = set()
        self.pair_documents: Counter[tuple[str, str]] = Counter()
        self.exact: dict[tuple[str, str], dict[str, tuple[int, int, int]]] = {}
        self.partial: dict[tuple[str, str], dict[str, tuple[int, int, int]]] = {}
        self.kinds: dict[tuple[str, str], Counter[str]] = {}
        self.units: dict[str, Counter[Unit]] = {}  # "paragraph", "document", "topic:<label>"
        self.preannotation: dict[str, dict[str, tuple[int, int, int]]] = {}
        self.vs_passes: dict[tuple[str, str], dict[str, tuple[int, int, int]]] = {}

    def add(self, d: DocumentAnnotations) -> None:
        passes = {a.annotator: a for a in d.annotations if not a.ground_truth}
        gold = d.gold()
        self.annotators.update(passes)
        names = sorted(passes)
        for i, first in enumerate(names):
            for second in names[i + 1 :]:
                a, b = passes[first], passes[second]
                pair = (first, second)
                self.pair_documents[pair] += 1
                self.exact[pair] = add_counts(self.exact.get(pair, {}), span_counts(_spans(a), _spans(b)))
                self.partial[pair] = add_counts(
                    self.partial.get(pair, {}), span_counts(_spans(a), _spans(b), partial=True)
                )
                self.kinds[pair] = self.kinds.get(pair, Counter()) + disagreement_counts(a, b)  # + keeps counts > 0
        if len(passes) >= 2:
            coders = [passes[name] for name in names]
            n_par = max(len(c.paragraph_stances) for c in coders)
            for k in range(n_par):
                self._unit(
                    "paragraph",
                    tuple(
                        (c.annotator, c.paragraph_stances[k] if k < len(c.paragraph_stances) else None) for c in coders
                    ),
                )
            self._unit("document", tuple((c.annotator, c.stance) for c in coders))
            for t in schema.TOPIC_LABELS:
                self._unit(f"topic:{t}", tuple((c.annotator, "yes" if t in c.topics else "no") for c in coders))
        for p in d.predictions:
            predicted = [(s.start, s.end, s.label) for s in p.entities]
            if gold is not None:
                gold_spans = [(s, e, schema.CONLL_PROJECTION[label]) for s, e, label in _spans(gold)]
                self.preannotation[p.model_version] = add_counts(
                    self.preannotation.get(p.model_version, {}), span_counts(gold_spans, predicted)
                )
            for name in names:
                ref = [(s, e, schema.CONLL_PROJECTION[label]) for s, e, label in _spans(passes[name])]
                key = (p.model_version, name)
                self.vs_passes[key] = add_counts(self.vs_passes.get(key, {}), span_counts(ref, predicted))

    def _unit(self, kind: str, unit: Unit) -> None:
        self.units.setdefault(kind, Counter())[unit] += 1

    def merge(self, other: Accumulator) -> None:
        self.annotators |= other.annotators
        self.pair_documents.update(other.pair_documents)
        _merge_counts(self.exact, other.exact)
        _merge_counts(self.partial, other.partial)
        _merge_counts(self.preannotation, other.preannotation)
        _merge_counts(self.vs_passes, other.vs_passes)
        for pair, kinds in other.kinds.items():
            self.kinds[pair] = self.kinds.get(pair, Counter()) + kinds
        for kind, units in other.units.items():
            self.units.setdefault(kind, Counter()).update(units)

    def _alpha(self, kind: str, annotators: tuple[str, ...], categories: Sequence[str]) -> tuple[float | None, int]:
        units = sorted(self.units.get(kind, Counter()).items())
        rows = [[dict(unit).get(name) for name in annotators] for unit, _ in units]
        return alpha_nominal(rows, categories, [n for _, n in units]), sum(n for _, n in units)

    def report(self) -> Report:
        annotators = tuple(sorted(self.annotators))
        pairs, unshared = [], []
        for i, first in enumerate(annotators):
            for second in annotators[i + 1 :]:
                pair = (first, second)
                if not self.pair_documents[pair]:
                    unshared.append(pair)  # no document in common: nothing to agree on
                    continue
                pairs.append(
                    PairReport(
                        first,
                        second,
                        self.pair_documents[pair],
                        scores(self.exact.get(pair, {}), schema.ENTITY_LABELS),
                        scores(self.partial.get(pair, {}), schema.ENTITY_LABELS),
                        dict(self.kinds.get(pair, Counter())),
                    )
                )
        paragraph_alpha, paragraph_units = self._alpha("paragraph", annotators, schema.STANCE_LABELS)
        document_alpha, document_units = self._alpha("document", annotators, schema.STANCE_LABELS)
        versions = sorted(self.preannotation.keys() | {v for v, _ in self.vs_passes})
        return Report(
            annotators=annotators,
            pairs=tuple(pairs),
            paragraph_stance_alpha=paragraph_alpha,
            document_stance_alpha=document_alpha,
            topic_alpha={t: self._alpha(f"topic:{t}", annotators, ("no", "yes"))[0] for t in schema.TOPIC_LABELS},
            preannotation={v: scores(self.preannotation.get(v, {}), schema.CONLL_LABELS) for v in versions},
            preannotation_vs_passes={
                v: {
                    name: scores(self.vs_passes.get((v, name), {}), schema.CONLL_LABELS)["overall"]
                    for name in annotators
                }
                for v in versions
            },
            paragraph_units=paragraph_units,
            document_units=document_units,
            unshared_pairs=tuple(unshared),
        )


def _prf_dict(r: PRF) -> dict[str, float | int]:
    return {
        "precision": round(r.precision, 4),
        "recall": round(r.recall, 4),
        "f1": round(r.f1, 4),
        "true_positives": r.true_positives,
        "predicted": r.predicted,
        "reference": r.reference,
    }


def report_dict(report: Report) -> dict[str, object]:
    """The report as plain JSON data (rounded to 4 places; None where undefined)."""

    def r4(x: float | None) -> float | None:
        return None if x is None else round(x, 4)

    return {
        "annotators": list(report.annotators),
        "pairs": [
            {
                "reference": p.first,
                "other": p.second,
                "documents": p.documents,
                "entities_exact": {k: _prf_dict(v) for k, v in p.ner_exact.items()},
                "entities_partial": {k: _prf_dict(v) for k, v in p.ner_partial.items()},
                "disagreements": dict(sorted(p.disagreements.items())),
            }
            for p in report.pairs
        ],
        # only when there are some, so a report without them keeps its bytes
        **(
            {
                "pairs_without_shared_documents": [
                    {"reference": a, "other": b, "documents": 0, "agreement": "n/a"} for a, b in report.unshared_pairs
                ]
            }
            if report.unshared_pairs
            else {}
        ),
        "krippendorff_alpha": {
            "paragraph_stance": r4(report.paragraph_stance_alpha),
            "document_stance": r4(report.document_stance_alpha),
            "topics": {t: r4(a) for t, a in report.topic_alpha.items()},
        },
        "units": {"paragraphs": report.paragraph_units, "documents": report.document_units},
        "preannotation_vs_gold_conll4": {
            version: {k: _prf_dict(v) for k, v in s.items()} for version, s in report.preannotation.items()
        },
        "preannotation_vs_each_pass_conll4": {
            version: {name: _prf_dict(v) for name, v in by_pass.items()}
            for version, by_pass in report.preannotation_vs_passes.items()
        },
    }
