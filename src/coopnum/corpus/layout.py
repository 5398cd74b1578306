"""Decisions from layout, after the line rules: list items under a heading, lines touching a
credit or byline, the comment section, and the header and footer around the prose.

*Prose* (:func:`~coopnum.corpus.features.is_prose`) anchors the article: lines before the
first prose line form the header, lines after the last one the footer.
"""

from __future__ import annotations

import re

from coopnum.corpus.features import SENTENCE_END, is_headline_like, is_prose, words
from coopnum.corpus.lines import Line
from coopnum.corpus.rules import Rule

TITLE_MIN_WORDS = 3
HEADER_KEEP_MIN_WORDS = 6
SUBTITLE_MIN_WORDS = 18  # a header line this long under a headline is its subtitle, not the title
FOOTER_LIST_MIN_LINES = 3
CAPTION_MAX_WORDS = 30
SUBHEADING_MAX_WORDS = 5
TAG_MAX_WORDS = 4
ABOUT_MAX_LINES = 2  # an about box: its heading and at most this many lines under it
BOX_MAX_WORDS = 11  # a line inside a newsletter box (a name, a blurb, a form field)

_SIGNATURE = re.compile(
    r"^\(?(?P<avec>avec\s+)?(?P<agency>[A-Z]{2,8}(?:\s?[/-]\s?[A-Z]{2,8})*)\)?$"
    r"|^\((?P<avec2>avec\s+)?(?P<agency2>[A-Z][a-z]{2,12})\)$"  # a capitalised agency in parentheses: « (Belga) »
)
_NAME_WORD = r"[A-ZÀ-Ý][a-zà-ÿ'’-]+"
_AUTHOR_SIGNATURE = re.compile(
    rf"^(?:(?:[A-ZÀ-Ý]\.\s?)+{_NAME_WORD}|{_NAME_WORD}(?: {_NAME_WORD}){{1,2}}|{_NAME_WORD}(?: [A-ZÀ-Ý]\.)+"
    r"|[a-z]{1,4}(?:/[a-z]{1,4}){1,5})$"  # « K. Yao », « Anna Petrova », « Lova R. », a wire's « pk/ml/sba »
)

# Rules that are not line patterns: decided from layout.
LAYOUT_RULES: tuple[Rule, ...] = (
    Rule("related_item", "a headline-like line under a related-articles heading"),
    Rule("photo_caption", "also: a line of ≤30 words touching a credit line (no blank line between)"),
    Rule("byline", "also: a line of ≤4 words touching a byline or date line (author, outlet)"),
    Rule("comment_section", "a comments heading after the prose (« 2 réflexions sur … ») and everything after it"),
    Rule("tags_item", "the tag list under a tags heading (one tag of ≤4 words a line, or headline-like lines)"),
    Rule("about_item", "the lines of an about box (≤2) under its heading"),
    Rule("newsletter_widget", "also: a line of ≤11 words inside a newsletter box (no blank line between)"),
    Rule(
        "header_label",
        "before the first prose line: a line above the title (site name, tagline, rubric) or a short one (<6 words)",
    ),
    Rule("agency_signature", "an agency signature after the last prose line (« VNA/CVN », « (AFP) »)"),
    Rule("author_signature", "an author's name alone after the last prose line (« K. Yao », « Anna Petrova »)"),
    Rule("footer_headlines", "≥3 headline-like lines after the last prose line: a list of other articles"),
    Rule("blank", "an empty line (a paragraph separator, not boilerplate)"),
)

_COMMENTS_HEADING = re.compile(
    r"^(?:\d+ (?:commentaires?|réflexions?|réactions?)\b.*|(?:commentaires?|réactions?|vos réactions)\s*(?:\(\d+\))?"
    r"\s*:?|(?:laisser|ajouter|écrire) un commentaire\b.*|réagir à cet article\b.*)$",
    re.IGNORECASE,
)

_LIST_MARKER = re.compile(r"^(?:\d{1,2}[.)]|[-–•·▪►])\s")


# --------------------------------------------------------------------------- lists under a heading


def _is_list_item(line: Line, after: list[Line], rule: str) -> bool:
    """A headline-like line under a list heading, unless it is a short subheading that prose follows;
    under a tags heading also a tag alone (« Russie »)."""
    t = line.current
    if rule == "tags_item" and words(t) <= TAG_MAX_WORDS and not SENTENCE_END.search(t):
        return True
    if not is_headline_like(t) or is_prose(t):
        return False
    if _LIST_MARKER.match(t):  # « 3. Mon avis », « - Titre »: marked items stay items
        return True
    nxt = next((x for x in after if x.action != "blank" and x.open), None)
    return not (words(t) <= SUBHEADING_MAX_WORDS and nxt is not None and is_prose(nxt.current))


def remove_list_items(lines: list[Line]) -> None:
    """Remove the items of the lists that headings open (``extracted["opens"]``), up to the
    first line that is no item; the heading's ``…_heading`` rule names them ``…_item``."""
    list_rule: str | None = None
    box_lines = 0
    for i, line in enumerate(lines):
        if line.action == "blank":
            if list_rule == "tags_item":
                list_rule = None  # a tag list is one block
            continue
        if line.extracted.pop("opens", ""):
            list_rule = line.rule.replace("_heading", "_item") if line.rule else None
            box_lines = 0
        elif not line.open:
            if list_rule == "about_item":
                list_rule = None  # an about box ends at the next furniture line
            continue  # another rule's line does not close an open list
        elif list_rule == "about_item" and box_lines < ABOUT_MAX_LINES:
            line.decide("removed", list_rule)
            box_lines += 1
        elif list_rule and list_rule != "about_item" and _is_list_item(line, lines[i + 1 :], list_rule):
            line.decide("removed", list_rule)
        else:
            list_rule = None


# --------------------------------------------------------------------------- lines touching an anchor


def _remove_beside(
    lines: list[Line],
    anchors: set[str],
    rule: str,
    *,
    max_words: int,
    prose_ok: bool,
    spread: bool,
    below_only: bool = False,
) -> None:
    """Remove open lines directly above or below (no blank line between) a line removed by one of
    ``anchors`` — a caption touching its credit, a name touching its byline — and, with ``spread``,
    lines touching those in turn; with ``below_only``, only lines below (a box under its heading)."""
    removed_here: set[int] = set()
    changed = True
    while changed:
        changed = False
        for i, ln in enumerate(lines):
            if not ln.open:
                continue
            t = ln.current
            if words(t) > max_words or (not prose_ok and SENTENCE_END.search(t)):
                continue
            neighbours = [j for j in ((i - 1,) if below_only else (i - 1, i + 1)) if 0 <= j < len(lines)]
            if any(
                lines[j].action == "removed" and (lines[j].rule in anchors or (spread and j in removed_here))
                for j in neighbours
            ):
                ln.decide("removed", rule)
                removed_here.add(i)
                changed = spread


def remove_captions_and_bylines(lines: list[Line]) -> None:
    """Captions touching their credit line; author and outlet names touching a byline or date line."""
    _remove_beside(lines, {"photo_credit"}, "photo_caption", max_words=CAPTION_MAX_WORDS, prose_ok=True, spread=False)
    _remove_beside(lines, {"byline", "update_stamp", "date_line"}, "byline", max_words=4, prose_ok=False, spread=True)
    _remove_beside(
        lines,
        {"newsletter_widget"},
        "newsletter_widget",
        max_words=BOX_MAX_WORDS,
        prose_ok=True,
        spread=True,
        below_only=True,
    )


# --------------------------------------------------------------------------- around the prose


def cut_comment_section(lines: list[Line]) -> None:
    """A comments heading after the article's prose starts the comment section: it and
    everything after it (comments, the comment form, sidebars, footer) is removed."""
    seen_prose = False
    for i, ln in enumerate(lines):
        t = ln.current
        if ln.open and is_prose(t):
            seen_prose = True
        elif seen_prose and ln.action != "blank" and _COMMENTS_HEADING.match(t):
            for rest in lines[i:]:
                if rest.action != "blank":
                    rest.decide("removed", "comment_section")
            return


def header_and_footer(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """The open lines before the first prose line, and those after the last (none without prose)."""
    open_lines = [ln for ln in lines if ln.open]
    prose = [i for i, ln in enumerate(open_lines) if is_prose(ln.current)]
    first = prose[0] if prose else len(open_lines)
    last = prose[-1] if prose else len(open_lines)
    return open_lines[:first], open_lines[last + 1 :] if prose else []


def _choose_title(header: list[Line]) -> Line | None:
    """The title: the last header line of at least 3 words (pages put the site name, menus and
    rubrics above the title, and only short labels, bylines and widgets between it and the
    text). In a clean text the title is then the only header line, so choosing it again keeps
    cleaning idempotent."""
    candidates = [ln for ln in header if words(ln.current) >= TITLE_MIN_WORDS]
    if not candidates:
        return None
    title = candidates[-1]
    i = header.index(title)
    if (
        len(candidates) >= 2
        and i > 0
        and header[i - 1] is candidates[-2]
        and words(title.current) >= SUBTITLE_MIN_WORDS
        and words(candidates[-2].current) < words(title.current)
    ):
        # a long subtitle without final stop directly under a shorter headline: the headline is the title
        return candidates[-2]
    return title


def mark_header(header: list[Line]) -> Line | None:
    """Mark the title and remove the header's labels; return the title line, if any."""
    title_line = _choose_title(header)
    after_title = title_line is None
    for ln in header:
        if ln is title_line:
            ln.kind, after_title = "title", True
        elif not after_title or words(ln.current) < HEADER_KEEP_MIN_WORDS:
            ln.decide("removed", "header_label")
    return title_line


def mark_footer(footer: list[Line]) -> None:
    """Remove signatures (an agency's names the outlet) and a list of other articles' headlines."""
    for ln in footer:
        m = _SIGNATURE.match(ln.current)
        if m:
            ln.decide("removed", "agency_signature")
            if not (m["avec"] or m["avec2"]):
                ln.extracted["outlet"] = m["agency"] or m["agency2"]
        elif _AUTHOR_SIGNATURE.match(ln.current):
            ln.decide("removed", "author_signature")
    headlines = [ln for ln in footer if ln.open and is_headline_like(ln.current)]
    if len(headlines) >= FOOTER_LIST_MIN_LINES:
        for ln in headlines:
            ln.decide("removed", "footer_headlines")
