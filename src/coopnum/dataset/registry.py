"""The config registry: every published config declared once.

A :class:`Config` names the config and holds its features, its row builder, its
description (for the card and Croissant) and, for the configs a system can be
scored on, an example prediction line (for the card and ``coopnum evaluate``).
The build, the card, Croissant and evaluate all read :data:`CONFIGS`; adding a
config is one entry here (and its row builder in :mod:`coopnum.dataset.rows`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyarrow as pa
from datasets import Features

from coopnum import schema
from coopnum.annotation.document import Document
from coopnum.dataset import features, rows
from coopnum.dataset.rows import NerPart

RowBuilder = Callable[[Document, bool], list[dict[str, object]]]  # (document, annotated build) -> rows
Rows = list[dict[str, object]] | NerPart  # a document's rows in one config: dicts, or columns (``ner``)


@dataclass(frozen=True)
class Config:
    name: str
    description: str  # one line for the card's config table and Croissant's record set
    features: Features  # the features of an annotated build
    rows: RowBuilder  # a document's rows, in the order they are written
    needs_gold: bool  # written only when the corpus is annotated
    features_without_gold: Features | None = None  # for a config also written before annotation
    prediction_example: str | None = None  # one JSON Lines prediction, for configs `coopnum evaluate` scores
    part: Callable[[Document], NerPart] | None = None  # the rows as columns, where a config has them

    def features_for(self, annotated: bool) -> Features:
        if annotated or self.features_without_gold is None:
            return self.features
        return self.features_without_gold

    @property
    def scored(self) -> bool:
        return self.prediction_example is not None


# In card order.
CONFIGS: dict[str, Config] = {
    c.name: c
    for c in (
        Config(
            "documents",
            "one row per article: text, paragraphs, metadata, offset map and audit"
            " (and, when annotated, `adjudicated` and the gold layers): every corpus document, at every stage",
            features.DOCUMENTS_GOLD,
            lambda d, annotated: [rows.document_row(d, annotated)],
            needs_gold=False,
            features_without_gold=features.DOCUMENTS,
        ),
        Config(
            "ner",
            "one row per sentence: tokens, token offsets, `ner_tags` (CoNLL-4, IOB2, `conll2003` order) "
            f"and `fine_ner_tags` ({', '.join(schema.ENTITY_LABELS)}; IOB2)",
            features.NER,
            lambda d, _: rows.ner_rows(d),
            needs_gold=True,
            prediction_example='{"id": "<doc_id>-p001-s000", "ner_tags": ["O", "B-LOC", "O"]}',
            part=rows.ner_part,
        ),
        Config(
            "stance",
            "one row per paragraph: its text, the `target` and the paragraph's stance `label`",
            features.STANCE,
            lambda d, _: rows.stance_rows(d),
            needs_gold=True,
            prediction_example='{"id": "<doc_id>-p001", "label": "FAVOR"}',
        ),
        Config(
            "stance_document",
            "one row per article: its text, the `target` and the article's overall stance `label`",
            features.STANCE_DOCUMENT,
            lambda d, _: [rows.stance_document_row(d)],
            needs_gold=True,
            prediction_example='{"id": "<doc_id>", "label": "NONE"}',
        ),
        Config(
            "topic",
            "one row per document: `labels` (multi-label) and their IPTC Media Topic codes",
            features.TOPIC,
            lambda d, _: [rows.topic_row(d)],
            needs_gold=True,
            prediction_example='{"id": "<doc_id>", "labels": ["digital_economy", "trade_investment"]}',
        ),
        Config(
            "annotator_labels",
            "one row per annotation (each pass and the gold, `is_gold`), for research on disagreement",
            features.ANNOTATOR_LABELS,
            lambda d, _: rows.annotator_rows(d),
            needs_gold=True,
        ),
    )
}

SCORED: tuple[str, ...] = tuple(name for name, c in CONFIGS.items() if c.scored)


def written(annotated: bool) -> dict[str, Config]:
    """The configs a build writes: all of them once the corpus is annotated, else those that need no gold."""
    return {name: c for name, c in CONFIGS.items() if annotated or not c.needs_gold}


def configs(annotated: bool) -> dict[str, Features]:
    """Features of each config a build writes, in card order."""
    return {name: c.features_for(annotated) for name, c in written(annotated).items()}


def rows_of(config: str, d: Document, annotated: bool) -> list[dict[str, object]]:
    """The document's rows in ``config``; a config that needs the gold has none of a document that is
    not adjudicated yet (``documents`` has every document)."""
    c = CONFIGS[config]
    if c.needs_gold and not d.adjudicated:
        return []
    return c.rows(d, annotated)


def document_rows(config: str, d: Document, annotated: bool) -> Rows:
    """:func:`rows_of`, as columns in a config that has them (``ner``: no dict per sentence); what
    :func:`table_of` takes. ``len()`` of either is the number of rows."""
    c = CONFIGS[config]
    if c.needs_gold and not d.adjudicated:
        return []
    return c.part(d) if c.part is not None else c.rows(d, annotated)


@functools.cache
def arrow_schema(config: str, annotated: bool) -> pa.Schema:
    return CONFIGS[config].features_for(annotated).arrow_schema


def table_of(config: str, pieces: Sequence[Rows], annotated: bool) -> pa.Table:
    """The Arrow table of documents' rows in ``config`` (each from :func:`document_rows` or :func:`rows_of`),
    in order: built column by column when every piece is columns, else from dicts; the same table either way."""
    schema = arrow_schema(config, annotated)
    pieces = [p for p in pieces if not isinstance(p, list) or p]
    if pieces and all(isinstance(p, NerPart) for p in pieces):
        return rows.ner_table([p for p in pieces if isinstance(p, NerPart)], schema)
    dicts = [r for p in pieces for r in (p.rows() if isinstance(p, NerPart) else p)]
    return pa.Table.from_pylist(dicts, schema=schema)
