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
import sys
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
    """The language of ``text`` (the clean text of one article).

    One pass of lingua's models, not two: ``compute_language_confidence_values`` ranks every language,
    and the most likely one is lingua's ``detect_language_of`` answer, which is that ranking's first
    language unless the first two tie (lingua then says none; our detector keeps lingua's default
    minimum relative distance, 0). ``tests/corpus/test_intake.py`` checks the two agree."""
    values = _detector().compute_language_confidence_values(text)
    tied = len(values) > 1 and abs(values[0].value - values[1].value) < sys.float_info.epsilon
    found = values[0].language if values and not tied else None
    code = found.iso_code_639_1.name.lower() if found is not None else None
    french = next((v.value for v in values if v.language == Language.FRENCH), 0.0)
    return Detected(code, french)


def is_french(text: str) -> bool:
    return detect(text).french
