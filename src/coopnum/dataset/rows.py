"""Rows of every published config, one pure function per config and document.

Inputs are a cleaned document and, once annotation exists, its annotations;
outputs are plain dicts in the shape of :mod:`coopnum.features` (ClassLabels
as integer ids). Nothing here reads a file or the clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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
    gold = d.gold
    assert gold is not None
    return sentence_rows(d.doc_id, d.clean.text, d.sentences, gold.entities, d.fold, gold.id)


_FINE_ID = {t: i for i, t in enumerate(schema.FINE_NER_TAGS)}
_CONLL_ID_OF_FINE = {
    t: schema.CONLL_NER_TAGS.index(align.project([t], schema.CONLL_PROJECTION)[0]) for t in schema.FINE_NER_TAGS
}


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
    spans = [(s.start, s.end, s.label) for s in entities]
    placed: set[tuple[int, int, str]] = set()
    rows = []
    for sent, inside in zip(sents, align.spans_by_sentence(sents, spans), strict=True):
        placed.update(inside)
        try:
            fine = align.spans_to_iob2(sent.tokens, inside)
        except AlignmentError as e:
            e.doc_id, e.annotation = doc_id, annotation_id
            raise
        rows.append(
            {
                "id": f"{doc_id}-p{sent.paragraph:03d}-s{sent.index:03d}",
                "doc_id": doc_id,
                "paragraph": sent.paragraph,
                "sentence": sent.index,
                "tokens": [t.text for t in sent.tokens],
                "token_starts": [t.start for t in sent.tokens],
                "token_ends": [t.end for t in sent.tokens],
                "ner_tags": [_CONLL_ID_OF_FINE[t] for t in fine],
                "fine_ner_tags": [_FINE_ID[t] for t in fine],
                "fold": fold,
            }
        )
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
    return rows


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
