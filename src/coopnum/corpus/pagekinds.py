"""Boxes of page kinds met first in heldout12 (their one-line furniture is in :mod:`~coopnum.corpus.page_widgets`):
:func:`remove_page_boxes` removes a box that a furniture heading opens (cancellation terms, a crowdfunding
page's comments, an open-data portal's related datasets, a shop's offers, a radio's dedications, earlier
notes) with the lines under it; :func:`remove_author_box` removes a review's or a report's author box (a
name line and the bio under it that names them) at the end of the page.
"""

from __future__ import annotations

import re

from coopnum.corpus.features import is_prose, words
from coopnum.corpus.lines import Line
from coopnum.corpus.rules import Rule
from coopnum.corpus.shapes import is_name_label

PAGE_RULES: tuple[Rule, ...] = (
    Rule("page_box", "a box a furniture heading opens (terms, comments, related datasets, offers) and its lines"),
    Rule("author_box", "after the prose: an author's name line and the bio under it that names them"),
)
_Q = "['’]"

_BOX_HEADING = re.compile(
    rf"^(?:conditions d{_Q}annulation|derniers commentaires|autour de l{_Q}exposition|jeux de données associés"
    rf"|(?:les )?offres du moment|dédicaces du jour|(?:\w+ ){{0,2}}précédent(?:e)?s|ressources associées)$",
    re.IGNORECASE,
)
_BIO_VERB = re.compile(r"\b(?:couvre|teste|écrit|suit|passionnée?|est (?:journaliste|rédact\w+|reporter))\b")


def remove_page_boxes(lines: list[Line]) -> None:
    """A furniture heading and the lines under it, up to a blank line; when a blank line follows the heading,
    the box is a spaced list: its lines go up to the next prose line."""
    for i, ln in enumerate(lines):
        if not (ln.open and _BOX_HEADING.match(ln.current)):
            continue
        ln.decide("removed", "page_box")
        spaced = i + 1 < len(lines) and lines[i + 1].action == "blank"
        for rest in lines[i + 1 :]:
            if rest.action == "blank":
                if spaced:
                    continue
                break
            if spaced and is_prose(rest.current):
                break
            if rest.open:
                rest.decide("removed", "page_box")


def remove_author_box(lines: list[Line]) -> None:
    """A name line followed by a bio that names the author (« Julien teste pour nous … »), with no prose after."""
    open_lines = [ln for ln in lines if ln.open and ln.text]
    for k, ln in enumerate(open_lines[:-1]):
        name = ln.current
        bio = open_lines[k + 1]
        if not is_name_label(name) or words(name) > 3:
            continue
        first = name.split()[0]
        if (
            first in bio.current
            and _BIO_VERB.search(bio.current)
            and not any(is_prose(x.current) for x in open_lines[k + 2 :])
        ):
            ln.decide("removed", "author_box")
            bio.decide("removed", "author_box")
            return
