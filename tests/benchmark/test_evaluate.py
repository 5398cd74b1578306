"""coopnum evaluate: exact scores on known predictions, and clear errors on bad prediction files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from datasets import load_dataset
from seqeval.metrics import f1_score
from seqeval.scheme import IOB2
from typer.testing import CliRunner

from coopnum import schema
from coopnum.benchmark import score
from coopnum.benchmark.evaluate import CONFIGS, TASK, EvaluationError, evaluate
from coopnum.cli import app
from coopnum.corpus import splits

from ..annotation_fixture import annotated_project
from ..conftest import source_records


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return annotated_project(tmp_path_factory.mktemp("eval"))


def rows(root: Path, config: str, cache: Path) -> list[dict]:
    ds = load_dataset(str(root / "dataset"), config, cache_dir=str(cache))
    return [r for split in schema.SPLITS for r in ds[split]]


def write(path: Path, objs) -> Path:
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs), encoding="utf-8")
    return path


def test_perfect_ner_predictions_score_one_and_a_dropped_entity_is_counted(built: Path, tmp_path: Path) -> None:
    ner = rows(built, "ner", tmp_path / "c")
    gold = [[schema.CONLL_NER_TAGS[t] for t in r["ner_tags"]] for r in ner]
    perfect = write(tmp_path / "p.jsonl", [{"id": r["id"], "ner_tags": g} for r, g in zip(ner, gold, strict=True)])
    result = evaluate(built / "dataset", "ner", perfect, splits=schema.SPLITS)
    assert result["scores"]["conll4"]["f1"] == 1.0 and result["rows"] == len(ner)
    # Drop every entity of the first row that has one: recall falls exactly as seqeval says.
    worse = [list(g) for g in gold]
    k = next(i for i, g in enumerate(worse) if any(t != "O" for t in g))
    worse[k] = ["O"] * len(worse[k])
    path = write(tmp_path / "w.jsonl", [{"id": r["id"], "ner_tags": g} for r, g in zip(ner, worse, strict=True)])
    result = evaluate(built / "dataset", "ner", path, splits=schema.SPLITS)
    assert result["scores"]["conll4"]["f1"] == f1_score(gold, worse, mode="strict", scheme=IOB2)  # unrounded
    assert result["scores"]["conll4"]["precision"] == 1.0 and result["scores"]["conll4"]["recall"] < 1.0


def test_stance_f_avg_and_topic_scores_by_hand(built: Path, tmp_path: Path) -> None:
    for config in ("stance", "stance_document"):
        stance = rows(built, config, tmp_path / "c")
        # Predict NONE everywhere: FAVOR F1 is 0 where FAVOR is in the gold, so F_avg is 0 (AGAINST: undefined or 0).
        path = write(tmp_path / "s.jsonl", [{"id": r["id"], "label": "NONE"} for r in stance])
        result = evaluate(built / "dataset", config, path, splits=schema.SPLITS, folds=True)
        assert result["scores"]["f_avg"] == 0.0, config
        docs = {r["doc_id"]: r for r in source_records(built)}
        assert set(result["folds"]) == {str(splits.fold_of(d)) for d in docs}  # the fixed hash folds
        by_document = evaluate(built / "dataset", config, path, splits=schema.SPLITS, folds=True, groups="document")
        assert set(by_document["folds"]) == set(docs)  # leave one document out
        assert by_document["policy"]["groups"] == "document" and "did not see it" in by_document["policy"]["folds"]
    topic = rows(built, "topic", tmp_path / "c")
    names = schema.TOPIC_LABELS
    preds = [{"id": r["id"], "labels": [names[i] for i in r["labels"]][:1]} for r in topic]  # first gold topic only
    result = evaluate(built / "dataset", "topic", write(tmp_path / "t.jsonl", preds), splits=schema.SPLITS)
    n_gold = sum(len(r["labels"]) for r in topic)
    assert result["scores"]["micro_f1"] == pytest.approx(2 * 1.0 * (len(topic) / n_gold) / (1 + len(topic) / n_gold))


@pytest.fixture(scope="module")
def stance_test_ids(built: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The ids of the test split's stance rows, loaded once for the module (a load takes seconds)."""
    ds = load_dataset(str(built / "dataset"), "stance", cache_dir=str(tmp_path_factory.mktemp("stance-cache")))
    return [r["id"] for r in ds["test"] if r["id"]]


@pytest.mark.parametrize(
    "lines,field",
    [
        (lambda ids: [{"id": "nope", "label": "NONE"}], "id"),  # unknown id
        (lambda ids: [{"id": i, "label": "NONE"} for i in ids[1:]], "id"),  # a missing id
        (lambda ids: [{"id": i, "label": "PRO"} for i in ids], "label"),  # unknown label
        (lambda ids: [{"id": ids[0], "label": "NONE"}] * 2, "id"),  # duplicate
    ],
)
def test_bad_stance_predictions_are_errors(
    built: Path, stance_test_ids: list[str], tmp_path: Path, lines, field: str
) -> None:
    assert stance_test_ids, "the test split has no stance row to predict"
    path = write(tmp_path / "bad.jsonl", lines(stance_test_ids))
    with pytest.raises(EvaluationError) as e:
        evaluate(built / "dataset", "stance", path)
    assert e.value.field == field and "bad.jsonl" in str(e.value)


def test_ner_length_mismatch_and_unknown_tag(built: Path, tmp_path: Path) -> None:
    ner = load_dataset(str(built / "dataset"), "ner", cache_dir=str(tmp_path / "c"))["test"]
    short = [{"id": r["id"], "ner_tags": ["O"] * (len(r["tokens"]) - 1)} for r in ner]
    with pytest.raises(EvaluationError, match="tags for"):
        evaluate(built / "dataset", "ner", write(tmp_path / "a.jsonl", short))
    odd = [{"id": r["id"], "fine_ner_tags": ["B-CITY"] * len(r["tokens"])} for r in ner]
    with pytest.raises(EvaluationError, match="unknown tag"):
        evaluate(built / "dataset", "ner", write(tmp_path / "b.jsonl", odd))


def test_evaluate_command_writes_json(built: Path, tmp_path: Path) -> None:
    topic = rows(built, "topic", tmp_path / "c")
    path = write(tmp_path / "t.jsonl", [{"id": r["id"], "labels": ["digital_economy"]} for r in topic])
    out = tmp_path / "scores.json"
    result = CliRunner().invoke(
        app,
        [
            "evaluate",
            "--config",
            "topic",
            "--predictions",
            str(path),
            "--folds",
            "--dataset",
            str(built / "dataset"),
            "--json",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["config"] == "topic"
    bad = CliRunner().invoke(
        app, ["evaluate", "--config", "ner", "--predictions", str(path), "--dataset", str(built / "dataset")]
    )
    assert bad.exit_code == 3 and "unknown ner row id" in bad.output


# ------------------------------------------------------------------ a perfect system, the Python API


def perfect(config: str, row: dict, features, as_ids: bool) -> dict:
    """The gold of ``row`` as a prediction: label names, or the ClassLabel ids ``datasets`` gives."""
    if config == "ner":
        if as_ids:
            return {"id": row["id"], "ner_tags": row["ner_tags"], "fine_ner_tags": row["fine_ner_tags"]}
        return {
            "id": row["id"],
            "ner_tags": features["ner_tags"].feature.int2str(row["ner_tags"]),
            "fine_ner_tags": features["fine_ner_tags"].feature.int2str(row["fine_ner_tags"]),
        }
    if config == "topic":
        return {
            "id": row["id"],
            "labels": row["labels"] if as_ids else features["labels"].feature.int2str(row["labels"]),
        }
    return {"id": row["id"], "label": row["label"] if as_ids else features["label"].int2str(row["label"])}


def all_defined_equal_one(values) -> bool:
    defined = [v for v in values if v is not None]
    return bool(defined) and all(v == 1.0 for v in defined)


@pytest.mark.parametrize("config", CONFIGS)
def test_a_perfect_system_scores_one_on_every_split_and_fold(built: Path, tmp_path: Path, config: str) -> None:
    ds = load_dataset(str(built / "dataset"), config, cache_dir=str(tmp_path / "c"))
    for split in schema.SPLITS:
        feats = ds[split].features
        path = write(tmp_path / f"{split}.jsonl", [perfect(config, r, feats, as_ids=False) for r in ds[split]])
        result = evaluate(built / "dataset", config, path, splits=[split])
        # None only where undefined: F_avg of a split whose gold and predictions hold neither FAVOR nor AGAINST
        assert all_defined_equal_one(result["headline"].values()), (split, result["headline"])
        assert None not in result["headline"].values() or result["warnings"]  # an undefined score is explained
    everything = [perfect(config, r, ds[s].features, as_ids=True) for s in schema.SPLITS for r in ds[s]]
    result = score(config, everything, dataset=built / "dataset", folds=True)  # ClassLabel ids, the Python API
    assert all(v == 1.0 for v in result["headline"].values()), result["headline"]
    for fold, scores in result["folds"].items():
        assert all_defined_equal_one(scores.values()), (fold, scores)  # None only where nothing is there to find
    assert all_defined_equal_one(result["fold_mean"].values())
    assert all(v in (0.0, None) for v in result["fold_std"].values())
    assert "ddof=1" in result["policy"]["fold_std"] and "out-of-fold" in result["policy"]["folds"]


def test_score_takes_a_datasets_dataset_and_a_dataset_dict(built: Path, tmp_path: Path) -> None:
    ds = load_dataset(str(built / "dataset"), "stance", cache_dir=str(tmp_path / "c"))
    predictions = ds["train"].select_columns(["id", "label"])  # the gold itself, as a Dataset of ClassLabel ids
    result = score("stance", predictions, dataset=ds, split="train")
    absent = [name for i, name in enumerate(schema.STANCE_LABELS) if i not in set(ds["train"]["label"])]
    f_avg = None if {"FAVOR", "AGAINST"} <= set(absent) else 1.0
    assert result["headline"] == {"F_avg": f_avg, "macro F1": 1.0} and result["rows"] == len(ds["train"])
    assert result["scores"]["absent_from_gold"] == absent
    assert all(any(label in w for w in result["warnings"]) for label in absent)
    with pytest.raises(EvaluationError, match="no prediction"):
        score("stance", list(predictions)[1:], dataset=ds, split="train")


def test_invalid_iob2_is_warned_about_with_the_conlleval_score_beside(built: Path, tmp_path: Path) -> None:
    ner = rows(built, "ner", tmp_path / "c")
    names = schema.CONLL_NER_TAGS
    gold = [[names[t] for t in r["ner_tags"]] for r in ner]
    broken = [[t.replace("B-", "I-") for t in g] for g in gold]  # every entity starts with I-
    preds = [{"id": r["id"], "ner_tags": b} for r, b in zip(ner, broken, strict=True)]
    result = score("ner", preds, dataset=built / "dataset", split=schema.SPLITS)
    conll4 = result["scores"]["conll4"]
    assert conll4["f1"] == f1_score(gold, broken, mode="strict", scheme=IOB2)
    assert conll4["conlleval"]["f1"] == f1_score(gold, broken)  # conlleval reads I- after O as a start
    assert conll4["invalid_iob2_rows"] == sum(any(t != "O" for t in g) for g in gold)
    assert any("invalid IOB2" in w for w in result["warnings"])


def test_the_cli_names_absent_labels_and_asks_for_out_of_fold_predictions(built: Path, tmp_path: Path) -> None:
    ds = load_dataset(str(built / "dataset"), "stance_document", cache_dir=str(tmp_path / "c"))
    everything = [perfect("stance_document", r, ds[s].features, as_ids=False) for s in schema.SPLITS for r in ds[s]]
    path = write(tmp_path / "p.jsonl", everything)
    args = ["evaluate", "--config", "stance_document", "--predictions", str(path), "--dataset", str(built / "dataset")]
    result = CliRunner().invoke(app, [*args, "--folds"])
    assert result.exit_code == 0, result.output
    assert "out-of-fold" in result.output and "sample sd" in result.output
    gold_labels = {schema.STANCE_LABELS[r["label"]] for s in schema.SPLITS for r in ds[s]}
    for label in set(schema.STANCE_LABELS) - gold_labels:
        assert f"{label} occur(s) in no gold row" in result.output


def test_the_cli_choices_are_the_registry_scored_configs() -> None:
    from coopnum.cli.benchmark import EvalConfig

    assert tuple(c.value for c in EvalConfig) == CONFIGS
    assert set(TASK) == set(CONFIGS)
