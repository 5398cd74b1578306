"""Clean one scraped article: remove boilerplate, normalise, extract metadata.

:func:`clean_document` is pure (a string in, a :class:`CleanDocument` out). It
decides the fate of every raw line with named rules (:data:`RULES`), keeps an
audit record per line, and an :class:`~coopnum.textmap.OffsetMap` from the clean
text back to the raw text.

How a document is read (layout features, not seed-specific strings):

1. Every line is normalised (:mod:`coopnum.textmap`) and offered to the line
   rules in :data:`LINE_RULES` order; the first that matches removes it (or,
   for a trim rule, removes a prefix and lets the rest go on).
2. A list heading ("Lire aussi :", "Tags :") with nothing after it removes the
   short, headline-like lines that follow it, up to the next prose line.
3. *Prose* is a line of at least 12 words ending a sentence, or of at least 40
   words. Lines before the first prose line form the header: the first of them
   with at least 3 words is the title, other short ones are labels (removed),
   longer ones are kept. Lines after the last prose line form the footer: an
   agency signature is removed, and three or more headline-like lines there are
   another article list (removed).
4. Every other line is a paragraph; one ending with a question mark is an
   in-article (interview) question.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from coopnum.errors import CleaningError
from coopnum.text.textmap import OffsetMap, Piece, normalise_line, text_of


@dataclass(frozen=True)
class Rule:
    name: str
    description: str


@dataclass(frozen=True)
class Paragraph:
    """Half-open character range ``[start, end)`` of ``CleanDocument.text``."""

    start: int
    end: int
    kind: str  # one of schema.PARAGRAPH_KINDS


@dataclass(frozen=True)
class LineDecision:
    """What happened to one raw line (1-based ``line``; raw range without its line end)."""

    line: int
    raw_start: int
    raw_end: int
    action: str  # kept | trimmed | removed | blank
    rule: str | None  # the rule that removed the line (or, for trimmed, its prefix)
    text: str  # the line after normalisation, before any removal


@dataclass(frozen=True)
class CleanDocument:
    doc_id: str
    text: str
    paragraphs: tuple[Paragraph, ...]
    title: str | None
    outlet: str | None
    date: str | None
    offset_map: OffsetMap
    audit: tuple[LineDecision, ...]

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def removed_by_rule(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for d in self.audit:
            if d.action in ("removed", "trimmed") and d.rule:
                counts[d.rule] = counts.get(d.rule, 0) + 1
        return dict(sorted(counts.items()))


# --------------------------------------------------------------------------- features

_CLOSERS = r"\"»”’')\]"  # closing quotes and brackets that may follow a full stop
_SENTENCE_END = re.compile(rf"(?<!\.\.)[.!?][{_CLOSERS}]*$")
_QUESTION_END = re.compile(rf"\?[{_CLOSERS}]*$")
_SINGLE_PERIOD_END = re.compile(rf"(?<!\.)\.[{_CLOSERS}]*$")
PROSE_MIN_WORDS = 12
PROSE_LONG_WORDS = 40
HEADLINE_MAX_CHARS = 160
TITLE_MIN_WORDS = 3
HEADER_KEEP_MIN_WORDS = 6
QUESTION_MAX_WORDS = 40
FOOTER_LIST_MIN_LINES = 3


def words(t: str) -> int:
    return len(t.split())


# A sentence end inside the line: a letter (or a year, or a closing quote) then . ! ? and a capital.
# Not a list number ("1. Faits divers").
_INNER_SENTENCE_BREAK = re.compile(r"(?:[^\W\d_]|\d{3,}|[»”)])[.!?] [A-ZÀ-Ý«\"]")


def is_prose(t: str) -> bool:
    """Running text: ≥40 words, or ≥12 words that end a sentence or hold a sentence break."""
    n = words(t)
    if n >= PROSE_LONG_WORDS:
        return True
    return n >= PROSE_MIN_WORDS and bool(_SENTENCE_END.search(t) or _INNER_SENTENCE_BREAK.search(t))


def is_headline_like(t: str) -> bool:
    """Short, at least two words, one sentence, and not closed by a single full stop."""
    return (
        len(t) <= HEADLINE_MAX_CHARS
        and words(t) >= 2
        and not _SINGLE_PERIOD_END.search(t)
        and not _INNER_SENTENCE_BREAK.search(t)
    )


# --------------------------------------------------------------------------- dates

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ]
    )
}
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b")
_DATE_DMY = re.compile(r"\b(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})\b")
_DATE_TEXT = re.compile(r"\b(1er|\d{1,2})\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)


def parse_date(s: str) -> str | None:
    """The first complete date stated in ``s`` as ISO 8601 (``YYYY-MM-DD`` or ``YYYY-MM``).

    A day and month without a year is no date: it returns ``None`` rather than a guess.
    """
    for pattern, order in ((_DATE_ISO, "ymd"), (_DATE_DMY, "dmy"), (_DATE_TEXT, "dMy")):
        m = pattern.search(s)
        if not m:
            continue
        if order == "ymd":
            y, mo, d = int(m[1]), int(m[2]), int(m[3]) if m[3] else None
        elif order == "dmy":
            d, mo, y = int(m[1]), int(m[2]), int(m[3])
        else:
            d = 1 if m[1].lower() == "1er" else int(m[1])
            mo, y = _MONTHS[m[2].lower()], int(m[3])
        try:
            date = dt.date(y, mo, d or 1)
        except ValueError:
            continue
        return date.isoformat() if d else date.isoformat()[:7]
    return None


# --------------------------------------------------------------------------- line rules

_Q = "['’]"  # straight or typographic apostrophe


@dataclass(frozen=True)
class Match:
    rule: str
    outlet: str | None = None
    date: str | None = None
    list_items: str | None = None  # rule name for the lines this heading introduces
    trim_to: int | None = None  # trim rules: characters of the line to drop


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


_TICKER_SEP = re.compile(r"(?:[\u00a0\u202f][ \t]?){2,}|[ \t]{3,}|[ \t\u00a0\u202f]+[|¦•·▸►▶◆■][ \t\u00a0\u202f]+")
TICKER_MIN_ITEMS = 4


def _ticker(t: str, raw: str) -> Match | None:
    items = [s for s in _TICKER_SEP.split(raw.strip()) if s.strip()]
    if len(items) < TICKER_MIN_ITEMS:
        return None
    headline_like = sum(1 for s in items if not _SINGLE_PERIOD_END.search(s.strip()))
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
    r"publié|modifié|le|à|hne|gmt|utc|heure|heures)\b|[\W_]",
    re.IGNORECASE,
)


def _date_line(t: str, raw: str) -> Match | None:
    """A line that is only dates and times (« 12.11.2023 (mis à jour: 13.11.2023 09:14) »)."""
    if len(t) > 100 or not (date := parse_date(t)):
        return None
    rest = _DATE_TEXT.sub(" ", _DATE_DMY.sub(" ", _DATE_ISO.sub(" ", t)))
    return Match("date_line", date=date) if not _DATE_LINE_REST.sub("", rest).strip() else None


_IMAGE_MD = re.compile(r"!\[[^\]]*\]\([^)]*\)")


def _image_markup(t: str, raw: str) -> Match | None:
    if ("![" in t or "|" in t) and not _IMAGE_MD.sub("", t).replace("|", "").strip():
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
_BYLINE = re.compile(r"^(?:(?:publiée?|mis en ligne|écrit) (?:dans|par|sur|le)|propos recueillis par)\b", re.IGNORECASE)
_BYLINE_AUTHOR = re.compile(r"^Par [A-ZÀ-Ý][\w'’.-]+(?: (?:de |d['’])?[A-ZÀ-Ý][\w'’.-]+){0,3}$")


_BYLINE_FIELDS = re.compile(r"^Par\s+\S.*\s[|•·—–]\s")


def _byline(t: str, raw: str) -> Match | None:
    if len(t) > 160:
        return None
    m = _BYLINE_IN.match(t)
    if m:
        return Match("byline", outlet=m["outlet"].strip(), date=parse_date(m["date"]))
    if _BYLINE.match(t) or (_BYLINE_FIELDS.match(t) and not is_prose(t)):
        return Match("byline", date=parse_date(t))
    if _BYLINE_AUTHOR.match(t):
        return Match("byline")
    return None


_SOURCE = re.compile(r"^sources?\s*:\s*(?P<source>.{2,200})$", re.IGNORECASE)
_OUTLET_NAME = re.compile(r"^[^\d,.;:()]{2,40}$")


def _source_line(t: str, raw: str) -> Match | None:
    """« Source : X »; X is the outlet only when it is a bare name (no date, no clause)."""
    m = _SOURCE.match(t)
    if not m:
        return None
    name = m["source"].strip()
    return Match("source_line", outlet=name if _OUTLET_NAME.match(name) and words(name) <= 4 else None)


_COPYRIGHT = re.compile(r"^©\s*(?P<rest>.+?)\s*[.,]?\s*tous droits réservés\b", re.IGNORECASE)
_YEARS = re.compile(r"\b\d{4}(?:\s*[-–]\s*\d{4})?\b")


def _copyright_footer(t: str, raw: str) -> Match | None:
    """« © [year] Outlet [year] – slogan. Tous droits réservés »: the outlet is the name before any dash."""
    m = _COPYRIGHT.match(t) if len(t) <= 250 else None
    if not m:
        return None
    name = re.split(r"\s[–—-]\s|\.\s|\s\|\s|,\s", _YEARS.sub(" ", m["rest"]).strip())[0]
    name = " ".join(name.split()).strip(" .,–—-")
    return Match("copyright_footer", outlet=name or None)


# A line that opens with a pictogram (👁 2 417 vues, 🎧 Écouter, 📩 newsletter) is page furniture.
_PICTOGRAM = re.compile("^[\U0001f300-\U0001faff\u2600-\u27bf\u2b00-\u2bff]")


def _pictogram_widget(t: str, raw: str) -> Match | None:
    return Match("pictogram_widget") if len(t) <= 300 and _PICTOGRAM.match(t) else None


_CAPTION_CREDIT = re.compile(
    r"(?:©\s*[^.©]{2,60}|\(?\b(?:photo|crédit(?: photo)?)\s+[^.()]{2,60}/\s*[^.()/]{2,40}\)?"
    r"|\((?:ph|photo|crédit|crédits)\s*:\s*[^()]{2,60}\))\.?$",
    re.IGNORECASE,
)


def _photo_caption(t: str, raw: str) -> Match | None:
    """A caption that ends with its credit: « X dans son bureau, le 9 mai. © Agence / Nom »."""
    return Match("photo_caption") if len(t) <= 400 and _CAPTION_CREDIT.search(t) else None


_RELATED_HEADING = re.compile(
    r"^(?:(?:à |a )?(?:lire|voir) (?:aussi|également|plus)|sur le même (?:sujet|thème)"
    r"|articles? (?:liés|similaires|connexes|recommandés|récents)|dans la même rubrique|dossiers?"
    r"|vous aimerez (?:aussi|également)|à découvrir (?:aussi|également)|similaires?|sommaire|table des matières"
    r"|archives|catégories|commentaires récents|à la une(?: cette semaine)?|nos derniers articles"
    r"|les plus (?:lus|populaires|partagés)|dernières (?:nouvelles|infos))\b\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_TAGS_HEADING = re.compile(
    r"^(?:tags?|mots[- ]clés?|étiquettes?|thèmes?|thématiques?|catégories?|rubriques?)\s*:\s*(?P<rest>.*)$",
    re.IGNORECASE,
)


def _list_heading(regex: re.Pattern[str], heading_rule: str, item_rule: str) -> Callable[[str, str], Match | None]:
    def test(t: str, raw: str) -> Match | None:
        if len(t) > 300:
            return None
        m = regex.match(t)
        if not m:
            return None
        return Match(heading_rule, list_items=None if m["rest"].strip() else item_rule)

    return test


_DATE_STAMP = re.compile(r"^date\s*:?\s*(?P<date>\d{4}-\d{2}(?:-\d{2})?)\s+(?=\S)", re.IGNORECASE)


def _date_stamp(t: str, raw: str) -> Match | None:
    m = _DATE_STAMP.match(t)
    return Match("date_stamp", date=parse_date(m["date"]), trim_to=m.end()) if m else None


_WIDGETS: tuple[tuple[str, str, str, int], ...] = (
    ("listen_widget", "audio player prompt (« Écoutez … »)", r"^[ÉE]coute[rz]\b", 80),
    (
        "comment_widget",
        "comment prompts and comment-section furniture",
        rf"^(?:commenter|commentaires?|réagir|réagissez|laisser un commentaire|ajouter un commentaire"
        rf"|règles de conduite|\d+\s+commentaires?|soyez le premier à commenter|votre avis"
        rf"|votre adresse (?:e-?mail|de messagerie) ne sera pas publiée|connectez-vous pour commenter|répondre$"
        rf"|j{_Q}aime\b)",
        120,
    ),
    (
        "share_widget",
        "share, print and social buttons",
        r"^(?:partager|partagez|imprimer|envoyer (?:par|à)|facebook|twitter|linkedin|whatsapp|telegram"
        r"|e-?mail|courriel|copier le lien|ajouter à (?:mes|vos) favoris|enregistrer l['’]article|offrir l['’]article"
        r"|x|messenger|bluesky|threads)\b",
        80,
    ),
    (
        "short_url",
        "short-URL widgets and bare URL lines",
        r"^(?:url courte|lien court|lien permanent)\b|^https?://\S+$",
        200,
    ),
    (
        "follow_widget",
        "follow / subscribe prompts",
        rf"^(?:nous suivre|suivez-nous|suivre sur|abonnez-vous|s{_Q}abonner|inscrivez-vous|recevez notre|rejoignez)\b",
        160,
    ),
    (
        "source_link",
        "links to the original article",
        rf"^(?:cliquez ici|lire la suite|lire l{_Q}article|voir l{_Q}article|voir la source|consulter la source"
        rf"|plus d{_Q}infos?$)\b",
        120,
    ),
    (
        "photo_credit",
        "photo and illustration credits",
        r"^[(|\[]?\s*(?:©|(?:photo|photos|crédits?|illustration|image|source photo)\b.*?(?::|©|/|crédit))"
        r"|^(?-i:(?:PHOTO|PHOTOS|CRÉDIT|ILLUSTRATION)\b[^a-zà-ÿ]*)$"
        r"|^\|?\s*\([^()]{2,60}/[^()]{2,60}\)\s*\|?$",
        160,
    ),
    (
        "account_widget",
        "log-in and account links",
        rf"^(?:se connecter|connexion|s{_Q}inscrire|mon compte|créer un compte)\b",
        80,
    ),
    (
        "reading_time",
        "reading-time notes",
        r"^(?:temps de lecture(?: estimé)?\s*:?\s*)?\d+\s*min(?:utes?)?(?: de lecture)?$",
        60,
    ),
    (
        "consent_banner",
        "cookie and privacy consent banners",
        r"\b(?:accepter et fermer|continuer sans accepter|personnaliser (?:mes|vos) choix|tout accepter|tout refuser"
        r"|gérer (?:mes|vos) (?:choix|préférences)|paramétrer les cookies|nous respectons votre vie privée)\b"
        r"|\bcookies?\b.*\b(?:partenaires|consentement|accepter|paramétrer)\b",
        600,
    ),
    (
        "newsletter_widget",
        "newsletter sign-up boxes",
        rf"\bnewsletter\b|\binfolettre\b|^je m{_Q}inscris|\bdésinscrire\b|^recevez\b|^en vous inscrivant\b"
        rf"|dans votre boîte (?:mail|e-?mail|courriel|de réception)|^votre adresse (?:e-?mail|courriel)$",
        300,
    ),
    (
        "ad_label",
        "advertising and paywall labels",
        r"^(?:publicités?|annonce|contenu sponsorisé|sponsorisé|abonnés?|réservé aux abonnés|article réservé aux abonnés"
        r"|premium)$",
        40,
    ),
    ("social_handle", "a social-media handle alone (« @journaliste »)", r"^@\w{2,30}$", 32),
    (
        "author_box",
        "author boxes (« Journaliste au service … », « Voir tous ses articles »)",
        r"^(?:journaliste|rédact(?:eur|rice)|correspondante?|reporter)\b|^voir tous (?:ses|les) articles\b"
        r"|^(?:\S+ ){1,3}est (?:journaliste|rédact(?:eur|rice)|correspondante?|reporter)\b",
        250,
    ),
    (
        "site_furniture",
        "skip links, site credits and error-report links",
        r"^(?:aller au contenu|passer au contenu|propulsé par|fièrement propulsé|signaler une erreur|retour en haut)\b",
        80,
    ),
    ("update_stamp", "update stamps", r"^(?:dernière )?mise à jour\b|^mis à jour\b|^actualisé\b|^modifié le\b", 120),
    (
        "view_counter",
        "bare numbers (view, like or share counters)",
        rf"^(?:(?:vu|lu)\s+)?\d[\d\s.,]*(?:\s*(?:vues?|lectures?|partages?|j{_Q}aime|fois))?"
        rf"(?:\s*[|•·-]?\s*\d+\s*min(?:utes?)?(?: de lecture)?)?$",
        40,
    ),
    ("tag_with_count", "a label followed by an item count in parentheses", r"^[^.!?]{2,100}\(\d+\)$", 110),
    ("related_link", "related-article links marked >> ► ▶ →", r"^(?:>>|»»|►|▶|→)\s*\S", 300),
)

LINE_RULES: tuple[LineRule, ...] = (
    LineRule("ticker", "a line of ≥4 headlines joined by runs of no-break spaces, pipes or bullets", _ticker),
    LineRule("breadcrumb", "navigation trails (« Accueil > Économie > Numérique »)", _breadcrumb),
    LineRule("navigation_menu", "menus: ≥4 items of ≤3 words apart by tabs or double spaces", _navigation_menu),
    LineRule("date_line", "a line of dates and times only (« 12.11.2023 (mis à jour : 13.11.2023) »)", _date_line),
    LineRule("image_markup", "image placeholders and table furniture (![](), |)", _image_markup),
    LineRule("date_stamp", "a « date YYYY-MM » stamp glued before the title (prefix trimmed)", _date_stamp),
    LineRule("report_widget", "report-this-content widgets", _report_widget),
    LineRule("byline", "« Publié dans … le … », « Publié le … », « Par Prénom Nom »", _byline),
    LineRule("source_line", "« Source : … »", _source_line),
    LineRule(
        "related_heading",
        "« Lire aussi », « Voir aussi », « Dossier » and the like",
        _list_heading(_RELATED_HEADING, "related_heading", "related_item"),
    ),
    LineRule("tags_heading", "« Tags : », « Mots-clés : »", _list_heading(_TAGS_HEADING, "tags_heading", "tags_item")),
    LineRule("copyright_footer", "« © … Tous droits réservés » (names the outlet)", _copyright_footer),
    LineRule(
        "pictogram_widget", "lines that open with a pictogram (👁 views, 🎧 listen, 📩 newsletter)", _pictogram_widget
    ),
    LineRule("photo_caption", "a photo caption ending with its credit (« … © Agence / Nom »)", _photo_caption),
    *(LineRule(name, desc, _pattern(name, rx, n)) for name, desc, rx, n in _WIDGETS),
)

_SIGNATURE = re.compile(r"^\(?(?P<avec>avec\s+)?(?P<agency>[A-Z]{2,8}(?:\s?[/-]\s?[A-Z]{2,8})*)\)?$")
_NAME_WORD = r"[A-ZÀ-Ý][a-zà-ÿ'’-]+"
_AUTHOR_SIGNATURE = re.compile(rf"^(?:(?:[A-ZÀ-Ý]\.\s?)+{_NAME_WORD}|{_NAME_WORD}(?: {_NAME_WORD}){{1,2}})$")

# Rules that are not line patterns: decided from layout.
LAYOUT_RULES: tuple[Rule, ...] = (
    Rule("related_item", "a headline-like line under a related-articles heading"),
    Rule("photo_caption", "also: a line of ≤30 words touching a credit line (no blank line between)"),
    Rule("byline", "also: a line of ≤4 words touching a byline or date line (author, outlet)"),
    Rule("comment_section", "a comments heading after the prose (« 2 réflexions sur … ») and everything after it"),
    Rule("tags_item", "the tag list under a tags heading"),
    Rule(
        "header_label",
        "before the first prose line: a line above the title (site name, tagline, rubric) or a short one (<6 words)",
    ),
    Rule("agency_signature", "an agency signature after the last prose line (« VNA/CVN », « (AFP) »)"),
    Rule("author_signature", "an author's name alone after the last prose line (« K. Yao », « Anna Petrova »)"),
    Rule("footer_headlines", "≥3 headline-like lines after the last prose line: a list of other articles"),
    Rule("blank", "an empty line (a paragraph separator, not boilerplate)"),
)

RULES: tuple[Rule, ...] = tuple(Rule(r.name, r.description) for r in LINE_RULES) + LAYOUT_RULES


# --------------------------------------------------------------------------- the document


@dataclass
class _Line:
    no: int
    raw_start: int
    raw_end: int
    newline: tuple[int, int]  # raw range of the line end after it (empty at end of file)
    pieces: list[Piece]
    text: str  # normalised, before trimming
    action: str | None = None
    rule: str | None = None
    kind: str | None = None
    extracted: dict[str, str] = field(default_factory=dict)

    @property
    def open(self) -> bool:
        return self.action is None

    def decide(self, action: str, rule: str | None) -> None:
        self.action, self.rule = action, rule


_LINE_END = re.compile(r"\r\n|\r|\n")


def split_lines(raw: str) -> list[tuple[int, int, int, int]]:
    """``(start, end, newline_start, newline_end)`` per line; CRLF, CR and LF all end a line."""
    out, pos = [], 0
    for m in _LINE_END.finditer(raw):
        out.append((pos, m.start(), m.start(), m.end()))
        pos = m.end()
    if pos < len(raw) or not out:
        out.append((pos, len(raw), len(raw), len(raw)))
    return out


def _apply_line_rules(line: _Line, raw: str) -> str | None:
    """Decide ``line`` by the first matching line rule; return the item rule a heading opens."""
    raw_line = raw[line.raw_start : line.raw_end]
    for rule in LINE_RULES:
        m = rule.test(line.text, raw_line)
        if m is None:
            continue
        if m.outlet:
            line.extracted["outlet"] = m.outlet
        if m.date:
            line.extracted["date"] = m.date
        if m.trim_to is not None:
            line.pieces = _drop_prefix(line.pieces, m.trim_to)
            line.rule = m.rule
            continue  # the rest of the line is judged on its own
        line.decide("removed", m.rule)
        return m.list_items
    return None


def _drop_prefix(pieces: list[Piece], n_chars: int) -> list[Piece]:
    """Pieces after the first ``n_chars`` characters of their text (a verbatim piece is split)."""
    pos = 0
    for i, p in enumerate(pieces):
        if pos >= n_chars:
            return pieces[i:]
        if pos + len(p.text) > n_chars and len(p.text) == p.raw_end - p.raw_start:
            cut = n_chars - pos
            return [Piece(p.text[cut:], p.raw_start + cut, p.raw_end), *pieces[i + 1 :]]
        pos += len(p.text)
    return []


def _current(line: _Line) -> str:
    return text_of(line.pieces)


def _choose_title(header: list[_Line]) -> _Line | None:
    """The title: the last header line of at least 3 words (pages put the site name, menus and
    rubrics above the title, and only short labels, bylines and widgets between it and the
    text). In a clean text the title is then the only header line, so choosing it again keeps
    cleaning idempotent."""
    return next((ln for ln in reversed(header) if words(_current(ln)) >= TITLE_MIN_WORDS), None)


_COMMENTS_HEADING = re.compile(
    r"^(?:\d+ (?:commentaires?|réflexions?|réactions?)\b.*|(?:commentaires?|réactions?|vos réactions)\s*(?:\(\d+\))?"
    r"\s*:?|(?:laisser|ajouter|écrire) un commentaire\b.*|réagir à cet article\b.*)$",
    re.IGNORECASE,
)


CAPTION_MAX_WORDS = 30
SUBHEADING_MAX_WORDS = 5


_LIST_MARKER = re.compile(r"^(?:\d{1,2}[.)]|[-–•·▪►])\s")


def _is_list_item(line: _Line, after: list[_Line]) -> bool:
    """A headline-like line under a list heading, unless it is a short subheading that prose follows."""
    t = _current(line)
    if not is_headline_like(t) or is_prose(t):
        return False
    if _LIST_MARKER.match(t):  # « 3. Mon avis », « - Titre »: marked items stay items
        return True
    nxt = next((x for x in after if x.action != "blank" and x.open), None)
    return not (words(t) <= SUBHEADING_MAX_WORDS and nxt is not None and is_prose(_current(nxt)))


def _remove_beside(
    lines: list[_Line], anchors: set[str], rule: str, *, max_words: int, prose_ok: bool, spread: bool
) -> None:
    """Remove open lines directly above or below (no blank line between) a line removed by one of
    ``anchors`` — a caption touching its credit, a name touching its byline — and, with ``spread``,
    lines touching those in turn."""
    removed_here: set[int] = set()
    changed = True
    while changed:
        changed = False
        for i, ln in enumerate(lines):
            if not ln.open:
                continue
            t = _current(ln)
            if words(t) > max_words or (not prose_ok and _SENTENCE_END.search(t)):
                continue
            neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(lines)]
            if any(
                lines[j].action == "removed" and (lines[j].rule in anchors or (spread and j in removed_here))
                for j in neighbours
            ):
                ln.decide("removed", rule)
                removed_here.add(i)
                changed = spread


def _cut_comment_section(lines: list[_Line]) -> None:
    """A comments heading after the article's prose starts the comment section: it and
    everything after it (comments, the comment form, sidebars, footer) is removed."""
    seen_prose = False
    for i, ln in enumerate(lines):
        t = _current(ln)
        if ln.open and is_prose(t):
            seen_prose = True
        elif seen_prose and ln.action != "blank" and _COMMENTS_HEADING.match(t):
            for rest in lines[i:]:
                if rest.action != "blank":
                    rest.decide("removed", "comment_section")
            return


def clean_document(raw: str, doc_id: str) -> CleanDocument:
    """Clean the decoded raw text of one article (pure; see the module docstring)."""
    lines = [
        _Line(no, s, e, (ns, ne), pieces := normalise_line(raw, s, e), text_of(pieces))
        for no, (s, e, ns, ne) in enumerate(split_lines(raw), start=1)
    ]

    # 1. line rules
    for line in lines:
        if not line.text:
            line.decide("blank", "blank")
        else:
            line.extracted["opens"] = _apply_line_rules(line, raw) or ""

    # 2. the lists that headings open; captions and bylines beside their credit and byline lines
    list_rule: str | None = None
    for i, line in enumerate(lines):
        if line.action == "blank":
            continue
        if line.extracted.pop("opens", ""):
            list_rule = line.rule.replace("_heading", "_item") if line.rule else None
        elif not line.open:
            continue  # another rule's line does not close an open list
        elif list_rule and _is_list_item(line, lines[i + 1 :]):
            line.decide("removed", list_rule)
        else:
            list_rule = None
    _remove_beside(lines, {"photo_credit"}, "photo_caption", max_words=CAPTION_MAX_WORDS, prose_ok=True, spread=False)
    _remove_beside(lines, {"byline", "update_stamp", "date_line"}, "byline", max_words=4, prose_ok=False, spread=True)

    # 3. header and footer, around the prose
    _cut_comment_section(lines)
    open_lines = [ln for ln in lines if ln.open]
    prose = [i for i, ln in enumerate(open_lines) if is_prose(_current(ln))]
    first = prose[0] if prose else len(open_lines)
    last = prose[-1] if prose else len(open_lines)
    header = open_lines[:first]
    title_line = _choose_title(header)
    after_title = title_line is None
    for ln in header:
        if ln is title_line:
            ln.kind, after_title = "title", True
        elif not after_title or words(_current(ln)) < HEADER_KEEP_MIN_WORDS:
            ln.decide("removed", "header_label")
    footer = open_lines[last + 1 :] if prose else []
    for ln in footer:
        m = _SIGNATURE.match(_current(ln))
        if m:
            ln.decide("removed", "agency_signature")
            if not m["avec"]:
                ln.extracted["outlet"] = m["agency"]
        elif _AUTHOR_SIGNATURE.match(_current(ln)):
            ln.decide("removed", "author_signature")
    headlines = [ln for ln in footer if ln.open and is_headline_like(_current(ln))]
    if len(headlines) >= FOOTER_LIST_MIN_LINES:
        for ln in headlines:
            ln.decide("removed", "footer_headlines")

    # 4. what is left is the article
    kept = [ln for ln in lines if ln.open]
    if not kept:
        raise CleaningError(f"cleaning removed every line of document {doc_id!r}", doc_id=doc_id, field="text")
    pieces: list[Piece] = []
    paragraphs: list[Paragraph] = []
    start = 0
    for i, ln in enumerate(kept):
        if i:
            pieces.append(Piece("\n", *kept[i - 1].newline))
            start += 1
        pieces.extend(ln.pieces)
        t = _current(ln)
        kind = ln.kind or ("question" if words(t) <= QUESTION_MAX_WORDS and _QUESTION_END.search(t) else "body")
        paragraphs.append(Paragraph(start, start + len(t), kind))
        start += len(t)
        ln.decide("trimmed" if ln.rule else "kept", ln.rule)
    text = text_of(pieces)

    extracted: dict[str, str] = {}
    for ln in lines:  # first statement wins
        for key, value in ln.extracted.items():
            extracted.setdefault(key, value)
    return CleanDocument(
        doc_id=doc_id,
        text=text,
        paragraphs=tuple(paragraphs),
        title=_current(title_line) if title_line else None,
        outlet=extracted.get("outlet"),
        date=extracted.get("date"),
        offset_map=OffsetMap.from_pieces(pieces, raw),
        audit=tuple(
            LineDecision(ln.no, ln.raw_start, ln.raw_end, ln.action or "kept", ln.rule, ln.text) for ln in lines
        ),
    )
