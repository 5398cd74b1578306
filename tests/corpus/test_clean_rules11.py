"""Rules written after heldout11 (job postings, threads with a pasted article, tables of contents, closing bios,
minutes' and editions' notices), each on invented lines: the furniture removed, a look-alike article line kept."""

from __future__ import annotations

import pytest

from coopnum.corpus import line_model
from coopnum.corpus.clean import clean_document
from coopnum.corpus.line_model import FEATURES, LineModel

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


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Fin de l’extrait.", "end_marker"),
        ("[Fin du texte]", "end_marker"),
        ("EDIT 2 : lien corrigé, merci à tous", "edit_note"),
        ("Cet article a été corrigé le 3 avril : une erreur de chiffre s’était glissée.", "update_note"),
        ("Tu veux rejoindre l’équipe du journal ? Écris-nous avant vendredi, on t’attend.", "familiar_appeal"),
        ("Traduit du russe par la rédaction.", "translation_credit"),
        ("Traduction : Marc Petit", "translation_credit"),
        ("Épisode précédent : la fibre arrive à Parakou", "prev_next_link"),
        ("Sujet suivant : Kazan accueille un forum", "prev_next_link"),
        ("Seule la version publiée au Journal officiel fait foi.", "authority_notice"),
    ],
)
def test_heldout11_notices_are_removed(line: str, rule: str) -> None:
    assert first_rule(norm(line)) == rule


@pytest.mark.parametrize(
    "line",
    [
        # an article's sentences with the same words
        "La fin de l’article 12 du traité a suscité un long débat entre les deux délégations à Moscou.",
        "Le texte a été traduit du russe vers le français par une équipe de l’université, a précisé le ministre.",
        "Le ministre a rappelé que seule la version signée par les deux parties engage les administrations.",
        "« Tu veux savoir si cela marche ? Viens voir », lance un ingénieur à un visiteur du salon.",
    ],
)
def test_article_sentences_like_those_notices_are_left(line: str) -> None:
    assert first_rule(norm(line)) is None


def test_a_flair_glued_to_a_post_title_is_trimmed() -> None:
    doc = clean_document(f"[Discussion] {TITLE}\n{BODY}\n{BODY2}\n", DOC)
    assert doc.title == norm(TITLE)
    alone = clean_document(f"{TITLE}\n[Photo]\n{BODY}\n", DOC)  # a bracketed placeholder alone is no flair
    assert "[Photo]" not in alone.text


def test_a_thread_keeps_the_pasted_article_and_cuts_the_comments() -> None:
    raw = "\n".join(
        [
            "Forumix — discussions tech",
            "Publié par u/lecteur_lomé il y a 3 h",
            f"[Actu] {TITLE}",
            BODY,
            "Un enjeu pour l’état civil",
            BODY2,
            BODY3,
            "Fin de l’article.",
            "Edit : ajouté le lien, merci u/cotonou_dev",
            "132 points · 41 commentaires · Partager · Enregistrer",
            "u/dev_porto · il y a 2 h",
            "Très bonne nouvelle, j’ai travaillé deux ans sur ces sujets à Novossibirsk et c’est passionnant.",
            "u/analyste_b · il y a 1 h",
            "Reste à savoir qui gardera les clés de chiffrement, ce point n’est jamais abordé dans ces accords.",
        ]
    )
    doc = clean_document(raw, DOC)
    assert doc.title == norm(TITLE)
    assert kept_lines(raw)[1:] == kept([BODY, "Un enjeu pour l’état civil", BODY2, BODY3])


def test_a_job_posting_keeps_its_fields_sections_and_lists() -> None:
    raw = "\n".join(
        [
            "TalentsNum — offres d’emploi",
            "Offre publiée il y a 2 jours · 12 candidatures",
            "Ingénieur cryptographie – laboratoire bénino-russe (F/H)",
            "Laboratoire commun de cryptographie — Cotonou, Bénin",
            "CDI de 24 mois · Temps plein · Français et anglais exigés, russe apprécié",
            "Postuler",
            "Sauvegarder",
            "Le poste",
            BODY,
            "Vos missions",
            "Concevoir les protocoles de signature des actes ;",
            "Former les ingénieurs des administrations ;",
            "Rédiger les rapports semestriels.",
            "Votre profil",
            "Doctorat en mathématiques ou en informatique ;",
            "Trois ans d’expérience en cryptographie appliquée.",
            "Salaire : selon expérience",
            "Référence : BJ-RU-0917",
            "Postuler",
            "Signaler cette offre",
        ]
    )
    doc = clean_document(raw, DOC)
    assert doc.title == norm("Ingénieur cryptographie – laboratoire bénino-russe (F/H)")
    assert kept_lines(raw)[1:] == kept(
        [
            "Laboratoire commun de cryptographie — Cotonou, Bénin",
            "CDI de 24 mois · Temps plein · Français et anglais exigés, russe apprécié",
            "Le poste",
            BODY,
            "Vos missions",
            "Concevoir les protocoles de signature des actes ;",
            "Former les ingénieurs des administrations ;",
            "Rédiger les rapports semestriels.",
            "Votre profil",
            "Doctorat en mathématiques ou en informatique ;",
            "Trois ans d’expérience en cryptographie appliquée.",
            "Salaire : selon expérience",
            "Référence : BJ-RU-0917",
        ]
    )


def test_a_list_after_a_lead_in_closing_the_article_is_kept() -> None:
    items = ["Le conseil décide :", "– d’approuver la convention ;", "– d’autoriser le maire à la signer."]
    raw = "\n".join([TITLE, BODY, BODY2, *items, "Voir les autres délibérations", "Plan du site"])
    assert kept_lines(raw) == kept([TITLE, BODY, BODY2, *items])
    # the same lines without a semicolon are no list: a lead-in and two short lines stay the footer's
    loose = ["Nos services :", "Abonnements", "Archives"]
    assert kept_lines("\n".join([TITLE, BODY, BODY2, *loose])) == kept([TITLE, BODY, BODY2])


def test_a_table_of_contents_opens_the_article_it_repeats() -> None:
    raw = "\n".join(
        [
            "Chambre de commerce Bénin-Russie",
            "Lettre n° 12 — version web",
            "Édito",
            "Chers membres, ce numéro fait la part belle au numérique et à nos nouvelles délégations. Bonne lecture !",
            "Au sommaire de ce numéro",
            f"1. {TITLE}",
            "2. Agenda",
            TITLE,
            BODY,
            BODY2,
        ]
    )
    doc = clean_document(raw, DOC)
    assert doc.title == norm(TITLE)
    assert kept_lines(raw) == kept([TITLE, BODY, BODY2])


def test_contents_of_the_articles_own_sections_leave_the_crosshead() -> None:
    raw = "\n".join([TITLE, "Sommaire", "1. Un laboratoire", "2. Des doctorants", BODY, "Un laboratoire", BODY2])
    assert kept_lines(raw) == kept([TITLE, BODY, "Un laboratoire", BODY2])


def test_a_closing_bio_of_the_author_or_the_publisher_is_removed() -> None:
    bio = "Awa Tossou est doctorante en science politique et correspondante de la revue à Cotonou depuis deux ans."
    about = "Veille Numérique est une association indépendante qui vit des dons de ses lecteurs et de ses membres."
    raw = "\n".join(["Veille Numérique — l’actualité du numérique", TITLE, "Par Awa Tossou", BODY, BODY2, bio, about])
    assert kept_lines(raw) == kept([TITLE, BODY, BODY2])
    # another person's name opening the last paragraph is the article's subject
    last = "Koffi Adjovi est le premier doctorant recruté par le laboratoire, où il travaillera sur la signature."
    raw = "\n".join(["Veille Numérique — l’actualité du numérique", TITLE, "Par Awa Tossou", BODY, BODY2, last])
    assert kept_lines(raw) == kept([TITLE, BODY, BODY2, last])


def test_a_thread_of_posts_counted_has_no_title_from_its_bio() -> None:
    raw = "\n".join(
        [
            "Revue Bénin Tech @revue@social.example",
            "Média en ligne consacré au numérique. Compte de la rédaction.",
            f"{BODY} (1/3)",
            f"{BODY2} (2/3)",
            f"{BODY3} (3/3)",
        ]
    )
    doc = clean_document(raw, DOC)
    assert doc.title is None
    assert f"{BODY2} (2/3)" in doc.text.replace("\u00a0", " ")


def test_a_timeline_heading_inside_the_article_is_not_vetoed(monkeypatch: pytest.MonkeyPatch) -> None:
    # a veto that calls every line furniture: only its exemptions keep a line
    monkeypatch.setattr(line_model, "committed_model", lambda: LineModel(tuple(0.0 for _ in FEATURES), 50.0, 0.95))
    box = ["Dates clés", "2023 : premier accord de recherche", "2025 : ouverture du laboratoire"]
    raw = "\n".join([TITLE, BODY, *box, BODY2, BODY3])
    assert kept_lines(raw) == kept([TITLE, BODY, *box, BODY2, BODY3])
    # a heading over a line that is no dated item is still vetoed
    raw = "\n".join([TITLE, BODY, "Galerie photos", "Voir les images du laboratoire", BODY2, BODY3])
    assert norm("Galerie photos") not in kept_lines(raw)


def test_a_russian_legal_form_is_no_part_of_the_outlets_name() -> None:
    doc = clean_document(f"{TITLE}\n{BODY}\n{BODY2}\n© 2025 Volgasoft PJSC. Tous droits réservés.\n", DOC)
    assert doc.outlet == "Volgasoft"
