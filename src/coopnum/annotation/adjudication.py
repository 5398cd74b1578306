"""Disagreements between annotation passes, and the adjudicator's recorded reasons.

Every disagreement between two passes is an :class:`Item` keyed by its layer
and place: an entity range ``"start-end"``, a paragraph index, ``"document"``,
or a topic. ``annotations/adjudication.jsonl`` holds one record per item: what
each pass said, what the gold says, and the adjudicator's reason. The validator
checks that every item has a record and that the record agrees with the gold.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from coopnum.annotation.format import Annotation
from coopnum.annotation.passfile import prediction_entries
from coopnum.errors import AnnotationError
from coopnum.util import jsonio

FILE = "adjudication.jsonl"
LAYERS = ("entity", "paragraph_stance", "document_stance", "topic")


@dataclass(frozen=True)
class Item:
    doc_id: str
    layer: str
    key: str
    values: tuple[tuple[str, str | None], ...]  # (annotator, what that pass said), in annotator order


def _entity_values(a: Annotation) -> dict[str, str]:
    return {f"{s.start}-{s.end}": s.label for s in a.entities}


def layer_values(a: Annotation) -> dict[tuple[str, str], str | None]:
    """Every decision of one annotation, keyed like :class:`Item` (absent entity = no key)."""
    values: dict[tuple[str, str], str | None] = {("entity", k): v for k, v in _entity_values(a).items()}
    values.update({("paragraph_stance", str(i)): s for i, s in enumerate(a.paragraph_stances)})
    values[("document_stance", "document")] = a.stance
    return values


def disagreements(doc_id: str, passes: Sequence[Annotation]) -> list[Item]:
    """Items on which the passes differ (an entity one pass lacks counts: its value is None)."""
    passes = sorted(passes, key=lambda a: a.annotator)
    per_pass = [layer_values(a) for a in passes]
    topics = [set(a.topics) for a in passes]
    keys = sorted({k for v in per_pass for k in v})
    items = []
    for layer, key in keys:
        said = tuple((a.annotator, v.get((layer, key))) for a, v in zip(passes, per_pass, strict=True))
        if len({value for _, value in said}) > 1:
            items.append(Item(doc_id, layer, key, said))
    for topic in sorted(set().union(*topics)) if topics else []:
        said = tuple((a.annotator, "yes" if topic in t else "no") for a, t in zip(passes, topics, strict=True))
        if len({value for _, value in said}) > 1:
            items.append(Item(doc_id, "topic", topic, said))
    return items


def gold_value(gold: Annotation, layer: str, key: str) -> str | None:
    if layer == "topic":
        return "yes" if key in gold.topics else "no"
    return layer_values(gold).get((layer, key))


@dataclass(frozen=True)
class Reason:
    doc_id: str
    layer: str
    key: str
    gold: str | None
    reason: str


def load_reasons(annotations_dir: Path) -> dict[tuple[str, str, str], Reason]:
    path = annotations_dir / FILE
    if not path.exists():  # a folder or a FIFO of that name is refused by the reader, not ignored
        return {}
    out: dict[tuple[str, str, str], Reason] = {}
    for where, r in jsonio.read_json_lines(path, AnnotationError, "adjudication file"):
        if not isinstance(r, dict):
            raise AnnotationError(f"an adjudication record must be a JSON object, got {type(r).__name__}", file=where)
        missing = [k for k in ("doc_id", "layer", "key", "gold", "reason") if k not in r]
        if missing:
            raise AnnotationError(f"adjudication record lacks {', '.join(missing)}", file=where, field=missing[0])
        ident = r["doc_id"] if isinstance(r["doc_id"], str) else None
        for name, kinds in (("doc_id", str), ("layer", str), ("key", (str, int)), ("gold", (str, type(None)))):
            if not isinstance(r[name], kinds) or isinstance(r[name], bool):
                raise AnnotationError(
                    f"{name} {r[name]!r:.60} has the wrong type", file=where, doc_id=ident, field=name
                )
        reason = Reason(r["doc_id"], r["layer"], str(r["key"]), r["gold"], r["reason"])
        if reason.layer not in LAYERS or not isinstance(reason.reason, str) or not reason.reason.strip():
            raise AnnotationError("layer unknown or reason empty", file=where, doc_id=reason.doc_id, field="reason")
        out[(reason.doc_id, reason.layer, reason.key)] = reason
    return out


def record(item: Item, gold: str | None, reason: str) -> str:
    """One JSONL line for ``item`` (what the adjudicator writes)."""
    return json.dumps(
        {
            "doc_id": item.doc_id,
            "layer": item.layer,
            "key": item.key,
            "passes": dict(item.values),
            "gold": gold,
            "reason": reason,
        },
        ensure_ascii=False,
    )


def package(doc_id: str, text: str, paragraphs: Sequence[tuple[int, int]], passes: Sequence[Annotation]) -> dict:
    """What an adjudicator needs for one document: the text, both passes, every disagreement with
    its key, and a gold pass template holding only what all passes agree on."""
    passes = sorted(passes, key=lambda a: a.annotator)

    def paragraph_of(start: int) -> int:
        return next(i for i, (a, b) in enumerate(paragraphs) if a <= start < b)

    def described(a: Annotation) -> dict[str, object]:
        entities = [
            {"key": f"{s.start}-{s.end}", "paragraph": paragraph_of(s.start), "surface": s.text, "label": s.label}
            for s in sorted(a.entities)
        ]
        return {
            "entities": entities,
            "paragraph_stances": list(a.paragraph_stances),
            "stance": a.stance,
            "topics": list(a.topics),
        }

    def disagreement(it: Item) -> dict[str, object]:
        out: dict[str, object] = {"layer": it.layer, "key": it.key, "said": dict(it.values)}
        if it.layer == "entity":
            start, end = (int(x) for x in it.key.split("-"))
            out |= {"paragraph": paragraph_of(start), "surface": text[start:end]}
        return out

    return {
        "doc_id": doc_id,
        "paragraphs": [{"index": i, "text": text[a:b], "start": a} for i, (a, b) in enumerate(paragraphs)],
        "passes": {p.annotator: described(p) for p in passes},
        "disagreements": [disagreement(it) for it in disagreements(doc_id, passes)],
        "gold_template": gold_template(doc_id, text, paragraphs, passes),
    }


def gold_template(doc_id: str, text: str, paragraphs: Sequence[tuple[int, int]], passes: Sequence[Annotation]) -> dict:
    """A pass file holding only what every pass agrees on (None where they differ), for the adjudicator to fill in."""
    agreed = set.intersection(*({(s.start, s.end, s.label) for s in a.entities} for a in passes))
    template_paragraphs = []
    for i, (a, b) in enumerate(paragraphs):
        inside = sorted((s - a, e - a, label) for s, e, label in agreed if a <= s and e <= b)
        entries, _ = prediction_entries(text[a:b], inside)
        stances = {p.paragraph_stances[i] for p in passes}
        template_paragraphs.append(
            {"index": i, "stance": stances.pop() if len(stances) == 1 else None, "entities": entries}
        )
    doc_stances = {p.stance for p in passes}
    return {
        "doc_id": doc_id,
        "paragraphs": template_paragraphs,
        "stance": doc_stances.pop() if len(doc_stances) == 1 else None,
        "topics": sorted(set.intersection(*(set(p.topics) for p in passes))),
    }
