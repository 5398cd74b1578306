"""One corpus document on its way through the pipeline: its source record, clean text, split and
fold, and (once annotated) its annotations."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from coopnum.annotation.format import Annotation, DocumentAnnotations
from coopnum.corpus.document import CleanDocument
from coopnum.corpus.sources import Source
from coopnum.text import align


@dataclass(frozen=True)
class Document:
    source: Source
    clean: CleanDocument
    split: str
    fold: int
    annotations: DocumentAnnotations | None = None

    @property
    def doc_id(self) -> str:
        return self.source.doc_id

    @property
    def paragraph_ranges(self) -> list[tuple[int, int]]:
        return [(p.start, p.end) for p in self.clean.paragraphs]

    @property
    def gold(self) -> Annotation | None:
        return self.annotations.gold() if self.annotations else None

    @functools.cached_property
    def sentences(self) -> list[align.Sentence]:
        """The tokenised sentences, computed once per document (the ner rows and the validator share them)."""
        return align.sentences(self.clean.text, self.paragraph_ranges)
