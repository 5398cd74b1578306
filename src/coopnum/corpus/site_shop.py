"""What a site sells or asks of its reader beside an article, met in heldout19 and heldout20, each a line no shape
rule took (prose-shaped, or a lone button): tried last of the line rules with :mod:`~coopnum.corpus.site_notes`.

- ``shop_line``: a shop's box — its button (« Ajouter au panier »), a product's number (« ISBN 978-… »), a price line saying the item is on sale
  (« Également disponible en numérique : 14,99 € », « 22 € TTC »), the seller's terms (« dans la limite des
  stocks disponibles », « sur la boutique en ligne »), a members' programme offer (« Membres Privilège : cumulez … »).
- ``site_account``: the site sending its reader to their account on it (« … dans votre espace membre », « Gérez vos
  préférences »), whatever the line offers: an article speaks of a service, not of the reader's account on the site.
- ``site_legal``: the site's notice on the law it follows (« Conformément à la loi, … Pour exercer votre droit … »).
- ``cta_link``: a call to act that ends on a link's arrow (« Une panne ? Notre équipe intervient sous 48 heures › »): an
  article's sentence never ends on « › » or « → ».
"""

from __future__ import annotations

import re
from collections.abc import Callable

from coopnum.corpus.features import SENTENCE_END, words
from coopnum.corpus.matches import Match

SHOP_MAX_WORDS = 14
LINE_MAX_CHARS = 300
_BUTTON = re.compile(
    r"^(?:ajouter (?:au panier|à (?:ma|la) (?:liste|sélection))|acheter(?: maintenant| en ligne)?|commander"
    r"(?: maintenant| en ligne)?|je commande|j['’]achète|précommander)\s?[›→]?$",
    re.IGNORECASE,
)
# a book's or a product's number on its shop sheet (« ISBN 978-2-49385-117-4 »)
_PRODUCT_NUMBER = re.compile(r"^(?:ISBN|EAN|GTIN)(?:-1[03])?\s?:?\s?[\d-]{10,17}$")
_PRICE = re.compile(r"\d(?:[\d\s.,]*\d)?\s?(?:€|euros?|CHF|\$|FCFA)", re.IGNORECASE)
# « prix » alone is no sale: a fact box's « Prix moyen au m² : 48 € » is the article's (corpus.boxes)
_ON_SALE = re.compile(r"\b(?:disponible|TTC|en vente|port offert|frais de port)\b", re.IGNORECASE)
_SELLER = re.compile(
    r"\bdans la limite des stocks\b|\bsur (?:la|notre) boutique en ligne\b|\ben vente (?:dans|sur|en) (?:tous )?"
    r"(?:nos|les) (?:bureaux|magasins|boutiques|points de vente)\b",
    re.IGNORECASE,
)
# a loyalty programme's offer under its name (« Membres Privilège : cumulez … », « Adhérents Or : … »)
_MEMBERS = re.compile(r"^(?:membres|adhérents|clients) [A-ZÀ-Ý][\w-]*\s?:\s", re.IGNORECASE)
_ACCOUNT = re.compile(
    r"\b(?:votre|vos) (?:espace|compte)s? (?:membre|client|abonné|adhérent|personnel|pro)s?\b"
    r"|\bgérez vos préférences\b|\bne souhaitez plus recevoir\b",
    re.IGNORECASE,
)
_LEGAL = re.compile(
    r"^conformément (?:à la loi|au RGPD|au règlement|aux dispositions)\b.*\b(?:droit|données|anonymisée?s?)\b",
    re.IGNORECASE,
)
_ARROW = re.compile(r"\s[›→➜▸]$")


def _shop_line(t: str, raw: str) -> Match | None:
    if len(t) > LINE_MAX_CHARS:
        return None
    if _BUTTON.match(t) or _SELLER.search(t) or _MEMBERS.match(t) or _PRODUCT_NUMBER.match(t):
        return Match("shop_line")
    if words(t) <= SHOP_MAX_WORDS and not SENTENCE_END.search(t) and _PRICE.search(t) and _ON_SALE.search(t):
        return Match("shop_line")
    return None


def _site_account(t: str, raw: str) -> Match | None:
    return Match("site_account") if len(t) <= LINE_MAX_CHARS and _ACCOUNT.search(t) else None


def _site_legal(t: str, raw: str) -> Match | None:
    return Match("site_legal") if len(t) <= LINE_MAX_CHARS and _LEGAL.search(t) else None


def _cta_link(t: str, raw: str) -> Match | None:
    return Match("cta_link") if len(t) <= LINE_MAX_CHARS and _ARROW.search(t) else None


SHOP_RULES: tuple[tuple[str, str, Callable[[str, str], Match | None]], ...] = (
    (
        "shop_line",
        "a shop's box: its button (« Ajouter au panier »), a price on sale (« Aussi en poche : 9,90 € »), the seller's terms,"
        " a members' programme offer",
        _shop_line,
    ),
    ("site_account", "the reader sent to their account on the site (« … dans votre espace membre »)", _site_account),
    ("site_legal", "the site's notice on the law it follows (« Conformément à la loi, … votre droit … »)", _site_legal),
    ("cta_link", "a call to act ending on a link's arrow (« … intervient sous 48 heures › »)", _cta_link),
)
