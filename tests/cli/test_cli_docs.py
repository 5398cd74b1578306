"""Every command the CLI registers is documented: an ``Example:`` in its help, a row in README's table.

In the manner of sqlite-utils' documentation tests: the commands are read from the Typer app itself
(``ls`` subcommands included), so a new command without docs fails here rather than in review.
"""

from __future__ import annotations

import re

import pytest
import typer.core
import typer.main
from typer.testing import CliRunner

from coopnum.cli import app

from ..conftest import REPO

runner = CliRunner()
Command = typer.core.TyperCommand | typer.core.TyperGroup


def registered(group: typer.core.TyperGroup, prefix: tuple[str, ...] = ()) -> dict[str, Command]:
    """Every command and command group under ``group``, by its words after ``coopnum`` (``ls push``)."""
    found: dict[str, Command] = {}
    for name, command in group.commands.items():
        words = (*prefix, name)
        found[" ".join(words)] = command
        if isinstance(command, typer.core.TyperGroup):
            found.update(registered(command, words))
    return found


ROOT = typer.main.get_command(app)
assert isinstance(ROOT, typer.core.TyperGroup)
COMMANDS = registered(ROOT)
# a group (`ls`) has no row of its own in the README table, only its subcommands
LEAVES = {name: c for name, c in COMMANDS.items() if not isinstance(c, typer.core.TyperGroup)}


def readme_command_table() -> set[str]:
    """The commands README's "Command line" table documents: the words of each `coopnum ...` in a
    row's first cell up to the first option or placeholder (`coopnum ls submit PASS...` -> ``ls submit``)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Command line\n", 1)[1].split("\n## ", 1)[0]
    documented = set()
    for line in section.splitlines():
        if not line.startswith("|") or line.startswith("|---"):
            continue
        first_cell = re.split(r"(?<!\\)\|", line)[1]
        for usage in re.findall(r"`coopnum ([^`]*)`", first_cell):
            words = []
            for word in usage.split():
                if not re.fullmatch(r"[a-z][a-z-]*", word):
                    break
                words.append(word)
            documented.add(" ".join(words))
    return documented


DOCUMENTED = readme_command_table()


def test_the_walk_finds_top_level_commands_and_ls_subcommands() -> None:
    assert "build" in COMMANDS and "ls" in COMMANDS
    assert isinstance(COMMANDS["ls"], typer.core.TyperGroup)
    assert {name for name in LEAVES if name.startswith("ls ")}, "no `ls` subcommand found"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_has_an_example_of_the_command(name: str) -> None:
    help_text = COMMANDS[name].help or ""
    examples = [line.strip() for line in help_text.splitlines() if line.strip().startswith("Example:")]
    assert examples, f"`coopnum {name}` has no `Example:` line in its help"
    assert any(f"coopnum {name}" in e for e in examples), f"the example of `coopnum {name}` does not run it"
    result = runner.invoke(app, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output, f"`coopnum {name} --help` does not show the example"


@pytest.mark.parametrize("name", sorted(LEAVES))
def test_command_is_in_the_readme_command_table(name: str) -> None:
    assert name in DOCUMENTED, f"README's Command line table has no row for `coopnum {name}`"


def test_the_readme_table_documents_only_commands_that_exist() -> None:
    assert DOCUMENTED, "no `coopnum ...` command found in README's Command line table"
    assert set(LEAVES) >= DOCUMENTED, f"README documents unknown commands: {sorted(DOCUMENTED - set(LEAVES))}"
