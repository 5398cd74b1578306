"""The personal-data search of one document's rows, in the per-document step (:mod:`pipeline`), so
that its result is cached with the document and a rebuild searches only what changed; the build's last
look (:func:`privacy.refuse_personal_data`) does the rest (:mod:`coopnum.dataset.privacy`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from coopnum.dataset import cache, privacy, registry
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


def findings(root: Path, part: cache.DocumentPart) -> list[Finding]:
    """A document's :attr:`~cache.DocumentPart.personal_data` as findings naming the Parquet file
    (``dataset/data/<config>/<split>.parquet``), the document, its row and the column."""
    data = root / "dataset" / "data"
    return [
        privacy.row_finding(data / config / f"{part.split}.parquet", part.doc_id, row, column, problem)
        for config, row, column, problem in part.personal_data
    ]
