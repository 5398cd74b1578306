"""Corpus-level evidence: lines that recur across documents of one outlet are removed, body never."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from coopnum.corpus import recurring
from coopnum.corpus.clean import clean_document
from coopnum.corpus.document import CleanDocument
from coopnum.corpus.features import is_prose
from coopnum.corpus.sources import Source

from .test_clean import HELDOUT, SEEDS, SYNTHETIC, Case

FURNITURE = [
    "La Tribune numérique du Sahel",
    "Le quotidien des réseaux et des données depuis 1998",
    "Fondée en 1998, La Tribune numérique du Sahel est un média indépendant qui couvre l'économie numérique"
    " du continent et dont la rédaction est basée à Niamey.",
]


def outlet_source(doc_id: str, outlet: str | None) -> Source:
    return Source(doc_id, f"{doc_id}.txt", "0" * 64, outlet, outlet, None, None, None, "fr", "test")


def one_outlet(cases: list[Case]) -> list[tuple[Source, str]]:
    """Fixture bodies dressed in one outlet's furniture (a masthead, a tagline, an about paragraph)."""
    out = []
    for c in cases:
        body = "\n\n".join(([c.expected["title"]] if c.expected["title"] else []) + c.expected["body"])
        raw = "\n".join(FURNITURE[:2]) + "\n\n" + body + "\n\n" + FURNITURE[2] + "\n"
        out.append((outlet_source(c.name, "La Tribune numérique du Sahel"), raw))
    return out


def evidence(docs: list[tuple[Source, str]]) -> recurring.LineEvidence:
    return recurring.texts_evidence([(recurring.outlet_of(s), raw) for s, raw in docs])


def test_furniture_shared_by_an_outlets_documents_is_removed_and_counted() -> None:
    docs = one_outlet(SYNTHETIC[:3])
    ev = evidence(docs)
    for source, raw in docs:
        without = clean_document(raw, source.doc_id)
        assert FURNITURE[2].split(",")[0] in without.text  # the about paragraph is prose: no rule takes it alone
        doc = clean_document(raw, source.doc_id, ev.view(source))
        removed = {a.text: a for a in doc.audit if a.rule == "recurring_line"}
        assert FURNITURE[2] in removed and removed[FURNITURE[2]].recurrence == len(docs)
        assert all(part not in doc.text for part in FURNITURE)
        body = [line for line in without.text.split("\n") if line not in FURNITURE]
        assert [line for line in doc.text.split("\n")] == body  # every body line kept


def test_two_documents_are_not_evidence() -> None:
    docs = one_outlet(SYNTHETIC[:2])
    ev = evidence(docs)
    # no line counts as recurring; only the lines above both texts are counted (they keep a headline from no rule)
    assert not any(n >= recurring.OUTLET_MIN_DOCUMENTS for n in ev.outlet_documents.values()) and not ev.corpus_outlets
    for source, raw in docs:
        assert clean_document(raw, source.doc_id, ev.view(source)) == clean_document(raw, source.doc_id)


def test_other_outlets_and_no_outlet_give_no_outlet_evidence() -> None:
    docs = [(outlet_source(s.doc_id, None), raw) for s, raw in one_outlet(SYNTHETIC[:3])]
    ev = evidence(docs)
    source, raw = docs[0]
    doc = clean_document(raw, source.doc_id, ev.view(source))
    assert FURNITURE[2] in doc.text  # shared prose across outlets: syndication, kept
    assert FURNITURE[1] not in doc.text  # a short non-prose line in three outlets: furniture


def test_duplicate_articles_keep_their_prose() -> None:
    source, raw = one_outlet(SYNTHETIC[:1])[0]
    copies = [(outlet_source(f"{source.doc_id}-{i}", source.outlet), raw) for i in range(3)]
    ev = evidence(copies)
    doc = clean_document(raw, copies[0][0].doc_id, ev.view(copies[0][0]))
    plain = clean_document(raw, copies[0][0].doc_id)
    assert [p for p in plain.text.split("\n") if is_prose(p)] == [p for p in doc.text.split("\n") if is_prose(p)]


def test_every_fixture_and_seed_cleans_the_same_with_the_whole_corpus_as_evidence() -> None:
    """Seeds and fixtures (23 outlets, one document each) as one corpus: recurrence changes no text."""
    cases = SEEDS + SYNTHETIC + HELDOUT
    docs = [(outlet_source(c.name, c.expected["outlet"]), c.raw) for c in cases]
    ev = evidence(docs)
    assert len(ev) > 0  # furniture lines shared by three outlets exist ("Publicité", "Partager", …)
    for source, raw in docs:
        assert clean_document(raw, source.doc_id, ev.view(source)).text == clean_document(raw, source.doc_id).text


def test_evidence_does_not_depend_on_document_order() -> None:
    docs = one_outlet(SYNTHETIC[:3])
    assert evidence(docs) == evidence(docs[::-1])


def _evidence_all_at_once(hashes: list[tuple[np.ndarray, np.ndarray]]) -> recurring.LineEvidence:
    """The counts as one sort of every hash of the corpus gives them (what evidence_of did before
    it counted bucket by bucket)."""
    grouped = np.concatenate([g for g, _ in hashes])
    plain = np.concatenate([p for _, p in hashes])
    _, first = np.unique(grouped, return_index=True)

    def over(values: np.ndarray, minimum: int) -> dict[int, int]:
        uniq, counts = np.unique(values, return_counts=True)
        return {int(k): int(n) for k, n in zip(uniq, counts, strict=True) if n >= minimum}

    # and the lines above the text (a head row's companion is its hash's complement), from two documents
    outlet = over(grouped, recurring.OUTLET_MIN_DOCUMENTS) | over(
        grouped[plain == ~grouped], recurring.HEAD_MIN_DOCUMENTS
    )
    return recurring.LineEvidence(
        dict(sorted(outlet.items())), over(plain[first], recurring.CORPUS_MIN_OUTLETS), len(hashes)
    )


def test_counting_bucket_by_bucket_on_disk_gives_the_counts_of_one_sort(tmp_path: Path) -> None:
    rng = random.Random(7)
    lines = [
        f"ligne {a}{b} du gabarit" for a in "abcdef" for b in "ghijklmnop"
    ]  # no digits: they key as 0 + ["Publicité", "Partager", ""]
    documents = [
        (f"outlet:{rng.randrange(6)}", "\n".join([*rng.sample(lines, rng.randrange(0, 25)), f"corps {d}"]))
        for d in range(300)
    ]
    hashes = [recurring.document_hashes(group, raw) for group, raw in documents]
    expected = _evidence_all_at_once(hashes)
    assert len(expected.outlet_documents) > 50 and len(expected.corpus_outlets) > 50  # the counts are exercised
    counter = recurring.LineCounter(tmp_path)
    for i in range(0, len(hashes), 17):  # a few documents at a time, as the corpus pass feeds it
        counter.add(hashes[i : i + 17])
    assert len(list(tmp_path.iterdir())) == recurring.LineCounter.BUCKETS
    for evidence in (counter.evidence(), recurring.evidence_of(hashes)):
        assert evidence == expected
        assert list(evidence.outlet_documents) == sorted(expected.outlet_documents)
    assert recurring.evidence_of([]) == recurring.LineEvidence()


MENU = ["Accueil", "Économie", "Énergie", "Numérique"]
ABOUT = (
    "La Lettre du Golfe est un site d'information indépendant fondé en 2011, qui couvre l'économie numérique"
    " de toute la région et emploie une douzaine de journalistes."
)


def prose(n: int, topic: str) -> str:
    """An invented paragraph of a page about ``topic`` (each page's own text)."""
    return (
        f"Le projet de {topic} mobilise {n} techniciens venus de toute la région, selon le ministère chargé"
        f" des télécommunications, qui suit le chantier de {topic} depuis le printemps."
    )


def template_page(topic: str, *middle: str, end: tuple[str, ...] = ()) -> str:
    """An invented page of one site: its menu, a title, the page's prose with ``middle`` inside it, ``end``
    after the text, then the site's about paragraph."""
    body = [prose(1, topic), *middle, prose(2, topic), prose(3, topic)]
    return "\n".join([*MENU, "", f"Réseaux : le chantier de {topic}", "", *body, *end, "", ABOUT]) + "\n"


TOPICS = ("Dakar", "Thiès", "Kaolack")


def cleaned(pages: list[str]) -> list[CleanDocument]:
    docs = [(outlet_source(f"page{i}", "La Lettre du Golfe"), raw) for i, raw in enumerate(pages)]
    ev = evidence(docs)
    return [clean_document(raw, s.doc_id, ev.view(s)) for s, raw in docs]


def decisions(doc: CleanDocument, text: str) -> list[tuple[str, str | None]]:
    return [(a.action, a.rule) for a in doc.audit if a.text == text]


def test_a_templates_crossheads_inside_the_text_are_kept() -> None:
    """A crosshead every page of a site repeats (« Le contexte »), or that is a menu entry's word (« Énergie »),
    heads the page's own prose: the evidence keeps it there, while the menu entry and the about paragraph go."""
    pages = [template_page(t, "Le contexte", prose(4, t), "", "Énergie") for t in TOPICS]
    for doc in cleaned(pages):
        assert "Le contexte" in doc.text.split("\n") and ABOUT not in doc.text
        menu, crosshead = decisions(doc, "Énergie")
        assert menu == ("removed", recurring.RULE) and decisions(doc, "Accueil") == [menu]
        # the crosshead the evidence keeps; the running-head rule (corpus.furniture) still takes it as the menu's
        assert crosshead[1] != recurring.RULE


def test_a_recurring_line_not_heading_the_own_text_goes() -> None:
    """Inside the text but above a line that recurs too (a promo heading over its blurb), or longer than a
    crosshead, or after the text over headlines (« Les plus lus » and its list): furniture."""
    promo = "Notre offre d'abonnement"
    blurb = "Abonnez-vous dès aujourd'hui pour recevoir chaque matin toute l'actualité de la région et nos analyses."
    long_line = "La Lettre du Golfe, l'actualité numérique de la région"  # its tagline, between paragraphs
    pages = [
        template_page(t, promo, blurb, long_line, end=("", "Les plus lus", f"Le port de {t} s'agrandit", "Un titre"))
        for t in TOPICS
    ]
    for doc in cleaned(pages):
        assert not {promo, blurb, long_line, "Les plus lus", "Un titre"} & set(doc.text.split("\n"))
        assert decisions(doc, promo) == decisions(doc, long_line) == [("removed", recurring.RULE)]


def test_a_recurring_heading_over_a_fact_box_after_the_text_is_kept() -> None:
    def box(topic: str) -> tuple[str, ...]:
        return ("En chiffres", f"300 techniciens mobilisés à {topic}.", f"12 communes raccordées autour de {topic}.")

    for doc, topic in zip(cleaned([template_page(t, end=box(t)) for t in TOPICS]), TOPICS, strict=True):
        assert doc.text.split("\n")[-3:] == list(box(topic))


def test_template_key() -> None:
    assert recurring.template_key("N° 1287 – semaine du 10 au 16 mars 2025") == "n° 0 – semaine du"
    assert recurring.template_key("N° 74 – semaine du 2 au 8 juin") == "n° 0 – semaine du"
    assert recurring.template_key("Vu 1 384 fois") == ""  # no longer than a template: the line key holds it
    assert recurring.template_key("Réseaux : le chantier de Dakar") == ""  # no number: no value that changes


ISSUES = [
    "N° 1287 – semaine du 10 au 16 mars 2025",
    "N° 1301 – semaine du 3 au 9 juin",
    "N° 1312 – semaine du 1er au 7",
]


def test_template_lines_with_per_page_values_are_removed() -> None:
    """A site's line whose start stays and whose numbers change from page to page (an issue line) is furniture
    once three pages hold its start; prose with a shared start is not judged so, nor a list item inside the text
    (the article's own wording), nor are two pages evidence."""
    lead = "Le gouvernement a signé en 2020 un accord avec {} pour équiper les écoles de la région."
    partners = ("Moscou", "Pékin", "Ankara")
    pages = [
        template_page(t, lead.format(p), f"- 12 écoles équipées à {t}.", end=("", i))
        for t, p, i in zip(TOPICS, partners, ISSUES, strict=True)
    ]
    for doc, partner, issue, topic in zip(cleaned(pages), partners, ISSUES, TOPICS, strict=True):
        assert decisions(doc, issue) == [("removed", recurring.RULE)]
        for line in (lead.format(partner), f"- 12 écoles équipées à {topic}."):
            assert decisions(doc, line) == [("kept", None)]
    for doc, issue in zip(cleaned(pages[:2]), ISSUES[:2], strict=True):
        assert decisions(doc, issue) != [("removed", recurring.RULE)]


def test_templates_are_counted_within_an_outlet_only() -> None:
    docs = [
        (f"outlet:{i}", f"{line}\nUn texte de {t}.\n") for i, (line, t) in enumerate(zip(ISSUES, TOPICS, strict=True))
    ]
    assert len(recurring.texts_evidence(docs)) == 0  # one page each of three outlets: no evidence
    same = recurring.texts_evidence([("outlet:0", raw) for _, raw in docs])
    view = recurring.RecurringLines("outlet:0", same.outlet_documents, same.corpus_outlets)
    assert view.template_count(ISSUES[0]) == 3 and view.count(ISSUES[0], prose=False) == 0  # each line once
