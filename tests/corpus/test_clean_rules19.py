"""Rules written after heldout19 and heldout20: fact boxes of figures, bullets or a data sheet's fields after the text,
the lines under an article's share or tags row and from a site's agenda on, a shop's lines, the site's account and
legal notices, a call to act on a link's arrow, a one-line advert's label, the newsroom's and a lower-case byline, a
letter's salutation and closing formula, a heading over the text's numbered list, each on invented lines: the
furniture removed, a look-alike article line kept."""

from __future__ import annotations

import pytest

from coopnum.corpus.clean import clean_document

from .rule_lines import DOC, first_rule, kept_of, norm

TITLE = "Le Pérou et la Russie lancent un réseau commun de stations météorologiques dans les Andes"
BODY = (
    "Les services météorologiques de Lima et de Moscou installeront d’ici l’été trente stations automatiques sur les "
    "hauts plateaux, selon un accord signé mardi par les deux ministères de l’Environnement."
)
BODY2 = (
    "Les relevés alimenteront les modèles de prévision des crues, que les deux pays veulent rendre plus précis "
    "pour les villages des vallées exposées aux pluies de la saison humide."
)
BODY3 = (
    "Un premier bilan du réseau est attendu à l’automne, avant une extension éventuelle aux stations de la Bolivie "
    "et de l’Équateur."
)
SHARE = "Partager cet article : Facebook · X · Courriel"


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Ajouter au panier", "shop_line"),
        ("Commander maintenant", "shop_line"),
        ("ISBN 978-2-12345-678-9", "shop_line"),
        ("Aussi disponible en poche : 9,90 €", "shop_line"),
        ("En vente dans tous nos magasins, dans la limite des stocks disponibles.", "shop_line"),
        ("Membres Étoile : doublez vos points sur tout séjour de trois nuits avant le 30 juin.", "shop_line"),
        (
            "Atelier en ligne : « Lire une carte des crues », le 12 mai, 3 h validées. Inscriptions ouvertes dans votre"
            " espace membre.",
            "site_account",
        ),
        (
            "Vous ne souhaitez plus recevoir La Lettre des Andes ? Écrivez-nous depuis votre compte client.",
            "site_account",
        ),
        (
            "Conformément à la loi, les noms cités sont anonymisés. Pour exercer votre droit d’accès, écrivez-nous.",
            "site_legal",
        ),
        ("Station en panne ? Notre équipe technique intervient sous 48 heures partout dans les Andes ›", "cta_link"),
        ("Par la rédaction de Météo Andes", "author_line"),
        ("Par le service économie", "author_line"),
        ("par Lucía Quispe", "author_line"),
        ("Par Lucía Quispe, à Cusco", "author_line"),
    ],
)
def test_shop_site_and_author_lines_are_removed(line: str, rule: str) -> None:
    assert first_rule(norm(line)) == rule


@pytest.mark.parametrize(
    "line",
    [
        "Le prix du kilo de quinoa a atteint 4,20 € sur le marché de Puno.",  # a price in a statement
        "Prix moyen de la tonne : 2024 : 380 € — 2025 : 410 €",  # a fact box's data line, not a sale
        "Les stations seront disponibles pour les chercheurs des deux pays dès 2026.",
        "Par ailleurs, le réseau sera relié aux radars de la côte.",
        "Par la suite, les deux instituts publieront leurs données.",
        "Par avion, à Cusco",  # no name: a place reached, not a writer
        "Conformément à l’accord, les données resteront au Pérou.",  # a law's word, no reader's right
        "Les membres du comité : Ana Flores, Ivan Petrov et Rosa Mamani.",
        "Les éleveurs saisissent leurs relevés dans un espace dédié de l’application.",
    ],
)
def test_look_alike_article_lines_stay_out_of_the_shop_and_site_rules(line: str) -> None:
    assert first_rule(norm(line)) is None


def test_a_box_of_figures_bullets_or_fields_after_the_text_iskept_of() -> None:
    figures = ["30 stations automatiques", "4 200 mètres d’altitude", "2 instituts partenaires"]
    raw = f"{TITLE}\n\n{BODY}\n\n{BODY2}\nRepères\n" + "\n".join(figures) + "\n\nLes plus lus\nAutre sujet\n"
    assert kept_of(raw, "Repères", *figures) == [norm(t) for t in ["Repères", *figures]]
    # the same on a page with a blank line between all its lines, the items after a dash
    dashed = [f"– {t}" for t in figures]
    raw = f"{TITLE}\n\n{BODY}\n\n{BODY2}\n\nLe réseau en chiffres\n\n" + "\n\n".join(dashed) + "\n\n© Météo Andes\n"
    assert kept_of(raw, "Le réseau en chiffres", *dashed) == [norm(t) for t in ["Le réseau en chiffres", *dashed]]
    bullets = ["• 30 stations, 12 vallées", "• Relevés toutes les 15 minutes", "• Données hébergées à Lima"]
    raw = f"{TITLE}\n\n{BODY}\n\n{BODY2}\nEn bref\n" + "\n".join(bullets) + "\n\n© Météo Andes\n"
    assert kept_of(raw, *bullets) == [norm(t) for t in bullets]
    fields = ["Budget : 4 millions de dollars", "Durée : cinq ans, renouvelables", "Stations : 30 sur 12 vallées"]
    raw = f"{TITLE}\n\n{BODY}\n\n{BODY2}\nFiche technique\n" + "\n".join(fields) + "\n© Météo Andes\n"
    assert kept_of(raw, "Fiche technique", *fields) == [norm(t) for t in ["Fiche technique", *fields]]


def test_a_dated_agenda_and_a_numbered_list_are_no_box_of_figures() -> None:
    agenda = ["12 mai — Journée des prévisionnistes, Cusco", "3 juin — Salon de l’hydrologie, Lima"]
    raw = f"{TITLE}\n\n{BODY}\n\n{BODY2}\n\nAgenda\n" + "\n".join(agenda) + "\n\n© Météo Andes\n"
    assert kept_of(raw, *agenda) == []
    most_read = ["1. Pluies : la saison s’annonce précoce", "2. Glaciers : le recul s’accélère"]
    raw = f"{TITLE}\n\n{BODY}\n\n{BODY2}\n{SHARE}\nLes plus lus\n" + "\n".join(most_read) + "\n"
    assert kept_of(raw, *most_read) == []


def test_the_lines_under_the_share_or_tags_row_are_the_sites() -> None:
    tail = [
        "Le saviez-vous ?",
        "Une station automatique transmet une mesure toutes les dix minutes.",
        "Chaque mardi, notre lettre fait le point sur le climat des Andes.",
    ]
    raw = f"{TITLE}\n\n{BODY}\n\n{BODY2}\n\n{BODY3}\n{SHARE}\nMots-clés : Pérou · Russie · météo\n" + "\n".join(tail)
    assert kept_of(raw, *tail) == [] and kept_of(raw, BODY3) == [norm(BODY3)]
    # a share row under the byline, above the text, cuts nothing
    raw = f"{TITLE}\nPar Lucía Quispe, le 4 mars 2025\n{SHARE}\n\n{BODY}\n\n{BODY2}\n\n{BODY3}\n"
    assert kept_of(raw, BODY, BODY2, BODY3) == [norm(t) for t in (BODY, BODY2, BODY3)]


def test_a_sites_agenda_after_the_text_goes_and_a_timeline_stays() -> None:
    agenda = ["Prochains rendez-vous", "Jeudi 6 mars, 18 h : conférence sur les crues", "Samedi 8 mars : visite"]
    hours = "L’observatoire est ouvert au public le mercredi de 14 h à 17 h. Entrée libre."
    raw = f"{TITLE}\n\n{BODY}\n\n{BODY2}\n\n{BODY3}\n\n" + "\n".join(agenda) + f"\n{hours}\n"
    assert kept_of(raw, *agenda, hours) == [] and kept_of(raw, BODY3) == [norm(BODY3)]
    # an article's own timeline gives dates without a weekday, under a lead-in
    timeline = ["12 mars : signature de l’accord", "20 juin : premières stations en service"]
    raw = f"{TITLE}\n\n{BODY}\n\nLe calendrier :\n" + "\n".join(timeline) + f"\n\n{BODY2}\n\n{BODY3}\n"
    assert kept_of(raw, *timeline) == [norm(t) for t in timeline]


def test_a_one_line_advert_takes_no_title_and_an_advert_in_fields_goes() -> None:
    ad = "Publicité – Andes Solaire : vos toits deviennent des centrales. Étude gratuite."
    raw = f"MÉTÉO ANDES\nClimat | Crues | Glaciers\n{ad}\n{TITLE}\nPublié le 4 mars 2025\n\n{BODY}\n\n{BODY2}\n"
    assert clean_document(raw, DOC).title == norm(TITLE)
    offer = "Stage d’hydrologie – Prochaine session en avril – Places limitées"
    crosshead = "Un réseau très attendu"
    raw = f"{TITLE}\n\n{BODY}\n\nPublicité\n{offer}\n{crosshead}\n{BODY2}\n\n{BODY3}\n"
    assert kept_of(raw, offer, crosshead) == [norm(crosshead)]


def test_a_desk_byline_under_the_title_is_not_taken_for_it() -> None:
    raw = f"Météo Andes – version texte\nAccueil | Crues\n{TITLE}\nPublié le 04/03/2025\nPar la rédaction de Météo Andes\n\n{BODY}\n\n{BODY2}\n"
    assert clean_document(raw, DOC).title == norm(TITLE)


def test_a_letters_salutation_closing_and_list_heading_are_the_text() -> None:
    salutation, heading = "Madame, Monsieur,", "Ce qui change pour vous"
    items = [
        "1. Les relevés des stations devront parvenir au service avant midi chaque lundi.",
        "2. Les stations seront vérifiées chaque mois par un technicien du réseau.",
    ]
    closing = "Pour toute question, votre conseiller reste à votre disposition."
    raw = (
        f"Météo Andes – Espace partenaires\n{TITLE}\nDiffusé le 04/03/2025 - Service clients\n\n{salutation}\n\n"
        f"{BODY}\n\n{heading}\n" + "\n".join(items) + f"\n\n{BODY2}\n\n{closing}\n\nDocuments à télécharger\n"
    )
    assert kept_of(raw, salutation, heading, *items, closing) == [
        norm(t) for t in (salutation, heading, *items, closing)
    ]
    # without a salutation, a prompt said to the reader after the text is still the page's
    raw = f"{TITLE}\n\n{BODY}\n\n{BODY2}\n\n{closing}\n"
    assert kept_of(raw, closing) == []


def test_a_sources_heading_over_numbered_notes_is_kept_and_a_related_list_is_not() -> None:
    notes = ["(1) Ministère de l’Environnement du Pérou, note du 2 mars 2025.", "(2) Roshydromet, communiqué."]
    raw = f"{TITLE}\n\n{BODY}\n\n{BODY2}\nSources\n" + "\n".join(notes) + "\n"
    assert kept_of(raw, "Sources", *notes) == [norm(t) for t in ("Sources", *notes)]
    related = ["1. Glaciers : le recul s’accélère", "2. Crues : Lima renforce ses digues"]
    raw = f"{TITLE}\n\n{BODY}\n\n{BODY2}\nÀ lire aussi\n" + "\n".join(related) + "\n© Météo Andes\n"
    assert kept_of(raw, "À lire aussi", *related) == []


def test_an_author_box_above_the_share_row_goes_in_one_cleaning_as_in_two() -> None:
    """The author box is read only when no prose follows it; the site's prose under the share row goes later, so the
    box is read again after that cut (else the clean text, cleaned again, would lose it: cleaning is idempotent)."""
    sidebar = (
        "Reconversion : notre dossier complet sur les métiers du numérique, avec des témoignages de lectrices qui ont "
        "changé de voie après quarante ans."
    )
    bio = "Installée à Cusco, Ana Quispe est journaliste indépendante et collabore avec le magazine depuis 2021."
    tags = "Mots-clés : Pérou · Russie · météo"
    raw = "\n".join(
        [TITLE, "", BODY, "", BODY2, "", BODY3, "", "Ana Quispe", bio, SHARE, tags, "Dossiers", sidebar, ""]
    )
    once = clean_document(raw, DOC)
    assert norm(bio) not in once.text and norm(BODY3) in once.text
    assert clean_document(once.text, DOC).text == once.text
