"""Precision, recall and F1 from counts: the one set-intersection core that annotator agreement
and system evaluation share. Counts first, division last; strict or partial span matching is a
parameter, not a second implementation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

Spans = Iterable[tuple[int, int, str]]


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float
    true_positives: int
    predicted: int
    reference: int


def prf(tp: int, predicted: int, reference: int) -> PRF:
    """Precision, recall, F1; 0.0 where a denominator is 0 (the counts say which)."""
    p = tp / predicted if predicted else 0.0
    r = tp / reference if reference else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return PRF(p, r, f, tp, predicted, reference)


def _matches(reference: list[tuple[int, int, str]], predicted: list[tuple[int, int, str]], partial: bool) -> list[str]:
    """Labels of matched pairs."""
    if not partial:
        return [s[2] for s in set(reference) & set(predicted)]
    used: set[int] = set()
    labels = []
    for r_start, r_end, r_label in sorted(reference):
        for j, (p_start, p_end, p_label) in enumerate(sorted(predicted)):
            if j not in used and p_label == r_label and p_start < r_end and r_start < p_end:
                used.add(j)
                labels.append(r_label)
                break
    return labels


def span_counts(reference: Spans, predicted: Spans, *, partial: bool = False) -> dict[str, tuple[int, int, int]]:
    """Per label: (matched, predicted, reference). Duplicated spans count once."""
    ref, pred = sorted(set(reference)), sorted(set(predicted))
    tp = Counter(_matches(ref, pred, partial))
    n_pred, n_ref = Counter(s[2] for s in pred), Counter(s[2] for s in ref)
    return {label: (tp[label], n_pred[label], n_ref[label]) for label in sorted(set(n_pred) | set(n_ref))}


def add_counts(*counts: Mapping[str, tuple[int, int, int]]) -> dict[str, tuple[int, int, int]]:
    total: dict[str, tuple[int, int, int]] = {}
    for c in counts:
        for label, (a, b, d) in c.items():
            x, y, z = total.get(label, (0, 0, 0))
            total[label] = (x + a, y + b, z + d)
    return dict(sorted(total.items()))


def scores(counts: Mapping[str, tuple[int, int, int]], labels: Sequence[str]) -> dict[str, PRF]:
    """Per label (every label in ``labels``, even if absent) and ``overall`` (micro)."""
    out = {label: prf(*counts.get(label, (0, 0, 0))) for label in labels}
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    out["overall"] = prf(*total)
    return out
