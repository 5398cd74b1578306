"""``datasets.Features`` of every published config, generated from :mod:`coopnum.schema`.

Declared features beat inferred ones: ClassLabel names travel with the data
(in the Parquet schema metadata and in the card's ``dataset_info``), so
``load_dataset`` gives label names, not bare integers.
"""

from __future__ import annotations

from datasets import ClassLabel, Features, List, Value

from coopnum import schema


def _span_features() -> dict[str, object]:
    return {
        "start": Value("int32"),
        "end": Value("int32"),
        "label": ClassLabel(names=list(schema.ENTITY_LABELS)),
        "text": Value("string"),
    }


DOCUMENTS = Features(
    {
        "id": Value("string"),
        "raw_file": Value("string"),
        "title": Value("string"),
        "outlet": Value("string"),
        "date": Value("string"),
        "url": Value("string"),
        "language": Value("string"),
        "rights": Value("string"),
        "text": Value("string"),
        "text_sha256": Value("string"),
        "raw_sha256": Value("string"),
        "paragraphs": List(
            {
                "start": Value("int32"),
                "end": Value("int32"),
                "kind": ClassLabel(names=list(schema.PARAGRAPH_KINDS)),
            }
        ),
        "offset_map": List(
            {
                "clean_start": Value("int32"),
                "clean_end": Value("int32"),
                "raw_start": Value("int32"),
                "raw_end": Value("int32"),
            }
        ),
        "audit": List(
            {
                "line": Value("int32"),
                "raw_start": Value("int32"),
                "raw_end": Value("int32"),
                "action": Value("string"),
                "rule": Value("string"),
            }
        ),
        "removed_lines": Value("int32"),
        "fold": Value("int32"),
    }
)

NER = Features(
    {
        "id": Value("string"),
        "doc_id": Value("string"),
        "paragraph": Value("int32"),
        "sentence": Value("int32"),
        "tokens": List(Value("string")),
        "token_starts": List(Value("int32")),
        "token_ends": List(Value("int32")),
        "ner_tags": List(ClassLabel(names=list(schema.CONLL_NER_TAGS))),
        "fine_ner_tags": List(ClassLabel(names=list(schema.FINE_NER_TAGS))),
        "fold": Value("int32"),
    }
)

# One granularity per config: paragraph rows here, document rows in STANCE_DOCUMENT.
STANCE = Features(
    {
        "id": Value("string"),
        "doc_id": Value("string"),
        "paragraph": Value("int32"),
        "text": Value("string"),
        "target": Value("string"),
        "label": ClassLabel(names=list(schema.STANCE_LABELS)),
        "fold": Value("int32"),
    }
)

STANCE_DOCUMENT = Features(
    {
        "id": Value("string"),
        "doc_id": Value("string"),
        "text": Value("string"),
        "target": Value("string"),
        "label": ClassLabel(names=list(schema.STANCE_LABELS)),
        "fold": Value("int32"),
    }
)

TOPIC = Features(
    {
        "id": Value("string"),
        "doc_id": Value("string"),
        "text": Value("string"),
        "labels": List(ClassLabel(names=list(schema.TOPIC_LABELS))),
        "iptc_codes": List(Value("string")),
        "fold": Value("int32"),
    }
)

ENTITY_SPAN = _span_features()


def _layers() -> dict[str, object]:
    """The annotation layers of one annotation (gold or an annotator's)."""
    return {
        "entities": List(_span_features()),
        "stance": ClassLabel(names=list(schema.STANCE_LABELS)),
        "paragraph_stances": List(ClassLabel(names=list(schema.STANCE_LABELS))),
        "topics": List(ClassLabel(names=list(schema.TOPIC_LABELS))),
    }


# `adjudicated`: False for a document still being annotated, whose layers are then empty (no
# entities, stance None, no paragraph stances, no topics) rather than a gold that says "nothing".
DOCUMENTS_GOLD = Features({**DOCUMENTS, "adjudicated": Value("bool"), **_layers()})

ANNOTATOR_LABELS = Features(
    {
        "id": Value("string"),
        "doc_id": Value("string"),
        "annotation_id": Value("string"),
        "annotator": Value("string"),
        "is_gold": Value("bool"),
        **_layers(),
        "fold": Value("int32"),
    }
)
