"""The release version source, the semver rule and the pure diff of two releases' rows."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import coopnum
from coopnum.dataset import release as rel

from ..conftest import REPO


def row(doc: str, entities=(), stance=None, paragraphs=(), topics=(), sha="t") -> dict:
    ents = [{"start": s, "end": e, "label": label, "text": "x"} for s, e, label in entities]
    return {
        "id": doc,
        "text_sha256": sha,
        "entities": ents,
        "stance": stance,
        "paragraph_stances": list(paragraphs),
        "topics": list(topics),
    }


OLD = [
    row("a", [(0, 3, "PER"), (5, 9, "LOC")], "FAVOR", ["FAVOR", "NONE"], ["health"]),
    row("b", [(1, 2, "ORG")], "NONE", ["NONE"], ["education_research"]),
]


def test_diff_counts_each_layer_added_changed_removed() -> None:
    new = [
        row("a", [(0, 3, "ORG"), (5, 9, "LOC"), (10, 12, "MISC")], "AGAINST", ["FAVOR", "FAVOR", "NONE"], ["health"]),
        row("c", [(0, 1, "PER")], "NONE", ["NONE"], ["health", "digital_economy"]),
    ]
    d = rel.diff(OLD, new)
    assert d.documents == 2 and d.documents_added == ("c",) and d.documents_removed == ("b",)
    assert d.layers["entities"] == rel.LayerDiff(added=2, changed=1, removed=1)
    assert d.layers["paragraph stance"] == rel.LayerDiff(added=2, changed=1, removed=1)
    assert d.layers["document stance"] == rel.LayerDiff(added=1, changed=1, removed=1)
    assert d.layers["topics"] == rel.LayerDiff(added=2, changed=0, removed=1)
    assert rel.required_bump(d) == "minor"


def test_same_rows_give_an_empty_diff_and_a_patch() -> None:
    d = rel.diff(OLD, [dict(r) for r in OLD])
    assert d.empty and rel.required_bump(d) == "patch"


def test_corrections_only_need_a_patch_and_a_text_change_is_reported() -> None:
    new = [row("a", [(0, 3, "ORG")], "FAVOR", ["FAVOR", "NONE"], ["health"], sha="other"), OLD[1]]
    d = rel.diff(OLD, new)
    assert d.texts_changed == ("a",) and d.labels_added == 0 and rel.required_bump(d) == "patch"
    assert d.layers["entities"] == rel.LayerDiff(added=0, changed=1, removed=1)


def test_semver_rule() -> None:
    additions = rel.diff(OLD, [*OLD, row("c", [(0, 1, "PER")])])
    assert rel.check_version("1.0.0", "1.1.0", additions) == "minor"
    assert rel.check_version("1.0.0", "2.0.0", additions) == "major"  # more than needed is allowed
    with pytest.raises(rel.ReleaseError, match="need a minor one"):
        rel.check_version("1.0.0", "1.0.1", additions)
    for wrong in ("1.2.0", "1.0.0", "0.9.0", "1.1.1"):
        with pytest.raises(rel.ReleaseError, match=r"does not follow 1\.0\.0"):
            rel.check_version("1.0.0", wrong, additions)
    with pytest.raises(rel.ReleaseError, match="not a semantic version"):
        rel.check_version("1.0.0", "1.1", additions)
    schema = rel.Diff(2, (), (), (), additions.layers, ("config ner has other features",))
    assert rel.required_bump(schema) == "major"
    with pytest.raises(rel.ReleaseError, match="need a major one"):
        rel.check_version("1.0.0", "1.1.0", schema)
    assert rel.check_version(None, "1.0.0", additions) == "first"


def test_schema_changes() -> None:
    assert rel.schema_changes({"a": "x"}, {"a": "x"}, "1.0.0", "1.0.0") == ()
    got = rel.schema_changes({"a": "x", "b": "y"}, {"a": "z", "c": "w"}, "1.0.0", "2.0.0")
    assert got == ("config c added", "config b removed", "config a has other features", "schema version 1.0.0 -> 2.0.0")


def test_changelog_entry_moves_unreleased_notes_into_the_release() -> None:
    d = rel.diff(OLD, [*OLD, row("c", [(0, 1, "PER")], "NONE")])
    entry = rel.changelog_entry("1.1.0", "1.0.0", d, "2026-12-02")
    assert entry.startswith("## [1.1.0] - 2026-12-02\n") and "against `v1.0.0`" in entry
    assert "- Documents: 3 (1 added, 0 removed, 0 with a corrected text)." in entry and "`c`" in entry
    assert "| entities | 1 | 0 | 0 |" in entry and "| document stance | 1 | 0 | 0 |" in entry
    before = "# Changelog\n\n## [Unreleased]\n\n### Fixed\n\n- a fix\n\n## [1.0.0] - 2026-01-01\n\nold\n"
    after = rel.insert_entry(before, "1.1.0", entry)
    assert (
        after.index("## [Unreleased]") < after.index("## [1.1.0]") < after.index("- a fix") < after.index("## [1.0.0]")
    )
    assert after.count("## [Unreleased]") == 1 and "old\n" in after
    with pytest.raises(rel.ReleaseError, match=r"already has a section for 1\.1\.0"):
        rel.insert_entry(after, "1.1.0", entry)


def test_one_version_everywhere_in_this_checkout() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert rel.release_version(REPO) == pyproject == coopnum.__version__
    assert '__version__ = "' not in (REPO / "src" / "coopnum" / "__init__.py").read_text(encoding="utf-8")


def test_set_release_version_touches_only_the_project_version(tmp_path: Path) -> None:
    text = '[build-system]\nversion = "keep"\n\n[project]\nname = "coopnum"\nversion = "1.0.0"\n\n[tool.x]\nversion = "9"\n'
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    assert rel.set_release_version(tmp_path, "1.1.0") == text
    assert (tmp_path / "pyproject.toml").read_text(encoding="utf-8") == text.replace('"1.0.0"', '"1.1.0"')
    assert rel.release_version(tmp_path) == "1.1.0"
    assert rel.release_version(tmp_path / "not-a-checkout") == coopnum.__version__
    with pytest.raises(rel.ReleaseError):
        rel.set_release_version(tmp_path, "v1.2")
