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
from coopnum.dataset import parquet, shards
from coopnum.dataset.parquet import PARQUET_OPTIONS, ParquetSink

FEATURES = {"toy": Features({"id": Value("string"), "text": Value("string"), "n": Value("int32")})}


def _table(start: int, rows: int) -> pa.Table:
    return pa.Table.from_pylist(
        [{"id": f"d{i:05d}", "text": f"texte numéro {i} " * (i % 7 + 1), "n": i} for i in range(start, start + rows)],
        schema=FEATURES["toy"].arrow_schema,
    )


def _writer_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "parquet-writer"]


def _row_groups(table: pa.Table) -> list[pa.Table]:
    """The row groups the sink's rule gives, found row by row (each row is its own document here): a row
    group ends at the first row where the rows since the last end reach ROW_GROUP_BYTES."""
    out, start = [], 0
    while start < table.num_rows:
        rest = table.slice(start).combine_chunks()
        end = next((e for e in range(1, rest.num_rows + 1) if rest.slice(0, e).nbytes >= parquet.ROW_GROUP_BYTES), None)
        out.append(rest.slice(0, end or rest.num_rows))
        start += end or rest.num_rows
    return out


def test_the_files_are_the_bytes_of_writing_each_row_group_in_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parquet, "ROW_GROUP_BYTES", 4096)  # many row groups, many hand-overs to the thread
    sink = ParquetSink(tmp_path / "out", FEATURES)
    tables = {split: [_table(100 * k + 1000 * j, 37) for k in range(12)] for j, split in enumerate(schema.SPLITS)}
    for k in range(12):
        if k == 6:  # what the build does before forking workers mid-pass: the thread stops, then starts again
            sink.pause()
            assert not _writer_threads()
        for split in schema.SPLITS:
            sink.add(("toy", split), tables[split][k])
    rows = sink.close()
    assert rows == {"toy": {split: 12 * 37 for split in schema.SPLITS}}
    assert not _writer_threads()
    for split in schema.SPLITS:
        expected = tmp_path / f"expected-{split}.parquet"
        with pq.ParquetWriter(expected, FEATURES["toy"].arrow_schema, **PARQUET_OPTIONS) as writer:
            for group in _row_groups(pa.concat_tables(tables[split])):
                table = group.combine_chunks()
                writer.write_table(table, row_group_size=table.num_rows)
        written = tmp_path / "out" / "data" / "toy" / f"{split}.parquet"
        assert pq.ParquetFile(written).num_row_groups > 1
        assert written.read_bytes() == expected.read_bytes()


def test_row_groups_do_not_depend_on_how_the_rows_were_handed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shard's bytes are a function of its rows: the chunks they came in (which move when a document is
    added earlier in the corpus) change no row group."""
    monkeypatch.setattr(parquet, "ROW_GROUP_BYTES", 4096)
    whole = _table(0, 400)
    written = []
    for n, sizes in enumerate(([400], [37] * 10 + [30], [1, 64, 5, 200, 130])):
        sink = ParquetSink(tmp_path / f"out{n}", FEATURES)
        start = 0
        for size in sizes:
            sink.add(("toy", "train"), whole.slice(start, size))
            start += size
        sink.close()
        written.append((tmp_path / f"out{n}" / "data" / "toy" / "train.parquet").read_bytes())
    assert pq.ParquetFile(tmp_path / "out0" / "data" / "toy" / "train.parquet").num_row_groups > 2
    assert written[1] == written[0] and written[2] == written[0]


def test_a_plan_cuts_the_rows_into_its_shards(tmp_path: Path) -> None:
    ids = [f"{i:016x}" for i in range(0, 300, 3)]
    firsts = [ids[0], ids[40], ids[41], ids[90]]  # a shard of one document too
    plan = shards.Plan({"train": firsts, "validation": [], "test": []})
    table = pa.Table.from_pylist(
        [{"id": i, "text": f"texte {i}", "n": k} for k, i in enumerate(ids)], schema=FEATURES["toy"].arrow_schema
    )
    sink = ParquetSink(tmp_path / "out", FEATURES, plan)
    for start in range(0, len(ids), 7):  # chunks that straddle the cuts
        sink.add(("toy", "train"), table.slice(start, 7))
    assert sink.close()["toy"]["train"] == len(ids)
    found = shards.files(tmp_path / "out", "toy", "train")
    assert [p.name for p in found] == [f"train-{first}.parquet" for first in firsts]
    read = [pq.read_table(p).column("id").to_pylist() for p in found]
    assert read == [ids[0:40], ids[40:41], ids[41:90], ids[90:]]


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
