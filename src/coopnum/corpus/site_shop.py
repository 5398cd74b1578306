"""What a site sells or asks of its reader beside an article, met in heldout19 and heldout20, each a line no shape
rule took (prose-shaped, or a lone button): tried last of the line rules with :mod:`~coopnum.corpus.site_notes`.

- ``shop_line``: a shop's box — its button (« Ajouter au panier »), a product's number (« ISBN 978-… »), a price line saying the item is on sale
  (« Également disponible en numérique : 14,99 € », « 22 € TTC »), the seller's terms (« dans la limite des
  stocks disponibles », « sur la boutique en ligne »), a members' programme offer (« Membres Privilège : cumulez … »).
  A product's row in such a box (« Casque X - 59,90 € - Voir le produit », met in heldout21): a price, then a
  button after a separator; a row of the shop's promises (« Livraison offerte dès 49 € | Retrait gratuit en 1 h »).
  A price list in a row of fields, each a price (« Tarif plein 22 € · réduit 14 € »); the site's own promotion
  under a note label (« Bon à savoir : chez Name, votre bilan est offert dans nos magasins »); the site asking its
  reader to join (« Vous êtes X et pas encore adhérent ? … »), all met in heldout22.
- ``site_account``: the site sending its reader to their account on it (« … dans votre espace membre », « Gérez vos
  préférences »), whatever the line offers: an article speaks of a service, not of the reader's account on the site.
- ``site_legal``: the site's notice on the law it follows (« Conformément à la loi, … Pour exercer votre droit … »),
  or its disclaimer on what it publishes (« Les informations publiées sur cette page … ne constituent ni … », heldout22).
- ``cta_link``: a call to act that ends on a link's arrow (« Une panne ? Notre équipe intervient sous 48 heures › »): an
  article's sentence never ends on « › » or « → ».
"""

from __future__ import annotations

import re
from collections.abc import Callable

from coopnum.corpus.features import READER, SENTENCE_END, words
from coopnum.corpus.matches import Match

SHOP_MAX_WORDS = 14
PRICE_FIELD_MAX_WORDS = 7  # a field of a price list: a fare's name and its price
LINE_MAX_CHARS = 300
_BUTTON = re.compile(
    r"^(?:ajouter (?:au panier|à (?:ma|la) (?:liste|sélection))|acheter(?: maintenant| en ligne)?|commander"
    r"(?: maintenant| en ligne)?|je commande|j['’]achète|précommander)\s?[›→]?$",
    re.IGNORECASE,
)
# a product's row in a shop box: its price, then its button after a separator (« Casque X - 59,90 € - Voir le produit »)
_BUTTON_TAIL = re.compile(
    r"\s[-–—|·]\s(?:voir (?:le|ce) produit|voir l['’]offre|ajouter au panier|acheter(?: maintenant)?|commander)\s?[›→]?$",
    re.IGNORECASE,
)
# a shop's promises in a row of fields (« Livraison offerte dès 49 € | Paiement en 4x sans frais »): alone, a sentence
# on a shop's delivery is the article's
_SHOP_TERMS = re.compile(
    r"^(?:livraison|retrait|retours?|échanges?) (?:offerte?s?|gratuite?s?)\b|^paiement en \d+ ?(?:x|fois) sans frais\b",
    re.IGNORECASE,
)
_FIELDS = re.compile(r"\s[|·•]\s")
# a price list in a row of fields, each field a price (« Tarif plein 22 € · réduit 14 € · moins de 18 ans 8 € »)
_PRICE_FIELDS = re.compile(r"\s[·|•/]\s")
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
# the site's own promotion under a note label (« Bon à savoir : chez Name, votre … dans nos magasins »): the label
# is an article's too (« Bon à savoir : ces tablettes ne sont pas vendues en France »), the site named with « chez »,
# or speaking as « nos »/« notre », and the reader addressed are not
_NOTE_LABEL = re.compile(r"^(?:bon à savoir|le saviez-vous|astuce|à noter|notre conseil|info)\s?[:?!]\s", re.IGNORECASE)
_HOUSE_NAMED = re.compile(r"\bchez [A-ZÀ-Ý]|\b(?:nos|notre)\b", re.IGNORECASE)
# the site asking its reader to join (« Vous êtes boulanger et pas encore adhérent ? La fédération vous … »)
_JOIN = re.compile(
    r"^vous (?:êtes|n['’]êtes)\b[^?]{0,80}\b(?:adhérente?|membre|sociétaire|abonnée?|cliente?)s?\b[^?]{0,30}\?",
    re.IGNORECASE,
)
# the site's disclaimer on what it publishes (« Les informations publiées sur cette page … ne constituent ni … »)
_DISCLAIMER = re.compile(
    r"^(?:les informations|le contenu|les contenus|cet article|ce contenu)\b[^.]{0,60}\b(?:cette page|ce site|ce "
    r"document|cet article)\b[^.]{0,80}\bne (?:constitue|constituent|saurai(?:en)?t|sauraient)\b",
    re.IGNORECASE,
)
_ARROW = re.compile(r"\s[›→➜▸]$")


def _shop_line(t: str, raw: str) -> Match | None:
    if len(t) > LINE_MAX_CHARS:
        return None
    if _BUTTON.match(t) or _SELLER.search(t) or _MEMBERS.match(t) or _PRODUCT_NUMBER.match(t):
        return Match("shop_line")
    fields = _FIELDS.split(t)
    if len(fields) >= 2 and sum(bool(_SHOP_TERMS.match(f)) for f in fields) >= 1 and not SENTENCE_END.search(t):
        return Match("shop_line")
    prices = _PRICE_FIELDS.split(t)
    if len(prices) >= 2 and all(_PRICE.search(f) and words(f) <= PRICE_FIELD_MAX_WORDS for f in prices):
        return Match("shop_line")
    if _NOTE_LABEL.match(t) and _HOUSE_NAMED.search(t) and READER.search(t):
        return Match("shop_line")
    if _JOIN.match(t):
        return Match("shop_line")
    if _PRICE.search(t) and _BUTTON_TAIL.search(t):
        return Match("shop_line")
    if words(t) <= SHOP_MAX_WORDS and not SENTENCE_END.search(t) and _PRICE.search(t) and _ON_SALE.search(t):
        return Match("shop_line")
    return None


def _site_account(t: str, raw: str) -> Match | None:
    return Match("site_account") if len(t) <= LINE_MAX_CHARS and _ACCOUNT.search(t) else None


def _site_legal(t: str, raw: str) -> Match | None:
    return Match("site_legal") if len(t) <= LINE_MAX_CHARS and (_LEGAL.search(t) or _DISCLAIMER.match(t)) else None


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
