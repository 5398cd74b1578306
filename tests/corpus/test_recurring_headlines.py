"""Corpus-level evidence on an invented site whose related lists name its other pages' titles: each headline is
on all three pages (heading its own article on one, a list item on the others) and stays its page's title, while
the site's masthead and tagline, recurring in a run at the top, still go (:func:`coopnum.corpus.recurring._own_headline`)."""

from __future__ import annotations

from coopnum.corpus import recurring
from coopnum.corpus.clean import clean_document
from coopnum.corpus.sources import Source

from .test_clean import norm

MASTHEAD = "LE COURRIER DES TERRASSES"
TAGLINE = "L'actualité des vignobles et des villages en terrasses depuis 1974"
MENU = "Accueil | Vignes | Villages | Agenda | Contact"
ABOUT = (
    "Le Courrier des terrasses est un journal associatif publié par les habitants de la vallée, qui couvre la vie"
    " des vignobles et des villages depuis sa fondation."
)
TITLES = [
    "Vendanges : une application pour suivre la maturité des raisins en terrasse",
    "Murets de pierre sèche : le chantier de restauration reprend au printemps",
    "Village de Castelroc : la fibre arrive enfin dans les hameaux du haut",
]
TOPICS = ["Castelroc", "Mirabel", "Serrelongue"]


def page(k: int) -> str:
    """Page ``k``: the site's masthead, tagline and menu, its own headline under a breadcrumb, three paragraphs, the
    site's about paragraph and its related list naming the two other pages' titles."""
    topic = TOPICS[k]
    others = [t for j, t in enumerate(TITLES) if j != k]
    head = [MASTHEAD, TAGLINE, MENU, "", f"Accueil > Actualités > {topic}", TITLES[k], f"Publié le {k + 3} mars 2025"]
    text = [
        f"Les viticulteurs de {topic} ont présenté mardi un projet commun qui doit changer la vie de la vallée.",
        f"Selon la mairie de {topic}, les premiers résultats seront connus avant la fin de l'été prochain.",
        f"Une réunion publique est prévue à {topic} le mois prochain pour présenter le calendrier des travaux.",
    ]
    return "\n".join(
        [*head, "", *text, "", ABOUT, "Dans la même rubrique", *others, "© 2025 Le Courrier des terrasses"]
    )


def site_source(doc_id: str) -> Source:
    return Source(doc_id, f"{doc_id}.txt", "0" * 64, None, None, None, None, f"https://courrier/{doc_id}", "fr", "test")


def test_cross_linked_headlines_stay_titles_and_the_masthead_still_goes() -> None:
    raws = [page(k) for k in range(3)]
    evidence = recurring.texts_evidence([(recurring.outlet_of(site_source("p")), raw) for raw in raws])
    view = evidence.view(site_source("p"))
    for k, raw in enumerate(raws):
        assert all(view.count(t, False) == 3 for t in TITLES)  # every headline is on every page
        doc = clean_document(raw, f"p{k}", view)
        assert doc.title == norm(TITLES[k])
        lines = doc.text.split("\n")
        assert not {norm(MASTHEAD), norm(TAGLINE), norm(ABOUT)} & set(lines)
        # the other pages' titles, in the related list, go as recurring lines
        for j, title in enumerate(TITLES):
            if j != k:
                assert norm(title) not in lines
                assert [(a.action, a.rule) for a in doc.audit if a.text == norm(title)] == [("removed", recurring.RULE)]
        removed = {a.text for a in doc.audit if a.rule == recurring.RULE}
        assert {norm(MASTHEAD), norm(TAGLINE), norm(ABOUT)} <= removed


def test_a_recurring_line_in_a_run_above_the_text_still_goes() -> None:
    """A long recurring line right above the text but under another recurring line (a tagline under the masthead,
    no headline of its own on the page): the template, removed."""
    raws = ["\n".join([MASTHEAD, TAGLINE, "", *page(k).split("\n")[8:11]]) for k in range(3)]
    evidence = recurring.texts_evidence([(recurring.outlet_of(site_source("p")), raw) for raw in raws])
    view = evidence.view(site_source("q"))
    for k, raw in enumerate(raws):
        doc = clean_document(raw, f"q{k}", view)
        assert [(a.action, a.rule) for a in doc.audit if a.text == norm(TAGLINE)] == [("removed", recurring.RULE)]


def test_a_slogan_under_every_pages_date_goes_and_the_headline_above_it_stays() -> None:
    """A recurring line above the text of several pages (a slogan under the date stamp) is the template's head, not
    a page's headline: it goes, alone between lines that do not recur as it is, and the headline above it stays."""
    slogan = "Le Courrier des terrasses, toute l'actualité des coteaux et des vallées"
    raws = []
    for k in range(3):
        lines = page(k).split("\n")
        raws.append("\n".join([*lines[:7], slogan, *lines[7:]]))
    evidence = recurring.texts_evidence([(recurring.outlet_of(site_source("p")), raw) for raw in raws])
    view = evidence.view(site_source("p"))
    assert view.head_count(slogan) == 3 and view.head_count(TITLES[0]) == 0
    for k, raw in enumerate(raws):
        doc = clean_document(raw, f"s{k}", view)
        assert doc.title == norm(TITLES[k])
        assert [(a.action, a.rule) for a in doc.audit if a.text == norm(slogan)] == [("removed", recurring.RULE)]
