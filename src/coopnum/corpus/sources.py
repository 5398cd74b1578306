"""The raw corpus: byte-exact scraped files and their sources metadata.

``corpus/raw/NNN_<doc_id>.txt`` are the files exactly as scraped (never
rewritten); ``corpus/sources.jsonl`` has one record per file. Everything read
here is checked, and every problem is a :class:`~coopnum.errors.CorpusError`
naming the file, document and field.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from coopnum.errors import CorpusError
from coopnum.util import jsonio
from coopnum.util.hashing import sha256_bytes

# NNN: the order number, at least three digits (``coopnum add`` goes on past 999 with more)
RAW_NAME = re.compile(r"^(?P<order>\d{3,})_(?P<doc_id>[0-9a-f]{16})\.txt$")
DOC_ID = re.compile(r"^[0-9a-f]{16}$")
DATE = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?$")
SOURCE_FIELDS = (
    "doc_id",
    "file",
    "raw_sha256",
    "outlet",
    "outlet_evidence",
    "date",
    "date_evidence",
    "url",
    "language",
    "rights",
)
NULLABLE = frozenset({"outlet", "outlet_evidence", "date", "date_evidence", "url"})
# Values many records share (an outlet, its evidence line, a date, the language, the rights): one
# string object each for the whole corpus instead of one per record, since the build holds every
# record while it runs. doc_id, file, raw_sha256 and url are one per document: not worth a table.
SHARED_FIELDS = frozenset({"outlet", "outlet_evidence", "date", "date_evidence", "language", "rights"})


@dataclass(frozen=True, slots=True)
class Source:
    """Metadata of one raw article. Outlet and date only where the text states them,
    with the raw substring that states it as evidence; unknown is ``None``.

    Slotted (no per-instance dict): the build holds one per document for the whole run."""

    doc_id: str
    file: str
    raw_sha256: str
    outlet: str | None
    outlet_evidence: str | None
    date: str | None
    date_evidence: str | None
    url: str | None
    language: str
    rights: str

    def to_json(self) -> dict[str, str | None]:
        return asdict(self)


@dataclass(frozen=True)
class RawDocument:
    source: Source
    data: bytes
    text: str  # decoded, strict UTF-8


def doc_id_of(file_name: str) -> str:
    m = RAW_NAME.match(file_name)
    if not m:
        raise CorpusError(
            f"raw file name {file_name!r} is not NNN_<16 hex digits>.txt, so it gives no doc id",
            file=file_name,
            field="doc_id",
        )
    return m["doc_id"]


def file_order(s: Source) -> tuple[int, str]:
    """Sort key of a record: by the order number of its file (``1000_…`` after ``999_…``), then name."""
    return len(s.file.split("_", 1)[0]), s.file


def _parse_source(record: object, where: str) -> Source:
    if not isinstance(record, dict):
        raise CorpusError(f"a sources record must be a JSON object, got {type(record).__name__}", file=where)
    doc_id = record.get("doc_id")
    ident = doc_id if isinstance(doc_id, str) else None
    missing = [f for f in SOURCE_FIELDS if f not in record]
    if missing:
        raise CorpusError(f"sources record lacks {', '.join(missing)}", file=where, doc_id=ident, field=missing[0])
    extra = sorted(set(record) - set(SOURCE_FIELDS))
    if extra:
        raise CorpusError(f"sources record has unknown fields {extra}", file=where, doc_id=ident, field=extra[0])
    for f in SOURCE_FIELDS:
        value = record[f]
        if value is None and f in NULLABLE:
            continue
        if not isinstance(value, str) or not value.strip():
            raise CorpusError(f"{f} must be a non-empty string, got {value!r}", file=where, doc_id=ident, field=f)
    if not DOC_ID.match(record["doc_id"]):
        raise CorpusError(
            f"doc_id {record['doc_id']!r} is not 16 lowercase hex digits", file=where, doc_id=ident, field="doc_id"
        )
    if doc_id_of(record["file"]) != record["doc_id"]:
        raise CorpusError(
            f"doc_id {record['doc_id']!r} differs from the one in file name {record['file']!r}",
            file=where,
            doc_id=ident,
            field="doc_id",
        )
    if record["date"] is not None and not is_calendar_date(record["date"]):
        raise CorpusError(
            f"date {record['date']!r} is not a calendar date written YYYY-MM or YYYY-MM-DD",
            file=where,
            doc_id=ident,
            field="date",
        )
    for value_field in ("outlet", "date"):
        if (record[value_field] is None) != (record[f"{value_field}_evidence"] is None):
            raise CorpusError(
                f"{value_field} and {value_field}_evidence must both be set or both be null",
                file=where,
                doc_id=ident,
                field=f"{value_field}_evidence",
            )
    values = {f: record[f] for f in SOURCE_FIELDS}
    for f in SHARED_FIELDS:  # interned: one object per distinct value, freed when no record holds it
        if values[f] is not None:
            values[f] = sys.intern(values[f])
    return Source(**values)


def is_calendar_date(value: str) -> bool:
    """``YYYY-MM`` or ``YYYY-MM-DD`` naming a real month or day (no 2025-13, no 2025-02-30)."""
    if not DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value if len(value) == 10 else f"{value}-01")
    except ValueError:
        return False
    return True


def load_sources(path: Path) -> list[Source]:
    """Parse and check ``sources.jsonl``; records come back in file order (:func:`file_order`)."""
    text = jsonio.read_text(path, CorpusError, "sources file")
    sources = [_parse_source(record, where) for where, record in jsonio.json_lines(text, CorpusError, str(path))]
    if not sources:
        raise CorpusError("sources file has no records: the corpus is empty", file=str(path))
    seen: dict[str, str] = {}
    for s in sources:
        for key in (s.doc_id, s.file):
            if key in seen:
                raise CorpusError(f"duplicate {key!r} in sources", file=str(path), doc_id=s.doc_id, field="doc_id")
            seen[key] = s.file
    return sorted(sources, key=file_order)


def decode_raw(data: bytes, file: str, doc_id: str | None = None) -> str:
    """Strict UTF-8; an empty file, a BOM, UTF-16 (with or without BOM) and NUL bytes (the padding of a
    half-written file) are errors (raw files are stored without any of them)."""
    if not data.strip():
        raise CorpusError("raw file is empty", file=file, doc_id=doc_id, field="text")
    return jsonio.decode(data, CorpusError, "raw file", file=file, doc_id=doc_id, field="text")


def _check_regular(path: Path, doc_id: str) -> None:
    """A raw file is a regular file in ``corpus/raw/``: a symlink could point anywhere (outside the
    repository, at a file that changes), and a FIFO or a device would block or never end."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        raise CorpusError("raw file listed in sources is missing", file=str(path), doc_id=doc_id) from None
    if stat.S_ISLNK(mode):
        raise CorpusError(
            f"raw file is a symbolic link (to {os.readlink(path)!r}); corpus files must be regular files",
            file=str(path),
            doc_id=doc_id,
            field="file",
        )
    if not stat.S_ISREG(mode):
        raise CorpusError("raw file is not a regular file", file=str(path), doc_id=doc_id, field="file")


def list_corpus(corpus_dir: Path) -> list[Source]:
    """The checked source records, sorted by file name; every raw file on disk must have one."""
    sources_path = corpus_dir / "sources.jsonl"
    sources = load_sources(sources_path)
    raw_dir = corpus_dir / "raw"
    on_disk = {p.name for p in raw_dir.glob("*.txt")} if raw_dir.is_dir() else set()
    unlisted = sorted(on_disk - {s.file for s in sources})
    if unlisted:
        raise CorpusError(
            f"raw file has no record in {sources_path.name}", file=str(raw_dir / unlisted[0]), field="doc_id"
        )
    return sources


def read_raw(corpus_dir: Path, s: Source) -> RawDocument:
    """One raw document, checked against its source record (hash, UTF-8, evidence)."""
    path = corpus_dir / "raw" / s.file
    _check_regular(path, s.doc_id)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError("raw file listed in sources is missing", file=str(path), doc_id=s.doc_id) from None
    actual = sha256_bytes(data)
    if actual != s.raw_sha256:
        raise CorpusError(
            f"raw_sha256 in sources is {s.raw_sha256} but the file hashes to {actual}",
            file=str(path),
            doc_id=s.doc_id,
            field="raw_sha256",
        )
    text = decode_raw(data, str(path), s.doc_id)
    for value_field in ("outlet_evidence", "date_evidence"):
        evidence = getattr(s, value_field)
        if evidence is not None and evidence not in text:
            raise CorpusError(
                f"{value_field} {evidence!r} does not occur in the raw text",
                file=str(corpus_dir / "sources.jsonl"),
                doc_id=s.doc_id,
                field=value_field,
            )
    return RawDocument(s, data, text)


def read_corpus(corpus_dir: Path) -> list[RawDocument]:
    """Every raw document with its checked source record, sorted by file name."""
    return [read_raw(corpus_dir, s) for s in list_corpus(corpus_dir)]
