"""The bad-input matrix: malformed corpus, annotation, prediction and Label Studio inputs.

Every error case runs the real command line on a scratch copy of an annotated, built
project, and must exit non-zero with one message naming the file and the field
(and the document and annotation where there is one), leaving dataset/,
DATASHEET.md, annotations/ and corpus/ byte for byte as they were. A few cases are
valid input a careless reader refuses or mangles (U+2028 inside a JSON Lines string,
HTML in a scraped page): those must be accepted, and the HTML must stay text in the card.

The JSON families (huge integers, deep nesting, Latin-1, byte-order marks, UTF-16,
duplicate keys, NaN and infinities, NUL padding, truncation, a non-object) are applied
to every JSON file a person edits; :func:`test_the_matrix_summary` runs every case and
prints tried / clear errors / silently accepted / tracebacks / data lost.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coopnum.annotation import format as ann
from coopnum.util.hashing import sha256_bytes

from ..annotation_fixture import annotated_project, edit_annotations, gold_of, write_fixture
from ..conftest import first_doc_id, source_records

DOC = first_doc_id()  # the document annotation cases damage
RAW = next(r["file"] for r in source_records() if r["doc_id"] == DOC)
# Raw cases rewrite a document that states no outlet or date, so only the text itself can be at fault.
BARE_RAW = next(r["file"] for r in sorted(source_records(), key=lambda r: r["file"]) if not (r["outlet"] or r["date"]))
BARE_DOC = next(r["doc_id"] for r in source_records() if r["file"] == BARE_RAW)


@dataclass(frozen=True)
class Case:
    damage: Callable[[Path], None]
    command: tuple[str, ...]  # coopnum arguments; {root} is replaced
    field: str | None  # the field the message must name
    names: tuple[str, ...] = ()  # other things the message must contain (file names, ids)
    field_of: Callable[[], str] | None = None  # the field when only the damage knows it (set by damage)
    at: str | None = None  # what the message's file= must name (the file at fault, not one it led to)


def _sources(root: Path, change: Callable[[list[dict]], list[dict]]) -> None:
    path = root / "corpus" / "sources.jsonl"
    records = [json.loads(x) for x in path.read_text(encoding="utf-8").split("\n") if x.strip()]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in change(records)), encoding="utf-8")


def _raw(root: Path, data: bytes, name: str = BARE_RAW) -> None:
    (root / "corpus" / "raw" / name).write_bytes(data)
    _sources(root, lambda rs: [{**r, "raw_sha256": sha256_bytes(data)} if r["file"] == name else r for r in rs])


def _ann_text(root: Path, text: str, doc: str = DOC) -> None:
    (root / "annotations" / ann.SUBDIR / f"{doc}.json").write_text(text, encoding="utf-8")


def _ann(root: Path, change: Callable[[dict], None], doc: str = DOC) -> None:
    edit_annotations(root, doc, change)


_gold = gold_of


def _span(o: dict) -> dict:
    return _gold(o)["entities"][0]


def _predictions(root: Path, lines: list[str]) -> None:
    (root / "preds.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


BUILD = ("build", "--root", "{root}")
EVAL_STANCE = ("evaluate", "--config", "stance", "--predictions", "{root}/preds.jsonl", "--dataset", "{root}/dataset")
EVAL_NER = ("evaluate", "--config", "ner", "--predictions", "{root}/preds.jsonl", "--dataset", "{root}/dataset")


def _first_ner_row(root: Path) -> tuple[str, int]:
    import pyarrow.parquet as pq

    row = pq.read_table(root / "dataset" / "data" / "ner" / "test.parquet").to_pylist()[0]
    return row["id"], len(row["tokens"])


CASES: dict[str, Case] = {
    # corpus
    "raw: missing file": Case(lambda r: (r / "corpus" / "raw" / RAW).unlink(), BUILD, None, (RAW,)),
    "raw: empty file": Case(lambda r: _raw(r, b""), BUILD, "text"),
    "raw: non-UTF-8 bytes": Case(lambda r: _raw(r, "Texte\n".encode("latin-1") + b"\xe9t\xe9\n"), BUILD, "text"),
    "raw: BOM": Case(lambda r: _raw(r, b"\xef\xbb\xbfUn article.\n"), BUILD, "text"),
    "raw: cleaned to nothing": Case(lambda r: _raw(r, b"Partager\n6220\n"), BUILD, "text"),
    "sources: truncated JSON": Case(
        lambda r: (r / "corpus" / "sources.jsonl").write_text('{"doc_id": "db38', encoding="utf-8"),
        BUILD,
        None,
        ("sources.jsonl",),
    ),
    "sources: sha256 mismatch": Case(
        lambda r: (r / "corpus" / "raw" / RAW).write_bytes(b"changed\n"), BUILD, "raw_sha256"
    ),
    "sources: duplicate doc id": Case(lambda r: _sources(r, lambda rs: [*rs, rs[0]]), BUILD, "doc_id"),
    "sources: null where required": Case(
        lambda r: _sources(r, lambda rs: [{**rs[0], "language": None}, *rs[1:]]), BUILD, "language"
    ),
    "sources: wrong type": Case(lambda r: _sources(r, lambda rs: [{**rs[0], "rights": 7}, *rs[1:]]), BUILD, "rights"),
    "sources: doc id outside the BMP": Case(
        lambda r: _sources(r, lambda rs: [{**rs[0], "doc_id": "db38😀"}, *rs[1:]]), BUILD, "doc_id"
    ),
    "sources: empty corpus": Case(
        lambda r: (r / "corpus" / "sources.jsonl").write_text("", encoding="utf-8"), BUILD, None, ("sources.jsonl",)
    ),
    # annotations
    "annotations: truncated JSON": Case(
        lambda r: _ann_text(r, '{"format": "coopnum-ann'), BUILD, None, (f"{DOC}.json",)
    ),
    "annotations: BOM": Case(lambda r: _ann_text(r, "\ufeff{}"), BUILD, None, (f"{DOC}.json",)),
    "annotations: NaN offset": Case(
        lambda r: _ann_text(
            r,
            (r / "annotations" / ann.SUBDIR / f"{DOC}.json").read_text().replace('"start": ', '"start": NaN, "x": ', 1),
        ),
        BUILD,
        None,
        (f"{DOC}.json",),
    ),
    "annotations: wrong type": Case(lambda r: _ann(r, lambda o: _span(o).update(start="12")), BUILD, "start"),
    "annotations: boolean offset": Case(lambda r: _ann(r, lambda o: _span(o).update(end=True)), BUILD, "end"),
    "annotations: null label": Case(lambda r: _ann(r, lambda o: _span(o).update(label=None)), BUILD, "label"),
    "annotations: unknown label": Case(lambda r: _ann(r, lambda o: _span(o).update(label="PERSON")), BUILD, "label"),
    "annotations: right-to-left override in a label": Case(
        lambda r: _ann(r, lambda o: _span(o).update(label="PER\u202e")), BUILD, "label"
    ),
    "annotations: negative offset": Case(lambda r: _ann(r, lambda o: _span(o).update(start=-3)), BUILD, "start"),
    "annotations: reversed offsets": Case(
        lambda r: _ann(r, lambda o: _span(o).update(start=40, end=30)), BUILD, "start"
    ),
    "annotations: offsets past the end": Case(
        lambda r: _ann(r, lambda o: _span(o).update(start=10**6, end=10**6 + 4)), BUILD, "end"
    ),
    "annotations: zero-width space in span text": Case(
        lambda r: _ann(r, lambda o: _span(o).update(text=_span(o)["text"] + "\u200b")), BUILD, "text"
    ),
    "annotations: CRLF in span text": Case(
        lambda r: _ann(r, lambda o: _span(o).update(text="\r\n" + _span(o)["text"][2:])), BUILD, "text"
    ),
    "annotations: duplicate annotation id": Case(
        lambda r: _ann(r, lambda o: o["annotations"].append(dict(o["annotations"][0]))), BUILD, "id"
    ),
    "annotations: stale text": Case(lambda r: _ann(r, lambda o: o.update(text_sha256="a" * 64)), BUILD, "text_sha256"),
    "annotations: document not in corpus": Case(
        lambda r: _ann_text(
            r, (r / "annotations" / ann.SUBDIR / f"{DOC}.json").read_text().replace(DOC, "0" * 16), "0" * 16
        ),
        BUILD,
        "doc_id",
    ),
    "annotations: empty annotations list": Case(
        lambda r: _ann(r, lambda o: o.update(annotations=[])), BUILD, "annotations"
    ),
    "annotations: a huge file": Case(
        lambda r: _ann(
            r, lambda o: _gold(o)["entities"].extend([{"start": 0, "end": 1, "label": "PER", "text": "?"}] * 200_000)
        ),
        BUILD,
        "text",
    ),
    "annotators.json: unknown role": Case(
        lambda r: (r / "annotations" / "annotators.json").write_text(
            (r / "annotations" / "annotators.json").read_text().replace('"adjudicator"', '"boss"'), encoding="utf-8"
        ),
        BUILD,
        "role",
    ),
    # predictions
    "predictions: truncated JSON": Case(
        lambda r: _predictions(r, ['{"id": "x", "lab']), EVAL_STANCE, None, ("preds.jsonl",)
    ),
    "predictions: unknown id": Case(lambda r: _predictions(r, ['{"id": "nope", "label": "NONE"}']), EVAL_STANCE, "id"),
    "predictions: empty file": Case(lambda r: _predictions(r, []), EVAL_STANCE, "id"),
    "predictions: NaN": Case(
        lambda r: _predictions(r, ['{"id": NaN, "label": "NONE"}']), EVAL_STANCE, None, ("preds.jsonl",)
    ),
    "predictions: length mismatch": Case(
        lambda r: _predictions(r, [json.dumps({"id": _first_ner_row(r)[0], "ner_tags": ["O"]})]), EVAL_NER, "ner_tags"
    ),
}


# ------------------------------------------------------------------ the JSON families, on every JSON file people edit


def _rows(root: Path, config: str) -> list[dict]:
    import pyarrow.parquet as pq

    return pq.read_table(root / "dataset" / "data" / config / "test.parquet").to_pylist()


def _stance_lines(root: Path) -> list[str]:
    return [json.dumps({"id": r["id"], "label": "NONE"}) for r in _rows(root, "stance")]


def _ner_line(row: dict, **tags: list[str]) -> str:
    return json.dumps({"id": row["id"], **tags})


def _adjudication_line() -> str:
    return json.dumps({"doc_id": DOC, "layer": "entity", "key": "0-1", "passes": {}, "gold": None, "reason": "r"})


@dataclass(frozen=True)
class JsonFile:
    """A JSON file a person edits: where it is, a valid content to damage, the command that reads it."""

    path: str  # relative to the project root
    valid: Callable[[Path], str]
    command: tuple[str, ...]
    lines: bool  # JSON Lines: a damaged first line must be named as <file>:1


JSON_FILES = {
    "sources.jsonl": JsonFile(
        "corpus/sources.jsonl", lambda r: (r / "corpus" / "sources.jsonl").read_text(encoding="utf-8"), BUILD, True
    ),
    "annotators.json": JsonFile(
        "annotations/annotators.json",
        lambda r: (r / "annotations" / "annotators.json").read_text(encoding="utf-8"),
        BUILD,
        False,
    ),
    "adjudication.jsonl": JsonFile(
        "annotations/adjudication.jsonl", lambda r: _adjudication_line() + "\n", BUILD, True
    ),
    "annotation file": JsonFile(
        f"annotations/{ann.SUBDIR}/{DOC}.json",
        lambda r: (r / "annotations" / ann.SUBDIR / f"{DOC}.json").read_text(encoding="utf-8"),
        BUILD,
        False,
    ),
    "predictions": JsonFile("preds.jsonl", lambda r: "\n".join(_stance_lines(r)) + "\n", EVAL_STANCE, True),
}


def _first_item(text: str) -> tuple[str, object]:
    first = json.loads(text.split("\n")[0]) if text.lstrip().startswith('{"') else json.loads(text)
    return next(iter(first.items()))


def _insert(member: str) -> Callable[[str], bytes]:
    """Put ``"n": <member>,`` first in the first object (before any other check can fail)."""
    return lambda text: text.replace("{", "{" + member + ", ", 1).encode("utf-8")


def _duplicate_first_key(text: str) -> bytes:
    key, value = _first_item(text)
    return text.replace("{", "{" + json.dumps(key) + ": " + json.dumps(value) + ", ", 1).encode("utf-8")


# family -> (damage of the valid text, the field the message must name: None, or "<key>" for the first key)
JSON_FAMILIES: dict[str, tuple[Callable[[str], bytes], str | None, bool]] = {
    # name: (damage, field, the message names the line of a JSON Lines file)
    "huge integer": (_insert('"n": ' + "7" * 5000), None, True),
    "deep nesting": (_insert('"n": ' + "[" * 100_000 + "]" * 100_000), None, True),
    "Latin-1 bytes": (lambda t: t.encode("utf-8").replace(b"{", b'{"n": "\xe9t\xe9", ', 1), None, False),
    "UTF-8 byte-order mark": (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), None, False),
    "UTF-16 with byte-order mark": (lambda t: t.encode("utf-16"), None, False),
    "UTF-16 without byte-order mark": (lambda t: t.encode("utf-16-le"), None, False),
    "duplicate key": (_duplicate_first_key, "<key>", True),
    "NaN": (_insert('"n": NaN'), None, True),
    "-Infinity": (_insert('"n": -Infinity'), None, True),
    "number overflowing to infinity": (_insert('"n": 1e999'), None, True),
    "NUL padding of a half-written file": (
        lambda t: t.encode("utf-8")[: len(t.encode("utf-8")) // 2] + b"\0" * 4096,
        None,
        False,
    ),
    "truncated": (lambda t: t.encode("utf-8")[: len(t.encode("utf-8")) // 2], None, False),
    "not an object": (lambda t: b"[1, 2]\n", None, False),
}


def _json_case(file: JsonFile, family: str) -> Case:
    damage_text, field, names_line = JSON_FAMILIES[family]
    name = Path(file.path).name
    holder: dict[str, str] = {}

    def damage(root: Path) -> None:
        text = file.valid(root)
        if field == "<key>":
            holder["key"] = str(_first_item(text)[0])
        (root / file.path).write_bytes(damage_text(text))

    # The key is only known from the template's text: the field is checked through a callable.
    return Case(
        damage,
        file.command,
        None,
        (f"{name}:1" if file.lines and names_line else name,),
        field_of=(lambda: holder["key"]) if field == "<key>" else None,
        at=name,
    )


CASES.update(
    {f"json {family}: {label}": _json_case(f, family) for label, f in JSON_FILES.items() for family in JSON_FAMILIES}
)


# ------------------------------------------------------------------ dates, raw files, paths, tag schemes


def _dated(date: str) -> Callable[[Path], None]:
    def damage(root: Path) -> None:
        _sources(
            root, lambda rs: [{**r, "date": date, "date_evidence": date} if r["file"] == BARE_RAW else r for r in rs]
        )

    return damage


def _bare_bytes() -> bytes:
    from ..conftest import REPO

    return (REPO / "corpus" / "raw" / BARE_RAW).read_bytes()


def _symlink(root: Path, target: Path) -> None:
    link = root / "corpus" / "raw" / BARE_RAW
    link.unlink()
    link.symlink_to(target)


def _symlink_outside(root: Path) -> None:
    outside = root.parent / "outside.txt"  # the same bytes: only being a link is wrong
    outside.write_bytes(_bare_bytes())
    _symlink(root, outside)


def _replace_with(root: Path, make: Callable[[Path], None]) -> None:
    path = root / "corpus" / "raw" / BARE_RAW
    path.unlink()
    make(path)


def _not_a_file(root: Path, relative: str) -> None:
    path = root / relative
    if path.exists():
        path.unlink()
    path.mkdir()


def _ner_predictions(root: Path, tags: Callable[[int, dict], dict[str, list[str]]]) -> None:
    rows = _rows(root, "ner")
    assert len(rows) >= 2, "the tag-scheme cases need two ner rows in the test split"
    _predictions(root, [_ner_line(row, **tags(i, row)) for i, row in enumerate(rows)])


def _o(row: dict) -> list[str]:
    return ["O"] * len(row["tokens"])


def _bioes(row: dict) -> list[str]:
    return ["S-PER", *["O"] * (len(row["tokens"]) - 1)]


EVAL_MISSING = (
    "evaluate",
    "--config",
    "stance",
    "--predictions",
    "{root}/missing.jsonl",
    "--dataset",
    "{root}/dataset",
)


def _pointing_at(at: Callable[[Case], str], cases: dict[str, Case]) -> dict[str, Case]:
    return {name: replace(case, at=at(case)) for name, case in cases.items()}


CASES.update(
    _pointing_at(
        lambda c: "sources.jsonl",
        {
            # dates: real calendar dates only
            "date: month 13": Case(_dated("2025-13-45"), BUILD, "date", (BARE_DOC,)),
            "date: 30 February": Case(_dated("2025-02-30"), BUILD, "date", (BARE_DOC,)),
            "date: 29 February of a common year": Case(_dated("2023-02-29"), BUILD, "date", (BARE_DOC,)),
            "date: month 13 without a day": Case(_dated("2025-13"), BUILD, "date", (BARE_DOC,)),
            "date: month 00": Case(_dated("2025-00"), BUILD, "date", (BARE_DOC,)),
        },
    )
)
CASES.update(
    _pointing_at(
        lambda c: BARE_RAW,
        {
            # raw files: regular files of UTF-8 text only
            "raw: symlink to a file outside the repository": Case(_symlink_outside, BUILD, "file", (BARE_RAW,)),
            "raw: symlink to another raw file": Case(lambda r: _symlink(r, r / "corpus" / "raw" / RAW), BUILD, "file"),
            "raw: a folder in place of the file": Case(
                lambda r: _replace_with(r, Path.mkdir), BUILD, "file", (BARE_RAW,)
            ),
            "raw: a FIFO in place of the file": Case(lambda r: _replace_with(r, os.mkfifo), BUILD, "file", (BARE_RAW,)),
            "raw: NUL padding of a half-written file": Case(
                lambda r: _raw(r, _bare_bytes()[: len(_bare_bytes()) // 2] + b"\0" * 4096), BUILD, "text", (BARE_RAW,)
            ),
            "raw: one NUL byte in a line": Case(
                lambda r: _raw(r, _bare_bytes().replace(b" ", b"\0", 1)), BUILD, "text", (BARE_RAW,)
            ),
            "raw: UTF-16 without byte-order mark": Case(
                lambda r: _raw(r, _bare_bytes().decode().encode("utf-16-le")), BUILD, "text", (BARE_RAW,)
            ),
            "raw: UTF-16 big-endian without byte-order mark": Case(
                lambda r: _raw(r, _bare_bytes().decode().encode("utf-16-be")), BUILD, "text", (BARE_RAW,)
            ),
            "raw: UTF-16 with byte-order mark": Case(
                lambda r: _raw(r, _bare_bytes().decode().encode("utf-16")), BUILD, "text", (BARE_RAW,)
            ),
            "raw: UTF-32": Case(lambda r: _raw(r, _bare_bytes().decode().encode("utf-32")), BUILD, "text", (BARE_RAW,)),
            "raw: Windows-1252 apostrophe": Case(
                lambda r: _raw(r, _bare_bytes().replace(b"'", b"\x92", 1) + b"l\x92\xe9t\xe9\n"), BUILD, "text"
            ),
        },
    )
)
CASES.update(
    _pointing_at(
        lambda c: c.names[0],
        {
            # paths that are missing or not files
            "path: predictions file missing": Case(lambda r: None, EVAL_MISSING, None, ("missing.jsonl",)),
            "path: predictions path is a folder": Case(
                lambda r: (r / "preds.jsonl").mkdir(), EVAL_STANCE, None, ("preds.jsonl",)
            ),
            "path: sources.jsonl is a folder": Case(
                lambda r: _not_a_file(r, "corpus/sources.jsonl"), BUILD, None, ("sources.jsonl",)
            ),
            "path: annotation file is a folder": Case(
                lambda r: _not_a_file(r, f"annotations/{ann.SUBDIR}/{DOC}.json"), BUILD, None, (f"{DOC}.json",)
            ),
            "path: annotators.json is a folder": Case(
                lambda r: _not_a_file(r, "annotations/annotators.json"), BUILD, None, ("annotators.json",)
            ),
            "path: adjudication.jsonl is a folder": Case(
                lambda r: _not_a_file(r, "annotations/adjudication.jsonl"), BUILD, None, ("adjudication.jsonl",)
            ),
        },
    )
)
CASES.update(
    _pointing_at(
        lambda c: "preds.jsonl",
        {
            # predictions: one tag scheme for the whole file
            "tags: ner_tags on one line, fine_ner_tags on the next": Case(
                lambda r: _ner_predictions(r, lambda i, row: {"ner_tags" if i == 0 else "fine_ner_tags": _o(row)}),
                EVAL_NER,
                "fine_ner_tags",
                ("preds.jsonl:2",),
            ),
            "tags: both schemes on one line, one on the next": Case(
                lambda r: _ner_predictions(
                    r, lambda i, row: {"ner_tags": _o(row), **({"fine_ner_tags": _o(row)} if i == 0 else {})}
                ),
                EVAL_NER,
                "fine_ner_tags",
                ("preds.jsonl:2",),
            ),
            "tags: BIOES on every line": Case(
                lambda r: _ner_predictions(r, lambda i, row: {"ner_tags": _bioes(row)}),
                EVAL_NER,
                "ner_tags",
                ("BIOES",),
            ),
            "tags: IOB2 on one line, BIOES on the next": Case(
                lambda r: _ner_predictions(r, lambda i, row: {"ner_tags": _o(row) if i == 0 else _bioes(row)}),
                EVAL_NER,
                "ner_tags",
                ("preds.jsonl:2", "BIOES"),
            ),
        },
    )
)


# ------------------------------------------------------------------ valid input that must be accepted


@dataclass(frozen=True)
class Valid:
    change: Callable[[Path], None]
    command: tuple[str, ...]
    check: Callable[[Path, str], None]  # (root, output) -> raises AssertionError when mangled


def _html_in_scrape(root: Path) -> None:
    """A scraped title and outlet holding HTML; the fixture's annotations are rewritten for the new text."""
    text = _bare_bytes().decode()
    title = text.split("\n")[0]
    data = text.replace(title, "<script>alert(1)</script> <b>" + title + "</b>", 1) + "\nSource : <b>Le Monde</b>\n"
    outlet = {"outlet": "<b>Le Monde</b>", "outlet_evidence": "Source : <b>Le Monde</b>"}
    (root / "corpus" / "raw" / BARE_RAW).write_bytes(data.encode())
    _sources(
        root,
        lambda rs: [
            {**r, **outlet, "raw_sha256": sha256_bytes(data.encode())} if r["file"] == BARE_RAW else r for r in rs
        ],
    )
    write_fixture(root)


def _html_stays_text(root: Path, output: str) -> None:
    import pyarrow.parquet as pq

    card = (root / "dataset" / "README.md").read_text(encoding="utf-8")
    assert "&lt;b>Le Monde&lt;/b>" in card  # the outlet is in the card, as text
    for page in (card, (root / "DATASHEET.md").read_text(encoding="utf-8")):
        assert "<script" not in page and "<b>" not in page
    documents = [
        r for p in (root / "dataset" / "data" / "documents").glob("*.parquet") for r in pq.read_table(p).to_pylist()
    ]
    title = next(r["title"] for r in documents if r["id"] == BARE_DOC)
    assert title.startswith("<script>alert(1)</script>")  # the data keeps the title as scraped; only the card escapes


def _separators_in_predictions(root: Path) -> None:
    lines = _stance_lines(root)
    first = json.loads(lines[0]) | {"comment": "ligne\u2028séparée\u2029ici"}
    _predictions(root, [json.dumps(first, ensure_ascii=False), *lines[1:]])


def _separator_in_sources(root: Path) -> None:
    _sources(
        root, lambda rs: [{**r, "url": "https://example.org/a\u2028b"} if r["file"] == BARE_RAW else r for r in rs]
    )


VALID: dict[str, Valid] = {
    "valid: HTML in a scraped title and outlet stays text in the card": Valid(_html_in_scrape, BUILD, _html_stays_text),
    "valid: U+2028 and U+2029 inside a predictions string": Valid(
        _separators_in_predictions, EVAL_STANCE, lambda root, output: None
    ),
    "valid: U+2028 inside a sources.jsonl string": Valid(_separator_in_sources, BUILD, lambda root, output: None),
}


# ------------------------------------------------------------------ running a case


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return annotated_project(tmp_path_factory.mktemp("bad-input"))


PROTECTED = ("dataset", "annotations", "corpus")


def _tree(root: Path) -> dict[str, str]:
    out = {}
    for folder in PROTECTED:
        for p in sorted((root / folder).rglob("*")):
            if p.is_symlink():
                out[p.relative_to(root).as_posix()] = "link " + os.readlink(p)
            elif p.is_file():
                out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
            else:
                out[p.relative_to(root).as_posix()] = "folder" if p.is_dir() else "other"
    out["DATASHEET.md"] = hashlib.sha256((root / "DATASHEET.md").read_bytes()).hexdigest()
    return out


@dataclass(frozen=True)
class Outcome:
    """How one case ended: ``kind`` is one of clear, unclear, silent, traceback (error cases) or
    valid, refused, mangled (valid cases); ``lost`` when a file it must not touch changed."""

    kind: str
    message: str
    lost: tuple[str, ...] = ()


def _invoke(root: Path, command: tuple[str, ...]):
    from coopnum.cli import app

    return CliRunner().invoke(app, [a.replace("{root}", str(root)) for a in command])


def _traceback(result) -> bool:
    return (result.exception is not None and not isinstance(result.exception, SystemExit)) or (
        "Traceback" in result.output or "internal error" in result.output
    )


def _error_outcome(case: Case, result, lost: tuple[str, ...]) -> Outcome:
    message = result.output.strip()
    if _traceback(result):
        return Outcome("traceback", f"{type(result.exception).__name__}: {result.exception}", lost)
    if result.exit_code == 0:
        return Outcome("silent", message, lost)
    field = case.field_of() if case.field_of else case.field
    clear = (
        message.startswith("error: ")
        and message.count("\n") == 0  # one line
        and "file=" in message
        and (field is None or f"field={field}" in message)
        and all(n in message for n in case.names)
        and (case.at is None or case.at in re.search(r"file=([^,\]]*)", message)[1])
    )
    return Outcome("clear" if clear else "unclear", message, lost)


def run_case(template: Path, tmp: Path, name: str) -> Outcome:
    """Damage a copy of the template as case ``name`` says, run its command, and say how it ended."""
    root = tmp / "project"
    shutil.copytree(template, root, symlinks=True)
    if name in VALID:
        valid = VALID[name]
        valid.change(root)
        before = _tree(root)
        result = _invoke(root, valid.command)
        kept = PROTECTED[1:] if valid.command[0] == "build" else PROTECTED  # a build rewrites dataset/
        lost = tuple(k for k in before if k.split("/")[0] in kept and _tree(root).get(k) != before[k])
        if _traceback(result):
            return Outcome("traceback", f"{type(result.exception).__name__}: {result.exception}", lost)
        if result.exit_code != 0:
            return Outcome("refused", result.output.strip(), lost)
        try:
            valid.check(root, result.output)
        except AssertionError as e:
            return Outcome("mangled", str(e), lost)
        return Outcome("valid", result.output.strip().splitlines()[-1] if result.output.strip() else "", lost)
    case = CASES[name]
    case.damage(root)
    before = _tree(root)
    result = _invoke(root, case.command)
    after = _tree(root)
    lost = tuple(sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k)))
    return _error_outcome(case, result, lost)


OUTCOMES: dict[str, Outcome] = {}  # filled by the case tests; the summary runs the cases they did not


def test_the_matrix_is_large_enough() -> None:
    print(f"\nbad-input matrix: {len(CASES)} error cases + {len(VALID)} valid ones")
    assert len(CASES) + len(VALID) >= 100


@pytest.mark.parametrize("name", [*CASES, *VALID], ids=str)
def test_bad_input(template: Path, tmp_path: Path, name: str) -> None:
    outcome = OUTCOMES[name] = run_case(template, tmp_path, name)
    print(f"\n{name}: {outcome.kind}: {outcome.message}")
    assert outcome.lost == (), f"changed: {outcome.lost}"
    assert outcome.kind == ("valid" if name in VALID else "clear"), outcome.message


def test_the_matrix_summary(template: Path, tmp_path: Path) -> None:
    """tried / clear errors / silently accepted / tracebacks / data lost, counted from the runs."""
    for i, name in enumerate(n for n in [*CASES, *VALID] if n not in OUTCOMES):
        OUTCOMES[name] = run_case(template, tmp_path / str(i), name)
    kinds = [o.kind for o in OUTCOMES.values()]
    tried, silent, tracebacks = len(OUTCOMES), kinds.count("silent"), kinds.count("traceback")
    lost = sum(bool(o.lost) for o in OUTCOMES.values())
    print(
        f"\nbad-input matrix: tried {tried} / clear errors {kinds.count('clear')} / silently accepted {silent} / "
        f"tracebacks {tracebacks} / data lost {lost}"
        f"\n  valid inputs accepted {kinds.count('valid')} of {len(VALID)}; unclear errors {kinds.count('unclear')}; "
        f"valid inputs refused {kinds.count('refused')}, mangled {kinds.count('mangled')}"
    )
    assert tried == len(CASES) + len(VALID)
    assert (silent, tracebacks, lost) == (0, 0, 0), {
        n: o for n, o in OUTCOMES.items() if o.kind in ("silent", "traceback") or o.lost
    }
    assert kinds.count("unclear") + kinds.count("refused") + kinds.count("mangled") == 0


# ------------------------------------------------------------------ Label Studio exports (a real server)


def _ls_region(doc, surface: str, label: str) -> dict:
    from ..labelstudio.test_labelstudio import region

    return region(doc, 1, surface, label)[0]


LS_CASES: dict[str, tuple[Callable[[object], list[dict]], str]] = {
    "export: unknown entity label": (
        lambda doc: [{**(r := _ls_region(doc, "Moscou", "LOC")), "value": {**r["value"], "labels": ["BANANA"]}}],
        "result[0].value.labels",
    ),
    "export: unknown control": (
        lambda doc: [{**_ls_region(doc, "Moscou", "LOC"), "from_name": "ner_7", "to_name": "p_7"}],
        "result[0].from_name",
    ),
    "export: unknown stance choice": (
        lambda doc: [
            {"id": "c", "from_name": "stance", "to_name": "doc", "type": "choices", "value": {"choices": ["MAYBE"]}}
        ],
        "result[0].value.choices",
    ),
    "export: text does not match offsets": (
        lambda doc: [{**(r := _ls_region(doc, "Moscou", "LOC")), "value": {**r["value"], "text": "Kazan"}}],
        "result[0].value.text",
    ),
    "export: offsets past the paragraph": (
        lambda doc: [{**(r := _ls_region(doc, "Moscou", "LOC")), "value": {**r["value"], "start": 400, "end": 406}}],
        "result[0].value",
    ),
    "export: reversed offsets": (
        lambda doc: [{**(r := _ls_region(doc, "Moscou", "LOC")), "value": {**r["value"], "start": 8, "end": 2}}],
        "result[0].value",
    ),
}


def test_the_matrix_with_label_studio_exports_is_printed() -> None:
    n = len(CASES) + len(VALID)
    print(f"\nbad-input matrix: {n} file cases + {len(LS_CASES)} Label Studio export cases = {n + len(LS_CASES)}")


@pytest.mark.labelstudio
@pytest.mark.parametrize("name", LS_CASES, ids=str)
def test_bad_label_studio_export(ls_server, tmp_path: Path, name: str) -> None:
    import secrets as _secrets

    from coopnum.cli import app

    from ..labelstudio.test_labelstudio import create_user, push, tasks_by_doc
    from ..lshelpers import document

    title = f"bad-{_secrets.token_hex(3)}"
    doc = document(f"0000000000{_secrets.token_hex(3)}", ["Titre", "Yandex à Moscou."])
    push(ls_server, [doc], title, predictions=False)
    task = tasks_by_doc(ls_server, title)[doc.doc_id][0]
    user = create_user(ls_server, f"bad-{_secrets.token_hex(3)}@coopnum.invalid")
    make, field = LS_CASES[name]
    a = ls_server.client().ls.annotations.create(id=task["id"], result=make(doc), completed_by=user)
    (tmp_path / "annotations").mkdir()
    result = CliRunner().invoke(app, ["ls", "pull", "--root", str(tmp_path), "--project", title], env=ls_server.env())
    assert result.exit_code == 3, result.output
    assert f"task {task['id']}, annotation ls-{a.id}, field {field}" in result.output, result.output
    assert list((tmp_path / "annotations").iterdir()) == []  # nothing written
    print(f"\n{name}: {result.output.strip().splitlines()[-1]}")


# ------------------------------------------------------------------ the top-level handler


def _raising(error: BaseException) -> Callable[[], None]:
    from coopnum.cli.app import reports_errors

    @reports_errors
    def command() -> None:
        raise error

    return command


@pytest.mark.parametrize(
    ("error", "code", "says"),
    [
        (OSError(errno.ENOSPC, "No space left on device", "/data/dataset/.tmp"), 4, "[file=/data/dataset/.tmp]"),
        (OSError(errno.ENOSPC, "No space left on device"), 4, "TMPDIR"),  # a write() knows no path
        (OSError(errno.EROFS, "Read-only file system", "/ro/dataset"), 4, "Read-only file system [file=/ro/dataset]"),
        (PermissionError(errno.EACCES, "Permission denied", "/x/corpus"), 4, "Permission denied [file=/x/corpus]"),
        (FileNotFoundError(errno.ENOENT, "No such file or directory", "/x/missing"), 4, "[file=/x/missing]"),
        (UnicodeDecodeError("utf-8", b"\xe9", 0, 1, "invalid continuation byte"), 3, "cannot decode"),
        (KeyError("x"), 70, "internal error KeyError"),
    ],
)
def test_every_error_is_one_line_and_a_non_zero_exit(capsys, error: BaseException, code: int, says: str) -> None:
    import typer

    with pytest.raises(typer.Exit) as e:
        _raising(error)()
    line = capsys.readouterr().err
    assert e.value.exit_code == code and line.startswith("error: ") and line.count("\n") == 1, line
    assert says in line, line


def test_debug_shows_the_traceback(tmp_path: Path, monkeypatch) -> None:
    from coopnum.cli import app
    from coopnum.errors import CorpusError

    plain = CliRunner().invoke(app, ["build", "--root", str(tmp_path)])
    assert plain.exit_code == 3 and isinstance(plain.exception, SystemExit), plain.output
    debug = CliRunner().invoke(app, ["--debug", "build", "--root", str(tmp_path)])
    assert isinstance(debug.exception, CorpusError)  # raised, so Python prints its traceback
    monkeypatch.setenv("COOPNUM_DEBUG", "1")
    assert isinstance(CliRunner().invoke(app, ["build", "--root", str(tmp_path)]).exception, CorpusError)
