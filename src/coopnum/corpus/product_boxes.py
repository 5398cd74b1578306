"""A shop's product box inside an article, met in heldout21 (a retailer's editorial blog): a short heading
(« Notre sélection », « Nos coups de cœur »), then the products' rows, each a price and a button, taken by
:func:`~coopnum.corpus.site_shop._shop_line`, and sometimes an offer under them. The rows go by their line rule;
the heading and the offer stay, the heading even kept by the outlet's evidence as a template crosshead (the same on
every page of the site). An article's own lines are not a run of priced rows with a button: two of them one under
the other are the shop's box, and the short heading right above them and an offer said to the reader right under
them go with it.
"""

from __future__ import annotations

from coopnum.corpus.features import READER, SENTENCE_END, words
from coopnum.corpus.lines import Line
from coopnum.corpus.rules import Rule

PRODUCT_BOX_RULES = (
    Rule(
        "product_box",
        "the heading and offer of a shop's box of priced rows (« Notre sélection » over « … € - Voir le produit »)",
    ),
)
MIN_ROWS = 2  # one priced row can be an article's aside; two in a block are a box
HEADING_MAX_WORDS = 5
OFFER_MAX_WORDS = 25


def _row_runs(text: list[Line]) -> list[tuple[int, int]]:
    """The runs of at least two shop rows one under the other, as (first, last) indices into ``text``."""
    runs, k = [], 0
    while k < len(text):
        end = k
        while end < len(text) and text[end].rule == "shop_line":
            end += 1
        if end - k >= MIN_ROWS:
            runs.append((k, end - 1))
        k = max(end, k + 1)
    return runs


def remove_product_boxes(lines: list[Line]) -> None:
    """Remove the open heading right above every run of two shop rows or more, and the offer right under it. Read
    on the lines, not on blank lines: a page that sets none has the same box."""
    text = [ln for ln in lines if ln.text]
    for first, last in _row_runs(text):
        if first > 0 and _is_heading(text[first - 1]):
            text[first - 1].decide("removed", "product_box")
        if last + 1 < len(text) and _is_offer(text[last + 1]):
            text[last + 1].decide("removed", "product_box")


def _is_heading(ln: Line) -> bool:
    t = ln.current
    return ln.open and not ln.box and words(t) <= HEADING_MAX_WORDS and not SENTENCE_END.search(t)


def _is_offer(ln: Line) -> bool:
    """An offer said to the reader under the rows (« Bon à savoir : profitez de la reprise de votre … »)."""
    t = ln.current
    return ln.open and not ln.box and words(t) <= OFFER_MAX_WORDS and bool(READER.search(t))
