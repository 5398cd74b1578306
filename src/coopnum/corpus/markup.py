"""Lightweight markup left in a scrape (a Markdown export): what the reader of the page sees.

A page saved as Markdown keeps its links (« [Partager](https://…) »), bold and italic markers
(« **Par Name** », « *Caption. © Agency* »), quote markers (« > **À lire aussi :** … ») and
heading markers (« ## Subheading »). The line rules are written for the text a reader sees, so
they also read a marked-up line without its markup (:func:`reader_text`); a heading marker is
trimmed from the line itself (:func:`heading_marker_end`), so that a title or a subheading is
its words alone. An image (« ![alt](src) ») is left as it is: the image rules read it.
"""

from __future__ import annotations

import re

_LINK = re.compile(r"(?<!!)\[([^\[\]]*)\]\([^()\s]*\)")
_STRONG = re.compile(r"\*\*|__")
_QUOTE = re.compile(r"^>\s*")
_EMPHASIS = re.compile(r"^[*_](?=\S)(.*\S)[*_]$")  # a whole line in italics (a caption)
_HEADING = re.compile(r"^#{1,6}[ \t]+(?=\S)")


def reader_text(t: str) -> str | None:
    """``t`` without its Markdown links, emphasis and quote marker; None when it holds none."""
    if not any(c in t for c in "[*_>"):
        return None
    plain = _QUOTE.sub("", _STRONG.sub("", _LINK.sub(r"\1", t)))
    plain = _EMPHASIS.sub(r"\1", plain).strip()
    return plain if plain != t else None


def heading_marker_end(t: str) -> int | None:
    """Where the words of a Markdown heading (« ## Subheading ») start; None for any other line."""
    m = _HEADING.match(t)
    return m.end() if m else None
