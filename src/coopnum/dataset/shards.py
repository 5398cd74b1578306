"""The Parquet layout of ``dataset/data``: which file of a (config, split) a document's rows go to, and
the files of a (config, split) in a folder or a release. The only module that names a Parquet file.

Each split is cut into shards at content-defined boundaries of its documents, taken in id order: a
document opens a shard when the first 32 bits of ``sha256(SALT + doc_id)`` are a multiple of
:data:`SHARD_DOCUMENTS`, or when it is the split's first, or when :data:`MAX_SHARD_DOCUMENTS` documents
went by without a boundary. Boundaries depend on the ids alone (the forced cut on the run since the last
natural one), so adding a document changes the shard it falls in and no other. Every config takes the
``documents`` boundaries: a document's rows in any config go to the shard its ``documents`` row is in,
so one edit rewrites one shard per config, in one split. A shard with no rows is not written.

Names: a split of one shard keeps the name of v1.0.0, ``data/<config>/<split>.parquet``, so a small
corpus has the layout it always had; a split of several names every shard
``data/<config>/<split>-<first doc id of the shard>.parquet``. Doc ids are 16 lower-case hex digits, so
the names sort in document order. Whether a split has one shard or several is a property of the split's
documents (its ``documents`` boundaries), the same for every config: a config with rows in one shard of
a split of several still names that file by its first document.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from coopnum import schema

# 4,096 documents a shard: at 100k documents the train split (≈ 60 %) has about 15 of them, the
# `documents` shards are ≈ 20 MB compressed (0.5 GB for the corpus, benchmarks/SCALING.md), well under the
# few hundred MB the Hub and readers handle well, and a rebuild after one edit encodes ≈ 4 % of the rows
# instead of all of them. Fewer documents a shard would cut that further for many more files. It shapes
# the bytes: changing it renames and rewrites the shards of every large split.
SHARD_DOCUMENTS = 4096
# A cut after this many documents without a natural boundary bounds a shard (the gaps between natural
# boundaries are geometric: one in e^4 ≈ 55 runs is longer); it cascades only to the next natural one.
MAX_SHARD_FACTOR = 4
SALT = "coopnum-shard-v1:"
DATA = "data"
SUFFIX = ".parquet"
_SHARD_NAME = re.compile(r"^(?P<split>[a-z]+)(?:-(?P<first>[0-9a-f]{16}))?\.parquet$")
# what a shard's name adds after the split, as an optional regular expression (Croissant's split transform).
# Loose on purpose: mlcroissant turns a split filter's regex into a glob by rewriting it (`.+` -> `*`), and
# `[0-9a-f]{16}` comes out as no glob that matches; the files themselves are listed with their sha256.
SHARD_SUFFIX_REGEX = r"(?:-.+)?"


def max_shard_documents() -> int:
    return MAX_SHARD_FACTOR * SHARD_DOCUMENTS  # read at call time: tests lower SHARD_DOCUMENTS


def opens_shard(doc_id: str) -> bool:
    """Whether the document is a natural boundary (it opens a shard wherever it lies)."""
    return int(hashlib.sha256((SALT + doc_id).encode()).hexdigest()[:8], 16) % SHARD_DOCUMENTS == 0


def boundaries(doc_ids: Iterable[str]) -> list[str]:
    """The first document of each shard of a split whose documents are ``doc_ids`` (any order)."""
    firsts: list[str] = []
    run = 0
    bound = max_shard_documents()
    for doc_id in sorted(doc_ids):
        if not firsts or opens_shard(doc_id) or run >= bound:
            firsts.append(doc_id)
            run = 0
        run += 1
    return firsts


@dataclass(frozen=True)
class Plan:
    """The shards of each split: their first documents, in order."""

    firsts: Mapping[str, Sequence[str]]  # split -> first doc id of each shard

    @classmethod
    def of(cls, doc_splits: Iterable[tuple[str, str]]) -> Plan:
        """From every document's (doc id, split): the ``documents`` config's rows."""
        by_split: dict[str, list[str]] = {s: [] for s in schema.SPLITS}
        for doc_id, split in doc_splits:
            by_split.setdefault(split, []).append(doc_id)
        return cls({s: boundaries(ids) for s, ids in by_split.items()})

    def shard_of(self, split: str, doc_id: str) -> str:
        """The first document of the shard ``doc_id`` falls in."""
        firsts = self.firsts[split]
        return firsts[max(0, bisect.bisect_right(firsts, doc_id) - 1)]

    def cuts_in(self, split: str, low: str, high: str) -> list[str]:
        """The shards' first documents in ``(low, high]``: where rows of documents ``low`` … ``high``
        change shard."""
        firsts = self.firsts[split]
        return list(firsts[bisect.bisect_right(firsts, low) : bisect.bisect_right(firsts, high)])

    def several(self, split: str) -> bool:
        return len(self.firsts.get(split, ())) > 1

    def path(self, config: str, split: str, first: str) -> str:
        """The file of the shard opened by ``first``, relative to the dataset folder."""
        return shard_path(config, split, first if self.several(split) else None)


def shard_path(config: str, split: str, first: str | None = None) -> str:
    """``data/<config>/<split>.parquet`` (a split of one shard) or ``data/<config>/<split>-<first>.parquet``."""
    return f"{DATA}/{config}/{split}{'' if first is None else '-' + first}{SUFFIX}"


def data_files(config: str, split: str, paths: Sequence[str]) -> str:
    """The card's ``data_files`` path of a (config, split) whose files are ``paths``: the file itself when
    there is one, else the glob of its shards."""
    if len(paths) == 1:
        return paths[0]
    return f"{DATA}/{config}/{split}-*{SUFFIX}"


def parse(rel: str) -> tuple[str, str, str | None] | None:
    """(config, split, first doc id or None) of a data file's path relative to the dataset folder
    (``data/<config>/<split>[-<first>].parquet``); None for any other path."""
    parts = rel.split("/")
    if len(parts) != 3 or parts[0] != DATA:
        return None
    m = _SHARD_NAME.match(parts[2])
    if m is None or m["split"] not in schema.SPLITS:
        return None
    return parts[1], m["split"], m["first"]


def select(paths: Iterable[str], config: str, split: str) -> list[str]:
    """The data files of (config, split) among ``paths`` (relative to the dataset folder, as a manifest or
    ``git ls-tree`` lists them), in document order: either layout."""
    found = [p for p in paths if (parsed := parse(p)) is not None and parsed[:2] == (config, split)]
    return sorted(found)  # `<split>.parquet` alone, or `<split>-<id>` names, which sort in id order


def listing(dataset: Path) -> list[str]:
    """Every data file under ``dataset`` (relative paths, sorted)."""
    folder = dataset / DATA
    if not folder.is_dir():
        return []
    return sorted(
        rel
        for p in folder.glob(f"*/*{SUFFIX}")
        if p.is_file() and parse(rel := p.relative_to(dataset).as_posix()) is not None
    )


def files(dataset: Path, config: str, split: str) -> list[Path]:
    """The data files of (config, split) in ``dataset``, in document order (none: a split with no rows)."""
    folder = dataset / DATA / config
    if not folder.is_dir():
        return []
    rels = (p.relative_to(dataset).as_posix() for p in folder.glob(f"{split}*{SUFFIX}") if p.is_file())
    return [dataset / rel for rel in select(rels, config, split)]


def config_files(dataset: Path, config: str) -> list[Path]:
    """Every data file of ``config``, split by split."""
    return [p for split in schema.SPLITS for p in files(dataset, config, split)]


def doc_id_column(names: Sequence[str]) -> str:
    """The column that names a row's document: ``doc_id``, or ``id`` in ``documents``."""
    return "doc_id" if "doc_id" in names else "id"
