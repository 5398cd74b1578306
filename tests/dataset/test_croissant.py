"""croissant.json of a real build: `mlcroissant validate` with no warning, records per split with the
Parquet files' counts, nested fields read back, label sets and licences per part, true RAI fields."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import mlcroissant as mlc
import pyarrow.parquet as pq
import pytest

from coopnum import schema
from coopnum.dataset import croissant, registry, settings

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
