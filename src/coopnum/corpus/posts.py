"""Line rules of community threads (met first in heldout11), as ``(rule, description, test)`` for
:data:`~coopnum.corpus.rules.LINE_RULES`: a post's flair glued before its title is trimmed, so the title
is the headline the poster pasted (« [Article] Title »). A bracketed placeholder alone on its line
(« [Capture d'écran] ») is no flair: a flair has a headline of several words after it."""

from __future__ import annotations

import re
from collections.abc import Callable

from coopnum.corpus.features import is_prose
from coopnum.corpus.matches import Match

# One or two words in brackets, then at least three words: the tag a forum sets on a post's title.
_FLAIR = re.compile(r"^\[(?:[^\W\d_][\w'’-]{1,15})(?: [^\W\d_][\w'’-]{1,15})?\]\s+(?=\S+\s+\S+\s+\S)")
FLAIR_MAX_CHARS = 200


def post_flair(t: str) -> int | None:
    """The length of a flair opening a headline (« [Article] », « [Discussion] »), or None."""
    if len(t) > FLAIR_MAX_CHARS or is_prose(t):
        return None
    m = _FLAIR.match(t)
    return m.end() if m else None


def _trim_rule(name: str, length: Callable[[str], int | None]) -> Callable[[str, str], Match | None]:
    """A trim rule of :data:`~coopnum.corpus.rules.LINE_RULES`: the prefix ``length`` finds is dropped."""

    def test(t: str, raw: str) -> Match | None:
        n = length(t)
        return Match(name, trim_to=n) if n is not None else None

    return test


POST_RULES: tuple[tuple[str, str, Callable[[str, str], Match | None]], ...] = (
    (
        "post_flair",
        "a forum post's flair glued before its title (« [Article] Title »: the flair trimmed)",
        _trim_rule("post_flair", post_flair),
    ),
)
