"""What a site says about itself and to its reader around an article (met first in heldout17 and heldout18), each
written as prose, so no shape rule took it: the outlet's self-description and legal imprint, an appeal for
donations, a promotion of the site's letter, issue or subscribers' content, the house speaking to its reader in its
own name (« Notre équipe … vous informe », « Profitez de votre vol … notre sélection »), a credits row (« Texte :
Name — Photo : DR »), a print page's number between dashes. Tried last of the line rules (:data:`LATE_RULES`, with
the author lines of :mod:`~coopnum.corpus.author_fields`)."""

from __future__ import annotations

import re
from collections.abc import Callable

from coopnum.corpus.author_fields import AUTHOR_RULES
from coopnum.corpus.features import INNER_SENTENCE_BREAK, READER, SENTENCE_END, words
from coopnum.corpus.matches import Match
from coopnum.corpus.page_controls import PAGE_CONTROL_RULES
from coopnum.corpus.site_calls import SITE_CALL_RULES
from coopnum.corpus.site_shop import SHOP_RULES

_Q = "['’]"
_MEDIA = (
    r"(?:magazine|portail|site|journal|média|quotidien|hebdomadaire|mensuel|blog|revue|lettre|webzine|radio"
    r"|chaîne|diffuseur|agence|publication)"
)
# « X est un magazine indépendant … fondé en 1998 … » / « X est un portail associatif … . Les textes … »: the
# outlet presents itself; an article naming another outlet says one thing of it, not a blurb of two sentences
_SELF_DESCRIPTION = re.compile(rf"^[A-ZÀ-Ý][^.,;:!?]{{1,40}}? est (?:un|une) (?:[\w-]+ ){{0,2}}{_MEDIA}\b")
_FOUNDED = re.compile(r"\b(?:fondée?|créée?|lancée?) en \d{4}\b")
_ABOUT_INLINE = re.compile(rf"^À propos d(?:e |{_Q})[A-ZÀ-Ý][^:]{{1,40}}\s?:\s\S")
# the legal imprint: the publisher company, its capital, the publication's director, a registry number
_IMPRINT = re.compile(
    r"\b(?:édité|publié)e? par (?:la |l['’])?(?:SARL|SAS|SA|EURL|SCOP|société|association)\b"
    r"|\bcapital (?:social )?(?:de )?\d[\d\s.]*(?:€|euros)"
    r"|\bRCS [A-ZÀ-Ý]|\bSIRE[NT]\b|\bORIAS\b",
    re.IGNORECASE,
)
_DONATION = re.compile(
    r"\bappel aux dons\b|\bfaire un don\b|\baidez-nous\b|^soutenez [A-ZÀ-Ý]|\bvit (?:uniquement )?grâce à (?:ses|nos) lect",
    re.IGNORECASE,
)
# the site's letter, issue or members' content offered to the reader
_LETTER = re.compile(
    rf"\blettre (?:gratuite|hebdomadaire|quotidienne|d{_Q}information)\b.*\b(?:inscrivez|abonnez)-vous\b", re.IGNORECASE
)
# a discount code given to the reader (« … -20 % avec le code HIVER20 »)
_PROMO_CODE = re.compile(r"\b(?:avec le|code promo|le code) [A-Z][A-Z0-9]{3,}\b")
# the seller's pitch and its call to act at an address (« … gratuit et sans engagement ! », « Réservez sur
# airazur.example »); a council's study « sans engagement à ce stade » is no pitch
_SALES = re.compile(
    r"\bgratuite?(?:ment)? et sans engagement\b|\bsans engagement de votre part\b"
    r"|\b(?:réservez|commandez|achetez|abonnez-vous|estimez)\b[^.!?]{0,40}\b(?:sur|à) [\w-]+\.[a-z]{2,}\b",
    re.IGNORECASE,
)
_SUBSCRIBERS = re.compile(r"^(?:abonnés|réservé aux abonnés|pour les abonnés)\s?:", re.IGNORECASE)
_PRICE = re.compile(r"\d(?:[\d\s.,]*\d)?\s?(?:€|euros?|CHF|\$|FCFA|dollars?)", re.IGNORECASE)
_ISSUE = re.compile(r"\bn° ?\d+|\bhors-série\b", re.IGNORECASE)
_ON_SALE = re.compile(r"\ben kiosque\b|\bdisponible\b|\bpages\b", re.IGNORECASE)
# the house speaking: first person plural beside the reader's second person (« rendez-vous » is neither)
_HOUSE = re.compile(r"\b(?:notre|nos)\b|(?:^|[.!?] )Nous \w+", re.IGNORECASE)
# a demonstrative opening a sentence names what the text above spoke of (« Ces modèles … », « Cette mesure … »)
_BACK_REFERENCE = re.compile(r"^(?:Ce|Cet|Cette|Ces) \w")
_QUOTED = re.compile(r"[«»“”\"]")
_SPEAKER = re.compile(r"^[A-ZÀ-Ý][\w.'’ -]{0,30}\s?:\s")  # « Name : … », a turn of an interview
HOUSE_MAX_CHARS = 260
# the newsroom promising to follow the story (« Nous suivrons le dossier et vous tiendrons informés »)
_FOLLOW_UP = re.compile(
    r"\b[Nn]ous suivrons (?:le|ce) dossier(?: et vous (?:en )?tiendrons informée?s)?|\bnous vous (?:en )?tiendrons informée?s\b"
)
_CREDIT_FIELD = re.compile(
    r"^(?:texte|textes|photos?|illustrations?|vidéo|infographie|rédaction|reportage)\s?:\s?\S", re.IGNORECASE
)
_CREDIT_SEPARATOR = re.compile(r"\s+[—–|·•/]\s+")
# a reading app's annotation left in its export (« Note de lecteur (page 15) : … », « Surlignement : … »)
_ANNOTATION = re.compile(
    r"^(?:note (?:de |du )?(?:lecteur|lectrice)|ma note|surlignement|signet)\b[^:]{0,20}\s?:\s", re.I
)
_PAGE_NUMBER = re.compile(r"^[—–-]\s?\d{1,4}\s?[—–-]$")


def _site_about(t: str, raw: str) -> Match | None:
    if len(t) > 500:
        return None
    if _ABOUT_INLINE.match(t) or _IMPRINT.search(t):
        return Match("site_about")
    # whole sentences only: the first piece of a blurb a page width cut would leave its other pieces, which read as
    # prose, to end the article (corpus.wrapped_rules reads the pieces joined when no rule took the first)
    blurb = _FOUNDED.search(t) or INNER_SENTENCE_BREAK.search(t)
    if _SELF_DESCRIPTION.match(t) and blurb and SENTENCE_END.search(t):
        return Match("site_about")
    return None


def _site_donation(t: str, raw: str) -> Match | None:
    return Match("site_donation") if len(t) <= 300 and _DONATION.search(t) else None


def _site_offer(t: str, raw: str) -> Match | None:
    if len(t) > 300:
        return None
    if (
        _LETTER.search(t)
        or _SUBSCRIBERS.match(t)
        or _PROMO_CODE.search(t)
        or _SALES.search(t)
        or (_PRICE.search(t) and _ISSUE.search(t) and _ON_SALE.search(t))
    ):
        return Match("site_offer")
    return None


def _house_voice(t: str, raw: str) -> Match | None:
    """The house addressing its reader in its own name; not a quotation, not an interview's turn (an answer says
    « nous » to the one who asks), and only a short paragraph (an article's long one may quote both)."""
    if len(t) > HOUSE_MAX_CHARS or _QUOTED.search(t) or _SPEAKER.match(t):
        return None
    said = _FOLLOW_UP.sub("", t)  # the newsroom's promise to follow the story is the article's, no plug (heldout24)
    if _HOUSE.search(said) and READER.search(said) and not _goes_on(t):
        return Match("house_voice")
    return None


def _goes_on(t: str) -> bool:
    """A paragraph whose first sentence points back at the text (« Ces modèles ne seront pas vendus en France. Si
    vous cherchez …, retrouvez notre comparatif. ») goes on with the article: its plug is the writer's (heldout21)."""
    brk = INNER_SENTENCE_BREAK.search(t)
    if brk is None or not _BACK_REFERENCE.match(t):
        return False
    first = t[: brk.start() + 2]
    return not (_HOUSE.search(first) or READER.search(first))


def _credits_row(t: str, raw: str) -> Match | None:
    if _PAGE_NUMBER.match(t) or _ANNOTATION.match(t):
        return Match("credits_row")
    fields = _CREDIT_SEPARATOR.split(t)
    if len(fields) >= 2 and words(t) <= 12 and all(_CREDIT_FIELD.match(f) for f in fields):
        return Match("credits_row")
    return None


SITE_NOTE_RULES: tuple[tuple[str, str, Callable[[str, str], Match | None]], ...] = (
    (
        "site_about",
        "the outlet about itself: « À propos de X : … », « X est un magazine … fondé en … », its legal imprint",
        _site_about,
    ),
    ("site_donation", "an appeal for donations (« Appel aux dons », « Soutenez X : … Faire un don »)", _site_donation),
    (
        "site_offer",
        "the site's letter, issue or subscribers' content offered (« … sa lettre gratuite … Inscrivez-vous »)",
        _site_offer,
    ),
    ("house_voice", "the house addressing the reader in its own name (« notre équipe … vous informe »)", _house_voice),
    (
        "credits_row",
        "a credits row (« Texte : Name — Photo : DR »), a print page's number (« — 14 — »), a reader app's note",
        _credits_row,
    ),
)

# Tried after every older line rule (corpus.rules: LINE_RULES ends with them), so that a line an older rule removes
# keeps its rule: these were written for lines no older rule took.
LATE_RULES: tuple[tuple[str, str, Callable[[str, str], Match | None]], ...] = (
    *AUTHOR_RULES,
    *SITE_NOTE_RULES,
    *SHOP_RULES,
    *SITE_CALL_RULES,  # corpus.site_calls: met in heldout23 and heldout24
    *PAGE_CONTROL_RULES,  # corpus.page_controls: met in heldout26 and heldout27
)
