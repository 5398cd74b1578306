"""The Parquet writer of the build: the files of each (config, split), a row group at a time.

A (config, split) is cut into the shards of :mod:`coopnum.dataset.shards` (one file each); the tables
handed over, in document order, are cut at the shards' first documents. A row group ends at the first
document boundary where the rows since the last one reach :data:`ROW_GROUP_BYTES` of Arrow data, or at the
shard's end: its edges depend on the shard's rows alone, not on the chunks the rows came in, so a shard's
bytes are those of its documents whatever else the corpus holds.

Row groups are compressed and written by one background thread, in the order they were handed
over, so the main process merges the next chunk's results while the last row group is being
compressed (Arrow's writer releases the GIL). The bytes are those of writing in the caller: the
same tables, the same row groups, in the same order per file.
"""

from __future__ import annotations

import queue
import threading
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from datasets import Features

from coopnum import schema
from coopnum.dataset import shards

ROW_GROUP_BYTES = 8 << 20  # a row group ends at the first document boundary past this much Arrow data
# zstd level 3, not 9: 9 wrote the build's files about a third slower for files a few per cent smaller,
# and level 1 was no faster than 3 (benchmarks/parquet_options.py; figures in benchmarks/README.md).
# Without a dictionary the files grow by a tenth; statistics are kept (readers may prune on them).
PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 3, "use_dictionary": True, "write_statistics": True}
PENDING_ROW_GROUPS = 2  # handed to the writer thread and not yet written: bounds the memory it adds

_Key = tuple[str, str]  # (config, split)
_Shard = tuple[str, str, str]  # (config, split, first doc id of the shard)
_Item = tuple[_Shard, pa.Table | None]  # a row group, or None: the shard is complete, its file closed


def document_ends(table: pa.Table) -> np.ndarray:
    """The row index after each document's last row (the table's rows in document order)."""
    ids = table.column(shards.doc_id_column(table.schema.names)).combine_chunks()
    n = len(ids)
    if n == 0:
        return np.zeros(0, np.int64)
    changes = np.flatnonzero(pc.not_equal(ids.slice(1), ids.slice(0, n - 1)).to_numpy(zero_copy_only=False))
    return np.append(changes + 1, n).astype(np.int64)


def row_group_end(table: pa.Table) -> int | None:
    """Where the first row group of ``table`` (contiguous, rows from a row group's start) ends: the first
    document end whose rows reach :data:`ROW_GROUP_BYTES`; None when the rows do not reach it yet."""
    if table.nbytes < ROW_GROUP_BYTES:
        return None
    ends = document_ends(table)
    low, high = 0, len(ends) - 1  # the whole table reaches it: ends[high] is one such end
    while low < high:
        mid = (low + high) // 2
        if table.slice(0, int(ends[mid])).nbytes >= ROW_GROUP_BYTES:
            high = mid
        else:
            low = mid + 1
    return int(ends[low])


class ParquetSink:
    """The files of each (config, split), written a row group at a time in the order given; ``plan``: the
    shards of each split (None: one file per split)."""

    def __init__(self, folder: Path, config_features: dict[str, Features], plan: shards.Plan | None = None) -> None:
        self.folder = folder
        self.config_features = config_features
        self.plan = plan
        self.writers: dict[_Shard, pq.ParquetWriter] = {}
        self.open: dict[_Key, str] = {}  # the shard of each (config, split) being written
        self.buffers: dict[_Shard, list[pa.Table]] = {}
        self.buffered: Counter[_Shard] = Counter()  # bytes
        self.rows: Counter[_Key] = Counter()
        self.encoded: dict[_Shard, str] = {}  # every file encoded, relative to the folder
        self.cached: set[_Shard] = set()  # shards whose file is in place already (copied from the cache)
        self._queue: queue.Queue[_Item | None] = queue.Queue(maxsize=PENDING_ROW_GROUPS)
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None  # the writer thread's, raised in the caller
        self._stopping = False  # abort: the thread drops what is left

    def add(self, key: _Key, table: pa.Table) -> None:
        """Rows of ``key``, in document order, after those given before."""
        if not table.num_rows:
            return
        self.rows[key] += table.num_rows
        config, split = key
        for first, piece in self._pieces(split, table):
            if (config, split, first) in self.cached:
                continue  # its file is in place: the rows are counted, not written
            if self.open.get(key, first) != first:  # the previous shard is complete
                self._finish((config, split, self.open[key]))
            self.open[key] = first
            shard = (config, split, first)
            self.buffers.setdefault(shard, []).append(piece)
            self.buffered[shard] += piece.nbytes
            if self.buffered[shard] >= ROW_GROUP_BYTES:  # pieces' sizes add up to at least the whole's
                self._cut(shard)

    def count(self, key: _Key, rows: int) -> None:
        """Rows of ``key`` whose shards are all in place (copied): counted, never seen."""
        self.rows[key] += rows

    def needs(self, spans: dict[_Key, tuple[int, str, str]]) -> bool:
        """Whether rows of documents ``low`` … ``high`` (``spans``: (config, split) -> (rows, low, high)) fall in
        a shard that is written here, not copied (a superset of :meth:`_pieces`' shards)."""
        if self.plan is None:
            return bool(spans)
        plan = self.plan
        return any(
            (config, split, first) not in self.cached
            for (config, split), (rows, low, high) in spans.items()
            if rows
            for first in (plan.shard_of(split, low), *plan.cuts_in(split, low, high))
        )

    def _pieces(self, split: str, table: pa.Table) -> list[tuple[str, pa.Table]]:
        """``table`` cut at the shards' first documents: (shard's first doc id, rows)."""
        if self.plan is None:
            return [("", table)]
        if not self.plan.several(split):
            return [(self.plan.firsts[split][0], table)]
        ids = table.column(shards.doc_id_column(table.schema.names))
        low, high = str(ids[0]), str(ids[-1])
        out, start = [], 0
        first = self.plan.shard_of(split, low)
        for cut in self.plan.cuts_in(split, low, high):
            end = pc.sum(pc.less(ids, cut)).as_py() or 0  # rows before the cut (ids are sorted)
            if end > start:
                out.append((first, table.slice(start, end - start)))
            first, start = cut, end
        out.append((first, table.slice(start)))
        return out

    def _cut(self, shard: _Shard) -> None:
        """Hand over the complete row groups of the shard's buffer; keep the rest."""
        table = pa.concat_tables(self.buffers.pop(shard)).combine_chunks()
        while (end := row_group_end(table)) is not None:
            self._hand(shard, table.slice(0, end))
            table = table.slice(end).combine_chunks()  # measured from offset 0 again, as a fresh buffer
        self.buffers[shard] = [table] if table.num_rows else []
        self.buffered[shard] = table.nbytes

    def _finish(self, shard: _Shard) -> None:
        """The shard's last row group, and its file closed."""
        tables = self.buffers.pop(shard, [])
        self.buffered[shard] = 0
        if tables:
            self._hand(shard, pa.concat_tables(tables).combine_chunks())
        self._hand(shard, None)

    def _hand(self, shard: _Shard, table: pa.Table | None) -> None:
        self._raise_failure()
        if self._thread is None:  # started late, or again after pause(): workers are forked before it
            self._thread = threading.Thread(target=self._work, name="parquet-writer", daemon=True)
            self._thread.start()
        self._queue.put((shard, table))

    def _path(self, shard: _Shard) -> str:
        config, split, first = shard
        return shards.shard_path(config, split) if self.plan is None else self.plan.path(config, split, first)

    def _writer(self, shard: _Shard) -> pq.ParquetWriter:
        if shard not in self.writers:
            rel = self._path(shard)
            path = self.folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            self.writers[shard] = pq.ParquetWriter(path, self.config_features[shard[0]].arrow_schema, **PARQUET_OPTIONS)
            self.encoded[shard] = rel
        return self.writers[shard]

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._failure is not None or self._stopping:
                continue  # keep taking items, so that the caller never waits on a full queue
            shard, table = item
            try:
                if table is not None:
                    self._writer(shard).write_table(table, row_group_size=table.num_rows)
                elif shard in self.writers:
                    self.writers.pop(shard).close()  # one file open per (config, split) at most
            except BaseException as e:  # a full disk, say: the caller raises it as its own
                self._failure = e

    def pause(self) -> None:
        """Wait until the writer thread has written what it was handed, and stop it (a later row group
        starts it again): a process forked meanwhile inherits no thread halfway through a write."""
        self._join()
        self._raise_failure()

    def _join(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def _raise_failure(self) -> None:
        if self._failure is not None:
            raise self._failure

    def close(self) -> dict[str, dict[str, int]]:
        """Flush and close every file; rows per config and split. A split with no rows (every document
        of it still being annotated) has no file: `datasets` cannot load an empty Parquet split, so the
        card leaves it out of the config's data files."""
        for key, first in sorted(self.open.items()):
            self._finish((*key, first))
        self.open.clear()
        self._join()
        self._raise_failure()
        for w in self.writers.values():
            w.close()
        self.writers.clear()
        return {c: {s: self.rows[(c, s)] for s in schema.SPLITS} for c in self.config_features}

    def abort(self) -> None:
        self._stopping = True
        self._join()
        for w in self.writers.values():
            w.close()
