"""Offsets ↔ tokens ↔ IOB2: tables of edge cases, round trips, and seqeval as the reference."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seqeval.metrics.sequence_labeling import get_entities

from coopnum import schema
from coopnum.errors import AlignmentError
from coopnum.text.align import Token, french, iob2_to_spans, project, sentences, spans_to_iob2

from ..conftest import REPO


def toks(text: str) -> list[Token]:
    """All tokens of a one-paragraph text (sentences joined)."""
    return [t for s in sentences(text, [(0, len(text))]) for t in s.tokens]


@pytest.mark.parametrize(
    "text,spans,tags",
    [
        ("à Moscou", [(2, 8, "LOC")], ["O", "B-LOC"]),  # a span at the very end of the text
        ("Moscou Paris", [(0, 6, "LOC"), (7, 12, "LOC")], ["B-LOC", "B-LOC"]),  # adjacent spans, one type
        ("😀 Jack Ma", [(2, 9, "PER")], ["O", "B-PER", "I-PER"]),  # outside the BMP: code points
        ("l’Université de Normandie", [(2, 25, "ORG")], ["O", "B-ORG", "I-ORG", "I-ORG"]),  # elision outside
        ("«Made in Moscow»", [(1, 15, "MISC")], ["O", "B-MISC", "I-MISC", "I-MISC", "O"]),
        ("a ajouté M.Peskov", [(11, 17, "PER")], ["O", "O", "O", "B-PER"]),  # the glued-title rule
        ("rien", [], ["O"]),
    ],
)
def test_spans_to_iob2_and_back(text: str, spans, tags) -> None:
    tokens = toks(text)
    assert spans_to_iob2(tokens, spans) == tags
    assert iob2_to_spans(tokens, tags) == sorted(spans)


@pytest.mark.parametrize(
    "text,span,why",
    [
        ("Saint-Pétersbourg", (6, 17, "LOC"), "token boundaries"),  # a sub-token span is reported, not widened
        ("à Moscou", (1, 8, "LOC"), "token boundaries"),  # off by one, starting on a space
        ("à Moscou", (2, 7, "LOC"), "token boundaries"),  # cut mid-word
    ],
)
def test_misaligned_span_is_an_error(text: str, span, why: str) -> None:
    with pytest.raises(AlignmentError, match=why):
        spans_to_iob2(toks(text), [span])


def test_overlapping_spans_are_an_error() -> None:
    with pytest.raises(AlignmentError, match="overlaps"):
        spans_to_iob2(toks("Jack Ma parle"), [(0, 7, "PER"), (5, 7, "ORG")])


@pytest.mark.parametrize("tags", [["I-PER"], ["O", "I-LOC"], ["B-PER", "I-LOC"], ["B-"], ["X-PER"]])
def test_invalid_iob2_is_an_error(tags: list[str]) -> None:
    tokens = [Token(f"t{i}", 2 * i, 2 * i + 1) for i in range(len(tags))]
    with pytest.raises(AlignmentError):
        iob2_to_spans(tokens, tags)


def test_conll_projection() -> None:
    assert project(["B-EVENT", "I-EVENT", "O", "B-PER"], schema.CONLL_PROJECTION) == ["B-MISC", "I-MISC", "O", "B-PER"]


def test_paragraphs_are_split_before_sentences_and_spaces_dropped() -> None:
    text = "Premier paragraphe sans point\nSecond\u00a0: ici. Et là."
    sents = sentences(text, [(0, 29), (30, len(text))])
    assert [s.paragraph for s in sents] == [0, 1, 1]
    assert all(t.text.strip() for s in sents for t in s.tokens)
    assert all(text[t.start : t.end] == t.text for s in sents for t in s.tokens)


@st.composite
def tagged(draw):
    n = draw(st.integers(min_value=0, max_value=25))
    tokens = [Token(f"w{i}", 3 * i, 3 * i + 2) for i in range(n)]
    spans, i = [], 0
    while i < n:
        if draw(st.booleans()):
            length = draw(st.integers(min_value=1, max_value=min(4, n - i)))
            spans.append((tokens[i].start, tokens[i + length - 1].end, draw(st.sampled_from(schema.ENTITY_LABELS))))
            i += length
        else:
            i += 1
    return tokens, spans


@settings(max_examples=300, deadline=None)
@given(tagged())
def test_property_spans_to_iob2_to_spans_is_exact(case) -> None:
    tokens, spans = case
    assert iob2_to_spans(tokens, spans_to_iob2(tokens, spans)) == sorted(spans)


def test_entities_agree_with_seqeval_on_seeded_random_sequences() -> None:
    rng = random.Random(2026)
    for _ in range(1000):
        n = rng.randint(0, 30)
        tokens = [Token(f"w{i}", 3 * i, 3 * i + 2) for i in range(n)]
        tags, i = ["O"] * n, 0
        while i < n:
            if rng.random() < 0.3:
                label, length = rng.choice(schema.ENTITY_LABELS), rng.randint(1, min(3, n - i))
                tags[i : i + length] = [f"B-{label}"] + [f"I-{label}"] * (length - 1)
                i += length
            else:
                i += 1
        ours = [
            (label, tokens.index(next(t for t in tokens if t.start == s)), e)
            for s, e, label in iob2_to_spans(tokens, tags)
        ]
        ours = [(label, first, next(k for k, t in enumerate(tokens) if t.end == e)) for label, first, e in ours]
        assert sorted(ours) == sorted(get_entities(tags))


def test_a_dotted_name_is_not_split_into_sentences() -> None:
    text = "la marketplace logistique Cargo.Tech, service de guides. Puis izi.travel."
    sents = sentences(text, [(0, len(text))])
    assert [" ".join(t.text for t in s.tokens) for s in sents] == [
        "la marketplace logistique Cargo . Tech , service de guides .",
        "Puis izi.travel .",
    ]
    tokens = [t for s in sents for t in s.tokens]
    assert spans_to_iob2(tokens, [(26, 36, "MISC")])[3:6] == ["B-MISC", "I-MISC", "I-MISC"]


def _spacy_sentence_starts(text: str) -> list[bool]:
    """What spaCy's own pipeline (tokenizer + Sentencizer component) says."""
    from coopnum.text.align import french

    return [bool(t.is_sent_start) for t in french()(text)]  # type: ignore[operator]


def _our_sentence_starts(text: str) -> list[bool]:
    from spacy.attrs import IS_PUNCT

    from coopnum.text.align import french, sentencizer_starts

    doc = french().tokenizer(text)  # type: ignore[attr-defined]
    return sentencizer_starts([t.text for t in doc], doc.to_array([IS_PUNCT]).tolist())


def test_the_sentencizer_rule_decides_as_spacys_component_on_the_corpus() -> None:
    from coopnum.dataset.build import clean_corpus

    paragraphs = 0
    for d in clean_corpus(REPO / "corpus"):
        for a, b in d.paragraph_ranges:
            text = d.clean.text[a:b]
            assert _our_sentence_starts(text) == _spacy_sentence_starts(text), text[:60]
            paragraphs += 1
    assert paragraphs > 50


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["Moscou", " ", ".", "!", "?", "...", "»", "«", "».", ")", "(", "a", "M.", "1.5", "\n", "。"]),
        max_size=25,
    ).map("".join)
)
def test_the_sentencizer_rule_decides_as_spacys_component_on_any_text(text: str) -> None:
    assert _our_sentence_starts(text) == _spacy_sentence_starts(text)


# The columns (token_columns, span_token_ranges) against the token-by-token implementation they replaced
# (tests/text/reference.py): the same tokens, sentences and tags, on the corpus and on random texts.

PIECES = [
    "Moscou",
    " ",
    "  ",
    ".",
    "!",
    "?",
    "...",
    "»",
    "«",
    "».",
    ")",
    "(",
    "a",
    "M.",
    "1.5",
    "\n",
    "\u00a0",
    "l’",
    "d'",
]


@pytest.fixture(autouse=True)
def _tokenizer_loaded() -> None:
    """spaCy loaded before a strategy first tokenises (loading it touches ``random``, which hypothesis reports)."""
    french()


def _as_tuples(sents) -> list[tuple[int, int, tuple[Token, ...]]]:
    return [(s.paragraph, s.index, tuple(s.tokens)) for s in sents]


def test_sentences_equal_the_token_by_token_reference_on_the_corpus() -> None:
    from coopnum.dataset.build import clean_corpus

    from .reference import sentences as reference

    docs = clean_corpus(REPO / "corpus")
    for d in docs:
        ours = sentences(d.clean.text, d.paragraph_ranges)
        assert _as_tuples(ours) == _as_tuples(reference(d.clean.text, d.paragraph_ranges)), d.doc_id
        assert [(s.start, s.end) for s in ours] == [(s.tokens[0].start, s.tokens[-1].end) for s in ours]
    assert docs


@st.composite
def paragraphed(draw):
    """A random text and random paragraph ranges in it: in order or not, touching, empty, overlapping."""
    text = "".join(draw(st.lists(st.sampled_from(PIECES), max_size=30)))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    ranges = list(zip(cuts[::2], cuts[1::2], strict=False))
    if draw(st.booleans()):  # sometimes a paragraph per line instead
        ranges = [(m.start(), m.end()) for m in __import__("re").finditer(r"[^\n]+", text)]
    if ranges and draw(st.booleans()):
        ranges.append(draw(st.sampled_from(ranges)))  # a paragraph twice: tokens out of text order
    return text, ranges


@settings(max_examples=400, deadline=None)
@given(paragraphed())
def test_property_sentences_equal_the_token_by_token_reference(case) -> None:
    from .reference import sentences as reference

    text, ranges = case
    assert _as_tuples(sentences(text, ranges)) == _as_tuples(reference(text, ranges))


@st.composite
def spans_over(draw):
    """A random text, its sentences, and random spans: on token edges or off them, inside one sentence or
    across two, overlapping or not."""
    text, ranges = draw(paragraphed())
    sents = sentences(text, ranges)
    tokens = [t for s in sents for t in s.tokens]
    edges = sorted({t.start for t in tokens} | {t.end for t in tokens} | {0, len(text)})
    spans = []
    for _ in range(draw(st.integers(0, 6))):
        if tokens and draw(st.booleans()):  # one on token edges: a run of tokens
            i = draw(st.integers(0, len(tokens) - 1))
            j = draw(st.integers(i, min(i + 3, len(tokens) - 1)))
            start, end = tokens[i].start, tokens[j].end
        else:
            start = draw(st.sampled_from(edges))
            end = draw(st.sampled_from(edges)) if draw(st.booleans()) else start + draw(st.integers(0, 3))
        spans.append((start, end, draw(st.sampled_from(schema.ENTITY_LABELS))))
    return sents, sorted(spans)


def _reference_tags(sents, spans) -> list[str] | type[Exception]:
    """The tags of every token by the per-sentence functions, or the kind of error they raise."""
    from coopnum.text.align import spans_by_sentence

    inside = spans_by_sentence(sents, spans)
    if sum(len(i) for i in inside) < len(spans):
        return ValueError  # a span no sentence holds whole
    try:
        return [tag for s, i in zip(sents, inside, strict=True) for tag in spans_to_iob2(s.tokens, i)]
    except AlignmentError:
        return AlignmentError


@settings(max_examples=600, deadline=None)
@given(spans_over())
def test_property_span_token_ranges_decide_as_the_per_sentence_functions(case) -> None:
    from coopnum.text.align import columns_of, span_token_ranges

    sents, spans = case
    expected = _reference_tags(sents, spans)
    columns = columns_of(sents)
    ranges = span_token_ranges(columns, spans)
    if not isinstance(expected, list):
        assert ranges is None
        return
    if not columns.increasing:  # a paragraph twice: no bisection; the caller runs the per-sentence functions
        assert ranges is None or not spans
        return
    assert ranges is not None
    tags = ["O"] * len(expected)
    for (_, _, label), first, last in zip(spans, *ranges, strict=True):
        tags[first : last + 1] = [f"B-{label}"] + [f"I-{label}"] * (last - first)
    assert tags == expected


def test_columns_of_all_sentences_are_the_shared_columns_and_of_some_a_copy() -> None:
    import pickle

    from coopnum.text.align import columns_of, token_columns

    text = "Premier paragraphe. Encore une phrase.\nSecond paragraphe ici."
    columns = token_columns(text, [(0, 38), (39, len(text))])
    sents = columns.sentences()
    assert len(sents) == 3 and columns_of(sents) is columns
    some = columns_of([sents[2], sents[0]])
    assert some is not columns
    assert some.texts == [t.text for s in (sents[2], sents[0]) for t in s.tokens]
    assert some.bounds.tolist() == [0, len(sents[2].tokens), len(sents[2].tokens) + len(sents[0].tokens)]
    assert columns_of([]).bounds.tolist() == [0]
    assert "texts" in vars(columns)  # made above, and not pickled
    copy = pickle.loads(pickle.dumps(columns))
    assert "texts" not in vars(copy) and copy.texts == columns.texts
    with pytest.raises(ValueError, match="different texts"):
        columns_of([sents[0], token_columns(text, [(0, 38)]).sentences()[0]])


def test_utf8_of_the_columns_is_the_tokens_in_utf8() -> None:
    from coopnum.text.align import token_columns

    text = "😀 l’Élysée à Zürich, « ça » ; ok\u00a0!"
    columns = token_columns(text, [(0, len(text))])
    data, lengths = columns.utf8()
    assert lengths.tolist() == [len(t.encode()) for t in columns.texts]
    assert data.tobytes() == "".join(columns.texts).encode()
