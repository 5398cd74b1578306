"""The personal-data search of one document's rows, in the per-document step (:mod:`pipeline`), so
that its result is cached with the document and a rebuild searches only what changed; the build's last
look (:func:`privacy.refuse_personal_data`) does the rest (:mod:`coopnum.dataset.privacy`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from coopnum.dataset import cache, privacy, registry, shards
from coopnum.quality.findings import Finding


def personal_data(rows: Mapping[str, registry.Rows], annotated: bool) -> tuple[tuple[str, int, str, str], ...]:
    """What the shape rules (:func:`privacy.table_problems`) refuse in a document's rows: each config's
    rows as the Arrow table of this document alone (:func:`registry.table_of`, as its chunk's table
    is made: the strings its Parquet file gets), (config, row, column, problem)."""
    tables = {config: registry.table_of(config, [config_rows], annotated) for config, config_rows in rows.items()}
    if not privacy.tables_may_hold(tables.values()):
        return ()  # the usual case, from one search of all the document's strings
    return tuple(
        (config, row, column, problem)
        for config, table in tables.items()
        for row, column, problem in privacy.table_problems(table)
    )


def findings(root: Path, part: cache.DocumentPart, plan: shards.Plan | None = None) -> list[Finding]:
    """A document's :attr:`~cache.DocumentPart.personal_data` as findings naming the Parquet file its rows
    go to (``dataset/data/<config>/<split>.parquet``, or its shard's in a split of several: ``plan``), the
    document, its row and the column."""
    dataset = root / "dataset"

    def path(config: str) -> Path:
        if plan is None:
            return dataset / shards.shard_path(config, part.split)
        return dataset / plan.path(config, part.split, plan.shard_of(part.split, part.doc_id))

    return [
        privacy.row_finding(path(config), part.doc_id, row, column, problem)
        for config, row, column, problem in part.personal_data
    ]
