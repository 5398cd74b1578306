"""Rules written after heldout13 (the furniture of a worksheet, an image bank, a reposting page, a satire site, a
trade directory, a poll widget, a live session's transcript, a slideshow's gallery credit and browser title),
each on invented lines: the furniture removed, a look-alike article line kept."""

from __future__ import annotations

import pytest

from coopnum.corpus.clean import clean_document

from .rule_lines import DOC, first_rule, kept, kept_lines, norm

TITLE = "La Mongolie et la Russie relient leurs réseaux météorologiques par satellite"
BODY = (
    "Les services météorologiques mongol et russe partageront dès l’été les images de deux satellites, "
    "selon un accord signé mardi à Oulan-Bator par les deux agences."
)
BODY2 = (
    "L’accord prévoit aussi la formation de quinze prévisionnistes mongols à Novossibirsk, financée par un "
    "fonds commun de trois millions d’euros sur cinq ans."
)
BODY3 = (
    "Les éleveurs des steppes, premiers concernés par les tempêtes de neige, recevront les alertes par SMS "
    "dès l’hiver prochain, indique l’agence mongole."
)


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Ce document est diffusé sous licence Creative Commons BY-SA.", "licence_note"),
        ("Contenu sous licence CC BY 4.0 — citez la source", "licence_note"),
        ("Agence Steppe Images · Toute reproduction sans accord écrit est interdite.", "licence_note"),
        ("Les textes sont fournies sous la seule responsabilité des contributeurs.", "licence_note"),
        ("Toute ressemblance avec des personnes existantes serait fortuite.", "fiction_notice"),
        ("Nos brèves sont parodiques et entièrement fictives.", "fiction_notice"),
        ("Nous le reproduisons avec l'aimable autorisation de la Tribune d'Oulan-Bator.", "reprint_notice"),
        ("Diaporama suivant : les stations du Gobi (02/05/2025)", "result_nav"),
        ("Fiches similaires : Le climat des steppes · Les satellites", "result_nav"),
        ("Attention : pour une demande urgente, contactez votre délégation régionale.", "user_reminder"),
        ("L'association recrute ! Écrivez à benevoles@steppes.example", "recruiting_appeal"),
        ("Vous êtes éleveur ? Inscrivez votre exploitation au réseau d'alerte.", "reader_prompt"),
        ("Agences de voyage : publiez votre annonce gratuitement.", "listing_offer"),
        ("Vote des lecteurs : 👍 71 % 👎 29 %", "poll_widget"),
        ("[00:12:40] ANIMATEUR (Batbayar) : On me dit que le son coupe, rechargez la page.", "session_housekeeping"),
        ("[01:02:00] HÔTE : Merci à tous, le replay arrive demain.", "session_housekeeping"),
    ],
)
def test_heldout13_page_furniture_is_removed(line: str, rule: str) -> None:
    assert first_rule(norm(line)) == rule


@pytest.mark.parametrize(
    "line",
    [
        # an article's sentences with the same words
        "Le logiciel de prévision restera publié sous licence libre, a précisé l'agence mongole.",
        "La reproduction des images satellites sera gratuite pour les éleveurs, selon l'accord.",
        "Le ministre a parlé d'une ressemblance frappante avec le réseau installé au Kazakhstan.",
        "Rappel : l'accord de 2019 n'avait jamais été appliqué faute de financement.",
        "[00:14:10] BATBAYAR : Les alertes seront envoyées en mongol et en russe, sur le réseau mobile.",
        "Les deux agences ont publié leurs résultats : 62 % des alertes étaient justes en 2024.",
        "L'agence recrute quinze prévisionnistes, qui seront formés à Novossibirsk dès septembre.",
    ],
)
def test_article_sentences_like_that_furniture_are_left(line: str) -> None:
    assert first_rule(norm(line)) is None


def test_a_first_publication_stamp_is_removed_and_gives_the_date() -> None:
    stamp = "Dépêche parue dans la Tribune d'Oulan-Bator le 14 mai 2025"
    raw = "\n".join([TITLE, stamp, BODY, BODY2])
    doc = clean_document(raw, DOC)
    assert first_rule(norm(stamp)) == "published_in"
    assert kept_lines(raw) == kept([TITLE, BODY, BODY2])
    assert doc.date == "2025-05-14"


def test_a_sentence_telling_of_a_publication_is_kept() -> None:
    said = (
        "Le rapport, publié dans une revue russe le 3 mars 2025, a été repris par l'agence mongole la semaine suivante."
    )
    assert first_rule(norm(said)) is None


def test_a_poll_widget_under_the_title_leaves_the_title() -> None:
    raw = "\n".join(["Agrégé depuis : Tribune d'Oulan-Bator", TITLE, "Avis des lecteurs : 55 % 45 %", BODY, BODY2])
    doc = clean_document(raw, DOC)
    assert doc.title == norm(TITLE)
    assert kept_lines(raw) == kept([TITLE, BODY, BODY2])


def test_a_site_and_section_name_is_no_title() -> None:
    doc = clean_document("\n".join(["Steppe Info | Diaporamas", BODY, BODY2]), DOC)
    assert doc.title is None


def test_a_headline_after_a_pipe_is_still_a_title() -> None:
    headline = "Mongolie | La Russie relie ses satellites au réseau météo d’Oulan-Bator"
    assert clean_document("\n".join([headline, BODY, BODY2]), DOC).title == norm(headline)


def test_a_page_with_no_title_takes_its_date_from_a_stamp_under_the_text() -> None:
    raw = "\n".join(["Steppe Info | Diaporamas", BODY, BODY2, "Texte : Saran Dorj — 6 mai 2025"])
    assert clean_document(raw, DOC).date == "2025-05-06"


def test_a_gallery_credit_leaves_the_last_slides_text() -> None:
    last = "Prochaine étape : trois stations de plus dans le Gobi, prévues pour 2026."
    raw = "\n".join([TITLE, BODY, BODY2, last, "Photos : Saran Dorj / Steppe Info"])
    assert kept_lines(raw) == kept([TITLE, BODY, BODY2, last])


@pytest.mark.parametrize(("credit", "taken"), [("Photos : Saran Dorj", False), ("Photo : Saran Dorj", True)])
def test_only_a_single_photos_credit_takes_the_line_above_for_its_caption(credit: str, taken: bool) -> None:
    caption = "Le centre de contrôle d'Oulan-Bator."
    raw = "\n".join([TITLE, BODY, caption, credit, BODY2, BODY3])
    assert (norm(caption) not in kept_lines(raw)) == taken


def test_a_closing_bio_of_the_stamped_author_is_removed() -> None:
    bio = "Saran Dorj couvre le climat et l'agriculture pour Steppe Info depuis 2018. Elle vit à Oulan-Bator."
    raw = "\n".join([TITLE, "Par Saran Dorj | 06/05/2025 | Climat", BODY, BODY2, BODY3, bio])
    assert kept_lines(raw) == kept([TITLE, BODY, BODY2, BODY3])


def test_the_stamped_author_as_the_subject_inside_the_text_is_kept() -> None:
    said = "Saran Dorj couvre depuis dix ans les tempêtes de neige, qui ont tué un million de bêtes en 2010, dit-elle."
    raw = "\n".join([TITLE, "Par Saran Dorj | 06/05/2025 | Climat", BODY, said, BODY2])
    assert norm(said) in kept_lines(raw)


def test_relatedness_finds_a_line_about_another_subject_and_not_one_about_the_article() -> None:
    from benchmarks.relatedness import content_words, unrelated_lines

    from coopnum.corpus.clean import _read_lines

    promo = "Gagnez un séjour à Bali avec notre jeu-concours"
    crosshead = "Des satellites partagés"
    lines = _read_lines("\n".join([TITLE, BODY, crosshead, BODY2, promo]))
    assert [ln.current for ln in unrelated_lines(lines, lines[0])] == [promo]
    assert content_words("Les 12 satellites de l'UE") == {"12", "satell", "ue"}


def test_a_notice_cut_at_a_page_width_is_removed_whole() -> None:
    notice = [
        "Les brèves de ce site sont inventées de toutes pièces et toute ressemblance avec",
        "des faits réels serait une pure coïncidence, précise la rédaction.",
    ]
    assert [first_rule(norm(piece)) for piece in notice] == [None, None]  # no piece is known alone
    raw = "\n".join([TITLE, BODY, BODY2, *notice])
    assert kept_lines(raw) == kept([TITLE, BODY, BODY2])
    clean = clean_document(raw, DOC).text
    assert clean_document(clean, DOC).text == clean


def test_a_paragraph_cut_at_a_page_width_is_kept() -> None:
    cut = [
        "Les éleveurs des steppes, premiers concernés par les tempêtes de neige, recevront les",
        "alertes par SMS dès l'hiver prochain, indique l'agence, qui recrute quinze prévisionnistes.",
    ]
    raw = "\n".join([TITLE, BODY, *cut, BODY2])
    assert kept_lines(raw) == kept([TITLE, BODY, *cut, BODY2])
