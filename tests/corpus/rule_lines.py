"""What the rule tests (``test_clean_rules*.py``, one per fixture set fixed) ask of the cleaner: the line
rule that takes a line first, a line as the cleaner normalises it, the lines a clean keeps."""

from __future__ import annotations

from coopnum.corpus.clean import clean_document
from coopnum.corpus.rules import LINE_RULES
from coopnum.text.textmap import normalise_line, text_of

DOC = "0000000000000000"  # the id the invented pages are cleaned under


def first_rule(line: str) -> str | None:
    """The name of the first line rule that takes ``line`` (as given: normalise it first with :func:`norm`
    where the test means the line as the cleaner reads it), or ``None``."""
    return next((m.rule for r in LINE_RULES if (m := r.test(line, line)) is not None), None)


def norm(line: str) -> str:
    """A line as the cleaner normalises it (a no-break space before « : », for one)."""
    return text_of(normalise_line(line, 0, len(line)))


def kept_lines(raw: str) -> list[str]:
    """The text of every line the cleaner keeps (whole or trimmed) of the page ``raw``."""
    return [a.text for a in clean_document(raw, DOC).audit if a.action in ("kept", "trimmed")]


def kept(lines: list[str]) -> list[str]:
    """``lines`` as :func:`kept_lines` gives them back when the cleaner keeps them all."""
    return [norm(x) for x in lines]


def kept_of(raw: str, *texts: str) -> list[str]:
    """Those of ``texts`` (normalised as the cleaner reads them) that the clean of the page ``raw`` keeps."""
    found = kept_lines(raw)
    return [norm(x) for x in texts if norm(x) in found]
