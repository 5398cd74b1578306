"""Decisions from layout, after the line rules: list items under a heading, lines touching a
credit or byline, the comment section, and the header and footer around the prose.

*Prose* (:func:`~coopnum.corpus.features.is_prose`) anchors the article: lines before the
first prose line form the header, lines after the last one the footer.
"""

from __future__ import annotations

import re

from coopnum.corpus import line_model
from coopnum.corpus.dates import parse_date
from coopnum.corpus.features import (
    INNER_SENTENCE_BREAK,
    SENTENCE_END,
    SINGLE_PERIOD_END,
    is_headline_like,
    without_end_pictograms,
    words,
)
from coopnum.corpus.item_runs import datelines, drop_caps, list_runs, text_starts
from coopnum.corpus.lines import STATEMENT_END, Line, drop_suffix, text_at_foot
from coopnum.corpus.page_widgets import copyright_name, is_no_title
from coopnum.corpus.rules import Rule
from coopnum.corpus.shapes import is_label_line, is_name_label
from coopnum.corpus.wrapping import is_prose_line

TITLE_MIN_WORDS = 3
HEADER_KEEP_MIN_WORDS = 6
SUBTITLE_MIN_WORDS = 18  # a header line this long under a headline is its subtitle, not the title
FOOTER_LIST_MIN_LINES = 3
CAPTION_MAX_WORDS = 30
SUBHEADING_MAX_WORDS = 5
TAG_MAX_WORDS = 4
ABOUT_MAX_LINES = 2  # an about box: its heading and at most this many lines under it
BOX_MAX_WORDS = 11  # a line inside a newsletter box (a name, a blurb, a form field)
BUTTON_MAX_WORDS = 3  # a sign-up button (« S'inscrire »), and the label of the box it closes

_SIGNATURE = re.compile(
    r"^\(?(?P<avec>avec\s+)?(?P<agency>[A-Z]{2,8}(?:\s?[/-]\s?[A-Z]{2,8})*)\)?$"
    r"|^\((?P<avec2>avec\s+)?(?P<agency2>[A-Z][a-z]{2,12})\)$"  # a capitalised agency in parentheses: « (Belga) »
)
_NAME_WORD = r"[A-ZÀ-Ý][a-zà-ÿ'’-]+"
_AUTHOR_SIGNATURE = re.compile(
    rf"^(?:(?:[A-ZÀ-Ý]\.\s?)+{_NAME_WORD}|{_NAME_WORD}(?: {_NAME_WORD}){{1,2}}|{_NAME_WORD}(?: [A-ZÀ-Ý]\.)+"
    r"|[a-z]{1,4}(?:/[a-z]{1,4}){1,5}|(?:[A-ZÀ-Ý]\.\s?){2,3})$"  # « K. Yao », « Anna Petrova », « Lova R. », « pk/ml/sba », « K.B. »
)

# Rules that are not line patterns: decided from layout.
LAYOUT_RULES: tuple[Rule, ...] = (
    Rule("related_item", "a headline-like line under a related-articles heading"),
    Rule(
        "photo_caption",
        "also: a line of ≤30 words touching a credit line (no blank line between; before the prose, below it)",
    ),
    Rule("byline", "also: a line of ≤4 words touching a byline or date line (author, outlet)"),
    Rule("comment_section", "a comments heading after the prose (« 2 réflexions sur … ») and everything after it"),
    Rule("forum_replies", "in a forum thread, the next post's header after the first post's prose, and all after it"),
    Rule("tags_item", "the tag list under a tags heading (one tag of ≤4 words a line, up to a blank or longer line)"),
    Rule("about_item", "the lines of an about box (≤2) under its heading"),
    Rule("button_box", "after the first prose line: the blurb (≤30 words) and label right above a sign-up button"),
    Rule("newsletter_widget", "also: a line of ≤11 words inside a newsletter box (no blank line between)"),
    Rule(
        "header_label",
        "before the first prose line: a line above the title (site name, tagline, rubric) or a short one (<6 words)",
    ),
    Rule("agency_signature", "an agency signature after the last prose line (« VNA/CVN », « (AFP) »)"),
    Rule("author_signature", "an author's name alone after the last prose line (« K. Yao », « Anna Petrova »)"),
    Rule("footer_headlines", "≥3 headline-like lines after the last prose line: a list of other articles"),
    Rule(
        "footer_teaser",
        "after the last prose line: a short label, a colon and a headline (« Actualités récentes : … »)",
    ),
    Rule(
        "name_label",
        "after the first prose line: 2–5 capitalised words alone, no prose right under (a name, a site, a rubric)",
    ),
    Rule(
        "footer_furniture", "after the last prose line: a line that ends no statement (no final . … or closing quote)"
    ),
    Rule("after_the_end", "after the last prose line and a furniture line (not a photo credit): every line"),
    Rule("title_stamp", "a date and time glued after the title (« Title 07.06.2023 14:05 »: the stamp trimmed)"),
    Rule("blank", "an empty line (a paragraph separator, not boilerplate)"),
)
_TITLE_STAMP = re.compile(r"\s+(?P<date>\d{1,2}[./]\d{1,2}[./]\d{4})(?:,?\s+(?:à\s+)?\d{1,2}\s?[:h]\s?\d{2})?$")

_COMMENTS_HEADING = re.compile(
    r"^(?:\d+ (?:commentaires?|réflexions?|réactions?|réponses?)\b.*|(?:commentaires?|réactions?|vos réactions)\s*(?:\(\d+\))?"
    r"\s*:?|(?:laisser|ajouter|écrire) un commentaire\b.*|réagir à cet article\b.*)$"
    # a thread's counter row under the post (« 214 points · 58 commentaires · Partager »): the replies follow
    r"|^(?:[^·|•]{1,20}\s[·|•]\s)?\d[\d\s]*\s(?:commentaires|réponses)(?:\s[·|•]\s[^·|•]{1,20})*$",
    re.IGNORECASE,
)


_LIST_MARKER = re.compile(r"^(?:\d{1,2}[.)]|[-–•·▪►])\s")
_TAG_SEPARATOR = re.compile(r"\s*[,;·|]\s*")
TAGS_ON_ONE_LINE = 3  # items apart by separators that make one line a list of tags
TAG_IN_LIST_MAX_WORDS = 6  # « IVe Forum économique oriental (2018) »: a named event is a tag too


# --------------------------------------------------------------------------- lists under a heading


def _is_list_item(line: Line, after: list[Line], rule: str) -> bool:
    """A headline-like line under a list heading, unless it is a short subheading that prose follows;
    under a tags heading also a tag alone (« Russie »)."""
    t = line.current
    if rule == "tags_item":  # a tag is short: a longer line is the next block (a title with no blank line above)
        if SENTENCE_END.search(t):
            return False
        # or the tags on one line, apart by commas (« services numériques, affaires, …, Russie »)
        tags = _TAG_SEPARATOR.split(t)
        return words(t) <= TAG_MAX_WORDS or (
            len(tags) >= TAGS_ON_ONE_LINE and all(words(tag) <= TAG_IN_LIST_MAX_WORDS for tag in tags)
        )
    if not is_headline_like(t) or is_prose_line(line):
        return False
    if _LIST_MARKER.match(t):  # « 3. Mon avis », « - Titre »: marked items stay items
        return True
    nxt = next((x for x in after if x.action != "blank" and x.open), None)
    return not (words(t) <= SUBHEADING_MAX_WORDS and nxt is not None and is_prose_line(nxt))


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
            if list_rule == "about_item" or (line.rule or "").endswith("_heading") or line.rule == "recurring_line":
                list_rule = None  # an about box ends at the next furniture line, a list at a heading or the template
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
    below_only_before: int = 0,
    exempt: frozenset[int] = frozenset(),
) -> None:
    """Remove open lines directly above or below (no blank line between) a line removed by one of
    ``anchors`` — a caption touching its credit, a name touching its byline — and, with ``spread``,
    lines touching those in turn; with ``below_only``, only lines below (a box under its heading)."""
    removed_here: set[int] = set()
    changed = True
    while changed:
        changed = False
        for i, ln in enumerate(lines):
            if not ln.open or i in exempt:
                continue
            t = ln.current
            if words(t) > max_words or (not prose_ok and SENTENCE_END.search(t)):
                continue
            above_too = not below_only and i >= below_only_before
            neighbours = [j for j in ((i - 1, i + 1) if above_too else (i - 1,)) if 0 <= j < len(lines)]
            if any(
                lines[j].action == "removed" and (lines[j].rule in anchors or (spread and j in removed_here))
                for j in neighbours
            ):
                ln.decide("removed", rule)
                removed_here.add(i)
                changed = spread


def _beyond_alt_texts(lines: list[Line]) -> frozenset[int]:
    """The lines on the far side of a credit from an image's alt text: the alt text is that image's
    caption, so the line beyond the credit is the article going on, not a second caption."""
    out: set[int] = set()
    for j, ln in enumerate(lines):
        if ln.rule == "photo_credit" and _GALLERY_CREDIT.match(ln.current):
            out.update((j - 1, j + 1))  # a gallery's credit (« Photos : … ») credits every slide, no one line
        if ln.rule != "photo_credit" or not 0 < j < len(lines) - 1:
            continue
        for near, far in ((j - 1, j + 1), (j + 1, j - 1)):
            if lines[near].rule == "alt_text":
                out.add(far)
    return frozenset(out)


_GALLERY_CREDIT = re.compile(r"^(?:photos|crédits photos|images)\s*:", re.IGNORECASE)


def remove_captions_and_bylines(lines: list[Line]) -> None:
    """Captions touching their credit line; author and outlet names touching a byline or date line.
    Before the first prose line a caption is only taken below its credit: the line right above a
    credit there may be the title (a page that puts no blank line between them)."""
    first_prose = next((i for i, ln in enumerate(lines) if ln.open and is_prose_line(ln)), len(lines))
    _remove_beside(
        lines,
        {"photo_credit"},
        "photo_caption",
        max_words=CAPTION_MAX_WORDS,
        prose_ok=True,
        spread=False,
        below_only_before=first_prose,
        exempt=_beyond_alt_texts(lines),
    )
    _remove_beside(
        lines,
        {"byline", "update_stamp", "date_line", "field_stamp"},
        "byline",
        max_words=4,
        prose_ok=False,
        spread=True,
        exempt=drop_caps(lines) | datelines(lines),
    )
    _remove_beside(
        lines,
        {"newsletter_widget"},
        "newsletter_widget",
        max_words=BOX_MAX_WORDS,
        prose_ok=True,
        spread=True,
        below_only=True,
        # a quotation alone on its line (« C'est un pas décisif. ») is the article's, never a sign-up box's
        exempt=frozenset(i for i, ln in enumerate(lines) if _WHOLE_QUOTE.match(ln.current)),
    )


_WHOLE_QUOTE = re.compile(r"^[«“\"][^«»“”\"]+[»”\"]$")


def _is_box_label(t: str) -> bool:
    return words(t) <= BUTTON_MAX_WORDS and not SENTENCE_END.search(t)


def remove_button_boxes(lines: list[Line]) -> None:
    """After the first prose line, a box closed by a sign-up button (« S'inscrire »): the blurb
    right above the button (≤30 words, no blank line between) and the box's short label above it."""
    seen_prose = False
    for i, ln in enumerate(lines):
        seen_prose = seen_prose or (ln.open and is_prose_line(ln))
        if not (seen_prose and ln.rule == "account_widget" and words(ln.text) <= BUTTON_MAX_WORDS and i > 0):
            continue
        blurb = lines[i - 1]
        if not (blurb.open and blurb.text and words(blurb.current) <= CAPTION_MAX_WORDS):
            continue
        blurb.decide("removed", "button_box")
        label = lines[i - 2] if i > 1 else None
        if label is not None and label.open and label.text and _is_box_label(label.current):
            label.decide("removed", "button_box")


# --------------------------------------------------------------------------- around the prose


def cut_comment_section(lines: list[Line]) -> None:
    """A comments heading after the article's prose starts the comment section: it and
    everything after it (comments, the comment form, sidebars, footer) is removed."""
    seen_prose = False
    for i, ln in enumerate(lines):
        t = ln.current
        if ln.open and is_prose_line(ln):
            seen_prose = True
        elif seen_prose and ln.action != "blank" and ln.rule != "comment_link" and _COMMENTS_HEADING.match(t):
            for rest in lines[i:]:
                if rest.action != "blank":
                    rest.decide("removed", "comment_section")
            return


def cut_forum_replies(lines: list[Line]) -> None:
    """A forum thread: once a post header has come and prose under it (the first post, often a
    reposted article), the next post header starts the replies — it and everything after it go."""
    if not any(ln.rule == "post_header" for ln in lines):
        return
    in_post = post_has_prose = False
    for i, ln in enumerate(lines):
        if ln.rule == "post_header":
            if post_has_prose:
                for rest in lines[i:]:
                    if rest.action != "blank":
                        rest.decide("removed", "forum_replies")
                return
            in_post = True
        elif in_post and ln.open and is_prose_line(ln):
            post_has_prose = True


def remove_name_labels(lines: list[Line]) -> None:
    """After the first prose line, a line of capitalised words only is a name or a label of the
    page (an author, a photo agency, a sidebar heading), not article text — unless prose comes
    right under it, a subheading's place (« Moscou et Pékin »). Before the first prose line the
    header pass decides, so a short title is never lost here."""
    seen_prose = False
    open_lines = [ln for ln in lines if ln.open and ln.action != "blank" and ln.text]
    listed = {id(open_lines[k]) for k in list_runs([x.current for x in open_lines])}  # a ranking's « 1. Name »
    for i, ln in enumerate(lines):
        if not ln.open:
            continue
        if not seen_prose:
            seen_prose = is_prose_line(ln)
        elif is_name_label(ln.current) and not _prose_follows(lines, i) and id(ln) not in listed:
            ln.decide("removed", "name_label")


def _prose_follows(lines: list[Line], i: int) -> bool:
    """Whether the next open non-blank line after ``i`` is prose (``i`` is then a subheading's place)."""
    nxt = next((x for x in lines[i + 1 :] if x.open and x.action != "blank" and x.text), None)
    return nxt is not None and is_prose_line(nxt)


def header_and_footer(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """The open lines before the first prose line, and those after the last (none without prose)."""
    open_lines = [ln for ln in lines if ln.open]
    prose = [i for i, ln in enumerate(open_lines) if is_prose_line(ln)]
    first = text_starts([x.current for x in open_lines], prose[0]) if prose else len(open_lines)
    last = prose[-1] if prose else len(open_lines)
    # a posting's fields under its title (corpus.postings) are text, not header labels
    return [ln for ln in open_lines[:first] if not ln.box], open_lines[last + 1 :] if prose else []


MASTHEAD_LINES = 3  # the page's first lines, where its masthead sits
MASTHEAD_MAX_WORDS = 5
_FOOTER_FIELD = re.compile(r"\s[|·•—–-]\s")
_LEGAL_FORM = re.compile(r"\s(?:SA|SAS|SARL|Sàrl|AG|GmbH|Ltd|Inc)$")


def masthead_name(lines: list[Line]) -> str | None:
    """The name that opens both the page's last line and one of its first: a masthead (« Name —
    tagline ») over a footer (« Name · Se désabonner · … »). The last line then states the outlet,
    unless another line states it first (``extracted``: the first statement wins)."""
    texts = [ln for ln in lines if ln.text]
    if len(texts) <= MASTHEAD_LINES:
        return None
    last = texts[-1]
    # the company's legal form is no part of the masthead's name (« Name SAS · Mentions légales · … »)
    name = _LEGAL_FORM.sub("", _FOOTER_FIELD.split(last.text)[0].strip())
    if name == last.text or not 1 <= words(name) <= MASTHEAD_MAX_WORDS:
        return None
    if not any(_is_site_name(ln.text, frozenset({name})) for ln in texts[:MASTHEAD_LINES]):
        return None
    last.extracted.setdefault("outlet", name)
    return name


def site_names(lines: list[Line]) -> frozenset[str]:
    """The names a copyright footer gives the site (« © CAEA 2025 · … » → « CAEA »), and its
    masthead's name (:func:`masthead_name`)."""
    names = {n for ln in lines if "©" in ln.text and (n := ln.extracted.get("outlet") or copyright_name(ln.text))}
    if (masthead := masthead_name(lines)) is not None:
        names.add(masthead)
    return frozenset(names)


def _is_site_name(t: str, names: frozenset[str]) -> bool:
    """A line that is the site's name, alone or glued to its tagline (« CAEA — Cercle d'analyse … »)."""
    return any(t == n or (t.startswith(n + " ") and t[len(n) + 1 : len(n) + 2] in "—–-|·:") for n in names)


def _two_sentences(t: str) -> bool:
    """Two sentences closed by full stops (an account's bio, a blurb): a headline is one, and has no final stop."""
    return bool(SINGLE_PERIOD_END.search(t) and INNER_SENTENCE_BREAK.search(t))


def _choose_title(header: list[Line], names: frozenset[str] = frozenset()) -> Line | None:
    """The title: the last header line of at least 3 words (pages put the site name, menus and
    rubrics above the title, and only short labels, bylines and widgets between it and the
    text), never the site's own name (``names``). In a clean text the title is then the only
    header line, so choosing it again keeps cleaning idempotent."""
    candidates = [
        ln
        for ln in header
        if words(ln.current) >= TITLE_MIN_WORDS
        and not _is_site_name(ln.current, names)
        and not _two_sentences(ln.current)
        and not is_no_title(ln.current)
    ]
    if not candidates:
        return None
    # a line whose shape is furniture (a byline, a stamp of a wording no rule knows) is no title
    headline_shaped: list[Line] = []  # the last two of them are all the choice below looks at
    for ln in reversed(candidates):
        if not line_model.is_furniture(ln.current, "header"):
            headline_shaped.insert(0, ln)
            if len(headline_shaped) == 2:
                break
    candidates = headline_shaped or candidates
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


def _is_lead_shaped(t: str) -> bool:
    """A header line under the title that is kept: a subtitle, or a short lead that ends a sentence
    (a line of names, fields or labels there is a byline or stamp of a shape no rule knows)."""
    n = words(t)
    return n >= SUBTITLE_MIN_WORDS or (n >= HEADER_KEEP_MIN_WORDS and bool(SENTENCE_END.search(t)))


def mark_header(header: list[Line], names: frozenset[str] = frozenset()) -> Line | None:
    """Mark the title and remove the header's labels; return the title line, if any."""
    title_line = _choose_title(header, names)
    if title_line is not None and (m := _TITLE_STAMP.search(title_line.current)) and title_line.rule is None:
        # a stamp glued after the title (a page putting its date on the headline's line): trimmed, its date kept
        title_line.pieces = drop_suffix(title_line.pieces, len(m[0]))
        title_line.rule = "title_stamp"
        if date := parse_date(m["date"]):
            title_line.extracted.setdefault("date", date)
    after_title = title_line is None
    for ln in header:
        if ln is title_line:
            ln.kind, after_title = "title", True
        elif not after_title or not _is_lead_shaped(ln.current):
            ln.decide("removed", "header_label")
    return title_line


def date_from_stamps_below(lines: list[Line], title_line: Line | None) -> None:
    """A field stamp under the title states the article's date (« Karim Haddad | 08 octobre
    2023 »); above the title such a line is the site's top bar, whose date is today's. A page with no title
    line has its top bar above the text: there the stamps below the first prose line are the article's."""
    if title_line is not None:
        start = lines.index(title_line) + 1
    elif (start := next((i for i, ln in enumerate(lines) if ln.open and is_prose_line(ln)), -1)) < 0:
        return
    for ln in lines[start:]:
        if ln.rule == "field_stamp" and "date" not in ln.extracted and (date := parse_date(ln.text)):
            ln.extracted["date"] = date


# Furniture that may sit inside an article (a photo and its credit) does not end it.
_INSIDE_ARTICLE = frozenset({"photo_credit", "photo_caption", "image_markup", "blank"})


def cut_after_the_end(lines: list[Line]) -> None:
    """After the last prose line, once a line of page furniture has come, the article is over:
    every line after it is furniture too, whatever its wording (an about box, a newsletter
    blurb, a notice written as sentences)."""
    last = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].open and is_prose_line(lines[i])), None)
    if last is None:
        return
    ended = False
    for ln in lines[last + 1 :]:
        if ln.open and ended:
            ln.decide("removed", "after_the_end")
        elif not ln.open and ln.rule not in _INSIDE_ARTICLE:
            ended = True


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
    headlines = [ln for ln in footer if ln.open and is_headline_like(ln.current) and not text_at_foot(footer, ln)]
    if len(headlines) >= FOOTER_LIST_MIN_LINES:
        for ln in headlines:
            ln.decide("removed", "footer_headlines")
    for ln in footer:
        if ln.open and is_label_line(ln.current):
            ln.decide("removed", "footer_teaser")
        elif ln.open and not STATEMENT_END.search(without_end_pictograms(ln.current)) and not text_at_foot(footer, ln):
            # the article's last words end a statement (a full stop, an ellipsis, a closing quote);
            # a line there without one is a label, a name, a prompt or a link of the page
            ln.decide("removed", "footer_furniture")
