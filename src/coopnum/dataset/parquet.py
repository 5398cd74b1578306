"""The Parquet writer of the build: one file per (config, split), a row group at a time.

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

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features

from coopnum import schema

ROW_GROUP_BYTES = 8 << 20  # a writer flushes a row group when its buffer holds this much Arrow data
# zstd level 3, not 9: 9 wrote the build's files about a third slower for files a few per cent smaller,
# and level 1 was no faster than 3 (benchmarks/parquet_options.py; figures in benchmarks/README.md).
# Without a dictionary the files grow by a tenth; statistics are kept (readers may prune on them).
PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 3, "use_dictionary": True, "write_statistics": True}
PENDING_ROW_GROUPS = 2  # handed to the writer thread and not yet written: bounds the memory it adds

_Item = tuple[tuple[str, str], list[pa.Table]]


class ParquetSink:
    """One Parquet file per (config, split), written a row group at a time in the order given."""

    def __init__(self, folder: Path, config_features: dict[str, Features]) -> None:
        self.folder = folder
        self.config_features = config_features
        self.writers: dict[tuple[str, str], pq.ParquetWriter] = {}
        self.buffers: dict[tuple[str, str], list[pa.Table]] = {}
        self.buffered: Counter[tuple[str, str]] = Counter()  # bytes
        self.rows: Counter[tuple[str, str]] = Counter()
        self._queue: queue.Queue[_Item | None] = queue.Queue(maxsize=PENDING_ROW_GROUPS)
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None  # the writer thread's, raised in the caller
        self._stopping = False  # abort: the thread drops what is left

    def add(self, key: tuple[str, str], table: pa.Table) -> None:
        self.buffers.setdefault(key, []).append(table)
        self.rows[key] += table.num_rows
        self.buffered[key] += table.nbytes
        if self.buffered[key] >= ROW_GROUP_BYTES:
            self._flush(key)

    def _writer(self, key: tuple[str, str]) -> pq.ParquetWriter:
        if key not in self.writers:
            config, split = key
            path = self.folder / "data" / config / f"{split}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            self.writers[key] = pq.ParquetWriter(path, self.config_features[config].arrow_schema, **PARQUET_OPTIONS)
        return self.writers[key]

    def _flush(self, key: tuple[str, str]) -> None:
        tables = self.buffers.pop(key, [])
        self.buffered[key] = 0
        if not tables:
            return
        self._raise_failure()
        if self._thread is None:  # started late, or again after pause(): workers are forked before it
            self._thread = threading.Thread(target=self._work, name="parquet-writer", daemon=True)
            self._thread.start()
        self._queue.put((key, tables))

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._failure is not None or self._stopping:
                continue  # keep taking items, so that the caller never waits on a full queue
            key, tables = item
            try:
                table = pa.concat_tables(tables).combine_chunks()
                self._writer(key).write_table(table, row_group_size=table.num_rows)
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
        for config in self.config_features:
            for split in schema.SPLITS:
                self._flush((config, split))
        self._join()
        self._raise_failure()
        for config in self.config_features:
            for split in schema.SPLITS:
                if (config, split) in self.writers:
                    self.writers[(config, split)].close()
        return {c: {s: self.rows[(c, s)] for s in schema.SPLITS} for c in self.config_features}

    def abort(self) -> None:
        self._stopping = True
        self._join()
        for w in self.writers.values():
            w.close()
