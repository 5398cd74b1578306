"""Rows of every published config, one pure function per config and document.

Inputs are a cleaned document and, once annotation exists, its annotations;
outputs are plain dicts in the shape of :mod:`coopnum.features` (ClassLabels
as integer ids). Nothing here reads a file or the clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from coopnum import schema
from coopnum.annotation.document import Document
from coopnum.annotation.format import Annotation, Span
from coopnum.errors import AlignmentError, AnnotationError
from coopnum.text import align


def _label_id(labels: tuple[str, ...], value: str | None) -> int | None:
    return None if value is None else labels.index(value)


def span_rows(spans: tuple[Span, ...]) -> list[dict[str, object]]:
    return [
        {"start": s.start, "end": s.end, "label": schema.ENTITY_LABELS.index(s.label), "text": s.text}
        for s in sorted(spans)
    ]


def gold_layers(a: Annotation) -> dict[str, object]:
    return {
        "entities": span_rows(a.entities),
        "stance": _label_id(schema.STANCE_LABELS, a.stance),
        "paragraph_stances": [_label_id(schema.STANCE_LABELS, s) for s in a.paragraph_stances],
        "topics": [schema.TOPIC_LABELS.index(t) for t in sorted(a.topics, key=schema.TOPIC_LABELS.index)],
    }


def document_row(d: Document, with_gold: bool) -> dict[str, object]:
    s, c = d.source, d.clean
    row: dict[str, object] = {
        "id": s.doc_id,
        "raw_file": f"corpus/raw/{s.file}",
        "title": c.title,
        "outlet": s.outlet,
        "date": s.date,
        "url": s.url,
        "language": s.language,
        "rights": s.rights,
        "text": c.text,
        "text_sha256": c.text_sha256,
        "raw_sha256": s.raw_sha256,
        "paragraphs": [
            {"start": p.start, "end": p.end, "kind": schema.PARAGRAPH_KINDS.index(p.kind)} for p in c.paragraphs
        ],
        "offset_map": [
            {"clean_start": a, "clean_end": b, "raw_start": x, "raw_end": y} for a, b, x, y in c.offset_map.as_rows()
        ],
        "audit": [
            {"line": a.line, "raw_start": a.raw_start, "raw_end": a.raw_end, "action": a.action, "rule": a.rule}
            for a in c.audit
        ],
        "removed_lines": sum(1 for a in c.audit if a.action == "removed"),
        "fold": d.fold,
    }
    if with_gold:  # an annotated corpus: every document, with its gold once adjudicated
        gold = d.gold if d.adjudicated else None
        row["adjudicated"] = gold is not None
        row.update(gold_layers(gold) if gold is not None else EMPTY_LAYERS)
    return row


EMPTY_LAYERS: dict[str, object] = {"entities": [], "stance": None, "paragraph_stances": [], "topics": []}


def ner_rows(d: Document) -> list[dict[str, object]]:
    """One row per sentence: tokens, their offsets, CoNLL-4 and fine IOB2 tags from the gold spans."""
    return ner_part(d).rows()


def ner_part(d: Document) -> NerPart:
    """The ``ner`` rows of an adjudicated document, as columns (:func:`ner_table` makes a table of many)."""
    gold = d.gold
    assert gold is not None
    return sentence_part(d.doc_id, d.clean.text, d.sentences, gold.entities, d.fold, gold.id)


_FINE_ID = {t: i for i, t in enumerate(schema.FINE_NER_TAGS)}
_CONLL_ID_OF_FINE = {
    t: schema.CONLL_NER_TAGS.index(align.project([t], schema.CONLL_PROJECTION)[0]) for t in schema.FINE_NER_TAGS
}
_B_AND_I_IDS = {label: (_FINE_ID[f"B-{label}"], _FINE_ID[f"I-{label}"]) for label in schema.ENTITY_LABELS}
_CONLL_OF_FINE_ID = np.array([_CONLL_ID_OF_FINE[t] for t in schema.FINE_NER_TAGS], dtype=np.int64)


@dataclass(frozen=True)
class NerPart:
    """The ``ner`` rows of one text as columns: a row per sentence of ``columns``, ``fine`` the fine tag
    id of each token."""

    doc_id: str
    columns: align.TokenColumns
    fine: npt.NDArray[np.int64]
    fold: int

    def __len__(self) -> int:  # rows, as for a list of row dicts
        return len(self.columns.paragraphs)

    def ids(self) -> list[str]:
        c = self.columns
        return [
            f"{self.doc_id}-p{p:03d}-s{i:03d}" for p, i in zip(c.paragraphs.tolist(), c.indices.tolist(), strict=True)
        ]

    def rows(self) -> list[dict[str, object]]:
        c, fine = self.columns, self.fine.tolist()
        conll = _CONLL_OF_FINE_ID[self.fine].tolist()
        bounds = c.bounds.tolist()
        return [
            {
                "id": row_id,
                "doc_id": self.doc_id,
                "paragraph": p,
                "sentence": i,
                "tokens": c.texts[a:b],
                "token_starts": c.start_list[a:b],
                "token_ends": c.end_list[a:b],
                "ner_tags": conll[a:b],
                "fine_ner_tags": fine[a:b],
                "fold": self.fold,
            }
            for row_id, p, i, a, b in zip(
                self.ids(), c.paragraphs.tolist(), c.indices.tolist(), bounds, bounds[1:], strict=False
            )
        ]


def sentence_rows(
    doc_id: str,
    text: str,
    sents: Sequence[align.Sentence],
    entities: Iterable[Span],
    fold: int,
    annotation_id: str | None = None,
) -> list[dict[str, object]]:
    """The ``ner`` rows of one text (pure): a row per sentence with IOB2 tags from ``entities``;
    an entity that no sentence holds whole is an error, never dropped."""
    return sentence_part(doc_id, text, sents, entities, fold, annotation_id).rows()


def sentence_part(
    doc_id: str,
    text: str,
    sents: Sequence[align.Sentence],
    entities: Iterable[Span],
    fold: int,
    annotation_id: str | None = None,
) -> NerPart:
    """:func:`sentence_rows` as columns. The tags are set by bisection in the token edges; when a span
    does not fit, the per-sentence checks run to raise the same error as ever."""
    columns = align.columns_of(sents)
    spans = sorted((s.start, s.end, s.label) for s in entities)
    ranges = align.span_token_ranges(columns, spans)
    if ranges is None:
        return NerPart(doc_id, columns, _checked_fine_tags(doc_id, text, sents, spans, annotation_id), fold)
    first, last = ranges
    fine = np.full(len(columns), _FINE_ID["O"], dtype=np.int64)
    if spans:
        inside = last - first  # how many I- tags each span has, at first + 1 .. last
        within = np.arange(int(inside.sum())) - (inside.cumsum() - inside).repeat(inside)
        b_ids, i_ids = np.array([_B_AND_I_IDS[label] for _, _, label in spans], dtype=np.int64).T
        fine[(first + 1).repeat(inside) + within] = i_ids.repeat(inside)
        fine[first] = b_ids
    return NerPart(doc_id, columns, fine, fold)


def _checked_fine_tags(
    doc_id: str,
    text: str,
    sents: Sequence[align.Sentence],
    spans: list[tuple[int, int, str]],
    annotation_id: str | None,
) -> npt.NDArray[np.int64]:
    """The fine tag ids sentence by sentence, with the checks that name what is wrong: a span off the token
    edges, two that overlap (:class:`AlignmentError`), one that no sentence holds whole (:class:`AnnotationError`)."""
    placed: set[tuple[int, int, str]] = set()
    tags: list[int] = []
    for sent, inside in zip(sents, align.spans_by_sentence(sents, spans), strict=True):
        placed.update(inside)
        try:
            tags += [_FINE_ID[t] for t in align.spans_to_iob2(sent.tokens, inside)]
        except AlignmentError as e:
            e.doc_id, e.annotation = doc_id, annotation_id
            raise
    missing = sorted(set(spans) - placed)
    if missing:
        start, end, label = missing[0]
        raise AnnotationError(
            f"{len(missing)} span(s) cross a sentence or paragraph boundary, first [{start}, {end}) {label} "
            f"{text[start:end]!r}",
            doc_id=doc_id,
            annotation=annotation_id,
            field="entities",
        )
    return np.array(tags, dtype=np.int64)


def ner_table(parts: Sequence[NerPart], arrow_schema: pa.Schema) -> pa.Table:
    """The ``ner`` rows of ``parts`` as one Arrow table, column by column: the same table as
    ``pa.Table.from_pylist`` of their :meth:`NerPart.rows` (a test compares them), without a dict per row."""
    sentence_counts = np.array([len(p.columns.paragraphs) for p in parts], dtype=np.int64)
    token_offsets = np.cumsum([0, *(len(p.columns) for p in parts)])[:-1]
    offsets = np.concatenate(
        [[0], *(p.columns.bounds[1:] + start for p, start in zip(parts, token_offsets, strict=True))]
    ).astype(np.int32)

    def concat(values: Iterable[npt.NDArray[np.int64]]) -> npt.NDArray[np.int64]:
        return np.concatenate([np.zeros(0, np.int64), *values])

    fine = concat(p.fine for p in parts)
    token_values = {
        "tokens": _string_array([p.columns.utf8() for p in parts]),
        "token_starts": pa.array(concat(p.columns.starts for p in parts).astype(np.int32)),
        "token_ends": pa.array(concat(p.columns.ends for p in parts).astype(np.int32)),
        "ner_tags": pa.array(_CONLL_OF_FINE_ID[fine]),
        "fine_ner_tags": pa.array(fine),
    }
    columns: dict[str, pa.Array] = {
        "id": pa.array([i for p in parts for i in p.ids()], pa.string()),
        "doc_id": pa.array(
            [p.doc_id for p, n in zip(parts, sentence_counts.tolist(), strict=True) for _ in range(n)], pa.string()
        ),
        "paragraph": pa.array(concat(p.columns.paragraphs for p in parts).astype(np.int32)),
        "sentence": pa.array(concat(p.columns.indices for p in parts).astype(np.int32)),
        "fold": pa.array(
            np.repeat(np.array([p.fold for p in parts], dtype=np.int64), sentence_counts).astype(np.int32)
        ),
    }
    for name, values in token_values.items():
        columns[name] = pa.ListArray.from_arrays(pa.array(offsets), values, type=arrow_schema.field(name).type)
    return pa.Table.from_arrays([columns[f.name] for f in arrow_schema], schema=arrow_schema)


def _string_array(pieces: Sequence[tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64]]]) -> pa.Array:
    """An Arrow string array from UTF-8 bytes and the length of each string in them, piece by piece."""
    data = np.concatenate([np.zeros(0, np.uint8), *(b for b, _ in pieces)])
    lengths = np.concatenate([np.zeros(0, np.int64), *(n for _, n in pieces)])
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int32)
    return pa.StringArray.from_buffers(len(lengths), pa.py_buffer(offsets), pa.py_buffer(data))


def stance_rows(d: Document) -> list[dict[str, object]]:
    """One row per paragraph, with the gold stance of the paragraph."""
    gold = d.gold
    assert gold is not None
    return [
        {
            "id": f"{d.doc_id}-p{i:03d}",
            "doc_id": d.doc_id,
            "paragraph": i,
            "text": d.clean.text[p.start : p.end],
            "target": schema.STANCE_TARGET,
            "label": _label_id(schema.STANCE_LABELS, label),
            "fold": d.fold,
        }
        for i, (p, label) in enumerate(zip(d.clean.paragraphs, gold.paragraph_stances, strict=True))
    ]


def stance_document_row(d: Document) -> dict[str, object]:
    """The document's row, with the gold stance of the whole article (its id is the doc id, as in ``topic``)."""
    gold = d.gold
    assert gold is not None
    return {
        "id": d.doc_id,
        "doc_id": d.doc_id,
        "text": d.clean.text,
        "target": schema.STANCE_TARGET,
        "label": _label_id(schema.STANCE_LABELS, gold.stance),
        "fold": d.fold,
    }


def topic_row(d: Document) -> dict[str, object]:
    gold = d.gold
    assert gold is not None
    topics = sorted(gold.topics, key=schema.TOPIC_LABELS.index)
    return {
        "id": d.doc_id,
        "doc_id": d.doc_id,
        "text": d.clean.text,
        "labels": [schema.TOPIC_LABELS.index(t) for t in topics],
        "iptc_codes": [i.code for t in topics for i in schema.topic(t).iptc],
        "fold": d.fold,
    }


def annotator_rows(d: Document) -> list[dict[str, object]]:
    """Every annotation of the document, the gold among them, side by side (one row each)."""
    assert d.annotations is not None
    return [
        {
            "id": f"{d.doc_id}-{a.id}",
            "doc_id": d.doc_id,
            "annotation_id": a.id,
            "annotator": a.annotator,
            "is_gold": a.ground_truth,
            **gold_layers(a),
            "fold": d.fold,
        }
        for a in sorted(d.annotations.annotations, key=lambda a: (a.ground_truth, a.annotator, a.id))
    ]
