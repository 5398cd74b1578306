"""The build's input snapshot: the same hashes as listing every input, and a check that walks the
inputs again instead of taking a second snapshot; the manifest streamed as json.dumps writes it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from benchmarks.scale import generate

import coopnum
from coopnum.dataset.manifest import BASELINE_RESULTS, InputSnapshot, Paths, files_under, input_files, write_manifest
from coopnum.util.hashing import sha256_file


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    generate(7, project)
    odd = project / "corpus" / "odd"  # names whose component order and string order differ
    (odd / "a").mkdir(parents=True)
    for rel in ("a/b.txt", "a-c.txt", "a0.txt", "é.txt"):
        (odd / rel).write_text(rel, encoding="utf-8")
    os.symlink(odd / "a0.txt", odd / "link.txt")  # a link to a file is an input, not a regular one
    return project


def _every_input(root: Path) -> dict[str, Path]:
    """The inputs listed another way than the build's walk: each folder's files in Path order (files_under),
    the code and templates of the package, the baseline results."""
    found = {}
    for name in ("corpus", "annotations"):
        found |= {f"{name}/{p.relative_to(root / name).as_posix()}": p for p in files_under(root / name)}
    package = Path(coopnum.__file__).parent
    found |= {
        f"code/coopnum/{p.relative_to(package).as_posix()}": p
        for p in files_under(package)
        if p.suffix in (".py", ".md")
    }
    if (root / BASELINE_RESULTS).is_file():
        found[BASELINE_RESULTS.as_posix()] = root / BASELINE_RESULTS
    return found


def test_the_snapshot_lists_and_hashes_every_input(root: Path) -> None:
    snapshot = InputSnapshot.take(Paths(root))
    expected = {rel: sha256_file(p) for rel, p in _every_input(root).items()}
    assert input_files(Paths(root)) == dict(sorted(_every_input(root).items()))
    assert snapshot.hashes == expected and list(snapshot.digests) == sorted(expected)
    assert "corpus/odd/link.txt" in snapshot.hashes and "corpus/odd/link.txt" not in snapshot.regular
    assert set(snapshot.regular) == set(expected) - {"corpus/odd/link.txt"}


def test_changed_names_what_was_added_removed_or_written(root: Path) -> None:
    snapshot = InputSnapshot.take(Paths(root))
    assert snapshot.changed(Paths(root)) == []
    raw = sorted((root / "corpus" / "raw").iterdir())
    raw[0].unlink()
    (root / "corpus" / "odd" / "a-b.txt").write_text("new", encoding="utf-8")
    data = raw[1].read_bytes()
    raw[1].write_bytes(data)  # the same bytes written again: its ctime moved
    (root / "annotations" / "zz.md").write_text("after every other path", encoding="utf-8")
    expected = sorted(
        [f"corpus/raw/{raw[0].name}", "corpus/odd/a-b.txt", f"corpus/raw/{raw[1].name}", "annotations/zz.md"]
    )
    assert snapshot.changed(Paths(root)) == expected


def test_the_manifest_is_written_as_json_dumps_writes_it(root: Path, tmp_path: Path) -> None:
    snapshot = InputSnapshot.take(Paths(root))
    manifest = {"inputs": snapshot.digests, "outputs": {"a": "b"}, "rows": {"x": {"train": 1}}, "empty": {}, "l": []}
    for value in (manifest, {}, {"inputs": InputSnapshot.take(Paths(tmp_path / "none")).digests}):
        write_manifest(tmp_path / "m.json", value)
        plain = {k: dict(v) if k == "inputs" else v for k, v in value.items()}
        assert (tmp_path / "m.json").read_text(encoding="utf-8") == json.dumps(plain, indent=2, sort_keys=True) + "\n"
