"""``coopnum evaluate`` and :func:`score`: a system's predictions checked against the dataset and scored.

Predictions are one object per evaluated row, keyed by the row ``id`` of the config
(JSON Lines in a file for ``coopnum evaluate``; a list of dicts or a ``datasets.Dataset``
for :func:`score`). Labels are names or — what ``datasets`` users hold — ClassLabel ids:

* ``ner``: ``{"id": "<ner row id>", "ner_tags": ["O", "B-PER", ...]}`` (CoNLL-4 names or ids)
  and/or ``"fine_ner_tags"`` (the five types); one tag per token of the row.
* ``stance`` (paragraph rows) and ``stance_document`` (one row per document):
  ``{"id": "<row id>", "label": "FAVOR"}``.
* ``topic``: ``{"id": "<doc id>", "labels": ["digital_economy", ...]}``.

Every row of the evaluated split(s) must be predicted exactly once; an unknown or
missing id, a wrong number of tags, or an unknown label is an error naming the
file, line, row and field — never a silently partial score.

The metrics and their policy for labels absent from the gold are in :mod:`coopnum.benchmark.metrics`.
With ``folds`` every split is scored pooled and group by group: by the ``fold`` column
(``groups="fold"``: the fixed hash folds, see :mod:`coopnum.corpus.splits`) or by document
(``groups="document"``: leave-one-document-out). The predictions of a group must come from a
model that did not see that group (out-of-fold).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NotRequired, TypedDict

from coopnum import schema
from coopnum.benchmark import metrics
from coopnum.dataset import registry
from coopnum.errors import CoopnumError
from coopnum.util import jsonio

CONFIGS = registry.SCORED  # the configs a system can be scored on
TASK = {"ner": "ner", "stance": "stance", "stance_document": "stance", "topic": "topic"}  # config -> metric
NER_SCHEMES = {"ner_tags": ("conll4", schema.CONLL_NER_TAGS), "fine_ner_tags": ("fine", schema.FINE_NER_TAGS)}
GROUPS = ("fold", "document")  # what a fold is: the `fold` column, or each document (leave-one-document-out)
OUT_OF_FOLD = {
    "fold": (
        "fold scores assume out-of-fold predictions: the rows of fold k predicted by a model trained without "
        "fold k; predictions of a model trained on these rows give meaningless fold scores"
    ),
    "document": (
        "fold scores assume out-of-fold predictions: each document predicted by a model that did not see it "
        "(leave-one-document-out); predictions of a model trained on these rows give meaningless fold scores"
    ),
}


class EvaluationError(CoopnumError):
    """Predictions that cannot be scored as they are."""


# By config: ner tags (scheme -> tags), a stance label, or a document's set of topics
GoldValue = dict[str, list[str]] | str | frozenset[str]
Prediction = GoldValue  # the same shapes (ner: one scheme or both)


class Evaluation(TypedDict):
    """What :func:`evaluate` and :func:`score` return (and ``coopnum evaluate --json`` writes)."""

    config: str
    splits: list[str]
    rows: int
    scores: dict[str, Any]  # shaped by the config; unrounded, None where undefined
    headline: dict[str, float | None]  # the few numbers a results table shows
    warnings: list[str]  # absent labels and what the score then means, invalid IOB2
    policy: dict[str, str]  # the absent-label rule (and, with folds, the sd and out-of-fold rules)
    folds: NotRequired[dict[str, dict[str, float | None]]]  # fold -> headline scores
    fold_mean: NotRequired[dict[str, float | None]]
    fold_std: NotRequired[dict[str, float | None]]  # sample sd (ddof=1); None with fewer than two folds


@dataclass(frozen=True)
class GoldRow:
    id: str
    doc_id: str
    fold: int
    split: str
    value: GoldValue
    length: int = 0


DatasetSource = Path | str | Mapping[str, Any]  # a dataset folder, or the config's splits already loaded


def load_splits(dataset: Path | str, config: str, splits: Sequence[str], cache: str) -> dict[str, Any]:
    from datasets import disable_progress_bars, get_dataset_config_names, load_dataset

    disable_progress_bars()
    folder = Path(dataset)
    if not (folder / "README.md").is_file():
        raise EvaluationError(f"{folder} is not a built dataset folder (no README.md card)", file=str(folder))
    if config not in get_dataset_config_names(str(folder)):
        raise EvaluationError(f"{folder} has no {config!r} config (is the dataset annotated yet?)", field="config")
    ds = load_dataset(str(folder), config, cache_dir=cache)
    # A split absent from the folder holds no row yet (every document of it still being annotated).
    return {split: ds[split] for split in splits if split in ds}


def load_gold(dataset: DatasetSource, config: str, splits: Sequence[str]) -> list[GoldRow]:
    """The gold rows of ``splits``, from a dataset folder or from a ``DatasetDict`` of the config."""
    if isinstance(dataset, Mapping):
        missing = [s for s in splits if s not in dataset]
        if missing:
            raise EvaluationError(f"the given dataset has no {missing[0]!r} split", field="split")
        return _gold_rows({s: dataset[s] for s in splits}, config)
    # A fresh cache: the local-folder cache is keyed on the card, not the data, and could serve old rows.
    with tempfile.TemporaryDirectory(prefix="coopnum-eval-") as cache:
        return _gold_rows(load_splits(dataset, config, splits, cache), config)


def _gold_rows(by_split: Mapping[str, Any], config: str) -> list[GoldRow]:
    rows: list[GoldRow] = []
    for split, ds in by_split.items():
        feats = ds.features
        for r in ds:
            if TASK[config] == "ner":
                tags = {scheme: [feats[scheme].feature.names[t] for t in r[scheme]] for scheme in NER_SCHEMES}
                rows.append(GoldRow(r["id"], r["doc_id"], r["fold"], split, tags, len(r["tokens"])))
            elif TASK[config] == "stance":
                rows.append(GoldRow(r["id"], r["doc_id"], r["fold"], split, feats["label"].names[r["label"]]))
            else:
                names = feats["labels"].feature.names
                rows.append(GoldRow(r["id"], r["doc_id"], r["fold"], split, frozenset(names[i] for i in r["labels"])))
    return rows


# ------------------------------------------------------------------ predictions


def load_predictions(path: Path, config: str, gold: Sequence[GoldRow]) -> dict[str, Prediction]:
    """Predictions by row id from a JSON Lines file, checked against the gold rows (see the module docstring)."""
    items = jsonio.read_json_lines(path, EvaluationError, "predictions file")
    return check_predictions(items, config, gold, str(path))


def check_predictions(
    items: Iterable[tuple[str, object]], config: str, gold: Sequence[GoldRow], source: str
) -> dict[str, Prediction]:
    """Predictions by row id from ``(where, object)`` pairs: each a known row, once, every row predicted."""
    by_id = {g.id: g for g in gold}
    out: dict[str, Prediction] = {}
    first_schemes: tuple[str, frozenset[str]] | None = None  # the first ner prediction's place and tag fields
    for where, obj in items:
        if not isinstance(obj, Mapping) or not isinstance(obj.get("id"), str):
            raise EvaluationError("each prediction must be an object with a string id", file=where, field="id")
        row_id = obj["id"]
        if row_id not in by_id:
            raise EvaluationError(
                f"unknown {config} row id {row_id!r} for the evaluated split(s)", file=where, doc_id=row_id, field="id"
            )
        if row_id in out:
            raise EvaluationError(f"row {row_id!r} is predicted twice", file=where, doc_id=row_id, field="id")
        out[row_id] = prediction = _check_prediction(dict(obj), config, by_id[row_id], where)
        if isinstance(prediction, dict):
            first_schemes = first_schemes or (where, frozenset(prediction))
            _check_same_schemes(prediction, first_schemes, row_id, where)
    missing = [g.id for g in gold if g.id not in out]
    if missing:
        raise EvaluationError(
            f"{len(missing)} of {len(gold)} rows have no prediction, first {missing[0]!r}",
            file=source,
            doc_id=missing[0],
            field="id",
        )
    return out


def _name(value: object, names: Sequence[str]) -> str | None:
    """A label name given as itself or as its ClassLabel id; None when it is neither."""
    if isinstance(value, str):
        return value if value in names else None
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(names):
        return names[value]
    return None


def _check_same_schemes(
    tags: Mapping[str, list[str]], first: tuple[str, frozenset[str]], row_id: str, where: str
) -> None:
    """Every prediction gives the same tag fields: rows in ``ner_tags`` here and ``fine_ner_tags`` there
    would each be scored on part of the split, and the scores would read as whole-split ones."""
    first_where, first_fields = first
    if set(tags) != first_fields:
        raise EvaluationError(
            f"this prediction gives {' and '.join(sorted(tags))} but {first_where} gives "
            f"{' and '.join(sorted(first_fields))}: every prediction must use the same tag fields",
            file=where,
            doc_id=row_id,
            field=sorted(set(tags) ^ first_fields)[0],
        )


def _check_prediction(obj: dict, config: str, g: GoldRow, where: str) -> Prediction:
    def fail(message: str, field: str) -> EvaluationError:
        return EvaluationError(message, file=where, doc_id=g.id, field=field)

    task = TASK[config]
    if task == "ner":
        found = {}
        for scheme, (_, names) in NER_SCHEMES.items():
            if scheme not in obj:
                continue
            tags = obj[scheme]
            if not isinstance(tags, list) or len(tags) != g.length:
                raise fail(
                    f"{scheme} has {len(tags) if isinstance(tags, list) else 'no'} tags for {g.length} tokens", scheme
                )
            named = [_name(t, names) for t in tags]
            unknown = sorted({repr(t) for t, n in zip(tags, named, strict=True) if n is None})
            if unknown:
                bioes = any(t[1:3] in ("S-", "E-", "U-", "L-") for t in unknown)  # reprs: 'S-PER'
                hint = "; these look like BIOES/BILOU tags, and the tags must be IOB2" if bioes else ""
                raise fail(f"unknown tag(s) {unknown[:5]} in {scheme} (names or ClassLabel ids){hint}", scheme)
            found[scheme] = [n for n in named if n is not None]
        if not found:
            raise fail("no ner_tags or fine_ner_tags", "ner_tags")
        return found
    if task == "stance":
        label = _name(obj.get("label"), schema.STANCE_LABELS)
        if label is None:
            raise fail(f"label {obj.get('label')!r} is not one of {schema.STANCE_LABELS} (or its id)", "label")
        return label
    labels = obj.get("labels")
    named_labels = [_name(t, schema.TOPIC_LABELS) for t in labels] if isinstance(labels, list) else [None]
    if any(n is None for n in named_labels):
        raise fail(f"labels {labels!r}: a list of {schema.TOPIC_LABELS} (or their ids)", "labels")
    return frozenset(n for n in named_labels if n is not None)


# ------------------------------------------------------------------ scores


def score_rows(config: str, gold: Sequence[GoldRow], predicted: Mapping[str, Prediction]) -> dict[str, Any]:
    """The scores of ``gold`` rows against their predictions (see :mod:`coopnum.benchmark.metrics`)."""
    task = TASK[config]
    if task == "ner":
        out: dict[str, Any] = {}
        for scheme, (key, _) in NER_SCHEMES.items():
            rows = [g for g in gold if scheme in _as_tags(predicted[g.id])]
            if rows:
                types = schema.CONLL_LABELS if key == "conll4" else schema.ENTITY_LABELS
                y_true = [_as_tags(g.value)[scheme] for g in rows]
                y_pred = [_as_tags(predicted[g.id])[scheme] for g in rows]
                out[key] = metrics.entities(y_true, y_pred, types, [g.id for g in rows])
        return out
    if task == "stance":
        return metrics.stance([str(g.value) for g in gold], [str(predicted[g.id]) for g in gold], schema.STANCE_LABELS)
    return metrics.multi_label(
        [_as_set(g.value) for g in gold], [_as_set(predicted[g.id]) for g in gold], schema.TOPIC_LABELS
    )


def _as_tags(value: GoldValue) -> dict[str, list[str]]:
    assert isinstance(value, dict)  # ner gold rows and predictions are scheme -> tags
    return value


def _as_set(value: GoldValue) -> frozenset[str]:
    assert isinstance(value, frozenset)  # topic gold rows and predictions are label sets
    return value


def headline(config: str, scores: Mapping[str, Any]) -> dict[str, float | None]:
    """The few numbers a results table shows, flattened (``scores`` is :func:`score_rows`'s result)."""
    task = TASK[config]
    if task == "ner":
        return {f"{k} F1": v["f1"] for k, v in scores.items()}
    if task == "stance":
        return {"F_avg": scores["f_avg"], "macro F1": scores["macro_f1"]}
    return {"micro F1": scores["micro_f1"], "macro F1": scores["macro_f1"]}


def warnings_of(config: str, scores: Mapping[str, Any]) -> list[str]:
    """What a reader of the scores must know: labels absent from the gold, predictions not valid IOB2."""
    out = []
    blocks = scores.items() if TASK[config] == "ner" else [(config, scores)]
    for name, block in blocks:
        if block["absent_from_gold"]:
            out.append(
                f"{name}: {', '.join(block['absent_from_gold'])} occur(s) in no gold row scored: their F1 is 0 "
                "where predicted, else undefined and left out, so the macro averages are over the other labels"
            )
        if block.get("invalid_iob2_rows"):
            out.append(
                f"{name}: {block['invalid_iob2_rows']} row(s) predicted with invalid IOB2 (an entity starting with "
                f"I-), first {block['invalid_iob2_first']}: strict scoring does not count those entities; "
                f"the conlleval-style F1 is {block['conlleval']['f1']}"
            )
    return out


def _group(row: GoldRow, groups: str) -> str:
    return str(row.fold) if groups == "fold" else row.doc_id


def _evaluation(
    config: str,
    splits: Sequence[str],
    gold: Sequence[GoldRow],
    predicted: Mapping[str, Prediction],
    folds: bool,
    groups: str = "fold",
) -> Evaluation:
    scores = score_rows(config, gold, predicted)
    result: Evaluation = {
        "config": config,
        "splits": list(splits),
        "rows": len(gold),
        "scores": scores,
        "headline": headline(config, scores),
        "warnings": warnings_of(config, scores),
        "policy": {"absent_labels": metrics.ABSENT_POLICY},
    }
    if folds:
        keys = sorted({_group(g, groups) for g in gold}, key=int if groups == "fold" else str)
        per_fold = {
            key: headline(config, score_rows(config, [g for g in gold if _group(g, groups) == key], predicted))
            for key in keys
        }
        result["folds"] = per_fold
        result["fold_mean"], result["fold_std"] = metrics.fold_summary(per_fold)
        result["policy"].update(fold_std=metrics.FOLD_SD, folds=OUT_OF_FOLD[groups], groups=groups)
    return result


def _checked_splits(config: str, splits: Sequence[str], folds: bool, groups: str = "fold") -> list[str]:
    if config not in CONFIGS:
        raise EvaluationError(f"config {config!r} is not one of {CONFIGS}", field="config")
    if groups not in GROUPS:
        raise EvaluationError(f"groups {groups!r} is not one of {GROUPS}", field="groups")
    chosen = list(schema.SPLITS) if folds else list(splits)
    unknown = [s for s in chosen if s not in schema.SPLITS]
    if unknown:
        raise EvaluationError(f"split {unknown[0]!r} is not one of {schema.SPLITS}", field="split")
    return chosen


def evaluate(
    dataset: DatasetSource,
    config: str,
    predictions: Path,
    *,
    splits: Sequence[str] = ("test",),
    folds: bool = False,
    groups: str = "fold",
) -> Evaluation:
    """Score a JSON Lines prediction file (``coopnum evaluate``); ``folds`` scores every split, pooled
    and per group (``groups``: ``"fold"`` or ``"document"``)."""
    chosen = _checked_splits(config, splits, folds, groups)
    gold = load_gold(dataset, config, chosen)
    return _evaluation(config, chosen, gold, load_predictions(predictions, config, gold), folds, groups)


def score(
    config: str,
    predictions: Iterable[Mapping[str, Any]],
    *,
    dataset: DatasetSource = Path("dataset"),
    split: str | Sequence[str] = "test",
    folds: bool = False,
    groups: str = "fold",
) -> Evaluation:
    """Score predictions of one config and return the scores as a dict.

    ``predictions``: a list of dicts or a ``datasets.Dataset``, one per row of the split(s), keyed
    by the row ``id``, labels as names or ClassLabel ids (``{"id": ..., "label": 0}``). ``dataset``:
    a built dataset folder, or the config's ``DatasetDict`` as ``datasets.load_dataset`` returns it.
    ``split``: a split or several; ``folds=True`` scores every split pooled and fold by fold, and
    expects out-of-fold predictions; ``groups="document"`` makes each document a fold
    (leave-one-document-out) instead of the ``fold`` column. Scores are unrounded; ``None`` where undefined (see
    :mod:`coopnum.benchmark.metrics` for the absent-label policy). Raises :class:`EvaluationError`
    on a missing, unknown or duplicated row, or an unknown label::

        from coopnum.benchmark import score
        result = score("stance", [{"id": r["id"], "label": "NONE"} for r in rows], split="test")
        result["headline"]  # {"F_avg": ..., "macro F1": ...}
    """
    chosen = _checked_splits(config, [split] if isinstance(split, str) else list(split), folds, groups)
    gold = load_gold(dataset, config, chosen)
    items = ((f"predictions[{i}]", obj) for i, obj in enumerate(predictions))
    predicted = check_predictions(items, config, gold, "predictions")
    return _evaluation(config, chosen, gold, predicted, folds, groups)
