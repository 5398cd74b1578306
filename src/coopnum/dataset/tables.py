"""Markdown tables and number formatting for the card and the datasheet, from the schema and :class:`Stats`."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from coopnum import schema
from coopnum.corpus import clean
from coopnum.dataset.stats import Stats

_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


def spelled(n: int) -> str:
    """``n`` in words up to twelve (as prose writes small counts), in digits above."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def size_category(n: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if n < limit:
            return name
    return "1M<n<10M"


# What would turn text into markup: in HTML, a ``<`` opening a tag, a comment or an autolink, and an
# ``&`` opening a character reference (a lone ``<`` as in "(<6 words)" or ``>`` stays as written);
# in Markdown, the characters of emphasis, code, links and strike-through.
_HTML_OPENING = re.compile(r"<(?=[A-Za-z/!?])")
_HTML_REFERENCE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]~|])")


class Plain(str):
    """Text :func:`plain` has made literal (so :func:`table` does not escape it twice)."""


def no_html(text: str) -> str:
    """``text`` with every would-be HTML tag, comment or character reference written as literal text."""
    return _HTML_OPENING.sub("&lt;", _HTML_REFERENCE.sub("&amp;", text))  # references first: "&lt;" is one


def plain(text: str) -> Plain:
    """Text from the data (an outlet, a title, a quoted span) as literal Markdown: neither HTML nor
    Markdown syntax in a scraped page can become markup in the card."""
    return Plain(no_html(_MARKDOWN_PUNCTUATION.sub(r"\\\1", text)))


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table; no cell can break the table (``|``, line breaks) or open HTML. Cells holding
    text from the data should also go through :func:`plain` (code-written cells keep their Markdown)."""

    def cell(v: object) -> str:
        text = v if isinstance(v, Plain) else no_html(str(v).replace("|", "\\|"))
        return text.replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def fmt(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def entity_table() -> str:
    return table(
        ("label", "CoNLL-4", "definition", "examples"),
        [(e.label, e.conll, e.definition, ", ".join(e.examples)) for e in schema.ENTITY_TYPES],
    )


def stance_table() -> str:
    return table(("label", "definition"), [(s.label, s.definition) for s in schema.STANCE_LABELS_INFO])


def topic_table() -> str:
    return table(
        ("topic", "covers", "IPTC Media Topic", "note"),
        [(t.label, t.covers, "; ".join(f"{i.code} {i.label}" for i in t.iptc), t.note or "") for t in schema.TOPICS],
    )


def rules_table(removed_by_rule: Mapping[str, int] | None = None) -> str:
    counts = removed_by_rule or {}
    return table(
        ("rule", "removes", "lines in this build"),
        [(r.name, r.description, counts.get(r.name, 0)) for r in clean.RULES],
    )


def split_table(s: Stats) -> str:
    header = ["split", "documents"]
    if s.annotated:
        header += ["sentences", "tokens", *(f"{label} mentions" for label in schema.ENTITY_LABELS)]
    rows = []
    for split in (*schema.SPLITS, "total"):
        splits_ = schema.SPLITS if split == "total" else (split,)
        row: list[object] = [split, sum(s.documents[x] for x in splits_)]
        if s.annotated:
            row += [sum(s.sentences[x] for x in splits_), sum(s.tokens[x] for x in splits_)]
            row += [sum(s.mentions[x].get(label, 0) for x in splits_) for label in schema.ENTITY_LABELS]
        rows.append(row)
    return table(header, rows)


def stance_distribution(s: Stats) -> str:
    rows = []
    for level in schema.STANCE_LEVELS:
        for split in schema.SPLITS:
            counts = s.stances[level][split]
            rows.append([level, split, *(counts.get(label, 0) for label in schema.STANCE_LABELS)])
    return table(("level", "split", *schema.STANCE_LABELS), rows)


def topic_distribution(s: Stats) -> str:
    return table(
        ("topic", *schema.SPLITS),
        [(t, *(s.topics[split].get(t, 0) for split in schema.SPLITS)) for t in schema.TOPIC_LABELS],
    )


def outlet_table(s: Stats) -> str:
    return table(("outlet as stated", "documents"), [(plain(outlet), n) for outlet, n in s.outlets.items()])
