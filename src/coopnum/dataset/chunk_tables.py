"""A chunk entry's Arrow tables stored apart from the rest of its result (counts, tallies, findings, spill).

A rebuild copies most shards from the cache (:mod:`coopnum.dataset.shard_cache`); the rows of a chunk whose
shards are all copied are counted, never written, so reading its tables back (MBs of Arrow, most of a chunk
entry) would be wasted. The chunk's entry (:class:`cache.ChunkEntry`, under the chunk's key) therefore holds
its result without tables and, for each (config, split), the rows' count and first and last document ids
(:data:`TableSpans`): enough to say which shards the rows fall in. The tables of each split are one more
entry, under :func:`tables_key`, read only when one of the split's shards they fall in is encoded again
(``needed``): after one edit, the chunks that meet the edited document's shard read that split's tables, the
others none. They are written before the entry, so an entry always names tables that were written (or since
evicted: then the chunk is a miss).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pyarrow as pa

from coopnum.dataset import cache, shards
from coopnum.dataset import evidence as evidence_cache
from coopnum.dataset.setup import Setup

TableSpans = dict[tuple[str, str], tuple[int, str, str]]  # (config, split) -> (rows, first doc id, last doc id)
Needed = Callable[[TableSpans], bool]  # whether any shard these rows fall in is encoded


def tables_key(chunk_key: str, split: str) -> str:
    return cache.digest("chunk tables", chunk_key, split)


def spans_of(tables: dict[tuple[str, str], pa.Table]) -> TableSpans:
    out: TableSpans = {}
    for key, table in tables.items():
        if table.num_rows:
            ids = table.column(shards.doc_id_column(table.schema.names))
            out[key] = (table.num_rows, str(ids[0]), str(ids[-1]))
    return out


def put(setup: Setup, key: str, result: object, lookups: tuple[tuple[int, int, int | None], ...]) -> None:
    """Store a chunk's ``result`` (a ``ChunkResult``) under ``key``: its tables first, then the rest, then its head."""
    store = setup.store
    assert store is not None
    tables = getattr(result, "tables", {})
    for split in sorted({split for _, split in tables}):
        store.put(tables_key(key, split), cache.dumps({k: t for k, t in tables.items() if k[1] == split}))
    small = dataclasses.replace(result, tables={})  # type: ignore[type-var]
    store.put(key, cache.dumps(cache.ChunkEntry(small, lookups, setup.evidence_digest, spans_of(tables))))
    # after the entry: a head always names an entry that was written (or since evicted)
    store.put(cache.head_key(key), cache.ChunkHead.of(lookups, setup.evidence_digest).body())


def read(setup: Setup, key: str, needed: Needed | None = None) -> object | None:
    """The chunk's result (a ``ChunkResult``) from its entry when the entry holds, else None. The tables of a
    split are read only when ``needed`` says so of their spans (None: always); otherwise the result carries
    their rows' counts alone (``table_rows``)."""
    store = setup.store
    if store is None:
        return None
    entry = cache.load_value(store.get(key))
    if not isinstance(entry, cache.ChunkEntry) or not evidence_cache.evidence_holds(
        entry.lookups, entry.evidence, setup.evidence, setup.evidence_digest
    ):
        return None
    result = entry.result
    for split in sorted({split for _, split in entry.tables}):
        spans = {k: v for k, v in entry.tables.items() if k[1] == split}
        if needed is None or needed(spans):
            tables = cache.load_value(store.get(tables_key(key, split)))
            if not isinstance(tables, dict):
                return None  # evicted or torn since: the chunk is computed
            result.tables.update(tables)
        else:
            result.table_rows.update({k: rows for k, (rows, _, _) in spans.items()})
    return result
