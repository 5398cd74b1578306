"""Disagreement items, their recorded reasons, and the adjudicator's package."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from coopnum.annotation import adjudication
from coopnum.annotation.format import Annotation, Span
from coopnum.annotation.passfile import annotation_from_pass
from coopnum.cli import app

from ..annotation_fixture import write_fixture

TEXT = "Moscou et Paris.\nJack Ma parle."
PARAS = [(0, 16), (17, 31)]


def make(who: str, spans, stances, stance, topics) -> Annotation:
    return Annotation(
        who,
        who,
        False,
        None,
        None,
        tuple(Span(s, e, label, TEXT[s:e]) for s, e, label in spans),
        tuple(stances),
        stance,
        tuple(topics),
    )


A = make("a", [(0, 6, "LOC"), (10, 15, "LOC"), (17, 24, "PER")], ["NONE", "FAVOR"], "FAVOR", ["health"])
B = make("b", [(0, 6, "ORG"), (17, 24, "PER")], ["NONE", "NONE"], "FAVOR", ["health", "sme_startups"])


def test_disagreement_items_and_keys() -> None:
    items = {(i.layer, i.key): dict(i.values) for i in adjudication.disagreements("d", [B, A])}
    assert items == {
        ("entity", "0-6"): {"a": "LOC", "b": "ORG"},
        ("entity", "10-15"): {"a": "LOC", "b": None},
        ("paragraph_stance", "1"): {"a": "FAVOR", "b": "NONE"},
        ("topic", "sme_startups"): {"a": "no", "b": "yes"},
    }


def test_package_template_holds_only_agreement() -> None:
    pkg = adjudication.package("d", TEXT, PARAS, [A, B])
    template = pkg["gold_template"]
    assert template["stance"] == "FAVOR" and template["topics"] == ["health"]
    assert [p["stance"] for p in template["paragraphs"]] == ["NONE", None]
    gold_like = {**template, "paragraphs": [{**p, "stance": p["stance"] or "NONE"} for p in template["paragraphs"]]}
    agreed = annotation_from_pass(gold_like, TEXT, PARAS, annotation_id="g", annotator="g")
    assert [(s.start, s.end, s.label) for s in agreed.entities] == [(17, 24, "PER")]
    assert len(pkg["disagreements"]) == 4 and pkg["disagreements"][0]["surface"] == "Moscou"


def test_reasons_file_round_trip(tmp_path: Path) -> None:
    item = adjudication.disagreements("d", [A, B])[0]
    (tmp_path / adjudication.FILE).write_text(adjudication.record(item, "LOC", "guidelines 2.4: cities are LOC") + "\n")
    reasons = adjudication.load_reasons(tmp_path)
    assert reasons[("d", item.layer, item.key)].gold == "LOC"


def test_adjudication_package_command(project: Path, tmp_path: Path) -> None:
    write_fixture(project)
    result = CliRunner().invoke(app, ["adjudication-package", "--root", str(project), "--out", str(tmp_path / "pkg")])
    assert result.exit_code == 0, result.output
    first_doc = min(p.stem for p in (project / "annotations" / "labelstudio").glob("*.json"))
    pkg = json.loads((tmp_path / "pkg" / f"{first_doc}.json").read_text())
    assert {d["layer"] for d in pkg["disagreements"]} == {"entity", "topic"}
    assert pkg["gold_template"]["text_sha256"]
