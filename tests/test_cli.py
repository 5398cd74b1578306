"""The command line: each verb documented, writes what it says, fails cleanly."""

from __future__ import annotations

import json
from pathlib import Path

import typer.main
from typer.testing import CliRunner

from coopnum.cli import app

from .conftest import REPO

runner = CliRunner()


def commands(group: object | None = None, prefix: tuple[str, ...] = ()) -> dict[str, tuple[str, ...]]:
    """Every command and command group, by its words after `coopnum` (``ls push``)."""
    group = group or typer.main.get_command(app)
    found = {}
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        found[" ".join((*prefix, name))] = (*prefix, name)
        if hasattr(command, "commands"):
            found.update(commands(command, (*prefix, name)))
    return found


def test_every_command_has_help_with_an_example_and_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "ls push" in commands()
    for name, words in commands().items():
        result = runner.invoke(app, [*words, "--help"])
        assert result.exit_code == 0, result.output
        assert "Example:" in result.output, name
        assert f"coopnum {name}" in readme, f"README does not document `coopnum {name}`"


def test_clean_writes_documents_and_audits(project: Path) -> None:
    result = runner.invoke(app, ["clean", "--root", str(project), "--out", "out"])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (project / "out").iterdir())
    assert len(written) == 10
    doc = json.loads((project / "out" / "db38e82f54f3c3a1.json").read_text(encoding="utf-8"))
    assert doc["title"].startswith("Oui, Moscou pourrait ouvrir")
    audit = [json.loads(x) for x in (project / "out" / "db38e82f54f3c3a1.audit.jsonl").read_text().splitlines()]
    raw = (project / "corpus" / "raw" / "000_db38e82f54f3c3a1.txt").read_text(encoding="utf-8")
    assert len(audit) == len(raw.split("\n"))
    assert {"line": 1, "action": "removed", "rule": "listen_widget"}.items() <= audit[0].items()


def test_build_and_check_exit_codes(project: Path) -> None:
    result = runner.invoke(app, ["build", "--check", "--root", str(project)])
    assert result.exit_code == 1
    result = runner.invoke(app, ["build", "--root", str(project)])
    assert result.exit_code == 0, result.output
    assert (project / "dataset" / "data" / "documents" / "train.parquet").is_file()
    result = runner.invoke(app, ["build", "--check", "--root", str(project)])
    assert result.exit_code == 0, result.output


def test_bad_input_exits_non_zero_with_a_message(project: Path) -> None:
    raw = sorted((project / "corpus" / "raw").glob("*.txt"))[1]
    raw.write_bytes(b"\xff\xfe broken")
    result = runner.invoke(app, ["build", "--root", str(project)])
    assert result.exit_code == 2
    assert "raw_sha256" in result.output and raw.name in result.output
    assert not (project / "dataset").exists()


def test_schema_command_prints_the_label_studio_config() -> None:
    result = runner.invoke(app, ["schema", "--format", "labelstudio"])
    assert result.exit_code == 0 and result.output.startswith("<View>")
    result = runner.invoke(app, ["schema", "--format", "features"])
    assert set(json.loads(result.output)) == {"documents", "ner", "stance", "topic", "annotator_labels"}
