"""Closing notes about who wrote or published the page (met first in heldout11): the author's bio
(« Name est étudiante en … ») and the publisher's self-description (« Name est une association … ») at the
end of the text. Both read as prose, so no footer rule takes them; what tells them is the name they open
with: the byline's author, or the site's name in its masthead (the page's first line, « Name — tagline »), or the
person that masthead names with their trade (« Site — Name Surname, professeure de … », heldout24).
Only the last prose lines are looked at: the same name opening a sentence inside the article is its subject.
"""

from __future__ import annotations

import re

from coopnum.corpus.features import SENTENCE_END, words
from coopnum.corpus.lines import Line
from coopnum.corpus.rules import Rule
from coopnum.corpus.wrapping import is_prose_line

BIO_RULES: tuple[Rule, ...] = (
    Rule(
        "closing_bio",
        "at the end, a line opening with the byline's author or the masthead's name and « est », « couvre », …",
    ),
)

_AUTHOR = re.compile(r"^Par ([A-ZÀ-Ý][\w'’-]+(?: [A-ZÀ-Ý][\w'’-]+){1,2})\b")
# a byline saying how the text came (« Rédigé par Name, … », « Écrit par Name »), heldout25
_WRITTEN_BY = re.compile(
    r"^(?:Rédigé|Rédigée|Écrit|Écrite|Signé|Signée|Texte|Propos recueillis) par ([A-ZÀ-Ý][\w'’-]+(?: [A-ZÀ-Ý][\w'’-]+){1,2})\b"
)
# the author named in an author line (corpus.author_fields: « Le 12 février · par Lucie, prévisionniste ») or in a
# field of a stamp (« 2 mars 2023 · Name Surname · 0 commentaire »): a first name alone is a blog's signature there
_AUTHOR_FIELD = re.compile(r"(?:^|[|·•—–]\s)[Pp]ar ([A-ZÀ-Ý][\w'’-]+(?: [A-ZÀ-Ý][\w'’-]+){0,2})\b")
_STAMP_NAME = re.compile(r"^[A-ZÀ-Ý][\w'’-]+(?: [A-ZÀ-Ý][\w'’-]+){1,2}$")
_STAMP_SEPARATOR = re.compile(r"\s[|·•—–]\s")
# « L'auteur, Name, est … »: the bio says so itself, whatever the byline gave
_SAYS_AUTHOR = re.compile(
    r"^L['’](?:auteure?|autrice)(?: de (?:cet|ce) (?:article|billet|texte))?, [A-ZÀ-Ý][^,]{1,40}, "
)
_MASTHEAD = re.compile(r"^(?P<name>[^—–|·:]{2,40}?)\s[—–|·]\s")
MASTHEAD_MAX_WORDS = 4
# what a bio says its subject does (« Name est …, couvre …, suit …, a rejoint … »)
# (two roles between commas, « Name, adhérent depuis 2012, ancien ingénieur, tient cette rubrique … », heldout24)
_BIO_VERB = re.compile(
    r"(?:(?:, [^,.;:]{1,40}){1,2},\s)?(?:est|couvre|suit|a rejoint|travaille|écrit sur|vit|tient (?:cette|la) rubrique"
    r"|enseigne|collabore|anime|dirige)\s"
)
# a bio naming no one the page names: a person's name, a bio verb and how long they have done it (« Name enseigne
# … depuis 2011 », « Name, musicologue, collabore à … depuis quinze ans »), the last prose line (heldout25, heldout28)
_NAME = re.compile(
    r"^(?!(?:Le|La|Les|Un|Une|Des|Ce|Cet|Cette|Ces|Son|Sa|Ses|Notre|Nos|Leur|Leurs|Mon|Ma|En|Au|Aux)\b)[A-ZÀ-Ý][a-zà-ÿ'’-]+(?: [A-ZÀ-Ý][\w'’-]+){1,2}"
)
_CAREER = re.compile(
    r"\bdepuis (?:\d{4}|(?:\d+|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|quinze|vingt|trente) ans)\b"
)
# a person the masthead names with their trade (« Site — Name Surname, professeure de piano · … »): the site's owner
_MASTHEAD_PERSON = re.compile(r"\s[—–|·]\s([A-ZÀ-Ý][\w'’-]+(?: [A-ZÀ-Ý][\w'’-]+){1,2}), [a-zà-ÿ]")


def _names(lines: list[Line]) -> list[str]:
    # the byline's author, whether the byline rule or the field-stamp shape (« Par Name | date | … ») took it
    names = [m[1] for ln in lines if ln.rule in ("byline", "field_stamp") and (m := _AUTHOR.match(ln.text))]
    names += [m[1] for ln in lines if ln.rule in ("byline", "field_stamp") and (m := _WRITTEN_BY.match(ln.text))]
    names += [m[1] for ln in lines if ln.rule == "field_stamp" and (m := _AUTHOR_FIELD.search(ln.text))]
    names += [m[1] for ln in lines if ln.rule == "author_line" and (m := _AUTHOR_FIELD.search(ln.text))]
    for ln in lines:
        if ln.rule == "field_stamp":
            names += [f for f in _STAMP_SEPARATOR.split(ln.text) if _STAMP_NAME.match(f)]
    first = next((ln for ln in lines if ln.text), None)
    if first is not None and (m := _MASTHEAD.match(first.text)) and words(m["name"]) <= MASTHEAD_MAX_WORDS:
        names.append(m["name"].strip())
    if first is not None and (p := _MASTHEAD_PERSON.search(first.text)):
        names.append(p[1])
    return names


def _is_bio(t: str, names: list[str]) -> bool:
    if _SAYS_AUTHOR.match(t):
        return True
    if (m := _NAME.match(t)) and _CAREER.search(t):
        names = [*names, m[0]]
    for n in names:
        # « Name est … » or, with the role between commas, « Name, traducteur, vit … »
        if t[len(n) : len(n) + 1] in (" ", ",") and t.startswith(n) and _BIO_VERB.match(t, len(n) + (t[len(n)] == " ")):
            return True
    return False


def remove_closing_bios(lines: list[Line]) -> None:
    """From the end up, while the open prose lines open with a name of the page and a bio verb, remove them; a
    short closing line ending a statement that does (« Name, traducteur, vit à Almaty. ») goes too."""
    names = _names(lines)
    for ln in reversed(lines):
        if not ln.open or not ln.text:
            continue
        if not is_prose_line(ln):
            # the footer's short lines are decided later: the last prose lines are the ones looked at
            if SENTENCE_END.search(ln.current) and _is_bio(ln.current, names):
                ln.decide("removed", "closing_bio")
            continue
        if not _is_bio(ln.current, names):
            return
        ln.decide("removed", "closing_bio")
