"""The one-pattern line rules for the furniture of page kinds met first in heldout12, whose article sits inside
a product page: a ticketing page (buttons, fees, the about-the-event heading), a crowdfunding page (reward tiers,
secure-payment notice, platform notice), a product review (offer links, affiliate notice), a museum page
(curators, guided tours, sponsors), a community radio (replay note, support appeal), an open-data portal
(reuse prompt), a betting advert's legal notice, a cable-style note's own format note, a one-line about box.
Same form as :data:`~coopnum.corpus.widgets.WIDGETS`, tried right after them."""

from __future__ import annotations

import re

_Q = "['’]"

PAGE_WIDGETS: tuple[tuple[str, str, str, int], ...] = (
    (
        "page_button",
        "a page's call-to-action button (« Je soutiens ce projet », « Réserver un créneau », « Voir sur la carte »)",
        rf"^(?:je (?:soutiens|participe|contribue)\b.*|réserver(?: (?:un créneau|ma place|mes places|mes billets))?"
        rf"|voir sur la carte|faire un don\b.*|à propos de cet (?:événement|atelier|spectacle|évènement)"
        rf"|accès (?:au|à la|aux|à l{_Q}) .{{3,40}}\(réservé\b.*)$",
        80,
    ),
    (
        "offer_link",
        "a shop offer (« Meilleur prix : … — Voir l'offre »)",
        rf"^meilleur prix\s*:|\bvoir l{_Q}offre$",
        140,
    ),
    (
        "ticket_terms",
        "a ticketing or payment notice (« Frais de service inclus », « Paiement sécurisé. … »)",
        r"^(?:frais de (?:service|location|dossier) (?:inclus|offerts)|paiement (?:100 % )?sécurisé)\b",
        220,
    ),
    ("reward_tier", "a crowdfunding reward tier (« 10 € — A thank-you … »)", r"^\d[\d  ]*(?:,\d\d)?\s?€\s[—–-]\s", 140),
    (
        "visit_info",
        "a museum's or office's visit information (curators, guided tours, opening hours, sponsors)",
        rf"^(?:commissariat|commissaires? de l{_Q}exposition)\s*:|^visites? guidées?\b.*\b(?:réservation|tous les)\b"
        rf"|^horaires(?: d{_Q}ouverture| de l{_Q}\w+| du \w+)?\s*:|^avec le (?:soutien|concours) (?:de|du|des)\b",
        180,
    ),
    (
        "replay_note",
        "a broadcast's replay note (« …, à réécouter dans le journal de 13h. »)",
        r"\bà (?:réécouter|réentendre|revoir) (?:dans|sur|en)\b",
        160,
    ),
    (
        "page_notice",
        "an affiliate, platform, format or gambling notice (« Cet article contient des liens d'affiliation »)",
        rf"^cet article contient des liens (?:d{_Q}affiliation|affiliés|sponsorisés)"
        rf"|\best une plateforme de (?:financement participatif|blogs?)\b|^ce (?:carnet|blog) est hébergé\b"
        rf"|^note\s*:\s*nos\b|\bjouer comporte des risques\b|^rédaction\s*:\s*\S"
        rf"|^vous avez (?:ré)?utilisé ces données\b",
        400,
    ),
    (
        "support_appeal",
        "a community outlet's appeal for support (« X est une radio associative. Elle vit grâce à … »)",
        r"\best une (?:radio|association|télévision|web-?radio)\b.{0,80}\.\s.*\b(?:grâce (?:à|au soutien)|soutenez|dons?)\b",
        400,
    ),
    (
        "about_box",
        "an about box on one line (« À propos de l'agence : créée en … »)",
        rf"^à propos (?:de l{_Q}|de la |du |de notre )[^:.]{{2,40}}\s:\s",
        700,
    ),
    (
        "price_line",
        "a price, tariff or funding counter in a page's header (« À partir de 15,00 € », « 18 430 € collectés sur … »)",
        r"^(?:à partir de|dès)\s*\d[\d\s]*(?:,\d\d)?\s?€$|^plein tarif\b.*€|€ collectés sur\b"
        r"|^porté par (?:l['’]association|la société|le collectif)\b",
        160,
    ),
)

# Never a title, though the last header line of ≥3 words: a two-step navigation trail (« Tablettes › Tests »,
# « Presse > Communiqués »), too short for the breadcrumb rule to remove (a headline may hold one « > »), and
# a summary's crosshead right above the text (« Résumé de la décision »), under the real title (it is removed
# with the header's labels: kept, it would touch the title where a page sets no blank line), and a top bar's
# weather bulletin (« Météo – City : 29 °C, … »; not a line rule: cut at a page width, its second piece stays).
_SHORT_TRAIL = re.compile(r"^[^›>»<|:]{2,30} [›>] [^›>»<|:]{2,30}$")
_SUMMARY_HEADING = re.compile(
    r"^(?:résumé|synthèse|en résumé)(?: (?:de la|de l['’]|du|des) \w+)?$",
    re.IGNORECASE,
)


_WEATHER = re.compile(r"^(?:bulletin )?météo\b.{0,80}\d\s?°\s?C\b", re.IGNORECASE)
# a page's name and its section apart by a pipe (« Site | Diaporamas »), the browser's title of a page that has
# no headline of its own; the section is one or two words, so « A | B : a headline » is not taken
_SITE_SECTION = re.compile(r"^[^|›>:]{2,30} \| [^\W\d]+(?: [^\W\d]+)?$")


# a site's name and the kind of its page (« Name — le blog », « Name | le mag »), heldout28
_SITE_KIND = re.compile(
    r"^[^—–|:]{2,40} [—–|] (?:le|la|les) (?:blog|mag|magazine|journal|actus?|actualités|lettre|carnet)$", re.IGNORECASE
)


def is_no_title(text: str) -> bool:
    """Whether ``text`` is a navigation trail, a summary's crosshead, a weather bulletin or a site and section name,
    or a site's name and its page's kind (never the title)."""
    return any(
        rx.match(text) is not None for rx in (_SHORT_TRAIL, _SUMMARY_HEADING, _WEATHER, _SITE_SECTION, _SITE_KIND)
    )


# the name a copyright line gives the site, whatever rule took the line (« Plan du site – … – © Name », « © Name —
# CGV », « © 2026 Name. Tous droits réservés »), heldout26 and heldout28
_COPYRIGHT_NAME = re.compile(
    r"©\s?(?:\d{4}(?:\s?[-–]\s?\d{4})?\s)?(?P<name>[A-ZÀ-Ý][^—–|·©.,;:!?\d]{1,60}?)\s*(?:$|[—–|·,.;]|\d{4}|Tous droits)"
)
COPYRIGHT_NAME_MAX_WORDS = 6


def copyright_name(t: str) -> str | None:
    """The site's name as its copyright line gives it, if any (see :data:`_COPYRIGHT_NAME`)."""
    m = _COPYRIGHT_NAME.search(t)
    name = m["name"].strip() if m else None
    return name if name and len(name.split()) <= COPYRIGHT_NAME_MAX_WORDS else None
