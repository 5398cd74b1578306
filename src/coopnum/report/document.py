"""One document's page: metadata, document stance and topics, the validation findings linked to
their places, the clean text with its gold entities highlighted displaCy-style (a colour per
label, the label written after the name, each one focusable) and each paragraph's stance as a
coloured margin, every pass beside the gold, and the raw scrape with what cleaning removed."""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coopnum.annotation.adjudication import Reason
from coopnum.report import decisions
from coopnum.report.data import Record
from coopnum.report.html import e, entity_class, legend, page, stance_class
from coopnum.report.raw import raw_section

SPAN = re.compile(r"\[(\d+), (\d+)\)")  # how the span checks write a range
ENTITY_KEY = re.compile(r"^entity (\d+)-(\d+)\b")  # how the adjudication checks write one
PARAGRAPH_KEY = re.compile(r"^paragraph_stance (\d+)\b")


@dataclass(frozen=True)
class Nav:
    """Where a document page sits: its index page and its neighbours."""

    index_page: str
    previous: str | None
    next: str | None


def _paragraph_of(record: Record, offset: int) -> int:
    return max(0, bisect.bisect_right([p[0] for p in record.paragraphs], offset) - 1)


def finding_range(f: Mapping[str, Any]) -> tuple[int, int] | None:
    message = f.get("message") or ""
    m = SPAN.search(message) or ENTITY_KEY.search(message)
    return (int(m.group(1)), int(m.group(2))) if m else None


def anchor(record: Record, f: Mapping[str, Any], flagged: set[tuple[int, int]]) -> str:
    """The place on the page a finding is about: its span, paragraph, the stance, the topics, or
    the findings list when it names none."""
    gold = {(s, t) for s, t, _, _ in record.gold.entities} if record.gold else set()
    span = finding_range(f)
    if span is not None:
        if span in gold:
            return f"#e{span[0]}-{span[1]}"
        if span in flagged:
            return f"#f{span[0]}-{span[1]}"
        return f"#p{_paragraph_of(record, span[0])}"
    message, where = f.get("message") or "", f.get("field") or ""
    m = PARAGRAPH_KEY.search(message)
    if m:
        return f"#p{m.group(1)}"
    if where in ("stance", "document_stance") or message.startswith("document_stance"):
        return "#doc-stance"
    if where in ("topics", "topic") or message.startswith("topic "):
        return "#topics"
    if where == "paragraph_stances":
        return "#text-h"
    return "#findings"


def flagged_ranges(record: Record, findings: Sequence[Mapping[str, Any]]) -> set[tuple[int, int]]:
    """Ranges findings name that are no gold entity and overlap none (a pass's span, an unlabelled
    occurrence): they are outlined in the text so that a finding can point at them."""
    gold = sorted((s, t) for s, t, _, _ in record.gold.entities) if record.gold else []
    out: set[tuple[int, int]] = set()
    for f in findings:
        span = finding_range(f)
        if span is None or span in gold or not (0 <= span[0] < span[1] <= len(record.text)):
            continue
        taken = [*gold, *out]
        if not any(a < span[1] and span[0] < b for a, b in taken):
            out.add(span)
    return out


def _paragraph_html(record: Record, i: int, flagged: set[tuple[int, int]], with_findings: set[str]) -> str:
    start, end, kind = record.paragraphs[i]
    marks: list[tuple[int, int, str | None]] = [
        (s, t, label) for s, t, label, _ in (record.gold.entities if record.gold else ()) if start <= s < end
    ]
    marks += [(s, t, None) for s, t in flagged if start <= s < end]
    text, parts, at = record.text, [], start
    for s, t, label in sorted(marks):
        parts.append(e(text[at:s]))
        if label is None:
            parts.append(f'<span class="flag" id="f{s}-{t}" tabindex="0">{e(text[s:t])}</span>')
        else:
            extra = " has-finding" if f"#e{s}-{t}" in with_findings else ""
            parts.append(
                f'<mark class="{entity_class(label)}{extra}" id="e{s}-{t}" tabindex="0">'
                f'{e(text[s:t])}<span class="lbl">{e(label)}</span></mark>'
            )
        at = t
    parts.append(e(text[at:end]))
    stances = record.gold.paragraph_stances if record.gold else ()
    stance = stances[i] if i < len(stances) else None
    tag = f"P{i}<br>{e(stance) if stance else 'no stance'}"
    return (
        f'<div class="par {stance_class(stance)} kind-{e(kind)}" id="p{i}">'
        f'<div class="ptag">{tag}</div><p lang="fr">{"".join(parts)}</p></div>'
    )


def _header(record: Record) -> str:
    gold = record.gold
    stance = (
        f'<span class="badge {stance_class(gold.stance)}">{e(gold.stance)}</span>'
        if gold and gold.stance
        else '<span class="muted">none</span>'
    )
    topics = " ".join(f'<span class="topic">{e(t)}</span>' for t in gold.topics) if gold else ""
    rows = [
        ("document", f"<code>{e(record.id)}</code>"),
        ("split", e(record.split)),
        ("stage", e(record.stage)),
        ("outlet", e(record.outlet or "not stated")),
        ("date", e(record.date or "not stated")),
        ("url", f'<a href="{e(record.url)}">{e(record.url)}</a>' if record.url else "not stated"),
        ("rights", e(record.rights)),
        ('<span id="doc-stance">document stance</span>', stance),
        ('<span id="topics">topics</span>', topics or '<span class="muted">none</span>'),
    ]
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    title = f'<h1 lang="fr">{e(record.title)}</h1>' if record.title else f"<h1>Document {e(record.id)}</h1>"
    return f'{title}\n<dl class="meta">{dl}</dl>'


def _findings_html(findings: Sequence[Mapping[str, Any]], anchors: Sequence[str]) -> str:
    if not findings:
        return (
            '<section id="findings" aria-labelledby="findings-h"><h2 id="findings-h">Validation findings</h2>'
            "<p>None for this document.</p></section>"
        )
    items = []
    for f, target in zip(findings, anchors, strict=True):
        sev = e(f.get("severity"))
        items.append(
            f'<li><span class="sev sev-{sev}">{sev}</span> <a href="{target}">{e(f.get("check"))}</a>:'
            f" {e(f.get('message'))}"
            + (f' <span class="muted">({e(f.get("annotation"))})</span>' if f.get("annotation") else "")
            + "</li>"
        )
    return (
        '<section id="findings" aria-labelledby="findings-h"><h2 id="findings-h">Validation findings</h2>'
        f'<ul class="findings">{"".join(items)}</ul></section>'
    )


def _nav(nav: Nav) -> str:
    links = [f' · <a href="../{nav.index_page}">back to the list</a>']
    if nav.previous:
        links.append(f' · <a href="{e(nav.previous)}.html" rel="prev">previous document</a>')
    if nav.next:
        links.append(f' · <a href="{e(nav.next)}.html" rel="next">next document</a>')
    return "".join(links)


def render(
    record: Record,
    raw: str,
    findings: Sequence[Mapping[str, Any]],
    reasons: Mapping[tuple[str, str, str], Reason],
    nav: Nav,
    labels: tuple[Sequence[str], Sequence[str]],
) -> tuple[str, list[str]]:
    """The page's HTML and the anchor of each finding (for the site's findings pages)."""
    flagged = flagged_ranges(record, findings)
    anchors = [anchor(record, f, flagged) for f in findings]
    paragraphs = "\n".join(_paragraph_html(record, i, flagged, set(anchors)) for i in range(len(record.paragraphs)))
    body = "\n".join(
        [
            _header(record),
            _findings_html(findings, anchors),
            '<div class="columns"><section aria-labelledby="text-h"><h2 id="text-h">Clean text</h2>',
            legend(*labels),
            paragraphs,
            "</section>",
            raw_section(raw, record),
            "</div>",
            decisions.decisions_section(record, reasons),
        ]
    )
    return page(record.title or record.id, body, prefix="../", nav=_nav(nav)), anchors
