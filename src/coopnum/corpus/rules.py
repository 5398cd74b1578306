"""The named line rules: each looks at one normalised line (and its raw form) and may remove it.

:data:`LINE_RULES` is tried in order; the first rule that matches decides the line (a trim
rule removes a prefix and lets the rest go on). A rule may state the outlet or the date, or
open a list whose items the layout pass removes. Rules are general page furniture, never
the text of one document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from coopnum.corpus import derived, markup, shapes
from coopnum.corpus.dates import blank_out_dates, parse_date
from coopnum.corpus.features import SENTENCE_END, SINGLE_PERIOD_END, is_prose, without_thread_counter, words
from coopnum.corpus.matches import Match as Match  # where the rules' matches are made (corpus.matches)
from coopnum.corpus.notices import NOTICES
from coopnum.corpus.page_marks import EARLY_MARKS, PAGE_MARKS
from coopnum.corpus.page_notes import PAGE_NOTE_RULES, PAGE_NOTES
from coopnum.corpus.page_widgets import PAGE_WIDGETS
from coopnum.corpus.posts import POST_RULES
from coopnum.corpus.site_notes import LATE_RULES
from coopnum.corpus.widgets import WIDGETS


@dataclass(frozen=True)
class Rule:
    name: str
    description: str


_Q = "['’]"  # straight or typographic apostrophe


@dataclass(frozen=True)
class LineRule:
    name: str
    description: str
    test: Callable[[str, str], Match | None]  # (normalised line, raw line) -> match


def _pattern(name: str, regex: str, max_chars: int, flags: int = re.IGNORECASE) -> Callable[[str, str], Match | None]:
    compiled = re.compile(regex, flags)

    def test(t: str, raw: str) -> Match | None:
        return Match(name) if len(t) <= max_chars and compiled.search(t) else None

    return test


_TICKER_SEP = re.compile(
    r"(?:[\u00a0\u202f][ \t]?){2,}|[ \t]{3,}|[ \t\u00a0\u202f]+(?:[|¦•·▸►▶◆■]|\+\+)[ \t\u00a0\u202f]+"
)
TICKER_MIN_ITEMS = 4


def _ticker(t: str, raw: str) -> Match | None:
    items = [s for s in _TICKER_SEP.split(raw.strip()) if s.strip()]
    if len(items) < TICKER_MIN_ITEMS:
        return None
    headline_like = sum(1 for s in items if not SINGLE_PERIOD_END.search(s.strip()))
    return Match("ticker") if headline_like >= 0.75 * len(items) else None


_BREADCRUMB_SEP = re.compile(r"\s+[>›»/]\s+")


def _breadcrumb(t: str, raw: str) -> Match | None:
    items = _BREADCRUMB_SEP.split(t)
    if len(items) >= 3 and all(0 < words(i) <= 4 for i in items):
        return Match("breadcrumb")
    return None


_MENU_SEP = re.compile(r"\t+|\s{2,}")


def _navigation_menu(t: str, raw: str) -> Match | None:
    items = [x for x in _MENU_SEP.split(raw.strip()) if x.strip()]
    if len(items) >= 4 and len(raw.strip()) <= 250 and all(words(x) <= 3 for x in items):
        return Match("navigation_menu")
    return None


_DATE_LINE_REST = re.compile(
    r"\b(?:\d{1,2}\s*[:h]\s*\d{2}(?:\s*min)?|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|mis à jour|"
    r"publié|modifié|mise à jour|dernière|le|à|hne|gmt|utc|heure|heures|temps de lecture|\d+\s*min(?:utes?)?"
    r"|il y a \d+\s*(?:secondes?|minutes?|min|heures?|h|jours?))\b|[\W_]",
    re.IGNORECASE,
)


def _date_line(t: str, raw: str) -> Match | None:
    """A line that is only dates and times (« 12.11.2023 (mis à jour: 13.11.2023 09:14) »)."""
    if len(t) > 100 or not (date := parse_date(t)):
        return None
    rest = blank_out_dates(t)
    return Match("date_line", date=date) if not _DATE_LINE_REST.sub("", rest).strip() else None


# An issue's stamp: « Édition du lundi 7 octobre 2024 · n° 212 », « Numéro du 3 mars 2024 »: the date of the issue
# (a newsletter's, an e-paper's), unlike a top bar's date, which is the day the page was seen.
_EDITION_STAMP = re.compile(r"^(?:édition|numéro|n°\s?\d{1,5}|lettre|revue de presse|bulletin)\s+du\s+", re.IGNORECASE)
_EDITION_REST = re.compile(r"\b(?:édition|numéro|lettre|revue de presse|bulletin|du|n°)\b|n°|\d+", re.IGNORECASE)


def _edition_stamp(t: str, raw: str) -> Match | None:
    if len(t) > 100 or not _EDITION_STAMP.match(t) or not (date := parse_date(t)):
        return None
    rest = _EDITION_REST.sub("", blank_out_dates(t))
    return Match("edition_stamp", date=date) if not _DATE_LINE_REST.sub("", rest).strip() else None


_DATELINE = re.compile(
    r"^(?:fait à\s+)?[A-ZÀ-Ý][\w'’.-]*(?:[ -][\w'’.-]+){0,3},\s*(?:le\s+)?(?P<date>[^,]{6,40}?)"
    r"(?:\s[–—-]\s(?:mis|mise) à jour\b[^,]{0,40})?$",  # the update after the dateline: the first date is the release's
    re.IGNORECASE,
)
_WEEKDAY = re.compile(r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b|[\W_]", re.IGNORECASE)


def _dateline(t: str, raw: str) -> Match | None:
    """A place and a date alone on a line: a release's dateline (« Brazzaville, le 12 février 2025 »)
    or its closing formula (« Fait à Brazzaville, le … »)."""
    m = _DATELINE.match(t) if len(t) <= 80 else None
    if not m or not (date := parse_date(m["date"])):
        return None
    return Match("dateline", date=date) if not _WEEKDAY.sub("", blank_out_dates(m["date"])).strip() else None


_IMAGE_MD = re.compile(r"!\[[^\]]*\]\([^)]*\)")
# A table row (« | … | … | ») whose cells hold a caption or a credit: image-table furniture.
_TABLE_CAPTION = re.compile(r"^\|.*\|$")
_CAPTION_CELL = re.compile(r"\b(?:légende|crédits?|photo|illustration)\s*:|©", re.IGNORECASE)


def _image_markup(t: str, raw: str) -> Match | None:
    if ("![" in t or "|" in t) and not _IMAGE_MD.sub("", t).replace("|", "").strip():
        return Match("image_markup")
    if len(t) <= 500 and _TABLE_CAPTION.match(t) and _CAPTION_CELL.search(t):
        return Match("image_markup")
    return None


_REPORT_VERB = re.compile(r"\bsignal(?:er|é|ée|és|ées|ez|ement)\b", re.IGNORECASE)
_REPORT_OBJECT = re.compile(
    r"\b(?:image|photo|contenu|abus|commentaire|erreur|coquille|bloqu\w*|modérat\w*)\b", re.IGNORECASE
)


def _report_widget(t: str, raw: str) -> Match | None:
    if len(t) > 200:
        return None
    if re.match(rf"merci d{_Q}avoir signalé", t, re.IGNORECASE):
        return Match("report_widget")
    if _REPORT_VERB.search(t) and _REPORT_OBJECT.search(t):
        return Match("report_widget")
    return None


_BYLINE_IN = re.compile(r"^publiée? dans (?P<outlet>.+?) le (?P<date>.+)$", re.IGNORECASE)
_BYLINE = re.compile(
    r"^(?:(?:publiée?|mis en ligne|écrit|diffusée?|rediffusée?) (?:dans|par|sur|le)|propos recueillis par"
    r"|(?:rédigée?|écrite?|signée?) par)\b",
    re.IGNORECASE,
)
_BYLINE_AUTHOR = re.compile(
    r"^Par [A-ZÀ-Ý][\w'’.-]+(?: (?:de |d['’])?[A-ZÀ-Ý][\w'’.-]+){0,3}(?: \((?:avec )?[A-ZÀ-Ý][\w .'’/-]{1,30}\))?"
    r"(?:, (?:[A-ZÀ-Ý]|l['’])[^,.;:!?]{1,40}"  # « Par Name, Outlet »
    # or the author's role (« Par Name, correspondant à Jakarta », « …, envoyée spéciale à Kazan »)
    r"|, (?:correspondante?|envoyée? spéciale?|journaliste|reporter|rédact(?:eur|rice)(?: en chef)?)\b[^,.;:!?]{0,40})?$"
)
# « Rédaction : J. Name »: the byline of a page that names its writer as a field
_BYLINE_FIELD = re.compile(r"^(?:rédaction|texte|auteure?|autrice)\s*:\s*[A-ZÀ-Ý][\w.'’ -]{1,40}$", re.IGNORECASE)


_BYLINE_FIELDS = re.compile(r"^Par\s+\S.*\s[|•·—–]\s")


def _byline(t: str, raw: str) -> Match | None:
    if len(t) > 160:
        return None
    m = _BYLINE_IN.match(t)
    if m and not is_prose(t):
        return Match("byline", outlet=m["outlet"].strip(), date=parse_date(m["date"]))
    if (_BYLINE.match(t) or _BYLINE_FIELDS.match(t)) and not is_prose(t):  # « Publié dans le cadre de …, le … »
        return Match("byline", date=parse_date(t))
    if _BYLINE_AUTHOR.match(t) or _BYLINE_FIELD.match(t):
        return Match("byline")
    return None


# A fact-check's stamp (« Vérifié le 3 mars 2024 par l'équipe »): its date is the page's. Not a byline, whose
# touching short lines are names (a crosshead may follow it with no blank line between).
_CHECK_STAMP = re.compile(r"^(?:vérifiée?|fact-checkée?) le\b", re.IGNORECASE)


def _check_stamp(t: str, raw: str) -> Match | None:
    return Match("check_stamp", date=parse_date(t)) if len(t) <= 120 and _CHECK_STAMP.match(t) else None


# A forum post's header: its number and « Posté le … par … » (« #2 Posté le 03/05/2023 à 10:02 par Pseudo »,
# « Message n° 3 — posté par X », « Réponse #4 envoyée le … »), or a reply's subject (« Re : … »).
_POST_HEADER = re.compile(
    r"^(?:(?:#|n°\s?|(?:message|réponse|post|contribution)\s+(?:n°\s?|#)?)\d{1,5}\s*[-–—:|·]?\s*)?"
    r"(?:posté|postée|envoyé|envoyée|message posté|réponse postée)\s+(?:le|par|il y a)\b"
    r"|^re\s?:\s+\S",
    re.IGNORECASE,
)


def _post_header(t: str, raw: str) -> Match | None:
    """A forum post's header (see :data:`_POST_HEADER`); its date is the post's."""
    if len(t) > 160 or not _POST_HEADER.match(t) or is_prose(t):
        return None
    return Match("post_header", date=parse_date(t))


_SOURCE = re.compile(r"^sources?\s*:\s*(?P<source>.{2,200})$", re.IGNORECASE)
_OUTLET_NAME = re.compile(r"^[^\d,.;:()]{2,40}$")
_ISSUE = re.compile(r"\bn°\s?\d|\bp\.\s?\d")


def _source_line(t: str, raw: str) -> Match | None:
    """« Source : X »; X is the outlet only when it is a bare name (no date, no clause)."""
    m = _SOURCE.match(t)
    if not m:
        return None
    name = m["source"].strip()
    if _OUTLET_NAME.match(name) and words(name) <= 4:
        return Match("source_line", outlet=name)
    # a clipping's citation (« Source : Outlet, n° 4 512, mardi 14 mars 2023, p. 7 »): the paper and its date; an
    # issue or page number marks it (a post citing an article, « Source : Outlet, 2 mai 2023 », is not the outlet)
    first, _, rest = name.partition(",")
    if _ISSUE.search(rest) and (date := parse_date(rest)) and _OUTLET_NAME.match(first.strip()) and words(first) <= 4:
        return Match("source_line", outlet=first.strip(), date=date)
    return Match("source_line")


_COPYRIGHT = re.compile(r"^(?:copyright\s*)?©\s*(?P<rest>.+?)\s*[.,]?\s*tous droits réservés\b", re.IGNORECASE)
# A © line followed by site-footer text (legal notices, links): the site's own footer, not a photo credit.
_COPYRIGHT_SITE = re.compile(
    r"^(?:copyright\s*)?©\s*(?P<rest>.+?)(?:\s[–—-]\s|\.\s|\s[|·]\s)"
    r".*\b(?:reproduction|mentions légales|conditions générales|nous contacter|contact|accessibilité|confidentialité)",
    re.IGNORECASE,
)
_COPYRIGHT_AFTER = re.compile(r"^(?P<rest>[^©|·]{2,60}?)\s*©\s*\d{4}(?:\s*[-–]\s*\d{4})?\s*(?:[|·.—–-]|$)")
# « Outlet – City – Tous droits réservés »: a site footer that states its rights without a ©.
# The name is not a notice's or a credit's first words (« Reproduction interdite – … », « Photo : AFP – … »).
_RIGHTS_AFTER = re.compile(
    r"^(?!(?:reproduction|copyright|photos?|crédits?|images?|illustrations?|textes?|contenus?|droits|sources?|tous)\b)"
    r"(?P<rest>[^©|·:]{2,60}?)\s[–—-]\s.*\btous droits réservés\b",
    re.IGNORECASE,
)
_YEARS = re.compile(r"\b\d{4}(?:\s*[-–]\s*\d{4})?\b")
# Where the outlet's name ends: a dash, a full stop, a pipe, a comma opening a clause about the company, or
# the company's legal form (« Outlet SA, Lausanne »).
_NAME_END = re.compile(
    r"\s[–—-]\s|\.\s|\s\|\s|\s·\s|,\s(?=(?:une?|le|la|les|l['’]|filiale|membre|propriété|édité|groupe|société)\b)"
    r"|\s(?-i:SA|SAS|SARL|Sàrl|AG|GmbH|Ltd|Inc|PJSC|JSC|PAO|plc|PLC)\b",
    re.IGNORECASE,
)


def _copyright_footer(t: str, raw: str) -> Match | None:
    """« © [year] Outlet [year] – slogan. Tous droits réservés », « © Outlet 2024 — Mentions légales | … »,
    « Outlet © 2024 · … »: the outlet is the name before any dash (or a comma opening a company clause)."""
    if len(t) > 250:
        return None
    m = _COPYRIGHT.match(t) or _COPYRIGHT_SITE.match(t) or _COPYRIGHT_AFTER.match(t)
    if m is None and "réservés" in t.lower():  # the one test without a ©, so only on a line that states rights
        m = _RIGHTS_AFTER.match(t)
    if not m:
        return None
    name = _NAME_END.split(_YEARS.sub(" ", m["rest"]).strip())[0]
    name = " ".join(name.split()).strip(" .,–—-")
    return Match("copyright_footer", outlet=name or None)


# A line that opens with a pictogram (👁 2 417 vues, 🎧 Écouter, 📩 newsletter) is page furniture.
_PICTOGRAM = re.compile("^[\U0001f300-\U0001faff\u2600-\u27bf\u2b00-\u2bff]")


_PICTOGRAMS = re.compile("^[\U0001f300-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\\s]+")
PICTOGRAM_SENTENCE_MIN_WORDS = 5
PICTOGRAM_HEADLINE_MIN_WORDS = 8
# A promotion speaks to the reader: « vous », or an imperative opening a clause (« Suivez X pour … »).
_YOU = re.compile(
    r"\b(?:vous|votre|vos)\b|-nous\b|(?:^|[:.!?]\s+)(?!(?:chez|assez)\b)(?-i:[A-ZÀ-Ý])\w+ez\b", re.IGNORECASE
)
# A list's lead-in or item closes on a colon or a semicolon (« 👉 Ce qu’il faut retenir : », « ✅ … ; »).
_LIST_PUNCTUATION = re.compile(r"[:;]$")
_NOT_HEADLINE = re.compile(r"[\d()]")


def _pictogram_widget(t: str, raw: str) -> Match | None:
    """A widget opened by a pictogram (a counter, a button); a post's own line after it is left to the
    other rules: a sentence (« 🚀 Retour de Moscou, et beaucoup à partager ! »), a list's lead-in or item
    (« ✅ paiements par QR code acceptés ; »), a headline (« 📢 Paiements : le Mali et … »)."""
    if len(t) > 300 or not _PICTOGRAM.match(t):
        return None
    rest = without_thread_counter(_PICTOGRAMS.sub("", t))  # a thread's opener counts its posts (« (1/6) »)
    if _YOU.search(rest):
        return Match("pictogram_widget")
    n = words(rest)
    if n >= PICTOGRAM_SENTENCE_MIN_WORDS and (SENTENCE_END.search(rest) or _LIST_PUNCTUATION.search(rest)):
        return None
    if n >= PICTOGRAM_HEADLINE_MIN_WORDS and not _NOT_HEADLINE.search(rest) and not SENTENCE_END.search(rest):
        return None
    return Match("pictogram_widget")


_CAPTION_CREDIT = re.compile(
    r"(?:©\s*(?:[^.©]|(?<=\b[A-ZÀ-Ý])\.){2,60}|\(?\b(?:photo|crédit(?: photo)?)\s+[^.()]{2,60}/\s*[^.()/]{2,40}\)?"
    r"|\((?:ph|photo|crédit|crédits)\s*:\s*[^()]{2,60}\)|(?<=[.!?] )\((?:ph|photo|crédit)\.?\s+(?-i:[A-ZÀ-Ý])[^()]{1,40}\)"
    r"|(?<=[.!?] )\([A-ZÀ-Ý][^()/.]{1,60}/[A-ZÀ-Ý][^()/]{1,60}\))\.?$",
    re.IGNORECASE,
)


def _photo_caption(t: str, raw: str) -> Match | None:
    """A caption that ends with its credit: « X dans son bureau, le 9 mai. © Agence / Nom »."""
    return (
        Match("photo_caption") if len(t) <= 400 and (_CAPTION_CREDIT.search(t) or shapes.has_credit_tail(t)) else None
    )


def _shape(name: str, test: Callable[[str], bool]) -> Callable[[str, str], Match | None]:
    return lambda t, raw: Match(name) if test(t) else None


_RELATED_HEADING = re.compile(
    r"^[\[(]?\s*(?:(?:à |a )?(?:lire|lisez|voir) (?:aussi|également|plus)|sur le même (?:sujet|thème)"
    r"|articles? (?:liés|similaires|connexes|recommandés|récents)|dans la même rubrique|dossiers?"
    r"|vous aimerez (?:aussi|également)|à découvrir (?:aussi|également)|similaires?|sommaire|table des matières"
    r"|(?:dans|au sommaire de) ce numéro"
    r"|archives|catégories|commentaires récents|à la une(?: cette semaine)?|nos derniers articles"
    r"|les plus (?:lus|populaires|partagés)|dernières (?:nouvelles|infos)"
    # a video or audio page's own (« Regardez aussi », « Vidéos associées »), the next article's link
    r"|(?:à )?(?:regardez|regarder|écoutez|écouter|à revoir|revoir) (?:aussi|également|encore)"
    r"|(?:vidéos?|podcasts?|émissions?) (?:associée?s?|similaires?|liée?s?|suggérée?s?|recommandée?s?)"
    r"|dans la même émission|articles? (?:suivant|précédent)|prochain article|à lire ensuite"
    # a wiki's closing sections (their items are sources and links, not article text)
    r"|(?:sources|notes et références|références|liens externes|bibliographie)(?=\s*:?\s*$)"
    # a page's other issues, entries or people, alone on their line (« Bulletins précédents », « Avis similaires »,
    # « Intervenants confirmés », « Partenaires officiels », an app's « Plus dans l'appli »)
    r"|(?:(?:bulletins?|numéros?|éditions?|lettres?|avis|épisodes?|dossiers?) (?:précédente?s?|similaires|antérieure?s?)"
    r"|(?:intervenants|orateurs|conférenciers)(?: confirmés| invités)?|(?:nos )?partenaires(?: officiels)?"
    r"|plus (?:dans|sur) l['’](?:appli(?:cation)?|app))(?=\s*:?\s*$))\b\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_TAGS_HEADING = re.compile(
    r"^(?:tags?|mots[- ]clés?|étiquettes?|thèmes?|thématiques?|catégories?|rubriques?)"
    r"(?:\s(?:ajoutée?s?|personnels?|personnelles?))?"  # a reader's own tags (a read-later list)
    r"\s*(?::\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
# A box about the author or the publisher, closing the article (« À propos de l'auteur », « Note aux rédactions »).
_ABOUT_HEADING = re.compile(
    rf"^(?:à propos (?:de l{_Q}auteure?|de l{_Q}autrice|des auteurs|de nous"
    rf"|(?-i:de [A-ZÀ-Ý]|d{_Q}[A-ZÀ-Ý]|de l{_Q}[A-ZÀ-Ý]|du [A-ZÀ-Ý]|des [A-ZÀ-Ý])[^.:!?]{{1,40}})"
    rf"|l{_Q}auteure?|l{_Q}autrice"
    rf"|notes? aux rédactions|note à la rédaction|notes? aux éditeurs)\s*:?(?P<rest>)$",
    re.IGNORECASE,
)


def _list_heading(regex: re.Pattern[str], heading_rule: str, item_rule: str) -> Callable[[str, str], Match | None]:
    def test(t: str, raw: str) -> Match | None:
        if len(t) > 300:
            return None
        m = regex.match(derived.EDIT_LINKS.sub("", t))
        if not m:
            return None
        return Match(heading_rule, list_items=None if (m["rest"] or "").strip() else item_rule)

    return test


_DATE_STAMP = re.compile(r"^date\s*:?\s*(?P<date>\d{4}-\d{2}(?:-\d{2})?)\s+(?=\S)", re.IGNORECASE)


def _feed_field(t: str, raw: str) -> Match | None:
    """A feed's field label (:func:`~coopnum.corpus.derived.feed_field`): the article's fields trimmed, others removed."""
    field = derived.feed_field(t)
    if field is None:
        return None
    _, trim, date = field
    return Match("feed_field", date=date, trim_to=trim)


def _copy_furniture(t: str, raw: str) -> Match | None:
    """The furniture of the tool that made a copy (feed footer, wiki tagline and citations, archive toolbar)."""
    if (outlet := derived.feed_footer(t) or derived.site_tagline(t)) is not None:
        return Match("copy_furniture", outlet=outlet)
    if derived.is_wiki_citation(t) or derived.is_archive_toolbar(t):
        return Match("copy_furniture")
    return None


def _markdown_heading(t: str, raw: str) -> Match | None:
    end = markup.heading_marker_end(t)
    return Match("markdown_heading", trim_to=end) if end is not None else None


def _date_stamp(t: str, raw: str) -> Match | None:
    m = _DATE_STAMP.match(t)
    return Match("date_stamp", date=parse_date(m["date"]), trim_to=m.end()) if m else None


LINE_RULES: tuple[LineRule, ...] = (
    # first: a site footer's © line names the outlet even when it is also laid out as a ticker
    LineRule(
        "copyright_footer", "« © … Tous droits réservés », « Outlet © 2024 · … » (names the outlet)", _copyright_footer
    ),
    LineRule(
        "feed_field",
        "a feed dump's field label (« pubDate: … », « item 3/20 »; « title: » and « content:encoded: » trimmed)",
        _feed_field,
    ),
    LineRule(
        "copy_furniture",
        "a copy's tool furniture: feed footer, wiki tagline and citation, archive toolbar (may name the outlet)",
        _copy_furniture,
    ),
    LineRule(
        "edition_stamp",
        "an issue's date (« Édition du lundi 7 octobre 2024 · n° 212 »; gives the date)",
        _edition_stamp,
    ),
    LineRule(
        "field_stamp",
        "short fields apart by | — – · •, one a date or time (« Karim Haddad | 08 octobre 2023 »)",
        _shape("field_stamp", shapes.is_field_stamp),
    ),
    LineRule("ticker", "a line of ≥4 headlines joined by runs of no-break spaces, pipes or bullets", _ticker),
    LineRule("breadcrumb", "navigation trails (« Accueil > Économie > Numérique »)", _breadcrumb),
    LineRule("navigation_menu", "menus: ≥4 items of ≤3 words apart by tabs or double spaces", _navigation_menu),
    LineRule("date_line", "a line of dates and times only (« 12.11.2023 (mis à jour : 13.11.2023) »)", _date_line),
    LineRule("dateline", "a place and a date alone (« Brazzaville, le 12 février 2025 », « Fait à … »)", _dateline),
    LineRule("image_markup", "image placeholders and table furniture (![](), |)", _image_markup),
    LineRule("date_stamp", "a « date YYYY-MM » stamp glued before the title (prefix trimmed)", _date_stamp),
    LineRule(
        "markdown_heading", "a Markdown heading's marker (« ## Subheading »: the marker trimmed)", _markdown_heading
    ),
    LineRule("report_widget", "report-this-content widgets", _report_widget),
    LineRule(
        "post_header", "a forum post's header (« #2 Posté le … par … », « Re : … »; gives the date)", _post_header
    ),
    LineRule("byline", "« Publié dans … le … », « Publié le … », « Par Prénom Nom »", _byline),
    LineRule("check_stamp", "a fact-check's stamp (« Vérifié le 3 mars 2024 par … »; gives the date)", _check_stamp),
    LineRule("source_line", "« Source : … »", _source_line),
    LineRule(
        "link_row",
        "≥3 items of ≤4 words apart by | · • (« Plan du site | Accessibilité | … »)",
        _shape("link_row", shapes.is_link_row),
    ),
    LineRule(
        "related_heading",
        "« Lire aussi », « Voir aussi », « Dossier » and the like",
        _list_heading(_RELATED_HEADING, "related_heading", "related_item"),
    ),
    LineRule("tags_heading", "« Tags : », « Mots-clés : »", _list_heading(_TAGS_HEADING, "tags_heading", "tags_item")),
    LineRule(
        "about_heading",
        "« À propos de l'auteur », « Note aux rédactions » (the box under it is removed)",
        _list_heading(_ABOUT_HEADING, "about_heading", "about_item"),
    ),
    LineRule(
        "pictogram_widget", "lines that open with a pictogram (👁 views, 🎧 listen, 📩 newsletter)", _pictogram_widget
    ),
    LineRule("photo_caption", "a photo caption ending with its credit (« … © Agence / Nom »)", _photo_caption),
    *(
        LineRule(name, desc, _pattern(name, rx, n))
        for name, desc, rx, n in WIDGETS + PAGE_WIDGETS + PAGE_NOTES + EARLY_MARKS
    ),
    *(LineRule(name, desc, test) for name, desc, test in PAGE_NOTE_RULES),
    LineRule(
        "contact_line",
        "a line that is not running text and gives an e-mail or web address",
        _shape("contact_line", shapes.is_contact_line),
    ),
    LineRule(
        "reader_prompt",
        "a line that is not running text and addresses the reader (vous, votre, « Écrivez-nous »), unquoted",
        _shape("reader_prompt", shapes.is_reader_prompt),
    ),
    LineRule(
        "offer_line",
        "a price for a period outside running text (a subscription offer)",
        _shape("offer_line", shapes.is_offer_line),
    ),
    *(LineRule(name, desc, test) for name, desc, test in POST_RULES),
    # last, so that a line an older rule removes keeps its rule (corpus.notices)
    *(LineRule(name, desc, _pattern(name, rx, n)) for name, desc, rx, n in NOTICES + PAGE_MARKS),
    *(LineRule(name, desc, test) for name, desc, test in LATE_RULES),  # corpus.site_notes: after all the others
)
