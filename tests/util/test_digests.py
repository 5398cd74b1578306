"""The compact file table of the build's input snapshot (coopnum.util.digests)."""

from __future__ import annotations

import hashlib
import pickle

import pytest

from coopnum.util.digests import FileTable

PATHS = sorted(["a/b", "a-c", "a/b/c", "corpus/raw/001_x.txt", "é/ü", "z", "code/\udcff", "中文/x"])


def _sha(path: str) -> str:
    return hashlib.sha256(path.encode("utf-8", "surrogatepass")).hexdigest()


@pytest.fixture()
def table() -> FileTable:
    t = FileTable()
    for n, p in enumerate(PATHS):
        t.add(p, _sha(p), (n, n * 10, -n, 2**62 + n), n % 2 == 0)
    return t


def test_it_reads_as_the_dict_it_replaces(table: FileTable) -> None:
    expected = {p: _sha(p) for p in PATHS}
    assert dict(table) == expected and table == expected and len(table) == len(PATHS)
    assert list(table) == PATHS and list(table.items()) == list(expected.items())
    assert [table.identity(i) for i in range(len(table))] == [(n, n * 10, -n, 2**62 + n) for n in range(len(PATHS))]
    for missing in ("", "a", "a/", "zz", "corpus/raw", "\ud800"):
        assert missing not in table and table.get(missing) is None and table.index(missing) is None


def test_the_regular_view_holds_the_regular_files_only(table: FileTable) -> None:
    regular = table.regular()
    expected = {p: _sha(p) for n, p in enumerate(PATHS) if n % 2 == 0}
    assert dict(regular) == expected and len(regular) == len(expected)
    assert list(regular.items()) == list(expected.items())
    assert all((p in regular) == (p in expected) for p in PATHS)


def test_paths_must_come_in_string_order() -> None:
    t = FileTable()
    t.add("b", _sha("b"), (0, 0, 0, 0), True)
    for p in ("a", "b"):
        with pytest.raises(ValueError, match="out of order"):
            t.add(p, _sha(p), (0, 0, 0, 0), True)
    assert list(t) == ["b"]


def test_it_travels_to_a_worker_whole(table: FileTable) -> None:  # the set-up is pickled for Ray's actors
    again = pickle.loads(pickle.dumps(table.regular()))
    assert dict(again) == dict(table.regular()) and dict(again.table) == dict(table)
    assert [again.table.identity(i) for i in range(len(table))] == [table.identity(i) for i in range(len(table))]


def test_a_folder_s_rows_read_in_one_pass_as_the_lookups_give_them(table: FileTable) -> None:
    regular = table.regular()
    for prefix in ("a/", "corpus/raw/", "é/", "中文/", "code/", "none/"):
        expected = {p[len(prefix) :]: table.index(p) for p in PATHS if p.startswith(prefix) and p in regular}
        assert table.prefix_rows(prefix) == expected


def test_a_folder_s_digest_changes_with_its_rows_only() -> None:
    def made(rows: list[tuple[str, str, bool]]) -> FileTable:
        t = FileTable()
        for p, content, regular in rows:
            t.add(p, _sha(content), (0, 0, 0, 0), regular)
        return t

    base = [("annotations/x", "1", True), ("corpus/raw/a.txt", "2", True), ("corpus/raw/b.txt", "3", True)]
    digest = made(base).prefix_digest("corpus/raw/")
    assert made([("annotations/w", "0", True), *base]).prefix_digest("corpus/raw/") == digest  # rows before it
    assert made([*base, ("corpus/sources.jsonl", "4", True)]).prefix_digest("corpus/raw/") == digest
    for changed in (
        [*base[:2], ("corpus/raw/b.txt", "4", True)],  # a file's bytes
        [*base[:2], ("corpus/raw/b.txt", "3", False)],  # a link instead
        [*base[:2], ("corpus/raw/c.txt", "3", True)],  # a name
        base[:2],  # a file gone
        [*base, ("corpus/raw/c.txt", "3", True)],  # a file more
    ):
        assert made(changed).prefix_digest("corpus/raw/") != digest
