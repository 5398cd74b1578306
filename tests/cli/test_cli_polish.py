"""The command line's conventions: --version, -h everywhere, progress on long commands (drawn only on a
terminal, off with --quiet), whole document ids in tables, and the documented exit codes."""

from __future__ import annotations

import importlib
import io
import re
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

import coopnum
from coopnum.cli import app
from coopnum.cli.progress import bars
from coopnum.util.progress import silent, track

from ..conftest import REPO, source_records
from .test_cli_docs import COMMANDS

runner = CliRunner()
app_module = importlib.import_module("coopnum.cli.app")  # `coopnum.cli.app` the attribute is the Typer app


def test_version_prints_the_one_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"coopnum {coopnum.__version__}"), result.output
    assert result.output.count("\n") == 1


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_dash_h_is_help_on_every_command(name: str) -> None:
    short = runner.invoke(app, [*name.split(), "-h"])
    long = runner.invoke(app, [*name.split(), "--help"])
    assert short.exit_code == 0 and long.exit_code == 0, short.output
    assert short.output == long.output and "Usage:" in short.output


def readme_exit_codes() -> dict[int, str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n### Exit codes\n", 1)[1].split("\n#", 1)[0]
    return {int(m[1]): m[2] for m in re.finditer(r"^\| (\d+) \| (.+) \|$", section, re.M)}


def test_exit_codes_are_documented_in_the_readme_and_in_help() -> None:
    documented = readme_exit_codes()
    constants = {k: v for k, v in vars(app_module).items() if k.startswith("EXIT_") and isinstance(v, int)}
    assert set(documented) == set(constants.values()) | {0}, documented
    assert len(set(constants.values())) == len(constants), constants  # no two meanings share a code
    epilog = app_module.EXIT_CODES_EPILOG
    assert all(re.search(rf"\b{code} ", epilog) for code in documented), epilog
    shown = runner.invoke(app, ["--help"], terminal_width=400)
    assert "Exit codes: 0 done" in " ".join(shown.output.split()), shown.output


def test_a_usage_error_and_a_data_error_exit_differently(tmp_path: Path) -> None:
    usage = runner.invoke(app, ["build", "--no-such-option"])
    assert usage.exit_code == app_module.EXIT_USAGE == 2, usage.output
    data = runner.invoke(app, ["build", "--root", str(tmp_path)])  # no corpus: bad input, one line
    assert data.exit_code == app_module.EXIT_INPUT == 3, data.output
    assert data.output.startswith("error: ") and data.output.count("\n") == 1, data.output
    assert app_module.EXIT_INPUT not in (app_module.EXIT_USAGE, app_module.EXIT_STALE, app_module.EXIT_OS)


def test_a_held_lock_has_its_own_exit_code(tmp_path: Path) -> None:
    from coopnum.util.lock import LockHeld

    assert app_module.error_line(LockHeld("another coopnum build (pid 1) holds the lock"))[1] == 75


# ------------------------------------------------------------------ progress


def test_track_reports_every_item_and_ends_at_the_total() -> None:
    heard: list[tuple[int, int | None, str]] = []
    items = list(range(7))
    assert list(track(items, lambda *a: heard.append(a), "things")) == items
    assert heard[0] == (0, 7, "things") and heard[-1] == (7, 7, "things") and len(heard) == 8


def test_validate_and_clean_report_every_document(project: Path) -> None:
    from coopnum.dataset.clean_stage import write_clean
    from coopnum.dataset.validation import validate

    documents = len(source_records(project))
    heard: list[tuple[int, int | None, str]] = []
    validate(project, check_dataset=False, processes=1, chunk_documents=2, progress=lambda *a: heard.append(a))
    done = [d for d, _, what in heard if what == "documents"]
    assert done == sorted(done) and done[0] == 0 and done[-1] == documents
    assert {t for _, t, what in heard if what == "documents"} == {documents}
    heard.clear()
    write_clean(project / "corpus", project / "out", 1, 2, root=project, progress=lambda *a: heard.append(a))
    assert heard[-1] == (documents, documents, "documents")


def test_bars_are_drawn_on_a_terminal_only_and_not_with_quiet() -> None:
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=100)
    with bars(False, terminal) as progress:
        assert progress is not silent
        progress(0, 4, "documents")
        progress(4, 4, "documents")
    assert "documents" in screen.getvalue() and "4/4" in screen.getvalue()
    with bars(True, terminal) as progress:
        assert progress is silent
    pipe = Console(file=io.StringIO(), force_terminal=False)
    with bars(False, pipe) as progress:
        assert progress is silent


def test_a_build_into_a_pipe_prints_no_bar(project: Path) -> None:
    result = runner.invoke(app, ["build", "--root", str(project)])
    assert result.exit_code == 0, result.output
    assert result.stderr == "", result.stderr  # the bars go to stderr: nothing there when it is no terminal
    quiet = runner.invoke(app, ["build", "--root", str(project), "-q"])
    assert quiet.exit_code == 0, quiet.output


# ------------------------------------------------------------------ tables


def test_clean_prints_whole_document_ids_on_a_narrow_screen(project: Path, monkeypatch) -> None:
    monkeypatch.setattr(app_module.out, "width", 60)
    result = runner.invoke(app, ["clean", "--root", str(project), "--out", "out", "-q"])
    assert result.exit_code == 0, result.output
    for r in source_records(project):
        assert r["doc_id"] in result.output, (r["doc_id"], result.output)
