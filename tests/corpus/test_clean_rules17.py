"""Rules written after heldout17 and heldout18: a comments counter under the byline, an author named with a role or
in a stamp's field, a site's name and tagline over its navigation bar, what a site says about itself and sells to its
reader (self-description, imprint, donations, letter, issue, discount code, pitch), the house's own voice, credits
rows, page numbers and a reading app's notes, one-line fact boxes and the closing bios of a page's author, each on
invented lines: the furniture removed, a look-alike article line kept."""

from __future__ import annotations

import pytest

from coopnum.corpus.boxes import is_data_line
from coopnum.corpus.clean import clean_document

from .rule_lines import DOC, first_rule, kept_lines, norm

TITLE = "Le Chili et la Russie ouvrent un observatoire commun des séismes dans les Andes"
BODY = (
    "Les instituts de géophysique de Santiago et d’Irkoutsk partageront dès l’été les relevés de quarante "
    "sismographes, selon un accord signé lundi par les deux académies des sciences."
)
BODY2 = (
    "Les données serviront d’abord aux modèles d’alerte précoce, que les deux pays veulent rendre plus fiables "
    "pour les villes bâties au pied des volcans actifs."
)
BODY3 = (
    "Un premier bilan de l’accord est attendu au printemps, avant une extension éventuelle aux observatoires du "
    "Pérou et de la Bolivie."
)


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Par Inès Carvalho, membre du groupe de veille", "author_line"),
        ("Par Marc Duval, chercheur associé au laboratoire", "author_line"),
        ("Auteure : Sofia Lindqvist, analyste marchés émergents", "author_line"),
        ("Le 4 mars · par Hugo, sismologue", "author_line"),
        ("À propos de Géo Hebdo : un média indépendant consacré aux sciences de la Terre depuis 2004", "site_about"),
        ("Géo Hebdo est un magazine trimestriel fondé en 2004 par des géologues.", "site_about"),
        ("Terres Vives est un site associatif. Ses articles sont écrits par des bénévoles.", "site_about"),
        ("Géo Hebdo est édité par la SAS Presse des Cimes, capital 5 000 euros.", "site_about"),
        ("Terres Vives – association loi 1901 – SIRET 000 000 000 00000", "site_about"),
        ("Appel aux dons : le site ne vit que de la générosité de ses lecteurs.", "site_donation"),
        ("Soutenez Terres Vives : le site vit uniquement grâce à ses lecteurs. Faire un don", "site_donation"),
        ("Géo Hebdo publie chaque jeudi sa lettre gratuite « Secousses ». Inscrivez-vous.", "site_offer"),
        ("Abonnés : lisez notre dossier « Volcans sous surveillance »", "site_offer"),
        ("Géo Hebdo n° 88 : « Les Andes bougent », 96 pages, 7,50 €. Disponible en kiosque.", "site_offer"),
        ("Rhumes d’hiver ? Notre sélection -15 % avec le code NEIGE15", "site_offer"),
        ("Estimez votre maison en 3 minutes, c’est gratuit et sans engagement !", "site_offer"),
        ("Cap Vol relie Santiago trois fois par semaine. Réservez sur capvol.example", "site_offer"),
        ("Notre équipe de géologues vous présente chaque mois les découvertes de la recherche.", "house_voice"),
        ("Profitez de votre escale pour découvrir notre sélection de documentaires à bord.", "house_voice"),
        ("Texte : Lina Moreau — Photo : DR", "credits_row"),
        ("Textes : Paul Roy / Photos : Agence Andes", "credits_row"),
        ("— 27 —", "credits_row"),
        ("Note de lecteur (page 8) : à relire avec le rapport de 2021.", "credits_row"),
    ],
)
def test_site_notes_and_author_lines_are_removed(line: str, rule: str) -> None:
    assert first_rule(norm(line)) == rule


@pytest.mark.parametrize(
    "line",
    [
        "Par ailleurs, les deux académies financeront une dizaine de bourses de doctorat.",
        "Par Santiago, la décision est vue comme un signal adressé aux voisins andins.",
        "Le quotidien El Mercurio est un journal conservateur.",  # one statement about another outlet
        "La Russie a annoncé un don de 12 sismographes à l’institut chilien.",
        "« Nous voulons que vos villes soient prévenues à temps », a déclaré la ministre.",  # a quotation
        "Nous ferons un bilan avec nos partenaires chiliens au rendez-vous de l’an prochain.",
        "Le conseil étudiera à l’automne un outil comparable, sans engagement à ce stade.",
        "Les abonnés du réseau sismique recevront une alerte sur leur téléphone.",
        "Texte de l’accord : trois annexes techniques et un calendrier.",
        "Le chapitre 14 du rapport décrit les zones les plus exposées.",
    ],
)
def test_look_alike_article_lines_stay_out_of_the_site_notes(line: str) -> None:
    assert first_rule(norm(line)) is None


def test_a_comments_counter_under_the_byline_does_not_cut_the_article() -> None:
    raw = (
        f"{TITLE}\nPar Léa Ortiz, le 3 mars 2025 — 5 min de lecture\nCommentaires (12)\n\n{BODY}\n\n{BODY2}\n\n"
        f"{BODY3}\n"
    )
    kept = kept_lines(raw)
    assert [norm(b) for b in (BODY, BODY2, BODY3)] == [t for t in kept if t != norm(TITLE)]
    audit = {a.text: a.rule for a in clean_document(raw, DOC).audit}
    assert audit["Commentaires (12)"] == "comment_link"


def test_a_comments_heading_after_the_article_still_cuts_the_thread() -> None:
    comment = "Très bon article, merci pour ces explications claires sur les risques sismiques en Amérique du Sud."
    raw = f"{TITLE}\n\n{BODY}\n\n{BODY2}\n\nCommentaires (2)\n{comment}\n"
    assert norm(comment) not in kept_lines(raw) and norm(BODY2) in kept_lines(raw)


def test_an_author_line_under_the_title_is_not_taken_for_it() -> None:
    raw = f"Rubrique Sciences\n{TITLE}\nPar Inès Carvalho, membre du groupe de veille\n\n{BODY}\n\n{BODY2}\n"
    assert clean_document(raw, DOC).title == norm(TITLE)


def test_a_masthead_name_and_tagline_over_the_menu_are_no_title() -> None:
    raw = (
        "GÉO HEBDO\nLe magazine des sciences de la Terre et de l’environnement\nSéismes | Volcans | Climat | Océans\n"
        f"\n{BODY}\n\n{BODY2}\n"
    )
    doc = clean_document(raw, DOC)
    assert doc.title is None and doc.text.startswith(norm(BODY))
    # a page whose title comes under the menu keeps it
    raw = f"GÉO HEBDO\nLe magazine des sciences de la Terre\nSéismes | Volcans | Climat | Océans\n{TITLE}\n\n{BODY}\n"
    assert clean_document(raw, DOC).title == norm(TITLE)


def test_a_page_without_a_title_takes_its_date_from_the_publication_stamp_above_its_text() -> None:
    stamp = "Publié le 12/03/2025 | Lecture 3 min | 412 vues"
    raw = f"GÉO HEBDO\nLe magazine des sciences de la Terre\nSéismes | Volcans | Climat | Océans\n{stamp}\n{BODY}\n\n{BODY2}\n"
    doc = clean_document(raw, DOC)
    assert doc.title is None and doc.date == "2025-03-12"
    # a top bar's stamp that does not say « publié » is today's date, not the article's
    raw = raw.replace(stamp, "Mercredi 12/03/2025 | Santiago 14°")
    assert clean_document(raw, DOC).date is None


def test_closing_bios_of_the_stamps_author_go_and_the_article_stays() -> None:
    bio = "Nora Benali est journaliste scientifique à Santiago et collabore au site depuis 2020."
    raw = f"{TITLE}\n12 mars 2025 · Nora Benali · 3 commentaires\n\n{BODY}\n\n{BODY2}\n\n{bio}\n"
    kept = kept_lines(raw)
    assert norm(bio) not in kept and norm(BODY2) in kept
    short = "Nora Benali, géophysicienne, vit à Valparaíso."
    assert norm(short) not in kept_lines(f"{TITLE}\n12 mars 2025 · Nora Benali · 3 commentaires\n\n{BODY}\n\n{short}\n")
    says = "L’auteur, Marc Duval, est médiateur scientifique et anime les ateliers du musée depuis 2015."
    assert norm(says) not in kept_lines(f"{TITLE}\n\n{BODY}\n\n{BODY2}\n\n{says}\n")
    # the same name opening a sentence inside the article is its subject
    inside = "Nora Benali est aussi l’autrice du rapport qui a convaincu les deux académies de signer l’accord."
    assert norm(inside) in kept_lines(f"{TITLE}\n12 mars 2025 · Nora Benali\n\n{BODY}\n\n{inside}\n\n{BODY2}\n")


def test_data_lines() -> None:
    assert is_data_line("Repères : 40 sismographes • 2 instituts • 2026")
    assert is_data_line("Coût par station : 2024 : 12 000 € — 2025 : 15 000 €")
    assert is_data_line("4 stations, 40 capteurs, 12 relevés par jour")
    assert not is_data_line("Contact : 01 23 45 67 89")  # a phone number's groups have no unit
    assert not is_data_line("Mots-clés : Chili · Russie · séismes")
    assert not is_data_line("Votre ville : 3 alertes ce mois, 2 exercices")  # said to the reader
    assert not is_data_line("Pièce jointe : releves_20250312.pdf (96 Ko)")  # a file name's figures are a word's


def test_a_one_line_fact_box_after_a_paragraph_and_a_figures_heading_are_kept() -> None:
    box = "Repères : 40 sismographes • 2 instituts • 2026"
    raw = f"{TITLE}\n\n{BODY}\n\n{BODY2}\n{box}\n\nPartager : Facebook | X | Courriel\n"
    assert norm(box) in kept_lines(raw)
    figures = "4 stations, 40 capteurs, 12 relevés par jour"
    raw = f"{TITLE}\n\n{BODY}\n\nEN CHIFFRES\n{figures}\n\n{BODY2}\n\n{BODY3}\n"
    assert ["EN CHIFFRES", figures] == [t for t in kept_lines(raw) if t in ("EN CHIFFRES", figures)]
    # a widget's row after the text has no label and no paragraph right above it: it goes
    raw = f"{TITLE}\n\n{BODY}\n\n{BODY2}\n\nPrévisions pour votre ville\nSantiago 7° · Lima 15° · Quito 12°\n"
    assert "Santiago 7° · Lima 15° · Quito 12°" not in kept_lines(raw)
