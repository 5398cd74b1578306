"""Structural shapes of one normalised line that mark page furniture whatever its wording.

The wording rules (:mod:`~coopnum.corpus.rules`) name kinds of furniture by the words they use
(« Lire aussi », « Publié le »); an outlet not seen before words its furniture its own way, and
the misses at every first contact were such lines. These tests look at the shape instead:

* a *field stamp*: short fields apart by a separator (``|``, ``—``, ``–``, ``·``, ``•``), one of
  them a date or a time — the byline, date and rubric line under a title (« Karim Haddad | 08
  octobre 2023 », « Actualité | 11 avril 2025 »), never a sentence;
* a *link row*: three or more items of at most four words apart by a separator (a footer's
  « Plan du site | Accessibilité | Mentions légales »);
* a *contact line*: a line that is not running text and gives an e-mail or web address (a reader
  call-out, a press contact);
* a *credit tail*: a sentence followed by a credit segment (« … près d'Erevan. Photo fournie par
  l'opérateur »);
* a *label line*: a short label, a colon and a headline without final stop (« Actualités
  récentes : … »), which after the article's last prose line is a teaser of other pages.
"""

from __future__ import annotations

import re

from coopnum.corpus.dates import blank_out_dates, parse_date
from coopnum.corpus.features import SENTENCE_END, is_prose, words

FIELD_MAX_WORDS = 6
FIELD_LABEL_MAX_WORDS = 3  # the words of a date field besides its date (« Date de publication : »)
LINK_ROW_MIN_ITEMS = 3
LINK_ITEM_MAX_WORDS = 4
STAMP_MAX_CHARS = 160
LABEL_MAX_WORDS = 3
CREDIT_TAIL_MAX_WORDS = 8
PROMPT_MAX_CHARS = 300  # longer lines are running text (prose at 40 words) whatever their wording

_FIELD_SEP = re.compile(r"\s+[|¦—–·•]\s+")
_ANY_SEPARATOR = re.compile(r"[|¦—–·•]")
_DIGIT = re.compile(r"\d")
_TIME = re.compile(r"\b\d{1,2}\s?[:h]\s?\d{2}\b")
# What a date field may hold besides the date: weekdays, « le », « à », a time, punctuation.
_DATE_FIELD_FILLER = re.compile(
    r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|le|à|\d{1,2}\s?[:h]\s?\d{2})\b|[^\w\s]", re.IGNORECASE
)
_FIELD_START = re.compile(r"^(?:[A-ZÀ-Ý0-9«\"(]|par\s|n°\s?\d)")  # « n° 212 »: an issue's number


def _fields(t: str) -> list[str]:
    return [s.strip() for s in _FIELD_SEP.split(t) if s.strip()]


def _is_date_field(field: str) -> bool:
    """A field that states a date with a year, or a time, and little else."""
    if not (parse_date(field) or _TIME.search(field)):
        return False
    rest = _DATE_FIELD_FILLER.sub(" ", blank_out_dates(field))
    return words(rest) <= FIELD_LABEL_MAX_WORDS


def is_field_stamp(t: str) -> bool:
    """Two or more short fields apart by separators, one a date (see the module docstring)."""
    if len(t) > STAMP_MAX_CHARS or not _DIGIT.search(t):  # a date or a time has figures
        return False
    fields = _fields(t)
    if len(fields) == 1:  # a date or time alone, with at most a label (« Mise en ligne : 12/03/2024 »)
        return not SENTENCE_END.search(t) and _is_date_field(t)
    if any(words(f) > FIELD_MAX_WORDS or SENTENCE_END.search(f) for f in fields):
        return False
    dated = [f for f in fields if _is_date_field(f)]
    others = [f for f in fields if f not in dated]
    # fields of a stamp are names, labels and counters: each opens with a capital or a figure
    return bool(dated) and all(_FIELD_START.match(f) for f in others)


def is_link_row(t: str) -> bool:
    """Three or more items of at most four words apart by separators, none a sentence."""
    if len(t) > STAMP_MAX_CHARS or not _ANY_SEPARATOR.search(t):
        return False
    fields = _fields(t)
    return len(fields) >= LINK_ROW_MIN_ITEMS and all(
        words(f) <= LINK_ITEM_MAX_WORDS and not SENTENCE_END.search(f) for f in fields
    )


_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\bhttps?://\S+|\bwww\.[\w-]+\.\w+")


def is_contact_line(t: str) -> bool:
    """A line that is not running text and gives an e-mail or web address."""
    return ("@" in t or "http" in t or "www." in t) and bool(_ADDRESS.search(t)) and not is_prose(t)


_CREDIT_TAIL = re.compile(
    r"(?<=[.!?»)] )(?:(?:photos?|crédits?(?: photo)?|illustrations?|images?)\s+"
    r"|(?-i:[A-ZÀ-Ý]{3,}(?: [A-ZÀ-Ý]{2,})?) ?/ ?)(?P<tail>[^.!?]+)$",  # or an agency in capitals, « AGENCE/Name »
    re.IGNORECASE,
)


def has_credit_tail(t: str) -> bool:
    """A sentence (a caption) closed by a credit segment without final stop."""
    m = _CREDIT_TAIL.search(t)
    return m is not None and words(m["tail"]) <= CREDIT_TAIL_MAX_WORDS


_LABEL_LINE = re.compile(r"^(?P<label>[A-ZÀ-Ý][^:.!?]{1,40}?)\s*:\s+(?P<rest>\S.*)$")


def is_label_line(t: str) -> bool:
    """A short label, a colon and a headline without final stop (« Actualités récentes : … »)."""
    m = _LABEL_LINE.match(t)
    return m is not None and words(m["label"]) <= LABEL_MAX_WORDS and not SENTENCE_END.search(t) and not is_prose(t)


NAME_LABEL_MAX_WORDS = 5
NAME_LABEL_MAX_CHARS = 80
_NAME_LABEL_WORD = re.compile(r"^(?:[A-ZÀ-Ý0-9«\"(][^\s]*|de|du|des|la|le|les|et|&|d['’][A-ZÀ-Ý]\S*|l['’][A-ZÀ-Ý]\S*)$")
_NO_STATEMENT_END = re.compile(r"[.!?…:][\"»”’')\]]*$")


def is_name_label(t: str) -> bool:
    """Two to five words, each capitalised (or a particle), no final punctuation: a name, a site's
    name, a rubric or a button row (« Sandrine Vialatte », « Photo News », « LES PLUS LUS »)."""
    if len(t) > NAME_LABEL_MAX_CHARS or not _FIELD_START.match(t):  # the first word is capitalised
        return False
    parts = t.split()
    return (
        2 <= len(parts) <= NAME_LABEL_MAX_WORDS
        and not _NO_STATEMENT_END.search(t)
        and all(_NAME_LABEL_WORD.match(p) for p in parts)
    )


# The page speaking to its reader: second person plural, or an imperative with a pronoun.
_READER_ADDRESS = re.compile(r"(?<!rendez-)\b(?:vous|votre|vos)\b|-(?:nous|vous)\b(?<!rendez-vous)", re.IGNORECASE)
_QUOTED = re.compile(r"[«»“”\"]")
_OPEN_END = re.compile(r"(?:\?|…|\.\.\.)[\"»”’')\]]*$")
_SPEAKER_TURN = re.compile(r"^(?:[A-ZÀ-Ý]\.\s?){1,3}:\s")  # « I. K. : … », an interview's answer


def is_reader_prompt(t: str) -> bool:
    """A line that is not running text and addresses the reader (« Vous avez un projet ? Écrivez-nous »):
    not an interview question (those end with « ? ») nor a quotation."""
    if len(t) > PROMPT_MAX_CHARS or _QUOTED.search(t) or _OPEN_END.search(t) or not _READER_ADDRESS.search(t):
        return False
    if _SPEAKER_TURN.match(t):
        return False
    return not is_prose(t)


_PRICE = re.compile(r"\d(?:[\d\s.,]*\d)?\s?(?:€|euros?|DH|CHF|\$|FCFA|F CFA|dollars?|dinars?|francs?)", re.IGNORECASE)
_PERIOD = re.compile(
    r"\b(?:par|le|la|les|premier|première|1er)\s+(?:mois|semaine|an|année|jour|numéro)\b|/\s?mois\b", re.IGNORECASE
)


def is_offer_line(t: str) -> bool:
    """A price for a period, outside running text: a subscription offer (« … dès 9,90 DH la première semaine »)."""
    return len(t) <= PROMPT_MAX_CHARS and bool(_PERIOD.search(t) and _PRICE.search(t)) and not is_prose(t)
