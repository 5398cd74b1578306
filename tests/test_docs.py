"""The project's documents cannot drift from the code: the README's Layout lists exactly the packages of
``src/coopnum`` with their docstrings, CONTRIBUTING names them all, and the habit files exist.

Docstrings are read with :mod:`ast`, never by importing: importing ``coopnum.labelstudio`` would pull in the
Label Studio SDK, and a docs test should not depend on it.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "src" / "coopnum"
README = REPO / "README.md"
CONTRIBUTING = REPO / "CONTRIBUTING.md"
CHANGELOG = REPO / "CHANGELOG.md"
LICENSE = REPO / "LICENSE"
ANNOTATIONS_LICENSE = REPO / "annotations" / "LICENSE"
CC_BY_LEGAL_CODE = "https://creativecommons.org/licenses/by/4.0/legalcode"


def subpackages() -> list[str]:
    """Every folder of ``src/coopnum`` that is a package (holds an ``__init__.py``)."""
    return sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))


def docstring(path: Path) -> str | None:
    return ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))


def plain(text: str) -> str:
    """Text as it reads: reST/Markdown backticks dropped, every whitespace run (a line wrap too) one space."""
    return " ".join(text.replace("`", "").split())


def first_sentence(doc: str) -> str:
    """The first paragraph up to the first full stop followed by a space (or the end), whitespace collapsed."""
    paragraph = plain(doc.strip().split("\n\n")[0])
    end = re.search(r"\.(?= |$)", paragraph)
    return paragraph[: end.end()] if end else paragraph


def section(markdown: str, title: str) -> str:
    """The body of the ``## <title>`` section: up to the next heading of level 1 or 2."""
    lines = markdown.splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip() == f"## {title}"]
    assert len(starts) == 1, f"README.md has {len(starts)} '## {title}' sections, expected one"
    body: list[str] = []
    for line in lines[starts[0] + 1 :]:
        if re.match(r"#{1,2} ", line):
            break
        body.append(line)
    return "\n".join(body)


def layout_entries() -> dict[str, str]:
    """The Layout block's entries: a path at column 0, then its description, continued on indented lines."""
    entries: dict[str, str] = {}
    path = None
    in_block = False
    for line in section(README.read_text(encoding="utf-8"), "Layout").splitlines():
        if line.startswith("```"):
            in_block = not in_block
            path = None
        elif in_block and line.strip():
            if line[0].isspace():
                assert path is not None, f"a continuation line with no path above it: {line!r}"
                entries[path] += " " + line.strip()
            else:
                path, _, description = line.partition(" ")
                assert path not in entries, f"{path} appears twice in the README Layout"
                entries[path] = description.strip()
    assert entries, "README.md's Layout section holds no code block of paths"
    return entries


def layout_packages(entries: dict[str, str]) -> dict[str, str]:
    """The entries naming a package: ``src/coopnum/<name>/``."""
    found = {}
    for path, description in entries.items():
        m = re.fullmatch(r"src/coopnum/(\w+)/", path)
        if m:
            found[m.group(1)] = description
    return found


def test_the_package_has_subpackages() -> None:
    # guards the tests below against passing vacuously on a wrong PACKAGE path
    assert (PACKAGE / "__init__.py").is_file()
    assert len(subpackages()) >= 2, subpackages()


def test_readme_layout_names_exactly_the_subpackages() -> None:
    named = set(layout_packages(layout_entries()))
    actual = set(subpackages())
    assert not actual - named, f"subpackages missing from the README Layout: {sorted(actual - named)}"
    assert not named - actual, f"the README Layout names packages that do not exist: {sorted(named - actual)}"


@pytest.mark.parametrize("name", subpackages())
def test_readme_layout_line_carries_the_package_docstring(name: str) -> None:
    doc = docstring(PACKAGE / name / "__init__.py")
    assert doc, f"src/coopnum/{name}/__init__.py has no docstring saying what the package holds"
    sentence = first_sentence(doc)
    line = layout_packages(layout_entries()).get(name)
    assert line is not None, f"src/coopnum/{name}/ is missing from the README Layout"
    assert sentence in plain(line), (
        f"README Layout line for src/coopnum/{name}/ should contain its docstring's first sentence\n"
        f"  docstring: {sentence!r}\n  README:    {plain(line)!r}"
    )


def test_readme_layout_names_only_paths_that_exist() -> None:
    for path in layout_entries():
        if "<" in path:  # a pattern such as corpus/raw/NNN_<doc_id>.txt: its folder must exist
            assert (REPO / path).parent.is_dir(), f"README Layout: {path}: no folder {(REPO / path).parent}"
        else:
            assert (REPO / path).exists(), f"README Layout names {path}, which does not exist"


def test_readme_layout_module_lines_carry_their_docstrings() -> None:
    for path, description in layout_entries().items():
        if re.fullmatch(r"src/coopnum/\w+\.py", path):
            doc = docstring(REPO / path)
            assert doc, f"{path} has no module docstring"
            assert first_sentence(doc) in plain(description), f"README Layout line for {path}: {description!r}"


@pytest.mark.parametrize("path", [CONTRIBUTING, CHANGELOG, LICENSE, ANNOTATIONS_LICENSE], ids=lambda p: p.name)
def test_habit_file_exists(path: Path) -> None:
    assert path.is_file(), f"{path.relative_to(REPO)} is missing"
    assert path.read_text(encoding="utf-8").strip(), f"{path.relative_to(REPO)} is empty"


def test_contributing_names_every_subpackage() -> None:
    text = CONTRIBUTING.read_text(encoding="utf-8")
    for name in subpackages():
        # `name/`, coopnum/name or coopnum.name, not as the start of a longer word (quality in qualityX)
        named = re.compile(rf"(?:`|coopnum[./]){re.escape(name)}(?![\w-])")
        assert named.search(text), f"CONTRIBUTING.md does not name the subpackage {name}/"


def test_contributing_gives_the_readme_commands() -> None:
    readme = README.read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", readme, re.DOTALL)
    assert block, "README.md has no bash block of commands"
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.split("#")[0].strip()]
    assert commands
    text = CONTRIBUTING.read_text(encoding="utf-8")
    for command in commands:
        assert command in text, f"CONTRIBUTING.md does not give the README's command {command!r}"


def test_licenses_say_what_they_cover() -> None:
    mit = LICENSE.read_text(encoding="utf-8")
    assert mit.startswith("MIT License") and "the coopnum authors" in mit
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in mit
    notice = ANNOTATIONS_LICENSE.read_text(encoding="utf-8")
    assert "CC BY 4.0" in notice and CC_BY_LEGAL_CODE in notice
    assert "corpus/raw" in notice  # the article texts are named as not covered


def test_changelog_has_unreleased_and_the_current_version() -> None:
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    headings = re.findall(r"^## \[([^\]]+)\]", CHANGELOG.read_text(encoding="utf-8"), re.MULTILINE)
    assert headings[:1] == ["Unreleased"], headings
    assert version in headings, f"CHANGELOG.md has no section for version {version}: {headings}"
