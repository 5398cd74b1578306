"""Rules written after heldout23 and heldout24: a teaser ending on its link, the site calling its reader (an
imperative with « ! », the house's things, a reader prompt, places left, a booking field, the house naming itself),
a seller's legal notice, a fare list, the organisation's and its letter's blurbs, the letter's sign-up form, an
agenda's label, a legal status, a related link's label and headings, a members' menu, a rubric's path, a trail from
home, an acronym's masthead, a wiki talk page, a post's stamp, a newsroom's follow-up promise (no plug), a dateline
closed by a dash, a question headline, a whole advert on its label's line, a related numbered list holding the page's
title, a letter's sections and two bio shapes, each on invented lines: the furniture removed, a look-alike article
line kept."""

from __future__ import annotations

import pytest

from coopnum.corpus.clean import clean_document

from .rule_lines import DOC, first_rule, kept_lines, kept_of, norm

TITLE = "La Bolivie et la Russie lancent un réseau de stations sismiques connectées dans les Andes"
BODY = (
    "Les instituts de géophysique de La Paz et de Novossibirsk installeront d’ici l’hiver quarante stations de mesure "
    "reliées par satellite, selon un accord signé jeudi par les deux ministères de la Recherche."
)
BODY2 = (
    "Les données seront partagées en temps réel avec les services de protection civile, qui veulent réduire le délai "
    "d’alerte dans les vallées les plus peuplées du pays."
)
BODY3 = (
    "Un premier bilan est attendu au printemps, avant une extension possible du réseau vers les régions minières du "
    "sud du pays."
)


def _page(*middle: str) -> str:
    return "\n".join([TITLE, "", BODY, "", *middle, "", BODY2, "", BODY3, ""])


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Carte du jour : Saturne au plus près de la Terre le 8 au soir. Voir le schéma", "teaser_link"),
        ("Fête du club : inscrivez votre équipe avant le 2 juin !", "site_call"),
        ("Le mot du club : la saison reprend lundi, on vous attend !", "site_call"),
        ("Les guides papier sont arrivés. Découvrez nos coffrets au rayon voyage.", "site_call"),
        ("Envie d’essayer ? Jeudi soir, séance découverte au local, entrée au tarif habituel.", "site_call"),
        ("⛵ Croisière « Cap au nord » : 4 jours, repas compris — encore 2 places en août !", "site_call"),
        ("Prendre rendez-vous : en ligne ou par téléphone, acompte de 30 € demandé.", "site_call"),
        ("Chez Atelier Brume, nous testons chaque outil avant de le recommander.", "site_call"),
        ("Agrément qualité n° 123456 — crédit d’impôt de 50 % selon la loi en vigueur.", "site_mention"),
        ("Le Comptoir · 3 rue Haute, Arras · L’abus d’alcool est dangereux pour la santé.", "site_mention"),
        ("Tarifs 2026 : séance de 30 min à 25 €, de 60 min à 40 €.", "site_mention"),
        ("Fondée en 1975, la FNCM rassemble 90 clubs de montagne et 12 000 licenciés.", "site_mention"),
        ("La lettre du club — chaque semaine, l’essentiel de la géologie.", "site_mention"),
        ("La lettre du club — chaque lundi, les sorties et les résultats. Votre courriel Valider", "site_mention"),
        ("Agenda — Conférence « Les volcans des Andes », mardi 3 mars, 18 h, salle des fêtes.", "site_mention"),
        ("Association loi 1901 — Le club est soutenu par la commune.", "site_mention"),
        ("Conférence jeudi 12 mars, 18 h 30 : les volcans vus du ciel, avec un géologue du club.", "site_mention"),
        ("Sécurité : toutes nos sorties sont encadrées par un guide diplômé. Le club est assuré.", "site_call"),
        ("(Modèle d’exposition : station « Illimani » de l’atelier — visible au local)", "site_call"),
        ("Pour aller plus loin : la fiche technique du réseau, réservée aux membres.", "site_links"),
        ("À lire dans ce dossier", "site_links"),
        ("Recevoir la lettre du réseau", "site_links"),
        ("Espace membres Agenda Nous contacter", "site_links"),
        ("Sciences / Risques naturels", "site_links"),
        ("Accueil > La revue des géologues amateurs > n° 42 > Séismes", "site_links"),
        ("FGA | Fédération des géologues amateurs", "site_links"),
        ("Discussion:Station Andes — Wiki des Volcans", "wiki_talk"),
        ("Cette page de discussion sert à améliorer l’article « Station Andes ».", "wiki_talk"),
        ("Sans source, on ne peut pas l’ajouter. — Pumice7 (discussion) 4 avril 2025 à 10:12 (CEST)", "wiki_talk"),
        ("Chronique du 3 avril 2025 — rubrique « Sciences »", "post_stamp"),
        ("Auteur : Léa Morin, chargée de mission, pôle Sciences", "author_line"),
    ],
)
def test_furniture_line_rules(line: str, rule: str) -> None:
    assert first_rule(norm(line)) == rule


@pytest.mark.parametrize(
    "line",
    [
        # an article's sentence with an imperative inside a quotation, a fact on places, on a price, on a founding
        "« Venez voir nos stations ! », a lancé le directeur de l’institut devant les élus.",
        "Il restait encore 2 places disponibles dans la délégation bolivienne, selon le ministère.",
        "La séance de mesure coûte 25 € par station et par mois, selon le contrat signé jeudi.",
        "Fondée en 1975, la société compte aujourd’hui 300 salariés à La Paz.",
        "Chaque semaine, les sismologues publient un bulletin des secousses ressenties.",
        "Pour les géologues, le projet reste modeste au regard des besoins du pays.",
        "Bolivie / Russie : un partenariat scientifique qui s’étend aux volcans",
        "La discussion entre les deux instituts a duré trois ans avant la signature.",
        # a headline with « nos », the house's opinion under its label, an agenda's item with no event named
        "Stations sismiques : un logiciel libre russo-bolivien adopté par nos clubs",
        "Notre avis : on l’a essayé au local, c’est précis sur les petites secousses.",
        "Mardi 4 mars, 20 h : sortie nocturne au volcan",
        "Le réseau de Novossibirsk et de La Paz reliera quarante stations.",
        # the newsroom promising to follow the story says so to its reader: no plug
        "Les stations ne seront pas installées avant l’hiver. Nous suivrons le dossier et vous tiendrons informés.",
    ],
)
def test_look_alike_article_lines_are_no_furniture(line: str) -> None:
    assert first_rule(norm(line)) is None


def test_teaser_and_call_above_the_title_leave_it_the_title() -> None:
    teaser = "Ciel de juin : Mars rejoint la Lune le 12 au soir. Voir la carte"
    call = "Nuit des volcans : inscrivez votre club avant le 1er juin !"
    raw = "\n".join(["Réseau Andes", teaser, call, "Actualités > Sciences", TITLE, BODY, "", BODY2, ""])
    doc = clean_document(raw, DOC)
    assert doc.title == norm(TITLE)
    assert kept_of(raw, teaser, call) == []


def test_dateline_closed_by_a_dash_is_no_title() -> None:
    dateline = "LA PAZ, 3 avril —"
    raw = "\n".join(["Actualité", TITLE, "Publié le 4 avril 2026", dateline, BODY, "", BODY2, ""])
    doc = clean_document(raw, DOC)
    assert doc.title == norm(TITLE)
    assert norm(dateline) in kept_lines(raw)


def test_question_headline_over_its_lead_is_the_title() -> None:
    question = "La Bolivie peut-elle vraiment prévoir ses séismes grâce aux stations russes ?"
    raw = "\n".join(["Sciences / Risques naturels", "12.04.2026 — 5 min", question, BODY, BODY2, ""])
    assert clean_document(raw, DOC).title == norm(question)
    # under a headline, the same question is its subtitle, and it stays a line of the text
    raw = "\n".join([TITLE, question, "Par Léa Morin", BODY, BODY2, ""])
    doc = clean_document(raw, DOC)
    assert doc.title == norm(TITLE)
    assert norm(question) in kept_lines(raw)


def test_whole_advert_on_its_label_line_leaves_the_question_under_it() -> None:
    advert = "Publicité — Logiciel Quake 3 : la carte sismique en ligne. Essai gratuit 15 jours"
    question = "Que changent les stations pour les communes ?"
    answer = "Tout. Une station coûte plus cher que le budget annuel d’une petite commune de l’Altiplano, selon lui."
    raw = _page("Les communes ont-elles été consultées ?", BODY3, advert, question, answer)
    assert kept_of(raw, advert, question, answer) == [norm(question), norm(answer)]


def test_related_numbered_list_holding_the_page_title_goes() -> None:
    items = ["1. Les volcans de l’Altiplano sous surveillance : que peut vraiment la science ?", f"2. {TITLE}"]
    items.append("3. Les glaciers andins perdent un mètre par an")
    raw = "\n".join([TITLE, BODY, BODY2, BODY3, "Partager Copier le lien", "Les plus lus", *items, ""])
    assert kept_of(raw, "Les plus lus", *items) == []
    assert kept_of(raw, BODY3) == [norm(BODY3)]


def test_letter_keeps_its_article_section_only() -> None:
    other = "Chers membres, la saison des sorties reprend samedi et les inscriptions sont ouvertes au local du club."
    raw = "\n".join(
        [
            "Accueil | Le club | Sorties | Adhérer | Contact",
            "Au sommaire : Le mot du président · Sorties · L’article du mois · Agenda",
            "Le mot du président",
            other,
            "L’article du mois",
            TITLE,
            "Par Léa Morin",
            BODY,
            BODY2,
            "Léa Morin, membre depuis 2010, ancienne géologue, tient cette rubrique chaque mois.",
            "Agenda",
            "Samedi 4 mai, 9 h : sortie au volcan.",
            "",
        ]
    )
    doc = clean_document(raw, DOC)
    assert doc.title == norm(TITLE)
    assert kept_lines(raw) == [norm(TITLE), norm(BODY), norm(BODY2)]


def test_letter_contents_under_a_title_are_the_posts_own_sections() -> None:
    # a post listing its own sections under its headline: one article, its sections its crossheads
    sections = ["Sommaire : Le réseau · Les données", "Le réseau", BODY2, "Les données", BODY3]
    raw = "\n".join([TITLE, BODY, *sections, ""])
    kept = ["Le réseau", BODY2, "Les données", BODY3]
    assert kept_of(raw, *kept) == [norm(x) for x in kept]


def test_masthead_person_bio_closing_the_page_goes() -> None:
    bio = "Léa Morin est diplômée de l’université de La Paz et guide des sorties géologiques depuis 2012."
    raw = "\n".join(
        ["Géo Andes — Léa Morin, guide de montagne · Sorties à La Paz", "Le carnet", TITLE, BODY, BODY2, bio, ""]
    )
    assert kept_of(raw, bio) == []
    assert kept_of(raw, BODY2) == [norm(BODY2)]


def test_cleaning_the_new_shapes_twice_changes_nothing() -> None:
    question = "La Bolivie peut-elle vraiment prévoir ses séismes grâce aux stations russes ?"
    raw = "\n".join(["Sciences / Risques naturels", question, BODY, BODY2, "Chaque mois, l’actualité du réseau.", ""])
    once = clean_document(raw, DOC)
    twice = clean_document(once.text, DOC)
    assert (twice.text, twice.title, twice.paragraphs) == (once.text, once.title, once.paragraphs)


def test_stamp_right_on_top_of_the_title_gives_the_date() -> None:
    raw = "\n".join(["Réseau Andes", "Sciences / Risques naturels", "12.04.2026 — 5 min", TITLE, BODY, BODY2, ""])
    assert clean_document(raw, DOC).date == "2026-04-12"
    # a top bar naming the weekday, even right on top of the title, gives today's date, not the article's
    raw = "\n".join(["Réseau Andes", "Samedi 12 avril 2026 | La Paz 14°C", TITLE, BODY, BODY2, ""])
    assert clean_document(raw, DOC).date is None
