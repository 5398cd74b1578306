"""Rules written after heldout12 (a Q&A page's answers, the furniture of ticketing, crowdfunding, review,
museum, community-radio and open-data pages), each on invented lines: the furniture removed, a look-alike
article line kept."""

from __future__ import annotations

import pytest

from coopnum.corpus.clean import clean_document

from .rule_lines import DOC, first_rule, kept, kept_lines, norm

TITLE = "Le Bénin et la Russie ouvrent un laboratoire commun de cryptographie à Cotonou"
BODY = (
    "Le laboratoire, inauguré jeudi à Cotonou, accueillera une vingtaine de chercheurs béninois et russes "
    "chargés d’étudier les algorithmes de chiffrement des administrations."
)
BODY2 = (
    "Il sera financé pendant quatre ans par les deux gouvernements, selon le ministère béninois du Numérique, "
    "qui annonce aussi des bourses pour douze doctorants."
)
BODY3 = (
    "Les premiers travaux porteront sur la signature électronique des actes d’état civil, un chantier lancé "
    "l’an dernier avec l’appui d’une université de Novossibirsk."
)


def test_a_qa_pages_answers_are_kept_and_its_furniture_removed() -> None:
    question = "Pourquoi le Bénin choisit-il un laboratoire russe pour sa cryptographie ?"
    answer = ["1. Le coût. " + BODY2, "2. La formation. " + BODY3]
    raw = "\n".join(
        [
            "Forum Afrique numérique — Questions et réponses",
            question,
            BODY,
            "cryptographie bénin russie",
            "partager suivre",
            "posée par koffi_d · 120 ● 3",
            "3 réponses",
            "Trier par : Score (par défaut) | Date",
            "Réponse acceptée",
            "15",
            *answer,
            "partager améliorer cette réponse suivre",
            "répondue le 2 mars 2025 par Awa_S · 2 310 ● 8 ● 21",
            "Merci, très clair. Et pour les doctorants ? – koffi_d 3 mars 2025",
            "Votre réponse",
            "Publier votre réponse",
            "Questions liées",
            "Le Togo a-t-il signé un accord semblable ?",
        ]
    )
    assert kept_lines(raw) == kept([question, BODY, *answer])


def test_without_an_answer_card_a_replies_heading_still_cuts_the_comments() -> None:
    raw = "\n".join([TITLE, BODY, BODY2, "2 réponses", "Bravo pour cet article, très clair et utile à tous."])
    assert kept_lines(raw) == kept([TITLE, BODY, BODY2])


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Je soutiens ce projet", "page_button"),
        ("Réserver un créneau", "page_button"),
        ("Voir sur la carte", "page_button"),
        ("À propos de cet événement", "page_button"),
        ("Accès aux archives sonores (réservé aux abonnés)", "page_button"),
        ("Meilleur prix : 399 € chez InfoDépôt — Voir l'offre", "offer_link"),
        ("Frais de dossier inclus. E-billet à imprimer.", "ticket_terms"),
        ("Paiement sécurisé. Remboursement si la collecte échoue.", "ticket_terms"),
        ("25 € — Un autocollant et votre nom sur le site", "reward_tier"),
        ("À partir de 12,50 €", "price_line"),
        ("Plein tarif 7 € | Gratuit le dimanche", "price_line"),
        ("4 200 € collectés sur 10 000 € — 42 %", "price_line"),
        ("Porté par l'association Code Cotonou (Bénin)", "price_line"),
        ("Commissariat : Awa Diallo et Piotr Orlov", "visit_info"),
        ("Visites guidées tous les dimanches à 11h", "visit_info"),
        ("Horaires d'ouverture : 9h – 18h", "visit_info"),
        ("Avec le soutien du Cercle des amis du musée", "visit_info"),
        ("Interview de notre envoyée spéciale, à réécouter dans la matinale.", "replay_note"),
        ("Cet article contient des liens d'affiliation rémunérés.", "page_notice"),
        ("Ce blog est hébergé gratuitement par une plateforme universitaire.", "page_notice"),
        ("Pronostics en direct : 50 € offerts. Jouer comporte des risques : appelez le 09 74 75 13 13.", "page_notice"),
        ("Rédaction : Awa Diallo, pour la Lettre du Golfe.", "page_notice"),
        ("Note : nos fiches pays sont mises à jour chaque trimestre.", "page_notice"),
        ("Vous avez utilisé ces données ? Dites-le nous.", "page_notice"),
        (
            "Radio Kpayo est une radio associative. Elle ne vit que grâce aux dons de ses auditeurs.",
            "support_appeal",
        ),
        ("À propos de l'institut : fondé en 2010, il étudie les réseaux d'Afrique de l'Ouest.", "about_box"),
    ],
)
def test_heldout12_page_furniture_is_removed(line: str, rule: str) -> None:
    assert first_rule(norm(line)) == rule


@pytest.mark.parametrize(
    "line",
    [
        # an article's sentences with the same words
        "Je soutiens ce projet depuis le début, a déclaré le ministre, car il forme nos ingénieurs à Cotonou.",
        "Le billet d'entrée coûtera 25 €, un prix jugé trop élevé par plusieurs associations d'étudiants.",
        "La visite guidée du laboratoire par le ministre a duré deux heures, selon son cabinet.",
        "Le centre de données est une association de trois opérateurs, a précisé la direction.",
        "La météo spatiale perturbe parfois les satellites, ont rappelé les ingénieurs de la station.",
        "Les horaires des cours seront publiés en septembre par l'université.",
    ],
)
def test_article_sentences_like_that_furniture_are_left(line: str) -> None:
    assert first_rule(norm(line)) is None


def test_a_furniture_heading_removes_its_box() -> None:
    terms = "Conditions d'annulation"
    raw = "\n".join(
        [TITLE, BODY, BODY2, "", terms, "Aucun remboursement après le début de la séance de formation.", ""]
    )
    assert kept_lines(raw) == kept([TITLE, BODY, BODY2])


def test_a_spaced_box_goes_up_to_the_next_prose_line() -> None:
    raw = "\n".join(
        [TITLE, BODY, "", "Notes précédentes", "", "Kazan : un forum du numérique", "", "Dakar : la fibre", "", BODY2]
    )
    assert kept_lines(raw) == kept([TITLE, BODY, BODY2])


def test_an_author_box_at_the_end_is_removed() -> None:
    bio = "Awa Diallo couvre le numérique en Afrique de l'Ouest pour notre rédaction depuis 2019."
    raw = "\n".join([TITLE, BODY, BODY2, BODY3, "", "Awa Diallo", bio])
    assert kept_lines(raw) == kept([TITLE, BODY, BODY2, BODY3])


def test_a_name_and_a_sentence_about_them_inside_the_text_are_kept() -> None:
    said = "Awa Diallo a rappelé que le projet devait former douze doctorants d'ici à 2027, selon le ministère."
    raw = "\n".join([TITLE, BODY, "Awa Diallo", said, BODY3])
    assert norm(said) in kept_lines(raw)


@pytest.mark.parametrize("trail", ["Rubriques › Essais et tests", "Presse > Communiqués de la mairie"])
def test_a_short_trail_is_no_title(trail: str) -> None:
    assert clean_document("\n".join([trail, BODY, BODY2]), DOC).title is None


def test_a_summary_heading_is_no_title() -> None:
    raw = "\n".join([TITLE, "Résumé de la décision", BODY, BODY2])
    assert clean_document(raw, DOC).title == norm(TITLE)


def test_a_weather_bulletin_is_no_title() -> None:
    assert (
        clean_document("\n".join(["Météo – Cotonou : 31 °C, ciel voilé et vent du sud", BODY, BODY2]), DOC).title
        is None
    )


def test_a_headline_with_one_angle_bracket_is_still_a_title() -> None:
    headline = "Débit > 1 Gbit/s : le Bénin teste la fibre de nouvelle génération à Cotonou"
    assert clean_document("\n".join([headline, BODY, BODY2]), DOC).title == norm(headline)
