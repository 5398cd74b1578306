"""`coopnum release` on a git copy of the project: 1.0.0, then a label change, then 1.1.0.

The copy is a fresh git repository under tmp_path (the repository's pyproject, corpus and the
test annotation fixture), so no tag or commit is ever made in the real checkout.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import coopnum
from coopnum import schema
from coopnum.dataset.build import build, check
from coopnum.dataset.release import ReleaseError, release_version
from coopnum.publish import release as release_cmd

from ..annotation_fixture import edit_annotations, gold_of, write_fixture
from ..conftest import REPO, first_doc_id


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    root = tmp_path / "checkout"
    root.mkdir()
    shutil.copytree(REPO / "corpus", root / "corpus")
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    (root / "pyproject.toml").write_text(text.replace(f'version = "{release_version(REPO)}"', 'version = "0.1.0"', 1))
    (root / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n\n### Added\n\n- releases\n", encoding="utf-8")
    write_fixture(root)
    build(root)
    git(root, "init", "-q")
    git(root, "config", "user.email", "release-test@example.org")
    git(root, "config", "user.name", "release test")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "inputs and build")
    return root


def tags(root: Path) -> list[str]:
    return git(root, "tag", "--list").split()


@pytest.mark.slow  # three builds
def test_release_then_a_label_change_then_a_minor_release(checkout: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = checkout
    first = release_cmd.release(root, "1.0.0", commit=True, date="2026-12-01")
    assert first.tagged and first.bump == "first" and tags(root) == ["v1.0.0"]
    assert git(root, "cat-file", "-t", "v1.0.0").strip() == "tag"  # annotated
    assert release_version(root) == "1.0.0"
    croissant = json.loads((root / "dataset" / "croissant.json").read_text(encoding="utf-8"))
    assert croissant["version"] == "1.0.0"
    assert "release 1.0.0" in (root / "dataset" / "README.md").read_text(encoding="utf-8")
    assert "version 1.0.0" in (root / "DATASHEET.md").read_text(encoding="utf-8")
    docs = first.diff.documents if first.diff else 0
    assert docs == len(list((root / "corpus" / "raw").iterdir()))
    assert git(root, "status", "--porcelain") == ""
    # After the release, a reinstall (CI's `scripts/setup`) gives the installed package the new
    # version: the committed build must still be current then.
    monkeypatch.setattr(coopnum, "__version__", "1.0.0")
    assert check(root) == []

    doc = first_doc_id(root)
    unused = next(t.label for t in schema.TOPICS if t.label not in gold_topics(root, doc))

    def change(obj: dict) -> None:  # one topic added, the document stance corrected
        gold = gold_of(obj)
        gold["topics"] = [*gold["topics"], unused]
        gold["stance"] = "AGAINST" if gold["stance"] != "AGAINST" else "NONE"

    edit_annotations(root, doc, change)
    with pytest.raises(ReleaseError, match="not clean"):
        release_cmd.release(root, "1.1.0")
    build(root)
    git(root, "commit", "-q", "-am", "a topic added, a stance corrected")
    with pytest.raises(ReleaseError, match="need a minor one"):
        release_cmd.release(root, "1.0.1")
    with pytest.raises(ReleaseError, match=r"does not follow 1\.0\.0"):
        release_cmd.release(root, "1.2.0")
    assert release_version(root) == "1.0.0" and tags(root) == ["v1.0.0"]  # refusals change nothing

    second = release_cmd.release(root, "1.1.0", date="2026-12-02")  # no --commit: files left, no tag
    assert not second.tagged and tags(root) == ["v1.0.0"] and "CHANGELOG.md" in second.left
    assert second.diff is not None and second.bump == "minor"
    assert second.diff.layers["topics"].added == 1 and second.diff.layers["document stance"].changed == 1
    changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [1.1.0] - 2026-12-02" in changelog and "against `v1.0.0`" in changelog
    assert "| topics | 1 | 0 | 0 |" in changelog and "| document stance | 0 | 1 | 0 |" in changelog
    assert changelog.index("## [1.1.0]") < changelog.index("## [1.0.0]")
    git(root, "commit", "-q", "-am", "Release 1.1.0")
    finished = release_cmd.release(root, "1.1.0")  # run again on the clean tree: the tag
    assert finished.tagged and tags(root) == ["v1.0.0", "v1.1.0"]
    old = release_cmd.tagged_snapshot(root, "1.0.0").rows
    new = release_cmd.tagged_snapshot(root, "1.1.0").rows
    assert len(old) == len(new) and old != new
    with pytest.raises(ReleaseError, match="exists already"):
        release_cmd.release(root, "1.1.0")


def gold_topics(root: Path, doc: str) -> list[str]:
    obj = json.loads((root / "annotations" / "labelstudio" / f"{doc}.json").read_text(encoding="utf-8"))
    return gold_of(obj)["topics"]


def test_release_refuses_a_stale_build(checkout: Path) -> None:
    card = checkout / "dataset" / "README.md"
    card.write_text(card.read_text(encoding="utf-8") + "\nhand edit\n", encoding="utf-8")
    git(checkout, "commit", "-q", "-am", "hand edit")
    with pytest.raises(ReleaseError, match="build is stale"):
        release_cmd.release(checkout, "1.0.0")
    assert tags(checkout) == [] and release_version(checkout) == "0.1.0"
