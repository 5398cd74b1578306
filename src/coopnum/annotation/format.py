"""Annotations as data: the normalised, versioned JSON in ``annotations/``.

One file per document, ``annotations/labelstudio/<doc_id>.json``, written by
``coopnum ls pull`` and read by the build. Offsets are half-open Python string
indices (code points) into the document's clean ``text``; ``text_sha256`` says
which text they were made on, so a changed text makes them stale instead of
silently wrong. Annotators appear only as pseudonymous ids.

Everything here is structural: a file that does not parse as this format is an
:class:`~coopnum.errors.AnnotationError` naming file, document, annotation and
field. Checks against the text (offsets, paragraph counts, staleness) and across the corpus are
named checks in :mod:`coopnum.quality`, which the build and ``validate`` share.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from coopnum import schema
from coopnum.errors import AnnotationError
from coopnum.util import jsonio

FORMAT = "coopnum-annotations/1"
SUBDIR = "labelstudio"


@dataclass(frozen=True, order=True)
class Span:
    """An entity mention: ``text[start:end] == self.text``, half-open code-point offsets."""

    start: int
    end: int
    label: str
    text: str


@dataclass(frozen=True)
class Annotation:
    id: str  # stable within the project, e.g. "ls-417"
    annotator: str  # pseudonymous id, never an email or a name
    ground_truth: bool  # the adjudicated gold
    created_at: str | None
    updated_at: str | None
    entities: tuple[Span, ...]
    paragraph_stances: tuple[str | None, ...]  # one per paragraph of the clean text
    stance: str | None  # document stance
    topics: tuple[str, ...]

    @property
    def choice_count(self) -> int:
        return sum(s is not None for s in self.paragraph_stances) + (self.stance is not None) + len(self.topics)


@dataclass(frozen=True)
class Prediction:
    """A model's pre-annotation, kept apart from human (or annotator) work."""

    model_version: str
    entities: tuple[Span, ...]


@dataclass(frozen=True)
class DocumentAnnotations:
    doc_id: str
    text_sha256: str
    annotations: tuple[Annotation, ...] = ()
    predictions: tuple[Prediction, ...] = ()
    task_id: int | None = None  # the Label Studio task it came from, for the record
    stale_tasks: tuple[int, ...] = field(default=())  # older tasks of this document (texts that changed)

    def gold_or_none(self) -> Annotation | None:
        """The first ground-truth annotation, if any (no error when there are several)."""
        return next((a for a in self.annotations if a.ground_truth), None)

    def gold(self) -> Annotation | None:
        """The ground-truth annotation; two are an error (Label Studio allows one per task)."""
        gold = [a for a in self.annotations if a.ground_truth]
        if len(gold) > 1:
            raise AnnotationError(
                f"{len(gold)} annotations are marked ground truth",
                doc_id=self.doc_id,
                annotation=", ".join(a.id for a in gold),
                field="ground_truth",
            )
        return gold[0] if gold else None


@dataclass(frozen=True)
class Counts:
    documents: int = 0
    annotations: int = 0
    spans: int = 0
    choices: int = 0
    predictions: int = 0
    predicted_spans: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True)))

    def as_tuple(self) -> tuple[int, ...]:
        return (self.documents, self.annotations, self.spans, self.choices, self.predictions, self.predicted_spans)

    def as_dict(self) -> dict[str, int]:
        names = ("documents", "annotations", "spans", "choices", "predictions", "predicted_spans")
        return dict(zip(names, self.as_tuple(), strict=True))


def count(docs: Iterable[DocumentAnnotations]) -> Counts:
    total = Counts()
    for d in docs:
        total += Counts(
            1,
            len(d.annotations),
            sum(len(a.entities) for a in d.annotations),
            sum(a.choice_count for a in d.annotations),
            len(d.predictions),
            sum(len(p.entities) for p in d.predictions),
        )
    return total


# ------------------------------------------------------------------ JSON


def span_to_json(s: Span) -> dict[str, object]:
    return {"start": s.start, "end": s.end, "label": s.label, "text": s.text}


def to_json(doc: DocumentAnnotations) -> dict[str, object]:
    return {
        "format": FORMAT,
        "doc_id": doc.doc_id,
        "text_sha256": doc.text_sha256,
        "task_id": doc.task_id,
        "stale_tasks": list(doc.stale_tasks),
        "annotations": [
            {
                "id": a.id,
                "annotator": a.annotator,
                "ground_truth": a.ground_truth,
                "created_at": a.created_at,
                "updated_at": a.updated_at,
                "entities": [span_to_json(s) for s in sorted(a.entities)],
                "paragraph_stances": list(a.paragraph_stances),
                "stance": a.stance,
                "topics": sorted(a.topics, key=schema.TOPIC_LABELS.index),
            }
            for a in sorted(doc.annotations, key=lambda a: a.id)
        ],
        "predictions": [
            {"model_version": p.model_version, "entities": [span_to_json(s) for s in sorted(p.entities)]}
            for p in sorted(doc.predictions, key=lambda p: p.model_version)
        ],
    }


def dumps(doc: DocumentAnnotations) -> str:
    """Deterministic JSON: same annotations, same bytes."""
    return json.dumps(to_json(doc), ensure_ascii=False, indent=1, sort_keys=False) + "\n"


class _Reader:
    """Typed access to a parsed JSON object that names where a bad value is."""

    def __init__(self, file: str, doc_id: str | None = None, annotation: str | None = None) -> None:
        self.file, self.doc_id, self.annotation = file, doc_id, annotation

    def fail(self, message: str, field: str) -> AnnotationError:
        return AnnotationError(message, file=self.file, doc_id=self.doc_id, annotation=self.annotation, field=field)

    def get(self, obj: Mapping[str, object], key: str, kind: type | tuple[type, ...], *, nullable: bool = False):
        if not isinstance(obj, Mapping):
            raise self.fail(f"expected a JSON object, got {type(obj).__name__}", key)
        if key not in obj:
            raise self.fail(f"missing field {key!r}", key)
        value = obj[key]
        if value is None and nullable:
            return None
        # bool is an int in Python; an offset of `true` is still wrong
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise self.fail(f"{key} must be {_kind_name(kind)}, got {value!r}", key)
        if not isinstance(value, kind):
            raise self.fail(f"{key} must be {_kind_name(kind)}, got {value!r}", key)
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(f"{key} must be finite, got {value!r}", key)
        return value

    def span(self, obj: object, where: str) -> Span:
        start = self.get(obj, "start", int)  # type: ignore[arg-type]
        end = self.get(obj, "end", int)  # type: ignore[arg-type]
        label = self.get(obj, "label", str)  # type: ignore[arg-type]
        text = self.get(obj, "text", str)  # type: ignore[arg-type]
        if label not in schema.ENTITY_LABELS:
            raise self.fail(f"unknown entity label {label!r} in {where}", "label")
        if not 0 <= start < end:
            raise self.fail(f"span offsets [{start}, {end}) in {where} are negative or reversed", "start")
        return Span(start, end, label, text)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {int: "an integer", str: "a string", bool: "true or false", list: "a list", dict: "an object"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def from_json(obj: object, file: str) -> DocumentAnnotations:
    r = _Reader(file)
    if not isinstance(obj, dict):
        raise r.fail(f"expected a JSON object, got {type(obj).__name__}", "format")
    fmt = r.get(obj, "format", str)
    if fmt != FORMAT:
        raise r.fail(f"format is {fmt!r}, expected {FORMAT!r}", "format")
    doc_id = r.get(obj, "doc_id", str)
    r.doc_id = doc_id
    text_sha256 = r.get(obj, "text_sha256", str)
    if len(text_sha256) != 64 or any(c not in "0123456789abcdef" for c in text_sha256):
        raise r.fail(f"text_sha256 {text_sha256!r} is not a SHA-256 hex digest", "text_sha256")
    task_id = r.get(obj, "task_id", int, nullable=True)
    stale = r.get(obj, "stale_tasks", list)
    annotations = []
    seen: set[str] = set()
    for raw in r.get(obj, "annotations", list):
        ar = _Reader(file, doc_id)
        ann_id = ar.get(raw, "id", str)
        ar.annotation = ann_id
        if ann_id in seen:
            raise ar.fail(f"duplicate annotation id {ann_id!r}", "id")
        seen.add(ann_id)
        stances = ar.get(raw, "paragraph_stances", list)
        for i, s in enumerate(stances):
            if s is not None and s not in schema.STANCE_LABELS:
                raise ar.fail(f"unknown stance {s!r} for paragraph {i}", "paragraph_stances")
        stance = ar.get(raw, "stance", str, nullable=True)
        if stance is not None and stance not in schema.STANCE_LABELS:
            raise ar.fail(f"unknown stance {stance!r}", "stance")
        topics = ar.get(raw, "topics", list)
        for t in topics:
            if t not in schema.TOPIC_LABELS:
                raise ar.fail(f"unknown topic {t!r}", "topics")
        if len(set(topics)) != len(topics):
            raise ar.fail("a topic is listed twice", "topics")
        annotations.append(
            Annotation(
                id=ann_id,
                annotator=ar.get(raw, "annotator", str),
                ground_truth=ar.get(raw, "ground_truth", bool),
                created_at=ar.get(raw, "created_at", str, nullable=True),
                updated_at=ar.get(raw, "updated_at", str, nullable=True),
                entities=tuple(ar.span(s, f"annotation {ann_id}") for s in ar.get(raw, "entities", list)),
                paragraph_stances=tuple(stances),
                stance=stance,
                topics=tuple(topics),
            )
        )
    predictions = []
    for raw in r.get(obj, "predictions", list):
        pr = _Reader(file, doc_id)
        version = pr.get(raw, "model_version", str)
        pr.annotation = f"prediction {version}"
        predictions.append(
            Prediction(version, tuple(pr.span(s, f"prediction {version}") for s in pr.get(raw, "entities", list)))
        )
    return DocumentAnnotations(doc_id, text_sha256, tuple(annotations), tuple(predictions), task_id, tuple(stale))


def load_file(path: Path) -> DocumentAnnotations:
    obj = jsonio.read_json(path, AnnotationError, "annotation file")
    doc = from_json(obj, str(path))
    if path.stem != doc.doc_id:
        raise AnnotationError(
            f"file is named {path.name} but holds document {doc.doc_id!r}",
            file=str(path),
            doc_id=doc.doc_id,
            field="doc_id",
        )
    return doc


def load_all(annotations_dir: Path) -> dict[str, DocumentAnnotations]:
    """Every ``annotations/labelstudio/<doc_id>.json``, by doc id (empty when there are none)."""
    folder = annotations_dir / SUBDIR
    if not folder.is_dir():
        return {}
    return {d.doc_id: d for d in (load_file(p) for p in sorted(folder.glob("*.json")))}


# ------------------------------------------------------------------ against the text
