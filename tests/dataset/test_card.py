"""The card, the datasheet and Croissant state only computed facts: figures follow the Stats they are
rendered from, no template placeholder survives, tool versions come from package metadata or the
annotations, and the Croissant licence agrees with the card."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from coopnum import schema
from coopnum.annotation import provenance as provenance_mod
from coopnum.dataset import card, croissant, datasheet, facts, settings
from coopnum.dataset.build import annotated_documents, clean_corpus
from coopnum.dataset.stats import Stats, tally
from coopnum.dataset.tables import spelled

from ..conftest import source_records

PLACEHOLDER = re.compile(r"\$\{?[A-Za-z_]")


def _stats(docs, provenance=None) -> Stats:
    total: Counter[tuple[str, ...]] = Counter()
    for d in docs:
        total.update(tally(d))
    return Stats.from_tally(total, provenance)


@pytest.fixture(scope="module")
def real() -> Stats:
    """Stats of the repository's own corpus and annotations, as the build computes them."""
    root = Path(__file__).resolve().parents[2]
    return _stats(annotated_documents(root), provenance_mod.load(root / "annotations"))


@pytest.fixture(scope="module")
def unannotated() -> Stats:
    root = Path(__file__).resolve().parents[2]
    return _stats(clean_corpus(root / "corpus"))


def _seven(s: Stats) -> Stats:
    """``s`` with another corpus size and other figures: what the documents print must follow."""
    return dataclasses.replace(
        s,
        documents={"train": 5, "validation": 1, "test": 1},
        characters=98_765,
        raw_lines=4321,
        outlet_known=3,
        date_known=2,
        title_known=6,
        dates=["2020-01-02", "2021-03"],
        stances={
            "document": {"train": {"FAVOR": 5}, "validation": {"FAVOR": 1}, "test": {"NONE": 1}},
            "paragraph": s.stances["paragraph"],
        },
        agreement=None,  # its figures are per pair of passes, counted over the real documents
        known_issues=(),
    )


def rai_text(s: Stats) -> str:
    """Every RAI field's text (a field is a string or a list of strings)."""
    values = croissant.rai_fields(s).values()
    return "\n".join(v if isinstance(v, str) else "\n".join(v) for v in values)


def _texts(s: Stats) -> dict[str, str]:
    return {"card": card.card_text(s), "datasheet": datasheet.render(s), "rai": rai_text(s)}


def test_real_stats_count_the_repository_corpus(real: Stats) -> None:
    assert real.total_documents == len(source_records())
    assert real.annotated and real.passes and real.preannotation_models


@pytest.mark.parametrize("which", ["real", "seven"])
def test_document_count_comes_from_the_stats(real: Stats, which: str) -> None:
    s = real if which == "real" else _seven(real)
    n = s.total_documents
    texts = _texts(s)
    body = texts["card"]
    assert f"**Size:** {n} documents, {s.characters:,} characters" in body
    assert f"- {n} articles: far too few" in body
    assert f"{n - s.outlet_known} of {n} documents do not state their outlet and {n - s.date_known} of {n}" in body
    sheet = texts["datasheet"]
    assert f"{n} articles ({', '.join(f'{v} {k}' for k, v in s.documents.items())})" in sheet
    assert f"not representative: {spelled(n)} articles" in sheet
    assert f"{s.raw_lines} raw lines were read" in sheet
    assert f"published between {s.dates[0]} and {s.dates[-1]}" in sheet
    assert f"{spelled(n).capitalize()} articles on one subject" in texts["rai"]
    if which == "seven":  # no count of the real corpus survives in a render for another size
        for text in texts.values():
            for stale in ("five articles", "Five articles", "5 articles", "five documents", "5 documents"):
                assert stale not in text, stale


def test_pass_counts_come_from_the_annotations(real: Stats) -> None:
    one_to_three = dataclasses.replace(real, passes={1: 2, 3: 3})
    body = card.render(one_to_three)
    assert "one to three independent annotation passes" in body
    assert "carries two independent" not in body and "two independent passes per document" not in body
    assert (
        "One to three independent passes per document"
        in croissant.rai_fields(one_to_three)["data_annotation_protocol"][0]
    )


def test_dominant_stance_is_counted(real: Stats) -> None:
    documents = real.stance_totals("document")
    label = max(documents, key=documents.__getitem__)
    if 2 * documents[label] > sum(documents.values()):
        assert f"{label} is the gold stance of {documents[label]} of {sum(documents.values())} documents" in (
            card.render(real)
        )
    split: dict[str, dict[str, int]] = {key: {} for key in schema.SPLITS}
    mixed = dataclasses.replace(
        real,
        stances={
            "document": {**split, "train": {"FAVOR": 2, "AGAINST": 2, "NONE": 1}},
            "paragraph": {**split, "train": {"FAVOR": 3}},
        },
    )
    assert facts.dominant_stance(mixed) is None
    assert "dominates" not in card.render(mixed) and "largely one viewpoint" not in card.render(mixed)


@pytest.mark.parametrize("which", ["real", "seven", "unannotated"])
def test_no_placeholder_survives(real: Stats, unannotated: Stats, which: str) -> None:
    s = {"real": real, "seven": _seven(real), "unannotated": unannotated}[which]
    for name, text in _texts(s).items():
        assert not PLACEHOLDER.search(text), (name, PLACEHOLDER.search(text))
        assert "{PRETTY_NAME}" not in text and "{schema." not in text


def test_every_template_field_is_filled_and_templates_ship() -> None:
    for name in ("card.md", "card_structure.md", "datasheet.md"):
        assert (facts.TEMPLATES / name).is_file()
        with pytest.raises(KeyError):
            facts.fill(name)  # substitute, not safe_substitute: a missing field is an error
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"dataset/templates/*.md"' in pyproject


def test_versions_are_computed_not_typed(real: Stats) -> None:
    texts = _texts(real)
    for text in texts.values():
        assert "Label Studio 1.23" not in text
    sheet = texts["datasheet"]
    assert f"spaCy {facts.package_version('spacy')}'s `fr` rules" in sheet
    assert f"`coopnum` package (version {facts.coopnum_version()})" in sheet
    for name, version in facts.preannotation_models(real):
        assert f"spaCy `{name}` {version} for pre-annotation" in sheet
        assert f"{name} {version}" in texts["rai"]
    other_model = dataclasses.replace(real, preannotation_models={"fr_core_news_lg-9.9.9": 5})
    assert (
        "spaCy fr_core_news_lg 9.9.9 (pre-annotation suggestions of entities)"
        in (croissant.rai_fields(other_model)["machine_annotation_tools"])
    )
    assert "spaCy `fr_core_news_lg` 9.9.9 for pre-annotation" in datasheet.render(other_model)


def test_croissant_licence_agrees_with_the_card(real: Stats) -> None:
    text = card.card_text(real)
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["license"] == "other"  # the card claims no single licence for the whole dataset
    licences = {lic.name: lic for lic in croissant.licences()}
    assert set(licences) == {lic.name for lic in settings.LICENCES}
    # the licensed parts: named the same way in the card, the front matter and Croissant
    for part, lic in (("Annotations", settings.ANNOTATIONS), ("Code", settings.CODE)):
        assert f"{part}: {lic.name}." in meta["license_details"]
        assert licences[lic.name].url == lic.url
    # the texts: not licensed, in both
    texts = licences[settings.TEXTS.name]
    assert texts.url is None and "not licensed" in texts.description
    assert "third-party copyright, not licensed" in meta["license_details"]
    assert "**not licensed**" in text
    # no entry claims a licence for the texts
    for lic in croissant.licences():
        if lic.url is not None:
            assert "text" not in lic.description.lower(), lic


def test_croissant_url_and_citation_come_from_settings(real: Stats, tmp_path: Path) -> None:
    meta = croissant.metadata({}, croissant.rai_fields(real), card.PRETTY_NAME, schema.SCHEMA_VERSION, {})
    assert meta.url == settings.hub_url() == f"{settings.HUB_ENDPOINT}/datasets/{settings.HUB_REPO_ID}"
    assert str(settings.RELEASE_YEAR) in meta.cite_as
    assert f"year   = {{{settings.RELEASE_YEAR}}}" in card.render(real)
