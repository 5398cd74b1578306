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

**The corpus after the addition.** The build cleans every document with the recurring lines of the
whole corpus (:mod:`coopnum.corpus.recurring`), new files included; so each new record is read from
its file cleaned with that evidence (repeated until no record moves: the outlet groups the
evidence), and the existing documents whose clean text the new files change (a line of theirs now
recurs) are named (:class:`Addition`); an addition that would change the outlet or date the cleaner
reads in an existing document is refused (its record would disagree with the build's reading).

**Work.** The existing documents are cleaned over worker processes
(:func:`coopnum.util.executor.parallel_map`, results in order). A new file's own work (decoding,
cleaning, the language, the MinHash signature: :class:`Prepared`) is one step, then its checks against
the corpus and the files before it, in order. That step runs in this process: over worker processes
each worker loads lingua's models again (``benchmarks/add.py``: peak memory 149 → 1,016 MiB for 1,000
files, and no faster on two shared cores).

**All or nothing.** Every file is checked before anything is written; then a copy of ``corpus/``
(existing files hard-linked, never rewritten) with the new files and the longer ``sources.jsonl``
is swapped in at once (:mod:`coopnum.util.swap`): a failure leaves ``corpus/`` as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from coopnum.corpus import duplicates, language, records, recurring, sources
from coopnum.corpus.clean import clean_document, clean_source_file
from coopnum.corpus.document import CleanDocument
from coopnum.corpus.records import Options  # the options of `coopnum add`: intake.Options
from coopnum.corpus.sources import Source
from coopnum.errors import CoopnumError, CorpusError
from coopnum.util import swap
from coopnum.util.executor import default_processes, parallel_map
from coopnum.util.hashing import sha256_bytes

ID_SALT = b"coopnum-doc-v1:"
SUFFIX = ".txt"  # what a folder given to `add` contributes: its *.txt files, at any depth
CHUNK_DOCUMENTS = 64  # existing documents per task of a worker process

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


class Checker:
    """The corpus as the checks see it; :meth:`accept` checks one new file and adds it."""

    def __init__(self) -> None:
        self.known: list[Known] = []
        self.index = duplicates.NearDuplicateIndex()
        self._by_raw: dict[str, Known] = {}
        self._by_text: dict[str, Known] = {}
        self._by_id: dict[str, Known] = {}

    def remember(self, known: Known, signature: duplicates.MinHash) -> None:
        self.known.append(known)
        self._by_raw.setdefault(known.raw_sha256, known)
        self._by_text.setdefault(known.text_sha256, known)
        self._by_id[known.doc_id] = known
        self.index.insert(known.doc_id, signature)

    def accept(self, new: Prepared, options: Options) -> Accepted:
        """Check one new file against the corpus and the files before it, in the order the checks
        have always run (its own work, :class:`Prepared`, is done already), and add it."""
        path = new.path
        if new.unread is not None:
            raise new.unread
        raw_sha, doc_id = sha256_bytes(new.data), doc_id_for(new.data)
        if raw_sha in self._by_raw:
            raise _clash(DuplicateError, "the same raw bytes as", self._by_raw[raw_sha], path, "raw_sha256")
        if doc_id in self._by_id:
            raise _clash(IdCollisionError, f"document id {doc_id} is already that of", self._by_id[doc_id], path)
        if new.unclean is not None:
            raise new.unclean
        clean = new.clean
        assert clean is not None and new.detected is not None  # (Prepared holds them when it holds no refusal)
        if clean.text_sha256 in self._by_text:
            raise _clash(DuplicateError, "the same clean text as", self._by_text[clean.text_sha256], path, "text")
        self._check_language(new.detected, path)
        if not options.allow_near_duplicate:
            self._check_near(new.signature, path)
        source = records.record(doc_id, raw_sha, new.text, clean, options, path)
        self.remember(Known(doc_id, raw_sha, clean.text_sha256, str(path)), new.signature)
        return Accepted(path, new.data, source)

    def _check_language(self, found: language.Detected, path: Path) -> None:
        if not found.french:
            raise LanguageError(
                f"the text is not French: it reads as {found.language or 'no language lingua can tell'} "
                f"(French confidence {found.french_confidence:.2f})",
                file=str(path),
                field="language",
            )

    def _check_near(self, signature: duplicates.MinHash, path: Path) -> None:
        match = self.index.closest(signature)
        if match is not None:
            other = self._by_id[match.doc_id]
            raise NearDuplicateError(
                f"a near-duplicate of document {other.doc_id} ({other.where}): estimated Jaccard "
                f"{match.jaccard:.2f} of {duplicates.SHINGLE_WORDS}-word shingles >= {self.index.threshold}; "
                "--allow-near-duplicate adds it anyway",
                file=str(path),
                field="text",
            )


@dataclass(frozen=True)
class Prepared:
    """One new file's own work, which needs no other file: its bytes and text, its clean text, language
    and MinHash signature; or the refusal it met reading (``unread``) or cleaning (``unclean``), which
    :meth:`Checker.accept` raises in its turn, so the first refusal is the one it always was."""

    path: Path
    data: bytes = b""
    text: str = ""
    clean: CleanDocument | None = None
    detected: language.Detected | None = None
    signature: duplicates.MinHash | None = None
    unread: CoopnumError | None = None
    unclean: CoopnumError | None = None


@dataclass(frozen=True)
class _PrepareStep:
    """:class:`Prepared` for one file: the work that needs no other file."""

    def __call__(self, path: Path) -> Prepared:
        try:
            data = _read_new(path)
            text = sources.decode_raw(data, str(path))
        except CoopnumError as e:
            return Prepared(path, unread=e)
        try:
            clean = _clean(text, doc_id_for(data), path)
        except CoopnumError as e:
            return Prepared(path, data, text, unclean=e)
        return Prepared(path, data, text, clean, language.detect(clean.text), duplicates.signature(clean.text))


@dataclass(frozen=True)
class _ExistingStep:
    """The existing documents of a chunk as the checks know them: cleaned as the build cleans them."""

    corpus_dir: Path
    evidence: recurring.LineEvidence

    def __call__(self, chunk: Sequence[Source]) -> list[tuple[Known, duplicates.MinHash]]:
        out = []
        for s in chunk:
            clean = clean_source_file(self.corpus_dir, s, self.evidence)
            known = Known(s.doc_id, s.raw_sha256, clean.text_sha256, str(self.corpus_dir / "raw" / s.file))
            out.append((known, duplicates.signature(clean.text)))
        return out


def _clash(kind: type[CorpusError], what: str, other: Known, path: Path, field: str = "doc_id") -> CorpusError:
    return kind(f"{what} document {other.doc_id} ({other.where})", file=str(path), field=field)


def _read_new(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise CorpusError(f"cannot read the file: {e.strerror}", file=str(path)) from None


def _clean(text: str, doc_id: str, path: Path, evidence: recurring.RecurringLines | None = None) -> CleanDocument:
    try:
        return clean_document(text, doc_id, evidence)
    except CoopnumError as e:
        e.file = str(path)
        raise


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


def _existing(corpus_dir: Path, checker: Checker, progress: Progress | None) -> tuple[list[Source], CorpusLines]:
    """The existing records, and their documents' line hashes and recurring-line evidence."""
    if not (corpus_dir / "sources.jsonl").exists():
        return [], CorpusLines([], recurring.LineEvidence())
    listed = sources.list_corpus(corpus_dir)
    # the existing documents' texts as the build cleans them (with the corpus's recurring lines)
    hashes = recurring.hashes_of(corpus_dir, listed)
    evidence = recurring.evidence_of(hashes)
    chunks = [listed[i : i + CHUNK_DOCUMENTS] for i in range(0, len(listed), CHUNK_DOCUMENTS)]
    done = 0
    for known in parallel_map(_ExistingStep(corpus_dir, evidence), chunks, default_processes()):
        for k, signature in known:
            checker.remember(k, signature)
        done += len(known)
        if progress:
            progress("reading the corpus", done, len(listed))
    return listed, CorpusLines(hashes, evidence)


# ------------------------------------------------------------------ the corpus after the addition

LineHashes = tuple[np.ndarray, np.ndarray]  # recurring.document_hashes of one document


@dataclass(frozen=True)
class CorpusLines:
    """The existing documents' line hashes (in id order) and the recurring-line evidence they give
    (``before``); with the new files, the evidence the build will clean with (``after``)."""

    hashes: list[LineHashes]
    before: recurring.LineEvidence
    after: recurring.LineEvidence | None = None


SETTLE_ROUNDS = 3  # a record's outlet decides the evidence its text is cleaned with, which may move it


def _settled(
    existing_hashes: list[LineHashes], accepted: list[Accepted], options: Options
) -> tuple[list[Accepted], recurring.LineEvidence]:
    """The new records as the build will read them: each new file cleaned with the recurring-line
    evidence of the corpus *after* the addition (its own lines and those of the files added with it
    counted), which can remove a line a lone cleaning took for the title or kept as a date. The
    outlet groups the evidence and the evidence can change what the text gives as its outlet, so
    this repeats until no record moves; one that still moves is refused (``--outlet`` settles it).
    Returns the settled records and the evidence of the corpus with them."""
    texts = [sources.decode_raw(a.data, str(a.origin)) for a in accepted]
    current = [a.source for a in accepted]
    for _ in range(SETTLE_ROUNDS):
        new_hashes = [recurring.document_hashes(recurring.outlet_of(r), t) for r, t in zip(current, texts, strict=True)]
        evidence = recurring.evidence_of([*existing_hashes, *new_hashes])
        moved = []
        for a, text, record in zip(accepted, texts, current, strict=True):
            clean = _clean(text, record.doc_id, a.origin, evidence.view(record))
            moved.append(records.record(record.doc_id, record.raw_sha256, text, clean, options, a.origin))
        if moved == current:
            return [replace(a, source=r) for a, r in zip(accepted, current, strict=True)], evidence
        current = moved
    unsettled = next(a.origin for a, r in zip(accepted, current, strict=True) if a.source.outlet != r.outlet)
    raise CorpusError(
        "the outlet read in the text changes with the lines that recur in the corpus; give it with --outlet",
        file=str(unsettled),
        field="outlet",
    )


def recleaned_existing(lines: CorpusLines, corpus_dir: Path, existing: list[Source]) -> list[str]:
    """The existing documents whose clean text the addition changes (a line of theirs now recurs in
    their outlet or across outlets; only those holding a line newly over a threshold are cleaned
    again). Refuses the addition when it would change the outlet or date the cleaner reads in one of
    them (its record would then disagree with the build's reading: the build refuses that)."""
    before, after = lines.before, lines.after
    assert after is not None, "the evidence after the addition (check_new) comes first"
    grown_grouped = np.array(sorted(set(after.outlet_documents) - set(before.outlet_documents)), dtype=np.uint64)
    grown_plain = np.array(sorted(set(after.corpus_outlets) - set(before.corpus_outlets)), dtype=np.uint64)
    changed = []
    ordered = sorted(existing, key=lambda s: s.doc_id)  # recurring.hashes_of's order
    for source, (grouped, plain) in zip(ordered, lines.hashes, strict=True):
        if not (np.isin(grouped, grown_grouped).any() or np.isin(plain, grown_plain).any()):
            continue
        old, new = clean_source_file(corpus_dir, source, before), clean_source_file(corpus_dir, source, after)
        for name in ("outlet", "date"):
            read, stated = getattr(new, name), getattr(source, name)
            if read is not None and read != stated:
                raise CorpusError(
                    f"adding these files makes lines of document {source.doc_id} recur, and the cleaner would then "
                    f"read {name} {read!r} in it where its record says {stated!r}: nothing was added",
                    file=str(corpus_dir / "sources.jsonl"),
                    doc_id=source.doc_id,
                    field=name,
                )
        if old.text != new.text:
            changed.append(source.doc_id)
    return changed


def check_new(
    corpus_dir: Path, paths: Sequence[Path], options: Options, progress: Progress | None = None
) -> tuple[list[Source], list[Accepted], CorpusLines]:
    """The existing records, every new file checked and numbered (raises on the first refusal), and
    the corpus's lines before and after the addition."""
    checker = Checker()
    existing, lines = _existing(corpus_dir, checker, progress)
    files = files_to_add(paths)
    accepted = []
    # each file's own work, then its checks against the others, one file at a time (see "Work")
    for i, new in enumerate(map(_PrepareStep(), files), start=1):
        accepted.append(checker.accept(new, options))
        if progress:
            progress("checking new files", i, len(files))
    accepted, after = _settled(lines.hashes, accepted, options)
    first = max((int(s.file.split("_", 1)[0]) for s in existing), default=-1) + 1
    numbered = [
        replace(a, source=replace(a.source, file=f"{first + i:03d}_{a.source.doc_id}{SUFFIX}"))
        for i, a in enumerate(accepted)
    ]
    return existing, numbered, replace(lines, after=after)


@dataclass(frozen=True)
class Addition:
    """What ``coopnum add`` did: the new records, in the order written, and the existing documents
    whose clean text changed with them (a line of theirs now recurs: their annotations, if any, are
    stale until annotated again; ``coopnum status`` lists them)."""

    added: list[Source]
    recleaned: list[str]


def add(
    root: Path, paths: Sequence[Path], options: Options | None = None, progress: Progress | None = None
) -> Addition:
    """Add the raw files (and the ``*.txt`` under the folders) in ``paths`` to ``root/corpus``; all or
    nothing (see the module docstring)."""
    corpus_dir = root / "corpus"
    existing, accepted, lines = check_new(corpus_dir, paths, options or Options(), progress)
    recleaned = recleaned_existing(lines, corpus_dir, existing)
    _write(corpus_dir, existing, accepted, root, progress)
    return Addition([a.source for a in accepted], recleaned)


def add_articles(
    root: Path, paths: Sequence[Path], options: Options | None = None, progress: Progress | None = None
) -> list[Source]:
    """:func:`add`'s new records, in the order written."""
    return add(root, paths, options, progress).added


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
