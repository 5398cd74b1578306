"""The learned line veto (corpus/line_model.py): where it may act, its committed weights, and
that the training script gives those weights again."""

from __future__ import annotations

import importlib.util
import math

import pytest

from coopnum.corpus import line_model, line_weights
from coopnum.corpus.clean import clean_document
from coopnum.corpus.line_model import FEATURES, LineModel, committed_model, line_features

from ..conftest import REPO

BODY = (
    "Le ministère a présenté mardi une plateforme conçue avec des partenaires étrangers pour les écoles "
    "du pays, qui doit ouvrir à la rentrée."
)
BODY2 = "Les premiers établissements équipés seront ceux des trois régions du nord, selon le calendrier publié."
TITLE = "Le Togo lance une plateforme scolaire avec des partenaires étrangers"


def sure_model() -> LineModel:
    """A model that calls every line furniture (p ≈ 1): only the exemptions keep a line."""
    return LineModel(tuple(0.0 for _ in FEATURES), 50.0, 0.95)


def test_the_veto_spares_the_title_prose_subheadings_and_last_sentences(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(line_model, "committed_model", sure_model)
    raw = f"{TITLE}\n{BODY}\nGalerie photos du lancement\nUn calendrier encore flou\n{BODY2}\n\n{BODY}\nAffaire à suivre.\n"
    doc = clean_document(raw, "0000000000000000")
    removed = {a.text: a.rule for a in doc.audit if a.action == "removed"}
    assert removed == {"Galerie photos du lancement": "line_model"}  # in the body, no prose right under it
    assert doc.title == TITLE
    assert "Un calendrier encore flou" in doc.text and doc.text.endswith("Affaire à suivre.")


def test_a_veto_never_reached_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = f"{TITLE}\n{BODY}\nGalerie photos du lancement\n\n{BODY2}\n"
    monkeypatch.setattr(line_model, "committed_model", lambda: LineModel(tuple(0.0 for _ in FEATURES), -50.0, 0.95))
    assert "Galerie photos du lancement" in clean_document(raw, "0000000000000000").text


def test_the_committed_weights_fit_the_features() -> None:
    assert tuple(line_weights.COEFFICIENTS) == FEATURES
    assert 0.5 < line_weights.THRESHOLD < 1
    assert all(math.isfinite(c) for c in line_weights.COEFFICIENTS.values())
    assert len(line_features("Mentions légales | CGV", "footer")) == len(FEATURES)


@pytest.mark.parametrize(
    ("line", "region"),
    [("Mentions légales | CGV", "footer"), ("Télévision | Radio | Podcasts", "header"), ("Commenter (4)", "footer")],
)
def test_the_committed_model_calls_invented_furniture_furniture(line: str, region: str) -> None:
    model = committed_model()
    assert model.furniture_probability(line, region) >= model.threshold


@pytest.mark.parametrize(
    ("line", "region"),
    [("Le projet coûtera 4 millions d’euros sur trois ans.", "body"), ("Et maintenant ?", "body"), (BODY, "body")],
)
def test_the_committed_model_keeps_invented_article_lines(line: str, region: str) -> None:
    assert committed_model().furniture_probability(line, region) < 0.5


def test_the_training_script_gives_the_committed_weights() -> None:
    """Weights are data with the script that makes them: training again gives them back."""
    spec = importlib.util.spec_from_file_location("line_model_script", REPO / "benchmarks" / "line_model.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert tuple(script.SETS) == tuple(line_weights.TRAINED_ON)
    data = {g: script.documents(g) for g in script.SETS}
    trained = script.train(data, list(script.SETS))
    assert trained.threshold == line_weights.THRESHOLD
    assert trained.intercept == pytest.approx(line_weights.INTERCEPT, abs=1e-3)
    assert trained.coefficients == pytest.approx(tuple(line_weights.COEFFICIENTS.values()), abs=1e-3)
