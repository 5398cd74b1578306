"""The personal-data search of the build where the rows are made: each document's rows by the shape
rules, cached with the document; the process's known secrets over every row, every build. A cached
rebuild refuses what a cold build refuses, a secret is refused whatever the cache says, the error
names the file, document, row and column, and nothing is written when refused."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from coopnum.annotation import format as ann
from coopnum.corpus import splits
from coopnum.dataset import pipeline, privacy, registry
from coopnum.dataset.build import build
from coopnum.errors import CheckFailed

from ..conftest import copy_project

DOCUMENTS = 10
CHUNK = 5
EMAIL = "marie.dupont@example.org"
SECRET = "Zq7Kx3Vp9Lw2Rt5N"  # no shape rule refuses it: only knowing it does


@pytest.fixture(scope="module")
def synthetic(synthetic_project: Callable[[int], Path]) -> Path:
    return synthetic_project(DOCUMENTS)


def _sources(root: Path) -> list[dict]:
    return [json.loads(line) for line in (root / "corpus" / "sources.jsonl").read_text(encoding="utf-8").splitlines()]


def _unannotated(root: Path) -> dict:
    """The record of the last document, made not annotated: its clean text can change (it is in
    `documents` only) without making an annotation stale."""
    record = max(_sources(root), key=lambda r: r["doc_id"])
    (root / "annotations" / ann.SUBDIR / f"{record['doc_id']}.json").unlink()
    path = root / "annotations" / "adjudication.jsonl"
    kept = [line for line in path.read_text(encoding="utf-8").splitlines() if record["doc_id"] not in line]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return record


def _into_text(root: Path, record: dict, words: str) -> None:
    """``words`` appended to the longest line of the document's raw file (prose the cleaner keeps),
    and its record's raw_sha256 to match."""
    path = root / "corpus" / "raw" / record["file"]
    lines = path.read_text(encoding="utf-8").split("\n")
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    lines[longest] += f" {words}"
    data = "\n".join(lines).encode("utf-8")
    path.write_bytes(data)
    records = _sources(root)
    next(r for r in records if r["doc_id"] == record["doc_id"])["raw_sha256"] = hashlib.sha256(data).hexdigest()
    (root / "corpus" / "sources.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )


def _clean_text(root: Path, doc_id: str) -> str:
    from coopnum.dataset.build import clean_corpus

    return next(d for d in clean_corpus(root / "corpus") if d.doc_id == doc_id).clean.text


def _published(root: Path) -> dict[str, bytes]:
    paths = [*sorted((root / "dataset").rglob("*")), root / "DATASHEET.md"]
    return {str(p): p.read_bytes() for p in paths if p.is_file()}


def _entries(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted((root / ".coopnum-cache" / "entries").rglob("*")) if p.is_file()}


def _counting_cleaner(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    cleaned: list[str] = []
    original = pipeline.clean_source

    def counting(corpus_dir: Path, source, fold, evidence=None):  # type: ignore[no-untyped-def]
        cleaned.append(source.doc_id)
        return original(corpus_dir, source, fold, evidence)

    monkeypatch.setattr(pipeline, "clean_source", counting)
    return cleaned


def _documents_file(root: Path, record: dict) -> str:
    return str(root / "dataset" / "data" / "documents" / f"{splits.split_of(record['doc_id'])}.parquet")


def test_an_email_in_an_article_is_refused_by_a_cold_build_and_by_a_cached_rebuild(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(synthetic, tmp_path)
    record = _unannotated(root)
    build(root, processes=1, chunk_documents=CHUNK)  # every document's results cached, clean
    before = _published(root)
    _into_text(root, record, f"Contact : {EMAIL}.")
    assert EMAIL in _clean_text(root, record["doc_id"])  # it reaches the `documents` rows
    cleaned = _counting_cleaner(monkeypatch)
    for attempt in ("the changed document cleaned", "its result from the cache", "no cache at all"):
        with pytest.raises(CheckFailed, match=r"\(personal_data\)") as raised:
            build(root, processes=1, chunk_documents=CHUNK, use_cache=attempt != "no cache at all")
        error = raised.value
        assert error.file == _documents_file(root, record), attempt
        assert (error.doc_id, error.field) == (record["doc_id"], "text"), attempt
        assert "row 0 of the document's rows, column text: an email address (m…@example.org)" in error.message
        assert EMAIL not in str(error), attempt
        assert _published(root) == before, attempt  # nothing swapped in
        assert not list(root.glob(".dataset*")) and not list((root / "dataset").glob(".*")), attempt
        if attempt == "the changed document cleaned":
            assert cleaned == [record["doc_id"]], cleaned  # only it: the others come from the cache
        elif attempt == "its result from the cache":
            assert cleaned == [record["doc_id"]], cleaned  # not cleaned again: refused from its cached part
        else:
            assert len(cleaned) == 1 + DOCUMENTS


def test_a_known_secret_in_a_row_is_refused_whatever_the_cache_holds(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(synthetic, tmp_path)
    record = _unannotated(root)
    _into_text(root, record, f"Référence {SECRET}.")
    assert privacy.shape_problems(_clean_text(root, record["doc_id"])) == []  # no shape rule says anything
    monkeypatch.delenv("HF_TOKEN", raising=False)
    build(root, processes=1, chunk_documents=CHUNK)  # not a secret yet: built, every result cached
    before, entries = _published(root), _entries(root)
    cleaned = _counting_cleaner(monkeypatch)
    monkeypatch.setenv("HF_TOKEN", SECRET)
    with pytest.raises(CheckFailed, match=r"\(personal_data\)") as raised:
        build(root, processes=1, chunk_documents=CHUNK)
    assert cleaned == []  # every result came from the cache, which knows nothing of the secret
    error = raised.value
    assert error.file == _documents_file(root, record) and error.doc_id == record["doc_id"]
    assert ", column text: a secret this process was given" in error.message and SECRET not in str(error)
    assert _published(root) == before
    assert _entries(root) == entries  # the refused build wrote no entry: nothing of the secret went to disk
    hashed = hashlib.sha256(SECRET.encode())
    for data in entries.values():
        assert hashed.digest() not in data and hashed.hexdigest().encode() not in data
    monkeypatch.delenv("HF_TOKEN")
    build(root, processes=1, chunk_documents=CHUNK)  # the same cache: the secret left no verdict behind
    assert _published(root) == before


def test_each_documents_search_finds_what_the_search_of_its_chunks_table_finds() -> None:
    """The per-document search (its own table) and the search of the table its chunk writes agree,
    row for row once each document's first row is added."""
    config = "stance"
    rows = [
        [{"id": "d1-p000", "doc_id": "d1", "text": "rien", "target": "Russie", "label": 0}],
        [
            {"id": "d2-p000", "doc_id": "d2", "text": "écrire à a.b@example.org", "target": "Russie", "label": 1},
            {"id": "d2-p001", "doc_id": "d2", "text": "Bearer abcdefghijklmnop1234", "target": "Russie", "label": 2},
        ],
    ]
    rows = [[{**r, "paragraph": i, "fold": 0} for i, r in enumerate(doc)] for doc in rows]
    per_document = [
        (first + row, column, problem)
        for doc, first in zip(rows, (0, 1), strict=True)
        for row, column, problem in privacy.table_problems(registry.table_of(config, [doc], True))
    ]
    whole = privacy.table_problems(registry.table_of(config, rows, True))
    assert sorted(per_document) == sorted(whole) and len(whole) == 2, whole


def test_the_files_scan_after_the_rows_search_reads_footers_and_every_other_file(tmp_path: Path) -> None:
    folder = tmp_path / "built"
    (folder / "data").mkdir(parents=True)
    table = pa.table({"doc_id": ["d1"], "text": [f"écrire à {EMAIL}"]})
    pq.write_table(table.replace_schema_metadata({"note": f"by {EMAIL}"}), folder / "data" / "train.parquet")
    (folder / "LICENSE").write_text(f"(c) {EMAIL}\n", encoding="utf-8")  # no suffix: read all the same
    (folder / "plot.svg").write_text(f"<svg><!-- {EMAIL} --></svg>\n", encoding="utf-8")
    found = privacy.scan(folder, row_shapes_searched=True)
    where = sorted((Path(f.file or "").name, f.message.split(":")[0]) for f in found)
    assert where == [("LICENSE", "line 1"), ("plot.svg", "line 1"), ("train.parquet", "metadata 'note'")], where
    assert [f.document for f in privacy.scan(folder) if "row" in f.message] == ["d1"]  # the rows too, when asked
