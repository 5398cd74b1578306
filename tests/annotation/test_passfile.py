"""Pass files → annotations with exact offsets; bad entries are errors naming the paragraph."""

from __future__ import annotations

import pytest

from coopnum.annotation.passfile import annotation_from_pass, occurrences
from coopnum.errors import AnnotationError

TEXT = "Le gouvernement de Moscou et Moscou.\nSur Alibaba.com, d’Alibaba et Jack Ma à Moscou."
PARAS = [(0, 36), (37, len(TEXT))]


def make(p0, p1, stance="FAVOR", topics=("digital_economy",)):
    return {
        "doc_id": "0123456789abcdef",
        "paragraphs": [{"index": 0, "stance": "NONE", "entities": p0}, {"index": 1, "stance": "FAVOR", "entities": p1}],
        "stance": stance,
        "topics": list(topics),
    }


def test_longer_mentions_first_then_every_free_occurrence() -> None:
    a = annotation_from_pass(
        make(
            [["Moscou", "LOC"], ["gouvernement de Moscou", "ORG"]],
            [["Alibaba", "ORG"], ["Alibaba.com", "MISC"], ["Jack Ma", "PER"]],
        ),
        TEXT,
        PARAS,
        annotation_id="p-1",
        annotator="annotator-x",
    )
    got = [(TEXT[s.start : s.end], s.label) for s in a.entities]
    assert got == [
        ("gouvernement de Moscou", "ORG"),
        ("Moscou", "LOC"),
        ("Alibaba.com", "MISC"),
        ("Alibaba", "ORG"),
        ("Jack Ma", "PER"),
    ]
    assert all(TEXT[s.start : s.end] == s.text for s in a.entities)
    assert a.paragraph_stances == ("NONE", "FAVOR") and a.stance == "FAVOR" and not a.ground_truth


def test_chosen_occurrences_only() -> None:
    a = annotation_from_pass(make([["Moscou", "LOC", [2]]], []), TEXT, PARAS, annotation_id="p", annotator="x")
    assert [(s.start, s.end) for s in a.entities] == [(29, 35)]


def test_word_edges() -> None:
    assert occurrences("Saint-Pétersbourg", "Pétersbourg") == []
    assert occurrences("sur Alibaba.com.", "Alibaba") == []
    assert occurrences("l’Université de Normandie.", "Université de Normandie") == [(2, 25)]


@pytest.mark.parametrize(
    "obj,field",
    [
        (make([["Paris", "LOC"]], []), "entities"),  # not in the paragraph
        (make([["Moscou", "CITY"]], []), "label"),
        (make([["Moscou", "LOC", [3]]], []), "entities"),  # no third free occurrence
        (make([[" Moscou", "LOC"]], []), "entities"),
        (make([], [], stance="PRO"), "stance"),
        (make([], [], topics=()), "topics"),
        ({**make([], []), "paragraphs": []}, "paragraphs"),
    ],
)
def test_bad_pass_entries_are_errors(obj, field) -> None:
    with pytest.raises(AnnotationError) as e:
        annotation_from_pass(obj, TEXT, PARAS, annotation_id="p-9", annotator="x", file="pass.json")
    assert e.value.field == field and e.value.annotation == "p-9" and e.value.file == "pass.json"
