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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, cast

from coopnum.errors import AlignmentError

if TYPE_CHECKING:  # spaCy is imported when first used: loading it takes seconds
    from spacy.language import Language


class Token(NamedTuple):  # a tuple: documents have thousands, made in the build's inner loop
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    paragraph: int
    index: int  # sentence number inside the paragraph
    tokens: tuple[Token, ...]

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end


# The one addition to spaCy's French rules: a civility title glued to a capitalised name
# (« a ajouté M.Peskov ») is split off, so that the name can be an entity without the title.
GLUED_TITLE_PREFIX = r"(?:M|MM|Mme|Mmes|Mlle|Dr|Pr|Me)\.(?=[A-ZÀ-Ý])"


@functools.lru_cache(maxsize=1)
def french() -> Language:
    """spaCy's blank French pipeline (plus :data:`GLUED_TITLE_PREFIX`) and a rule-based
    sentencizer, loaded once per process."""
    import spacy
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_prefix_regex

    nlp = spacy.blank("fr")
    # spaCy types these loosely (any callable, optional rules); blank("fr") makes its rule tokenizer and prefixes
    assert isinstance(nlp.tokenizer, Tokenizer) and nlp.Defaults.prefixes is not None
    prefixes = [*nlp.Defaults.prefixes, GLUED_TITLE_PREFIX]
    nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    nlp.add_pipe("sentencizer")
    return nlp


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


def sentences(text: str, paragraphs: Sequence[tuple[int, int]]) -> list[Sentence]:
    """Tokenised sentences of ``text``, paragraph by paragraph; whitespace tokens dropped.

    Sentence starts come from spaCy's sentencizer rule (:func:`sentencizer_starts`), except that a
    sentence never starts right after a token with no space before it (« Cargo.Tech », « moving.mos »)."""
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH

    tokenizer = french().tokenizer
    out: list[Sentence] = []
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        paragraph = text[p_start:p_end]
        doc = tokenizer(paragraph)
        # Columns instead of spaCy Token objects: the same attributes, without an object per token.
        # (spaCy's stub says to_array gives floats; it gives uint64 attribute values, so lists of int)
        columns = cast("list[list[int]]", doc.to_array([IDX, LENGTH, IS_PUNCT, IS_SPACE]).T.tolist())
        idx, length, punct, space = columns
        texts = [paragraph[a : a + n] for a, n in zip(idx, length, strict=True)]
        sent_start = sentencizer_starts(texts, punct)
        s_index = 0
        current: list[Token] = []
        for i in range(len(idx)):
            # A sentence never starts inside a written word: « Cargo.Tech » is one name, not two sentences.
            # (The previous token has trailing whitespace exactly when a gap separates it from this one.)
            if i and sent_start[i] and idx[i] > idx[i - 1] + length[i - 1] and current:
                out.append(Sentence(p_index, s_index, tuple(current)))
                s_index += 1
                current = []
            if not space[i]:
                current.append(Token(texts[i], p_start + idx[i], p_start + idx[i] + length[i]))
        if current:
            out.append(Sentence(p_index, s_index, tuple(current)))
    return out


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
