"""`coopnum standoff` and `coopnum rehydrate` from the command line: output, exit codes, one-line errors."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from coopnum.cli import app

from ..conftest import REPO, first_doc_id

runner = CliRunner()


def test_standoff_then_rehydrate_then_a_missing_scrape(tmp_path: Path) -> None:
    standoff, out = tmp_path / "standoff", tmp_path / "out"
    written = runner.invoke(app, ["standoff", "--root", str(REPO), "--out", str(standoff)])
    assert written.exit_code == 0, written.output
    assert (standoff / "manifest.json").is_file() and "wrote the stand-off release" in written.output
    rehydrated = runner.invoke(
        app, ["rehydrate", str(REPO / "corpus" / "raw"), "--standoff", str(standoff), "--out", str(out)]
    )
    assert rehydrated.exit_code == 0, rehydrated.output
    assert "byte-identical" in rehydrated.output and (out / "data" / "documents").is_dir()

    raw = tmp_path / "raw"
    shutil.copytree(REPO / "corpus" / "raw", raw)
    doc_id = first_doc_id()
    next(raw.glob(f"*_{doc_id}.txt")).unlink()
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    failed = runner.invoke(app, ["rehydrate", str(raw), "--standoff", str(standoff), "--out", str(out)])
    assert failed.exit_code == 3
    lines = failed.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: raw file of the release is missing")
    assert f"document={doc_id}" in lines[0]
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before  # the previous folder stays
