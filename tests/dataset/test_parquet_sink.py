"""The build's Parquet writer (:class:`coopnum.dataset.parquet.ParquetSink`): row groups written by a
background thread give the bytes of writing them in the caller (paused and started again or not), and its
failures are the caller's."""

from __future__ import annotations

import threading
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from datasets import Features, Value

from coopnum import schema
from coopnum.dataset import parquet
from coopnum.dataset.parquet import PARQUET_OPTIONS, ParquetSink

FEATURES = {"toy": Features({"id": Value("string"), "text": Value("string"), "n": Value("int32")})}


def _table(start: int, rows: int) -> pa.Table:
    return pa.Table.from_pylist(
        [{"id": f"d{i:05d}", "text": f"texte numéro {i} " * (i % 7 + 1), "n": i} for i in range(start, start + rows)],
        schema=FEATURES["toy"].arrow_schema,
    )


def _writer_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "parquet-writer"]


def test_the_files_are_the_bytes_of_writing_each_row_group_in_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parquet, "ROW_GROUP_BYTES", 4096)  # many row groups, many hand-overs to the thread
    sink = ParquetSink(tmp_path / "out", FEATURES)
    tables = {split: [_table(100 * k + 1000 * j, 37) for k in range(12)] for j, split in enumerate(schema.SPLITS)}
    groups: dict[str, list[list[pa.Table]]] = {split: [[]] for split in schema.SPLITS}
    for k in range(12):
        if k == 6:  # what the build does before forking workers mid-pass: the thread stops, then starts again
            sink.pause()
            assert not _writer_threads()
        for split in schema.SPLITS:
            sink.add(("toy", split), tables[split][k])
            groups[split][-1].append(tables[split][k])
            if sum(t.nbytes for t in groups[split][-1]) >= parquet.ROW_GROUP_BYTES:
                groups[split].append([])
    rows = sink.close()
    assert rows == {"toy": {split: 12 * 37 for split in schema.SPLITS}}
    assert not _writer_threads()
    for split in schema.SPLITS:
        expected = tmp_path / f"expected-{split}.parquet"
        with pq.ParquetWriter(expected, FEATURES["toy"].arrow_schema, **PARQUET_OPTIONS) as writer:
            for group in (g for g in groups[split] if g):
                table = pa.concat_tables(group).combine_chunks()
                writer.write_table(table, row_group_size=table.num_rows)
        written = tmp_path / "out" / "data" / "toy" / f"{split}.parquet"
        assert pq.ParquetFile(written).num_row_groups > 1
        assert written.read_bytes() == expected.read_bytes()


def test_a_failure_in_the_writer_thread_is_raised_by_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parquet, "ROW_GROUP_BYTES", 1)  # every add hands a row group to the thread
    blocked = tmp_path / "out"
    blocked.write_text("a file where the data folder should go", encoding="utf-8")
    sink = ParquetSink(blocked, FEATURES)
    with pytest.raises(OSError):  # from the first add after the thread failed, or at the latest from close
        for k in range(50):
            sink.add(("toy", "train"), _table(k, 3))
        sink.close()
    sink.abort()  # what run() does after a failure: it must neither hang nor raise again
    assert not _writer_threads()


def test_abort_stops_the_thread_and_writes_nothing_more(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parquet, "ROW_GROUP_BYTES", 1)
    sink = ParquetSink(tmp_path / "out", FEATURES)
    for k in range(20):
        sink.add(("toy", "train"), _table(k, 3))
    sink.abort()
    assert not _writer_threads()
    path = tmp_path / "out" / "data" / "toy" / "train.parquet"
    assert pq.ParquetFile(path).metadata.num_rows <= 20 * 3  # closed and readable, the rest dropped
