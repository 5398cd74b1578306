"""The annotated configs, built from the test fixture: load_dataset, counts, round trips,
card, datasheet, Croissant, and bad annotations."""

from __future__ import annotations

import json
import re
from pathlib import Path

import huggingface_hub
import mlcroissant as mlc
import pytest
import yaml
from datasets import load_dataset

from coopnum import schema
from coopnum.annotation import format as ann
from coopnum.dataset import datasheet, registry
from coopnum.dataset.build import build, check, clean_corpus
from coopnum.errors import CoopnumError
from coopnum.text import align

from ..annotation_fixture import write_fixture
from ..conftest import first_doc_id


@pytest.fixture
def annotated(project: Path) -> tuple[Path, ann.Counts]:
    counts = write_fixture(project)
    build(project)
    return project, counts


def load(root: Path, config: str, cache_dir: str):
    return load_dataset(str(root / "dataset"), config, cache_dir=cache_dir)


def all_rows(ds) -> list[dict]:
    return [r for split in schema.SPLITS for r in ds[split]]


def test_every_config_loads_with_schema_label_names(annotated, cache_dir: str) -> None:
    root, _ = annotated
    for config, feats in registry.configs(True).items():
        ds = load(root, config, cache_dir)
        assert set(ds) == set(schema.SPLITS)
        for split in ds.values():
            assert split.features == feats, config
    ner = load(root, "ner", cache_dir)["train"].features
    assert ner["ner_tags"].feature.names == list(schema.CONLL_NER_TAGS)
    assert ner["fine_ner_tags"].feature.names == list(schema.FINE_NER_TAGS)


def test_counts_in_equal_counts_out(annotated, cache_dir: str) -> None:
    root, counts = annotated
    docs = {
        d.doc_id: ann.load_file(root / "annotations" / ann.SUBDIR / f"{d.doc_id}.json")
        for d in clean_corpus(root / "corpus")
    }
    gold = {i: d.gold() for i, d in docs.items()}
    documents = all_rows(load(root, "documents", cache_dir))
    assert sum(len(r["entities"]) for r in documents) == sum(len(g.entities) for g in gold.values())
    ner = all_rows(load(root, "ner", cache_dir))
    b_tags = sum(t.startswith("B-") for r in ner for t in (schema.FINE_NER_TAGS[i] for i in r["fine_ner_tags"]))
    assert b_tags == sum(len(g.entities) for g in gold.values())
    stance = all_rows(load(root, "stance", cache_dir))
    assert len(stance) == sum(len(g.paragraph_stances) for g in gold.values())
    assert len(all_rows(load(root, "stance_document", cache_dir))) == len(docs)
    assert len(all_rows(load(root, "topic", cache_dir))) == len(docs)
    labels = all_rows(load(root, "annotator_labels", cache_dir))
    assert len(labels) == counts.annotations
    assert sum(len(r["entities"]) for r in labels) == counts.spans
    manifest = json.loads((root / "dataset" / "manifest.json").read_text())
    assert sum(manifest["rows"]["ner"].values()) == len(ner)


def test_ner_rows_round_trip_to_the_gold_spans(annotated, cache_dir: str) -> None:
    root, _ = annotated
    docs = {d["id"]: d for d in all_rows(load(root, "documents", cache_dir))}
    found: dict[str, list[tuple[int, int, str]]] = {i: [] for i in docs}
    for r in all_rows(load(root, "ner", cache_dir)):
        tokens = [align.Token(t, s, e) for t, s, e in zip(r["tokens"], r["token_starts"], r["token_ends"], strict=True)]
        text = docs[r["doc_id"]]["text"]
        assert all(text[t.start : t.end] == t.text for t in tokens)
        fine = [schema.FINE_NER_TAGS[i] for i in r["fine_ner_tags"]]
        found[r["doc_id"]] += align.iob2_to_spans(tokens, fine)
        conll = [schema.CONLL_NER_TAGS[i] for i in r["ner_tags"]]
        assert conll == align.project(fine, schema.CONLL_PROJECTION)
    for doc_id, d in docs.items():
        want = sorted((e["start"], e["end"], schema.ENTITY_LABELS[e["label"]]) for e in d["entities"])
        assert sorted(found[doc_id]) == want


def test_card_has_every_template_heading_and_no_placeholder(annotated) -> None:
    root, _ = annotated
    text = (root / "dataset" / "README.md").read_text(encoding="utf-8")
    template = Path(huggingface_hub.__file__).parent / "templates" / "datasetcard_template.md"
    headings = [
        re.sub(r"\s*\[optional\]", "", h).replace('{{ pretty_name | default("Dataset Name", true) }}', "").strip()
        for h in re.findall(r"^#+ .*$", template.read_text(), flags=re.M)
        if not h.startswith("# For reference") and not h.startswith("# Doc /")
    ]
    for h in headings:
        assert any(line.startswith(h) for line in text.splitlines()), f"card lacks heading {h!r}"
    assert "[More Information Needed]" not in text
    meta = yaml.safe_load(text.split("---\n")[1])
    assert {c["config_name"] for c in meta["configs"]} == set(registry.configs(True))
    for c in meta["configs"]:
        for f in c["data_files"]:
            assert (root / "dataset" / f["path"]).is_file()
    assert "| overall |" in text  # agreement table, computed from the fixture's two passes


def test_datasheet_answers_every_question(annotated) -> None:
    root, _ = annotated
    text = (root / "DATASHEET.md").read_text(encoding="utf-8")
    sections = [
        "Motivation",
        "Composition",
        "Collection Process",
        "Preprocessing/cleaning/labeling",
        "Uses",
        "Distribution",
        "Maintenance",
    ]
    assert [s for s in re.findall(r"^## (.*)$", text, flags=re.M)] == sections
    blocks = re.split(r"^\*\*(.+?)\*\*$", text, flags=re.M)[1:]
    questions, answers = blocks[0::2], blocks[1::2]
    assert len(questions) == len(datasheet.QUESTIONS) >= 50
    for q, a in zip(questions, answers, strict=True):
        answer = a.split("\n## ")[0].strip()
        assert answer, f"no answer to {q!r}"
    assert f"{sum(1 for _ in clean_corpus(root / 'corpus'))} articles" in text


def test_datasheet_edit_is_reported_stale(annotated) -> None:
    root, _ = annotated
    assert check(root) == []
    sheet = root / "DATASHEET.md"
    text = sheet.read_text(encoding="utf-8")
    stated = f"{len(clean_corpus(root / 'corpus'))} articles"  # the count the datasheet states, however many
    assert stated in text
    sheet.write_text(text.replace(stated, "no articles", 1), encoding="utf-8")
    assert check(root) == ["output edited since the build: DATASHEET.md"]


def test_croissant_validates_and_its_records_load(annotated) -> None:
    root, _ = annotated
    path = root / "dataset" / "croissant.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    assert meta["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    from coopnum.dataset import croissant

    names = {rs["name"] for rs in meta["recordSet"]}
    assert names == set(registry.configs(True)) | set(croissant.LABEL_SETS) | {croissant.SPLITS}
    dataset = mlc.Dataset(jsonld=str(path))  # validates on load
    records = list(dataset.records("ner"))
    assert len(records) == sum(json.loads((root / "dataset" / "manifest.json").read_text())["rows"]["ner"].values())
    first = records[0]
    assert isinstance(first["ner/tokens"], (list, tuple)) and first["ner/ner_tags"] is not None
    assert "rai:dataBiases" in json.dumps(meta) or "dataBiases" in json.dumps(meta)


def test_annotated_builds_are_byte_identical(annotated, tmp_path: Path) -> None:
    root, _ = annotated
    first = {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "dataset").rglob("*") if p.is_file()}
    build(root)
    again = {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "dataset").rglob("*") if p.is_file()}
    assert first == again


# ------------------------------------------------------------------ bad annotations


def _edit(root: Path, doc_id: str, change) -> None:
    path = root / "annotations" / ann.SUBDIR / f"{doc_id}.json"
    obj = json.loads(path.read_text(encoding="utf-8"))
    change(obj)
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")


DOC = first_doc_id()  # the document the damage is done to


def _gold(obj: dict) -> dict:
    return next(a for a in obj["annotations"] if a["ground_truth"])


BAD_ANNOTATIONS = {
    "unknown label": (lambda r: _edit(r, DOC, lambda o: _gold(o)["entities"][0].update(label="PERSON")), "label"),
    "offsets out of range": (
        lambda r: _edit(r, DOC, lambda o: _gold(o)["entities"][0].update(start=10**6, end=10**6 + 5)),
        "end",
    ),
    "text does not match offsets": (
        lambda r: _edit(
            r, DOC, lambda o: _gold(o)["entities"][0].update(text="not " + _gold(o)["entities"][0]["text"])
        ),
        "text",
    ),
    "reversed offsets": (lambda r: _edit(r, DOC, lambda o: _gold(o)["entities"][0].update(start=9, end=3)), "start"),
    "stale text_sha256": (lambda r: _edit(r, DOC, lambda o: o.update(text_sha256="0" * 64)), "text_sha256"),
    "document not in corpus": (
        lambda r: (r / "annotations" / ann.SUBDIR / "0123456789abcdef.json").write_text(
            (r / "annotations" / ann.SUBDIR / f"{DOC}.json").read_text().replace(DOC, "0123456789abcdef")
        ),
        "doc_id",
    ),
    # (a document without annotations, or without a gold yet, is no error: tests/dataset/test_stages.py)
    "gold without document stance": (lambda r: _edit(r, DOC, lambda o: _gold(o).update(stance=None)), "stance"),
    "gold missing a paragraph stance": (
        lambda r: _edit(r, DOC, lambda o: _gold(o)["paragraph_stances"].__setitem__(0, None)),
        "paragraph_stances",
    ),
    "overlapping gold spans": (
        lambda r: _edit(
            r,
            DOC,
            lambda o: _gold(o)["entities"].append({**_gold(o)["entities"][0], "label": "ORG"}),
        ),
        "entities",
    ),
    "undescribed annotator": (
        lambda r: _edit(r, DOC, lambda o: o["annotations"][0].update(annotator="annotator-unknown")),
        "annotator",
    ),
    "truncated JSON": (
        lambda r: (r / "annotations" / ann.SUBDIR / f"{DOC}.json").write_text('{"format": "coopnum-annot'),
        None,
    ),
}


@pytest.mark.parametrize("case", BAD_ANNOTATIONS, ids=str)
def test_bad_annotations_are_reported_and_dataset_untouched(annotated, case: str) -> None:
    root, _ = annotated
    before = {p: p.read_bytes() for p in sorted((root / "dataset").rglob("*")) if p.is_file()}
    sheet = (root / "DATASHEET.md").read_bytes()
    damage, field = BAD_ANNOTATIONS[case]
    damage(root)
    with pytest.raises(CoopnumError) as e:
        build(root)
    message = str(e.value)
    assert e.value.file and "annotations" in e.value.file, message
    if field:
        assert e.value.field == field, message
    if case not in ("document not in corpus", "truncated JSON", "undescribed annotator"):
        assert e.value.doc_id == DOC, message
    after = {p: p.read_bytes() for p in sorted((root / "dataset").rglob("*")) if p.is_file()}
    assert after == before and (root / "DATASHEET.md").read_bytes() == sheet
    print(f"\n{case}: {message}")
