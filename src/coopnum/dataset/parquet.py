"""The Parquet writer of the build: one file per (config, split), a row group at a time."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features

from coopnum import schema

ROW_GROUP_BYTES = 8 << 20  # a writer flushes a row group when its buffer holds this much Arrow data
PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 9, "use_dictionary": True, "write_statistics": True}


class ParquetSink:
    """One Parquet file per (config, split), written a row group at a time in the order given."""

    def __init__(self, folder: Path, config_features: dict[str, Features]) -> None:
        self.folder = folder
        self.config_features = config_features
        self.writers: dict[tuple[str, str], pq.ParquetWriter] = {}
        self.buffers: dict[tuple[str, str], list[pa.Table]] = {}
        self.buffered: Counter[tuple[str, str]] = Counter()  # bytes
        self.rows: Counter[tuple[str, str]] = Counter()

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
        if tables:
            table = pa.concat_tables(tables).combine_chunks()
            self._writer(key).write_table(table, row_group_size=table.num_rows)

    def close(self) -> dict[str, dict[str, int]]:
        """Flush and close every file; rows per config and split. A split with no rows (every document
        of it still being annotated) has no file: `datasets` cannot load an empty Parquet split, so the
        card leaves it out of the config's data files."""
        for config in self.config_features:
            for split in schema.SPLITS:
                key = (config, split)
                self._flush(key)
                if key in self.writers:
                    self.writers[key].close()
        return {c: {s: self.rows[(c, s)] for s in schema.SPLITS} for c in self.config_features}

    def abort(self) -> None:
        for w in self.writers.values():
            w.close()
