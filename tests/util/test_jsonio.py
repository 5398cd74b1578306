"""The one reader of the files people edit: one error, naming the file (and line), for every bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from coopnum.errors import CoopnumError, CorpusError
from coopnum.util import jsonio


def _error(text: str) -> CorpusError:
    with pytest.raises(CorpusError) as e:
        jsonio.loads(text, CorpusError, file="f.json")
    return e.value


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"a": 1, "a": 2}', "key 'a' appears twice"),
        ('{"a": {"b": 1, "b": 1}}', "key 'b' appears twice"),
        ("[NaN]", "NaN is not a JSON number"),
        ('{"x": Infinity}', "Infinity is not a JSON number"),
        ("[-Infinity]", "-Infinity is not a JSON number"),
        ("[1e999]", "too large (it would be infinity)"),
        ("[-1e999]", "too large (it would be infinity)"),
        ("7" * 5000, "an integer of 5000 digits"),
        ("-" + "7" * 5000, "an integer of 5000 digits"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"a": ', "invalid JSON: Expecting value at column 7"),
        ('{\n"a": 1,\n}', "at line 3 column 1"),
    ],
)
def test_bad_json_is_one_error_naming_the_file(text: str, says: str) -> None:
    e = _error(text)
    assert says in str(e) and e.file == "f.json", str(e)


def test_a_duplicate_key_names_the_key_as_the_field() -> None:
    assert _error('{"doc_id": "a", "doc_id": "b"}').field == "doc_id"


def test_valid_json_is_parsed_as_python_would() -> None:
    text = '{"a": [1, -2, 3.5, 1e300, "x\\u2028y", null, true], "b": {"c": "é"}}'
    assert jsonio.loads(text, CorpusError, file="f") == json.loads(text)
    assert jsonio.loads("7" * jsonio.MAX_INT_DIGITS, CorpusError, file="f") == int("7" * jsonio.MAX_INT_DIGITS)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\xef\xbb\xbf{}", "UTF-8 byte-order mark"),
        ("{}".encode("utf-16"), "is UTF-16 (byte-order mark ff fe)"),
        (b"\xfe\xff\x00{\x00}", "is UTF-16 (byte-order mark fe ff)"),
        ("{}".encode("utf-32"), "is UTF-32"),
        ('{"a": "texte"}'.encode("utf-16-le"), "looks like UTF-16 without a byte-order mark"),
        ('{"a": "texte"}'.encode("utf-16-be"), "looks like UTF-16 without a byte-order mark"),
        (b'{"a": 1}\n{"b"' + b"\0" * 512, "NUL byte at byte 13 (line 2)"),
        (b'{"a": "\xe9t\xe9"}', "not valid UTF-8: byte 7 (0xe9) on line 1"),
        (b'{"a": 1}\n{"a": "\x92"}', "byte 16 (0x92) on line 2"),
    ],
)
def test_bytes_that_are_not_utf8_text_are_refused(data: bytes, says: str) -> None:
    with pytest.raises(CorpusError) as e:
        jsonio.decode(data, CorpusError, "sources file", file="s.jsonl", field="text")
    assert says in str(e.value) and e.value.file == "s.jsonl" and e.value.field == "text", str(e.value)


def test_json_lines_are_split_on_newline_only(tmp_path: Path) -> None:
    """U+2028, U+2029, U+0085 and form feeds are valid inside a JSON string: str.splitlines() cuts there."""
    records = [{"a": "un\u2028deux\u2029trois\x85quatre\x0ccinq"}, {"b": 2}]
    path = tmp_path / "x.jsonl"
    path.write_text("\r\n\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    assert jsonio.read_json_lines(path, CorpusError, "x") == [(f"{path}:1", records[0]), (f"{path}:3", records[1])]


def test_a_bad_json_line_is_named_by_its_line(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"a": 1}\n\n{"a": 1, "a": 2}\n', encoding="utf-8")
    with pytest.raises(CorpusError) as e:
        jsonio.read_json_lines(path, CorpusError, "x")
    assert e.value.file == f"{path}:3" and e.value.field == "a"


def test_paths_that_are_not_regular_files_are_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)  # reading it would block forever
    (tmp_path / "folder.json").mkdir()
    for name, says in (
        ("missing.json", "not found"),
        ("fifo.json", "is not a regular file"),
        ("folder.json", "is not a regular file"),
    ):
        with pytest.raises(CoopnumError) as e:
            jsonio.read_json(tmp_path / name, CoopnumError, "thing")
        assert f"thing {says}" in str(e.value) and e.value.file == str(tmp_path / name)


def test_a_symlink_to_a_json_file_is_read(tmp_path: Path) -> None:
    """Only raw corpus files must be regular files themselves; a linked config file is fine."""
    (tmp_path / "real.json").write_text('{"a": 1}', encoding="utf-8")
    (tmp_path / "link.json").symlink_to(tmp_path / "real.json")
    assert jsonio.read_json(tmp_path / "link.json", CoopnumError, "x") == {"a": 1}


def test_the_callers_error_class_is_raised(tmp_path: Path) -> None:
    from coopnum.errors import AnnotationError

    (tmp_path / "a.json").write_bytes(b"[NaN]")
    with pytest.raises(AnnotationError):
        jsonio.read_json(tmp_path / "a.json", AnnotationError, "annotation file")
