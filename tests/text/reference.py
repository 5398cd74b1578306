"""The token-by-token implementations the columnar ones replaced (coopnum 0.1.0's ``align.sentences`` and
``rows.sentence_rows``), kept as the references the tests compare the columns with."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from coopnum import schema
from coopnum.annotation.format import Span
from coopnum.errors import AlignmentError, AnnotationError
from coopnum.text import align
from coopnum.text.align import Token


class Sentence(NamedTuple):
    paragraph: int
    index: int
    tokens: tuple[Token, ...]

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end


def sentences(text: str, paragraphs: Sequence[tuple[int, int]]) -> list[Sentence]:
    """A spaCy ``Doc`` per paragraph, the sentencizer rule token by token, a :class:`Token` per token."""
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH

    tokenizer = align.french().tokenizer
    out: list[Sentence] = []
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        paragraph = text[p_start:p_end]
        doc = tokenizer(paragraph)
        idx, length, punct, space = doc.to_array([IDX, LENGTH, IS_PUNCT, IS_SPACE]).T.tolist()
        texts = [paragraph[a : a + n] for a, n in zip(idx, length, strict=True)]
        sent_start = align.sentencizer_starts(texts, punct)
        s_index = 0
        current: list[Token] = []
        for i in range(len(idx)):
            if i and sent_start[i] and idx[i] > idx[i - 1] + length[i - 1] and current:
                out.append(Sentence(p_index, s_index, tuple(current)))
                s_index += 1
                current = []
            if not space[i]:
                current.append(Token(texts[i], p_start + idx[i], p_start + idx[i] + length[i]))
        if current:
            out.append(Sentence(p_index, s_index, tuple(current)))
    return out


_FINE_ID = {t: i for i, t in enumerate(schema.FINE_NER_TAGS)}
_CONLL_ID_OF_FINE = {
    t: schema.CONLL_NER_TAGS.index(align.project([t], schema.CONLL_PROJECTION)[0]) for t in schema.FINE_NER_TAGS
}


def sentence_rows(
    doc_id: str,
    text: str,
    sents: Sequence[Sentence],
    entities: Iterable[Span],
    fold: int,
    annotation_id: str | None = None,
) -> list[dict[str, object]]:
    """A row dict per sentence, tags by ``spans_by_sentence`` and ``spans_to_iob2`` sentence by sentence."""
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
