"""croissant.json of a real build: `mlcroissant validate` with no warning, records per split with the
Parquet files' counts, nested fields read back, every Parquet file with its path and sha256, the JSON
without its files an error, label sets and licences per part, true RAI fields."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
from pathlib import Path

import mlcroissant as mlc
import pyarrow.parquet as pq
import pytest

from coopnum import schema
from coopnum.dataset import croissant, registry, settings
from coopnum.dataset.manifest import parquet_sha256
from coopnum.util.hashing import sha256_file

from .test_card_hub import built  # noqa: F401  # the module-scoped scratch build


def test_validates_with_no_warning(built: Path, caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    with caplog.at_level(logging.WARNING):
        dataset = mlc.Dataset(built / "croissant.json")
    assert not dataset.metadata.ctx.issues.warnings, dataset.metadata.ctx.issues.warnings
    assert not dataset.metadata.ctx.issues.errors


@pytest.mark.slow  # mlcroissant reads every split of two configs
@pytest.mark.parametrize("config", ["ner", "documents"])
def test_each_split_loads_alone_with_the_parquet_count(built: Path, config: str) -> None:  # noqa: F811
    dataset = mlc.Dataset(built / "croissant.json")
    for split in schema.SPLITS:
        path = built / "data" / config / f"{split}.parquet"
        expected = pq.read_metadata(path).num_rows if path.is_file() else 0
        records = list(dataset.records(config, filters={f"{config}/split": split}))
        assert len(records) == expected, (config, split)
        assert all(r[f"{config}/split"] in (split, split.encode()) for r in records)


def test_nested_fields_read_back(built: Path) -> None:  # noqa: F811
    dataset = mlc.Dataset(built / "croissant.json")
    record = next(iter(dataset.records("documents", filters={"documents/split": "train"})))
    first = pq.read_table(built / "data" / "documents" / "train.parquet").slice(0, 1).to_pylist()[0]
    for column in ("entities", "paragraphs", "offset_map", "audit"):
        got = record[f"documents/{column}"]
        assert len(got) == len(first[column]), column
        key = next(iter(first[column][0]))
        assert got[0][f"documents/{column}/{key}"] == first[column][0][key], column


def test_label_sets_licences_and_rai(built: Path) -> None:  # noqa: F811
    data = json.loads((built / "croissant.json").read_text(encoding="utf-8"))
    sets = {rs["@id"]: rs for rs in data["recordSet"]}
    for name, (names, _) in croissant.LABEL_SETS.items():
        assert [row[f"{name}/name"] for row in sets[name]["data"]] == list(names)
    assert [row["splits/name"] for row in sets["splits"]["data"]] == list(schema.SPLITS)
    assert set(registry.configs(True)) <= set(sets)
    licences = {lic["name"]: lic for lic in data["license"]}
    assert set(licences) == {lic.name for lic in settings.LICENCES}
    assert "url" not in licences[settings.TEXTS.name]
    tools = " ".join(data["rai:machineAnnotationTools"])
    assert "language-model" in tools and "spaCy" in tools
    assert data["rai:annotationsPerItem"].startswith("0.0 human annotations per document")
    agreement = json.loads((built / "agreement.json").read_text(encoding="utf-8"))
    analysis = " ".join(data["rai:dataAnnotationAnalysis"])
    overall = agreement["pairs"][0]["entities_exact"]["overall"]["f1"]
    assert f"overall {overall}" in analysis
    assert str(agreement["krippendorff_alpha"]["paragraph_stance"]) in analysis


def _distribution(dataset: Path) -> dict[str, dict]:
    data = json.loads((dataset / "croissant.json").read_text(encoding="utf-8"))
    return {node["@id"]: node for node in data["distribution"]}


def _parquet_files(dataset: Path) -> dict[str, dict]:
    """The file objects of Parquet files, by their path in the Parquet folder."""
    return {
        node["contentUrl"]: node
        for node in _distribution(dataset).values()
        if node["@type"] == "cr:FileObject" and node["encodingFormat"] == "application/x-parquet"
    }


def test_every_parquet_file_has_its_path_and_sha256(built: Path) -> None:  # noqa: F811
    folder = _distribution(built)["parquet-folder"]
    assert folder["contentUrl"] == croissant.DATA_FOLDER  # relative to the JSON's folder
    on_disk = {p.relative_to(built / "data").as_posix(): p for p in (built / "data").rglob("*.parquet")}
    declared = _parquet_files(built)
    assert set(declared) == set(on_disk) and on_disk
    for path, node in declared.items():
        assert node["sha256"] == sha256_file(on_disk[path]), path
        assert node["cr:containedIn"] == {"@id": "parquet-folder"}, path
    listing = "".join(f"{sha256_file(on_disk[p])}  {p}\n" for p in sorted(on_disk))
    assert folder["sha256"] == hashlib.sha256(listing.encode()).hexdigest()


def test_a_changed_parquet_file_changes_its_declared_sha256(built: Path, tmp_path: Path) -> None:  # noqa: F811
    copy = tmp_path / "dataset"
    shutil.copytree(built / "data", copy / "data")
    changed = copy / "data" / "ner" / "train.parquet"
    changed.write_bytes(changed.read_bytes() + b"\0")
    features = registry.configs(True)
    text = croissant.croissant_json(features, {}, "coopnum", "0.0.0", parquet_sha256(copy))
    (copy / "croissant.json").write_text(text, encoding="utf-8")
    before, after = _parquet_files(built), _parquet_files(copy)
    assert {p for p in after if after[p]["sha256"] != before[p]["sha256"]} == {"ner/train.parquet"}
    assert _distribution(copy)["parquet-folder"]["sha256"] != _distribution(built)["parquet-folder"]["sha256"]


def test_the_json_without_its_parquet_files_is_an_error_not_zero_records(
    built: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    shutil.copyfile(built / "croissant.json", tmp_path / "croissant.json")
    dataset = mlc.Dataset(tmp_path / "croissant.json")
    with pytest.raises(mlc.GenerationError) as raised:
        next(iter(dataset.records("ner", filters={"ner/split": "train"})))
    assert isinstance(raised.value.__cause__, AssertionError)
    assert f'file "{croissant.DATA_FOLDER}"' in str(raised.value.__cause__)


def test_label_sets_are_categorical(built: Path) -> None:  # noqa: F811
    data = json.loads((built / "croissant.json").read_text(encoding="utf-8"))
    sets = {rs["@id"]: rs for rs in data["recordSet"]}
    for name in croissant.LABEL_SETS:
        assert sets[name]["dataType"] == "sc:Enumeration", name
    named = [
        re.search(r"names in record set `([a-z_]+)`", f["description"])
        for rs in data["recordSet"]
        for f in rs.get("field", [])
        if f.get("description", "").startswith("class label id")
    ]
    assert named and all(m is not None and m[1] in croissant.LABEL_SETS for m in named)


def test_the_text_made_with_stand_ins_and_filled_in_is_the_text_made_with_the_sha256(built: Path) -> None:  # noqa: F811
    """What a rebuild writes from its cached text (coopnum.dataset.build._croissant) is what the build
    makes with mlcroissant, for the built files' sha256 and for changed ones."""
    features, real = registry.configs(True), parquet_sha256(built)
    rai = {"data_limitations": ["a limitation"]}
    stand_ins = croissant.stand_in_sha256(real)
    template = croissant.croissant_json(features, rai, "coopnum", "0.0.0", stand_ins)
    assert not set(real.values()) & set(re.findall("[0-9a-f]{64}", template))  # no real sha256 in it
    changed = {path: hashlib.sha256(digest.encode()).hexdigest() for path, digest in real.items()}
    for digests in (real, changed):
        expected = croissant.croissant_json(features, rai, "coopnum", "0.0.0", digests)
        assert croissant.with_sha256(template, features, stand_ins, digests) == expected
    fewer = dict(list(real.items())[1:])  # another set of files: not this template's
    assert croissant.with_sha256(template, features, stand_ins, fewer) is None
    twice = template.replace("}", f', "again": "{next(iter(stand_ins.values()))}"}}', 1)
    assert croissant.with_sha256(twice, features, stand_ins, real) is None  # a stand-in not in one place
