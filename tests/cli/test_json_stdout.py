"""`--json -` (evaluate, agreement) and `validate --report -`: the JSON document alone on stdout,
the tables for people on stderr, so `coopnum ... --json - | jq` works."""

from __future__ import annotations

import json
from pathlib import Path

from datasets import load_dataset
from typer.testing import CliRunner

from coopnum.cli import app

from ..conftest import REPO


def _json_alone_on_stdout(args: list[str]) -> tuple[dict, str]:
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout), result.stderr  # json.loads fails on anything else on stdout


def test_evaluate_json_to_stdout(tmp_path: Path) -> None:
    rows = load_dataset(str(REPO / "dataset"), "stance_document", cache_dir=str(tmp_path / "cache"))["test"]
    predictions = tmp_path / "p.jsonl"
    predictions.write_text("".join(json.dumps({"id": r["id"], "label": "NONE"}) + "\n" for r in rows), "utf-8")
    args = ["evaluate", "--config", "stance_document", "--predictions", str(predictions)]
    result, shown = _json_alone_on_stdout([*args, "--dataset", str(REPO / "dataset"), "--json", "-"])
    assert result["rows"] == len(rows) and "F_avg" in result["headline"]
    assert "metric" in shown  # the table went to stderr


def test_agreement_and_validate_json_to_stdout() -> None:
    report, shown = _json_alone_on_stdout(["agreement", "--root", str(REPO), "--json", "-"])
    assert report["pairs"] and "alpha" in shown
    findings, shown = _json_alone_on_stdout(["validate", "--root", str(REPO), "--skip-dataset", "--report", "-"])
    assert isinstance(findings, dict | list) and "errors" in shown
