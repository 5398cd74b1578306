"""Every pass and the gold side by side: one row per decision (an entity range, a paragraph's
stance, the document's stance, a topic), keyed as :mod:`coopnum.annotation.adjudication` keys
them, with the rows where the passes disagree highlighted, every value that differs from the
gold marked, and the adjudicator's recorded reason beside it."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass

from coopnum.annotation.adjudication import Reason
from coopnum.report.data import Layers, Record
from coopnum.report.html import e, table

NONE_SHOWN = "—"


@dataclass(frozen=True)
class Row:
    layer: str
    key: str
    place: str  # the first cell: a link to where the decision is
    values: tuple[str | None, ...]  # one per pass
    gold: str | None

    @property
    def disagree(self) -> bool:
        return len(set(self.values)) > 1


def _entity_values(a: Layers) -> dict[str, str]:
    return {f"{s}-{t}": label for s, t, label, _ in a.entities}


def _entity_rows(record: Record, passes: tuple[Layers, ...], gold: Layers | None) -> list[Row]:
    per_pass = [_entity_values(a) for a in passes]
    gold_values = _entity_values(gold) if gold else {}
    spans = {(s, t) for a in (*passes, *([gold] if gold else [])) for s, t, _, _ in a.entities}
    starts = [p[0] for p in record.paragraphs]
    rows = []
    for s, t in sorted(spans):
        key = f"{s}-{t}"
        p = max(0, bisect.bisect_right(starts, s) - 1)
        target = f"#e{key}" if key in gold_values else f"#p{p}"
        place = f'<a href="{target}">{e(record.text[s:t])}</a> <span class="muted">P{p}, {key}</span>'
        rows.append(Row("entity", key, place, tuple(v.get(key) for v in per_pass), gold_values.get(key)))
    return rows


def _choice_rows(record: Record, passes: tuple[Layers, ...], gold: Layers | None) -> list[Row]:
    rows = []
    for i in range(len(record.paragraphs)):

        def at(a: Layers, i: int = i) -> str | None:
            return a.paragraph_stances[i] if i < len(a.paragraph_stances) else None

        place = f'<a href="#p{i}">paragraph P{i}</a>'
        rows.append(Row("paragraph_stance", str(i), place, tuple(at(a) for a in passes), at(gold) if gold else None))
    doc_place = '<a href="#doc-stance">document stance</a>'
    rows.append(
        Row("document_stance", "document", doc_place, tuple(a.stance for a in passes), gold.stance if gold else None)
    )
    topics = sorted({t for a in (*passes, *([gold] if gold else [])) for t in a.topics})
    for topic in topics:

        def said(a: Layers, topic: str = topic) -> str:
            return "yes" if topic in a.topics else "no"

        place = f'<a href="#topics">topic {e(topic)}</a>'
        rows.append(Row("topic", topic, place, tuple(said(a) for a in passes), said(gold) if gold else None))
    return rows


def rows(record: Record) -> list[Row]:
    passes = record.passes
    return _entity_rows(record, passes, record.gold) + _choice_rows(record, passes, record.gold)


def disagreements(record: Record) -> int:
    """Decisions on which the passes differ (what the adjudicator had to decide)."""
    return sum(r.disagree for r in rows(record)) if len(record.passes) >= 2 else 0


def _tr(row: Row, reason: Reason | None) -> str:
    cells = [f"<td>{row.place}</td>"]
    for v in row.values:
        differs = ' class="differs"' if v != row.gold else ""
        cells.append(f"<td{differs}>{e(v) if v is not None else NONE_SHOWN}</td>")
    cells.append(f"<td>{e(row.gold) if row.gold is not None else NONE_SHOWN}</td>")
    cells.append(f'<td class="reason">{e(reason.reason) if reason else ""}</td>')
    klass = ' class="disagree"' if row.disagree else ""
    return f'<tr id="d-{e(row.layer)}-{e(row.key)}"{klass}>' + "".join(cells) + "</tr>"


def decisions_section(record: Record, reasons: Mapping[tuple[str, str, str], Reason]) -> str:
    """The side-by-side tables (entities, then stances and topics)."""
    if record.gold is None and not record.annotations:
        return '<section aria-labelledby="dec-h"><h2 id="dec-h">Passes and gold</h2><p>Not annotated.</p></section>'
    gold_row = next((a for a in record.annotations if a.is_gold), None)
    head = [
        "decision",
        *(f"{e(a.annotator)}<br><span class='muted'>{e(a.annotation_id)}</span>" for a in record.passes),
        f"gold<br><span class='muted'>{e(gold_row.annotator if gold_row else 'documents')}</span>",
        "adjudication reason",
    ]
    all_rows = rows(record)
    n_disagree = disagreements(record)
    with_reason = sum(
        1 for r in all_rows if r.disagree and (record.id, r.layer, r.key) in reasons and len(record.passes) >= 2
    )
    parts = [
        '<section aria-labelledby="dec-h"><h2 id="dec-h">Passes and gold</h2>',
        f"<p>{len(record.passes)} pass(es) and the gold; {n_disagree} decision(s) on which the passes disagree"
        f" (highlighted rows), {with_reason} with a recorded reason. A framed cell differs from the gold.</p>",
    ]
    for layer_rows, caption in (
        ([r for r in all_rows if r.layer == "entity"], "Entities"),
        ([r for r in all_rows if r.layer != "entity"], "Stances and topics"),
    ):
        trs = [_tr(r, reasons.get((record.id, r.layer, r.key))) for r in layer_rows]
        parts.append(table(head, trs, caption, "decisions"))
    parts.append("</section>")
    return "\n".join(parts)
