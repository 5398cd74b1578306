"""Who or what made each annotation layer: ``annotations/annotators.json``.

Written by people (it describes people or machines), read by the build for the
card and the datasheet. Every pseudonymous annotator id that appears in an
annotation must be described here, so no layer is published without saying
who or what produced it. Each id has one role, and only an ``adjudicator``'s
annotation can be the gold (checked by :mod:`coopnum.quality.checks`, with the
ids' pseudonym pattern).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from coopnum.errors import AnnotationError
from coopnum.util import jsonio

_T = TypeVar("_T")

FILE = "annotators.json"
ROLES = ("annotator", "adjudicator")
# The hub's annotations_creators vocabulary.
CARD_CREATORS = ("crowdsourced", "expert-generated", "found", "machine-generated", "no-annotation", "other")


@dataclass(frozen=True)
class Annotator:
    id: str
    role: str
    kind: str  # who or what: "person", "language-model helper session", ...
    method: str  # how: from scratch, from pre-annotations, adjudication of …


@dataclass(frozen=True)
class Provenance:
    guidelines_version: str
    summary: str
    annotators: tuple[Annotator, ...]
    card_creators: list[str]

    def describes(self, annotator_id: str) -> bool:
        return any(a.id == annotator_id for a in self.annotators)

    def roles_of(self, annotator_id: str) -> list[str]:
        """The roles annotators.json gives ``annotator_id``, sorted (one, for a valid file)."""
        return sorted({a.role for a in self.annotators if a.id == annotator_id})


def load(annotations_dir: Path) -> Provenance | None:
    path = annotations_dir / FILE
    if not path.exists():  # a folder or a FIFO of that name is refused by the reader, not ignored
        return None
    where = str(path)
    obj = jsonio.read_json(path, AnnotationError, "annotators file")

    def need(o: object, key: str, kind: type[_T]) -> _T:
        if not isinstance(o, dict) or not isinstance(o.get(key), kind):
            raise AnnotationError(f"{key} must be a {kind.__name__}", file=where, field=key)
        return o[key]

    annotators = []
    for a in need(obj, "annotators", list):
        annotator = Annotator(*(str(need(a, k, str)) for k in ("id", "role", "kind", "method")))
        if annotator.role not in ROLES:
            raise AnnotationError(f"role {annotator.role!r} is not one of {ROLES}", file=where, field="role")
        annotators.append(annotator)
    creators = [str(c) for c in need(obj, "card_creators", list)]
    for c in creators:
        if c not in CARD_CREATORS:
            raise AnnotationError(
                f"card_creators value {c!r} is not one of {CARD_CREATORS}", file=where, field="card_creators"
            )
    return Provenance(
        str(need(obj, "guidelines_version", str)), str(need(obj, "summary", str)), tuple(annotators), creators
    )
