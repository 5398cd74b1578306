"""The sources record ``coopnum add`` writes for a new file: the outlet and date the cleaner reads in
the text, each with the raw text stating it as evidence (:mod:`coopnum.corpus.intake`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from coopnum.corpus import language, sources
from coopnum.corpus.dates import parse_date
from coopnum.corpus.document import CleanDocument
from coopnum.corpus.sources import Source
from coopnum.errors import CorpusError

DEFAULT_RIGHTS = "third-party-copyright"


@dataclass(frozen=True)
class Options:
    outlet: str | None = None
    date: str | None = None
    url: str | None = None
    rights: str = DEFAULT_RIGHTS
    allow_near_duplicate: bool = False


def record(doc_id: str, raw_sha: str, raw: str, clean: CleanDocument, options: Options, path: Path) -> Source:
    outlet, outlet_evidence = _outlet(raw, clean, options.outlet, path)
    date, date_evidence = _date(raw, clean, options.date, path)
    return Source(
        doc_id=doc_id,
        file="",  # named when the order numbers are given out
        raw_sha256=raw_sha,
        outlet=outlet,
        outlet_evidence=outlet_evidence,
        date=date,
        date_evidence=date_evidence,
        url=options.url,
        language=language.FRENCH,
        rights=options.rights,
    )


def _raw_lines(raw: str, clean: CleanDocument) -> Iterable[tuple[str, str]]:
    """Each line's normalised text (what the rules read) and its raw text, stripped."""
    for d in clean.audit:
        yield d.text, raw[d.raw_start : d.raw_end].strip()


def _outlet(raw: str, clean: CleanDocument, given: str | None, path: Path) -> tuple[str | None, str | None]:
    outlet = clean.outlet
    if given is not None and outlet is not None and given != outlet:
        raise CorpusError(f"--outlet says {given!r} but the text states {outlet!r}", file=str(path), field="outlet")
    outlet = outlet or given
    if outlet is None:
        return None, None
    # the raw line whose normalised text names it (the raw line itself may differ in spacing)
    evidence = next((r for t, r in _raw_lines(raw, clean) if outlet in t), None)
    if evidence is None:
        raise CorpusError(
            f"outlet {outlet!r} is not stated in the text: a record names an outlet only with the text "
            "stating it as evidence",
            file=str(path),
            field="outlet",
        )
    return outlet, evidence


def _date(raw: str, clean: CleanDocument, given: str | None, path: Path) -> tuple[str | None, str | None]:
    if given is not None and not sources.is_calendar_date(given):
        raise CorpusError(f"--date {given!r} is not YYYY-MM or YYYY-MM-DD", file=str(path), field="date")
    date = clean.date
    if given is not None and date is not None and given != date:
        raise CorpusError(f"--date says {given} but the text states {date}", file=str(path), field="date")
    date = date or given
    if date is None:
        return None, None
    lines = list(_raw_lines(raw, clean))
    evidence = next((_shortest_stating(r, date) for _, r in lines if parse_date(r) == date), None)
    evidence = evidence or next((r for t, r in lines if parse_date(t) == date), None)
    if evidence is None:
        raise CorpusError(
            f"date {date} is not stated in the text: a record gives a date only with the text stating it as evidence",
            file=str(path),
            field="date",
        )
    return date, evidence


def _shortest_stating(line: str, date: str) -> str:
    """The shortest part of ``line`` from which :func:`parse_date` still reads ``date``."""
    start, end = 0, len(line)
    while start < end and parse_date(line[start + 1 : end]) == date:
        start += 1
    while end > start and parse_date(line[start : end - 1]) == date:
        end -= 1
    return line[start:end]
