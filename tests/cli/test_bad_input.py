"""The bad-input matrix: malformed corpus, annotation, prediction and Label Studio inputs.

Every case runs the real command line on a scratch copy of an annotated, built
project, and must exit non-zero with one message naming the file and the field
(and the document and annotation where there is one), leaving dataset/,
DATASHEET.md and annotations/ byte for byte as they were.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coopnum.annotation import format as ann
from coopnum.util.hashing import sha256_bytes

from ..annotation_fixture import annotated_project, edit_annotations, gold_of
from ..conftest import first_doc_id, source_records

DOC = first_doc_id()  # the document annotation cases damage
RAW = next(r["file"] for r in source_records() if r["doc_id"] == DOC)
# Raw cases rewrite a document that states no outlet or date, so only the text itself can be at fault.
BARE_RAW = next(r["file"] for r in sorted(source_records(), key=lambda r: r["file"]) if not (r["outlet"] or r["date"]))


@dataclass(frozen=True)
class Case:
    damage: Callable[[Path], None]
    command: tuple[str, ...]  # coopnum arguments; {root} is replaced
    field: str | None  # the field the message must name
    names: tuple[str, ...] = ()  # other things the message must contain (file names, ids)


def _sources(root: Path, change: Callable[[list[dict]], list[dict]]) -> None:
    path = root / "corpus" / "sources.jsonl"
    records = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
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
        lambda r: _ann(r, lambda o: o.update(annotations=[])), BUILD, "ground_truth"
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


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return annotated_project(tmp_path_factory.mktemp("bad-input"))


def _tree(root: Path) -> dict[str, str]:
    out = {}
    for folder in ("dataset", "annotations"):
        for p in sorted((root / folder).rglob("*")):
            if p.is_file():
                out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    out["DATASHEET.md"] = hashlib.sha256((root / "DATASHEET.md").read_bytes()).hexdigest()
    return out


def test_the_matrix_is_large_enough() -> None:
    print(f"\nbad-input matrix: {len(CASES)} cases")
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", CASES, ids=str)
def test_bad_input(template: Path, tmp_path: Path, name: str) -> None:
    root = tmp_path / "project"
    shutil.copytree(template, root)
    case = CASES[name]
    case.damage(root)
    outputs = {k: v for k, v in _tree(root).items() if not k.startswith("annotations/")}
    annotations_before = {k: v for k, v in _tree(root).items() if k.startswith("annotations/")}
    result = CliRunner().invoke(
        __import__("coopnum.cli", fromlist=["app"]).app, [a.replace("{root}", str(root)) for a in case.command]
    )
    message = result.output.strip()
    assert result.exit_code != 0, message
    assert message.startswith("error: ") and message.count("\n") == 0, message  # one clear line
    assert "file=" in message, message
    if case.field:
        assert f"field={case.field}" in message, message
    for name_ in case.names:
        assert name_ in message, message
    print(f"\n{name}: {message}")
    after = _tree(root)
    assert {k: v for k, v in after.items() if not k.startswith("annotations/")} == outputs
    assert {k: v for k, v in after.items() if k.startswith("annotations/")} == annotations_before


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
    print(
        f"\nbad-input matrix: {len(CASES)} file cases + {len(LS_CASES)} Label Studio export cases = {len(CASES) + len(LS_CASES)}"
    )


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
    assert result.exit_code == 2, result.output
    assert f"task {task['id']}, annotation ls-{a.id}, field {field}" in result.output, result.output
    assert list((tmp_path / "annotations").iterdir()) == []  # nothing written
    print(f"\n{name}: {result.output.strip().splitlines()[-1]}")
