"""What cleaning gives: the clean document, its paragraphs and the audit record of every raw line."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from coopnum.text.textmap import OffsetMap


@dataclass(frozen=True)
class Paragraph:
    """Half-open character range ``[start, end)`` of ``CleanDocument.text``."""

    start: int
    end: int
    kind: str  # one of schema.PARAGRAPH_KINDS


@dataclass(frozen=True)
class LineDecision:
    """What happened to one raw line (1-based ``line``; raw range without its line end)."""

    line: int
    raw_start: int
    raw_end: int
    action: str  # kept | trimmed | removed | blank
    rule: str | None  # the rule that removed the line (or, for trimmed, its prefix)
    text: str  # the line after normalisation, before any removal
    recurrence: int | None = None  # rule recurring_line: documents of the outlet (or outlets) holding the line


@dataclass(frozen=True)
class CleanDocument:
    doc_id: str
    text: str
    paragraphs: tuple[Paragraph, ...]
    title: str | None
    outlet: str | None
    date: str | None
    offset_map: OffsetMap
    audit: tuple[LineDecision, ...]

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def removed_by_rule(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for d in self.audit:
            if d.action in ("removed", "trimmed") and d.rule:
                counts[d.rule] = counts.get(d.rule, 0) + 1
        return dict(sorted(counts.items()))
