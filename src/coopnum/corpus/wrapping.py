"""Wrapped paragraphs: lines cut at a fixed width that continue one sentence are one prose block.

A PDF extraction or a fixed-width dump cuts a paragraph into lines that end mid-sentence
(« … informe l’opinion publique nationale et ») and go on in lower case on the next line
(« internationale de la signature, … »), a word sometimes split by a hyphen (« plénipoten- » /
« tiaire »). No such line is prose on its own, but the block they form is: each line of a
block whose joined text is prose counts as prose for the layout (header, footer, title) and for
the line veto. Only running text is linked: the upper line is long (a label or a title is not
cut at a page's width) and ends inside a sentence, the lower line opens in lower case.

The links are read over the open, non-blank lines after the line rules, so a removed line (a
page footer between two pages) does not break a paragraph, and read again once the layout has
removed list items, captions, bylines and boxes, before the header and footer are found: the
clean text holds the same lines in the same order, so cleaning it again finds the same blocks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coopnum.corpus.features import is_prose, words
from coopnum.corpus.lines import Line

WRAPPED_MIN_WORDS = 8  # an upper line shorter than this is a label or a title, not a line cut at the page width

_ENDS_INSIDE = re.compile(r"[^\W_][,’'-]?$|[^\W\d_]-$")  # a word, a comma or a hyphen: the sentence goes on
_OPENS_LOWER = re.compile(r"^[a-zà-ÿœæ]")
# A word that never ends a sentence (an article, a preposition, a conjunction), or a comma: the next line
# goes on with it whatever it opens with (a name, a figure, a quote: « … signé avec la » / « Russie … »).
_ENDS_ON_LINK_WORD = re.compile(
    r"(?:,|\s(?:le|la|les|l[’']|un|une|des|du|de|d[’']|à|au|aux|en|et|ou|par|pour|sur|avec|dans|entre|que|qui)"
    r"|(?:^|\s)(?:l|d|qu)[’'])$",
    re.IGNORECASE,
)
_HYPHEN_SPLIT = re.compile(r"[a-zà-ÿœæ]-$")
_ENDS_ON_LETTER = re.compile(r"[a-zà-ÿœæ]$")
_OPENS_WORD = re.compile(r"^[«\"“(]?\s?[^\W_]")


def continues(upper: str, lower: str, *, inside: bool = False) -> bool:
    """Whether ``lower`` goes on with the sentence that ``upper`` leaves unfinished (``inside``: ``upper``
    itself goes on from the line above, so it may be short — the rest of a line cut twice)."""
    # a short upper line is a label or a title, unless it splits a word with a hyphen (« … Plu- »), or opens in
    # lower case and stops on a word that never ends a sentence (it is itself the rest of a cut paragraph: a narrow
    # column resumed after a page break, « satellitaires en attendant de la »)
    cut_short = bool(_HYPHEN_SPLIT.search(upper[-2:])) or bool(
        _OPENS_LOWER.match(upper) and _ENDS_ON_LINK_WORD.search(upper[-8:])
    )
    if not inside and words(upper) < WRAPPED_MIN_WORDS and not cut_short:
        return False
    if _OPENS_LOWER.match(lower):  # the end is read on the last two characters, all the pattern needs
        return bool(_ENDS_INSIDE.search(upper[-2:]))
    if inside and _ENDS_ON_LETTER.search(upper[-1:]):
        # a line of a cut paragraph that stops on a word has not ended its sentence, whatever opens the next
        # (a narrow column: « … Une première phase concernera » / « Ziguinchor, … »)
        return bool(_OPENS_WORD.match(lower))
    return bool(_OPENS_WORD.match(lower)) and bool(_ENDS_ON_LINK_WORD.search(upper[-8:]))


def _joined(block: Sequence[str]) -> str:
    text = ""
    for t in block:
        text = text[:-1] + t if text.endswith("-") else f"{text} {t}".strip()
    return text


def linked_blocks(texts: Sequence[str]) -> list[tuple[int, int, str]]:
    """The blocks of ≥2 linked lines: ``(start, end, joined text)``, ``texts[start:end]`` the block's lines."""
    out = []
    start = 0
    for i in range(1, len(texts) + 1):
        if i < len(texts) and continues(texts[i - 1], texts[i], inside=i - 1 > start):
            continue
        if i - start >= 2:
            out.append((start, i, _joined(texts[start:i])))
        start = i
    return out


def wrapped_prose(texts: Sequence[str]) -> list[bool]:
    """For each line, whether it belongs to a block of ≥2 linked lines whose joined text is prose."""
    flags = [False] * len(texts)
    for start, end, text in linked_blocks(texts):
        if is_prose(text):
            flags[start:end] = [True] * (end - start)
    return flags


def open_texts(lines: list[Line]) -> tuple[list[Line], list[str]]:
    """The open, non-blank lines and the text each is linked by (an untrimmed line's text is its own)."""
    open_lines = [ln for ln in lines if ln.open and ln.action != "blank" and ln.text]
    return open_lines, [ln.current if ln.rule else ln.text for ln in open_lines]


def mark_wrapped_paragraphs(lines: list[Line]) -> None:
    """Flag the open lines that are part of a wrapped prose block (:attr:`Line.wrapped`); run again once
    more lines are removed, so that no block holds a line the clean text will not hold."""
    for ln in lines:
        ln.wrapped = False
    open_lines, texts = open_texts(lines)
    for ln, flag in zip(open_lines, wrapped_prose(texts), strict=True):
        ln.wrapped = flag


def title_goes_on(lines: list[Line], title: Line | None) -> Line | None:
    """The title, unless it goes on into the text under it once the header's labels between are gone: the clean
    text holds them side by side and cleaning it again reads one wrapped paragraph, so it is one now (its lines
    are marked wrapped and no line is the title)."""
    if title is None:
        return None
    open_lines = [ln for ln in lines if ln.open and ln.action != "blank" and ln.text]
    below = open_lines[open_lines.index(title) :]
    flags = wrapped_prose([ln.current for ln in below])
    if not flags[0]:
        return title
    for ln, flag in zip(below, flags, strict=True):
        if not flag:
            break
        ln.wrapped = True
    title.kind = None
    return None


# A headline opened by a rubric in capitals and a full stop (« DIRECT. Forum … », « VIDÉO. … »):
# the stop after the rubric is no sentence break, so the line is prose only if the rest is.
_RUBRIC_STOP = re.compile(r"^[A-ZÀ-Ý]{3,}\. (?=[A-ZÀ-Ý])")


def is_prose_line(line: Line) -> bool:
    """Prose on its own or as part of a wrapped paragraph."""
    t = line.current
    return line.wrapped or (is_prose(t) and not (_RUBRIC_STOP.match(t) and not is_prose(_RUBRIC_STOP.sub("", t))))
