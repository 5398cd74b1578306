"""Wordings the line and layout rules follow since heldout6 (each beside a near miss that stays)."""

from __future__ import annotations

import pytest

from coopnum.corpus.clean import clean_document
from coopnum.corpus.rules import LINE_RULES

DOC = "0000000000000000"
TITLE = "Le Togo et l’Estonie signent un accord sur l’identité numérique"
BODY = (
    "Le programme, financé pour moitié par un fonds européen, doit former deux cents agents publics "
    "d’ici la fin de l’année prochaine."
)


def first_rule(line: str) -> str | None:
    return next((m.rule for r in LINE_RULES if (m := r.test(line, line)) is not None), None)


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Le Courrier et ses partenaires utilisent des cookies pour mesurer l’audience du site.", "consent_banner"),
        ("Par Jeanne Martin, Le Courrier du Golfe", "byline"),
        ("— Publicité —", "ad_label"),
        ("Communiqué de presse – Ministère de l’Économie Page 2/3", "page_counter"),
        ("3 / 4", "page_counter"),
        ("À propos de l’auteure", "about_heading"),
    ],
)
def test_widened_wordings(line: str, rule: str) -> None:
    assert first_rule(line) == rule


@pytest.mark.parametrize(
    "line",
    [
        "Les médecins utilisent des outils numériques pour suivre leurs patients.",  # no cookie
        "Par ailleurs, le ministère a précisé le calendrier",  # « Par » opening a sentence, not a byline
        "La publicité en ligne a rapporté 2 milliards l’an dernier.",
        "Le service est disponible 24/7",  # a figure with a slash, no page
    ],
)
def test_near_misses_stay(line: str) -> None:
    assert first_rule(line) is None


def test_initials_after_the_last_paragraph_are_a_signature() -> None:
    doc = clean_document(f"{TITLE}\n{BODY}\nK.B.\n", DOC)
    assert [a.rule for a in doc.audit if a.text == "K.B."] == ["author_signature"]


def test_a_replies_heading_opens_the_comment_section() -> None:
    raw = f"{TITLE}\n{BODY}\n2 réponses\nAmina T. — 4 février 2025\nMerci pour cet article très clair.\n"
    doc = clean_document(raw, DOC)
    assert doc.text.endswith(BODY)
    assert {a.rule for a in doc.audit if a.action == "removed"} == {"comment_section"}


def test_an_acronym_outlet_is_spelt_out_by_the_page() -> None:
    raw = f"OTP – Office Togolais de Presse\n{TITLE}\n{BODY}\n© OTP 2025 – Tous droits réservés.\n"
    assert clean_document(raw, DOC).outlet == "Office Togolais de Presse"
    # a tagline whose words do not begin with the acronym's letters is not its name
    other = raw.replace("Office Togolais de Presse", "Toute l’actualité du pays")
    assert clean_document(other, DOC).outlet == "OTP"


def test_a_legal_form_ends_the_outlets_name() -> None:
    raw = f"{TITLE}\n{BODY}\n© 2025 Courrier du Golfe SA, Lomé. Tous droits réservés.\n"
    assert clean_document(raw, DOC).outlet == "Courrier du Golfe"
