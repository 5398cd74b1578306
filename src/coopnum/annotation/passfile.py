"""Annotation pass files: what an annotator writes when not clicking in the Label Studio UI.

A pass file lists, per paragraph, the entity mentions by their surface text and
label, the paragraph's stance, then the document's stance and topics. It is
turned into an :class:`~coopnum.annotations.Annotation` with exact offsets by
:func:`annotation_from_pass`, which is pure and strict: a surface that is not in
its paragraph, not on word edges, or that would overlap another mention is an
error naming the document, paragraph and entry, never a guess.

Format (JSON)::

    {"doc_id": "...", "text_sha256": "...",
     "paragraphs": [{"index": 0, "stance": "FAVOR",
                     "entities": [["Dmitri Peskov", "PER"], ["Moscou", "LOC"], ["Moscou", "LOC", [2]]]}, ...],
     "stance": "FAVOR", "topics": ["digital_economy", "trade_investment"]}

An entity entry ``[surface, label]`` marks every occurrence of ``surface`` in the
paragraph that no longer entry already covers; ``[surface, label, [k, ...]]``
marks only the k-th of those occurrences (1-based). Longer surfaces are placed
first, so « gouvernement de Moscou » (ORG) and « Moscou » (LOC) in one paragraph
give one ORG span and LOC spans for the other occurrences of Moscou.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from coopnum import schema
from coopnum.annotation.format import Annotation, Span
from coopnum.errors import AnnotationError
from coopnum.util import jsonio

# A surface must not start or end inside a word, a hyphenated name or a dotted name
# (« Alibaba » is not in « Alibaba.com »); an elided article before it is fine (« d’Alibaba »).
LEFT_EDGE = r"(?<![\w-])"
RIGHT_EDGE = r"(?![\w-]|\.\w)"


def occurrences(paragraph: str, surface: str) -> list[tuple[int, int]]:
    """Where ``surface`` occurs in ``paragraph`` on word edges (half-open offsets into the paragraph)."""
    pattern = LEFT_EDGE + re.escape(surface) + RIGHT_EDGE
    return [(m.start(), m.end()) for m in re.finditer(pattern, paragraph)]


Fail = Callable[[str, str], AnnotationError]  # (message, field) -> the error naming file, document, annotation


def annotation_from_pass(
    obj: object,
    text: str,
    paragraphs: Sequence[tuple[int, int]],
    *,
    annotation_id: str,
    annotator: str,
    created_at: str | None = None,
    file: str | None = None,
) -> Annotation:
    def fail_at(doc_id: str | None) -> Fail:
        return lambda message, field: AnnotationError(
            message, file=file, doc_id=doc_id, annotation=annotation_id, field=field
        )

    if not isinstance(obj, dict):
        raise fail_at(None)("a pass file holds one JSON object per document", "doc_id")
    doc_id = obj.get("doc_id")
    if not isinstance(doc_id, str):
        raise fail_at(None)("doc_id must be a string", "doc_id")
    fail = fail_at(doc_id)
    given = obj.get("paragraphs")
    if not isinstance(given, list) or len(given) != len(paragraphs):
        n = len(given) if isinstance(given, list) else "no"
        raise fail(f"{n} paragraphs given, the text has {len(paragraphs)}", "paragraphs")
    spans: list[Span] = []
    stances: list[str | None] = []
    for i, (p, (p_start, p_end)) in enumerate(zip(given, paragraphs, strict=True)):
        paragraph_stance, found = _paragraph(p, i, text[p_start:p_end], p_start, fail)
        stances.append(paragraph_stance)
        spans += found
    stance = obj.get("stance")
    if stance not in schema.STANCE_LABELS:
        raise fail(f"document stance {stance!r} is not one of {schema.STANCE_LABELS}", "stance")
    topics = obj.get("topics")
    if not isinstance(topics, list) or not topics or any(t not in schema.TOPIC_LABELS for t in topics):
        raise fail(f"topics {topics!r}: at least one of {schema.TOPIC_LABELS}", "topics")
    return Annotation(
        id=annotation_id,
        annotator=annotator,
        ground_truth=False,
        created_at=created_at,
        updated_at=None,
        entities=tuple(sorted(spans)),
        paragraph_stances=tuple(stances),
        stance=stance,
        topics=tuple(sorted(set(topics), key=schema.TOPIC_LABELS.index)),
    )


def _paragraph(p: object, i: int, paragraph: str, p_start: int, fail: Fail) -> tuple[str, list[Span]]:
    """One paragraph of a pass file: its stance and its spans (document offsets), longest surfaces first."""
    where = f"paragraph {i}"
    if not isinstance(p, dict) or p.get("index") != i:
        raise fail(f"{where}: expected an object with index {i}", "paragraphs")
    stance = p.get("stance")
    if stance not in schema.STANCE_LABELS:
        raise fail(f"{where}: stance {stance!r} is not one of {schema.STANCE_LABELS}", "paragraph_stances")
    entries = p.get("entities", [])
    if not isinstance(entries, list):
        raise fail(f"{where}: entities must be a list", "entities")
    taken: list[tuple[int, int]] = []
    spans: list[Span] = []
    for entry in sorted(
        entries, key=lambda e: -len(e[0]) if isinstance(e, list) and e and isinstance(e[0], str) else 0
    ):
        surface, label, chosen = _entry(entry, where, paragraph, taken, fail)
        for s, e in chosen:
            taken.append((s, e))
            spans.append(Span(p_start + s, p_start + e, label, surface))
    return stance, spans


def _entry(
    entry: object, where: str, paragraph: str, taken: list[tuple[int, int]], fail: Fail
) -> tuple[str, str, list[tuple[int, int]]]:
    """``[surface, label]`` or ``[surface, label, [k, …]]``: the occurrences it names (paragraph
    offsets), among those on word edges and not inside a mention already taken."""
    if not (isinstance(entry, list) and len(entry) in (2, 3) and isinstance(entry[0], str) and entry[0].strip()):
        raise fail(f"{where}: entity entry {entry!r} is not [surface, label] or [surface, label, [k, …]]", "entities")
    surface, label = entry[0], entry[1]
    if label not in schema.ENTITY_LABELS:
        raise fail(f"{where}: unknown entity label {label!r} for {surface!r}", "label")
    if surface != surface.strip():
        raise fail(f"{where}: surface {surface!r} has leading or trailing space", "entities")
    free = [o for o in occurrences(paragraph, surface) if all(o[1] <= a or b <= o[0] for a, b in taken)]
    if not free:
        raise fail(
            f"{where}: {surface!r} ({label}) is not in the paragraph on word edges, or only inside a longer mention",
            "entities",
        )
    if len(entry) == 2:
        return surface, label, free
    ks = entry[2]
    if not (isinstance(ks, list) and ks and all(isinstance(k, int) and 1 <= k <= len(free) for k in ks)):
        raise fail(f"{where}: occurrences {ks!r} of {surface!r}: there are {len(free)}", "entities")
    return surface, label, [free[k - 1] for k in sorted(set(ks))]


def load_pass(path: Path) -> list[dict]:
    """A pass file: one JSON object, or a list of them (one per document)."""
    obj = jsonio.read_json(path, AnnotationError, "pass file")
    return obj if isinstance(obj, list) else [obj]


def prediction_entries(paragraph: str, spans: list[tuple[int, int, str]]) -> tuple[list[list[object]], int]:
    """Pass-file entries that give back exactly ``spans`` (paragraph offsets), longest surfaces first,
    and how many spans could not be written (not on word edges): those are counted, not hidden."""
    entries: list[list[object]] = []
    taken: list[tuple[int, int]] = []
    by_surface: dict[str, list[tuple[int, int, str]]] = {}
    for s, e, label in spans:
        by_surface.setdefault(paragraph[s:e], []).append((s, e, label))
    skipped = 0
    for surface in sorted(by_surface, key=lambda x: (-len(x), x)):
        free = [o for o in occurrences(paragraph, surface) if all(o[1] <= a or b <= o[0] for a, b in taken)]
        for label in sorted({lab for _, _, lab in by_surface[surface]}):
            mine = [(s, e) for s, e, lab in by_surface[surface] if lab == label]
            ks = [free.index(o) + 1 for o in mine if o in free]
            skipped += len(mine) - len(ks)
            if ks:
                entries.append([surface, label, ks])
        taken += [(s, e) for s, e, _ in by_surface[surface]]
    return entries, skipped
