"""The corpus-level consistency check: one surface form labelled differently, or not at all, across the gold."""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from coopnum.annotation import format as ann
from coopnum.quality.findings import Finding, finding

# ------------------------------------------------------------------ the corpus


@dataclass(frozen=True)
class SurfaceTable:
    """Corpus-wide labels of every gold surface form, and the passes' votes on them: what the
    variation checks compare each document with (built in one pass, used in a second)."""

    labels: dict[str, dict[str, int]]  # surface -> label -> gold mentions
    votes: dict[str, dict[str, int]]  # surface -> label -> pass spans (only surfaces of the gold)
    exceptions: frozenset[str]

    @classmethod
    def of(
        cls, gold: Mapping[tuple[str, str], int], passes: Mapping[tuple[str, str], int], exceptions: Iterable[str]
    ) -> SurfaceTable:
        """From (surface, label) counts of the gold and of the passes."""
        labels: dict[str, dict[str, int]] = defaultdict(dict)
        for (surface, label), n in sorted(gold.items()):
            labels[surface][label] = n
        votes: dict[str, dict[str, int]] = defaultdict(dict)
        for (surface, label), n in sorted(passes.items()):
            if surface in labels:
                votes[surface][label] = n
        return cls(dict(labels), dict(votes), frozenset(exceptions))

    @functools.cached_property
    def finder(self) -> OccurrenceFinder:
        return OccurrenceFinder([x for x in self.labels if x not in self.exceptions])


def surface_counts(spans: Iterable[ann.Span]) -> Counter[tuple[str, str]]:
    return Counter((s.text, s.label) for s in spans)


def document_variation_findings(
    table: SurfaceTable,
    doc_id: str,
    gold_id: str,
    text: str,
    paragraphs: Sequence[tuple[int, int]],
    entities: Sequence[ann.Span],
) -> list[Finding]:
    """Dickinson & Meurers-style variation of one document's gold against the corpus table (pure):
    a gold surface form with two types, or unlabelled where it occurs elsewhere labelled.

    The type a surface form should have is the majority over the gold and the independent passes'
    spans (``table.votes``): a gold label edited after adjudication is then the minority, not the
    occurrences that kept the agreed label."""
    out = []
    for s in entities:
        counts = table.labels.get(s.text, {})
        if s.text in table.exceptions or len(counts) < 2:
            continue
        votes = table.votes.get(s.text, {})
        weight = {k: counts.get(k, 0) + votes.get(k, 0) for k in set(counts) | set(votes)}
        majority = max(weight, key=lambda k: (weight[k], k))
        if s.label != majority:
            out.append(
                finding(
                    "label_variation",
                    f"[{s.start}, {s.end}) {s.text!r} is {s.label} here, {majority} in "
                    f"{counts.get(majority, 0)} gold place(s) and {votes.get(majority, 0)} pass span(s)",
                    doc_id,
                    gold_id,
                    "label",
                )
            )
    covered = [(e.start, e.end) for e in entities]
    for surface, places in sorted(table.finder.find(text, paragraphs).items()):
        counts = table.labels[surface]
        label = max(counts, key=lambda k: (counts[k], k))
        for start, end in places:
            if not any(cs <= start and end <= ce for cs, ce in covered):
                out.append(
                    finding(
                        "unlabelled_occurrence",
                        f"{surface!r} at [{start}, {end}) is unlabelled; it is {label} {sum(counts.values())} time(s) elsewhere",
                        doc_id,
                        gold_id,
                        "entities",
                    )
                )
    return out


class OccurrenceFinder:
    """Every occurrence of some surface forms on word edges (same edges as
    :func:`coopnum.passfile.occurrences`), in one scan per paragraph: one regular expression finds
    the positions where some surface starts, then only the surfaces with that first character are
    tried there. Linear in the text, where one search per surface and paragraph was not."""

    def __init__(self, surfaces: Sequence[str]) -> None:
        from coopnum.annotation.passfile import LEFT_EDGE, RIGHT_EDGE

        ordered = sorted(set(surfaces), key=lambda x: (-len(x), x))
        self.by_first: dict[str, list[str]] = defaultdict(list)
        for x in ordered:
            self.by_first[x[0]].append(x)
        alternatives = "|".join(re.escape(x) for x in ordered)
        self.starts = re.compile(f"{LEFT_EDGE}(?=(?:{alternatives}){RIGHT_EDGE})") if ordered else None
        self.right = re.compile(RIGHT_EDGE)

    def find(self, text: str, paragraphs: Sequence[tuple[int, int]]) -> dict[str, list[tuple[int, int]]]:
        """Surface -> its ``[start, end)`` places in ``text``, inside the paragraphs."""
        found: dict[str, list[tuple[int, int]]] = defaultdict(list)
        if self.starts is None:
            return found
        for a, b in paragraphs:
            paragraph = text[a:b]
            for m in self.starts.finditer(paragraph):
                p = m.start()
                for x in self.by_first[paragraph[p]]:
                    if paragraph.startswith(x, p) and self.right.match(paragraph, p + len(x)):
                        found[x].append((a + p, a + p + len(x)))
        return found


def justified_variation(guidelines: Path) -> set[str]:
    """Surface forms the guidelines' « Justified variation » table exempts."""
    if not guidelines.is_file():
        return set()
    text = guidelines.read_text(encoding="utf-8")
    m = re.search(r"^#+ .*Justified variation.*$(.*?)(?=^#)", text, flags=re.M | re.S)
    if not m:
        return set()
    return {row.split("|")[1].strip().strip("`") for row in m[1].splitlines() if row.startswith("| `")}
