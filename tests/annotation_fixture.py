"""A small annotation fixture for build tests — test data, not gold.

Until the real annotation rounds exist, the build's annotated configs are tested
on this: for each seed, a few hand-chosen (surface form, label) pairs, stances
and topics (for any other article, ones derived from its text), written as two
annotator passes that disagree in known ways plus an "adjudicated" gold. Offsets are found in the current clean text at test time,
so a change in cleaning does not break the fixture (it would break real gold:
that is what ``text_sha256`` is for).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from coopnum.annotation import format as ann
from coopnum.annotation.passfile import occurrences  # the same word edges annotators' pass files use
from coopnum.dataset.build import clean_corpus

# doc_id -> (entities (surface, label), document stance, topics, paragraphs marked FAVOR)
SPEC: dict[str, tuple[list[tuple[str, str]], str, list[str], list[int]]] = {
    "db38e82f54f3c3a1": (
        [("Dmitri Peskov", "PER"), ("Moscou", "LOC"), ("Forum économique oriental", "EVENT"), ("Microsoft", "ORG")],
        "FAVOR",
        ["digital_economy", "trade_investment"],
        [1, 2],
    ),
    "efbc0e0d779ac531": (
        [("Alexey Andreev", "PER"), ("Maroc", "LOC"), ("Russie", "LOC"), ("Maroc Digital 2030", "MISC")],
        "FAVOR",
        ["digital_economy", "international_relations", "trade_investment"],
        [0, 3],
    ),
    "21bc0473e3177873": (
        [("Jack Ma", "PER"), ("Alibaba", "ORG"), ("AliExpress", "MISC"), ("Saint-Pétersbourg", "LOC")],
        "FAVOR",
        ["trade_investment", "sme_startups"],
        [0],
    ),
    "e80b6e8af8c7752b": (
        [("Skolkovo", "ORG"), ("Moscou", "LOC"), ("Paris", "LOC"), ("Orange Business Services", "ORG")],
        "NONE",
        ["smart_city_transport", "health", "education_research"],
        [],
    ),
    "bde00153dbec76ec": (
        [("Vietnam", "LOC"), ("Russie", "LOC"), ("Moscou", "LOC")],
        "FAVOR",
        ["digital_economy", "international_relations"],
        [2],
    ),
}
# For an article added after the seeds: capitalised words inside a sentence, taken as mentions.
_MID_SENTENCE_NAME = re.compile(r"(?<=[a-zà-ÿ,] )[A-ZÀ-Ý][a-zà-ÿ]{3,}\b")
_DERIVED_LABELS = ("LOC", "ORG", "MISC")


def spec_for(doc_id: str, text: str) -> tuple[list[tuple[str, str]], str, list[str], list[int]]:
    """The seed's hand-chosen spec, or one derived from ``text`` so a new article needs no edit here."""
    if doc_id in SPEC:
        return SPEC[doc_id]
    names = list(dict.fromkeys(_MID_SENTENCE_NAME.findall(text)))[: len(_DERIVED_LABELS)]
    return list(zip(names, _DERIVED_LABELS, strict=False)), "NONE", ["digital_economy", "trade_investment"], [0]


ANNOTATORS = {
    "annotator-aaaaaaaa0001": ("annotator", "test fixture", "fixture pass A"),
    "annotator-bbbbbbbb0002": ("annotator", "test fixture", "fixture pass B"),
    "annotator-cccccccc0003": ("adjudicator", "test fixture", "fixture gold"),
}


def spans_for(text: str, entities: list[tuple[str, str]]) -> list[ann.Span]:
    taken: list[tuple[int, int]] = []
    spans = []
    for surface, label in sorted(entities, key=lambda e: -len(e[0])):  # longest first: no overlaps
        for s, e in occurrences(text, surface):
            if all(e <= a or b <= s for a, b in taken):
                taken.append((s, e))
                spans.append(ann.Span(s, e, label, text[s:e]))
    return sorted(spans)


def write_fixture(root: Path) -> ann.Counts:
    """Write annotations/labelstudio/*.json and annotations/annotators.json under ``root``."""
    out = root / "annotations" / ann.SUBDIR
    out.mkdir(parents=True, exist_ok=True)
    docs = []
    for d in clean_corpus(root / "corpus"):
        entities, stance, topics, favor = spec_for(d.doc_id, d.clean.text)
        spans = tuple(spans_for(d.clean.text, entities))
        # Pass B's known disagreements (below) need two spans and a topic to drop.
        assert len(spans) >= 2 and topics, f"fixture: {d.doc_id} gives too few mentions to disagree on"
        n = len(d.clean.paragraphs)
        stances = tuple("FAVOR" if i in favor else "NONE" for i in range(n))

        def annotation(ann_id: str, who: str, gold: bool, spans=spans, stance=stance, topics=topics, stances=stances):
            return ann.Annotation(
                ann_id, who, gold, "2026-11-30T00:00:00Z", None, tuple(spans), stances, stance, tuple(topics)
            )

        # B misses the first span, calls the last one MISC, and leaves out the last topic.
        b_spans = [*spans[1:-1], ann.Span(spans[-1].start, spans[-1].end, "MISC", spans[-1].text)]
        doc = ann.DocumentAnnotations(
            d.doc_id,
            d.clean.text_sha256,
            (
                annotation("ls-1", "annotator-aaaaaaaa0001", False),
                annotation("ls-2", "annotator-bbbbbbbb0002", False, spans=b_spans, topics=topics[:-1]),
                annotation("ls-3", "annotator-cccccccc0003", True),
            ),
            (ann.Prediction("fixture-model-0.0", spans[:2]),),
        )
        (out / f"{d.doc_id}.json").write_text(ann.dumps(doc), encoding="utf-8")
        docs.append(doc)
    (root / "annotations" / "annotators.json").write_text(
        json.dumps(
            {
                "guidelines_version": "fixture",
                "summary": "Test fixture, not gold.",
                "card_creators": ["other"],
                "annotators": [
                    {"id": k, "role": r, "kind": kind, "method": m} for k, (r, kind, m) in ANNOTATORS.items()
                ],
            },
            indent=1,
        ),
        encoding="utf-8",
    )
    return ann.count(docs)


def annotated_project(parent: Path) -> Path:
    """A scratch project under ``parent``: the repository's corpus, this fixture, and a build."""
    import shutil

    from coopnum.dataset.build import build

    from .conftest import REPO

    root = parent / "project"
    root.mkdir()
    shutil.copytree(REPO / "corpus", root / "corpus")
    write_fixture(root)
    build(root)
    return root


def edit_annotations(root: Path, doc_id: str, change) -> None:
    """Load one document's annotation file, let ``change`` edit the JSON object, write it back."""
    path = root / "annotations" / ann.SUBDIR / f"{doc_id}.json"
    obj = json.loads(path.read_text(encoding="utf-8"))
    change(obj)
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")


def gold_of(obj: dict) -> dict:
    return next(a for a in obj["annotations"] if a["ground_truth"])
