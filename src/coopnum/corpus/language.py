"""Which language an article is written in: ``lingua-language-detector`` over its clean text.

The detector considers every language lingua knows (its n-gram models ship in the PyPI wheel, so
nothing is downloaded) and is built once per process. :func:`is_french` accepts a text whose most
likely language is French; the confidence lingua gives French goes into the refusal, so a person
can judge a mixed text. The figures measured on the seeds, the cleaning fixtures and the non-French
texts of ``tests/fixtures/growth/`` are in the README (*Adding articles*) and are re-measured by
``tests/corpus/test_language.py``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

FRENCH = "fr"


@dataclass(frozen=True)
class Detected:
    """The most likely language (ISO 639-1, or None when lingua cannot tell) and French's confidence."""

    language: str | None
    french_confidence: float

    @property
    def french(self) -> bool:
        return self.language == FRENCH


@functools.cache
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_all_languages().build()


def detect(text: str) -> Detected:
    """The language of ``text`` (the clean text of one article)."""
    detector = _detector()
    found = detector.detect_language_of(text)
    code = found.iso_code_639_1.name.lower() if found is not None else None
    return Detected(code, detector.compute_language_confidence(text, Language.FRENCH))


def is_french(text: str) -> bool:
    return detect(text).french
