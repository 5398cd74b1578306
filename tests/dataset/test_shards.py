"""Sharded Parquet (:mod:`coopnum.dataset.shards`): a synthetic corpus built with a small ``SHARD_DOCUMENTS``
has several shards per split, loads with ``datasets`` as the same rows in the same order as the build of
one file per split, and a rebuild after one edit rewrites only the shards of the documents that changed.
Rehydrate, Croissant, the release diff from git and a publish to the stand-in hub read the shards."""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import mlcroissant as mlc
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from datasets import load_dataset

from coopnum import schema
from coopnum.dataset import parquet, registry, shards, standoff
from coopnum.dataset.build import build
from coopnum.dataset.rehydrate import rehydrate
from coopnum.publish import release as release_cmd

from ..conftest import copy_project
from ..hubstub import HubStub
from ..publish.test_publish import REPO_ID, local_bytes
from ..publish.test_publish import run as publish
from .test_cache import (
    _clean_text_holds,
    _edit_annotation,
    _edit_raw,
    _from_scratch,
    _furniture_for,
    _sources,
    _three_outlets,
    _with_furniture,
    assert_random_edits_rebuild_as_from_scratch,
)
from .test_cache import _outputs as _all_outputs

DOCUMENTS = 24  # each seed four times or more: removing or adding one leaves every recurring line recurring
SMALL = 2  # SHARD_DOCUMENTS in these tests: one document in two opens a shard
CHUNK = 5  # chunks that straddle the shards
ROW_GROUP = 4096  # bytes: several row groups in a shard, so that their edges are checked too
SHIPPED = shards.SHARD_DOCUMENTS  # as the code has it (the module's tests lower it)


@pytest.fixture(scope="module")
def small_shards() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(shards, "SHARD_DOCUMENTS", SMALL)
        mp.setattr(parquet, "ROW_GROUP_BYTES", ROW_GROUP)
        yield


@pytest.fixture(scope="module")
def sharded(synthetic_project: Callable[[int], Path], tmp_path_factory: pytest.TempPathFactory, small_shards) -> Path:
    """A built copy of the synthetic corpus, in shards (its cache warm); tests copy it to change it."""
    root = copy_project(synthetic_project(DOCUMENTS), tmp_path_factory.mktemp("sharded"))
    build(root, processes=2, chunk_documents=CHUNK)
    return root


@pytest.fixture(scope="module")
def single(synthetic_project: Callable[[int], Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same corpus built with the shipped SHARD_DOCUMENTS: one file per split."""
    root = copy_project(synthetic_project(DOCUMENTS), tmp_path_factory.mktemp("single"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(shards, "SHARD_DOCUMENTS", SHIPPED)  # whether or not the module's small shards are on
        build(root, processes=2, chunk_documents=CHUNK, use_cache=False)
    return root


def _data(root: Path) -> dict[str, str]:
    """sha256 of every data file of ``root/dataset``, by path relative to it."""
    dataset = root / "dataset"
    return {rel: hashlib.sha256((dataset / rel).read_bytes()).hexdigest() for rel in shards.listing(dataset)}


def _plan(root: Path) -> shards.Plan:
    return shards.Plan.of((r["doc_id"], _split(r["doc_id"])) for r in _sources(root))


def _split(doc_id: str) -> str:
    from coopnum.corpus import splits

    return splits.split_of(doc_id)


# ------------------------------------------------------------------ boundaries


def _ranges(ids: list[str]) -> list[tuple[str, ...]]:
    firsts = shards.boundaries(ids)
    ordered = sorted(ids)
    starts = [ordered.index(f) for f in firsts] + [len(ordered)]
    return [tuple(ordered[a:b]) for a, b in itertools.pairwise(starts)]


def test_boundaries_depend_on_the_ids_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shards, "SHARD_DOCUMENTS", 16)
    rng = random.Random(17)
    ids = [f"{rng.getrandbits(64):016x}" for _ in range(3000)]
    before = _ranges(ids)
    assert len(before) > 20 and max(map(len, before)) <= shards.max_shard_documents()
    assert sum(map(len, before)) == len(ids) and [d for r in before for d in r] == sorted(ids)
    forced = [r for r in before if not shards.opens_shard(r[0])]
    assert forced, "a run long enough for a forced cut (else the bound is not tested)"
    assert shards.boundaries(reversed(ids)) == shards.boundaries(ids)  # the order given does not matter
    natural = [i for i in sorted(ids) if shards.opens_shard(i)]
    for _ in range(40):
        new = f"{rng.getrandbits(64):016x}"
        after = _ranges([*ids, new])
        changed_before = set(before) - set(after)
        changed_after = set(after) - set(before)
        assert all(new in r for r in changed_after) or len(changed_after) > 1
        # every shard that changed lies in the natural run of the new document (forced cuts move inside it)
        start = max((n for n in natural if n <= new), default="")
        end = min((n for n in natural if n > new), default="g")
        assert all(start <= d < end for r in changed_before | changed_after for d in r), new
        run = [d for d in ids if start <= d < end]
        if len(run) + 1 <= shards.max_shard_documents() and not shards.opens_shard(new):
            assert len(changed_before) == 1 and len(changed_after) == 1 and new in next(iter(changed_after))


def test_names_parse_back_and_sort_in_document_order() -> None:
    plan = shards.Plan({"train": ["00aa000000000000", "7f00000000000000"], "validation": ["1234567890abcdef"]})
    assert plan.path("ner", "train", "7f00000000000000") == "data/ner/train-7f00000000000000.parquet"
    assert plan.path("ner", "validation", "1234567890abcdef") == "data/ner/validation.parquet"
    assert shards.parse("data/ner/train-7f00000000000000.parquet") == ("ner", "train", "7f00000000000000")
    assert shards.parse("data/ner/train.parquet") == ("ner", "train", None)
    for other in (
        "data/ner/train-7F00.parquet",
        "data/ner/dev.parquet",
        "ner/train.parquet",
        "data/ner/x/train.parquet",
    ):
        assert shards.parse(other) is None, other
    listed = [
        "data/ner/train-7f00000000000000.parquet",
        "data/ner/test.parquet",
        "data/ner/train-00aa000000000000.parquet",
    ]
    assert shards.select(listed, "ner", "train") == sorted(listed[::2])
    assert plan.shard_of("train", "5000000000000000") == "00aa000000000000"
    assert plan.cuts_in("train", "00aa000000000000", "ffffffffffffffff") == ["7f00000000000000"]


# ------------------------------------------------------------------ the build


def test_a_sharded_build_has_several_shards_and_the_rows_of_one_file_per_split(
    sharded: Path, single: Path, cache_dir: str
) -> None:
    several = {
        c
        for c in registry.configs(True)
        if any(len(shards.files(sharded / "dataset", c, s)) > 1 for s in schema.SPLITS)
    }
    assert several == set(registry.configs(True))
    assert len(shards.files(sharded / "dataset", "documents", "train")) > 2
    for config in registry.configs(True):
        for split in schema.SPLITS:
            one = shards.files(single / "dataset", config, split)
            many = shards.files(sharded / "dataset", config, split)
            assert [p.name for p in one] in ([f"{split}.parquet"], []), (config, split)
            if not one:
                assert not many
                continue
            # the same bytes per row, in the same order: the shards' tables end to end are the one file's
            joined = pa.concat_tables([pq.read_table(p) for p in many])
            assert joined.equals(pq.read_table(one[0])), (config, split)
    # `datasets` reads the card's glob in name order (it sorts the matches: checked here, not assumed),
    # which is document order
    card = (sharded / "dataset" / "README.md").read_text(encoding="utf-8")
    assert "path: data/documents/train-*.parquet" in card
    for config in ("documents", "ner", "annotator_labels"):
        a = load_dataset(str(sharded / "dataset"), config, cache_dir=cache_dir + "/sharded")
        b = load_dataset(str(single / "dataset"), config, cache_dir=cache_dir + "/single")
        assert set(a) == set(b)
        for split in a:
            assert a[split].data.table.equals(b[split].data.table), (config, split)


def test_an_annotation_edit_rewrites_one_shard_per_config_in_one_split(
    sharded: Path, tmp_path: Path, small_shards
) -> None:
    root = copy_project(sharded, tmp_path)
    before = _data(root)
    plan = _plan(root)
    doc_id = sorted(r["doc_id"] for r in _sources(root) if _split(r["doc_id"]) == "train")[3]
    _edit_annotation(root, doc_id, random.Random(3))  # its topics: documents, topic, annotator_labels change
    result = build(root, processes=2, chunk_documents=CHUNK)
    after = _data(root)
    assert after.keys() == before.keys()
    changed = {rel for rel in after if after[rel] != before[rel]}
    first = plan.shard_of("train", doc_id)
    allowed = {plan.path(config, "train", first) for config in registry.configs(True)}
    assert changed <= allowed and {f"data/{c}/train-{first}.parquet" for c in ("documents", "topic")} <= changed
    assert len(after) - len(changed) > 3 * len(changed)  # most shards kept their bytes
    # only the edited document's shard was encoded (one per config that has rows in it), the rest copied in
    assert set(result.encoded) == {rel for rel in allowed if rel in after}
    assert set(build(root, processes=2, chunk_documents=CHUNK).encoded) == set()  # nothing changed: all copied
    assert set(build(root, processes=2, chunk_documents=CHUNK, use_cache=False).encoded) == set(after)


def test_adding_a_document_changes_only_the_shards_it_falls_in(
    synthetic_project: Callable[[int], Path], sharded: Path, tmp_path: Path, small_shards
) -> None:
    bigger = copy_project(synthetic_project(DOCUMENTS + 1), tmp_path)  # the same documents and one more
    new = ({r["doc_id"] for r in _sources(bigger)} - {r["doc_id"] for r in _sources(sharded)}).pop()
    build(bigger, processes=2, chunk_documents=CHUNK)  # chunks of 5: every chunk after the new id moves
    old, now = _data(sharded), _data(bigger)
    split = _split(new)
    allowed = {
        plan.path(c, split, plan.shard_of(split, new))
        for plan in (_plan(sharded), _plan(bigger))
        for c in registry.configs(True)
    }
    differ = {rel for rel in old.keys() | now.keys() if old.get(rel) != now.get(rel)}
    assert differ and differ <= allowed, sorted(differ - allowed)
    assert len(old.keys() & now.keys()) - len(differ) > 3 * len(differ)


def _outputs(root: Path) -> dict[str, str]:
    dataset = root / "dataset"
    return {
        p.relative_to(dataset).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(dataset.rglob("*"))
        if p.is_file()
    }


def test_random_edits_then_a_rebuild_gives_the_bytes_of_a_build_from_scratch_in_shards(
    sharded: Path, tmp_path: Path, small_shards
) -> None:
    root = copy_project(sharded, tmp_path)
    # the build from scratch in other chunks than the rebuild's: shards do not depend on chunk edges
    assert_random_edits_rebuild_as_from_scratch(root, tmp_path, seed=23, scratch_chunk_documents=3)


def test_a_line_that_starts_to_recur_elsewhere_re_encodes_the_shards_of_documents_it_changes(
    synthetic_project: Callable[[int], Path], tmp_path: Path, small_shards
) -> None:
    """The cached bytes of a shard whose documents' files did not change are not copied in when the
    evidence their cleaning consulted gives other answers (its head's lookups)."""
    root = copy_project(synthetic_project(10), tmp_path)  # test_cache's corpus: where the line's count is known
    first, second, third = _three_outlets(root)
    line = _furniture_for(root, [first, second, third])
    for doc_id in (first, second):
        _edit_raw(root, doc_id, lambda text: _with_furniture(text, line))
    build(root, processes=2, chunk_documents=CHUNK)
    assert _clean_text_holds(root, first, line)
    _edit_raw(root, third, lambda text: _with_furniture(text, line))  # the first two files are untouched
    assert not _clean_text_holds(root, first, line)
    result = build(root, processes=2, chunk_documents=CHUNK)
    plan = _plan(root)
    for doc_id in (first, second, third):
        split = _split(doc_id)
        assert plan.path("documents", split, plan.shard_of(split, doc_id)) in result.encoded, doc_id
    assert _all_outputs(root) == _from_scratch(root, tmp_path)


# ------------------------------------------------------------------ the readers


def test_rehydrate_gives_every_shard_byte_for_byte(sharded: Path, tmp_path: Path, small_shards) -> None:
    folder = tmp_path / "standoff"
    standoff.write_standoff(sharded / "dataset", folder)
    assert shards.listing(folder) == shards.listing(sharded / "dataset")  # one stand-off file per shard
    result = rehydrate(sharded / "corpus" / "raw", folder, tmp_path / "out")
    assert result.different_bytes == ()
    assert list(result.byte_identical) == shards.listing(sharded / "dataset")
    card = (tmp_path / "out" / standoff.CARD).read_text(encoding="utf-8")
    assert "path: data/ner/train-*.parquet" in card


def test_croissant_validates_and_reads_every_shard(sharded: Path) -> None:
    dataset = mlc.Dataset(sharded / "dataset" / "croissant.json")
    assert not dataset.metadata.ctx.issues.warnings and not dataset.metadata.ctx.issues.errors
    meta = json.loads((sharded / "dataset" / "croissant.json").read_text(encoding="utf-8"))
    declared = {
        node["contentUrl"]: node["sha256"]
        for node in meta["distribution"]
        if node["@type"] == "cr:FileObject" and node["encodingFormat"] == "application/x-parquet"
    }
    assert declared == {rel.removeprefix("data/"): digest for rel, digest in _data(sharded).items()}
    for split in schema.SPLITS:
        expected = sum(pq.read_metadata(p).num_rows for p in shards.files(sharded / "dataset", "topic", split))
        records = list(dataset.records("topic", filters={"topic/split": split}))
        assert len(records) == expected > 0, split


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


def test_the_release_diff_reads_the_shards_of_a_tagged_release(sharded: Path, tmp_path: Path, small_shards) -> None:
    root = copy_project(sharded, tmp_path)
    shutil.rmtree(root / ".coopnum-cache", ignore_errors=True)
    _git(root, "init", "-q")
    _git(root, "-c", "user.email=t@example.org", "-c", "user.name=t", "add", ".")
    _git(root, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-q", "-m", "build")
    _git(root, "-c", "user.email=t@example.org", "-c", "user.name=t", "tag", "-a", "v1.0.0", "-m", "1.0.0")
    listed = release_cmd.release_files(root, "v1.0.0")
    assert listed[("documents", "train")] == [
        f"dataset/{r}" for r in shards.select(shards.listing(root / "dataset"), "documents", "train")
    ]
    assert len(listed[("documents", "train")]) > 2
    old = release_cmd.tagged_snapshot(root, "1.0.0")
    assert sorted(old.rows, key=lambda r: r["id"]) == sorted(
        release_cmd.current_snapshot(root).rows, key=lambda r: r["id"]
    )
    assert len(old.rows) == DOCUMENTS and set(old.features) == set(registry.configs(True))
    _edit_annotation(root, sorted(r["doc_id"] for r in _sources(root))[0], random.Random(5))
    build(root, processes=2, chunk_documents=CHUNK)
    d = release_cmd.release_diff(root, "1.0.0")
    assert d.documents == DOCUMENTS and not d.documents_added and not d.schema_changes
    assert d.layers["topics"].added + d.layers["topics"].removed == 1


@pytest.mark.slow  # three publish round trips, each a new process
def test_publish_uploads_the_changed_shards_and_deletes_the_removed_ones(
    sharded: Path, tmp_path: Path, small_shards
) -> None:
    root = copy_project(sharded, tmp_path)
    token = "hf_" + "0" * 32
    with HubStub(token) as stub:
        assert (done := publish(root, stub, token)).returncode == 0, done.stderr
        repo = stub.hub.repos[REPO_ID]
        assert repo.files == local_bytes(root)
        before = _data(root)
        doc_id = sorted(r["doc_id"] for r in _sources(root) if _split(r["doc_id"]) == "train")[5]
        _edit_annotation(root, doc_id, random.Random(9))
        build(root, processes=2, chunk_documents=CHUNK)
        changed = {rel for rel, digest in _data(root).items() if before[rel] != digest}
        assert (done := publish(root, stub, token)).returncode == 0, done.stderr
        last = repo.commits[-1]
        assert {p for p in last["added"] if p.startswith("data/")} == changed and not last["deleted"]
        assert repo.files == local_bytes(root)
        with pytest.MonkeyPatch.context() as mp:  # the shipped size: one file per split, the shards gone
            mp.setattr(shards, "SHARD_DOCUMENTS", SHIPPED)
            build(root, processes=2, chunk_documents=CHUNK)
        assert (done := publish(root, stub, token)).returncode == 0, done.stderr
        last = repo.commits[-1]
        assert set(last["deleted"]) == {rel for rel in before if shards.parse(rel)[2] is not None}  # type: ignore[index]
        assert repo.files == local_bytes(root)


def test_validate_and_the_report_read_a_sharded_dataset_as_one_file_per_split(
    sharded: Path, single: Path, small_shards
) -> None:
    from coopnum.dataset.validation import validate
    from coopnum.quality.findings import ERROR
    from coopnum.report import data as report_data

    assert [f for f in validate(sharded) if f.severity == ERROR] == []
    many, one = list(report_data.iter_records(sharded / "dataset")), list(report_data.iter_records(single / "dataset"))
    assert len(many) == DOCUMENTS and many == one  # every document with its passes, in the same order
    assert report_data.document_ids(sharded / "dataset") == report_data.document_ids(single / "dataset")
