"""Rules written after heldout8 (forum threads, players, interface buttons, alt texts, Markdown exports,
e-paper pages, social posts), each on invented lines: the furniture removed, a look-alike article line kept."""

from __future__ import annotations

import pytest

from coopnum.corpus.clean import clean_document
from coopnum.corpus.markup import heading_marker_end, reader_text

from .rule_lines import DOC, first_rule, kept_lines

TITLE = "Le Gabon et la Russie lancent un programme commun de formation au numérique"
BODY = (
    "Le programme, financé pour moitié par les deux États, doit former trois cents techniciens des "
    "administrations gabonaises d’ici la fin de l’année prochaine."
)
BODY2 = (
    "Les premières sessions se tiendront à Libreville dès le mois de mars, dans les locaux de "
    "l’université, avant d’être étendues aux capitales provinciales."
)
BODY3 = (
    "Le ministère prévoit aussi un volet consacré à la cybersécurité, avec des exercices communs "
    "organisés chaque année entre les équipes des deux pays."
)


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        # forum posts' headers (« Posté le … par … »), edit stamps, signatures, back-to-top links
        ("#2 Posté le 03/05/2023 à 10:02 par Kalala_Dev", "post_header"),
        ("Message n° 14 — posté par ingenieur_243 le 12 janvier 2024", "post_header"),
        ("Posté par Awa_D il y a 3 heures", "post_header"),
        ("Re : Câble sous-marin à Dakar", "post_header"),
        ("Dernière édition par Kodjo le 12/04/2024 à 18:02, édité 2 fois.", "forum_furniture"),
        ("Message édité par la modération", "forum_furniture"),
        ("Signature : « Le code est une langue » — Awa, développeuse", "forum_furniture"),
        ("Haut de page ↑", "site_furniture"),
        ("Membre depuis 2019", "forum_furniture"),
        ("Réponses : 4 — Vues : 1 287", "forum_furniture"),
        # a video player's controls and a report's crew
        ("Vidéo suivante dans 5 s", "media_player"),
        ("Activer le son", "media_player"),
        ("Plein écran", "media_player"),
        ("Sous-titres : Français", "media_player"),
        ("Lecture automatique : activée", "media_player"),
        ("Passer la publicité", "media_player"),
        ("Lire la vidéo", "media_player"),
        ("Reportage : M. Ould Cheikh, S. Ba – Montage : A. Sall", "production_credit"),
        ("Images : Jean-Paul Mba – Réalisation : Awa Diop", "production_credit"),
        ("Diffusé le 08.06.2024 dans le journal de 20 h", "byline"),
        ("Regardez aussi", "related_heading"),
        ("À revoir également : le grand entretien du dimanche", "related_heading"),
        ("Vidéos associées", "related_heading"),
        ("Article suivant : Toamasina, premier port connecté ?", "related_heading"),
        # interface buttons kept as lines (ARIA labels)
        ("Fermer la fenêtre de dialogue", "interface_control"),
        ("Ouvrir le menu", "interface_control"),
        ("Basculer le mode sombre", "interface_control"),
        ("Agrandir l'image", "interface_control"),
        ("Fermer", "interface_control"),
        ("Diapositive 2 sur 5", "interface_control"),
        ("Voir la traduction", "expand_link"),
        ("Lien copié dans le presse-papiers", "expand_link"),
        ("…voir plus", "expand_link"),
        ("... afficher la suite", "expand_link"),
        ("Nous utilisons des témoins de connexion pour améliorer votre expérience.", "consent_banner"),
        # an image's alt text, a caption whose credit holds initials, an e-paper's continuation notes
        ("Image : vue aérienne du campus universitaire", "alt_text"),
        ("[Photo : la signature de l’accord au ministère]", "alt_text"),
        ("Le ministre lors de la signature. © Agence / R. Mba", "photo_caption"),
        ("(Suite en page 8)", "print_continuation"),
        ("Suite de la page 7", "print_continuation"),
        ("(Lire p. 12)", "print_continuation"),
        ("Voir page 4", "print_continuation"),
        ("Directeur de publication : A. Mba – Imprimerie du Golfe – Dépôt légal n° 118", "print_imprint"),
        ("ISSN 1234-567X", "print_imprint"),
        # a social post's age, an issue's date, a rights footer without ©
        ("3 sem. • Modifié •", "post_age"),
        ("il y a 2 jours", "post_age"),
        ("5 h ·", "post_age"),
        ("Édition du lundi 7 octobre 2024 · n° 212", "edition_stamp"),
        ("Lettre du 3 mars 2025", "edition_stamp"),
        ("Assemblée nationale du Gabon – Libreville – Tous droits réservés", "copyright_footer"),
        ("📄 Rapport de la commission (PDF, 412 Ko)", "pictogram_widget"),
        ("📩 Vous aimez nos articles ? Recevez-les chaque lundi dans votre boîte.", "pictogram_widget"),
    ],
)
def test_furniture_met_in_heldout8(line: str, rule: str) -> None:
    assert first_rule(line) == rule


@pytest.mark.parametrize(
    "line",
    [
        "Les messages postés sur le forum de l’agence ont été lus plus de dix mille fois.",
        "Re-mobiliser les équipes sera la priorité du nouveau directeur.",
        "La signature de l’accord est prévue à Moscou le 14 mars.",
        "Lecture des résultats : les deux pays se disent satisfaits.",
        "Reportage : les coulisses du centre de données.",  # a rubric over a sentence
        "Le reportage diffusé en 2023 avait fait grand bruit dans le pays.",
        "Regarder vers l’Asie, c’est aussi regarder vers Moscou.",
        "Ouvrir le marché des télécoms aux opérateurs étrangers reste un tabou.",
        "Fermer la porte aux équipementiers occidentaux serait une erreur, estime l’économiste.",
        "Suite à la signature, les travaux doivent commencer en juin.",
        "Voir page après page la même promesse finit par lasser.",
        "3 semaines de formation intensive à Moscou.",
        "Édition du 7 octobre 2024 : les députés votent la loi de finances",
        "🚀 Retour de Moscou, et beaucoup à partager !",  # a post's own line after its pictogram
        "Nous utilisons des logiciels libres dans toutes les administrations.",
        "Le dépôt légal des œuvres numériques est obligatoire depuis 2006.",
        "Le directeur de la publication a démissionné la semaine dernière.",
        "Suivant les experts, le projet coûtera plus cher que prévu.",
        "Membre du gouvernement depuis 2019, la ministre connaît bien le dossier.",
    ],
)
def test_article_lines_like_that_furniture_stay(line: str) -> None:
    assert first_rule(line) is None


def test_markdown_markup_is_read_as_the_reader_sees_it() -> None:
    assert reader_text("**Par Awa Diop** · 12 février 2024 · 5 min de lecture") == (
        "Par Awa Diop · 12 février 2024 · 5 min de lecture"
    )
    assert reader_text("> **À lire aussi :** [La fibre arrive à Franceville](/actualites/fibre)") == (
        "À lire aussi : La fibre arrive à Franceville"
    )
    assert reader_text("*Le ministre à Libreville. © Agence / R. Mba*") == "Le ministre à Libreville. © Agence / R. Mba"
    assert reader_text("![Le ministre](/img/ministre.jpg)") is None  # an image is left to the image rules
    assert reader_text("Le projet, baptisé « Acte Sûr », avance.") is None
    assert heading_marker_end("## Une plateforme hébergée au Gabon") == 3
    assert heading_marker_end("#2 Posté le 03/05/2023 par Awa") is None  # a post number, not a heading
    assert heading_marker_end("#Russie #Gabon") is None


def test_a_markdown_page_keeps_its_text_and_loses_its_furniture() -> None:
    raw = "\n".join(
        [
            "[Aller au contenu](#main)",
            f"# {TITLE}",
            "**Par Awa Diop** · 12 février 2024 · 5 min de lecture",
            BODY,
            "*Le ministre à Libreville. © Agence / R. Mba*",
            "## Un volet cybersécurité",
            BODY2,
            "> **À lire aussi :** [La fibre arrive à Franceville](/actualites/fibre)",
            BODY3,
        ]
    )
    doc = clean_document(raw, DOC)
    assert doc.title == TITLE  # the heading marker is not the title's
    assert doc.date == "2024-02-12"  # the byline's fields, read without their bold markers
    assert kept_lines(raw) == [f"# {TITLE}", BODY, "## Un volet cybersécurité", BODY2, BODY3]


def test_a_forum_thread_keeps_the_first_post_and_loses_the_replies() -> None:
    raw = "\n\n".join(
        [
            "Sujet : programme de formation (article repris)",
            "#1 Posté le 03/05/2023 à 09:14 par Awa_D",
            TITLE,
            BODY,
            BODY2,
            "Dernière édition par Awa_D le 03/05/2023 à 09:20, édité 1 fois.",
            "#2 Posté le 03/05/2023 à 10:02 par Kodjo",
            "Et qui paiera la maintenance des équipements une fois les formateurs repartis à Moscou ?",
            "#3 Posté le 04/05/2023 à 08:30 par Awa_D",
            "Le ministère prévoit une ligne budgétaire pour cela, d’après ce que j’ai lu hier soir.",
        ]
    )
    doc = clean_document(raw, DOC)
    assert kept_lines(raw) == [TITLE, BODY, BODY2]
    assert doc.date == "2023-05-03"  # the first post's date
    # a page with a post header but no second post keeps what follows its prose
    single = "\n\n".join(["#1 Posté le 03/05/2023 à 09:14 par Awa_D", TITLE, BODY, BODY2, BODY3])
    assert kept_lines(single) == [TITLE, BODY, BODY2, BODY3]


def test_the_line_after_an_alt_text_and_its_credit_is_the_article() -> None:
    body = "L’université et son partenaire russe ont annoncé la création d’une école d’ingénieurs."
    raw = "\n".join([TITLE, BODY, "Image : vue aérienne du campus", "Crédit photo : Agence gabonaise", body, BODY2])
    assert kept_lines(raw) == [TITLE, BODY, body, BODY2]
    # without an alt text on its other side, the line touching a credit is its caption
    caption = "Vue aérienne du campus, où doit ouvrir l’école."
    raw = "\n".join([TITLE, BODY, "", "Crédit photo : Agence gabonaise", caption, "", BODY2])
    assert kept_lines(raw) == [TITLE, BODY, BODY2]


def test_a_print_page_running_head_after_a_page_break_goes() -> None:
    raw = "\n\n".join(
        ["LE JOURNAL DU GOLFE", "ÉCONOMIE", TITLE, BODY, "(Suite en page 8)", "Page 8 / 24", "ÉCONOMIE", BODY2, BODY3]
    )
    assert kept_lines(raw) == [TITLE, BODY, BODY2, BODY3]
    # a subheading that repeats no label of the header stays
    raw = "\n\n".join(["ÉCONOMIE", TITLE, BODY, "Un volet cybersécurité", BODY2, BODY3])
    assert kept_lines(raw) == [TITLE, BODY, "Un volet cybersécurité", BODY2, BODY3]


def test_a_last_sentence_closed_by_an_emoji_is_kept() -> None:
    thanks = "Merci à toute l’équipe et aux formateurs pour leur patience. 🙏"
    raw = "\n".join([TITLE, BODY, BODY2, thanks, "Voir le profil de l’auteur 👉"])
    assert kept_lines(raw) == [TITLE, BODY, BODY2, thanks]


def test_a_rights_footer_without_a_copyright_sign_names_the_outlet() -> None:
    footer = "Assemblée nationale du Gabon – Libreville – Tous droits réservés"
    assert clean_document("\n".join([TITLE, BODY, BODY2, footer]), DOC).outlet == "Assemblée nationale du Gabon"
    for notice in ("Reproduction interdite – Tous droits réservés", "Photo : AGP – Tous droits réservés"):
        assert clean_document("\n".join([TITLE, BODY, BODY2, notice]), DOC).outlet is None


def test_a_masthead_named_again_in_the_last_line_is_the_site_not_the_title() -> None:
    raw = "\n".join(
        [
            "Veille Gabon Numérique — la revue de presse du numérique",
            "Édition du lundi 7 octobre 2024 · n° 212",
            BODY,
            BODY2,
            "Veille Gabon Numérique · Se désabonner · Confidentialité",
        ]
    )
    doc = clean_document(raw, DOC)
    assert doc.title is None
    assert doc.outlet == "Veille Gabon Numérique"
    assert doc.date == "2024-10-07"
    # a last line whose first field opens no line of the masthead names nothing
    raw = "\n".join([TITLE, BODY, BODY2, "Plan du site · Mentions légales · Contact"])
    doc = clean_document(raw, DOC)
    assert doc.title == TITLE and doc.outlet is None
