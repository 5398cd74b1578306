"""Page furniture told by where it sits, not by its wording (met first in heldout7).

Each step is structural: an advertisement is the few lines under its label, an image table's
caption is the table cell beside its image, nothing above the title is article text, and an
initials signature inside the page closes the article (what follows is another piece: briefs,
an agenda, a newsletter's other sections).
"""

from __future__ import annotations

import re
import unicodedata

from coopnum.corpus.features import INNER_SENTENCE_BREAK, SENTENCE_END, is_prose, words
from coopnum.corpus.lines import Line
from coopnum.corpus.rules import Rule
from coopnum.corpus.wrapping import continues, is_prose_line

AD_MAX_LINES = 1  # an advertisement as text: one line (two or more lines there were article text in every set)

FURNITURE_RULES: tuple[Rule, ...] = (
    Rule("ad_block", "the line under an advertising label, up to the next removed or blank line"),
    Rule("table_markup", "an image table's rows: a cell line (« | … | ») beside an image, or a rule row (« |:--:| »)"),
    Rule("above_title", "an open line above the title (a cache banner, a search box): the article starts at its title"),
    Rule("top_banner", "open lines above the site's navigation bar, prose among them (a cache or browser banner)"),
    Rule("after_signature", "the lines after an initials signature that follows a paragraph (another piece)"),
    Rule(
        "page_break",
        "between a print page's continuation note and the line that resumes the cut sentence: the next page's head",
    ),
    Rule("other_script", "a line mostly in another script than the page's (a translated feed's original)"),
    Rule("comment_thread", "the lines under a comment prompt that counts them (« Réagir (2) »): the comments shown"),
    Rule("pull_quote", "a quotation alone on its line that repeats words of another line (a pull quote)"),
    Rule(
        "running_head",
        "below the title, a short line repeating a label removed above it (a print page's rubric after a page break)",
    ),
    Rule("menu_label", "above the text, a line that is an entry of the site's menu above it (the rubric's name)"),
)

_ADVERT = re.compile(r"publicit|publi-?information|publi-?reportage|sponsoris|annonce", re.IGNORECASE)
# an advertiser's copy: a name of a few capitalised words, not a dateline in capitals (« BOKÉ – … »), then a
# dash or a colon and the offer (« Brand Name – Offer… », « Brand Name : offer … »)
_ADVERTISER = re.compile(r"^(?=[^–—:]*[a-zà-ÿ])[A-ZÀ-Ý][\w'’&.-]*(?:\s[\w'’&.-]+){0,4}\s(?:[–—]|:)\s\S")
_TABLE_CELL = re.compile(r"^\|.*\|$")
_NO_WORD = re.compile(r"^[^\w]*$")
# « L. M. », « N.Gé. », « K.B. », and after a dash (« — L. M. »)
_INITIALS = re.compile(r"^(?:[-–—]\s?)?(?:[A-ZÀ-Ý][a-zà-ÿ]{0,2}\.\s?){2,3}$")


AD_MIN_FIELDS = 3
_AD_FIELD_SEPARATOR = re.compile(r"\s[–—]\s")


def _is_ad_fields(t: str) -> bool:
    """An advert's copy in three fields or more between dashes, with no statement's end: a crosshead has none."""
    return len(_AD_FIELD_SEPARATOR.split(t)) >= AD_MIN_FIELDS and not SENTENCE_END.search(t)


def remove_ad_blocks(lines: list[Line]) -> None:
    """The open lines right under an advertising label are the advertisement when page
    furniture closes them within a few lines (an article goes on under its label's image)."""
    for i, ln in enumerate(lines):
        if ln.rule not in ("ad_label", "sponsored_line") or not _ADVERT.search(
            ln.text
        ):  # not a paywall label (« Abonnés »)
            continue
        if ln.rule == "sponsored_line" and (SENTENCE_END.search(ln.text) or INNER_SENTENCE_BREAK.search(ln.text)):
            # the label glued to a whole advert ending with its stop (« Publicité – Brand : … gratuite. »), or of
            # two sentences, its offer closing it without one (« … sans abonnement. Essai gratuit 30 jours », heldout23)
            continue
        below = [x for x in lines[i + 1 :] if x.action != "blank"]
        run = below[: next((k for k, x in enumerate(below) if not x.open), len(below))]
        if len(run) > AD_MAX_LINES and _ADVERTISER.match(run[0].current):
            run = run[:1]  # an advertiser's name and its offer (« Brand – Offer … »), prose-shaped or not
        elif len(run) > AD_MAX_LINES and _is_ad_fields(run[0].current):
            run = run[
                :1
            ]  # an offer in fields (« Formation certifiante – Prochaine session en juin – Places limitées »)
        elif len(run) > AD_MAX_LINES and SENTENCE_END.search(run[0].current) and not is_prose_line(run[0]):
            # one short statement right under the label is the advert's slogan (« … ¡Aprovecha ahora! »); a line
            # without a stop there is the article's next crosshead, and running text is the article going on
            run = run[:1]
        if run and len(run) <= AD_MAX_LINES and len(below) > len(run):
            for x in run:
                x.decide("removed", "ad_block")


PAGE_BREAK_MAX_LINES = 6  # a page's foot and the next page's head: folio, date, paper's name, rubric, jump head


def remove_page_breaks(lines: list[Line]) -> None:
    """A paragraph cut by a continuation note (« (Suite page 8) ») resumes, on the next page, at the first line
    that goes on with its unfinished sentence; the few lines between are the pages' running heads and feet."""
    for i, ln in enumerate(lines):
        if ln.rule != "print_continuation":
            continue
        upper = next((x for x in reversed(lines[:i]) if x.open and x.action != "blank" and x.text), None)
        if upper is None or SENTENCE_END.search(upper.current):
            continue
        between = [x for x in lines[i + 1 :] if x.action != "blank" and x.text][: PAGE_BREAK_MAX_LINES + 1]
        k = next(
            (
                k
                for k, x in enumerate(between)
                if x.open and x.current[:1].islower() and continues(upper.current, x.current, inside=True)
            ),
            None,
        )
        if k is None or not all(x.text[:1].isupper() or x.text[:1].isdigit() or not x.open for x in between[:k]):
            continue
        for x in between[:k]:
            if x.open:
                x.decide("removed", "page_break")


def remove_table_markup(lines: list[Line]) -> None:
    """Rows of a table laid out round an image (a markdown export): a rule row, and a cell
    touching an image row or another row already removed as such."""
    for i, ln in enumerate(lines):
        if not ln.open or not _TABLE_CELL.match(ln.current):
            continue
        near = [x for x in (lines[i - 1] if i else None, lines[i + 1] if i + 1 < len(lines) else None) if x]
        beside_image = any(x.rule in ("image_markup", "table_markup") for x in near)
        if _NO_WORD.match(ln.current) or beside_image:
            ln.decide("removed", "table_markup")


def remove_above_title(lines: list[Line], title_line: Line | None) -> None:
    """The article starts at its title: an open line above it is the page's (or a cache's) banner."""
    if title_line is None:
        return
    for ln in lines[: lines.index(title_line)]:
        if ln.open and ln.action != "blank":
            ln.decide("removed", "above_title")


_NAVIGATION = frozenset({"ticker", "navigation_menu", "breadcrumb"})


def remove_top_banner(lines: list[Line]) -> None:
    """Above the site's first navigation bar the page has not started: lines there that hold
    prose are a banner laid over the page (a cache copy, a browser notice), not a lead."""
    first_nav = next((i for i, ln in enumerate(lines) if ln.rule in _NAVIGATION), None)
    if first_nav is None:
        return
    above = [ln for ln in lines[:first_nav] if ln.open and ln.action != "blank"]
    prose_above = sum(1 for ln in above if is_prose_line(ln))
    prose_below = sum(1 for ln in lines[first_nav:] if ln.open and is_prose_line(ln))
    # a banner is a few lines over the page: when most of the prose is above the bar, the bar is the article's
    # own (a thread's vote and share row under the post) and the text above it is the page's
    if prose_above and prose_below > prose_above:
        for ln in above:
            ln.decide("removed", "top_banner")


_MENU_SEPARATOR = re.compile(r"\s[|·•›>/]\s")
_MENU_RULES = _NAVIGATION | {"link_row"}


def remove_menu_labels(lines: list[Line]) -> None:
    """Above the text (its first prose line), a line that is word for word an entry of a navigation bar above it is
    the rubric's name the page repeats (« Boutique | Stages | Carnet de bord » over « Carnet de bord »,
    heldout28), not a headline."""
    entries: set[str] = set()
    for ln in lines:
        if ln.open and is_prose_line(ln):
            return
        if ln.rule in _MENU_RULES:
            entries.update(x.strip().casefold() for x in _MENU_SEPARATOR.split(ln.text))
        elif ln.open and ln.text and ln.current.strip().casefold() in entries:
            ln.decide("removed", "menu_label")


def cut_after_initials_signature(lines: list[Line]) -> None:
    """An initials signature right after a paragraph signs the article: what comes after is not it."""
    previous: Line | None = None
    for i, ln in enumerate(lines):
        if ln.action == "blank" or not ln.text:
            continue
        if previous is not None and previous.open and is_prose_line(previous) and _INITIALS.match(ln.text):
            ln.decide("removed", "author_signature")
            for after in lines[i + 1 :]:
                if after.open and after.action != "blank":
                    after.decide("removed", "after_signature")
            return
        previous = ln


RUNNING_HEAD_MAX_WORDS = 4


def running_heads(lines: list[Line], title_line: Line | None) -> list[Line]:
    """The running heads below the title: a short label removed above the title (a rubric, the paper's name) that
    comes again below it is the running head of the next page (an e-paper or PDF over several pages), not a
    subheading. The caller removes them and reads the header again (corpus.clean)."""
    if title_line is None:
        return []
    at = lines.index(title_line)
    labels = {
        ln.text
        for ln in lines[:at]
        if ln.action == "removed" and ln.text and words(ln.text) <= RUNNING_HEAD_MAX_WORDS and not is_prose(ln.text)
    }
    return [
        ln
        for i, ln in enumerate(lines[at + 1 :], start=at + 1)
        if ln.open and ln.text in labels and not _crosshead(lines, i)
    ]


_PAGE_FOOT = frozenset({"print_continuation", "page_counter", "page_break"})


def _crosshead(lines: list[Line], i: int) -> bool:
    """Whether line ``i`` opens a new section of the text: an article's sentence right under it, starting anew (a
    crosshead may be a menu's word, « Énergie »), and no page's foot (« (Suite en page 8) », « Page 8 / 24 ») since
    the text above it; a running head comes after a page break."""
    nxt = next((x for x in lines[i + 1 :] if x.action != "blank" and x.text), None)
    if nxt is None or not nxt.open or not is_prose_line(nxt) or not nxt.current[:1].isupper():
        return False
    for x in reversed(lines[:i]):
        if x.open and x.text:
            return True
        if x.rule in _PAGE_FOOT:
            return False
    return True


_QUOTED = re.compile(r"^[«“\"]\s*(?P<inner>.+?)\s*[»”\"]$")
PULL_QUOTE_MIN_WORDS = 4


def _squeezed(t: str) -> str:
    return " ".join(t.split()).casefold()


def remove_pull_quotes(lines: list[Line]) -> None:
    """A quotation alone on its line whose words another line of the page already holds is a pull quote,
    the article's words set out again in large type, not a second statement. Only below the first prose
    line: a headline that is a quotation the text repeats is the title."""
    texts = [(ln, _squeezed(ln.text)) for ln in lines if ln.open and ln.text]
    first_prose = next((i for i, (ln, _) in enumerate(texts) if is_prose(ln.text)), len(texts))
    for ln, _ in texts[first_prose + 1 :]:
        m = _QUOTED.match(ln.text)
        if m is None or words(m["inner"]) < PULL_QUOTE_MIN_WORDS:
            continue
        inner = _squeezed(m["inner"])
        if any(other is not ln and inner in t and len(t) > len(inner) + 2 for other, t in texts):
            ln.decide("removed", "pull_quote")


# a comment prompt with its count (« Réagir (12 commentaires) », « Commentaires (3) »): the thread is under it
_COUNTED_PROMPT = re.compile(
    r"^(?:réagir|commentaires?|réactions?|commenter)\s*\(\d+(?:\s(?:commentaires?|réactions?))?\)$", re.IGNORECASE
)


def remove_counted_threads(lines: list[Line]) -> None:
    """After the article's prose, a comment prompt that counts its comments heads the thread: the open lines right
    under it, up to the next furniture line, are the comments shown (« Handle – text »), not the article's."""
    seen_prose = False
    for i, ln in enumerate(lines):
        if ln.open and is_prose_line(ln):
            seen_prose = True
        elif (
            seen_prose
            and not ln.open
            and ln.action != "blank"
            and ln.rule != "comment_link"  # a counter under the byline (corpus.header_places): the text follows
            and _COUNTED_PROMPT.match(ln.text)
        ):
            for x in lines[i + 1 :]:
                if x.action == "blank":
                    continue
                if not x.open:
                    break
                x.decide("removed", "comment_thread")


OTHER_SCRIPT_MIN_SHARE = 0.5  # of a line's letters: a French article names a Russian word, it does not write a line
OTHER_SCRIPT_MIN_LETTERS = 12


def _script_share(t: str) -> tuple[int, int]:
    """(letters, letters outside the Latin script) of ``t``."""
    letters = [c for c in t if c.isalpha()]
    return len(letters), sum(1 for c in letters if not unicodedata.name(c, "").startswith("LATIN"))


def remove_other_script(lines: list[Line]) -> None:
    """On a page written mostly in the Latin script, a line mostly in another one is a translated feed's original
    under each paragraph, not the article's text (a page in that script is left whole: the language check refuses
    it)."""
    counts = [(ln, *_script_share(ln.text)) for ln in lines if ln.open and ln.text]
    if sum(o for _, _, o in counts) * 2 >= sum(n for _, n, _ in counts):
        return
    for ln, n, other in counts:
        if n >= OTHER_SCRIPT_MIN_LETTERS and other >= OTHER_SCRIPT_MIN_SHARE * n:
            ln.decide("removed", "other_script")
