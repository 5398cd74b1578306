"""A compact table of files: path, sha256, identity (inode, size, mtime, ctime), whether regular.

The build keeps one row per input (two per document: its raw file and its annotation file) from
before it reads anything until it has checked, at the end, that none changed. As a dict of path
strings to hex strings beside a dict of stat tuples that was ≈ 1,000 bytes per document, and
checking meant a second such pair; here a row is its path's UTF-8 bytes, 32 digest bytes and four
64-bit integers in flat buffers (≈ 110 bytes), and :class:`FileTable` reads as a ``Mapping`` of
path to hex digest.

Rows are added in increasing path order: the UTF-8 bytes of two strings sort as their code points,
which is how Python sorts ``str`` (with ``surrogatepass`` too: surrogates encode between U+D7FF and
U+E000), so a lookup is a binary search over the bytes and a walk in the same order can be compared
with the table row by row.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import ItemsView, Iterator, Mapping

Identity = tuple[int, int, int, int]  # inode, size, mtime_ns, ctime_ns

_ENCODING = ("utf-8", "surrogatepass")  # os.fsdecode gives lone surrogates for undecodable bytes
DIGEST_BYTES = 32


class FileTable(Mapping[str, str]):
    """path -> sha256 (hex) of the files added with :meth:`add`, in path order."""

    def __init__(self) -> None:
        self._paths = bytearray()  # every path's UTF-8 bytes, one after the other
        self._ends = array("q")  # where each path's bytes end in _paths
        self._digests = bytearray()  # DIGEST_BYTES per file
        self._identities = array("q")  # four per file (Identity)
        self._regular = bytearray()  # 1 for a regular file, 0 for a link to one

    def add(self, path: str, sha256_hex: str, identity: Identity, regular: bool) -> None:
        """Append a file; ``path`` must sort after every path added before (a sorted walk's order)."""
        encoded = path.encode(*_ENCODING)
        if self._ends and encoded <= self._raw(len(self._ends) - 1):
            raise ValueError(f"{path!r} added out of order")
        self._paths += encoded
        self._ends.append(len(self._paths))
        self._digests += bytes.fromhex(sha256_hex)
        self._identities.extend(identity)
        self._regular.append(1 if regular else 0)

    def _raw(self, i: int) -> bytearray:
        return self._paths[self._ends[i - 1] if i else 0 : self._ends[i]]

    def path(self, i: int) -> str:
        return self._raw(i).decode(*_ENCODING)

    def digest(self, i: int) -> str:
        return self._digests[i * DIGEST_BYTES : (i + 1) * DIGEST_BYTES].hex()

    def identity(self, i: int) -> Identity:
        a, b, c, d = self._identities[i * 4 : i * 4 + 4]
        return a, b, c, d

    def is_regular(self, i: int) -> bool:
        return bool(self._regular[i])

    def index(self, path: str) -> int | None:
        """The row of ``path``, or None."""
        try:
            key = path.encode(*_ENCODING)
        except UnicodeEncodeError:
            return None
        lo = self._first_at_least(key)
        return lo if lo < len(self._ends) and self._raw(lo) == key else None

    def _first_at_least(self, key: bytes) -> int:
        lo, hi = 0, len(self._ends)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._raw(mid) < key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _prefix_range(self, prefix: str) -> tuple[int, int]:
        key = prefix.encode(*_ENCODING)  # never ends in 0xff (UTF-8)
        return self._first_at_least(key), self._first_at_least(key[:-1] + bytes([key[-1] + 1]))

    def prefix_rows(self, prefix: str) -> dict[str, int]:
        """The row of each regular file whose path starts with ``prefix`` (a non-empty folder), by the rest
        of its path: one pass over those rows instead of a binary search per file."""
        lo, hi = self._prefix_range(prefix)
        paths, ends, regular, skip = self._paths, self._ends, self._regular, len(prefix.encode(*_ENCODING))
        starts = [ends[lo - 1] if lo else 0, *ends[lo : hi - 1]] if hi > lo else []
        return {
            paths[a + skip : b].decode(*_ENCODING): i
            for i, a, b in zip(range(lo, hi), starts, ends[lo:hi], strict=True)
            if regular[i]
        }

    def prefix_digest(self, prefix: str) -> str:
        """A sha256 of the rows whose path starts with ``prefix`` (a non-empty folder such as ``corpus/raw/``):
        their paths, digests and whether each is regular, from the flat buffers (two tables give the same one
        exactly when those rows are the same), with two binary searches and no work per row in Python."""
        lo, hi = self._prefix_range(prefix)
        start = self._ends[lo - 1] if lo else 0
        ends = array("q", (end - start for end in self._ends[lo:hi]))  # from the rows' first byte
        h = hashlib.sha256()
        for part in (
            self._paths[start : self._ends[hi - 1] if hi > lo else start],
            bytes(ends),
            self._digests[lo * DIGEST_BYTES : hi * DIGEST_BYTES],
            self._regular[lo:hi],
        ):
            h.update(len(part).to_bytes(8, "little"))
            h.update(part)
        return h.hexdigest()

    def __len__(self) -> int:
        return len(self._ends)

    def __iter__(self) -> Iterator[str]:
        return (self.path(i) for i in range(len(self)))

    def __getitem__(self, path: str) -> str:
        i = self.index(path) if isinstance(path, str) else None
        if i is None:
            raise KeyError(path)
        return self.digest(i)

    def items(self) -> ItemsView[str, str]:
        return _Items(self, self, regular_only=False)

    def content_digest(self, *, identities: bool = False) -> str:
        """A sha256 of every row's path, digest and whether it is a regular file (with ``identities``, its
        inode, size and times too), from the flat buffers: two tables give the same one exactly when
        their rows are the same (each buffer is length-prefixed; the paths' ends split the paths)."""
        h = hashlib.sha256()
        parts: list[bytes | bytearray] = [self._paths, self._ends.tobytes(), self._digests, self._regular]
        if identities:
            parts.append(self._identities.tobytes())
        for part in parts:
            h.update(len(part).to_bytes(8, "little"))
            h.update(part)
        return h.hexdigest()

    def regular(self) -> RegularFiles:
        """The same table restricted to the regular files (what a reader that refuses links may read)."""
        return RegularFiles(self)


class RegularFiles(Mapping[str, str]):
    """path -> sha256 of the regular files of a :class:`FileTable` (a view: nothing is copied)."""

    def __init__(self, table: FileTable) -> None:
        self.table = table
        self._count = sum(table._regular)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        t = self.table
        return (t.path(i) for i in range(len(t)) if t.is_regular(i))

    def __getitem__(self, path: str) -> str:
        i = self.table.index(path) if isinstance(path, str) else None
        if i is None or not self.table.is_regular(i):
            raise KeyError(path)
        return self.table.digest(i)

    def items(self) -> ItemsView[str, str]:
        return _Items(self, self.table, regular_only=True)


class _Items(ItemsView[str, str]):
    """(path, sha256) in path order, read row by row: the default view would search every path."""

    def __init__(self, mapping: Mapping[str, str], table: FileTable, *, regular_only: bool) -> None:
        super().__init__(mapping)
        self.table = table
        self.regular_only = regular_only

    def __iter__(self) -> Iterator[tuple[str, str]]:
        t = self.table
        return ((t.path(i), t.digest(i)) for i in range(len(t)) if not self.regular_only or t.is_regular(i))
