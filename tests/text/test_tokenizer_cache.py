"""The two ways ``align`` makes spaCy's tokenizer faster give the tokens of a plain tokenizer that caches
nothing and tokenises one paragraph at a time: warming its cache chunk by chunk (``align.warm_cache``) and
one call for all the paragraphs of a text where ``align.one_call_is_exact`` says so."""

from __future__ import annotations

import functools
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopnum.text import align

from ..conftest import REPO
from .test_align import PIECES

# Pieces that meet the special cases (« M. », « aujourd'hui », « etc. », « 1er »), alone or behind an
# affix, and every kind of whitespace the tokenizer treats apart.
MORE = ["aujourd'hui", "(M.", "Mme", "etc.", "1er", "Dupont", "M.Peskov", "qu’il", " \n", "\n\n", "\t", "-"]


@functools.lru_cache(maxsize=1)
def plain_tokenizer():
    """A tokenizer with the same rules as ``align.french()``'s and no cache (``max_cache_size=0``)."""
    from spacy.tokenizer import Tokenizer

    t = align.french().tokenizer
    return Tokenizer(
        t.vocab,
        rules=t.rules,
        prefix_search=t.prefix_search,
        suffix_search=t.suffix_search,
        infix_finditer=t.infix_finditer,
        token_match=t.token_match,
        url_match=t.url_match,
        faster_heuristics=t.faster_heuristics,
        max_cache_size=0,
    )


def plain_rows(text: str, paragraphs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """``align._paragraph_tokens`` the plain way: a ``Doc`` per paragraph from the tokenizer without cache."""
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH

    parts = [
        plain_tokenizer()(text[a:b]).to_array([IDX, LENGTH, IS_PUNCT, IS_SPACE]).astype(np.int64) for a, b in paragraphs
    ]
    for part, (a, _) in zip(parts, paragraphs, strict=True):
        part[:, 0] += a
    rows = np.concatenate([np.zeros((0, 4), np.int64), *parts])
    return rows, np.array([len(p) for p in parts], dtype=np.int64)


def assert_plain(text: str, paragraphs: list[tuple[int, int]]) -> None:
    rows, counts = align._paragraph_tokens(text, paragraphs)
    expected_rows, expected_counts = plain_rows(text, paragraphs)
    assert rows.tolist() == expected_rows.tolist()
    assert counts.tolist() == expected_counts.tolist()


def lines(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"[^\n]+", text)]


def test_the_corpus_gets_the_plain_tokens_in_one_call() -> None:
    from coopnum.dataset.build import clean_corpus

    docs = clean_corpus(REPO / "corpus")
    for d in docs:
        assert align.one_call_is_exact(d.clean.text, d.paragraph_ranges), d.doc_id  # the path taken
        assert_plain(d.clean.text, d.paragraph_ranges)
    assert docs


def test_warming_caches_the_chunks_after_a_special_case() -> None:
    """A chunk after « M. » in one call is not cached by spaCy; tokenised alone it is, with its tokens."""
    text = "M. Zyxwvutsrqp (Qwertzuiop) a dit."
    chunk = "(Qwertzuiop)"
    assert chunk not in align._warmed
    align.warm_cache(text)
    assert chunk in align._warmed and "M." in align._warmed
    assert_plain(text, [(0, len(text))])


@pytest.mark.parametrize(
    "text,paragraphs",
    [
        ("Un. Deux", [(0, 3), (4, 8)]),  # one plain space between: the previous token's trailing space
        (" Un\nDeux", [(0, 3), (4, 8)]),  # a paragraph starting with whitespace
        ("Un\u00a0\nDeux", [(0, 3), (4, 8)]),  # ... or ending with it (a no-break space)
        ("Un\nDeux", [(3, 7), (0, 2)]),  # out of order
        ("Un\nDeux", [(0, 2), (2, 2), (3, 7)]),  # an empty paragraph
        ("Un\nx Deux", [(0, 2), (5, 9)]),  # something other than whitespace between
        ("Un\nDeux", [(0, 7)]),  # one paragraph: nothing to gain
    ],
)
def test_one_call_is_refused_where_it_could_differ(text: str, paragraphs: list[tuple[int, int]]) -> None:
    assert not align.one_call_is_exact(text, paragraphs)
    assert_plain(text, paragraphs)


def test_one_call_is_taken_between_paragraphs_with_a_line_break() -> None:
    text = "M. Dupont.\n(M. Durand)  \n\nAujourd'hui etc."
    paragraphs = [(0, 10), (11, 22), (26, 42)]
    assert align.one_call_is_exact(text, paragraphs)
    assert_plain(text, paragraphs)


@st.composite
def texts(draw):
    """A random text of pieces, cut into lines or at random places (in order, touching, empty or not)."""
    text = "".join(draw(st.lists(st.sampled_from(PIECES + MORE), max_size=40)))
    if draw(st.booleans()):
        return text, lines(text)
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=10)))
    return text, list(zip(cuts[::2], cuts[1::2], strict=False))


@settings(max_examples=500, deadline=None)
@given(texts())
def test_property_tokens_are_those_of_a_plain_tokenizer(case) -> None:
    text, paragraphs = case
    assert_plain(text, paragraphs)


def test_one_call_is_refused_for_a_paragraph_past_the_text() -> None:
    assert not align.one_call_is_exact("Un\nDeux", [(0, 2), (3, 9)])
    assert not align.one_call_is_exact("Un\nDeux", [(-2, 2), (3, 7)])
