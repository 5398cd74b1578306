"""What the card reads back from the written Parquet files: each split's size and one example row per config.

Read from the footers (row counts, uncompressed and file bytes) and from the first row of the first
non-empty split, never from the corpus, so the card describes the files it ships beside.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coopnum import schema
from coopnum.dataset import shards

STRING_CHARACTERS = 160  # an example's strings are cut to this many characters
LIST_ITEMS = 3  # and its lists to this many items


@dataclass(frozen=True)
class SplitSize:
    num_examples: int
    num_bytes: int  # uncompressed (the Parquet footer's total byte size of its row groups)
    download_bytes: int  # the files' size
    paths: tuple[str, ...] = ()  # its files (shards), relative to the dataset folder, in document order


def split_sizes(dataset_dir: Path, configs: list[str]) -> dict[str, dict[str, SplitSize]]:
    """config -> split -> size of each written split, all its shards together (only splits with files)."""
    import pyarrow.parquet as pq

    out: dict[str, dict[str, SplitSize]] = {}
    for config in configs:
        for split in schema.SPLITS:
            paths = shards.files(dataset_dir, config, split)
            if not paths:
                continue
            rows = uncompressed = size = 0
            for path in paths:
                meta = pq.ParquetFile(path).metadata
                rows += meta.num_rows
                uncompressed += sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
                size += path.stat().st_size
            rels = tuple(p.relative_to(dataset_dir).as_posix() for p in paths)
            out.setdefault(config, {})[split] = SplitSize(rows, uncompressed, size, rels)
    return out


def first_row(dataset_dir: Path, config: str) -> tuple[str, dict[str, Any]] | None:
    """(split, row) of the first row of the first non-empty split, label ids as label names."""
    import pyarrow.parquet as pq
    from datasets import Features

    for path in shards.config_files(dataset_dir, config):
        file = pq.ParquetFile(path)
        for batch in file.iter_batches(batch_size=1):
            if batch.num_rows:
                features = Features.from_arrow_schema(file.schema_arrow)
                parsed = shards.parse(path.relative_to(dataset_dir).as_posix())
                assert parsed is not None  # shards.config_files lists data files only
                return parsed[1], _named(batch.to_pylist()[0], features)
    return None


def _named(value: Any, feature: Any) -> Any:
    """``value`` with every ClassLabel id replaced by its name (as ``datasets`` shows them with ``int2str``)."""
    from datasets import ClassLabel, List

    if isinstance(feature, ClassLabel):
        return None if value is None else feature.int2str(value)
    if isinstance(feature, List):
        return None if value is None else [_named(v, feature.feature) for v in value]
    if isinstance(feature, dict):
        return {k: _named(value.get(k), f) for k, f in feature.items()} if value is not None else None
    return value


def truncated(value: Any) -> Any:
    """``value`` cut for reading: long strings end in ``… (N characters)``, long lists in ``… N more``."""
    if isinstance(value, str) and len(value) > STRING_CHARACTERS:
        return f"{value[:STRING_CHARACTERS]}… ({len(value)} characters)"
    if isinstance(value, list):
        kept = [truncated(v) for v in value[:LIST_ITEMS]]
        return kept + ([f"… {len(value) - LIST_ITEMS} more"] if len(value) > LIST_ITEMS else [])
    if isinstance(value, dict):
        return {k: truncated(v) for k, v in value.items()}
    return value


def example_json(row: dict[str, Any]) -> str:
    """The truncated row as JSON, one field a line (each value on one line: lists stay readable)."""
    # "<" as its JSON escape: a scraped title holding markup stays text wherever the card is rendered
    fields = [
        f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False).replace('<', chr(92) + 'u003c')}"
        for k, v in truncated(row).items()
    ]
    return "{\n" + ",\n".join(fields) + "\n}"
