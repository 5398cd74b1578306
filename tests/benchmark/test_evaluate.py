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
from coopnum.benchmark.evaluate import EvaluationError, evaluate
from coopnum.cli import app

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
    assert result["scores"]["conll4"]["f1"] == round(f1_score(gold, worse, mode="strict", scheme=IOB2), 4)
    assert result["scores"]["conll4"]["precision"] == 1.0 and result["scores"]["conll4"]["recall"] < 1.0


def test_stance_f_avg_and_topic_scores_by_hand(built: Path, tmp_path: Path) -> None:
    stance = rows(built, "stance", tmp_path / "c")
    # Predict NONE everywhere: FAVOR and AGAINST F1 are 0, so F_avg is 0 at both levels.
    path = write(tmp_path / "s.jsonl", [{"id": r["id"], "label": "NONE"} for r in stance])
    result = evaluate(built / "dataset", "stance", path, splits=schema.SPLITS, folds=True)
    assert result["scores"]["paragraph"]["f_avg"] == 0.0 and result["scores"]["document"]["f_avg"] == 0.0
    assert set(result["folds"]) == {str(k) for k in range(len(source_records(built)))}  # leave one document out
    topic = rows(built, "topic", tmp_path / "c")
    names = schema.TOPIC_LABELS
    preds = [{"id": r["id"], "labels": [names[i] for i in r["labels"]][:1]} for r in topic]  # first gold topic only
    result = evaluate(built / "dataset", "topic", write(tmp_path / "t.jsonl", preds), splits=schema.SPLITS)
    n_gold = sum(len(r["labels"]) for r in topic)
    assert result["scores"]["micro_f1"] == round(2 * 1.0 * (len(topic) / n_gold) / (1 + len(topic) / n_gold), 4)


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
    assert bad.exit_code == 2 and "unknown ner row id" in bad.output
