"""Pre-annotation: spaCy ``fr_core_news_md`` entities as Label Studio predictions.

The model runs on each paragraph alone, so no entity crosses a paragraph (a
task's entity regions live in one paragraph). Its labels map onto the schema's;
it has no ``EVENT`` (forums and fairs come out as ``MISC`` or ``ORG``, for the
annotator to fix). Predictions stay predictions: ``pull`` keeps them apart from
annotations.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from coopnum import schema
from coopnum.annotation.format import Span
from coopnum.errors import CoopnumError

if TYPE_CHECKING:
    from spacy.language import Language

MODEL = "fr_core_news_md"
# spaCy's WikiNER labels → schema labels.
LABEL_MAP: dict[str, str] = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}
assert set(LABEL_MAP.values()) <= set(schema.ENTITY_LABELS)


@functools.cache
def load_model() -> Language:
    """The installed model package (a PyPI wheel: nothing is downloaded at run time)."""
    import spacy

    try:
        return spacy.load(MODEL, exclude=["parser", "lemmatizer", "morphologizer", "attribute_ruler"])
    except OSError as e:
        raise CoopnumError(f"spaCy model {MODEL} is not installed: run bash scripts/setup ({e})") from None


def model_version(nlp: Language) -> str:
    """Name and version of the model, as recorded in each prediction: ``fr_core_news_md-3.8.0``."""
    return f"{nlp.meta['lang']}_{nlp.meta['name']}-{nlp.meta['version']}"


def predict(nlp: Language, paragraphs: Iterable[Sequence[tuple[str, int]]]) -> list[tuple[Span, ...]]:
    """Entities per document; each document given as ``(paragraph text, offset in the clean text)`` pairs.

    Returned offsets are code points into the clean text.
    """
    docs = [list(d) for d in paragraphs]
    flat = [p for d in docs for p in d]
    spans_of_paragraph = []
    for (_, start), doc in zip(flat, nlp.pipe(t for t, _ in flat), strict=True):
        spans = []
        for ent in doc.ents:
            if ent.label_ not in LABEL_MAP:
                raise CoopnumError(f"{MODEL} produced label {ent.label_!r}, which LABEL_MAP does not map")
            spans.append(Span(start + ent.start_char, start + ent.end_char, LABEL_MAP[ent.label_], ent.text))
        spans_of_paragraph.append(spans)
    out, k = [], 0
    for d in docs:
        out.append(tuple(s for para in spans_of_paragraph[k : k + len(d)] for s in para))
        k += len(d)
    return out
