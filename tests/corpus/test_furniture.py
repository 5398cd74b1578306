"""Furniture told by its place (corpus/furniture.py) and the wordings added with heldout7, each beside a
near miss that stays article text."""

from __future__ import annotations

import pytest

from coopnum.corpus.clean import clean_document
from coopnum.corpus.rules import LINE_RULES
from coopnum.corpus.shapes import is_reader_prompt

DOC = "0000000000000000"
TITLE = "Le Togo et l’Estonie signent un accord sur l’identité numérique"
BODY = (
    "Le programme, financé pour moitié par un fonds européen, doit former deux cents agents publics "
    "d’ici la fin de l’année prochaine."
)
BODY2 = "Les premiers agents suivront leur formation à Lomé dès le mois de septembre, selon le ministère concerné."


def rules_of(raw: str) -> dict[str, str | None]:
    """Each non-blank line's text → the rule that removed it (None: kept)."""
    doc = clean_document(raw, DOC)
    return {a.text: (a.rule if a.action == "removed" else None) for a in doc.audit if a.action != "blank"}


def first_rule(line: str) -> str | None:
    return next((m.rule for r in LINE_RULES if (m := r.test(line, line)) is not None), None)


def test_one_line_under_an_advert_label_closed_by_furniture_is_the_advert() -> None:
    ad = "Envoyez de l’argent partout au pays en trois clics. Ouvrez votre compte mobile aujourd’hui."
    raw = f"{TITLE}\n{BODY}\nPUBLICITÉ\n{ad}\n11h47\n{BODY2}\n"
    assert rules_of(raw)[ad] == "ad_block"


def test_article_text_under_an_advert_label_stays() -> None:
    """The ad is an image: the two lines under its label are the article going on."""
    raw = f"{TITLE}\n{BODY}\nPUBLICITÉ\n{BODY2}\n{BODY}\nPartager\n"
    assert rules_of(raw)[BODY2] is None
    paywall = f"{TITLE}\n{BODY}\nABONNÉS\n{BODY2}\n11h47\n{BODY}\n"  # a paywall label opens no ad
    assert rules_of(paywall)[BODY2] is None


def test_an_image_tables_caption_cell_and_rule_row_go() -> None:
    caption = "| La ministre et son homologue, lundi dans la capitale. |"
    raw = f"{TITLE}\n{BODY}\n| ![](https://example.org/a.jpg) |\n|:--:|\n{caption}\n{BODY2}\n"
    rules = rules_of(raw)
    assert rules["|:--:|"] == "table_markup" and rules[caption] == "table_markup"
    lone = f"{TITLE}\n{BODY}\n{caption}\n{BODY2}\n"  # a cell line with no image beside it stays
    assert rules_of(lone)[caption] is None


def test_a_banner_above_the_navigation_bar_goes_and_the_title_is_found() -> None:
    banner = "Ceci est la copie d’une page enregistrée hier par un moteur de recherche, elle a pu changer depuis."
    raw = f"{banner}\nLe Journal\nAccueil | Monde | Économie | Culture | Sport | Sciences\n{TITLE}\n{BODY}\n{BODY2}\n"
    doc = clean_document(raw, DOC)
    assert rules_of(raw)[banner] == "top_banner" and doc.title == TITLE
    no_nav = f"{TITLE}\n{banner}\n{BODY}\n"  # without a navigation bar the line is a lead under the title
    assert rules_of(no_nav)[banner] is None


def test_an_initials_signature_after_a_paragraph_ends_the_article() -> None:
    brief = "Au Kazakhstan, le gouvernement lance un appel d’offres pour un supercalculateur national."
    raw = f"{TITLE}\n{BODY}\n{BODY2}\nL. M.\nBRÈVES\n{brief}\n"
    rules = rules_of(raw)
    assert rules["L. M."] == "author_signature" and rules[brief] == "after_signature"
    assert rules_of(f"{TITLE}\n{BODY}\nN.Gé.\n")["N.Gé."] == "author_signature"
    unsigned = f"{TITLE}\n{BODY}\nBRÈVES\n{brief}\n"
    assert rules_of(unsigned)[brief] is None


def test_a_heading_over_a_list_inside_the_article_is_kept() -> None:
    items = ["– 12 millions d’euros sur cinq ans ;", "– 3 écoles du code ;", "– 60 stages par an."]
    raw = "\n".join([TITLE, BODY, "Trois chiffres", *items, BODY2]) + "\n"
    assert rules_of(raw)["Trois chiffres"] is None


def test_an_interview_answer_is_no_reader_prompt() -> None:
    assert not is_reader_prompt("I. K. : C’est moi qui vous remercie.")
    assert is_reader_prompt("C’est moi qui vous remercie.")  # without the speaker, the same words are a prompt


def test_a_rubric_and_a_stop_do_not_make_a_headline_prose() -> None:
    headline = "DIRECT. Forum du numérique à Kinshasa, suivez la deuxième journée des travaux"
    doc = clean_document(f"Le Journal\n{headline}\n{BODY}\n{BODY2}\n", DOC)
    assert doc.title == headline


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Rechercher une chaîne, un mot-clé…", "search_box"),
        ("Ajouter à ma playlist", "player_control"),
        ("Transcription réalisée par la rédaction, revue pour la lisibilité.", "production_credit"),
        ("SPONSORISÉ — Onduleur modulaire MX 500", "sponsored_line"),
        ("Vous recevez cette lettre car vous êtes inscrit. Se désabonner | Préférences", "newsletter_widget"),
    ],
)
def test_heldout7_wordings(line: str, rule: str) -> None:
    assert first_rule(line) == rule


@pytest.mark.parametrize(
    "line",
    [
        "Rechercher des partenaires fiables prend du temps, explique-t-il…",  # a quotation trailing off
        "Ajouter une ligne de crédit au budget de la coopération reste possible.",
        "La transcription des archives a été réalisée par des étudiants de l’université.",
        "Les produits sponsorisés par l’État restent rares dans la région.",
    ],
)
def test_near_misses_stay(line: str) -> None:
    assert first_rule(line) is None
