"""The streamed build and validation: the same output whatever the processes and chunks."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from benchmarks.scale import generate

from coopnum.dataset import pipeline as stream
from coopnum.dataset.build import annotated_documents, build
from coopnum.dataset.run import run
from coopnum.dataset.validation import validate
from coopnum.errors import BuildError, CheckFailed
from coopnum.quality import agreement
from coopnum.util.executor import parallel_map

from ..annotation_fixture import annotated_project, edit_annotations


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _built_copy(synthetic: Path, folder: Path, index: int) -> tuple[Path, str, Path]:
    """A built copy of the synthetic project, and one of its documents' id and annotation file."""
    root = folder / "project"
    shutil.copytree(synthetic, root)
    build(root, processes=1)
    doc_id = sorted(p.stem for p in (root / "annotations" / "labelstudio").glob("*.json"))[index]
    return root, doc_id, root / "annotations" / "labelstudio" / f"{doc_id}.json"


SYNTHETIC_DOCUMENTS = 24  # enough for several chunks of every size below, whatever the seeds number


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus made from the seeds and their gold (benchmarks/scale.py's generator)."""
    root = tmp_path_factory.mktemp("synthetic") / "project"
    generate(SYNTHETIC_DOCUMENTS, root)
    return root


def test_two_processes_and_small_chunks_build_the_bytes_one_process_builds(synthetic: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(synthetic, other)
    one = build(synthetic, processes=1)
    two = build(other, processes=2, chunk_documents=5)  # five chunks: the pool really runs
    assert one.rows == two.rows and sum(one.rows["documents"].values()) == SYNTHETIC_DOCUMENTS
    assert _digest(synthetic / "dataset") == _digest(other / "dataset")
    assert (synthetic / "DATASHEET.md").read_bytes() == (other / "DATASHEET.md").read_bytes()


def test_validation_in_two_processes_finds_what_one_process_finds(tmp_path: Path) -> None:
    root = annotated_project(tmp_path)  # the test fixture: it has warnings
    one = validate(root, processes=1)
    two = validate(root, processes=2, chunk_documents=2)
    assert one and one == two


def test_an_error_in_a_later_chunk_stops_a_parallel_build_and_keeps_the_old_dataset(
    synthetic: Path, tmp_path: Path
) -> None:
    root, doc_id, path = _built_copy(synthetic, tmp_path, 17)
    before = _digest(root / "dataset")
    obj = json.loads(path.read_text(encoding="utf-8"))
    obj["text_sha256"] = "0" * 64
    path.write_text(json.dumps(obj), encoding="utf-8")
    with pytest.raises(CheckFailed) as err:
        build(root, processes=2, chunk_documents=4)
    assert err.value.check == "stale_text"
    assert err.value.doc_id == doc_id and err.value.file == str(path) and err.value.field == "text_sha256"
    assert _digest(root / "dataset") == before
    assert not [p for p in root.iterdir() if p.name.startswith(".dataset")]  # no temporary folder left


def test_merged_agreement_counts_give_the_report_of_the_whole_corpus(tmp_path: Path) -> None:
    root = annotated_project(tmp_path)
    docs = [d.annotations for d in annotated_documents(root)]
    first, second = agreement.Accumulator(), agreement.Accumulator()
    for i, d in enumerate(docs):
        (first if i % 2 else second).add(d)
    first.merge(second)
    whole = agreement.report_dict(agreement.corpus_report(docs))
    assert agreement.report_dict(first.report()) == whole
    assert whole["pairs"] and whole["krippendorff_alpha"]["paragraph_stance"] is not None


def test_the_gold_digests_cover_every_document_and_its_spans(synthetic: Path) -> None:
    setup, sources = stream.read_setup(synthetic, with_rows=False)
    result = run(setup, sources, None, processes=1, chunk_documents=7)
    assert result.documents == result.annotated_documents == len(sources) == len(result.gold_digests)
    docs = annotated_documents(synthetic)
    for d in docs:
        spans = [(s.start, s.end, s.label) for s in d.gold.entities]
        assert result.gold_digests[d.doc_id] == stream.gold_digest(spans)


def test_validation_of_a_stale_dataset_says_so_and_checks_the_edited_annotations(
    synthetic: Path, tmp_path: Path
) -> None:
    root, doc_id, path = _built_copy(synthetic, tmp_path, 3)
    obj = json.loads(path.read_text(encoding="utf-8"))
    gold = next(a for a in obj["annotations"] if a["ground_truth"])
    gold["stance"] = "AGAINST" if gold["stance"] != "AGAINST" else "FAVOR"  # an edit after the build
    path.write_text(json.dumps(obj), encoding="utf-8")
    findings = validate(root, processes=2, chunk_documents=5)
    assert any(f.check == "dataset_current" and doc_id in f.message for f in findings)
    assert any(f.check == "gold_unsupported" and f.document == doc_id for f in findings)  # seen from the edited file


def _exit_on_three(x: int) -> int:
    if x == 3:
        os._exit(3)  # a worker killed mid-task (out of memory, a signal)
    return x


def test_a_worker_that_dies_stops_the_run_with_a_clear_error_not_a_hang() -> None:
    with pytest.raises(BuildError, match="worker process stopped"):
        list(parallel_map(_exit_on_three, list(range(8)), 2))
    assert list(parallel_map(_exit_on_three, [0, 1, 2], 2)) == [0, 1, 2]  # order kept


def test_validation_reports_two_golds_as_an_error_instead_of_failing(tmp_path: Path) -> None:
    root = annotated_project(tmp_path)
    doc_id = sorted(p.stem for p in (root / "annotations" / "labelstudio").glob("*.json"))[0]

    def every_annotation_gold(obj: dict) -> None:
        for a in obj["annotations"]:
            a["ground_truth"] = True

    edit_annotations(root, doc_id, every_annotation_gold)
    findings = validate(root, processes=1)
    assert any(f.check == "gold" and f.document == doc_id and f.severity == "error" for f in findings)
