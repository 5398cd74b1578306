"""Cached shard bytes: a rebuild copies in every shard none of whose documents changed, and encodes the others.

A shard's rows are a function of its documents' inputs (their keys, :class:`cache.DocumentKeys`) and of the
answers the recurring-line evidence gave their cleaning; its bytes add the code and library versions (in
the keys' context), the Parquet options, the row-group size and the config's Arrow schema. So the entry of a
(config, shard) is keyed by a digest of its documents' ordered keys and of those constants, and a
:class:`ShardHead` beside it, one per shard, keeps the evidence lookups of the chunks that held its
documents when it was encoded (a superset of its documents' own: sound, if at times stricter than it must
be). A rebuild copies a shard in when its key has an entry and its head's lookups give the answers they
gave then (:func:`coopnum.dataset.evidence.evidence_holds`), as a chunk entry is checked. A document
without a key, or a chunk whose head does not hold after the pass, leaves the shard unstored.

The entry's body is the Parquet file itself, so the store's checksum of it (:meth:`cache.EntryStore.get`
verifies it) is the file's sha256, which the manifest and Croissant then take without hashing the file
again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from coopnum.corpus import sources as corpus
from coopnum.corpus import splits
from coopnum.dataset import cache, parquet, registry
from coopnum.dataset import evidence as evidence_cache
from coopnum.dataset.setup import Setup

Shard = tuple[str, str, str]  # (config, split, first doc id of the shard)
Chunk = Sequence[tuple[corpus.Source, int]]
Lookup = tuple[int, int, int | None]


@dataclass(frozen=True)
class ShardHead:
    """The evidence lookups of a shard's documents (those of the chunks that held them) and the evidence's
    digest when its files were encoded."""

    lookups: tuple[Lookup, ...]
    evidence: str


@dataclass
class Group:
    """One shard's documents (all configs): their keys in order, the chunks holding them."""

    keys: list[str] = field(default_factory=list)
    chunks: set[int] = field(default_factory=set)
    keyed: bool = True  # every document has a key


Groups = dict[tuple[str, str], Group]  # (split, first doc id) -> the shard's documents


def groups(setup: Setup, chunks: Sequence[Chunk]) -> Groups:
    """(split, first doc id) -> its shard's documents, for every shard of the plan."""
    keys, plan = setup.keys, setup.plan
    out: Groups = {}
    if keys is None or plan is None:
        return out
    for index, chunk in enumerate(chunks):
        for source, fold in chunk:
            split = splits.split_of(source.doc_id)
            group = out.setdefault((split, plan.shard_of(split, source.doc_id)), Group())
            key = keys.of(source, fold)
            group.keyed = group.keyed and key is not None
            group.keys.append(key or "")
            group.chunks.add(index)
    return out


def _rows_key(setup: Setup, group: Group) -> str:
    assert setup.keys is not None
    options = json.dumps(parquet.PARQUET_OPTIONS, sort_keys=True)
    return cache.digest("shard", setup.keys.context, options, str(parquet.ROW_GROUP_BYTES), *group.keys)


def _file_key(setup: Setup, rows_key: str, config: str) -> str:
    schema = registry.arrow_schema(config, setup.annotated)
    return cache.digest(rows_key, config, schema.to_string(show_schema_metadata=True))


def _head_key(rows_key: str) -> str:
    return cache.digest("shard head", rows_key)


def copy_in(setup: Setup, shards_of: Groups, folder: Path) -> dict[Shard, str]:
    """Copy into ``folder`` every shard file whose entry serves; the sha256 of each copied."""
    store, plan = setup.store, setup.plan
    if store is None or plan is None:
        return {}
    copied: dict[Shard, str] = {}
    for (split, first), group in sorted(shards_of.items()):
        if not group.keyed:
            continue
        rows_key = _rows_key(setup, group)
        head = cache.load_value(store.get(_head_key(rows_key)))
        if not isinstance(head, ShardHead) or not evidence_cache.evidence_holds(
            head.lookups, head.evidence, setup.evidence, setup.evidence_digest
        ):
            continue
        for config in registry.written(setup.annotated):  # a config with no rows here has no entry
            digest = store.copy_to(_file_key(setup, rows_key, config), folder / plan.path(config, split, first))
            if digest is not None:
                copied[(config, split, first)] = digest
    return copied


def store_encoded(
    setup: Setup,
    shards_of: Groups,
    heads: Mapping[int, cache.ChunkHead],
    encoded: Mapping[Shard, str],
    folder: Path,
) -> dict[Shard, str]:
    """Store every shard file just encoded (``encoded``: its path relative to ``folder``) whose documents all
    have keys and whose chunks all have a head in ``heads`` (heads that hold after the pass); the sha256 of
    each stored (its entry's checksum)."""
    store = setup.store
    if store is None:
        return {}
    wanted = {(split, first) for _, split, first in encoded}
    out: dict[Shard, str] = {}
    for (split, first), group in sorted(shards_of.items()):
        if (split, first) not in wanted or not group.keyed or not group.chunks <= heads.keys():
            continue
        each = [heads[i].lookups for i in sorted(group.chunks)]
        if any(found is None for found in each):
            continue  # a head unreadable since it was read
        rows_key = _rows_key(setup, group)
        for config in registry.written(setup.annotated):
            rel = encoded.get((config, split, first))
            if rel is not None and (digest := store.put_file(_file_key(setup, rows_key, config), folder / rel)):
                out[(config, split, first)] = digest
        lookups = tuple(dict.fromkeys(x for found in each for x in found or ()))
        # after the files: a head names entries that were written (or since evicted: then a miss)
        store.put(_head_key(rows_key), cache.dumps(ShardHead(lookups, setup.evidence_digest)))
    return out


def chunks_of(shards_of: Groups, encoded: Mapping[Shard, str]) -> set[int]:
    """The chunks holding documents of the shards in ``encoded``: those whose heads :func:`store_encoded` needs."""
    wanted = {(split, first) for _, split, first in encoded}
    return {i for key, group in shards_of.items() if key in wanted for i in group.chunks}
