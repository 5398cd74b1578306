"""The per-document cache of ``build`` and ``validate``: each document's results, content-addressed.

A document's results (its rows in every config, card figures, agreement counts, surface forms,
findings, what the variation pass needs of it, its gold digest: a :class:`DocumentPart`) depend
only on what :func:`DocumentKeys.of` hashes into its key: its raw file's bytes, its sources record
and fold, its annotation file's bytes (or their absence), the adjudication reasons about it, and
a context shared by every document (:func:`context_digest`: the code, Python and library versions,
whether the corpus is annotated, ``annotators.json``). One more input cannot be hashed up front:
the corpus's recurring-line evidence (:mod:`coopnum.corpus.recurring`), a corpus-level table the
cleaner consults line by line. So the cleaning runs against an :class:`~coopnum.dataset.evidence.EvidenceRecorder`, the entry
keeps every lookup with its answer, and an entry is reused only when the current evidence gives
the same answers to all of them (:func:`~coopnum.dataset.evidence.evidence_holds`): the cleaning is deterministic, so the
same answers give the same decisions — the evidence a document's lines can touch, no more.

Entries live in ``.coopnum-cache/`` at the repository root (git-ignored), one file per key under
``entries/``. A file is written beside them under ``tmp/`` and renamed into place
(``os.replace``): a reader sees a whole entry or none, two builds writing the same key write the
same bytes, and a kill leaves at most a temporary file (removed by :meth:`EntryStore.evict` once
it is an hour old). Each entry starts with a format line and the sha256 of its body; one that
does not check (torn by a crash of the machine, edited, of another version) is ignored and
recomputed. The store is bounded (:data:`DEFAULT_LIMIT_BYTES`, or ``COOPNUM_CACHE_BYTES``):
after a run the least recently used entries (a hit refreshes an entry's mtime) are removed until
the entries fit. Entries are pickles: the folder is trusted like the checkout itself (whoever
can write it can write the code); ``--no-cache`` bypasses it, and deleting it is always safe.

:class:`StatCache` is the same idea for hashing the inputs (as git's index): a file whose
(device, inode, size, mtime, ctime) are those recorded gets the recorded sha256 without being
read. A file changed less than :data:`SETTLED_NS` before it was hashed is never recorded, so a
later write, which always moves its ctime on, can never leave a matching record behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import secrets
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from coopnum.annotation import format as ann
from coopnum.annotation import provenance as provenance_mod
from coopnum.corpus import sources as corpus
from coopnum.quality import agreement
from coopnum.quality.findings import Finding
from coopnum.util.digests import FileTable

if TYPE_CHECKING:
    from coopnum.dataset.registry import Rows

CACHE_DIR = ".coopnum-cache"
FORMAT = b"coopnum-cache 1\n"
DEFAULT_LIMIT_BYTES = 4 << 30  # ≈ 25 KB per document (lz4): about 150,000 documents' entries
LIMIT_VARIABLE = "COOPNUM_CACHE_BYTES"
STALE_TMP_SECONDS = 3600  # a temporary file this old is a writer's that was killed
SETTLED_NS = 2_000_000_000  # a file written more recently than this is hashed, never recorded


def digest(*parts: str | bytes) -> str:
    """The sha256 of ``parts``, each length-prefixed (no two lists of parts give the same bytes)."""
    h = hashlib.sha256()
    for p in parts:
        b = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def default_limit() -> int:
    value = os.environ.get(LIMIT_VARIABLE)
    return int(value) if value and value.isdigit() else DEFAULT_LIMIT_BYTES


def _own_ignore_file(folder: Path) -> None:
    """A ``.gitignore`` of ``*`` inside the cache (as pytest's cache does), so no checkout shows it as
    untracked, whatever its own ignore rules (``coopnum release`` refuses an unclean tree)."""
    ignore = folder / ".gitignore"
    if not ignore.exists():
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".gitignore.{os.getpid()}.{secrets.token_hex(4)}"
        tmp.write_text("# coopnum's build cache (coopnum.dataset.cache): never committed\n*\n", encoding="utf-8")
        os.replace(tmp, ignore)


class EntryStore:
    """Content-addressed files: ``get``/``put`` bytes by key, atomically, bounded by :meth:`evict`."""

    def __init__(self, folder: Path, limit_bytes: int | None = None) -> None:
        self.folder = folder
        self.limit_bytes = default_limit() if limit_bytes is None else limit_bytes

    def _path(self, key: str) -> Path:
        return self.folder / "entries" / key[:2] / key[2:]

    @staticmethod
    def key_of(path: Path) -> str:
        """The key of an entry's file (the inverse of where :meth:`put` writes it)."""
        return path.parent.name + path.name

    def has(self, key: str) -> bool:
        return self._path(key).is_file()

    def get(self, key: str) -> bytes | None:
        """The body stored under ``key``, or None (absent, torn or of another format)."""
        found = self._checked(key)
        return None if found is None else found[0]

    def _checked(self, key: str) -> tuple[bytes, bytes] | None:
        """(body, its sha256) of the entry under ``key``, checked; None when absent, torn or of another format."""
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        head = len(FORMAT) + 32
        body, digest = data[head:], data[len(FORMAT) : head]
        if not data.startswith(FORMAT) or hashlib.sha256(body).digest() != digest:
            return None
        with contextlib.suppress(OSError):  # least recently used goes first; evicted meanwhile: no matter
            os.utime(path)
        return body, digest

    def copy_to(self, key: str, target: Path) -> str | None:
        """Write the body under ``key`` to the file ``target``; its sha256 (hex), or None when there is none."""
        found = self._checked(key)
        if found is None:
            return None
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(found[0])
        return found[1].hex()

    def put_file(self, key: str, source: Path) -> str | None:
        """Store the bytes of the file ``source`` under ``key``; their sha256 (hex), None when unreadable."""
        try:
            body = source.read_bytes()
        except OSError:
            return None
        digest = hashlib.sha256(body).digest()
        self.put(key, body, digest)
        return digest.hex()

    def put(self, key: str, body: bytes, digest: bytes | None = None) -> None:
        """Store ``body`` under ``key``: written to a temporary file, then renamed into place; ``digest``: its
        sha256, when the caller has it."""
        path = self._path(key)
        tmp_dir = self.folder / "tmp"
        try:
            _own_ignore_file(self.folder)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp_dir.mkdir(parents=True, exist_ok=True)
            tmp = tmp_dir / f"{key}.{os.getpid()}.{secrets.token_hex(4)}"
            with tmp.open("wb") as f:
                f.write(FORMAT + (digest or hashlib.sha256(body).digest()) + body)
            os.replace(tmp, path)
        except OSError:  # a cache that cannot be written (full disk, read-only) only costs time
            with contextlib.suppress(OSError, UnboundLocalError):
                tmp.unlink()

    def evict(self) -> int:
        """Remove least recently used entries until the rest fit the limit, and stale temporary
        files; the number of entries removed."""
        now = time.time()
        for tmp in _scan(self.folder / "tmp"):
            if now - tmp.stat().st_mtime > STALE_TMP_SECONDS:
                with contextlib.suppress(OSError):
                    os.unlink(tmp.path)
        entries = []
        for sub in _scan(self.folder / "entries"):
            for e in _scan(Path(sub.path)):
                with contextlib.suppress(OSError):
                    st = e.stat()
                    entries.append((st.st_mtime_ns, e.path, st.st_size))
        total = sum(size for _, _, size in entries)
        removed = 0
        for _, path, size in sorted(entries):
            if total <= self.limit_bytes:
                break
            with contextlib.suppress(OSError):
                os.unlink(path)
                removed += 1
            total -= size
        return removed


def _scan(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as it:
            return list(it)
    except OSError:
        return []


def store_for(root: Path, enabled: bool = True) -> EntryStore | None:
    """The repository's cache (``root/.coopnum-cache``), or None when bypassed (``--no-cache``)."""
    return EntryStore(root / CACHE_DIR) if enabled else None


# ------------------------------------------------------------------ hashing the inputs


class StatCache:
    """sha256 of files, reusing the one recorded for a file whose identity and times are unchanged."""

    FILE = "stat.pickle"

    def __init__(self, folder: Path) -> None:
        self.path = folder / self.FILE
        self.settled_ns = SETTLED_NS
        try:
            loaded = pickle.loads(self.path.read_bytes())
            self.known: dict[tuple[int, ...], str] = loaded if isinstance(loaded, dict) else {}
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
            self.known = {}
        self.dirty = False

    def sha256(self, path: str | Path, st: os.stat_result) -> str:
        """``path``'s sha256 (``st``: its stat); a string path is made a ``Path`` only when the file is
        read: a rebuild asks for every input twice and nearly all are recorded."""
        from coopnum.util.hashing import sha256_file

        ident = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        known = self.known.get(ident)
        if known is not None:
            return known
        started = time.time_ns()
        value = sha256_file(Path(path))
        if started - max(st.st_mtime_ns, st.st_ctime_ns) > self.settled_ns:
            self.known[ident] = value
            self.dirty = True
        return value

    def save(self) -> None:
        """Write the records (atomically); concurrent writers each leave a set of true records."""
        if not self.dirty:
            return
        tmp = self.path.with_name(f"{self.FILE}.{os.getpid()}.{secrets.token_hex(4)}")
        try:
            _own_ignore_file(self.path.parent)
            tmp.write_bytes(pickle.dumps(self.known, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, self.path)
            self.dirty = False
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()


# ------------------------------------------------------------------ the key of a document


def context_digest(input_hashes: Mapping[str, str], versions: Mapping[str, str], *, annotated: bool) -> str:
    """What shapes every document's results alike: the code, Python and libraries, whether the
    corpus is annotated (which configs exist), and ``annotators.json`` (the provenance checks)."""
    code = sorted((k, v) for k, v in input_hashes.items() if k.startswith("code/"))
    provenance = input_hashes.get(f"annotations/{provenance_mod.FILE}", "absent")
    return digest(
        FORMAT, sys.version, json.dumps(code), json.dumps(dict(versions), sort_keys=True), str(annotated), provenance
    )


@dataclass(frozen=True)
class DocumentKeys:
    """The cache key of each document (None: an input that could not be hashed, so no caching)."""

    context: str
    input_hashes: Mapping[str, str]  # of the inputs that are regular files (the readers refuse links, FIFOs)
    annotation_ids: frozenset[str]
    reasons: Mapping[str, str]  # doc id -> digest of the adjudication reasons about it
    memo: dict[str, str | None] = field(default_factory=dict)  # doc id -> key, once worked out

    def of(self, source: corpus.Source, fold: int) -> str | None:
        known = self.memo.get(source.doc_id, "")
        if known != "":  # the same source and fold within one run: a run has one record per document
            return known
        key = self._key(source, fold)
        self.memo[source.doc_id] = key
        return key

    def prime(self, documents: Iterable[tuple[corpus.Source, int]]) -> None:
        """Work out the key of every document at once (:meth:`of` then only looks it up): with the input
        snapshot's table (:class:`~coopnum.util.digests.RegularFiles`), the raw and annotation files' rows are
        found in one pass over each folder's rows, not by a binary search per file."""
        table = getattr(self.input_hashes, "table", None)
        if not isinstance(table, FileTable):
            return
        raw_rows = table.prefix_rows("corpus/raw/")
        annotation_rows = table.prefix_rows(f"annotations/{ann.SUBDIR}/")
        for source, fold in documents:
            if source.doc_id in self.memo:
                continue
            row = raw_rows.get(source.file)
            annotation: str | None = "not annotated"
            if source.doc_id in self.annotation_ids:
                found = annotation_rows.get(f"{source.doc_id}.json")
                annotation = None if found is None else table.digest(found)
            raw = None if row is None else table.digest(row)
            self.memo[source.doc_id] = self._digest(source, fold, raw, annotation)

    def _key(self, source: corpus.Source, fold: int) -> str | None:
        raw = self.input_hashes.get(f"corpus/raw/{source.file}")
        annotation: str | None = "not annotated"
        if source.doc_id in self.annotation_ids:
            annotation = self.input_hashes.get(f"annotations/{ann.SUBDIR}/{source.doc_id}.json")
        return self._digest(source, fold, raw, annotation)

    def _digest(self, source: corpus.Source, fold: int, raw: str | None, annotation: str | None) -> str | None:
        if raw is None or annotation is None:
            return None
        record = repr(source)  # every field, by name (a frozen dataclass of strings and None)
        return digest(self.context, record, str(fold), raw, annotation, self.reasons.get(source.doc_id, ""))

    def lines_of(self, source: corpus.Source, group: str) -> str | None:
        """The key of a raw file's line hashes (the recurring-line pass)."""
        raw = self.input_hashes.get(f"corpus/raw/{source.file}")
        return None if raw is None else digest(self.context, "lines", group, repr(source), raw)


def reasons_by_document(reasons: Mapping[tuple[str, str, str], Any]) -> dict[str, str]:
    """A digest of each document's adjudication reasons (the checks look reasons up by document)."""
    by_doc: dict[str, list[str]] = {}
    for key in sorted(reasons):
        by_doc.setdefault(key[0], []).append(repr((key, reasons[key])))
    return {doc_id: digest(*items) for doc_id, items in by_doc.items()}


# ------------------------------------------------------------------ the value of a document


@dataclass(frozen=True)
class ChunkEntry:
    """A whole chunk's result (a ``ChunkResult``) but its tables, with the lookups of all its documents; the
    tables are an entry of their own (:mod:`coopnum.dataset.chunk_tables`), ``tables`` says where their rows fall."""

    result: Any
    lookups: tuple[tuple[int, int, int | None], ...]
    evidence: str
    tables: dict[tuple[str, str], tuple[int, str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class ChunkHead:
    """A chunk entry's lookups and evidence digest alone, under :func:`head_key` of its key: a few KB
    that say whether the entry (MBs of Arrow tables) will serve, read before anything is mapped. Stored as
    the digest, then the lookups packed (:func:`dumps`), unpacked only when asked for: when the evidence is
    the one the entry was made with, the lookups need not be checked (nor read)."""

    evidence: str
    packed: bytes  # the lookups, as dumps gives them

    @classmethod
    def of(cls, lookups: tuple[tuple[int, int, int | None], ...], evidence: str) -> ChunkHead:
        return cls(evidence, dumps(lookups))

    @classmethod
    def read(cls, body: bytes | None) -> ChunkHead | None:
        """The head stored in ``body`` (:meth:`body`), or None."""
        if body is None or not body or len(body) < 1 + body[0]:
            return None
        try:
            evidence = body[1 : 1 + body[0]].decode("ascii")
        except UnicodeDecodeError:
            return None
        return cls(evidence, body[1 + body[0] :])

    def body(self) -> bytes:
        evidence = self.evidence.encode("ascii")
        return bytes([len(evidence)]) + evidence + self.packed

    @property
    def lookups(self) -> tuple[tuple[int, int, int | None], ...] | None:
        """The lookups (None when they cannot be read back: then the head never holds)."""
        value = load_value(self.packed)
        return value if isinstance(value, tuple) else None


def head_key(chunk_key: str) -> str:
    return digest("chunk head", chunk_key)


@dataclass
class DocumentPart:
    """One document's share of a :class:`~coopnum.dataset.pipeline.ChunkResult`."""

    doc_id: str
    split: str
    findings: list[Finding]
    errored: bool  # a finding of severity error: the build stops at it
    lookups: tuple[tuple[int, int, int | None], ...] | None = None  # the evidence it was cleaned with
    evidence: str = ""  # the evidence_digest of the corpus's evidence then
    rows_pickle: bytes | None = None  # config -> rows, pickled (validation never reads them); None: not made
    tally: Counter[tuple[str, ...]] = field(default_factory=Counter)
    counted: bool = False  # current annotations, at most one gold: in the corpus-level counts
    agreement: agreement.Accumulator | None = None
    pass_surfaces: Counter[tuple[str, str]] = field(default_factory=Counter)
    gold_surfaces: Counter[tuple[str, str]] = field(default_factory=Counter)
    has_gold: bool = False
    stance_rows: int = 0
    gold_digest: tuple[int, str] | None = None
    spill: dict[str, object] | None = None
    # what the shape rules of coopnum.dataset.privacy refuse in its rows: (config, row of the
    # document's rows, column, problem); the process's known secrets are searched every build instead
    personal_data: tuple[tuple[str, int, str, str], ...] = ()

    def serves(self, with_rows: bool) -> bool:
        """Whether this entry has what a run needs: the build needs the rows (of a document it writes)."""
        return not with_rows or self.errored or self.rows_pickle is not None

    @property
    def rows(self) -> dict[str, Rows]:
        made = self.__dict__.get("_rows")  # the rows of a part made in this process, before pickling
        if made is not None:
            return made
        rows: dict[str, Rows] = pickle.loads(self.rows_pickle) if self.rows_pickle else {}
        return rows

    @rows.setter
    def rows(self, rows: dict[str, Rows]) -> None:
        self.__dict__["_rows"] = rows
        self.rows_pickle = pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)

    def __getstate__(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k != "_rows"}  # the rows go pickled, once


def dumps(value: object) -> bytes:
    """An entry's body: the value pickled, then compressed (lz4)."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return len(data).to_bytes(8, "little") + pa.compress(data, codec="lz4", asbytes=True)


def load_value(body: bytes | None) -> object:
    """The value in an entry's body, or None when there is none or it cannot be read back."""
    if body is None:
        return None
    try:
        size = int.from_bytes(body[:8], "little")
        return pickle.loads(pa.decompress(body[8:], decompressed_size=size, codec="lz4", asbytes=True))
    except Exception:  # any unreadable entry is a miss, never an error
        return None


def loads(body: bytes | None) -> DocumentPart | None:
    """The document part in an entry's body, or None (absent, unreadable, not a part)."""
    part = load_value(body)
    return part if isinstance(part, DocumentPart) else None
