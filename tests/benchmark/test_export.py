"""coopnum export: each format written, read back, and compared with the dataset's rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from datasets import get_dataset_config_names, load_dataset
from typer.testing import CliRunner

from coopnum import schema
from coopnum.benchmark import export
from coopnum.cli import app

from ..annotation_fixture import annotated_project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return annotated_project(tmp_path_factory.mktemp("export"))


@pytest.fixture(scope="module")
def ner(built: Path, tmp_path_factory: pytest.TempPathFactory):
    return load_dataset(str(built / "dataset"), "ner", cache_dir=str(tmp_path_factory.mktemp("ner-cache")))


def documents_of(ds, column: str) -> list[tuple[str, list[tuple[list[str], list[str]]]]]:
    """The split's rows grouped by document: (doc_id, [(tokens, tag names)]), in row order."""
    names = ds.features[column].feature.names
    out: list[tuple[str, list[tuple[list[str], list[str]]]]] = []
    for r in ds:
        if not out or out[-1][0] != r["doc_id"]:
            out.append((r["doc_id"], []))
        out[-1][1].append((r["tokens"], [names[t] for t in r[column]]))
    return out


@pytest.mark.parametrize("tags", list(export.TAG_COLUMNS))
def test_conll_round_trips_with_a_docstart_per_document(built: Path, ner, tmp_path: Path, tags: str) -> None:
    paths = export.export(built / "dataset", "conll", tmp_path, tags=tags)
    assert [p.name for p in paths] == [f"{s}.conll" for s in schema.SPLITS]
    for split, path in zip(schema.SPLITS, paths, strict=True):
        expected = documents_of(ner[split], export.TAG_COLUMNS[tags])
        assert export.read_conll(path) == [sentences for _, sentences in expected]
        text = path.read_text(encoding="utf-8")
        assert text.count("-DOCSTART- -X- -X- O\n") == len(expected)
        first_token_line = next(line for line in text.splitlines() if line and not line.startswith("-DOCSTART-"))
        assert len(first_token_line.split(" ")) == 4  # token, POS, chunk, NER: CoNLL-2003's four columns


def test_spacy_docbin_round_trips_tokens_sentences_and_entities(built: Path, ner, tmp_path: Path) -> None:
    paths = export.export(built / "dataset", "spacy", tmp_path, splits=["train", "test"], tags="fine")
    assert [p.name for p in paths] == ["train.spacy", "test.spacy"]
    for split, path in zip(["train", "test"], paths, strict=True):
        docs = export.read_spacy(path)
        expected = documents_of(ner[split], "fine_ner_tags")
        assert [(doc_id, sentences) for doc_id, _, sentences in docs] == expected
        assert [row for _, rows, _ in docs for row in rows] == ner[split]["id"]
    assert any(t != "O" for _, _, sentences in export.read_spacy(paths[0]) for _, tags in sentences for t in tags)


def test_jsonl_round_trips_every_config_with_label_names(built: Path, tmp_path: Path) -> None:
    paths = export.export(built / "dataset", "jsonl", tmp_path, splits=["validation"])
    configs = get_dataset_config_names(str(built / "dataset"))
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == [f"{c}/validation.jsonl" for c in configs]
    for config, path in zip(configs, paths, strict=True):
        ds = load_dataset(str(built / "dataset"), config, cache_dir=str(tmp_path / "c"))["validation"]
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        assert [ds.features.encode_example(obj) for obj in lines] == list(ds), config  # names -> ids gives the rows
    stance = json.loads((tmp_path / "stance" / "validation.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert stance["label"] in schema.STANCE_LABELS  # a name, not an id


def test_export_command_and_its_errors(built: Path, tmp_path: Path) -> None:
    args = [
        "export",
        "--format",
        "conll",
        "--split",
        "test",
        "--out",
        str(tmp_path),
        "--dataset",
        str(built / "dataset"),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "test.conll").is_file() and not (tmp_path / "train.conll").exists()
    bad = CliRunner().invoke(app, [*args[:4], "dev", *args[5:]])
    assert bad.exit_code == 3 and "split 'dev'" in bad.output
    missing = CliRunner().invoke(app, [*args[:-1], str(tmp_path / "nowhere")])
    assert missing.exit_code == 3 and "not a built dataset folder" in missing.output
