"""What a site puts around an article that no older rule read, met in heldout23 and heldout24 (tried last of the line
rules, :data:`~coopnum.corpus.site_notes.LATE_RULES`, so a line an older rule takes keeps its rule):

- ``teaser_link``: a teaser ending on its link's label (« Ciel du mois : … au soir. Voir la carte »): an article's
  sentence never ends on a bare « Voir … » or « Feuilleter … » with no stop.
- ``site_call``: the site calling its reader to come, join or buy: a short line ending on « ! » with an imperative
  (« … : inscrivez votre club avant le 15 mars ! », « on vous attend ! »), an imperative on the house's own
  things (« Retrouvez notre sélection »), a reader prompt (« Envie de … ? »), the places left (« encore 3 places »),
  a booking field (« Prendre rendez-vous : … »), the house naming itself (« Chez Name, nous … ») or speaking of its
  own under a short label (« Hygiène : tous nos outils … »), a labelled aside in parentheses on its own line.
- ``site_mention``: a notice the law makes a seller print (« Agrément … n° … », « L'abus d'alcool est dangereux … »),
  a fare list under « Tarifs : » with two prices or more, an event under the
  site's « Agenda — » label or named on its day and hour (« Dédicace samedi 7 décembre, 15 h : … »), the organisation's
  legal status (« Association loi 1901 — … »), the organisation's blurb (« Créée en 1998, la X
  rassemble … »), a letter's blurb (« Chaque mois, l'actualité … ») and its sign-up form (« … Votre e-mail OK »).
- ``site_links``: a related link's label (« Pour aller plus loin : … »), a heading over related items (« À lire dans
  ce dossier », « Recevoir La Lettre … »), a members' menu (« Espace adhérents Presse Nous rejoindre »), the site's
  rubric's path (« Débats / Normes et outils »), a trail from the home page with long items, the site's masthead spelling out its acronym (« ACRONYM | Full Name », whose initials are the acronym's letters).
- ``wiki_talk``: a wiki talk page's furniture: its page name (« Discussion:Name — Wiki … »), its notice (« Cette page
  de discussion … ») and a contributor's signed post (« … — User (discussion) 12 mars 2025 à 18:04 (CET) »).
- ``post_stamp``: a post's stamp naming its kind and date (« Billet du 6 mai 2025 — rubrique « … » »; gives the date).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from coopnum.corpus.acronyms import initials_fit
from coopnum.corpus.dates import parse_date
from coopnum.corpus.features import INNER_SENTENCE_BREAK, READER, words
from coopnum.corpus.matches import Match

MAX_CHARS = 300
CALL_MAX_WORDS = 45
MENU_MAX_WORDS = 6
MENU_MIN_WORDS = 3
HEADING_MAX_WORDS = 8
MIN_PRICES = 2

_Q = "['’]"
_QUOTED = re.compile(r"[«»“”\"]")
_BACK_REFERENCE = re.compile(r"^(?:Ce|Cet|Cette|Ces) \w")
_HOUSE = re.compile(r"\b(?:notre|nos)\b", re.IGNORECASE)
# a link's label closing a teaser after its last sentence (« … au soir. Voir la carte »)
_TEASER_LINK = re.compile(
    r"[.!?…»]\s+(?:Voir|Lire|Feuilleter|Découvrir|Consulter|Télécharger|Écouter|Regarder|En savoir plus)"
    r"(?: [\w'’-]+){0,3}\s?[›→]?$"
)
# a second-person imperative opening a clause (« inscrivez », « demandez-la »); « chez », « assez » are no verbs
_IMPERATIVE = re.compile(
    r"(?:^|[:.!?,;—–]\s+)(?!(?:chez|assez|Suez|Rodez)\b)[^\W\d_]{2,}ez(?:-(?:la|le|les|nous|en|y|vous))?\b",
    re.IGNORECASE,
)
_WAITS = re.compile(r"\bvous attend(?:ent)?\b", re.IGNORECASE)
_HOUSE_IMPERATIVE = re.compile(
    r"(?:^|[:.!?,;—–]\s+)[^\W\d_]{2,}ez(?:-(?:la|le|les|nous))? (?:notre|nos)\b", re.IGNORECASE
)
_PROMPT = re.compile(rf"^(?:Envie|Besoin) d(?:e |{_Q})[^?]{{3,80}}\?\s")
_PLACES_LEFT = re.compile(r"\b(?:encore|plus que|il reste) \d+ places\b|\bplaces limitées\b", re.IGNORECASE)
_BOOKING = re.compile(r"^(?:Prendre rendez-vous|Réservations?)\s?:\s", re.IGNORECASE)
# the house's notice under a short label, speaking of its own in two sentences or more (« Hygiène : tous nos outils
# sont … . Le studio … . »; a headline with « nos » has one, and no stop); the house's opinion under its label (« Notre avis : on l'a testé … ») says no « nos » after it and is the article's
_HOUSE_NOTICE = re.compile(r"^[A-ZÀ-Ý][\w'’]*(?: (?:&|et|de|du|des) [\w'’]+| [\w'’]+){0,2}\s?:\s.*\b(?:nos|notre)\b")
# a labelled aside in parentheses on its own line (« (Motif de démonstration : … — disponible en boutique) »)
_ASIDE = re.compile(r"^\([A-ZÀ-Ý][^():]{2,40}\s?:\s[^()]{3,160}\)$")
_HOUSE_NAMED = re.compile(r"(?:^|[.!?]\s+)Chez [A-ZÀ-Ý][^,.;:!?]{1,40}, nous\b")
_LEGAL = re.compile(
    rf"^Agrément\b[^:]{{0,30}}\bn°|\bL{_Q}abus d{_Q}alcool est dangereux pour la santé\b", re.IGNORECASE
)
# the site's own events under its agenda's label (« Agenda — Rencontre X, jeudi 21 mai, 19 h, … »)
_AGENDA = re.compile(r"^Agenda\s?[—–:]\s\S")
# the organisation's legal status opening a line (« Association loi 1901 — X est soutenue par … »)
_STATUS = re.compile(r"^(?:Association|Coopérative|SCIC|SCOP)\b[^.:;]{0,20}\b(?:loi (?:de )?1901|à capital variable)\b")
# the site's event named, then its day and hour (« Dédicace samedi 7 décembre, 15 h : rencontre avec … »): a news
# chronology gives dates, and an agenda's items with no name before the day are left to its list (heldout20)
_WEEKDAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_NAMED_EVENT = re.compile(
    rf"^[A-ZÀ-Ý][\w'’-]+ {_WEEKDAY} \d{{1,2}}(?:er)? [^\W\d_]+,? (?:à )?\d{{1,2}} ?h(?:\s?\d{{2}})?\s?:\s"
)
_FARES = re.compile(r"^Tarifs?\b[^:]{0,25}\s?:\s")
_PRICE = re.compile(r"\d(?:[\d\s.,]*\d)?\s?(?:€|euros?|CHF|FCFA)", re.IGNORECASE)
_FOUNDED = re.compile(
    rf"^(?:Créée?|Fondée?) en \d{{4}}, (?:la |le |l{_Q})[A-ZÀ-Ý][\w&'’-]*(?: [\w&'’-]+){{0,4}} "
    r"(?:rassemble|fédère|regroupe|réunit|représente)\b"
)
_DAYS = r"(?:jour|semaine|mois|trimestre|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_LETTER_BLURB = re.compile(
    rf"(?:^|[—–]\s)[Cc]haque {_DAYS}\s?, (?:toute )?(?:l{_Q}actualité|l{_Q}essentiel|le meilleur)\b"
)
_LETTER_FORM = re.compile(
    r"\b(?:votre|ton) (?:adresse )?(?:e-mail|email|courriel|adresse électronique)\s?(?:[:—–-]\s?)?"
    rf"(?:OK|Valider|Envoyer|Je m{_Q}inscris|S{_Q}inscrire|Je m{_Q}abonne|→|›)$",
    re.IGNORECASE,
)
_RELATED_LABEL = re.compile(r"^Pour aller plus loin\s?:\s\S")
_RELATED_HEADING = re.compile(
    r"^(?:À lire (?:aussi )?(?:dans|sur) (?:ce|cette|le|notre) (?:dossier|blog|site|numéro|série)"
    r"|Recevoir (?:la|le|notre|nos) (?:lettre|newsletter|gazette)\b.*)$",
    re.IGNORECASE,
)
_MEMBER_SPACE = re.compile(r"\bEspace (?:adhérents?|membres?|abonnés?|clients?|partenaires)\b", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[.,;:!?«»()]")
_WIKI_PAGE = re.compile(
    r"^(?:Discussion(?: utilisateur)?|Utilisateur|Modèle|Catégorie|Aide|Projet|Portail|Fichier|Spécial|Talk|User)"
    r"\s?:\S[^—–|]{0,60}(?:\s[—–|-]\s.{1,60})?$"
)
_WIKI_NOTICE = re.compile(r"^Cette page de discussion\b")
_WIKI_SIGNATURE = re.compile(
    r"\((?:discussion|d|talk|contributions)\)\s+\d{1,2}(?:er)? [^\W\d_]+\.? \d{4} à \d{1,2}[:h]\d{2}"
    r"(?:\s\([A-Z]{2,5}\))?$"
)
# the site's masthead: its acronym, then the name it spells out (« ACRONYM | Full Name »), never a title
_SPELT_MASTHEAD = re.compile(r"^(?P<acronym>[A-ZÀ-Ý]{2,8})\s[|–—]\s(?P<name>[A-ZÀ-Ý][^|·.:;!?©]{3,80})$")
# a trail from the home page, whose items may be longer than a breadcrumb's (« Accueil > La Lettre de X > n° 150 > … »)
_HOME_TRAIL = re.compile(r"^(?:Accueil|Home)\s[>›»]\s")
_TRAIL_SEP = re.compile(r"\s[>›»]\s")
# a rubric's path, section then subsection apart by a slash (« Débats / Normes et outils »)
_SECTION_PATH = re.compile(r"^[A-ZÀ-Ý][\w'’-]+(?: [\w'’-]+){0,2} / [A-ZÀ-Ý][\w'’-]+(?: [\w'’-]+){0,3}$")
_POST_STAMP = re.compile(
    r"^(?:Billet|Article|Chronique|Édito|Éditorial|Note|Post|Message|Épisode) (?:du|publiée? le) "
    r"(?P<date>\d{1,2}(?:er)? [^\W\d_]+ \d{4})(?:\s[—–|·-]\s.{0,80})?$"
)


def _teaser_link(t: str, raw: str) -> Match | None:
    return Match("teaser_link") if len(t) <= MAX_CHARS and _TEASER_LINK.search(t) else None


def _site_call(t: str, raw: str) -> Match | None:
    """The site's call to its reader; never a quotation (a speaker's « venez ! » is the article's)."""
    if len(t) > MAX_CHARS or words(t) > CALL_MAX_WORDS or _QUOTED.search(_unquoted_title(t)):
        return None
    called = t.rstrip().endswith("!") and (_IMPERATIVE.search(t) or _WAITS.search(t) or _PLACES_LEFT.search(t))
    notice = _HOUSE_NOTICE.match(t) and INNER_SENTENCE_BREAK.search(t) and t.rstrip().endswith(".")
    plug = (_HOUSE_IMPERATIVE.search(t) or notice) and not _goes_on(t)
    if called or plug or _PROMPT.match(t) or _BOOKING.match(t) or _HOUSE_NAMED.search(t) or _ASIDE.match(t):
        return Match("site_call")
    return None


def _goes_on(t: str) -> bool:
    """A paragraph whose first sentence points back at the text and says nothing of the house or the reader
    (« Ces modèles ne seront pas vendus en France. Si vous cherchez …, retrouvez notre comparatif. ») goes on with
    the article: its plug is the writer's (the fixtures of heldout21 keep it, as ``site_notes._house_voice`` does)."""
    brk = INNER_SENTENCE_BREAK.search(t)
    if brk is None or not _BACK_REFERENCE.match(t):
        return False
    first = t[: brk.start() + 2]
    return not (_HOUSE.search(first) or READER.search(first))


def _unquoted_title(t: str) -> str:
    """``t`` without a short name in guillemets (an event's, a game's: « Bloc & Tech »), which is no quotation."""
    return re.sub(r"«[^»]{1,30}»", "", t)


def _site_mention(t: str, raw: str) -> Match | None:
    if len(t) > MAX_CHARS:
        return None
    if (
        _LEGAL.search(t)
        or _FOUNDED.match(t)
        or _AGENDA.match(t)
        or _STATUS.match(t)
        or _NAMED_EVENT.match(t)
        or _LETTER_BLURB.search(t)
        or _LETTER_FORM.search(t)
    ):
        return Match("site_mention")
    if _FARES.match(t) and len(_PRICE.findall(t)) >= MIN_PRICES:
        return Match("site_mention")
    return None


def _site_links(t: str, raw: str) -> Match | None:
    if len(t) > MAX_CHARS:
        return None
    if _RELATED_LABEL.match(t):
        return Match("site_links")
    if words(t) <= HEADING_MAX_WORDS and _RELATED_HEADING.match(t):
        return Match("site_links", list_items="related_item")
    if MENU_MIN_WORDS <= words(t) <= MENU_MAX_WORDS and not _PUNCTUATION.search(t) and _MEMBER_SPACE.search(t):
        return Match("site_links")
    trail = _TRAIL_SEP.split(t)
    if _HOME_TRAIL.match(t) and len(trail) >= MENU_MIN_WORDS and all(words(x) <= MENU_MAX_WORDS for x in trail):
        return Match("site_links")
    if words(t) <= MENU_MAX_WORDS and _SECTION_PATH.match(t):
        return Match("site_links")
    m = _SPELT_MASTHEAD.match(t)
    if m and initials_fit(m["acronym"], m["name"]):
        return Match("site_links")
    return None


def _wiki_talk(t: str, raw: str) -> Match | None:
    if _WIKI_PAGE.match(t) or _WIKI_NOTICE.match(t) or _WIKI_SIGNATURE.search(t):
        return Match("wiki_talk")
    return None


def _post_stamp(t: str, raw: str) -> Match | None:
    m = _POST_STAMP.match(t)
    return Match("post_stamp", date=parse_date(m["date"])) if m else None


SITE_CALL_RULES: tuple[tuple[str, str, Callable[[str, str], Match | None]], ...] = (
    ("teaser_link", "a teaser ending on its link's label (« … au soir. Voir la carte »)", _teaser_link),
    (
        "site_call",
        "the site calling its reader (« inscrivez votre club … ! », « Retrouvez notre sélection », « Envie de … ? »)",
        _site_call,
    ),
    (
        "site_mention",
        "a seller's legal notice, a fare list, the organisation's or its letter's blurb, the letter's sign-up form",
        _site_mention,
    ),
    (
        "site_links",
        "a related link's label (« Pour aller plus loin : »), a heading over related items, a members' menu, a"
        " rubric's path (« Débats / Normes »), a trail from home, an acronym's masthead (« ACR | Full Name »)",
        _site_links,
    ),
    (
        "wiki_talk",
        "a wiki talk page's name, notice and signed posts (« … — User (discussion) date à 18:04 »)",
        _wiki_talk,
    ),
    ("post_stamp", "a post's kind and date (« Billet du 6 mai 2025 — rubrique … »; gives the date)", _post_stamp),
)
