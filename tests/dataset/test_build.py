"""The build: load_dataset from the folder, determinism, staleness, atomicity."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from datasets import get_dataset_config_names, load_dataset

from coopnum import schema
from coopnum.corpus.sources import read_corpus
from coopnum.dataset import build as builder
from coopnum.dataset import registry
from coopnum.dataset.build import build, check

from ..conftest import REPO


def expected_configs(root: Path) -> dict[str, object]:
    """The configs a build of ``root`` writes: all of them once annotations/ holds gold."""
    from coopnum.annotation import format as ann

    return registry.configs(bool(ann.load_all(root / "annotations")))


def tree_hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_load_dataset_documents_offline(project: Path, cache_dir: str) -> None:
    build(project)
    documents = len(read_corpus(project / "corpus"))  # one row per article, however many the corpus holds
    for source in (str(project / "dataset"), str(project / "dataset") + "/"):
        ds = load_dataset(source, "documents", cache_dir=cache_dir)
        assert sum(ds.num_rows.values()) == documents
        assert set(ds) == set(schema.SPLITS)
        for split in ds.values():
            assert split.features == expected_configs(project)["documents"]  # declared, with ClassLabel names
    default = load_dataset(str(project / "dataset"), cache_dir=cache_dir)  # `documents` is the default config
    assert sum(default.num_rows.values()) == documents
    assert set(get_dataset_config_names(str(project / "dataset"))) == set(expected_configs(project))


def test_load_dataset_from_the_committed_folder(cache_dir: str) -> None:
    ds = load_dataset(str(REPO / "dataset"), "documents", cache_dir=cache_dir)
    rows = [r for split in ds.values() for r in split]
    raw = {d.source.doc_id: d for d in read_corpus(REPO / "corpus")}
    assert sorted(r["id"] for r in rows) == sorted(raw)
    names = ds["train"].features["paragraphs"].feature["kind"].names
    for r in rows:
        text = r["text"]
        assert hashlib.sha256(text.encode()).hexdigest() == r["text_sha256"]
        assert r["raw_sha256"] == raw[r["id"]].source.raw_sha256
        kinds = [names[p["kind"]] for p in r["paragraphs"]]
        assert "\n".join(text[p["start"] : p["end"]] for p in r["paragraphs"]) == text
        assert (kinds[0] == "title") == (r["title"] is not None)
        raw_text = raw[r["id"]].text
        for seg in r["offset_map"]:  # verbatim stretches of the map really are verbatim
            clean_part = text[seg["clean_start"] : seg["clean_end"]]
            raw_part = raw_text[seg["raw_start"] : seg["raw_end"]]
            if len(clean_part) == len(raw_part) and clean_part.strip():
                assert sum(a != b for a, b in zip(clean_part, raw_part, strict=True)) <= clean_part.count(" ")
        assert len(r["audit"]) == raw_text.count("\n") + (0 if raw_text.endswith("\n") else 1)


def test_splits_are_by_document_and_stable() -> None:
    from coopnum.corpus import splits

    ids = [d.source.doc_id for d in read_corpus(REPO / "corpus")]
    assert {i: splits.split_of(i) for i in ids} == {i: splits.split_of(i) for i in reversed(ids)}
    assert splits.folds(ids) == {i: splits.fold_of(i) for i in ids}


@pytest.mark.slow  # a second full build in a new process
def test_two_builds_are_byte_identical(project: Path, tmp_path: Path) -> None:
    build(project)
    first = tree_hashes(project / "dataset")
    other = tmp_path / "other"
    shutil.copytree(project, other, ignore=shutil.ignore_patterns("dataset"))
    # A separate process, another PYTHONHASHSEED: set iteration order must not leak into bytes.
    subprocess.run(
        [sys.executable, "-m", "coopnum", "build", "--root", str(other)],
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin", "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"},
        capture_output=True,
    )
    assert tree_hashes(other / "dataset") == first


def test_committed_dataset_is_current_and_byte_identical_to_a_rebuild(project: Path) -> None:
    assert check(REPO) == [], "dataset/ is stale: run `coopnum build` and commit dataset/"
    build(project)
    assert tree_hashes(project / "dataset") == tree_hashes(REPO / "dataset")


def test_check_names_what_is_stale(project: Path) -> None:
    assert check(project) and "missing" in check(project)[0]
    build(project)
    assert check(project) == []
    raw = sorted((project / "corpus" / "raw").glob("*.txt"))[0]
    raw.write_bytes(raw.read_bytes() + b" ")
    assert check(project) == [f"input changed since the build: corpus/raw/{raw.name}"]
    (project / "annotations").mkdir(exist_ok=True)
    (project / "annotations" / "new.json").write_text("{}", encoding="utf-8")
    assert "input added since the build: annotations/new.json" in check(project)
    card = project / "dataset" / "README.md"
    card.write_text(card.read_text(encoding="utf-8") + "hand edit\n", encoding="utf-8")
    assert "output edited since the build: dataset/README.md" in check(project)
    (project / "dataset" / "stray.txt").write_text("x", encoding="utf-8")
    assert "output not written by the build: dataset/stray.txt" in check(project)


def test_check_sees_a_code_change(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(project)
    from coopnum.dataset import manifest

    real = manifest.input_hashes(builder.Paths(project))
    code = next(k for k in sorted(real) if k.startswith("code/coopnum/corpus/"))  # some module of the cleaner
    changed = {**real, code: "0" * 64}
    monkeypatch.setattr(manifest, "input_hashes", lambda paths: changed)
    assert check(project) == [f"input changed since the build: {code}"]


def test_rebuilt_dataset_is_what_loads(project: Path, tmp_path: Path) -> None:
    """The local-folder cache is keyed on the card, not the data: a fresh cache sees a rebuild."""
    build(project)
    first = load_dataset(str(project / "dataset"), "documents", cache_dir=str(tmp_path / "c1"))
    sources = project / "corpus" / "sources.jsonl"
    records = [json.loads(line) for line in sources.read_text(encoding="utf-8").splitlines()]
    changed = next(r for r in records if r["url"] is None)  # a document whose url the edit really changes
    changed["url"] = "https://example.org/article"
    sources.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    build(project)
    second = load_dataset(str(project / "dataset"), "documents", cache_dir=str(tmp_path / "c2"))
    before = {r["id"]: r["url"] for split in first.values() for r in split}
    after = {r["id"]: r["url"] for split in second.values() for r in split}
    assert before[changed["doc_id"]] is None and after[changed["doc_id"]] == "https://example.org/article"
    assert {k: v for k, v in after.items() if k != changed["doc_id"]} == {
        k: v for k, v in before.items() if k != changed["doc_id"]
    }


def test_failed_build_leaves_previous_dataset(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(project)
    before = tree_hashes(project / "dataset")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    # fail after Parquet and card are written (the build's Croissant step: a rebuild's text comes from the cache)
    monkeypatch.setattr(builder, "_croissant", broken)
    with pytest.raises(OSError, match="disk full"):
        build(project)
    assert tree_hashes(project / "dataset") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".dataset.")]


def test_card_yaml_declares_every_config_and_its_files() -> None:
    text = (REPO / "dataset" / "README.md").read_text(encoding="utf-8")
    assert text.startswith("---\n")
    meta = yaml.safe_load(text.split("---\n")[1])
    declared = {c["config_name"]: c for c in meta["configs"]}
    assert set(declared) == set(expected_configs(REPO))
    for config in declared.values():
        for f in config["data_files"]:
            assert (REPO / "dataset" / f["path"]).is_file()
    assert meta["language"] == ["fr"] and meta["size_categories"] == ["n<1K"]
    for placeholder in ("[More Information Needed]", "TODO", "XXX"):
        assert placeholder not in text
    assert not re.search(r"\{\{\s*\w+\s*\}\}", text), "an unrendered template field"


def test_card_figures_come_from_the_build() -> None:
    text = (REPO / "dataset" / "README.md").read_text(encoding="utf-8")
    docs = builder.clean_corpus(REPO / "corpus")
    assert f"{sum(len(d.clean.text) for d in docs):,} characters" in text
    for split in schema.SPLITS:
        assert f"| {split} | {sum(1 for d in docs if d.split == split)} |" in text
    manifest = json.loads((REPO / "dataset" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["rows"]["documents"] == {s: sum(1 for d in docs if d.split == s) for s in schema.SPLITS}
