"""Corpus-level evidence: lines that recur across documents of one outlet are removed, body never."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from coopnum.corpus import recurring
from coopnum.corpus.clean import clean_document
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
    assert len(ev) == 0
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

    return recurring.LineEvidence(
        over(grouped, recurring.OUTLET_MIN_DOCUMENTS), over(plain[first], recurring.CORPUS_MIN_OUTLETS), len(hashes)
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
