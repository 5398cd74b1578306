"""The metrics of every scored config, on scikit-learn and seqeval, with one policy for absent labels.

**Absent labels.** A label that occurs neither in the gold nor in the predictions of the scored
rows has no F1 (0/0): it is *undefined* (``None`` here, NaN in scikit-learn's
``zero_division=np.nan``) and left out of every average over labels (macro-F1, F_avg), exactly
as scikit-learn does with ``zero_division=np.nan``. A label absent from the gold but predicted
scores F1 0 (its false positives count); a label in the gold never predicted scores F1 0. So a
perfect system scores 1.0 on every config, split and fold, and a macro average is over the
labels the scored rows hold (each result names the labels absent from the gold: with them gone,
a macro-F1 is over fewer classes, and a majority baseline may equal the ceiling). A precision
with nothing predicted, or a recall with nothing in the gold, is ``None`` likewise; a score with
no defined value at all (no entity in gold nor predictions) is ``None``, never 0.

Values are unrounded floats; only displays round. NER is entity level (seqeval): ``strict``
(IOB2, an entity starting with ``I-`` is not an entity) is the headline, and ``conlleval`` (seqeval's
default mode, which starts an entity at such an ``I-`` as the conlleval script does) stands beside
it; predictions with such invalid IOB2 are counted. Fold statistics are the mean and the *sample*
standard deviation (ddof=1) of the fold scores where a score is defined.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from typing import Any

ABSENT_POLICY = (
    "labels absent from both the gold and the predictions of the scored rows have an undefined F1 and are "
    "left out of the macro averages (scikit-learn's zero_division=np.nan); a label absent from the gold but "
    "predicted scores F1 0"
)
FOLD_SD = "sample standard deviation (ddof=1) of the fold scores, over the folds where the score is defined"

Score = float | None  # None: undefined (0/0), see the module docstring


def _defined(x: Any) -> Score:
    """A float, or None for NaN (JSON has no NaN)."""
    value = float(x)
    return None if math.isnan(value) else value


def mean_defined(values: Sequence[Score]) -> Score:
    """The mean of the defined values (NaN-mean); None when none is defined."""
    kept = [v for v in values if v is not None]
    return statistics.fmean(kept) if kept else None


# ------------------------------------------------------------------ single-label (stance)


def single_label(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Per-label precision/recall/F1, macro-F1 and accuracy (scikit-learn, ``zero_division=np.nan``)."""
    import numpy as np
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support

    p, r, f, support = precision_recall_fscore_support(
        list(y_true), list(y_pred), labels=list(labels), average=None, zero_division=np.nan
    )
    per = {
        label: {"precision": _defined(p[i]), "recall": _defined(r[i]), "f1": _defined(f[i]), "support": int(support[i])}
        for i, label in enumerate(labels)
    }
    return {
        "macro_f1": mean_defined([v["f1"] for v in per.values()]),
        "accuracy": float(accuracy_score(list(y_true), list(y_pred))) if y_true else None,
        "per_label": per,
        "absent_from_gold": [label for label in labels if label not in set(y_true)],
        "support": len(y_true),
    }


def stance(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """SemEval-2016 Task 6's F_avg = mean(F1 FAVOR, F1 AGAINST), over those of the two that are defined."""
    out = single_label(y_true, y_pred, labels)
    out["f_avg"] = mean_defined([out["per_label"][label]["f1"] for label in ("FAVOR", "AGAINST")])
    return out


# ------------------------------------------------------------------ multi-label (topics)


def multi_label(y_true: Sequence[frozenset[str]], y_pred: Sequence[frozenset[str]], labels: Sequence[str]) -> dict:
    """Micro- and macro-F1 and per-label scores of label sets (scikit-learn, ``zero_division=np.nan``)."""
    import numpy as np
    from sklearn.metrics import f1_score, precision_recall_fscore_support
    from sklearn.preprocessing import MultiLabelBinarizer

    binarizer = MultiLabelBinarizer(classes=list(labels))
    t = binarizer.fit_transform([sorted(s) for s in y_true])
    q = binarizer.transform([sorted(s) for s in y_pred])
    p, r, f, support = precision_recall_fscore_support(t, q, average=None, zero_division=np.nan)
    per = {
        label: {"precision": _defined(p[i]), "recall": _defined(r[i]), "f1": _defined(f[i]), "support": int(support[i])}
        for i, label in enumerate(labels)
    }
    gold_labels = set().union(*y_true) if y_true else set()
    return {
        "micro_f1": _defined(f1_score(t, q, average="micro", zero_division=np.nan)),
        "macro_f1": mean_defined([v["f1"] for v in per.values()]),
        "per_label": per,
        "absent_from_gold": [label for label in labels if label not in gold_labels],
        "support": len(y_true),
    }


# ------------------------------------------------------------------ NER (seqeval)


def invalid_iob2(tags: Sequence[str]) -> bool:
    """Whether an ``I-X`` tag follows neither ``B-X`` nor ``I-X`` (an entity that starts inside)."""
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            return True
        previous = tag
    return False


def _entity_counts(y: Sequence[Sequence[str]], strict: bool) -> dict[str, int]:
    """Entities per type, as seqeval counts them in each mode."""
    from seqeval.metrics.sequence_labeling import get_entities
    from seqeval.scheme import IOB2, Entities

    counts: dict[str, int] = {}
    if strict:
        for e in Entities([list(s) for s in y], IOB2).entities:
            for entity in e:
                counts[entity.tag] = counts.get(entity.tag, 0) + 1
    else:
        for s in y:
            for tag, _, _ in get_entities(list(s)):
                counts[tag] = counts.get(tag, 0) + 1
    return counts


def _prf_block(report: Mapping[str, Any], key: str, predicted: int, support: int) -> dict[str, Any]:
    """seqeval's figures with the undefined ones (nothing predicted, nothing in the gold) as None."""
    if not predicted and not support:
        return {"precision": None, "recall": None, "f1": None, "support": 0, "predicted": 0}
    row = report.get(key, {})
    return {
        "precision": float(row["precision"]) if predicted else None,
        "recall": float(row["recall"]) if support else None,
        "f1": float(row.get("f1-score", 0.0)),
        "support": support,
        "predicted": predicted,
    }


def _entity_scores(y_true: list[list[str]], y_pred: list[list[str]], types: Sequence[str], strict: bool) -> dict:
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    gold, found = _entity_counts(y_true, strict), _entity_counts(y_pred, strict)
    total_gold, total_found = sum(gold.values()), sum(found.values())
    report: dict[str, Any] = {}
    if total_gold or total_found:
        options: dict[str, Any] = {"mode": "strict", "scheme": IOB2} if strict else {}
        report = classification_report(y_true, y_pred, output_dict=True, zero_division=0, **options)
    per = {t: _prf_block(report, t, found.get(t, 0), gold.get(t, 0)) for t in types}
    return {
        **_prf_block(report, "micro avg", total_found, total_gold),
        "macro_f1": mean_defined([v["f1"] for v in per.values()]),
        "per_type": per,
        "absent_from_gold": [t for t in types if not gold.get(t)],
    }


def entities(
    y_true: Sequence[Sequence[str]], y_pred: Sequence[Sequence[str]], types: Sequence[str], row_ids: Sequence[str]
) -> dict[str, Any]:
    """Entity-level micro P/R/F1 (the headline), macro-F1 over the types and per type: strict IOB2,
    with the conlleval-style scores beside them and the rows whose predictions are not valid IOB2."""
    t, q = [list(s) for s in y_true], [list(s) for s in y_pred]
    invalid = [i for i, tags in zip(row_ids, q, strict=True) if invalid_iob2(tags)]
    out = _entity_scores(t, q, types, strict=True)
    lenient = _entity_scores(t, q, types, strict=False)
    out["conlleval"] = {k: lenient[k] for k in ("precision", "recall", "f1", "macro_f1")}
    out["invalid_iob2_rows"] = len(invalid)
    out["invalid_iob2_first"] = invalid[0] if invalid else None
    return out


# ------------------------------------------------------------------ folds


def fold_summary(per_fold: Mapping[str, Mapping[str, Score]]) -> tuple[dict[str, Score], dict[str, Score]]:
    """Mean and sample standard deviation (ddof=1) of each headline score over the folds where it is
    defined; the sd is None with fewer than two such folds."""
    keys = sorted({k for scores in per_fold.values() for k in scores})
    means: dict[str, Score] = {}
    sds: dict[str, Score] = {}
    for k in keys:
        values = [v for scores in per_fold.values() if (v := scores.get(k)) is not None]
        means[k] = statistics.fmean(values) if values else None
        sds[k] = statistics.stdev(values) if len(values) > 1 else None
    return means, sds
