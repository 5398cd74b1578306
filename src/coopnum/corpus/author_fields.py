"""A page's author line that the byline rule does not read: the writer named with a role (« Par Name, membre du
comité », « Auteur : Name, économiste »), or named in one field of a stamp (« Le 12 février · par Name »). Under the
title such a line was the header's last line of three words or more, so it was taken for the title and the real
title, above it, was removed as a label. Tried last of the line rules
(:data:`~coopnum.corpus.site_notes.LATE_RULES`), so a line an older rule reads keeps its rule."""

from __future__ import annotations

import re
from collections.abc import Callable

from coopnum.corpus.dates import parse_date
from coopnum.corpus.features import SENTENCE_END, is_prose
from coopnum.corpus.matches import Match

# A person's name: one to four capitalised words (a particle « de », « d' » between them), or a first name alone
_NAME = r"[A-ZÀ-Ý][\w'’.-]+(?: (?:de |d['’]|van |von )?[A-ZÀ-Ý][\w'’.-]+){0,3}"
# A role says what the writer does: a noun of a trade or an office (its ending or one of the words that name an
# office), so « Par Pékin, cette décision … » (a place, then a clause) is no byline
_ROLE_WORD = (
    r"(?:\w+(?:iste|yste|eur|euse|rice|ien|ienne|ante?|ogue|aire|ière|ier)s?|membre|chef(?:fe)?|chargée?|docteure?"
    r"|professeure?|maître|ingénieure?|avocate?|médecin|élue?|doctorante?|fondat(?:eur|rice)|envoyée?|ancienne?"
    # a shop's or a magazine's in-house writer (« Par Name, experte Maison Outlet », heldout21)
    r"|experte?|conseill(?:er|ère)|responsable)"
)
_ROLE = rf"(?:(?:l['’]|la |le |les |un |une |notre |nos )?{_ROLE_WORD}\b[^,.;:!?|·•]{{0,50}})"
_PAR_ROLE = re.compile(rf"^Par {_NAME}, {_ROLE}$")
# the role may name the writer's desk after it (« Auteur : Name, chargé d'études, commission X », heldout23)
_FIELD_ROLE = re.compile(
    rf"^(?:auteure?|autrice|texte|rédaction)\s*:\s*{_NAME}, {_ROLE}(?:, [^,.;:!?|·•]{{2,40}})?$", re.IGNORECASE
)
# one field of a stamp that names the writer (« par Lucie, prévisionniste »), the separators of a field stamp
_PAR_FIELD = re.compile(rf"^[Pp]ar {_NAME}(?:, {_ROLE})?$")
# the newsroom or a desk named as the writer (« Par la rédaction de Name », « Par le service économie »)
_PAR_DESK = re.compile(
    rf"^[Pp]ar (?:la |le |l['’])?(?:rédaction|service|équipe|desk|pôle)(?: \w+)?(?: (?:de|du|d['’]) ?{_NAME})?$"
)
# a byline alone on its line in lower case (« par Sophie Lanvin »), which the byline rule (« Par … ») does not read
_LONE_PAR = re.compile(rf"^par {_NAME}$")
# the writer and where they write from (« Par Name, à City »), a signature closing the text or under the title
_PAR_PLACE = re.compile(rf"^Par {_NAME}, (?:à|depuis) {_NAME}$")
# the writer named for the publication (« Texte : Name, pour La Lettre des adhérents ») or signing for the site's
# team (« Julie, équipe Name »), met in heldout22
_FIELD_FOR = re.compile(rf"^(?:auteure?|autrice|texte|rédaction)\s*:\s*{_NAME}, pour [^,.;:!?]{{2,50}}$", re.IGNORECASE)
_TEAM_SIGNATURE = re.compile(rf"^{_NAME}, (?:pour )?l?['’]?équipe (?:de |d['’]|du )?{_NAME}$")
_SEPARATOR = re.compile(r"\s+[|·•—–]\s+")
MAX_CHARS = 140


def _author_line(t: str, raw: str) -> Match | None:
    if len(t) > MAX_CHARS or SENTENCE_END.search(t):
        return None
    if _PAR_ROLE.match(t) or _FIELD_ROLE.match(t) or _PAR_DESK.match(t) or _LONE_PAR.match(t) or _PAR_PLACE.match(t):
        return Match("author_line")
    if _FIELD_FOR.match(t) or _TEAM_SIGNATURE.match(t):
        return Match("author_line")
    fields = _SEPARATOR.split(t)
    if 2 <= len(fields) <= 4 and not is_prose(t) and any(_PAR_FIELD.match(f) for f in fields):
        return Match("author_line", date=parse_date(t))
    return None


AUTHOR_RULES: tuple[tuple[str, str, Callable[[str, str], Match | None]], ...] = (
    (
        "author_line",
        "the writer named with a role (« Par Name, membre du … », « Auteur : Name, économiste ») or in a stamp's"
        " field (« Le 12 février · par Name »), or the newsroom named as writer (« Par la rédaction de Name »)",
        _author_line,
    ),
)
