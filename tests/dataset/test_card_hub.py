"""The card of a real build, as the hub reads it: tags, gate, licence link, dataset_info sizes from the
Parquet files, one example row and one field table per config, the evaluation section, plots, links
and citation; and Croissant from the same build: 0 validation warnings and per-split loads."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from coopnum import schema
from coopnum.dataset import card, card_sections, registry, settings
from coopnum.dataset.build import build
from coopnum.dataset.plots import PLOTS, PLOTS_DIR
from coopnum.util import lock

from ..conftest import REPO

COPIED = ("corpus", "annotations", "benchmarks", "pyproject.toml")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh build of the repository's inputs in a scratch root (never the checkout's dataset/)."""
    root = tmp_path_factory.mktemp("root")
    for name in COPIED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        elif source.is_file():
            shutil.copyfile(source, root / name)
    with lock.checkout_lock(root, "build"):
        build(root, processes=1)
    return root / "dataset"


def front_matter(dataset: Path) -> dict:
    return yaml.safe_load((dataset / "README.md").read_text(encoding="utf-8").split("---\n")[1])


def body(dataset: Path) -> str:
    return (dataset / "README.md").read_text(encoding="utf-8").split("---\n", 2)[2]


def test_front_matter_has_tags_task_ids_gate_and_licence_link(built: Path) -> None:
    meta = front_matter(built)
    assert "stance-detection" in meta["tags"] and "news" in meta["tags"]
    assert {"named-entity-recognition", "multi-label-classification"} <= set(meta["task_ids"])
    assert meta["license_link"] == card.LICENSE_FILE and (built / meta["license_link"]).is_file()
    assert meta["extra_gated_prompt"] == settings.GATED_PROMPT
    assert meta["extra_gated_fields"] == settings.GATED_FIELDS
    assert any("research" in k for k in meta["extra_gated_fields"])
    assert settings.TAKEDOWN_CONTACT in meta["extra_gated_prompt"]


def test_dataset_info_sizes_are_the_parquet_files(built: Path) -> None:
    infos = {i["config_name"]: i for i in front_matter(built)["dataset_info"]}
    assert set(infos) == set(registry.configs(True))
    for name, info in infos.items():
        splits = {s["name"]: s for s in info["splits"]}
        assert list(splits) == [s for s in schema.SPLITS if (built / "data" / name / f"{s}.parquet").is_file()]
        for split, entry in splits.items():
            path = built / "data" / name / f"{split}.parquet"
            meta = pq.read_metadata(path)
            assert entry["num_examples"] == meta.num_rows
            assert entry["num_bytes"] == sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        assert info["download_size"] == sum((built / "data" / name / f"{s}.parquet").stat().st_size for s in splits)


def test_one_field_table_and_example_row_per_config(built: Path) -> None:
    text = body(built)
    for name, features in registry.configs(True).items():
        section = text.split(f"#### `{name}`\n", 1)[1].split("\n#### ", 1)[0].split("\n### ", 1)[0]
        for field in features:
            assert f"| `{field}` |" in section, (name, field)
        first = pq.read_table(built / "data" / name / "train.parquet").slice(0, 1).to_pylist()[0]
        assert f'"id": "{first["id"]}"' in section, name  # the example is the data's first row


def test_every_published_field_has_a_meaning() -> None:
    for name, features in registry.configs(True).items():
        for field in features:
            assert card_sections.FIELD_MEANINGS.get(field), (name, field)


def test_evaluation_section_states_the_scorer_policy_and_formats(built: Path) -> None:
    from coopnum.benchmark.metrics import ABSENT_POLICY

    text = " ".join(body(built).split())
    assert ABSENT_POLICY[0].upper() + ABSENT_POLICY[1:] in text  # the scorer's own words
    for name in registry.SCORED:
        assert str(registry.CONFIGS[name].prediction_example) in text
    assert "perfect system scores 1.0" in text and "F_avg" in text and "IOB2 strict" in text


def test_baselines_at_the_ceiling_are_named_with_their_warnings(built: Path) -> None:
    import json

    results = json.loads((REPO / "benchmarks" / "baselines.json").read_text(encoding="utf-8"))["baselines"]
    text = body(built)
    if "were computed on another build" in text:
        pytest.skip("benchmarks/baselines.json is stale for this build: the card shows no baseline")
    for name, r in results.items():
        for warning in r["warnings"]:
            assert warning in text, name
        if any(v is not None and v >= 1.0 for v in r["scores"].values()):
            ceiling = text.split("reach the ceiling", 1)[1].split("### Baselines", 1)[0]
            assert f"`{name}`" in ceiling


def test_plots_are_linked_only_when_drawn(built: Path) -> None:
    text = body(built)
    drawn = sorted(p.name for p in (built / PLOTS_DIR).glob("*.svg"))
    assert drawn
    for name, title in PLOTS.items():
        assert (f"![{title}]({PLOTS_DIR}/{name})" in text) == (name in drawn)
    assert card_sections.plots_section([], PLOTS, PLOTS_DIR).count("![") == 0
    assert "no data in this build" in card_sections.plots_section(drawn[:1], PLOTS, PLOTS_DIR)


def test_links_resolve_in_the_hub_folder_or_the_repository_url(built: Path) -> None:
    text = body(built)
    for target in re.findall(r"\]\(([^)]+)\)", text):
        if target.startswith("http"):
            assert target.startswith((settings.REPOSITORY_URL, settings.hub_url())), target
        else:
            assert (built / target).exists(), target
    assert "`annotations/GUIDELINES.md`" not in text and "`DATASHEET.md` in the repository" not in text
    citation = text.split("```bibtex", 1)[1].split("```", 1)[0]
    assert settings.hub_url() in citation and "version = {" in citation


def test_matplotlib_and_mlcroissant_versions_are_build_inputs() -> None:
    import importlib.metadata

    import matplotlib

    from coopnum.dataset.manifest import library_versions

    assert library_versions()["matplotlib"] == matplotlib.__version__
    assert library_versions()["mlcroissant"] == importlib.metadata.version("mlcroissant")


def test_the_ceiling_names_a_baseline_at_one_with_its_warning(built: Path) -> None:
    import dataclasses
    from collections import Counter

    from coopnum.dataset.stats import BaselineResults, Stats

    result = {
        "config": "stance_document",
        "method": "majority",
        "versions": {},
        "scores": {"F_avg": 1.0, "macro F1": 0.5},
        "fold_mean": {},
        "fold_std": {},
        "warnings": ["stance_document: AGAINST occur(s) in no gold row scored"],
    }
    s = dataclasses.replace(
        Stats.from_tally(Counter()), baselines=BaselineResults({"majority-x": result}, current=True)
    )
    section = card_sections.evaluation_section(s)
    assert "`majority-x` | F_avg | stance_document: AGAINST occur(s) in no gold row scored" in section
    assert "macro F1" not in section.split("reach the ceiling", 1)[1]


def test_an_example_with_backticks_cannot_close_its_fence(tmp_path: Path) -> None:
    import pyarrow as pa
    from datasets import Features, Value

    folder = tmp_path / "data" / "documents"
    folder.mkdir(parents=True)
    pq.write_table(pa.table({"id": ["x"], "text": ["a ``` b ```` c"]}), folder / "train.parquet")
    details = card_sections.config_details(
        {"documents": Features({"id": Value("string"), "text": Value("string")})}, tmp_path
    )
    assert "`````json\n" in details and details.rstrip().endswith("`````")
