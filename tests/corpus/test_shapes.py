"""The structural shapes of furniture lines (corpus/shapes.py), and how the cleaner uses them.

Every example is invented for this test, in shapes the fixtures' outlets did not use, so that a
shape that only matched the wording it was written from fails here."""

from __future__ import annotations

import pytest

from coopnum.corpus import shapes
from coopnum.corpus.clean import clean_document

BODY = (
    "Le ministère a présenté mardi une plateforme conçue avec des partenaires étrangers pour les écoles "
    "du pays, qui doit ouvrir à la rentrée."
)
BODY2 = "Les premiers établissements équipés seront ceux des trois régions du nord, selon le calendrier publié."

# Lines an article holds and no shape may take for furniture.
ARTICLE_LINES = [
    BODY,
    BODY2,
    "Un calendrier encore flou",  # a subheading in sentence case
    "Et la suite ?",  # a subheading phrased as a question
    "Le projet coûtera 4 millions d’euros sur trois ans.",
    "« Vous verrez, ce sera utile », a assuré le ministre.",  # a quotation addressing someone
    "Comment voyez-vous la suite de ce partenariat ?",  # an interview question
    "Le sommet du 12 mars 2025 a réuni vingt pays — une première pour la région.",
    "Abidjan – Moscou : un partenariat qui se précise",  # a headline with a dash, no date
    "Un rendez-vous manqué",  # « rendez-vous » is a noun, not the page speaking to the reader
    "Le sommet a réuni les délégations de l’OTAN et de l’ONU. Les ministres ont signé l’accord",  # capitals, no slash
]


@pytest.mark.parametrize("line", ARTICLE_LINES)
def test_article_lines_take_no_shape(line: str) -> None:
    tests = (
        shapes.is_field_stamp,
        shapes.is_link_row,
        shapes.is_contact_line,
        shapes.has_credit_tail,
        shapes.is_name_label,
        shapes.is_reader_prompt,
        shapes.is_offer_line,
    )
    assert [t.__name__ for t in tests if t(line)] == []


@pytest.mark.parametrize(
    "line",
    [
        "Jeanne Roy | 3 mars 2025",
        "Par Jeanne Roy — 3 mars 2025 — Réservé aux membres",
        "Mis en ligne : 03/03/2025 – Catégorie : International",
        "Dépêche · 14 h 20",
        "Mise en ligne : 03/03/2025",
    ],
)
def test_field_stamps(line: str) -> None:
    assert shapes.is_field_stamp(line)


def test_a_field_stamp_needs_a_date_or_time() -> None:
    assert not shapes.is_field_stamp("Jeanne Roy | International")
    assert not shapes.is_field_stamp("Jeanne Roy | le projet avance bien | 3 mars 2025")  # a lowercase field


@pytest.mark.parametrize(
    ("test", "line"),
    [
        (shapes.is_link_row, "Qui sommes-nous | Charte | Plan"),
        (shapes.is_link_row, "CGU · Cookies · Presse · Emplois"),
        (shapes.is_contact_line, "Une info à nous transmettre ? redaction@journal.example"),
        (shapes.is_contact_line, "Plus d’informations : www.salon.example"),
        (shapes.has_credit_tail, "Les délégations réunies dans la salle du conseil. Photo transmise par la mairie"),
        (shapes.has_credit_tail, "Le ministre à la tribune du sommet, mardi. AGENCE SUD/Jeanne Martin"),  # an agency
        (shapes.is_label_line, "À la une : Le port se modernise"),
        (shapes.is_name_label, "Sophie Marchand"),
        (shapes.is_name_label, "CE QUE VOUS AVEZ MANQUÉ"),
        (shapes.is_reader_prompt, "Vous avez aimé ce dossier ? Dites-le-nous"),
        (shapes.is_reader_prompt, "Retrouvez toutes nos vidéos sur votre mobile"),
        (shapes.is_offer_line, "Offre spéciale : 2 € par mois pendant un an"),
    ],
)
def test_furniture_shapes(test, line: str) -> None:
    assert test(line)


def _rules_of(raw: str) -> dict[str, str | None]:
    doc = clean_document(raw, "0000000000000000")
    lines = raw.split("\n")
    return {lines[a.line - 1]: a.rule for a in doc.audit if a.action == "removed"}


def test_a_stamp_under_the_title_is_removed_and_the_title_kept() -> None:
    """A byline-and-date line of an unknown wording under the title was chosen as the title (and
    the title removed) at several first contacts; as a field stamp it is removed first."""
    title = "Le Togo et l’Estonie lancent une carte d’identité électronique commune"
    raw = f"Le Journal du Golfe\n{title}\nAmavi Kossi | 03/03/2025\n{BODY}\n{BODY2}\n"
    doc = clean_document(raw, "0000000000000000")
    assert doc.title == title
    assert doc.date == "2025-03-03"
    assert _rules_of(raw)["Amavi Kossi | 03/03/2025"] == "field_stamp"


def test_a_date_above_the_title_is_not_the_articles_date() -> None:
    """A top bar's date is today's: only a stamp under the title gives the date."""
    raw = f"Lundi 3 mars 2025 | Lomé 31°C\nLe Togo et l’Estonie lancent une carte commune\n{BODY}\n{BODY2}\n"
    assert clean_document(raw, "0000000000000000").date is None


def test_after_the_last_prose_only_statements_stay() -> None:
    raw = (
        f"{BODY}\n{BODY2}\n– la formation des ingénieurs ;\n– l’accueil de stagiaires.\nLa suite au prochain épisode.\n"
        "Ils nous soutiennent\nSophie Marchand\n"
    )
    rules = _rules_of(raw)
    assert "La suite au prochain épisode." not in rules
    assert "– la formation des ingénieurs ;" not in rules and "– l’accueil de stagiaires." not in rules
    # (« Nos partenaires », used here before heldout10, is now a list heading, `related_heading`)
    assert rules["Ils nous soutiennent"] == "footer_furniture"
    assert rules["Sophie Marchand"] in ("author_signature", "name_label")


def test_a_name_label_between_paragraphs_is_removed_a_subheading_kept() -> None:
    """A line of capitalised words with prose right under it is in a subheading's place (« Moscou et
    Pékin »): kept; elsewhere in the article it is a name or a label (a credit, a sidebar heading)."""
    raw = f"{BODY}\nAgence Nord Images\nUn calendrier encore flou\n{BODY2}\nMoscou et Pékin\n{BODY}\n"
    rules = _rules_of(raw)
    assert rules == {"Agence Nord Images": "name_label"}


def test_a_reader_prompt_between_paragraphs_is_removed() -> None:
    raw = f"{BODY}\nRetrouvez toutes nos vidéos sur votre mobile\n{BODY2}\n"
    assert _rules_of(raw) == {"Retrouvez toutes nos vidéos sur votre mobile": "reader_prompt"}


def test_after_the_last_prose_and_a_furniture_line_the_article_is_over() -> None:
    """Sentences after the page's furniture has begun (a box's blurb in an unknown wording) go too;
    a short last sentence after a photo credit stays (a photo may sit inside the article)."""
    raw = (
        f"{BODY}\n{BODY2}\n\nPhoto : Agence Nord\n\nLe vote aura lieu lundi.\nPartager\n"
        "Le meilleur de la semaine, chaque vendredi.\nUn rendez-vous à ne pas manquer.\n"
    )
    rules = _rules_of(raw)
    assert "Le vote aura lieu lundi." not in rules
    assert rules["Le meilleur de la semaine, chaque vendredi."] == "after_the_end"
    assert rules["Un rendez-vous à ne pas manquer."] == "after_the_end"
