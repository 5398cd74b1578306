"""The line rules for the furniture of page kinds met first in heldout13, whose article sits inside a page made
for another use: a teaching worksheet (licence note, similar worksheets), an image bank (reproduction notice,
result navigation), a reposting page (reprint notice, original-publication stamp), a satire
site's fiction disclaimer, an office's reminder to its users, a community's recruiting appeal, a trade directory's
listing offer, a poll or sentiment widget, a live session's housekeeping turns. Pattern rules have the form of
:data:`~coopnum.corpus.widgets.WIDGETS`; the rules that read a date are in :data:`PAGE_NOTE_RULES`."""

from __future__ import annotations

import re
from collections.abc import Callable

from coopnum.corpus.dates import parse_date
from coopnum.corpus.features import words
from coopnum.corpus.matches import Match

_Q = "['’]"

PAGE_NOTES: tuple[tuple[str, str, str, int], ...] = (
    (
        "licence_note",
        "a page's licence or reproduction notice (« … diffusée sous licence CC BY … », « Toute reproduction … interdite »)",
        r"\b(?:cette|ce|cet|les|nos) (?:ressource|fiche|contenu|page|site|document)s? (?:est|sont) (?:diffusée?s?|placée?s?)"
        r" sous licence\b|^[^.]{0,40}\bsous licence (?:CC|creative commons)\b"
        r"|\btoute reproduction\b.{0,60}\b(?:interdite|soumise)\b|\bsont fournies sous la (?:seule )?responsabilité\b",
        400,
    ),
    (
        "fiction_notice",
        "a satire or fiction site's disclaimer (« … sont satiriques … Toute ressemblance avec des faits réels … »)",
        r"\btoute ressemblance avec des (?:faits|personnes|personnages|événements)\b"
        r"|\b(?:sont|est) (?:satiriques?|parodiques?)\b.{0,40}\bficti(?:f|ve)",
        500,
    ),
    (
        "reprint_notice",
        "a repost's note on where the article comes from (« Nous le reproduisons avec l'autorisation de … »)",
        rf"\breprodui(?:t|te|ts|tes|sons|sent)\b.{{0,40}}\bavec l{_Q}(?:aimable )?autorisation\b",
        500,
    ),
    (
        "result_nav",
        "a search result's or gallery's navigation (« Résultat suivant : … », « Fiches similaires : A · B »)",
        r"^(?:résultats?|photos?|images?|fiches?|diaporamas?|vidéos?) (?:suivante?s?|précédente?s?|similaires)\s*:",
        220,
    ),
    (
        "user_reminder",
        "an office's reminder to its users (« Rappel : … contactez votre conseil »)",
        r"^(?:rappel|important|attention)\s*:.*\b(?:contactez|adressez-vous|rapprochez-vous|consultez) (?:votre|vos)\b",
        400,
    ),
    (
        "recruiting_appeal",
        "a group's appeal to readers with an address to write to (« … recrute ! … Écrivez à name@site »)",
        r"\brecrute\s*!|\b(?:écrivez|écrire|écrivez-nous|contactez-nous) à \S+@\S+",
        400,
    ),
    (
        "listing_offer",
        "a directory's or platform's offer to the reader (« Référencez votre société gratuitement »)",
        r"\b(?:référencez|inscrivez|ajoutez|publiez) (?:votre|vos) (?:société|entreprise|annonce|fiche|établissement)",
        300,
    ),
    (
        "poll_widget",
        "a poll or sentiment widget (« Sentiment : 🐂 62 % 🐻 38 % »): a label, then shares only",
        r"^[^.!?:]{2,40}:(?:\s*[^\w\s]{0,3}\s*\d{1,3}(?:,\d)?\s?%){2,}\s*$",
        120,
    ),
    (
        "session_housekeeping",
        "a live session's housekeeping turn (« [00:06:02] HOST : … rafraîchir la page », « … le replay sera disponible »)",
        r"^(?:\[\d{1,2}:\d\d(?::\d\d)?\]\s*)?(?-i:[A-ZÀ-Ý][A-ZÀ-Ý'’ -]{2,40})(?:\([^)]{2,60}\))?\s*:\s.*"
        r"\b(?:micros?|le son|rafraîchi\w*|(?:le|du|en) replay|caméras?|partage d['’]écran|(?:le|du|dans le) chat)\b",
        400,
    ),
)

# « Article original paru dans Outlet le 2 mars 2025 », « Communiqué publié sur l'espace exposant le 15 octobre
# 2025 »: a stamp saying where and when the text was first published, its date at the end (the date is the
# article's); a short line, so a sentence of the article telling of a publication is not taken.
_PUBLISHED_IN = re.compile(
    r"^[\w'’ ]{0,30}\b(?:publiée?|parue?|diffusée?|mise? en ligne) (?:dans|sur|par|chez) .{2,60}?"
    r" le (?P<date>\d{1,2}(?:er)? \w+ \d{4})\s*\.?$",
    re.IGNORECASE,
)
PUBLISHED_IN_MAX_WORDS = 14


def _published_in(t: str, raw: str) -> Match | None:
    if words(t) > PUBLISHED_IN_MAX_WORDS or (m := _PUBLISHED_IN.match(t)) is None:
        return None
    return Match("published_in", date=parse_date(m["date"]))


PAGE_NOTE_RULES: tuple[tuple[str, str, Callable[[str, str], Match | None]], ...] = (
    (
        "published_in",
        "a short stamp of where and when the text was first published (« Article original paru dans … le … »)",
        _published_in,
    ),
)
