"""Rules written after heldout21 and heldout22: a shop's product box inside the text (its priced rows, heading and
offer), a row of the shop's promises, a price list's row, the site's promotion under a note label, the site asking
its reader to join, a disclaimer on what the site publishes, a byline with an in-house role, a writer named for the
publication or signing for the team, a rubric with a reading time, a video teaser, a house-voice plug closing an
article's paragraph, a step of a numbered list and a heading over dashed items said to the reader, a dispatch's
dateline, each on invented lines: the furniture removed, a look-alike article line kept."""

from __future__ import annotations

import pytest

from coopnum.corpus.clean import clean_document

from .rule_lines import DOC, first_rule, kept_lines, kept_of, norm

TITLE = "Le Chili et la Russie signent un accord sur les réseaux électriques intelligents des Andes"
BODY = (
    "Les gestionnaires de réseau de Santiago et de Moscou installeront d’ici l’été des compteurs communicants dans "
    "trois régions minières, selon un accord signé lundi par les deux ministères de l’Énergie."
)
BODY2 = (
    "Les données serviront à prévoir les pointes de consommation des mines de cuivre, que le Chili veut alimenter "
    "davantage en énergie solaire d’ici la fin de la décennie."
)
BODY3 = (
    "Un premier bilan du programme est attendu à l’automne, avant une extension possible aux réseaux du Pérou et de "
    "la Bolivie."
)


def _page(*middle: str) -> str:
    return "\n".join([TITLE, "", BODY, "", *middle, "", BODY2, "", BODY3, ""])


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Casque sans fil Lyra 40 - 89,90 € - Voir le produit", "shop_line"),
        ("Chargeur rapide 65 W - 24,99 € - Ajouter au panier", "shop_line"),
        ("Livraison gratuite dès 30 € | Retours offerts sous 60 jours", "shop_line"),
        ("Paiement en 3x sans frais · Retrait en boutique sous 2 h", "shop_line"),
        ("Adulte 15 € · étudiant 10 € · moins de 16 ans 5 €", "shop_line"),
        ("Astuce : chez Verdiflor, votre devis est gratuit dans nos 40 jardineries.", "shop_line"),
        ("Vous êtes artisan et pas encore adhérent ? La chambre vous conseille toute l’année.", "shop_line"),
        (
            "Les informations publiées sur ce site ont une valeur indicative et ne constituent pas un conseil fiscal.",
            "site_legal",
        ),
        ("Par Lina Perez, experte Jardin & Maison Verdiflor", "author_line"),
        ("Par Marc Olivier, conseiller cuisine", "author_line"),
        ("Texte : Hugo Martin, pour Le Journal des adhérents", "author_line"),
        ("Camille, équipe Verdiflor", "author_line"),
        ("Énergie & climat · 4 min de lecture", "rubric_counter"),
        ("Vidéo - Notre visite du chantier de Valparaiso (2:45)", "media_teaser"),
    ],
)
def test_furniture_line_rules(line: str, rule: str) -> None:
    assert first_rule(norm(line)) == rule


@pytest.mark.parametrize(
    "line",
    [
        # an article's sentence on a shop's prices or delivery, on a fee list, on membership, on a disclaimer
        "Le casque Lyra 40 est vendu 89,90 € dans les magasins de la chaîne, qui voit ses ventes progresser.",
        "La livraison gratuite dès 30 € a coûté 40 millions d’euros à l’enseigne l’an dernier.",
        "Bon à savoir : ces compteurs ne seront pas installés dans les logements sociaux avant 2027.",
        "Les artisans qui ne sont pas encore adhérents de la chambre pourront rejoindre le programme en mai.",
        "Par Santiago, la décision a été saluée comme une avancée par les syndicats des mineurs.",
        "Vidéo : le ministre a présenté le projet devant les élus régionaux mardi soir.",
        "Énergie, climat et mines : les trois chantiers du nouveau gouvernement",
    ],
)
def test_look_alike_article_lines_are_no_furniture(line: str) -> None:
    assert first_rule(norm(line)) is None


def test_product_box_goes_with_its_heading_and_offer() -> None:
    heading, row1, row2 = "Nos coups de cœur", "Lampe solaire Sol 3 - 39,90 € - Voir le produit", ""
    row2 = "Batterie nomade 20 000 mAh - 49,00 € - Ajouter au panier"
    offer = "Bon à savoir : profitez de la reprise de votre ancienne lampe en magasin."
    raw = _page(heading, row1, row2, offer)
    assert kept_of(raw, heading, row1, row2, offer) == []
    assert kept_of(raw, BODY, BODY2, BODY3) == [norm(BODY), norm(BODY2), norm(BODY3)]


def test_a_lone_priced_row_leaves_the_heading_above_it() -> None:
    # one row is no box: the short line above it stays (it may be the article's crosshead)
    heading, row = "Les prix", "Lampe solaire Sol 3 - 39,90 € - Voir le produit"
    raw = _page(heading, row)
    assert kept_of(raw, heading, row) == [norm(heading)]


def test_house_voice_plug_after_a_sentence_pointing_back_stays() -> None:
    plug = "Ces compteurs ne seront pas vendus en France. Si vous en cherchez un, lisez notre guide."
    alone = "Si vous cherchez un compteur, lisez notre guide mis à jour chaque mois."
    raw = _page(plug, "", alone)
    assert kept_of(raw, plug, alone) == [norm(plug)]


def test_numbered_step_said_to_the_reader_and_heading_over_dashed_items_stay() -> None:
    steps = ["1. Créez un compte sur le portail du gestionnaire.", "2. Saisissez votre numéro de compteur.", ""]
    steps[2] = "3. Validez la demande depuis le courriel reçu."
    items = ["– les anciens compteurs restent relevés jusqu’en juin ;", "– la pose est gratuite pour les foyers."]
    head = "Ce qui change pour vous"
    raw = "\n".join([TITLE, "", BODY, "Comment s’inscrire", *steps, BODY2, head, *items, BODY3, ""])
    assert kept_of(raw, *steps, head, *items) == [norm(x) for x in [*steps, head, *items]]


def test_dateline_over_the_text_stays_and_is_no_title() -> None:
    dateline = "SANTIAGO, 14 MARS"
    raw = "\n".join([TITLE, "Le fil des abonnés | 15/03/2026", dateline, BODY, "", BODY2, ""])
    doc = clean_document(raw, DOC)
    assert doc.title == norm(TITLE)
    assert norm(dateline) in kept_lines(raw)
    # without prose right under it, a capitalised place and a day is a stamp's field, not the text's
    assert first_rule(norm(dateline)) is None


def test_cleaning_the_new_shapes_twice_changes_nothing() -> None:
    raw = _page(
        "Nos coups de cœur", "Lampe Sol 3 - 39,90 € - Voir le produit", "Lampe Sol 5 - 59,90 € - Voir le produit"
    )
    once = clean_document(raw, DOC).text
    assert clean_document(once, DOC).text == once
