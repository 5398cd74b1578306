"""The raw scrape as the cleaner saw it: one list item per audit line, each removed line struck
through (``<del>``) and labelled with its rule, each trimmed piece struck through (``<s>``) with its
rule, each kept line linked to the clean paragraph the offset map carries it to."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from coopnum.report.data import Record
from coopnum.report.html import e


def _covered(record: Record, start: int, end: int) -> list[tuple[int, int, int]]:
    """The pieces of raw ``[start, end)`` the offset map carries into the clean text, as
    (raw_start, raw_end, clean_start), in raw order."""
    out = []
    for clean_start, _, raw_start, raw_end in record.offset_map:
        a, b = max(start, raw_start), min(end, raw_end)
        if a < b:
            out.append((a, b, clean_start + (a - raw_start)))
    return sorted(out)


def _paragraph_of(starts: Sequence[int], clean: int) -> int:
    return max(0, bisect.bisect_right(starts, clean) - 1)


def _line_pieces(raw: str, record: Record, start: int, end: int, rule: str | None) -> tuple[str, int | None]:
    """A kept or trimmed line: what reaches the clean text as is, what does not struck through
    (whitespace the cleaner normalised is shown plainly); the clean offset of its first kept piece."""
    parts, at, first = [], start, None
    for a, b, clean in _covered(record, start, end):
        parts.append(_dropped(raw[at:a], rule))
        parts.append(e(raw[a:b]))
        at = b
        first = clean if first is None else first
    parts.append(_dropped(raw[at:end], rule))
    return "".join(parts), first


def _dropped(piece: str, rule: str | None) -> str:
    if not piece:
        return ""
    if not piece.strip() or rule is None:  # layout whitespace, or a kept line's normalised spacing
        return e(piece)
    label = f'<span class="rule">{e(rule)}</span>'
    return f"<s>{e(piece)}</s>{label}"


def raw_section(raw: str, record: Record) -> str:
    """The ``<ol>`` of raw lines with the cleaner's decision on each."""
    starts = [p[0] for p in record.paragraphs]
    items = []
    for line, start, end, action, rule in record.audit:
        text = raw[start:end]
        if action == "removed":
            body = f'<del>{e(text)}</del><span class="rule">{e(rule or "removed")}</span>'
        elif action == "blank" or not text.strip():
            body = ""
        else:
            body, clean = _line_pieces(raw, record, start, end, rule if action != "kept" else None)
            if clean is not None:
                p = _paragraph_of(starts, clean)
                body += f'<a class="to-clean" href="#p{p}">to P{p}</a>'
        items.append(f'<li id="l{line}" value="{line}" class="a-{e(action)}">{body}</li>')
    removed = sum(a[3] == "removed" for a in record.audit)
    return (
        f'<section aria-labelledby="raw-h"><h2 id="raw-h">Raw scrape</h2>\n'
        f'<p class="muted"><code>{e(record.raw_file)}</code>: {len(record.audit)} lines, {removed} removed'
        " (struck through, with the rule that removed them); a kept line links to its clean paragraph.</p>\n"
        f'<ol class="raw" lang="fr">\n' + "\n".join(items) + "\n</ol></section>"
    )
