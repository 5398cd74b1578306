"""Label Studio tasks and results ↔ coopnum documents and annotations, one document at a time.

Pure functions: no network, files or clock. A task shows a clean document as
its paragraphs (data ``paragraphs[i].text``, with ``para_offsets[i]`` the
half-open code-point range of paragraph ``i`` in the clean text). Entity
results are relative to their paragraph, in Label Studio's offset unit; the
conversion to and from clean-text code points goes through
:class:`coopnum.labelstudio.offsets.LabelStudioOffsets` and nowhere else.

Label Studio stores any result it is sent (it validates nothing but the JSON
shape), so :func:`parse_result` checks every result item against the labeling
config's controls and reports each problem by task, annotation and field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from coopnum.annotation.format import Annotation, Span
from coopnum.corpus.document import CleanDocument
from coopnum.labelstudio import config as lsconfig
from coopnum.labelstudio.offsets import LabelStudioOffsets, OffsetError

STALE_NOTICE = "STALE: the clean text of this document changed; annotate its newer task instead."


@dataclass(frozen=True)
class Problem:
    """One invalid value in what Label Studio returned."""

    task: int
    annotation: str  # "ls-17", "prediction 3", or "-" for the task itself
    field: str
    message: str
    annotator: str = "-"  # the pseudonym of the annotation's author, when known

    def __str__(self) -> str:
        by = f", by {self.annotator}" if self.annotator != "-" else ""
        return f"task {self.task}, annotation {self.annotation}, field {self.field}{by}: {self.message}"


class TaskDataError(ValueError):
    """Task data that is not what :func:`task_data` writes."""


@dataclass(frozen=True)
class TaskText:
    """What a task shows: the document's paragraphs and where they sit in the clean text."""

    doc_id: str
    text_sha256: str
    paragraphs: tuple[str, ...]
    para_offsets: tuple[tuple[int, int], ...]
    stale: bool = False

    def offsets(self, i: int) -> LabelStudioOffsets:
        return LabelStudioOffsets(self.paragraphs[i])


def task_data(doc: CleanDocument, assigned: Sequence[int] = ()) -> dict[str, object]:
    """The ``data`` of the task for ``doc``: keyed by ``doc_id`` and ``text_sha256``.

    ``assigned``: the Label Studio user ids of the annotators of its two passes (``coopnum ls push
    --annotators``), kept as ``"|12|15|"`` so that a data manager filter "contains |12|" lists a user's tasks.
    """
    data: dict[str, object] = {
        "doc_id": doc.doc_id,
        "text_sha256": doc.text_sha256,
        "title": doc.title or "",  # a column in the data manager
        "notice": "",  # shown on top of the task; the config needs the key in every task
        "stale": False,
        "paragraphs": [_paragraph(doc, i) for i in range(len(doc.paragraphs))],
        "para_offsets": [[p.start, p.end] for p in doc.paragraphs],
    }
    if assigned:
        data["assigned"] = "|" + "|".join(str(u) for u in assigned) + "|"
    return data


def _paragraph(doc: CleanDocument, i: int) -> dict[str, str]:
    """Paragraph ``i`` as the task shows it: its text, its number from 1, and the mark shown while it has no stance."""
    p = doc.paragraphs[i]
    number = f"¶ {i + 1} of {len(doc.paragraphs)}" + (" · title" if p.kind == "title" else "")
    return {
        "text": doc.text[p.start : p.end],
        "number": number,
        "missing": f"¶ {i + 1}: no stance yet (choose one above)",
    }


def stale_data(data: Mapping[str, object]) -> dict[str, object]:
    """``data`` marked stale: shown to annotators, skipped by pull's current-task choice."""
    return {**data, "stale": True, "notice": STALE_NOTICE}


def task_text(data: Mapping[str, Any]) -> TaskText:
    """Read back what :func:`task_data` wrote; :class:`TaskDataError` names the bad key."""
    # ``data`` is JSON of unchecked shape (hence Any): a wrong shape raises the errors caught here.
    try:
        doc_id, sha = data["doc_id"], data["text_sha256"]
        paragraphs = tuple(p["text"] for p in data["paragraphs"])
        offsets = tuple((int(s), int(e)) for s, e in data["para_offsets"])
    except (KeyError, TypeError, ValueError) as e:
        raise TaskDataError(f"task data is not a coopnum document ({type(e).__name__}: {e})") from None
    if not isinstance(doc_id, str) or not isinstance(sha, str) or not all(isinstance(p, str) for p in paragraphs):
        raise TaskDataError("doc_id, text_sha256 and paragraph texts must be strings")
    if len(paragraphs) != len(offsets) or any(e - s != len(p) for p, (s, e) in zip(paragraphs, offsets, strict=True)):
        raise TaskDataError("para_offsets do not match the paragraph texts")
    return TaskText(doc_id, sha, paragraphs, offsets, bool(data.get("stale", False)))


# ------------------------------------------------------------------ coopnum → Label Studio


def spans_to_result(spans: Sequence[Span], text: TaskText, id_prefix: str) -> list[dict[str, object]]:
    """Entity regions for ``spans`` (clean-text code points), paragraph-relative in Label Studio's unit."""
    regions: list[dict[str, object]] = []
    for n, span in enumerate(sorted(spans)):
        i = _paragraph_of(span, text)
        para_start = text.para_offsets[i][0]
        offsets = text.offsets(i)
        from_name, to_name = _instance(lsconfig.ENTITIES, i)
        regions.append(
            {
                "id": f"{id_prefix}{n}",
                "from_name": from_name,
                "to_name": to_name,
                "type": "labels",
                "value": {
                    "start": offsets.to_label_studio(span.start - para_start),
                    "end": offsets.to_label_studio(span.end - para_start),
                    "text": span.text,
                    "labels": [span.label],
                },
            }
        )
    return regions


def annotation_to_result(annotation: Annotation, text: TaskText) -> list[dict[str, object]]:
    """The Label Studio result of ``annotation``: :func:`parse_result` gives it back unchanged."""
    result = spans_to_result(annotation.entities, text, "e")
    choices: list[tuple[str, int | None, list[str]]] = [
        (lsconfig.PARAGRAPH_STANCE, i, [s]) for i, s in enumerate(annotation.paragraph_stances) if s is not None
    ]
    if annotation.stance is not None:
        choices.append((lsconfig.DOC_STANCE, None, [annotation.stance]))
    if annotation.topics:
        choices.append((lsconfig.TOPICS, None, list(annotation.topics)))
    for n, (control, idx, values) in enumerate(choices):
        from_name, to_name = _instance(control, idx)
        result.append(
            {"id": f"c{n}", "from_name": from_name, "to_name": to_name, "type": "choices", "value": {"choices": values}}
        )
    return result


def _paragraph_of(span: Span, text: TaskText) -> int:
    for i, (s, e) in enumerate(text.para_offsets):
        if s <= span.start and span.end <= e:
            return i
    raise TaskDataError(f"span [{span.start}, {span.end}) {span.text!r} is not inside one paragraph")


def _instance(control: str, idx: int | None) -> tuple[str, str]:
    c = _CONTROLS[control]
    return c.instance(idx)


_CONTROLS = lsconfig.controls(lsconfig.label_config())


# ------------------------------------------------------------------ Label Studio → coopnum


@dataclass(frozen=True)
class ParsedResult:
    entities: tuple[Span, ...]
    paragraph_stances: tuple[str | None, ...]
    stance: str | None
    topics: tuple[str, ...]
    raw_spans: int  # labels regions in the result, counted before conversion
    raw_choices: int  # chosen values in the result, counted before conversion


def _name_patterns(controls: Mapping[str, lsconfig.Control]) -> list[tuple[re.Pattern[str], lsconfig.Control]]:
    flag = re.escape(lsconfig.REPEAT_FLAG)
    return [(re.compile(re.escape(c.name).replace(flag, r"(0|[1-9][0-9]*)")), c) for c in controls.values()]


_PATTERNS = _name_patterns(_CONTROLS)


@dataclass
class _Parse:
    """The values read so far from one result, and the problems found in it."""

    text: TaskText
    task: int
    annotation: str
    problems: list[Problem] = field(default_factory=list)
    entities: list[Span] = field(default_factory=list)
    paragraph_stances: list[str | None] = field(default_factory=list)
    doc_choices: dict[str, list[str]] = field(default_factory=dict)
    seen_choices: set[str] = field(default_factory=set)
    raw_spans: int = 0
    raw_choices: int = 0

    def bad(self, field: str, message: str) -> None:
        self.problems.append(Problem(self.task, self.annotation, field, message))


def parse_result(
    result: object, text: TaskText, task: int, annotation: str
) -> tuple[ParsedResult | None, list[Problem]]:
    """A Label Studio ``result`` list as coopnum values, checked against the labeling config.

    Returns the parsed values and no problem, or ``None`` and every problem found.
    Offsets come back as clean-text code points.
    """
    state = _Parse(text, task, annotation, paragraph_stances=[None] * len(text.paragraphs))
    if not isinstance(result, list):
        state.bad("result", f"expected a list, got {type(result).__name__}")
        return None, state.problems
    for k, item in enumerate(result):
        _parse_item(state, f"result[{k}]", item)
    if state.problems:
        return None, state.problems
    stance = state.doc_choices.get(lsconfig.DOC_STANCE)
    parsed = ParsedResult(
        entities=tuple(state.entities),
        paragraph_stances=tuple(state.paragraph_stances),
        stance=stance[0] if stance else None,
        topics=tuple(state.doc_choices.get(lsconfig.TOPICS, ())),
        raw_spans=state.raw_spans,
        raw_choices=state.raw_choices,
    )
    return parsed, []


def _parse_item(state: _Parse, where: str, item: object) -> None:
    """Check one result item against its control and add what it holds to ``state``."""
    if not isinstance(item, dict):
        state.bad(where, f"expected an object, got {type(item).__name__}")
        return
    from_name, to_name, kind, value = (item.get(x) for x in ("from_name", "to_name", "type", "value"))
    control, idx = _resolve(from_name)
    if control is None:
        state.bad(f"{where}.from_name", f"{from_name!r} is not a control of the labeling config")
    elif idx is not None and idx >= len(state.text.paragraphs):
        state.bad(f"{where}.from_name", f"{from_name!r}: the task has {len(state.text.paragraphs)} paragraphs")
    elif to_name != control.instance(idx)[1]:
        state.bad(f"{where}.to_name", f"{to_name!r} is not the object of {from_name!r}")
    elif kind != control.kind:
        state.bad(f"{where}.type", f"{kind!r}, expected {control.kind!r} for {from_name!r}")
    elif not isinstance(value, dict):
        state.bad(f"{where}.value", f"expected an object, got {type(value).__name__}")
    elif control.kind == "labels":
        state.raw_spans += 1
        span = _parse_region(value, state.text, idx)  # type: ignore[arg-type]
        if isinstance(span, Span):
            state.entities.append(span)
        else:
            state.bad(f"{where}.value.{span[0]}", span[1])
    else:
        _parse_choices(state, where, control, idx, from_name, value)  # type: ignore[arg-type]


def _parse_choices(
    state: _Parse, where: str, control: lsconfig.Control, idx: int | None, from_name: str, value: Mapping[str, object]
) -> None:
    """A choices item: a paragraph's stance (``idx``), or the document's stance or topics."""
    chosen = value.get("choices")
    if not isinstance(chosen, list) or not chosen:
        state.bad(f"{where}.value.choices", f"expected a non-empty list, got {chosen!r}")
        return
    state.raw_choices += len(chosen)
    if from_name in state.seen_choices:
        state.bad(f"{where}.from_name", f"a second result for {from_name!r}")
        return
    state.seen_choices.add(from_name)
    unknown = [c for c in chosen if c not in control.values]
    if unknown:
        state.bad(f"{where}.value.choices", f"{unknown!r} not among {list(control.values)!r} of {from_name!r}")
    elif len(set(chosen)) != len(chosen):
        state.bad(f"{where}.value.choices", f"{chosen!r} names a value twice")
    elif not control.multiple and len(chosen) != 1:
        state.bad(f"{where}.value.choices", f"{chosen!r}: {from_name!r} takes one value")
    elif idx is not None:
        state.paragraph_stances[idx] = chosen[0]
    else:
        state.doc_choices[control.name] = chosen


def _resolve(from_name: object) -> tuple[lsconfig.Control | None, int | None]:
    if not isinstance(from_name, str):
        return None, None
    for pattern, control in _PATTERNS:
        m = pattern.fullmatch(from_name)
        if m:
            return control, (int(m.group(1)) if control.repeated else None)
    return None, None


def _parse_region(value: Mapping[str, object], text: TaskText, idx: int) -> Span | tuple[str, str]:
    """The span of an entity region, or the ``(field, message)`` that makes it invalid."""
    labels, start, end = value.get("labels"), value.get("start"), value.get("end")
    allowed = _CONTROLS[lsconfig.ENTITIES].values
    if not isinstance(labels, list) or len(labels) != 1:
        return "labels", f"expected exactly one label, got {labels!r}"
    if labels[0] not in allowed:
        return "labels", f"{labels[0]!r} not among {list(allowed)!r}"
    if not (type(start) is int and type(end) is int and start < end):
        return "start", f"offsets [{start!r}, {end!r}) are not two increasing integers"
    offsets = text.offsets(idx)
    try:
        s, e = offsets.from_label_studio(start), offsets.from_label_studio(end)
    except OffsetError as err:
        return "end", f"{err} (paragraph {idx})"
    surface = text.paragraphs[idx][s:e]
    if "text" in value and value["text"] != surface:
        return "text", f"says {value['text']!r} but offsets [{start}, {end}) of paragraph {idx} hold {surface!r}"
    para_start = text.para_offsets[idx][0]
    return Span(para_start + s, para_start + e, labels[0], surface)


def to_annotation(
    parsed: ParsedResult, *, id: str, annotator: str, ground_truth: bool, created_at: str | None, updated_at: str | None
) -> Annotation:
    return Annotation(
        id=id,
        annotator=annotator,
        ground_truth=ground_truth,
        created_at=created_at,
        updated_at=updated_at,
        entities=parsed.entities,
        paragraph_stances=parsed.paragraph_stances,
        stance=parsed.stance,
        topics=parsed.topics,
    )
