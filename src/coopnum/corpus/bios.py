"""Closing notes about who wrote or published the page (met first in heldout11): the author's bio
(« Name est étudiante en … ») and the publisher's self-description (« Name est une association … ») at the
end of the text. Both read as prose, so no footer rule takes them; what tells them is the name they open
with: the byline's author, or the site's name in its masthead (the page's first line, « Name — tagline »).
Only the last prose lines are looked at: the same name opening a sentence inside the article is its subject.
"""

from __future__ import annotations

import re

from coopnum.corpus.features import words
from coopnum.corpus.lines import Line
from coopnum.corpus.rules import Rule
from coopnum.corpus.wrapping import is_prose_line

BIO_RULES: tuple[Rule, ...] = (
    Rule(
        "closing_bio",
        "at the end, a line opening with the byline's author or the masthead's name and « est », « couvre », …",
    ),
)

_AUTHOR = re.compile(r"^Par ([A-ZÀ-Ý][\w'’-]+(?: [A-ZÀ-Ý][\w'’-]+){1,2})\b")
_MASTHEAD = re.compile(r"^(?P<name>[^—–|·:]{2,40}?)\s[—–|·]\s")
MASTHEAD_MAX_WORDS = 4
# what a bio says its subject does (« Name est …, couvre …, suit …, a rejoint … »)
_BIO_VERB = re.compile(r"(?:est|couvre|suit|a rejoint|travaille|écrit sur)\s")


def _names(lines: list[Line]) -> list[str]:
    # the byline's author, whether the byline rule or the field-stamp shape (« Par Name | date | … ») took it
    names = [m[1] for ln in lines if ln.rule in ("byline", "field_stamp") and (m := _AUTHOR.match(ln.text))]
    first = next((ln for ln in lines if ln.text), None)
    if first is not None and (m := _MASTHEAD.match(first.text)) and words(m["name"]) <= MASTHEAD_MAX_WORDS:
        names.append(m["name"].strip())
    return names


def remove_closing_bios(lines: list[Line]) -> None:
    """From the end up, while the open prose lines open with a name of the page and a bio verb, remove them."""
    names = _names(lines)
    if not names:
        return
    for ln in reversed(lines):
        if not ln.open or not ln.text or not is_prose_line(ln):
            continue  # the footer's short lines are decided later: the last prose lines are the ones looked at
        if not any(ln.current.startswith(n + " ") and _BIO_VERB.match(ln.current, len(n) + 1) for n in names):
            return
        ln.decide("removed", "closing_bio")
