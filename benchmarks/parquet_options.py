"""Parquet writer options (issue #17): write time, read time and size of the build's files per option set.

Prints figures; asserts nothing; never runs as a test.

    .venv/bin/python benchmarks/parquet_options.py --docs 2000
    .venv/bin/python benchmarks/parquet_options.py --dataset dataset   # the files of an existing build

Builds a synthetic corpus (``benchmarks/scale.py``'s ``generate``, no cache) once, or takes the
``data/`` of ``--dataset``, reads every ``data/<config>/<split>.parquet`` back into memory with its
row groups as the build wrote them, and for each option set writes every file again through one
``ParquetWriter`` per file, a row group at a time, as :class:`coopnum.dataset.parquet.ParquetSink`
does (the concatenation before a row group is left out: it does not depend on the options). Each
write is timed ``--repeats`` times and the best is kept (the machine is shared; the least disturbed
run is the closest to the cost); the read time is one ``read_table`` of every file, best of the
same number. The first row is the project's current ``PARQUET_OPTIONS``.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.scale import generate  # after the repository root is on the path

# (label, options, row-group bytes: None as the build wrote them): the zstd levels, then what the other
# settings cost against the chosen level
VARIANTS: tuple[tuple[str, dict[str, Any], int | None], ...] = (
    ("zstd 1", {"compression": "zstd", "compression_level": 1}, None),
    ("zstd 3", {"compression": "zstd", "compression_level": 3}, None),
    ("zstd 6", {"compression": "zstd", "compression_level": 6}, None),
    ("zstd 9", {"compression": "zstd", "compression_level": 9}, None),
    ("zstd 3, no dictionary", {"compression": "zstd", "compression_level": 3, "use_dictionary": False}, None),
    ("zstd 3, no statistics", {"compression": "zstd", "compression_level": 3, "write_statistics": False}, None),
    ("zstd 3, 2 MiB row groups", {"compression": "zstd", "compression_level": 3}, 2 << 20),
    ("zstd 3, 32 MiB row groups", {"compression": "zstd", "compression_level": 3}, 32 << 20),
    ("snappy", {"compression": "snappy"}, None),
)


def row_groups(path: Path) -> list[pa.Table]:
    """The file's row groups as tables, in order (what the build handed the writer)."""
    f = pq.ParquetFile(path)
    return [f.read_row_group(i) for i in range(f.num_row_groups)]


def regrouped(groups: list[pa.Table], group_bytes: int | None) -> list[pa.Table]:
    """The rows again in groups of about ``group_bytes`` of Arrow data (None: as they are)."""
    if group_bytes is None:
        return groups
    whole = pa.concat_tables(groups).combine_chunks()
    per_row = max(1, whole.nbytes // max(1, whole.num_rows))
    step = max(1, group_bytes // per_row)
    return [whole.slice(i, step) for i in range(0, whole.num_rows, step)]


def write(groups: list[pa.Table], schema: pa.Schema, options: dict[str, Any]) -> bytes:
    sink = io.BytesIO()  # in memory: the disk is shared and would measure the neighbours
    with pq.ParquetWriter(sink, schema, **options) as writer:
        for table in groups:
            writer.write_table(table, row_group_size=table.num_rows)
    return sink.getvalue()


def measure(data_dir: Path, repeats: int, current: dict[str, Any]) -> None:
    files = sorted(data_dir.rglob("*.parquet"))
    loaded = {p: (row_groups(p), pq.read_schema(p)) for p in files}
    rows = sum(t.num_rows for groups, _ in loaded.values() for t in groups)
    arrow = sum(t.nbytes for groups, _ in loaded.values() for t in groups)
    print(f"{len(files)} files, {rows} rows, {arrow / 2**20:.1f} MiB of Arrow data, best of {repeats}\n")
    variants = [("current PARQUET_OPTIONS", current, None), *VARIANTS]
    grouped = {
        label: {p: regrouped(groups, group_bytes) for p, (groups, _) in loaded.items()}
        for label, _, group_bytes in variants
    }
    writes: dict[str, list[float]] = {label: [] for label, _, _ in variants}
    reads: dict[str, list[float]] = {label: [] for label, _, _ in variants}
    sizes: dict[str, int] = {}
    groups_of: dict[str, int] = {}
    for _ in range(repeats):  # each round times every variant, so a slower minute slows them all
        for label, options, _ in variants:
            started = time.perf_counter()
            blobs = [write(grouped[label][p], schema, options) for p, (_, schema) in loaded.items()]
            writes[label].append(time.perf_counter() - started)
            started = time.perf_counter()
            for blob in blobs:
                pq.read_table(pa.BufferReader(blob))
            reads[label].append(time.perf_counter() - started)
            sizes[label] = sum(len(b) for b in blobs)
            groups_of[label] = sum(len(g) for g in grouped[label].values())
    base = variants[0][0]
    print("| options | row groups | write (s) | read (s) | size (MiB) | write against current | size against current |")
    print("|---|---|---|---|---|---|---|")
    for label, _, _ in variants:
        print(
            f"| {label} | {groups_of[label]} | {min(writes[label]):.2f} | {min(reads[label]):.2f} | "
            f"{sizes[label] / 2**20:.2f} | {min(writes[label]) / min(writes[base]):.2f}× | "
            f"{(sizes[label] - sizes[base]) / sizes[base]:+.1%} |"
        )


def main() -> None:
    from coopnum.dataset.parquet import PARQUET_OPTIONS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000, help="documents of the synthetic corpus to build")
    parser.add_argument("--dataset", type=Path, help="an existing build's folder (its data/) instead")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.dataset is not None:
        measure(args.dataset / "data", args.repeats, dict(PARQUET_OPTIONS))
        return
    from coopnum.dataset.build import build

    with tempfile.TemporaryDirectory(prefix="coopnum-parquet-") as tmp:
        root = Path(tmp) / "project"
        generate(args.docs, root)
        build(root, use_cache=False)
        print(f"{args.docs} documents built (the current options)")
        measure(root / "dataset" / "data", args.repeats, dict(PARQUET_OPTIONS))


if __name__ == "__main__":
    main()
