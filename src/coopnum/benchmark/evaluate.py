"""``coopnum evaluate``: score a system's predictions against the dataset.

Prediction files are JSON Lines, one object per evaluated row, keyed by the row
``id`` of the config:

* ``ner``: ``{"id": "<ner row id>", "ner_tags": ["O", "B-PER", ...]}`` (CoNLL-4 names)
  and/or ``"fine_ner_tags"`` (the five types); one tag per token of the row.
* ``stance``: ``{"id": "<stance row id>", "label": "FAVOR"}`` — paragraph rows and document rows.
* ``topic``: ``{"id": "<doc id>", "labels": ["digital_economy", ...]}``.

Every row of the evaluated split(s) must be predicted exactly once; an unknown or
missing id, a wrong number of tags, or an unknown label is an error naming the
file, line, row and field — never a silently partial score.

Scores: NER is entity-level precision/recall/F1 from ``seqeval`` (IOB2, strict);
stance is SemEval-2016's F_avg = mean(F1 FAVOR, F1 AGAINST) plus macro-F1 over
the three classes, per level; topics are micro and macro F1 and F1 per label.
With ``--folds`` the rows are also scored fold by fold (leave-one-document-out)
and the mean and standard deviation of the fold scores are reported.
"""

from __future__ import annotations

import json
import statistics
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NotRequired, TypedDict

from coopnum import schema
from coopnum.dataset import registry
from coopnum.errors import CoopnumError
from coopnum.quality.scores import prf

CONFIGS = registry.SCORED  # the configs a system can be scored on


class EvaluationError(CoopnumError):
    """Predictions that cannot be scored as they are."""


# By config: ner tags (scheme -> tags), a stance row's (level, label), or a document's set of topics
GoldValue = dict[str, list[str]] | tuple[str, str] | frozenset[str]
# By config: ner tags (scheme -> tags, one scheme or both), a stance label, or a set of topics
Prediction = dict[str, list[str]] | str | frozenset[str]


class Evaluation(TypedDict):
    """What :func:`evaluate` returns (and ``coopnum evaluate --json`` writes)."""

    config: str
    splits: list[str]
    rows: int
    scores: dict[str, object]
    folds: NotRequired[dict[str, dict[str, float]]]  # fold -> headline scores
    fold_mean: NotRequired[dict[str, float]]
    fold_std: NotRequired[dict[str, float | None]]  # None with a single fold


@dataclass(frozen=True)
class GoldRow:
    id: str
    doc_id: str
    fold: int
    split: str
    value: GoldValue
    length: int = 0


def load_gold(dataset: Path, config: str, splits: Sequence[str]) -> list[GoldRow]:
    from datasets import disable_progress_bars, get_dataset_config_names, load_dataset

    disable_progress_bars()
    if not (dataset / "README.md").is_file():
        raise EvaluationError(f"{dataset} is not a built dataset folder (no README.md card)", file=str(dataset))
    if config not in get_dataset_config_names(str(dataset)):
        raise EvaluationError(f"{dataset} has no {config!r} config (is the dataset annotated yet?)", field="config")
    # A fresh cache: the local-folder cache is keyed on the card, not the data, and could serve old rows.
    with tempfile.TemporaryDirectory(prefix="coopnum-eval-") as cache:
        ds = load_dataset(str(dataset), config, cache_dir=cache)
        ds = {split: ds[split] for split in splits}
    rows: list[GoldRow] = []
    for split in splits:
        feats = ds[split].features
        for r in ds[split]:
            if config == "ner":
                tags = {
                    "ner_tags": [feats["ner_tags"].feature.names[t] for t in r["ner_tags"]],
                    "fine_ner_tags": [feats["fine_ner_tags"].feature.names[t] for t in r["fine_ner_tags"]],
                }
                rows.append(GoldRow(r["id"], r["doc_id"], r["fold"], split, tags, len(r["tokens"])))
            elif config == "stance":
                level = feats["level"].names[r["level"]]
                rows.append(GoldRow(r["id"], r["doc_id"], r["fold"], split, (level, feats["label"].names[r["label"]])))
            else:
                names = feats["labels"].feature.names
                rows.append(GoldRow(r["id"], r["doc_id"], r["fold"], split, frozenset(names[i] for i in r["labels"])))
    return rows


def load_predictions(path: Path, config: str, gold: Sequence[GoldRow]) -> dict[str, Prediction]:
    """Predictions by row id, checked against the gold rows (see the module docstring)."""
    by_id = {g.id: g for g in gold}
    out: dict[str, Prediction] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise EvaluationError(f"cannot read predictions: {e}", file=str(path)) from None
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            obj = json.loads(line, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(f"{c} is not JSON")))
        except ValueError as e:
            raise EvaluationError(f"invalid JSON: {e}", file=where) from None
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
            raise EvaluationError("each line must be an object with a string id", file=where, field="id")
        row_id = obj["id"]
        if row_id not in by_id:
            raise EvaluationError(
                f"unknown {config} row id {row_id!r} for the evaluated split(s)", file=where, doc_id=row_id, field="id"
            )
        if row_id in out:
            raise EvaluationError(f"row {row_id!r} is predicted twice", file=where, doc_id=row_id, field="id")
        out[row_id] = _check_prediction(obj, config, by_id[row_id], where)
    missing = [g.id for g in gold if g.id not in out]
    if missing:
        raise EvaluationError(
            f"{len(missing)} of {len(gold)} rows have no prediction, first {missing[0]!r}",
            file=str(path),
            doc_id=missing[0],
            field="id",
        )
    return out


def _check_prediction(obj: dict, config: str, g: GoldRow, where: str) -> Prediction:
    def fail(message: str, field: str) -> EvaluationError:
        return EvaluationError(message, file=where, doc_id=g.id, field=field)

    if config == "ner":
        found = {}
        for scheme, names in (("ner_tags", schema.CONLL_NER_TAGS), ("fine_ner_tags", schema.FINE_NER_TAGS)):
            if scheme not in obj:
                continue
            tags = obj[scheme]
            if not isinstance(tags, list) or len(tags) != g.length:
                raise fail(
                    f"{scheme} has {len(tags) if isinstance(tags, list) else 'no'} tags for {g.length} tokens", scheme
                )
            unknown = sorted({t for t in tags if t not in names}, key=str)
            if unknown:
                raise fail(f"unknown tag(s) {unknown} in {scheme}", scheme)
            found[scheme] = tags
        if not found:
            raise fail("no ner_tags or fine_ner_tags", "ner_tags")
        return found
    if config == "stance":
        if obj.get("label") not in schema.STANCE_LABELS:
            raise fail(f"label {obj.get('label')!r} is not one of {schema.STANCE_LABELS}", "label")
        return obj["label"]
    labels = obj.get("labels")
    if not isinstance(labels, list) or any(t not in schema.TOPIC_LABELS for t in labels):
        raise fail(f"labels {labels!r}: a list of {schema.TOPIC_LABELS}", "labels")
    return frozenset(labels)


# ------------------------------------------------------------------ scores


def _f(x: float) -> float:
    return round(x, 4)


def score_ner(gold: Sequence[GoldRow], predicted: dict[str, Prediction]) -> dict[str, object]:
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    out: dict[str, object] = {}
    for scheme in ("ner_tags", "fine_ner_tags"):
        rows = [g for g in gold if scheme in predicted[g.id]]
        if not rows:
            continue
        y_true = [_tags(g.value, scheme) for g in rows]
        y_pred = [_tags(predicted[g.id], scheme) for g in rows]
        report = classification_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
        labels = schema.CONLL_LABELS if scheme == "ner_tags" else schema.ENTITY_LABELS
        per = {
            label: {
                "precision": _f(report[label]["precision"]),
                "recall": _f(report[label]["recall"]),
                "f1": _f(report[label]["f1-score"]),
                "support": int(report[label]["support"]),
            }
            for label in labels
            if label in report
        }
        micro = report["micro avg"]
        out["conll4" if scheme == "ner_tags" else "fine"] = {
            "precision": _f(micro["precision"]),
            "recall": _f(micro["recall"]),
            "f1": _f(micro["f1-score"]),
            "support": int(micro["support"]),
            "per_type": per,
        }
    return out


def _tags(value: GoldValue | Prediction, scheme: str) -> list[str]:
    assert isinstance(value, dict)  # ner gold rows and predictions are scheme -> tags
    return value[scheme]


def _class_f1(pairs: Sequence[tuple[str, str]], label: str) -> float:
    tp = sum(1 for g, p in pairs if g == p == label)
    return prf(tp, sum(1 for _, p in pairs if p == label), sum(1 for g, _ in pairs if g == label)).f1


def score_stance(gold: Sequence[GoldRow], predicted: dict[str, Prediction]) -> dict[str, object]:
    out: dict[str, object] = {}
    for level in schema.STANCE_LEVELS:
        pairs = [(_stance(g.value)[1], _stance_label(predicted[g.id])) for g in gold if _stance(g.value)[0] == level]
        if not pairs:
            continue
        f1 = {label: _class_f1(pairs, label) for label in schema.STANCE_LABELS}
        out[level] = {
            "f_avg": _f((f1["FAVOR"] + f1["AGAINST"]) / 2),
            "macro_f1": _f(sum(f1.values()) / len(f1)),
            "accuracy": _f(sum(g == p for g, p in pairs) / len(pairs)),
            "per_label_f1": {k: _f(v) for k, v in f1.items()},
            "support": len(pairs),
        }
    return out


def _stance(value: GoldValue) -> tuple[str, str]:
    assert isinstance(value, tuple)  # a stance gold row is (level, label)
    return value


def _stance_label(prediction: Prediction) -> str:
    assert isinstance(prediction, str)  # a stance prediction is its label
    return prediction


def score_topic(gold: Sequence[GoldRow], predicted: dict[str, Prediction]) -> dict[str, object]:
    per = {}
    tp_all = pred_all = ref_all = 0
    for label in schema.TOPIC_LABELS:
        tp = sum(1 for g in gold if label in g.value and label in predicted[g.id])
        n_pred = sum(1 for g in gold if label in predicted[g.id])
        n_ref = sum(1 for g in gold if label in g.value)
        tp_all, pred_all, ref_all = tp_all + tp, pred_all + n_pred, ref_all + n_ref
        r = prf(tp, n_pred, n_ref)
        per[label] = {"precision": _f(r.precision), "recall": _f(r.recall), "f1": _f(r.f1), "support": n_ref}
    micro = prf(tp_all, pred_all, ref_all)
    return {
        "micro_f1": _f(micro.f1),
        "macro_f1": _f(sum(p["f1"] for p in per.values()) / len(per)),
        "per_label": per,
        "support": len(gold),
    }


SCORERS = {"ner": score_ner, "stance": score_stance, "topic": score_topic}


def headline(config: str, scores: Mapping[str, Any]) -> dict[str, float]:
    """The few numbers a results table shows, flattened (``scores`` is a scorer's result, shaped by ``config``)."""
    if config == "ner":
        return {f"{k} F1": v["f1"] for k, v in scores.items()}
    if config == "stance":
        return {f"{level} {m}": v[m] for level, v in scores.items() for m in ("f_avg", "macro_f1")}
    return {"micro F1": scores["micro_f1"], "macro F1": scores["macro_f1"]}


def evaluate(
    dataset: Path, config: str, predictions: Path, *, splits: Sequence[str] = ("test",), folds: bool = False
) -> Evaluation:
    if config not in CONFIGS:
        raise EvaluationError(f"config {config!r} is not one of {CONFIGS}", field="config")
    unknown = [s for s in splits if s not in schema.SPLITS]
    if unknown:
        raise EvaluationError(f"split {unknown[0]!r} is not one of {schema.SPLITS}", field="split")
    gold = load_gold(dataset, config, splits)
    predicted = load_predictions(predictions, config, gold)
    result: Evaluation = {
        "config": config,
        "splits": list(splits),
        "rows": len(gold),
        "scores": SCORERS[config](gold, predicted),
    }
    if folds:
        per_fold = {}
        for fold in sorted({g.fold for g in gold}):
            rows = [g for g in gold if g.fold == fold]
            per_fold[str(fold)] = headline(config, SCORERS[config](rows, predicted))
        keys = sorted({k for v in per_fold.values() for k in v})
        result["folds"] = per_fold
        result["fold_mean"] = {k: _f(statistics.mean(v[k] for v in per_fold.values() if k in v)) for k in keys}
        result["fold_std"] = {
            k: _f(statistics.pstdev([v[k] for v in per_fold.values() if k in v])) if len(per_fold) > 1 else None
            for k in keys
        }
    return result
