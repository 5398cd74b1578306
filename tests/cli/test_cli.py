"""The command line: each verb documented, writes what it says, fails cleanly."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import typer.main
from typer.testing import CliRunner

from coopnum.cli import app

from ..conftest import REPO, source_records

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
    sources = source_records(project)
    written = sorted(p.name for p in (project / "out").iterdir() if p.name != ".coopnum-output")
    assert written == sorted(f"{r['doc_id']}{ext}" for r in sources for ext in (".json", ".audit.jsonl"))
    removed_rules, titles = set(), 0
    for r in sources:
        doc = json.loads((project / "out" / f"{r['doc_id']}.json").read_text(encoding="utf-8"))
        assert doc["raw_sha256"] == r["raw_sha256"] and doc["raw_file"] == f"corpus/raw/{r['file']}"
        assert hashlib.sha256(doc["text"].encode()).hexdigest() == doc["text_sha256"]
        assert doc["title"] is None or doc["text"].startswith(doc["title"] + "\n")  # the title is the first paragraph
        titles += doc["title"] is not None
        audit = [json.loads(x) for x in (project / "out" / f"{r['doc_id']}.audit.jsonl").read_text().splitlines()]
        raw = (project / "corpus" / "raw" / r["file"]).read_text(encoding="utf-8")
        assert [a["line"] for a in audit] == list(range(1, len(raw.split("\n")) + 1))  # every raw line, in order
        for a in audit:
            assert "\n" not in raw[a["raw_start"] : a["raw_end"]]
            if a["action"] == "removed":
                assert a["rule"], a
                removed_rules.add(a["rule"])
    assert removed_rules, "cleaning removed no line anywhere: the audit records nothing"
    assert titles, "no document got a title"


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
    assert result.exit_code == 3
    assert "raw_sha256" in result.output and raw.name in result.output
    assert not (project / "dataset").exists()


def test_schema_command_prints_the_label_studio_config() -> None:
    result = runner.invoke(app, ["schema", "--format", "labelstudio"])
    assert result.exit_code == 0 and result.output.startswith("<View>")
    result = runner.invoke(app, ["schema", "--format", "features"])
    assert set(json.loads(result.output)) == {
        "documents",
        "ner",
        "stance",
        "stance_document",
        "topic",
        "annotator_labels",
    }
