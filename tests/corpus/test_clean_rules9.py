"""Rules written after heldout9 (feed dumps, wiki pages, copy notices, archive toolbars, newsroom releases,
social posts, scanned clippings), each on invented lines: the furniture removed, a look-alike article line kept."""

from __future__ import annotations

import pytest

from coopnum.corpus.clean import clean_document
from coopnum.corpus.derived import feed_date, feed_field
from coopnum.corpus.lines import drop_suffix
from coopnum.corpus.wrapping import continues, wrapped_prose
from coopnum.text.textmap import normalise_line

from .rule_lines import DOC, first_rule, kept, kept_lines, norm

TITLE = "Le Bénin et la Russie ouvrent un centre commun de calcul scientifique à Cotonou"
BODY = (
    "Le centre, financé pour moitié par les deux États, doit accueillir dès l’an prochain les chercheurs "
    "des universités béninoises et de trois instituts russes."
)
BODY2 = (
    "Les premiers calculs porteront sur la météorologie agricole et sur la modélisation des crues du fleuve "
    "Ouémé, selon le ministère de l’Enseignement supérieur."
)
BODY3 = (
    "Le ministère prévoit aussi un volet consacré à la formation, avec des stages organisés chaque année "
    "à Novossibirsk pour les ingénieurs du centre."
)


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        # a feed reader's dump of an item: its field labels, the item counter, a WordPress footer
        ("channel.description: L’actualité du numérique béninois", "feed_field"),
        ("pubDate: Thu, 12 Sep 2024 08:15:00 +0100", "feed_field"),
        ("dc:creator: Koffi Adjovi", "feed_field"),
        ("category: Bénin, Russie, Calcul", "feed_field"),
        ("content:encoded:", "feed_field"),
        ("item 2/15", "feed_field"),
        (
            "L’article Cotonou se dote d’un supercalculateur est apparu en premier sur Bénin Numérique.",
            "copy_furniture",
        ),
        # a wiki page's tagline and citations, a web archive's toolbar
        ("Un article de Wikiactu, l’encyclopédie d’actualité que chacun peut compléter.", "copy_furniture"),
        ("(en) « Benin opens a computing centre », Agence Ouest, 4 mars 2024.", "copy_furniture"),
        ("About this capture", "copy_furniture"),
        ("12 captures", "copy_furniture"),
        ("3 Jan 2020 - 9 Nov 2023", "copy_furniture"),
        # notices on how the copy was made (reader mode, machine translation, OCR, feed view, a wiki's notices)
        ("Cet article a été traduit automatiquement du russe ; des erreurs peuvent subsister.", "copy_notice"),
        ("Article affiché en mode lecture : les images ont été retirées.", "copy_notice"),
        ("Document numérisé par reconnaissance optique ; vérifiez les chiffres sur l’original.", "copy_notice"),
        ("Vous consultez un flux RSS : ajoutez-le à votre lecteur préféré.", "copy_notice"),
        ("Cette page est archivée : elle n’est plus mise à jour.", "copy_notice"),
        ("La dernière modification de cette page a été faite le 3 mai 2024 à 09:12.", "copy_notice"),
        (
            "Le contenu est disponible sous licence CC BY-SA 4.0 ; d’autres conditions peuvent s’appliquer.",
            "copy_notice",
        ),
        # a newsroom's release: its contacts heading, its forward-looking notice, the second about box
        ("Contacts médias", "press_contact"),
        ("Relations presse :", "press_contact"),
        ("Ce document contient des informations prospectives soumises à des aléas.", "legal_notice"),
        ("À propos de l’INRB", "about_heading"),
        # reader-mode lines, bylines with a role, a free article's offer, a caption with a bare credit
        ("Tags ajoutés : calcul, Bénin", "tags_heading"),
        ("Par Koffi Adjovi, correspondant à Cotonou", "byline"),
        ("Rédaction : K. Adjovi", "byline"),
        ("Cet article vous est offert par la rédaction.", "paywall"),
        ("La salle des serveurs, à Cotonou. (Photo DR)", "photo_caption"),
        ("[Lire aussi : Le Togo lance son propre centre de données]", "related_heading"),
        ("Lisez aussi : la fibre arrive à Parakou", "related_heading"),
        ("Sources [modifier | modifier le code]", "related_heading"),
        ("Koffi Adjovi est le correspondant du Journal du Golfe à Cotonou.", "author_box"),
        # a social post's stamp without a year, a promotion by imperative, a podcast's tagline, a sales call
        ("3 mars à 18:05 · 🌐", "post_age"),
        ("📲 Suivez Bénin Numérique pour ne rien manquer !", "pictogram_widget"),
        ("Le podcast des sciences du Golfe de Guinée", "tagline"),
        ("Dès 1 200 € par an — Demander une démo", "promo_widget"),
        # a scanned paper's page break
        ("Calcul (suite de la page 3)", "print_continuation"),
        ("— Page 2/3 —", "page_counter"),
    ],
)
def test_furniture_met_in_heldout9(line: str, rule: str) -> None:
    assert first_rule(line) == rule


@pytest.mark.parametrize(
    "line",
    [
        "Le titre de l’accord, rédigé en français et en russe, a été publié mardi.",
        "La description du projet reste vague sur le financement.",
        "L’article 12 du traité est apparu en premier dans le texte russe.",  # no « sur Outlet »
        "Un article de loi, adopté en 2021, encadre déjà le stockage des données.",
        "Le texte, traduit en fon et en yoruba, sera distribué dans les écoles.",
        "La traduction des manuels en français a pris deux ans.",
        "Les contacts entre les deux ministères se sont multipliés depuis 2022.",
        "Les prévisions du ministère restent prudentes pour l’an prochain.",
        "Par ailleurs, le correspondant régional du ministère a démissionné.",
        "Le quotidien des chercheurs va changer avec ce centre.",
        "Sources de financement : l’État béninois et un prêt russe.",
        "La demande de visas pour les stagiaires sera traitée en priorité.",
        "🚀 Le centre ouvrira ses portes au public en septembre prochain.",
        "✅ un budget de fonctionnement garanti pendant cinq ans ;",
        "📢 Calcul scientifique : le Bénin et la Russie ouvrent un centre commun à Cotonou",
    ],
)
def test_article_lines_like_that_furniture_stay(line: str) -> None:
    assert first_rule(line) is None


def test_feed_fields_give_the_date_and_keep_the_article() -> None:
    assert feed_field("pubDate: Thu, 12 Sep 2024 08:15:00 +0100") == ("pubDate", None, "2024-09-12")
    assert feed_field("title: Le centre ouvre") == ("title", 7, None)  # the label trimmed, the title kept
    assert feed_field("Title: Le centre ouvre") is None  # a feed's labels are lower-case XML names
    assert feed_date("Mon, 2 Dec 2024 10:00:00 GMT") == "2024-12-02"
    raw = "\r\n".join(
        [
            "channel.title: Bénin Numérique",
            "item 2/15",
            f"title: {TITLE}",
            "link: https://www.example.bj/2024/09/centre-calcul/",
            "pubDate: Thu, 12 Sep 2024 08:15:00 +0100",
            "description: Le centre, financé pour moitié par les deux États […]",
            "content:encoded:",
            BODY,
            BODY2,
            f"L’article {TITLE} est apparu en premier sur Bénin Numérique.",
            "guid: https://www.example.bj/?p=1234",
        ]
    )
    doc = clean_document(raw, DOC)
    assert doc.title == TITLE
    assert doc.date == "2024-09-12"
    assert doc.outlet == "Bénin Numérique"
    assert kept_lines(raw) == kept([f"title: {TITLE}", BODY, BODY2])


def test_a_wiki_page_keeps_its_sections_and_loses_its_sources() -> None:
    raw = "\n\n".join(
        [
            TITLE,
            "Un article de Wikiactu, l’encyclopédie d’actualité que chacun peut compléter.",
            BODY,
            "Contexte [modifier | modifier le code]",
            BODY2,
            "Voir aussi [modifier | modifier le code]",
            "Portail du Bénin",
            "Sources [modifier | modifier le code]",
            "(fr) « Un centre de calcul à Cotonou », Agence Ouest, 4 mars 2024.",
            "Cette page est archivée : elle n’est plus mise à jour.",
        ]
    )
    doc = clean_document(raw, DOC)
    assert doc.outlet == "Wikiactu"
    assert kept_lines(raw) == kept([TITLE, BODY, "Contexte [modifier | modifier le code]", BODY2])


def test_a_page_break_in_a_scanned_column_is_skipped() -> None:
    raw = "\n".join(
        [
            TITLE,
            BODY,
            "Le calcul intensif demande une alimen-",
            "tation stable, que la ville ne garantit",
            "pas encore à tous ses quartiers",
            "(Suite page 4)",
            "4 JEUDI 12 SEPTEMBRE 2024 LE JOURNAL",
            "SCIENCES",
            "Calcul (suite de la page 3)",
            "et que le centre devra assurer",
            "avec ses propres groupes électrogènes.",
            BODY3,
        ]
    )
    lines = raw.split("\n")
    assert kept_lines(raw) == kept([TITLE, BODY, *lines[2:5], *lines[9:]])  # the pages' heads and feet go
    # a cut line opening in lower case, or splitting a word, links however short it is
    assert continues("Le défi reste l’énergie. Plu-", "sieurs quartiers n’ont pas de courant")
    assert continues("et que le centre devra compter sur", "ses propres groupes")
    assert not continues("la salle des machines", "reste fermée au public")  # a short line that may end a label
    assert not continues("Le défi reste l’énergie", "sieurs quartiers")  # a short line of a title, not cut
    column = ["satellites en attendant la", "fibre optique. Une phase concernera", "Parakou dès le", "second semestre."]
    assert wrapped_prose(column) == [True] * 4  # inside a cut paragraph, a line stopping on a word goes on


def test_a_post_keeps_its_headline_and_list_and_loses_its_promotion() -> None:
    raw = "\n".join(
        [
            "Bénin Numérique",
            "3 mars à 18:05 · 🌐",
            "📢 Calcul scientifique : le Bénin et la Russie ouvrent un centre commun à Cotonou",
            BODY,
            "👉 Ce qu’il faut savoir :",
            "✅ un accès gratuit pour les universités ;",
            "✅ un budget garanti pendant cinq ans.",
            BODY2,
            "📲 Suivez Bénin Numérique pour ne rien manquer !",
        ]
    )
    doc = clean_document(raw, DOC)
    assert doc.title == norm("📢 Calcul scientifique : le Bénin et la Russie ouvrent un centre commun à Cotonou")
    assert doc.date is None  # a day and a month without a year
    assert kept_lines(raw) == kept(raw.split("\n")[2:8])


def test_a_release_loses_both_about_boxes_and_its_contacts() -> None:
    raw = "\n".join(
        [
            TITLE,
            BODY,
            BODY2,
            "À propos de Calcul Afrique",
            "Fondée en 2015, Calcul Afrique exploite des centres de données dans quatre pays d’Afrique de l’Ouest.",
            "À propos de l’INRB",
            "L’Institut national de recherche du Bénin regroupe douze laboratoires et quatre cents chercheurs.",
            "Contacts médias",
            "Ce document contient des informations prospectives soumises à des aléas et à des incertitudes.",
        ]
    )
    assert kept_lines(raw) == kept([TITLE, BODY, BODY2])


def test_a_title_with_a_glued_stamp_is_trimmed() -> None:
    raw = "\n".join([f"{TITLE} 12.09.2024 08:15", "Par Koffi Adjovi, correspondant à Cotonou", BODY, BODY2])
    doc = clean_document(raw, DOC)
    assert doc.title == TITLE and doc.date == "2024-09-12"
    assert doc.text.split("\n") == [TITLE, BODY, BODY2]
    pieces = normalise_line("Titre 12.09.2024", 0, 16)
    assert "".join(p.text for p in drop_suffix(pieces, 11)) == "Titre"


def test_an_advert_slogan_goes_and_the_crosshead_after_it_stays() -> None:
    slogan = "Calcul Pro : dix fois plus vite — Essayez-le !"  # a slogan, not running text
    raw = "\n".join([TITLE, BODY, "Publicité", slogan, "Un centre très attendu", BODY2, BODY3])
    assert kept_lines(raw) == kept([TITLE, BODY, "Un centre très attendu", BODY2, BODY3])
    raw = "\n".join([TITLE, BODY, "Publicité", "Un centre très attendu", BODY2, BODY3])
    assert kept_lines(raw) == kept([TITLE, BODY, "Un centre très attendu", BODY2, BODY3])


def test_a_fact_box_with_semicolon_items_after_the_last_paragraph_is_kept() -> None:
    items = ["Prochaines étapes", "• 2025 : ouverture aux universités ;", "• 2026 : seconde salle de calcul."]
    raw = "\n".join([TITLE, BODY, BODY2, *items, "", "Partager : Facebook | X | LinkedIn | Courriel"])
    assert kept_lines(raw) == kept([TITLE, BODY, BODY2, *items])


def test_a_quotation_under_a_newsletter_box_is_the_article() -> None:
    quote = "« Nous avons enfin les machines. »"
    raw = "\n".join([TITLE, BODY, "Recevez chaque lundi notre lettre d’information gratuite.", quote, BODY2, BODY3])
    assert kept_lines(raw) == kept([TITLE, BODY, quote, BODY2, BODY3])


def test_a_title_that_goes_on_into_the_text_once_a_label_is_gone_is_no_title() -> None:
    """Cleaning the clean text again reads the same paragraphs (a case hypothesis found): with the label
    between them removed, a headline-shaped line and the lower-case line under it are one wrapped paragraph."""
    raw = "\n".join(
        [
            "Le Bénin et la Russie signent un accord",
            "Cotonou",
            "de coopération scientifique qui doit durer dix ans, selon le ministère béninois.",
        ]
    )
    once = clean_document(raw, DOC)
    twice = clean_document(once.text, DOC)
    assert once.title is None and twice.title is None
    assert (twice.text, twice.paragraphs) == (once.text, once.paragraphs)
    assert once.text.split("\n") == [raw.split("\n")[0], raw.split("\n")[2]]
