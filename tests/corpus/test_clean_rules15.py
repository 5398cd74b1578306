"""Rules written after heldout15 and heldout16 (and heldout14's leftovers): an article's own lists and tables, an
advertiser's copy under its label, a crosshead equal to a menu label, a list closed by the next heading, a key-points
box under the title, a counted comment thread, a drop cap, and the marks a page or its copy leaves on a line (counters,
bracketed markers, a translation's original in another script), each on invented lines: the furniture removed, a
look-alike article line kept."""

from __future__ import annotations

import pytest

from coopnum.corpus.clean import clean_document
from coopnum.corpus.item_runs import item_shape, list_runs

from .rule_lines import DOC, first_rule, kept, kept_lines, norm

TITLE = "Le Laos et la Russie relient leurs universités par un réseau de calcul partagé"
BODY = (
    "Les universités de Vientiane et de Tomsk partageront dès la rentrée un réseau de calcul, selon un accord "
    "signé mardi par les deux ministères chargés de l’enseignement supérieur."
)
BODY2 = (
    "Le réseau servira d’abord aux laboratoires de climatologie, qui attendaient depuis des années une puissance "
    "de calcul suffisante pour leurs modèles régionaux."
)
BODY3 = (
    "Les deux ministères doivent présenter en décembre un premier bilan de l’accord, avant une extension éventuelle "
    "aux universités du Cambodge et de la Thaïlande."
)


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("4 min · 1 032 lectures", "counter_row"),
        ("12 vues · 3 réactions", "counter_row"),
        ("[Encadré latéral]", "bracket_mark"),
        ("[NOTE Paul : vérifier le chiffre avec le ministère]", "bracket_mark"),
        ("[Photo] Le recteur de l’université, mardi, à Vientiane.", "photo_label"),
        ("(Traduction : M. Durand — relecture : desk Asie)", "translation_credit"),
        ("Traduit du russe par Anne Leroy", "translation_credit"),
        ("Article paru dans le n° 112 de Cahiers d’Asie", "issue_note"),
        ("Cet article paru dans le numéro 45 de Revue Asie", "issue_note"),
        ("Cliquez sur les barres pour voir le détail par université.", "chart_control"),
        ("2020 2021 2022 2023*", "axis_row"),
        ("Mode texte (OCR brut) · Voir l’image de la page", "copy_mode"),
        ("Reproduction autorisée pour un usage pédagogique.", "reuse_terms"),
        ("Texte rédigé par M. Jean Roux, chargé de mission", "written_by"),
        ("Publi-information", "ad_label"),
        ("Rechercher sur le site", "search_box"),
        ("En poursuivant votre navigation, vous acceptez l’utilisation de cookies.", "consent_banner"),
    ],
)
def test_page_marks_are_removed(line: str, rule: str) -> None:
    assert first_rule(norm(line)) == rule


@pytest.mark.parametrize(
    "line",
    [
        "[2] Rapport du ministère laotien de l’Éducation, mars 2025.",  # an endnote's number: the note is text
        "Le recteur a cité la devise de Tomsk, « Томск — город студентов », devant les étudiants laotiens.",
        "La reproduction autorisée des cartes anciennes a été confiée à l’université de Tomsk.",
        "Les deux universités ont publié 4 articles communs en 2024, lus plus de 2 000 fois.",
        "Le texte paru dans la revue de l’université en mars a été traduit en lao.",
    ],
)
def test_look_alike_article_lines_stay_out_of_the_page_marks(line: str) -> None:
    assert first_rule(norm(line)) is None


def test_item_shapes() -> None:
    assert item_shape("Module 3 – Calcul parallèle") == "word:module"
    assert item_shape("Départ : 14 h 30") == "labelled"
    assert item_shape("1. Université de Tomsk (Russie)") == "numbered"
    assert item_shape("300 étudiants : le premier contingent.") == "figure"
    assert item_shape("Paul Martin : Bonjour à tous.") is None  # a transcript's turn is a sentence, no list item
    assert item_shape(BODY) is None


def test_list_runs_need_a_lead_in_and_different_items() -> None:
    lines = ["Le calendrier :", "Étape 1 – Signature", "Étape 2 – Travaux", "Étape 3 – Mise en service"]
    assert list_runs(lines) == {1, 2, 3}  # a lead-in ending with a colon is the text's own sentence
    assert list_runs(["Chiffres clés", "Budget : 4 millions", "Durée : 3 ans"]) == {0, 1, 2}  # a heading with them
    assert list_runs([BODY, "Budget : 4 millions", "Durée : 3 ans"]) == set()  # no lead-in: left to the other rules
    assert list_runs(["Menu", "Rubrique : Laos", "Rubrique : Laos"]) == set()  # equal lines are a widget's


def test_an_article_list_under_its_lead_in_is_kept_whole() -> None:
    items = [
        "Module 1 – Architecture des grappes",
        "Module 2 – Programmation parallèle",
        "Module 3 – Stockage des données",
        "Module 4 – Sécurité du réseau",
    ]
    raw = f"{TITLE}\n\n{BODY}\n\nAu programme, quatre modules :\n" + "\n".join(items) + f"\n\n{BODY2}\n"
    assert kept(items) == [t for t in kept_lines(raw) if t.startswith("Module")]


def test_a_fact_box_heading_over_its_figures_is_kept() -> None:
    items = ["2 universités partenaires", "300 chercheurs concernés", "2027 : extension prévue"]
    raw = f"{TITLE}\n\n{BODY}\n\nRepères\n" + "\n".join(items) + f"\n\n{BODY2}\n"
    assert "Repères" in kept_lines(raw)


def test_a_ranking_is_kept_whole() -> None:
    ranks = ["1. Université de Tomsk (Russie)", "2. Université nationale (Laos)", "3. Institut de Hanoï (Vietnam)"]
    raw = f"{TITLE}\n\n{BODY}\n\nClassement\n\n" + "\n\n".join(ranks) + f"\n\n{BODY2}\n"
    assert all(norm(r) in kept_lines(raw) for r in ranks)


ADVERT = "Banque du Mékong – Financez vos études à l’étranger à taux zéro. Offre en agence."


def test_an_advertisers_copy_under_its_label_is_removed_and_a_dateline_is_not() -> None:
    raw = f"{TITLE}\n\n{BODY}\n\nPublicité\n{ADVERT}\n{BODY2}\n\n{BODY3}\n"
    assert norm(ADVERT) not in kept_lines(raw) and norm(BODY2) in kept_lines(raw)
    dateline = "VIENTIANE – Les premiers serveurs sont arrivés lundi à l’université, a indiqué le recteur ce mardi."
    raw = f"{TITLE}\n\n{BODY}\n\nPublicité\n{dateline}\n{BODY2}\n\n{BODY3}\n"
    assert norm(dateline) in kept_lines(raw)


def test_a_crosshead_equal_to_a_menu_label_is_kept_a_running_head_is_not() -> None:
    menu = "Sciences\nÉconomie"
    raw = f"{menu}\n\n{TITLE}\n\n{BODY}\n\nSciences\n{BODY2}\n"
    assert "Sciences" in kept_lines(raw)
    cut = BODY3[:-1].rsplit(" ", 6)[0]
    raw = f"{menu}\n\n{TITLE}\n\n{cut}\n\nSciences\n{BODY3.removeprefix(cut).strip()}\n{BODY2}\n"
    assert "Sciences" not in kept_lines(raw)


def test_a_list_ends_at_the_next_heading_so_the_title_under_it_stays() -> None:
    raw = (
        "À la une\nLe Vietnam ouvre un centre de données à Hanoï\nRubrique : Laos\n"
        f"{TITLE}\nPar Somphone K. – 12/03/2025\n\n{BODY}\n\n{BODY2}\n"
    )
    doc = clean_document(raw, DOC)
    assert doc.title == norm(TITLE)


def test_a_key_points_heading_under_the_title_is_not_the_title() -> None:
    bullets = [
        "• Un réseau de calcul relie désormais les universités de Vientiane et de Tomsk.",
        "• Les laboratoires de climatologie en seront les premiers utilisateurs.",
    ]
    raw = f"{TITLE}\n12/03/2025 · Rédaction\n\nLes points clés ici\n" + "\n".join(bullets) + f"\n\n{BODY}\n\n{BODY2}\n"
    doc = clean_document(raw, DOC)
    assert doc.title == norm(TITLE)
    assert "Les points clés ici" in doc.text


TABLE = [
    "Université | Chercheurs | 2024 | 2025",
    "Tomsk | Climat | 40 | 55",
    "Vientiane | Hydrologie | 12 | 30",
    "Total | | 52 | 85",
]


def test_a_table_between_paragraphs_is_the_articles() -> None:
    raw = f"{TITLE}\n\n{BODY}\n" + "\n".join(TABLE) + f"\n{BODY2}\n\n{BODY3}\n"
    assert kept(TABLE) == [t for t in kept_lines(raw) if "|" in t]


def test_link_bars_above_the_title_are_not_a_table() -> None:
    bars = ["Accueil | Monde | Sciences | Culture", "Laos | Vietnam | Cambodge | Thaïlande"]
    raw = "\n".join(bars) + f"\n\n{TITLE}\n\n{BODY}\n\n{BODY2}\n"
    assert not any("|" in t for t in kept_lines(raw))


def test_the_comments_under_a_counted_prompt_are_removed() -> None:
    comments = ["Nina_V – Très bonne nouvelle pour nos étudiants.", "P. Roux – Et les universités du Sud ?"]
    raw = f"{TITLE}\n\n{BODY}\n\n{BODY2}\n\nRéagir (2)\n" + "\n".join(comments) + "\nÀ lire également\n"
    assert not any(norm(c) in kept_lines(raw) for c in comments)
    assert norm(BODY2) in kept_lines(raw)


def test_a_drop_cap_is_not_a_name_beside_a_stamp() -> None:
    lead = (
        "Comment Vientiane et Tomsk ont monté un réseau commun de calcul, au risque de fâcher leurs voisins. Enquête."
    )
    first = "e matin du 3 février, dans une salle du ministère, une dizaine d’ingénieurs fixent le même écran."
    stamp = "Lecture : 4 minutes · Publié le 12 mars 2025"
    raw = f"{TITLE}\n{lead}\nTexte : Anne Leroy · Photos : Paul Roux\n{stamp}\nL\n{first}\n{BODY2}\n"
    assert "L" in kept_lines(raw)  # the stamp touches it, a page set with no blank line (its byline pass took it)


RUSSIAN = "Вьентьян и Томск объединяют свои университеты в вычислительную сеть."


def test_a_translations_original_in_another_script_is_removed_from_a_french_page() -> None:
    named = "Le recteur a cité la devise de Tomsk, « Томск — город студентов », devant les étudiants laotiens."
    raw = f"{TITLE}\n\n{BODY}\n{RUSSIAN}\n\n{BODY2}\n\n{named}\n"
    assert kept_lines(raw) == kept([TITLE, BODY, BODY2, named])


def test_a_page_in_another_script_is_left_whole() -> None:
    raw = f"{RUSSIAN}\n\n{RUSSIAN.replace('сеть', 'систему')}\n"
    assert "other_script" not in {a.rule for a in clean_document(raw, DOC).audit}
