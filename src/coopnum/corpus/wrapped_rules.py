"""The line rules read a wrapped block as the one line it was before a page width cut it (met first in heldout13,
cut at 90 columns): a notice, a bio or a live session's housekeeping turn is a sentence that a line rule knows
whole (« Rappel : … » / « … contactez votre conseil »), while no piece of it is known alone. A block of linked
lines (:func:`~coopnum.corpus.wrapping.linked_blocks`) whose joined text a line rule removes is removed whole,
each line under that rule; the clean text then holds none of its lines, so cleaning it again finds the same."""

from __future__ import annotations

from coopnum.corpus.lines import Line
from coopnum.corpus.rules import LINE_RULES
from coopnum.corpus.wrapping import linked_blocks, open_texts


def _rule_taking(text: str) -> str | None:
    """The first line rule that removes ``text`` as a whole (a trim rule's match does not count)."""
    for rule in LINE_RULES:
        m = rule.test(text, text)
        if m is not None and m.trim_to is None:
            return m.rule
    return None


def remove_wrapped_furniture(lines: list[Line]) -> None:
    """Remove every block of linked open lines whose joined text a line rule removes. Only open lines are read:
    joined with a line a rule has already removed, a kept paragraph could be taken for the rest of a notice."""
    open_lines, texts = open_texts(lines)
    for start, end, text in linked_blocks(texts):
        if (rule := _rule_taking(text)) is not None:
            for ln in open_lines[start:end]:
                ln.decide("removed", rule)
