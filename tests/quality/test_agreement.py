"""Agreement: counts first, then scores; alpha from the krippendorff package."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest

from coopnum.annotation.format import Annotation, Span
from coopnum.quality.agreement import alpha_nominal, disagreement_counts
from coopnum.quality.scores import prf, scores, span_counts


@pytest.mark.parametrize(
    "tp,pred,ref,expected",
    [(0, 0, 0, (0.0, 0.0, 0.0)), (1, 2, 1, (0.5, 1.0, 2 / 3)), (3, 3, 3, (1.0, 1.0, 1.0)), (0, 4, 2, (0.0, 0.0, 0.0))],
)
def test_prf_with_explicit_zero_division(tp, pred, ref, expected) -> None:
    r = prf(tp, pred, ref)
    assert (r.precision, r.recall, r.f1) == pytest.approx(expected)


def test_exact_and_partial_span_counts() -> None:
    ref = [(0, 5, "PER"), (10, 20, "ORG"), (30, 35, "LOC")]
    pred = [(0, 5, "PER"), (12, 20, "ORG"), (30, 35, "ORG"), (40, 45, "MISC")]
    assert span_counts(ref, pred) == {"LOC": (0, 0, 1), "MISC": (0, 1, 0), "ORG": (0, 2, 1), "PER": (1, 1, 1)}
    partial = span_counts(ref, pred, partial=True)
    assert partial["ORG"] == (1, 2, 1) and partial["PER"] == (1, 1, 1)
    s = scores(span_counts(ref, pred), ["PER", "ORG", "LOC", "EVENT", "MISC"])
    assert s["overall"].true_positives == 1 and s["overall"].predicted == 4 and s["overall"].reference == 3
    assert s["EVENT"].f1 == 0.0 and s["EVENT"].reference == 0


def test_alpha_matches_the_krippendorff_package_and_is_none_when_undefined() -> None:
    units = [["FAVOR", "FAVOR"], ["NONE", "FAVOR"], ["NONE", "NONE"], ["AGAINST", None], ["FAVOR", "FAVOR"]]
    labels = ("FAVOR", "AGAINST", "NONE")
    data = np.array([[np.nan if v is None else labels.index(v) for v in u] for u in units], dtype=float).T
    assert alpha_nominal(units, labels) == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    )
    assert alpha_nominal([["NONE", "NONE"], ["NONE", "NONE"]], labels) is None  # no variation
    assert alpha_nominal([["NONE", None]], labels) is None  # nothing pairable
    assert alpha_nominal([["FAVOR", "FAVOR"], ["NONE", "NONE"]], labels) == pytest.approx(1.0)


def test_disagreement_kinds() -> None:
    def annotation(spans, stances, stance, topics):
        return Annotation(
            "x",
            "a",
            False,
            None,
            None,
            tuple(Span(s, e, label, "t") for s, e, label in spans),
            tuple(stances),
            stance,
            tuple(topics),
        )

    a = annotation([(0, 5, "PER"), (10, 20, "ORG"), (30, 35, "LOC")], ["NONE", "FAVOR"], "FAVOR", ["health"])
    b = annotation(
        [(0, 5, "ORG"), (12, 20, "ORG"), (50, 55, "LOC")], ["NONE", "NONE"], "NONE", ["health", "sme_startups"]
    )
    kinds = disagreement_counts(a, b)
    assert kinds == {
        "entity label": 1,
        "entity boundary": 1,
        "entity in one only": 2,
        "paragraph stance": 1,
        "document stance": 1,
        "topic": 1,
    }


def test_agreement_command_reports_the_fixture(project, tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from coopnum.cli import app

    from ..annotation_fixture import write_fixture
    from ..conftest import source_records

    write_fixture(project)
    out = tmp_path / "agreement.json"
    result = CliRunner().invoke(app, ["agreement", "--root", str(project), "--json", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert report["annotators"] == ["annotator-aaaaaaaa0001", "annotator-bbbbbbbb0002"]
    pair = report["pairs"][0]
    documents = len(list((project / "annotations" / "labelstudio").glob("*.json")))
    assert documents == len(source_records(project))
    # The fixture's pass B drops the first mention and relabels the last of each document: one of each per document.
    assert pair["disagreements"]["entity in one only"] == documents
    assert pair["disagreements"]["entity label"] == documents
    exact = pair["entities_exact"]["overall"]
    assert exact["reference"] - exact["true_positives"] == 2 * documents
    assert exact["predicted"] - exact["true_positives"] == documents
    assert report["krippendorff_alpha"]["paragraph_stance"] == 1.0
