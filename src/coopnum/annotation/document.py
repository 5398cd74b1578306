"""One corpus document on its way through the pipeline: its source record, clean text, split and
fold, and (once annotated) its annotations."""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

from coopnum.annotation.format import Annotation, DocumentAnnotations
from coopnum.corpus.document import CleanDocument
from coopnum.corpus.sources import Source
from coopnum.text import align

# A document's stage, in pipeline order; `documents` holds every stage, the annotated configs
# (`ner`, `stance`, `stance_document`, `topic`, `annotator_labels`) only ADJUDICATED ones.
CLEANED, STALE, PASSES, ADJUDICATED = "cleaned", "stale", "passes", "adjudicated"
STAGES = (CLEANED, STALE, PASSES, ADJUDICATED)


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

    @property
    def stage(self) -> str:
        """``cleaned`` (no annotation yet), ``stale`` (annotated on a text that has changed since),
        ``passes`` (annotated, no gold yet) or ``adjudicated``."""
        if self.annotations is None:
            return CLEANED
        if self.annotations.text_sha256 != self.clean.text_sha256:
            return STALE
        return ADJUDICATED if self.gold is not None else PASSES

    @property
    def adjudicated(self) -> bool:
        return self.stage == ADJUDICATED

    @functools.cached_property
    def sentences(self) -> list[align.Sentence]:
        """The tokenised sentences, computed once per document (the ner rows and the validator share them)."""
        return align.sentences(self.clean.text, self.paragraph_ranges)

    @property
    def tokenised(self) -> bool:
        """Whether :attr:`sentences` has been computed (or given) for this object."""
        return "sentences" in self.__dict__

    def give_sentences(self, sentences: list[align.Sentence]) -> None:
        """Set :attr:`sentences` to tokens computed elsewhere (the build's cache) for this same clean text
        and paragraphs, so they are not computed again. Writing the cached property's slot is the one
        mutation of this frozen object, as ``functools.cached_property`` itself does."""
        self.__dict__["sentences"] = sentences

    def with_annotations(self, annotations: DocumentAnnotations | None) -> Document:
        """The same document with other annotations; its tokens, when computed, go with it (same text)."""
        other = replace(self, annotations=annotations)
        if self.tokenised:
            other.give_sentences(self.sentences)
        return other
