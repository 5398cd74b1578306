"""The ``ner`` rows as columns: the same rows, errors and Arrow table as the row-dict implementation
they replaced (tests/text/reference.py), on the corpus and on random texts and spans."""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopnum import schema
from coopnum.annotation.format import Span
from coopnum.dataset import registry, rows
from coopnum.dataset.parquet import PARQUET_OPTIONS
from coopnum.errors import CoopnumError
from coopnum.text import align

from ..conftest import REPO
from ..text import reference
from ..text.test_align import paragraphed


@pytest.fixture(autouse=True)
def _tokenizer_loaded() -> None:
    """spaCy loaded before a strategy first tokenises (loading it touches ``random``, which hypothesis reports)."""
    align.french()


def _rows_or_error(build, *args):
    try:
        return build(*args)
    except CoopnumError as e:
        return (type(e), str(e), e.doc_id, e.annotation, getattr(e, "field", None))


@st.composite
def annotated_text(draw):
    text, ranges = draw(paragraphed())
    tokens = [t for s in align.sentences(text, ranges) for t in s.tokens]
    edges = sorted({t.start for t in tokens} | {t.end for t in tokens} | {0, len(text)})
    spans = set()
    for _ in range(draw(st.integers(0, 6))):
        if tokens and draw(st.booleans()):
            i = draw(st.integers(0, len(tokens) - 1))
            start, end = tokens[i].start, tokens[min(i + draw(st.integers(0, 3)), len(tokens) - 1)].end
        else:
            start, end = draw(st.sampled_from(edges)), draw(st.sampled_from(edges))
        label = draw(st.sampled_from(schema.ENTITY_LABELS))
        spans.add(Span(start, end, label, text[start:end]))
    return text, ranges, sorted(spans, key=lambda s: (s.start, s.end, s.label))


@settings(max_examples=500, deadline=None)
@given(annotated_text())
def test_property_column_rows_and_errors_equal_the_row_dict_reference(case) -> None:
    text, ranges, spans = case
    ours = _rows_or_error(rows.sentence_rows, "d1", text, align.sentences(text, ranges), spans, 3, "ls-1")
    theirs = _rows_or_error(reference.sentence_rows, "d1", text, reference.sentences(text, ranges), spans, 3, "ls-1")
    assert ours == theirs
    if isinstance(ours, list):
        part = rows.sentence_part("d1", text, align.sentences(text, ranges), spans, 3, "ls-1")
        schema_ = registry.arrow_schema("ner", True)
        assert len(part) == len(ours)
        assert rows.ner_table([part], schema_).equals(pa.Table.from_pylist(ours, schema=schema_), check_metadata=True)


def _parquet(table: pa.Table) -> bytes:
    out = io.BytesIO()
    pq.write_table(table, out, **PARQUET_OPTIONS)
    return out.getvalue()


def test_corpus_ner_table_equals_the_row_dicts_to_the_byte() -> None:
    from coopnum.dataset.build import annotated_documents

    docs = annotated_documents(REPO)
    assert docs
    pieces = [registry.document_rows("ner", d, True) for d in docs]
    assert all(isinstance(p, rows.NerPart) for p in pieces)
    dicts = [
        reference.sentence_rows(
            d.doc_id,
            d.clean.text,
            reference.sentences(d.clean.text, d.paragraph_ranges),
            d.gold.entities,
            d.fold,
            d.gold.id,
        )
        for d in docs
    ]
    assert [p.rows() for p in pieces] == dicts
    assert [registry.rows_of("ner", d, True) for d in docs] == dicts
    expected = pa.Table.from_pylist([r for rs in dicts for r in rs], schema=registry.arrow_schema("ner", True))
    columns = registry.table_of("ner", pieces, True)
    mixed = registry.table_of("ner", [pieces[0], dicts[1], [], *pieces[2:]] if len(docs) > 2 else dicts, True)
    for table in (columns, mixed):
        assert table.equals(expected, check_metadata=True)
        assert table.nbytes == expected.nbytes  # the Parquet sink cuts row groups by it
        assert _parquet(table) == _parquet(expected)


def test_a_config_without_columns_gets_its_row_dicts() -> None:
    from coopnum.dataset.build import annotated_documents

    d = annotated_documents(REPO)[0]
    assert registry.document_rows("topic", d, True) == registry.rows_of("topic", d, True)
    table = registry.table_of("topic", [registry.document_rows("topic", d, True)], True)
    assert table.to_pylist() == registry.rows_of("topic", d, True)


def test_an_empty_ner_table_has_the_schema() -> None:
    table = rows.ner_table([], registry.arrow_schema("ner", True))
    assert table.num_rows == 0 and table.schema.equals(registry.arrow_schema("ner", True), check_metadata=True)


def test_a_misaligned_span_is_reported_as_before() -> None:
    text = "Il vit à Saint-Pétersbourg."
    sents = align.sentences(text, [(0, len(text))])
    with pytest.raises(CoopnumError, match="token boundaries") as e:
        rows.sentence_part("d1", text, sents, [Span(15, 26, "LOC", text[15:26])], 0, "ls-2")
    assert (e.value.doc_id, e.value.annotation) == ("d1", "ls-2")
