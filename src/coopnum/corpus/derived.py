"""Line rules for pages that are copies of another page (met first in heldout9): a feed reader's dump of an
RSS item, a wiki's article page, a web archive's capture.

Such a copy wraps the article in the furniture of the tool that made it, worded the same on every site the
tool serves: a feed's field labels (« pubDate: », « dc:creator: », « content:encoded: »), the footer a
WordPress feed appends to each item (« L’article … est apparu en premier sur Outlet. »), a wiki's tagline
(« Un article de Wiki, la source … ») and its citations opened by a language code (« (fr) « … », … »), an
archive's toolbar (« About this capture », « 3 captures »).
"""

from __future__ import annotations

import re

from coopnum.corpus.dates import parse_date

# A feed field's label, as a feed dumps it: a lower-case XML name (namespaced or dotted), a colon, its value.
# « title: » and « content:encoded: » hold the article (the label is trimmed); every other field is the feed's.
_FEED_FIELD = re.compile(
    r"^(?-i:(?P<name>(?:channel|item)\.\w+|(?:dc|atom|content|media|sy|wfw|slash):\w+"
    r"|title|link|description|pubDate|lastBuildDate|category|guid|enclosure|comments|author|language|generator))"
    r"\s*:(?:\s+|$)",
)
_FEED_TEXT_FIELDS = frozenset({"title", "content:encoded"})
_FEED_DATE_FIELDS = frozenset({"pubDate", "dc:date"})
# An item's counter in a feed's dump (« item 3/20 », « Élément 2 sur 15 »).
_FEED_ITEM = re.compile(r"^(?:item|élément|entrée)\s+\d{1,4}\s*(?:/|sur|of)\s*\d{1,4}$", re.IGNORECASE)
_ENGLISH_DATE = re.compile(
    r"\b(?P<d>\d{1,2})\s+(?P<m>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(?P<y>\d{4})\b"
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def feed_date(value: str) -> str | None:
    """A feed's date field: RFC 822 (« Tue, 05 Mar 2024 07:30:00 +0100 ») or one the cleaner reads."""
    m = _ENGLISH_DATE.search(value)
    if m:
        return f"{m['y']}-{_MONTHS.index(m['m']) + 1:02d}-{int(m['d']):02d}"
    return parse_date(value)


def feed_field(t: str) -> tuple[str, int | None, str | None] | None:
    """(field name, characters to trim for a field holding the article or None to remove, the date it gives)."""
    if _FEED_ITEM.match(t):
        return "item", None, None
    m = _FEED_FIELD.match(t)
    if m is None:
        return None
    name = m["name"]
    if name in _FEED_TEXT_FIELDS:
        return name, m.end() if t[m.end() :].strip() else None, None
    return name, None, feed_date(t[m.end() :]) if name in _FEED_DATE_FIELDS else None


_FEED_FOOTER = re.compile(
    r"^(?:l['’](?:article|entrée|billet)|(?:cet article|ce billet)\b).{0,300}?\s(?:est apparu|est paru|a été publié)"
    r" en premier sur\s+(?P<outlet>[^.]{2,60}?)\s*\.?$",
    re.IGNORECASE,
)


def feed_footer(t: str) -> str | None:
    """The outlet a feed item's footer names (« L’article X est apparu en premier sur Outlet. »), or None."""
    m = _FEED_FOOTER.match(t) if len(t) <= 400 else None
    return m["outlet"].strip() if m else None


# « Un article de Wiki, la source d’information libre … »: the site's tagline under a wiki page's title.
_SITE_TAGLINE = re.compile(
    r"^(?i:un article|une page|une dépêche|un contenu) (?:de|du site) (?P<outlet>[A-ZÀ-Ý][^,.;:!?]{1,40}?)"
    r"\s*,\s*(?:la|le|l['’]|votre|une?)\b[^.!?]{0,100}[.!]?$"
)


def site_tagline(t: str) -> str | None:
    """The site a tagline names (« Un article de Wikinfos, la source d’information libre … »), or None."""
    m = _SITE_TAGLINE.match(t) if len(t) <= 160 else None
    return m["outlet"].strip() if m else None


# A wiki's citation: a language code, then the quoted title of the source (« (fr) « Titre », Agence, 7 mai »).
_WIKI_CITATION = re.compile(r"^\((?-i:[a-z]{2,3})\)\s*[«\"“]")
# A wiki's section edit links glued to a heading (« Contexte [modifier | modifier le code] »).
EDIT_LINKS = re.compile(r"\s*\[\s*modifier(?:\s*\|\s*modifier le code)?\s*\]\s*$", re.IGNORECASE)
# A web archive's toolbar, laid over the captured page (its labels are the archive's own, in English).
_ARCHIVE_TOOLBAR = re.compile(
    r"^(?:the )?wayback machine$|^internet archive$|^about this capture$|^\d{1,6} captures?$|^(?:success|fail|go)$"
    r"|^\d{1,2} [A-Z][a-z]{2} \d{4} - \d{1,2} [A-Z][a-z]{2} \d{4}$"  # the captures' span
    r"|^(?-i:(?:[A-Z][a-z]{2}|[A-Z]{3}) (?:[A-Z][a-z]{2}|[A-Z]{3}) (?:[A-Z][a-z]{2}|[A-Z]{3}))$",  # month switch
    re.IGNORECASE,
)


def is_wiki_citation(t: str) -> bool:
    return len(t) <= 400 and bool(_WIKI_CITATION.match(t))


def is_archive_toolbar(t: str) -> bool:
    return len(t) <= 60 and bool(_ARCHIVE_TOOLBAR.match(t))
