"""A small learned veto: a logistic regression over a line's shape that removes, after every
rule, a kept line it is confident is page furniture.

The rules are fitted set by set and miss the furniture an unseen outlet words its own way; a
line's shape (length, final punctuation, separators, capitals, figures, dates, addresses,
where it lies relative to the article's prose) carries over better. The model is trained on
the hand-made cleaning fixtures by ``benchmarks/line_model.py``, which writes its weights to
:mod:`~coopnum.corpus.line_weights` (data in a generated module, committed, so that the build
hashes it with the code) and prints its leave-one-set-out figures: trained without a set,
applied on top of the cleaner that first met that set.

It only ever removes, and only a line that is not prose (alone or as part of a wrapped paragraph),
not the title, not a short line that prose follows inside the article (a subheading), not part of
a fact box, and not a statement after the last prose line (an article's short last sentence), with
a probability of furniture of at
least the committed threshold. Inference is a dot product in Python floats over weights
stored as decimals, so the same line gives the same decision on every machine. Its features
are those of the line and of its region (header, body, footer), which cleaning the clean text
again leaves as they were, so cleaning stays idempotent.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from coopnum.corpus import line_weights
from coopnum.corpus.dates import parse_date
from coopnum.corpus.features import (
    QUESTION_END,
    SENTENCE_END,
    is_headline_like,
    is_prose,
    without_end_pictograms,
    words,
)
from coopnum.corpus.item_runs import list_runs
from coopnum.corpus.lines import SIGNED, Line

RULE = "line_model"
REGIONS = ("header", "body", "footer")

_SEPARATOR = re.compile(r"\s[|¦•·›»>]\s|\s[—–]\s|\s{3,}|\t")
_TIME = re.compile(r"\d{1,2}\s?[:h]\s?\d{2}")
_READER = re.compile(r"(?<!rendez-)\b(?:vous|votre|vos)\b|-nous\b|-vous\b(?<!rendez-vous)", re.IGNORECASE)
_QUOTE = re.compile(r"[«»“”\"]")
_ADDRESS = re.compile(r"@|https?://|www\.")
_PICTOGRAM = re.compile("^[\U0001f300-\U0001faff\u2600-\u27bf]")
# a dash or a bullet opens a list item, and a year and a colon a timeline's (« 2022 : départ des … »)
_LIST_ITEM = re.compile(r"^(?:[-–—•▪·*]|\d{4}\s?:\s)")
_STATEMENT = re.compile(r"(?:[.…][\"»”’')\]]*|[»”;])$")  # as the footer rule reads a statement's end
_BY = re.compile(r"^par\s", re.IGNORECASE)

FEATURES: tuple[str, ...] = (
    "words<=2",
    "words 3-5",
    "words 6-11",
    "words 12-39",
    "words>=40",
    "log words",
    "headline-like",
    "ends a sentence",
    "ends with ?",
    "ends with an ellipsis",
    "ends with :",
    "has a separator",
    "separators (of 5)",
    "capitalised words share",
    "all capitals",
    "figures share",
    "states a date",
    "states a time",
    "addresses the reader",
    "has quotes",
    "has ©",
    "has an address",
    "opens with a pictogram",
    "opens with | [ (",
    "opens with « Par »",
    "in the header",
    "in the footer",
    "in the body",
    "has a colon",
)


def line_features(t: str, region: str) -> list[float]:
    """The features of one normalised line in its region, in :data:`FEATURES` order."""
    n = words(t)
    lettered = [w for w in t.split() if w[:1].isalpha()]
    separators = len(_SEPARATOR.findall(t))
    values = (
        n <= 2,
        3 <= n <= 5,
        6 <= n <= 11,
        12 <= n <= 39,
        n >= 40,
        math.log1p(n),
        is_headline_like(t),
        bool(SENTENCE_END.search(t)),
        t.endswith("?"),
        t.endswith(("…", "...")),
        t.endswith(":"),
        separators > 0,
        min(separators, 5) / 5,
        sum(w[0].isupper() for w in lettered) / max(1, len(lettered)),
        t.isupper() and len(t) > 3,
        sum(c.isdigit() for c in t) / max(1, len(t)),
        parse_date(t) is not None,
        bool(_TIME.search(t)),
        bool(_READER.search(t)),
        bool(_QUOTE.search(t)),
        "©" in t,
        bool(_ADDRESS.search(t)),
        bool(_PICTOGRAM.match(t)),
        t[:1] in "|[(",
        bool(_BY.match(t)),
        region == "header",
        region == "footer",
        region == "body",
        ":" in t,
    )
    return [float(v) for v in values]


def regions(texts: Sequence[str], prose_flags: Sequence[bool] | None = None) -> list[str]:
    """Each line's region: before the first prose line, after the last, or between."""
    flags = prose_flags if prose_flags is not None else [is_prose(t) for t in texts]
    prose = [i for i, p in enumerate(flags) if p]
    first, last = (prose[0], prose[-1]) if prose else (len(texts), -1)
    return ["header" if i < first else "footer" if i > last else "body" for i in range(len(texts))]


@dataclass(frozen=True)
class LineModel:
    coefficients: tuple[float, ...]
    intercept: float
    threshold: float  # the probability of furniture from which a line is removed

    def furniture_probability(self, t: str, region: str) -> float:
        z = self.intercept + math.fsum(c * x for c, x in zip(self.coefficients, line_features(t, region), strict=True))
        return 1.0 / (1.0 + math.exp(-z))


@cache
def committed_model() -> LineModel:
    """The committed weights (:mod:`~coopnum.corpus.line_weights`), checked against :data:`FEATURES`."""
    weights: object = line_weights.COEFFICIENTS
    if not isinstance(weights, dict) or tuple(weights) != FEATURES:
        raise ValueError(
            "coopnum/corpus/line_weights.py does not fit the features: run benchmarks/line_model.py --write"
        )
    return LineModel(tuple(float(w) for w in weights.values()), line_weights.INTERCEPT, line_weights.THRESHOLD)


def is_furniture(t: str, region: str) -> bool:
    """Whether the committed model is confident that ``t`` is furniture in ``region``."""
    model = committed_model()
    return model.furniture_probability(t, region) >= model.threshold


# An interview's speaker label: a name in capitals, or a name and a colon, after a sign at most (« ◆ NAME »).
_SPEAKER = re.compile(r"^[^\w«]*(?:[A-ZÀ-Ý][A-ZÀ-Ý'’ .-]{1,40}|[A-ZÀ-Ý][\w'’ .-]{1,40}:)$")


def veto_furniture(lines: list[Line], title_line: Line | None, model: LineModel | None = None) -> None:
    """Remove the open lines the model is confident are furniture (see the module docstring)."""
    model = model or committed_model()
    open_lines = [ln for ln in lines if ln.open and ln.action != "blank"]
    texts = [ln.current for ln in open_lines]
    prose = [ln.wrapped or is_prose(t) for ln, t in zip(open_lines, texts, strict=True)]
    where = regions(texts, prose)
    in_lists = list_runs(texts)
    for i, ln in enumerate(open_lines):
        t = texts[i]
        if ln is title_line or prose[i] or ln.box:
            continue
        if where[i] == "body" and i in in_lists:
            continue  # an item of the article's own list, or its heading (corpus.item_runs)
        if where[i] == "body" and i + 1 < len(texts) and prose[i + 1]:
            continue  # a subheading or a lead-in: the article goes on under it
        if where[i] == "body" and _SPEAKER.match(t) and i + 1 < len(texts) and QUESTION_END.search(texts[i + 1]):
            continue  # an interview's speaker label (« ◆ NAME ») over the question it asks
        if where[i] == "body" and i + 1 < len(texts) and _LIST_ITEM.match(texts[i + 1]):
            continue  # a heading over a list inside the article (« Trois chiffres » above « – 12 millions … »)
        if where[i] == "footer" and _STATEMENT.search(without_end_pictograms(t)):
            continue  # an article often ends on a short sentence (« Affaire à suivre. »)
        if i == len(texts) - 1 and i and prose[i - 1] and SIGNED.match(t):
            continue  # the article's signature under its last paragraph
        if model.furniture_probability(t, where[i]) >= model.threshold:
            ln.decide("removed", RULE)
