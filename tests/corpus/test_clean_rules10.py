"""Rules written after heldout10 (app shares, Q&A explainers, fact-check pages, repository records, event sites,
portal and bulletin notices, tickers, newsletters, interviews), each on invented lines: the furniture removed, a
look-alike article line kept."""

from __future__ import annotations

import pytest

from coopnum.corpus.clean import clean_document

from .rule_lines import DOC, first_rule, kept, kept_lines, norm

TITLE = "Le Togo et la Russie lancent un programme commun d’observation par satellite"
BODY = (
    "Le programme, signé lundi à Lomé, prévoit la réception au Togo des images de deux satellites russes "
    "d’observation de la Terre à partir de l’an prochain."
)
BODY2 = (
    "Les images serviront d’abord au suivi des cultures de coton et des crues du fleuve Mono, selon le ministère "
    "de l’Économie numérique."
)
BODY3 = (
    "Une station de réception sera construite près de Kara, et une vingtaine d’ingénieurs togolais seront formés "
    "à Samara pendant six mois."
)


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        # a Q&A explainer's accordion buttons and question counters
        ("Tout replier ⊖", "accordion_control"),
        ("▸ Voir la réponse", "accordion_control"),
        ("− Masquer les détails", "accordion_control"),
        ("Question 3/7", "question_counter"),
        ("Étape 2 sur 4", "question_counter"),
        # an app's share bar, toast and appeals
        ("⤴ Partager l’article", "sign_button"),
        (
            "Notifications activées : vous serez averti dès qu’un nouvel article de la rubrique Espace sera publié.",
            "app_toast",
        ),
        (
            "Vous appréciez Lomé Infos ? Laissez-nous un avis sur le magasin d’applications, cela compte beaucoup.",
            "reader_appeal",
        ),
        (
            "Vous êtes une collectivité ? Diffusez vos offres d’emploi auprès de 12 000 candidats chaque mois.",
            "reader_appeal",
        ),
        ("Plus sur l’application", "related_heading"),
        # a newsletter blog's subscribe box
        (
            "Merci de suivre ce carnet ! Abonnez-vous pour recevoir chaque lettre le dimanche matin.",
            "subscribe_box",
        ),
        # a fact-check page's widgets
        ("Verdict : plutôt vrai", "rating_badge"),
        ("●●●○○ Plutôt vrai", "rating_badge"),
        ("Pourquoi cette note ? Consulter la charte", "method_link"),
        ("[Image du message d’origine, recadrée]", "media_placeholder"),
        ("[Capture d’écran d’une vidéo publiée sur TikTok]", "media_placeholder"),
        ("Cette explication vous a-t-elle été utile ?", "usefulness_poll"),
        (
            "Notre rédaction est membre d’un code de déontologie partagé par vingt médias ouest-africains.",
            "transparency_notice",
        ),
        (
            "Si vous estimez que cet article contient une erreur, écrivez-nous à l’adresse indiquée en bas de page.",
            "transparency_notice",
        ),
        (
            "Le Fil togolais vit de ses abonnements et de vos dons : soutenez-nous pour que l’information reste libre.",
            "donation_appeal",
        ),
        ("Le Fil togolais est un site gratuit, financé par ses lectrices et ses lecteurs.", "donation_appeal"),
        # a portal's and a bulletin's notices
        ("Avertissement : les chiffres ci-dessous n’ont pas été vérifiés.", "page_disclaimer"),
        ("Les montants sont communiqués à titre indicatif par l’organisme acheteur.", "page_disclaimer"),
        ("Ce relevé ne constitue pas une position officielle de la Commission.", "page_disclaimer"),
        ("🔒 Les pièces jointes sont réservées aux membres.", "premium_lock"),
        ("Accédez aux 40 pages du rapport avec l’offre Premium.", "premium_lock"),
        ("Lettres précédentes", "related_heading"),
        ("Dossiers similaires :", "related_heading"),
        # a TV ticker's items and archive notice
        ("18:30 — CULTURE : le festival des masques ouvre ce soir à Kara", "ticker_item"),
        ("7h15 | FAITS DIVERS : un pont fermé à la circulation", "ticker_item"),
        ("Les émissions restent disponibles 30 jours sur notre plateforme de replay.", "archive_notice"),
        # an interview's making note
        ("Cette interview a été conduite par téléphone et raccourcie pour la lisibilité.", "making_note"),
        # a repository's record: fields, affiliations
        ("Type de publication : Article dans une revue", "record_field"),
        ("DOI : 10.1234/abcd.5678", "record_field"),
        ("Pour citer cet article : A. Mensah, « Satellites et coton », 2024.", "record_field"),
        ("Licence : CC BY-NC 4.0", "record_field"),
        ("Téléchargements : 41", "record_field"),
        ("3 Laboratoire de géomatique, Université de Lomé, Togo", "affiliation"),
        ("Afi Mensah 1, Ivan Petrov 2 et Koffi Adzo 1", "affiliation"),
        # an event site's blocks
        ("Orateurs invités", "related_heading"),
        ("Nos partenaires", "related_heading"),
        ("Accès : une navette gratuite relie l’aéroport au centre des congrès, sur réservation.", "practical_info"),
        ("Voir toutes les sessions", "see_all_link"),
        ("← Retour au programme", "related_link"),
        # a fact-check's stamp, a dateline with its update
        ("Vérifiée le 4 mars 2024 par la cellule Afrique", "check_stamp"),
        ("Lomé, le 4 mars 2024 — mis à jour le 5 mars 2024", "dateline"),
    ],
)
def test_furniture_met_in_heldout10(line: str, rule: str) -> None:
    assert first_rule(line) == rule


@pytest.mark.parametrize(
    "line",
    [
        "Le ministre a demandé à voir la réponse écrite de l’opérateur avant de signer.",
        "La question 3 du questionnaire portait sur le coût des images.",
        "Vous êtes nombreux à nous écrire ? Le ministère, lui, ne répond pas.",  # no call after the question
        "Le service est réservé aux abonnés de l’opérateur public.",  # a fact, not a premium lock
        "Les images sont fournies gratuitement aux universités pendant trois ans.",
        "Le verdict du tribunal de Lomé est attendu la semaine prochaine.",
        "Le partenaire russe fournira les antennes et les logiciels de traitement.",
        "Partenaires : le Togo, la Russie et deux banques régionales financent la station.",
        "Accès : la station sera ouverte aux chercheurs de toute la sous-région.",
        "La conférence de presse a eu lieu à Lomé, en présence du ministre.",
        "Le centre de Kara accueillera aussi une école d’été.",
        "3 universités togolaises participent au programme.",
        "« Nous voulons voir nos champs depuis l’espace », a résumé la ministre.",
        "Les données seront conservées 30 ans par l’agence nationale.",
    ],
)
def test_article_lines_like_that_furniture_stay(line: str) -> None:
    assert first_rule(line) is None


def test_a_pull_quote_goes_and_the_sentence_it_repeats_stays() -> None:
    said = "« Les satellites ne remplacent pas les agronomes, ils les aident », a dit la ministre à Lomé."
    raw = "\n\n".join([TITLE, BODY, said, "« Les satellites ne remplacent pas les agronomes, ils les aident »", BODY2])
    assert kept_lines(raw) == kept([TITLE, BODY, said, BODY2])
    # a headline that is a quotation the text repeats is the title
    headline = "« Les satellites ne remplacent pas les agronomes »"
    raw = "\n\n".join([headline, BODY, said, BODY2])
    assert clean_document(raw, DOC).title == norm(headline)
    # a quotation alone that the article does not hold elsewhere is the article's own line
    alone = "« Nous voulons voir nos champs depuis l’espace. »"
    raw = "\n\n".join([TITLE, BODY, alone, BODY2])
    assert kept_lines(raw) == kept([TITLE, BODY, alone, BODY2])


def test_a_dashed_initials_signature_closes_the_article() -> None:
    raw = "\n\n".join([TITLE, BODY, BODY2, "— A. M.", "Répondre à ce billet par courriel"])
    assert kept_lines(raw) == kept([TITLE, BODY, BODY2])


def test_an_interviews_speaker_labels_stay() -> None:
    answer = (
        "Nous formerons d’abord vingt ingénieurs, puis nous ouvrirons la station aux étudiants de l’université "
        "de Kara dès la deuxième année."
    )
    answer2 = "Oui, et nous voulons des cartes de crues publiées chaque semaine pendant la saison des pluies."
    raw = "\n".join(
        [
            TITLE,
            BODY,
            "◆ LE FIL TOGOLAIS",
            "Qui pourra utiliser ces images ?",
            "◆ AFI MENSAH",
            answer,
            "◆ LE FIL TOGOLAIS",
            "Et les agriculteurs ?",
            "◆ AFI MENSAH",
            answer2,
        ]
    )
    assert kept_lines(raw) == kept(raw.split("\n"))


def test_a_repository_page_takes_the_papers_title_and_loses_its_record() -> None:
    raw = "\n".join(
        [
            "Dépôt ouvert — archive des travaux de recherche",
            "Article dans une revue",
            TITLE,
            "Afi Mensah 1, Ivan Petrov 2",
            "1 Université de Lomé, Togo",
            "2 Institut de recherches spatiales, Samara, Russie",
            "Résumé",
            BODY,
            BODY2,
            "Type de document : Article dans une revue",
            "DOI : 10.1234/abcd.5678",
            "Citer : Afi Mensah, Ivan Petrov. Satellites et coton. 2024.",
            "Consultations : 58 · Téléchargements : 12",
            "Licence : CC BY 4.0 — réutilisation libre avec citation des auteurs.",
        ]
    )
    doc = clean_document(raw, DOC)
    assert doc.title == TITLE
    assert kept_lines(raw) == kept([TITLE, BODY, BODY2])


def test_a_q_and_a_explainer_keeps_its_questions_and_answers() -> None:
    raw = "\n".join(
        [
            TITLE,
            BODY,
            "Tout déplier ⊕",
            "Question 1 sur 2",
            "Qui finance la station ?",
            "▾ Masquer la réponse",
            BODY2,
            "Question 2 sur 2",
            "Quand sera-t-elle prête ?",
            "▸ Afficher la réponse",
            BODY3,
        ]
    )
    lines = raw.split("\n")
    assert kept_lines(raw) == kept([TITLE, BODY, lines[4], BODY2, lines[8], BODY3])


def test_lists_of_other_issues_and_speakers_go_with_their_items() -> None:
    raw = "\n".join(
        [
            TITLE,
            BODY,
            BODY2,
            "Orateurs invités",
            "Afi Mensah — directrice de l’agence spatiale togolaise",
            "Ivan Petrov — ingénieur, institut de Samara",
            "Voir tous les orateurs",
            "Lettres précédentes",
            "N° 11 — Février 2024 — Les drones agricoles arrivent à Kara",
        ]
    )
    assert kept_lines(raw) == kept([TITLE, BODY, BODY2])


def test_the_outlet_a_rights_line_states_is_checked() -> None:
    # a one-person newsletter: its © names the byline's author, not an outlet
    raw = "\n".join([TITLE, "Par Afi Mensah", BODY, BODY2, "© 2024 Afi Mensah · Confidentialité · Conditions"])
    assert clean_document(raw, DOC).outlet is None
    # an event's site: the organisers' committee holds the rights, the event is the outlet
    raw = "\n".join([TITLE, BODY, BODY2, "© Comité d’organisation du Salon spatial de Lomé · Mentions légales"])
    assert clean_document(raw, DOC).outlet == "Salon spatial de Lomé"
    # a bare © with a year closing the page names the outlet; without a year it may be a photo credit
    raw = "\n".join([TITLE, BODY, BODY2, "© 2024 Le Fil togolais"])
    assert clean_document(raw, DOC).outlet == "Le Fil togolais"
    raw = "\n".join([TITLE, BODY, BODY2, "© Le Fil togolais"])
    assert clean_document(raw, DOC).outlet is None
    raw = "\n".join([TITLE, BODY, BODY2, "© 2024 Tous droits réservés"])
    assert clean_document(raw, DOC).outlet is None
    # a masthead over a footer that adds the company's legal form
    raw = "\n".join(
        ["Le Fil togolais — l’actualité du numérique", TITLE, BODY, BODY2, "Le Fil togolais SARL · Mentions légales"]
    )
    assert clean_document(raw, DOC).outlet == "Le Fil togolais"


def test_a_dateline_with_its_update_gives_the_release_date() -> None:
    raw = "\n".join([TITLE, "Kara, le 4 mars 2024 — mis à jour le 6 mars 2024", BODY, BODY2])
    assert clean_document(raw, DOC).date == "2024-03-04"


def test_a_fact_checks_stamp_gives_the_date_and_spares_the_crosshead_under_it() -> None:
    # a page with no title line: the crosshead under the stamp is no name touching a byline
    raw = "\n".join(
        ["Vérifié le 4 mars 2024 par la cellule Afrique", "Ce qui est affirmé", BODY, "Ce qui est vrai", BODY2]
    )
    doc = clean_document(raw, DOC)
    assert doc.date == "2024-03-04"
    assert kept_lines(raw) == kept(raw.split("\n")[1:])
