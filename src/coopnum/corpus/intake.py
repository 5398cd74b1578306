"""``coopnum add``: new raw scrapes into the corpus, all or nothing.

Each file is copied byte-exact to ``corpus/raw/NNN_<doc_id>.txt`` (NNN: the next free order number,
three digits or more) and gets a record in ``corpus/sources.jsonl``.

**Document id.** The first 16 hex digits of ``sha256(b"coopnum-doc-v1:" + raw bytes)``
(:func:`doc_id_for`): stable (the same bytes always give the same id, whatever else is added and in
whichever order), never a list position. The seeds keep the ids they were given.

**Record.** ``raw_sha256`` of the bytes; ``outlet`` and ``date`` only where the cleaner
(:func:`coopnum.corpus.clean.clean_document`) reads them in the text, with the raw text stating them
as evidence (the raw line naming the outlet; the shortest part of the raw line stating the date).
``--outlet``/``--date`` must agree with what the text states, or be stated in it when the cleaner
reads nothing (the build checks the cleaner's reading against the record).

**Refusals**, each one line naming the file (and the existing document it clashes with): bytes that
are not UTF-8 (or empty, a BOM, UTF-16, NUL bytes), a text that cleaning empties, the same raw bytes
or the same clean text as a document already there (:class:`DuplicateError`), a near-duplicate of
one (:class:`NearDuplicateError`, see :mod:`coopnum.corpus.duplicates`; ``allow_near_duplicate``),
a text that is not French (:class:`LanguageError`, see :mod:`coopnum.corpus.language`), an id
already taken by other bytes (:class:`IdCollisionError`). Files given together are checked against
each other too.

**All or nothing.** Every file is checked before anything is written; then a copy of ``corpus/``
(existing files hard-linked, never rewritten) with the new files and the longer ``sources.jsonl``
is swapped in at once (:mod:`coopnum.util.swap`): a failure leaves ``corpus/`` as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from coopnum.corpus import duplicates, language, recurring, sources
from coopnum.corpus.clean import clean_document, clean_source_file
from coopnum.corpus.dates import parse_date
from coopnum.corpus.document import CleanDocument
from coopnum.corpus.sources import Source
from coopnum.errors import CoopnumError, CorpusError
from coopnum.util import swap
from coopnum.util.hashing import sha256_bytes

ID_SALT = b"coopnum-doc-v1:"
DEFAULT_RIGHTS = "third-party-copyright"
SUFFIX = ".txt"  # what a folder given to `add` contributes: its *.txt files, at any depth

# progress(what, done, total): called as each step of the work advances (the CLI draws a bar)
Progress = Callable[[str, int, int], None]


class DuplicateError(CorpusError):
    """The same raw bytes or the same clean text as a document already in the corpus."""


class NearDuplicateError(CorpusError):
    """Clean text too similar (MinHash Jaccard estimate) to a document already in the corpus."""


class LanguageError(CorpusError):
    """The clean text is not French."""


class IdCollisionError(CorpusError):
    """The document id the bytes give is already another document's."""


def doc_id_for(data: bytes) -> str:
    """The document id of a raw file's bytes (see the module docstring)."""
    return hashlib.sha256(ID_SALT + data).hexdigest()[:16]


@dataclass(frozen=True)
class Known:
    """A document already in (or accepted into) the corpus, as the checks see it."""

    doc_id: str
    raw_sha256: str
    text_sha256: str
    where: str  # how a refusal names it: the corpus file, or the new file it came from


@dataclass(frozen=True)
class Accepted:
    """A checked new file: its bytes, and its record (``file`` filled in when it is written)."""

    origin: Path
    data: bytes
    source: Source


@dataclass(frozen=True)
class Options:
    outlet: str | None = None
    date: str | None = None
    url: str | None = None
    rights: str = DEFAULT_RIGHTS
    allow_near_duplicate: bool = False


class Checker:
    """The corpus as the checks see it; :meth:`accept` checks one new file and adds it."""

    def __init__(self) -> None:
        self.known: list[Known] = []
        self.index = duplicates.NearDuplicateIndex()
        self._by_raw: dict[str, Known] = {}
        self._by_text: dict[str, Known] = {}
        self._by_id: dict[str, Known] = {}

    def remember(self, known: Known, clean: CleanDocument) -> None:
        self.known.append(known)
        self._by_raw.setdefault(known.raw_sha256, known)
        self._by_text.setdefault(known.text_sha256, known)
        self._by_id[known.doc_id] = known
        self.index.insert(known.doc_id, duplicates.signature(clean.text))

    def accept(self, path: Path, options: Options) -> Accepted:
        data = _read_new(path)
        text = sources.decode_raw(data, str(path))
        raw_sha, doc_id = sha256_bytes(data), doc_id_for(data)
        if raw_sha in self._by_raw:
            raise _clash(DuplicateError, "the same raw bytes as", self._by_raw[raw_sha], path, "raw_sha256")
        if doc_id in self._by_id:
            raise _clash(IdCollisionError, f"document id {doc_id} is already that of", self._by_id[doc_id], path)
        clean = _clean(text, doc_id, path)
        if clean.text_sha256 in self._by_text:
            raise _clash(DuplicateError, "the same clean text as", self._by_text[clean.text_sha256], path, "text")
        self._check_language(clean, path)
        if not options.allow_near_duplicate:
            self._check_near(clean, path)
        source = _record(doc_id, raw_sha, text, clean, options, path)
        self.remember(Known(doc_id, raw_sha, clean.text_sha256, str(path)), clean)
        return Accepted(path, data, source)

    def _check_language(self, clean: CleanDocument, path: Path) -> None:
        found = language.detect(clean.text)
        if not found.french:
            raise LanguageError(
                f"the text is not French: it reads as {found.language or 'no language lingua can tell'} "
                f"(French confidence {found.french_confidence:.2f})",
                file=str(path),
                field="language",
            )

    def _check_near(self, clean: CleanDocument, path: Path) -> None:
        match = self.index.closest(duplicates.signature(clean.text))
        if match is not None:
            other = self._by_id[match.doc_id]
            raise NearDuplicateError(
                f"a near-duplicate of document {other.doc_id} ({other.where}): estimated Jaccard "
                f"{match.jaccard:.2f} of {duplicates.SHINGLE_WORDS}-word shingles >= {self.index.threshold}; "
                "--allow-near-duplicate adds it anyway",
                file=str(path),
                field="text",
            )


def _clash(kind: type[CorpusError], what: str, other: Known, path: Path, field: str = "doc_id") -> CorpusError:
    return kind(f"{what} document {other.doc_id} ({other.where})", file=str(path), field=field)


def _read_new(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise CorpusError(f"cannot read the file: {e.strerror}", file=str(path)) from None


def _clean(text: str, doc_id: str, path: Path) -> CleanDocument:
    try:
        return clean_document(text, doc_id)
    except CoopnumError as e:
        e.file = str(path)
        raise


# ------------------------------------------------------------------ the record


def _record(doc_id: str, raw_sha: str, raw: str, clean: CleanDocument, options: Options, path: Path) -> Source:
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


# ------------------------------------------------------------------ the whole addition


def files_to_add(paths: Sequence[Path]) -> list[Path]:
    """The files named, and the ``*.txt`` files under the folders named (sorted), each once."""
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            inside = sorted(f for f in p.rglob(f"*{SUFFIX}") if f.is_file() and not f.name.startswith("."))
            if not inside:
                raise CorpusError(f"the folder holds no {SUFFIX} file to add", file=str(p))
            found += inside
        elif p.is_file():
            found.append(p)
        else:
            raise CorpusError("no such file or folder", file=str(p))
    unique = list(dict.fromkeys(f.resolve() for f in found))
    if not unique:
        raise CorpusError("nothing to add: no file given")
    return unique


def _existing(corpus_dir: Path, checker: Checker, progress: Progress | None) -> list[Source]:
    if not (corpus_dir / "sources.jsonl").exists():
        return []
    listed = sources.list_corpus(corpus_dir)
    # the existing documents' texts as the build cleans them (with the corpus's recurring lines); a new
    # file is cleaned on its own, so its exact-text check is against the build's texts and MinHash
    # (near-duplicates) covers a line the corpus evidence would remove
    evidence = recurring.of_corpus(corpus_dir, listed)
    for i, s in enumerate(listed, start=1):
        where = str(corpus_dir / "raw" / s.file)
        clean = clean_source_file(corpus_dir, s, evidence)
        checker.remember(Known(s.doc_id, s.raw_sha256, clean.text_sha256, where), clean)
        if progress:
            progress("reading the corpus", i, len(listed))
    return listed


def check_new(
    corpus_dir: Path, paths: Sequence[Path], options: Options, progress: Progress | None = None
) -> tuple[list[Source], list[Accepted]]:
    """The existing records and every new file, checked and numbered; raises on the first refusal."""
    checker = Checker()
    existing = _existing(corpus_dir, checker, progress)
    files = files_to_add(paths)
    accepted = []
    for i, path in enumerate(files, start=1):
        accepted.append(checker.accept(path, options))
        if progress:
            progress("checking new files", i, len(files))
    first = max((int(s.file.split("_", 1)[0]) for s in existing), default=-1) + 1
    numbered = [
        replace(a, source=replace(a.source, file=f"{first + i:03d}_{a.source.doc_id}{SUFFIX}"))
        for i, a in enumerate(accepted)
    ]
    return existing, numbered


def add_articles(
    root: Path, paths: Sequence[Path], options: Options = Options(), progress: Progress | None = None
) -> list[Source]:
    """Add the raw files (and the ``*.txt`` under the folders) in ``paths`` to ``root/corpus``; all or
    nothing (see the module docstring). Returns the new records, in the order written."""
    corpus_dir = root / "corpus"
    existing, accepted = check_new(corpus_dir, paths, options, progress)
    _write(corpus_dir, existing, accepted, root, progress)
    return [a.source for a in accepted]


@dataclass(frozen=True)
class Carried:
    """The owner of ``corpus/`` for :mod:`coopnum.util.swap`: every file there is carried into the new
    folder, so replacing it loses none."""

    command: str = "add"

    def written(self, folder: Path) -> set[str] | None:
        return set(swap.files_in(folder))


def _link_or_copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)  # raw files are never rewritten, so sharing their inode is safe
    except OSError:
        shutil.copy2(src, dst)


def _write(
    corpus_dir: Path, existing: list[Source], accepted: list[Accepted], root: Path, progress: Progress | None
) -> None:
    stage = swap.staging(corpus_dir, Carried(), root=root)
    try:
        carried = swap.files_in(corpus_dir) if corpus_dir.is_dir() else []
        for rel in carried:
            if rel != "sources.jsonl":
                _link_or_copy(corpus_dir / rel, stage / rel)
        (stage / "raw").mkdir(exist_ok=True)
        for i, a in enumerate(accepted, start=1):
            (stage / "raw" / a.source.file).write_bytes(a.data)
            if progress:
                progress("writing", i, len(accepted))
        old = (corpus_dir / "sources.jsonl").read_bytes() if existing else b""
        if old and not old.endswith(b"\n"):
            old += b"\n"
        new = "".join(json.dumps(a.source.to_json(), ensure_ascii=False) + "\n" for a in accepted)
        (stage / "sources.jsonl").write_bytes(old + new.encode("utf-8"))
        sources.read_corpus(stage)  # what was written reads back as a corpus
        swap.swap_in(stage, corpus_dir)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
