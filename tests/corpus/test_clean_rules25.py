"""Rules written after heldout25 to heldout28 (the site's lines left in its footer, an agenda inside the text, closing
bios by a written-by byline, a stamp's author or a career, a drop-down control, a customers' rating, a fact box's
dated field, a prose line opening on « Publié dans le cadre … », a crosshead said to the reader, an interview's last
question and a signature at the foot, the site's name from its copyright line and a « Name — le blog » masthead),
each on invented lines: the furniture removed, a look-alike article line kept."""

from __future__ import annotations

import pytest

from coopnum.corpus import recurring
from coopnum.corpus.clean import clean_document
from coopnum.corpus.document import CleanDocument
from coopnum.corpus.sources import Source

from .rule_lines import DOC, first_rule, kept_lines, kept_of, norm

TITLE = "Le Pérou et la Russie équipent les ports du Pacifique de grues pilotées à distance"
BODY = (
    "Les autorités portuaires de Callao et une société de Saint-Pétersbourg ont signé mardi un accord pour équiper "
    "trois terminaux de grues commandées depuis une salle de contrôle installée à terre."
)
BODY2 = (
    "Les opérateurs pourront manœuvrer les conteneurs sans monter dans les cabines, ce qui doit réduire les accidents "
    "et les arrêts de chantier pendant les tempêtes d’hiver."
)
BODY3 = (
    "Une première grue doit entrer en service au printemps, avant une extension prévue aux ports du nord du pays "
    "si les essais se révèlent concluants."
)
BLURB = "Depuis 1987, Atlas Levage accompagne les ports et les chantiers navals dans le choix de leurs équipements."
MENU = "Accueil | Nos grues | Services | Le blog | Contact"
LEGAL = "Mentions légales · Confidentialité · Plan du site"
COPYRIGHT = "© Atlas Levage 2026 – Tous droits réservés"


def _page(*foot: str, body: tuple[str, ...] = (BODY, BODY2, BODY3)) -> str:
    return "\n".join([MENU, "", TITLE, "", *body, "", *foot, ""])


def test_the_sites_blurb_between_its_footers_furniture_goes() -> None:
    raw = _page(
        "Partager cet article · Imprimer",
        "Articles similaires",
        "Grues portuaires : les nouvelles normes expliquées",
        "Choisir un palonnier en 5 questions",
        BLURB,
        LEGAL,
        COPYRIGHT,
    )
    doc = clean_document(raw, DOC)
    assert [a.rule for a in doc.audit if a.text == norm(BLURB)] == ["footer_island"]
    assert kept_lines(raw) == [norm(x) for x in (TITLE, BODY, BODY2, BODY3)]


def test_an_articles_last_paragraph_under_a_box_in_the_text_stays() -> None:
    # one « Lire aussi » link over the last paragraph, then the share row: the paragraph is the text's
    raw = _page(
        "Lire aussi : Grues portuaires, les nouvelles normes expliquées",
        BODY3,
        "Partager cet article · Imprimer",
        LEGAL,
        COPYRIGHT,
        body=(BODY, BODY2),
    )
    assert kept_of(raw, BODY3) == [norm(BODY3)]
    # an advertiser's box over it, and the author's box and tags under it: not the page's foot
    raw = _page(
        "Publicité",
        "Grues d’occasion révisées, livraison en 48 h",
        BODY3,
        "Tags : ports, Pérou, Russie",
        "Claire Ménard est journaliste au service économie.",
        LEGAL,
        body=(BODY, BODY2),
    )
    assert kept_of(raw, BODY3) == [norm(BODY3)]


def test_an_agenda_inside_the_text_goes_and_the_text_under_it_stays() -> None:
    after = "Le contrat prévoit aussi la formation de quarante grutiers péruviens dans les écoles de la ville russe."
    raw = _page(
        "Prochaines ventes",
        "Mardi 3 mars – Grues et engins de levage",
        "Jeudi 12 mars – Pièces détachées",
        after,
        "Partager cet article · Imprimer",
        LEGAL,
    )
    doc = clean_document(raw, DOC)
    assert [a.rule for a in doc.audit if a.text.startswith(("Prochaines", "Mardi 3", "Jeudi 12"))] == ["agenda_box"] * 3
    assert kept_of(raw, BODY3, after) == [norm(BODY3), norm(after)]
    # an agenda closing the page: it and what is under it go, as before
    raw = _page("Prochaines ventes", "Mardi 3 mars – Grues et engins de levage", "Jeudi 12 mars – Pièces", LEGAL)
    assert kept_lines(raw) == [norm(x) for x in (TITLE, BODY, BODY2, BODY3)]


@pytest.mark.parametrize(
    ("byline", "bio"),
    [
        ("Rédigé par Claire Ménard, chargée de communication", "Claire Ménard enseigne la logistique à Lyon."),
        ("2 avril 2026 · par Claire Ménard · 1 commentaire", "Claire Ménard est ingénieure portuaire à Marseille."),
        ("14 janvier 2026 — Claire Ménard", "Claire Ménard, ingénieure, collabore au blog. Elle vit à Brest."),
        # no byline: a name, a bio verb and how long
        ("", "Marc Olivier anime le club des grutiers depuis 2011. Ancien docker, il forme les apprentis."),
    ],
)
def test_a_closing_bio_goes(byline: str, bio: str) -> None:
    raw = "\n".join([TITLE, byline, BODY, BODY2, BODY3, bio, LEGAL])
    assert kept_of(raw, bio) == []
    assert kept_of(raw, BODY3) == [norm(BODY3)]


@pytest.mark.parametrize(
    "last",
    [
        "La Russie est le premier fournisseur de grues du port depuis 2014, selon les douanes péruviennes.",
        "Marc Olivier, le directeur du terminal, dit attendre les premières livraisons avant la fin de l’été.",
    ],
)
def test_an_articles_last_line_naming_someone_stays(last: str) -> None:
    raw = "\n".join([TITLE, BODY, BODY2, BODY3, last, LEGAL])
    assert kept_of(raw, last) == [norm(last)]


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Choisir mon agence ▾", "dropdown_control"),
        ("Langue : FR ▼", "dropdown_control"),
        ("Avis clients ★★★★★ 4,8/5 (312 avis)", "rating_line"),
        ("Note moyenne 4,6/5 sur 1 204 avis", "rating_line"),
        ("Le 19 janvier 2026 — Rubrique « Les ports dans le monde »", "dated_rubric"),
        ("Location de grue à 90 € par jour : voir conditions en agence.", "small_print"),
        ("Financement dès 1 % : offre soumise à acceptation du dossier par le prêteur.", "small_print"),
    ],
)
def test_furniture_line_rules(line: str, rule: str) -> None:
    assert first_rule(norm(line)) == rule


@pytest.mark.parametrize(
    "line",
    [
        "Le guide du port a attribué la note de 4,5/5 au nouveau terminal, selon ses 300 avis publiés.",
        "★ Le port de Callao, premier du pays",
        "Les prix ont baissé ▼ de 12 % en un an, indique le rapport annuel de l’autorité portuaire.",
        "Le 19 janvier 2026 — Le port de Callao a reçu sa première grue, selon le ministère des Transports.",
        "L’offre soumise à l’autorité portuaire valorise le terminal à 300 millions d’euros.",
    ],
)
def test_look_alike_article_lines_are_no_furniture(line: str) -> None:
    assert first_rule(norm(line)) not in ("dropdown_control", "rating_line", "dated_rubric", "small_print")


def test_a_menu_entry_repeated_above_the_text_is_no_title() -> None:
    label = "Carnet de bord"
    raw = "\n".join(["Atlas Levage", "Boutique | Nos grues | Carnet de bord", label, BODY, BODY2, BODY3, LEGAL])
    doc = clean_document(raw, DOC)
    assert doc.title is None and [a.rule for a in doc.audit if a.text == label] == ["menu_label"]
    # the same words as a crosshead inside the text stay
    raw = "\n".join(["Boutique | Nos grues | Carnet de bord", TITLE, BODY, label, BODY2, BODY3, LEGAL])
    assert kept_of(raw, label) == [label]


def test_an_updates_lead_in_over_its_sentence_stays() -> None:
    stamp, goes_on = "Mise à jour du 3 décembre :", "le ministère a publié un premier calendrier des livraisons."
    raw = "\n".join([TITLE, BODY, BODY2, stamp, goes_on + " " + BODY3, LEGAL])
    assert kept_of(raw, stamp) == [norm(stamp)]
    raw = "\n".join([TITLE, "Mise à jour du 3 décembre", BODY, BODY2, BODY3, LEGAL])
    assert kept_of(raw, "Mise à jour du 3 décembre") == []


def test_a_fact_box_keeps_its_dated_field() -> None:
    box = ["En bref", "Signataires : l’autorité portuaire et Neva Kran", "Entrée en vigueur : 1er septembre 2026"]
    raw = "\n".join([TITLE, BODY, BODY2, BODY3, *box, "", "Tags : ports · Pérou", LEGAL])
    assert kept_of(raw, *box) == [norm(x) for x in box]


def test_a_prose_line_opening_on_publie_dans_is_no_byline() -> None:
    prose = (
        "Publié dans le cadre du programme bilatéral « Ports 2030 », le guichet traite les dossiers en dix jours "
        "ouvrés, contre trois mois auparavant."
    )
    assert first_rule(norm(prose)) is None
    assert first_rule(norm("Publié dans Le Courrier du Port le 3 mars 2026")) == "byline"


def test_a_crosshead_said_to_the_reader_between_paragraphs_stays() -> None:
    head = "Ce que cela change pour vous"
    raw = "\n".join([TITLE, BODY, head, BODY2, BODY3, LEGAL])
    assert kept_of(raw, head) == [norm(head)]
    # the site's prompt between two paragraphs goes
    prompt = "Abonnez-vous à notre lettre"
    raw = "\n".join([TITLE, BODY, prompt, BODY2, BODY3, LEGAL])
    assert kept_of(raw, prompt) == []


def test_an_interviews_last_question_and_a_signature_at_the_foot_stay() -> None:
    q, a, sign = "Les ports voisins y auront-ils accès ?", "« Une version partagée est prévue pour 2027. »", None
    raw = "\n".join([TITLE, BODY, BODY2, BODY3, q, a, "Partager cet article", LEGAL])
    assert kept_of(raw, q, a) == [norm(q), norm(a)]
    sign = "Paul Destrée, ingénieur portuaire"
    raw = "\n".join([TITLE, BODY, BODY2, BODY3, sign, "Partager cet article", LEGAL])
    assert kept_of(raw, sign) == [norm(sign)]
    # a question the page asks its reader, with no answer under it, goes
    prompt = "Une question sur nos grues ?"
    raw = "\n".join([TITLE, BODY, BODY2, BODY3, "Partager cet article", prompt, LEGAL])
    assert kept_of(raw, prompt) == []


def test_the_sites_name_from_its_copyright_line_is_no_title() -> None:
    raw = "\n".join(
        ["Atlas Levage", MENU, TITLE, BODY, BODY2, BODY3, "Plan du site – Mentions légales – © Atlas Levage"]
    )
    assert clean_document(raw, DOC).title == norm(TITLE)
    assert kept_of(raw, "Atlas Levage") == []


def test_a_masthead_naming_the_sites_blog_leaves_the_question_headline_the_title() -> None:
    question = "Pérou : des grues pilotées depuis la Russie remplaceront-elles les grutiers du port ?"
    raw = "\n".join(["Atlas Levage — le blog", "", MENU, "", question, "", BODY, "", BODY2, "", BODY3, ""])
    doc = clean_document(raw, DOC)
    assert doc.title == norm(question)
    assert clean_document(doc.text, DOC).text == doc.text


def test_with_the_sites_evidence_the_text_under_a_box_inside_it_stays() -> None:
    # three pages of one site: its footer recurs (the corpus evidence removes it), and on two of them its agenda
    # sits inside the text, which goes on under it; an interview's last question and answer close the third
    foot = [
        "Partager cet article · Imprimer",
        "",
        "Faites estimer vos grues d’occasion : envoyez-nous quelques photos, un expert vous répond sous 48 heures.",
        "Abonnez-vous au blog d’Atlas Levage",
        "Atlas Levage – 14, quai des Docks, 76600 Le Havre – Tél. 01 99 00 12 34",
        LEGAL,
    ]
    after = "Le contrat prévoit aussi la formation de quarante grutiers péruviens dans les écoles de la ville russe."
    agenda = ["Prochaines ventes", "Mardi 3 mars – Grues et engins de levage", "Jeudi 12 mars – Pièces détachées"]
    qa = ["Les ports voisins y auront-ils accès ?", "« Une version partagée est prévue pour 2027. »"]
    # each page's own text (a line that three pages hold is the site's)
    text = [
        [f"{w}, {x[0].lower()}{x[1:]}" for x in (BODY, BODY2, BODY3)] for w in ("Ainsi", "Selon le ministère", "Enfin")
    ]
    pages = [
        [MENU, "", TITLE, "", *text[0], *agenda, after, "Claire Ménard, ingénieure portuaire", *foot],
        [
            MENU,
            "",
            "Callao teste ses grues pilotées depuis la salle de contrôle",
            "",
            *text[1],
            *agenda[:2],
            after,
            *foot,
        ],
        [MENU, "", "Grues à distance : trois questions à l’autorité portuaire", "", *text[2], *qa, *foot],
    ]
    sources = [
        Source(f"p{i}", f"p{i}.txt", "0" * 64, None, None, None, None, f"https://atlas.example/p{i}", "fr", "t")
        for i in range(3)
    ]
    raws = ["\n".join(p) + "\n" for p in pages]
    ev = recurring.texts_evidence([(recurring.outlet_of(s), raw) for s, raw in zip(sources, raws, strict=True)])
    kept = [kept_of_doc(clean_document(raw, s.doc_id, ev.view(s))) for s, raw in zip(sources, raws, strict=True)]
    assert norm(after) in kept[0] and norm("Claire Ménard, ingénieure portuaire") in kept[0]
    assert norm(after) in kept[1]
    assert [norm(x) for x in qa] == [x for x in kept[2] if x in [norm(y) for y in qa]]
    assert not any(norm(x) in k for k in kept for x in agenda + foot if x)


def kept_of_doc(doc: CleanDocument) -> list[str]:
    return [a.text for a in doc.audit if a.action in ("kept", "trimmed")]


def test_the_sites_lines_under_its_own_call_go() -> None:
    call = "Vous agrandissez votre port ? Nos conseillers vous accompagnent de l’étude à la livraison."
    raw = _page(
        "Nos conseils",
        "Choisir une grue : les 10 questions",
        "Grues : combien ça coûte ?",
        "",
        call,
        "Demander mon devis",
        BLURB,
        LEGAL,
        COPYRIGHT,
    )
    doc = clean_document(raw, DOC)
    assert [a.rule for a in doc.audit if a.text in (norm("Demander mon devis"), norm(BLURB))] == ["footer_island"] * 2
    assert kept_lines(raw) == [norm(x) for x in (TITLE, BODY, BODY2, BODY3)]
