"""coopnum validate: named checks that catch injected errors, never crash, and report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from coopnum.annotation import format as ann
from coopnum.cli import app
from coopnum.dataset.build import build
from coopnum.dataset.validation import validate
from coopnum.quality.findings import CHECKS, ERROR

from ..annotation_fixture import edit_annotations, gold_of, write_fixture

QUOTED_WORD = re.compile(r"«\w\w")  # an opening quote glued to a word: a span starting there has a quote edge


def document_under_test(root: Path) -> str:
    """The first document (sorted ids) on which every damage below is possible: at least four paragraphs,
    a quote glued to a word, and a first gold mention whose surface the gold labels again (so deleting or
    relabelling it leaves a labelled twin to compare with)."""
    from coopnum.dataset.build import clean_corpus

    texts = {d.doc_id: d.clean.text for d in clean_corpus(root / "corpus")}
    for doc_id in sorted(texts):
        g = gold(json.loads((root / "annotations" / ann.SUBDIR / f"{doc_id}.json").read_text(encoding="utf-8")))
        first = g["entities"][0]["text"] if g["entities"] else None
        if (
            len(g["paragraph_stances"]) >= 4
            and QUOTED_WORD.search(texts[doc_id])
            and sum(e["text"] == first for e in g["entities"]) >= 2
        ):
            return doc_id
    raise AssertionError("no document of the fixture allows every injected damage")


@pytest.fixture
def fixture_root(project: Path) -> Path:
    write_fixture(project)
    build(project)
    return project


def edit(root: Path, change, doc_id: str | None = None) -> None:
    edit_annotations(root, doc_id or document_under_test(root), change)


gold = gold_of


def first_span(obj: dict) -> dict:
    return gold(obj)["entities"][0]


def shift(obj: dict) -> None:
    s = first_span(obj)
    s["start"] += 1
    s["end"] += 1


def test_the_fixture_has_no_error_and_every_check_is_declared(fixture_root: Path) -> None:
    findings = validate(fixture_root)
    assert [f for f in findings if f.severity == ERROR] == []
    assert {f.check for f in findings} <= set(CHECKS)


INJECTED = {
    # name: (damage, the check that must fire)
    "span shifted by one character": (lambda r: edit(r, shift), "span_offsets"),
    "span cut mid-word (text matching)": (
        lambda r: edit(
            r, lambda o: first_span(o).update(end=first_span(o)["end"] - 2, text=first_span(o)["text"][:-2])
        ),
        "token_boundary",
    ),
    "overlapping spans": (
        lambda r: edit(r, lambda o: gold(o)["entities"].append({**first_span(o), "label": "ORG"})),
        "overlap",
    ),
    "stale text": (lambda r: edit(r, lambda o: o.update(text_sha256="f" * 64)), "stale_text"),
    "missing paragraph stance": (
        lambda r: edit(r, lambda o: gold(o)["paragraph_stances"].__setitem__(3, None)),
        "gold_complete",
    ),
    "topic removed": (lambda r: edit(r, lambda o: gold(o).update(topics=[])), "gold_complete"),
    "unknown label": (lambda r: edit(r, lambda o: first_span(o).update(label="PERSON")), "annotation_format"),
    "span with an edge quote": (
        lambda r: edit(r, lambda o: None),  # replaced below with a real quoted span
        "span_edges",
    ),
    "label flipped": (lambda r: edit(r, lambda o: first_span(o).update(label="ORG")), "label_variation"),
    "mention deleted": (lambda r: edit(r, lambda o: gold(o)["entities"].pop(0)), "unlabelled_occurrence"),
    "undescribed annotator": (
        lambda r: edit(r, lambda o: o["annotations"][0].update(annotator="annotator-ffffffffffff")),
        "provenance",
    ),
    "email as annotator id": (
        lambda r: edit(r, lambda o: o["annotations"][0].update(annotator="someone@example.org")),
        "annotator_id",
    ),
    "gold by a pass annotator": (
        lambda r: edit(r, lambda o: gold(o).update(annotator=o["annotations"][0]["annotator"])),
        "annotator_role",
    ),
    "dataset edited": (lambda r: (r / "dataset" / "README.md").write_text("x", encoding="utf-8"), "dataset_current"),
}


def quoted_span(root: Path) -> None:
    from coopnum.dataset.build import clean_corpus

    doc_id = document_under_test(root)
    text = next(d for d in clean_corpus(root / "corpus") if d.doc_id == doc_id).clean.text
    match = QUOTED_WORD.search(text)
    assert match, doc_id

    def change(o: dict) -> None:
        i, j = match.span()
        gold(o)["entities"].append({"start": i, "end": j, "label": "MISC", "text": text[i:j]})

    edit(root, change, doc_id)


INJECTED["span with an edge quote"] = (quoted_span, "span_edges")


@pytest.mark.parametrize("case", INJECTED, ids=str)
def test_injected_error_is_caught(fixture_root: Path, case: str) -> None:
    doc_id = document_under_test(fixture_root)  # chosen before the damage, which may change what is chosen
    before = {f for f in validate(fixture_root)}
    damage, check = INJECTED[case]
    damage(fixture_root)
    new = [f for f in validate(fixture_root) if f not in before]
    where = {doc_id, None} if check in ("dataset_current", "annotation_format") else {doc_id}
    assert any(f.check == check and f.document in where for f in new), [f"{f.check}: {f.message}" for f in new]


@pytest.mark.slow  # 60 validations of random JSON
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=5),
        lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=5),
        max_leaves=20,
    )
)
def test_validation_never_crashes_on_arbitrary_json(fixture_root: Path, value: object) -> None:
    path = fixture_root / "annotations" / ann.SUBDIR / f"{document_under_test(fixture_root)}.json"
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(json.dumps(value), encoding="utf-8")
        findings = validate(fixture_root, check_dataset=False)
        assert any(f.check in ("annotation_format", "coverage") for f in findings)
    finally:
        path.write_text(original, encoding="utf-8")


def test_validate_command_exit_code_and_report(fixture_root: Path) -> None:
    runner = CliRunner()
    report = fixture_root / "report.json"
    ok = runner.invoke(app, ["validate", "--root", str(fixture_root), "--report", str(report)])
    assert ok.exit_code == 0, ok.output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["errors"] == 0 and data["warnings"] == len(data["findings"])
    assert set(data["findings"][0]) == {"check", "severity", "document", "annotation", "field", "message", "file"}
    edit(fixture_root, shift)
    bad = runner.invoke(app, ["validate", "--root", str(fixture_root)])
    assert bad.exit_code == 1 and "span_offsets" in bad.output


def test_the_committed_annotations_and_dataset_have_no_error() -> None:
    from ..conftest import REPO

    findings = validate(REPO)
    assert [f for f in findings if f.severity == ERROR] == [], findings


def test_iptc_codes_must_be_pinned_and_current() -> None:
    from coopnum import schema
    from coopnum.quality.checks import iptc_findings

    assert iptc_findings() == []
    retired = schema.Topic("x", "x", (schema.IptcTopic("medtop:20000229", "computer security"),))
    unknown = schema.Topic("y", "y", (schema.IptcTopic("medtop:99999999", "nothing"),))
    found = iptc_findings([retired, unknown])
    assert [f.message.split(": ", 1)[1] for f in found] == [
        "medtop:20000229 (computer security) is retired",
        "medtop:99999999 is not in the pinned vocabulary",
    ]


def test_the_occurrence_finder_finds_what_one_search_per_surface_finds(fixture_root: Path) -> None:
    from coopnum.annotation.passfile import occurrences
    from coopnum.dataset.build import annotated_documents
    from coopnum.quality.variation import OccurrenceFinder

    docs = annotated_documents(fixture_root)
    surfaces = sorted({s.text for d in docs for s in d.gold.entities} | {"Moscou", "Forum", "Russie", "Saint"})
    finder = OccurrenceFinder(surfaces)
    for d in docs:
        found = finder.find(d.clean.text, d.paragraph_ranges)
        for x in surfaces:
            expected = [(a + s, a + e) for a, b in d.paragraph_ranges for s, e in occurrences(d.clean.text[a:b], x)]
            assert sorted(found.get(x, [])) == expected, (d.doc_id, x)


ERROR_CASES = [
    name for name, (_, check) in INJECTED.items() if CHECKS[check][0] == ERROR and check != "dataset_current"
]


@pytest.mark.parametrize("case", ERROR_CASES, ids=str)
def test_the_build_stops_on_the_first_error_validate_reports(fixture_root: Path, case: str) -> None:
    """One rule set: the build's error is the first error finding of the checks validate runs."""
    from coopnum.errors import CheckFailed, CoopnumError

    damage, _ = INJECTED[case]
    damage(fixture_root)
    errors = [f for f in validate(fixture_root, check_dataset=False) if f.severity == ERROR]
    assert errors, case
    with pytest.raises(CoopnumError) as raised:
        build(fixture_root)
    e = raised.value
    if isinstance(e, CheckFailed):
        assert (e.check, e.doc_id, e.field) in {(f.check, f.document, f.field) for f in errors}
    else:  # a file that does not parse: the same error validate turned into its annotation_format finding
        assert any(f.check == "annotation_format" and f.field == e.field for f in errors), (e, errors)


def test_agreement_works_on_passes_that_have_no_gold_yet(fixture_root: Path, tmp_path: Path) -> None:
    ids = sorted(p.stem for p in (fixture_root / "annotations" / ann.SUBDIR).glob("*.json"))
    for doc_id in ids:  # before adjudication: the passes only
        edit(
            fixture_root, lambda o: o.update(annotations=[a for a in o["annotations"] if not a["ground_truth"]]), doc_id
        )
    build(fixture_root)  # documents at every stage: `documents` only, no annotated config has rows
    manifest = json.loads((fixture_root / "dataset" / "manifest.json").read_text(encoding="utf-8"))
    assert sum(manifest["rows"]["documents"].values()) == len(ids)
    assert all(sum(manifest["rows"].get(c, {}).values()) == 0 for c in ("ner", "stance", "topic"))
    out = tmp_path / "agreement.json"
    result = CliRunner().invoke(app, ["agreement", "--root", str(fixture_root), "--json", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["pairs"] and all(p["documents"] == len(ids) for p in report["pairs"]), report["pairs"]
