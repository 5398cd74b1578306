"""`coopnum add` and `coopnum status` through the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from coopnum.cli import app

ROOT = Path(__file__).resolve().parents[2]
GROWTH = ROOT / "tests/fixtures/growth"


def test_add_then_status_json(tmp_path: Path) -> None:
    for name in ("corpus", "annotations"):
        shutil.copytree(ROOT / name, tmp_path / name)
    runner = CliRunner()
    added = runner.invoke(app, ["add", str(GROWTH / "french"), "--root", str(tmp_path)])
    assert added.exit_code == 0, added.output
    shown = runner.invoke(app, ["status", "--json", "--root", str(tmp_path)])
    assert shown.exit_code == 0, shown.output
    result = json.loads(shown.stdout)
    assert result["counts"]["cleaned"] == len(list((GROWTH / "french").glob("*.txt")))
    assert all(len(d["doc_id"]) == 16 for d in result["documents"])


def test_a_refusal_is_one_line_and_a_nonzero_exit(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    before = (tmp_path / "corpus/sources.jsonl").read_bytes()
    result = CliRunner().invoke(app, ["add", str(GROWTH / "not_french"), "--root", str(tmp_path)])
    assert result.exit_code != 0
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "not French" in lines[0]
    assert (tmp_path / "corpus/sources.jsonl").read_bytes() == before
