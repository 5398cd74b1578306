"""Near-duplicate detection: distinct articles stay far below the threshold, edited copies above it."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

from coopnum.corpus.clean import clean_document
from coopnum.corpus.duplicates import THRESHOLD, NearDuplicateIndex, jaccard, signature

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "corpus/raw").glob("*.txt")) + sorted((ROOT / "tests/fixtures/cleaning").glob("*/*.txt"))
TEXTS = {p.name: clean_document(p.read_text(encoding="utf-8"), "0" * 16).text for p in FILES}


def _substitute(text: str, rate: float, rng: random.Random) -> str:
    return " ".join(f"xq{rng.randrange(10**6)}" if rng.random() < rate else w for w in text.split(" "))


def _highest_jaccard(texts: dict[str, str]) -> tuple[float, str, str]:
    sigs = {k: signature(v) for k, v in texts.items()}
    return max((sigs[a].jaccard(sigs[b]), a, b) for a, b in itertools.combinations(sigs, 2))


def test_distinct_articles_are_not_near_duplicates() -> None:
    """No two distinct texts as the cleaner leaves them reach the threshold (`coopnum add` would refuse one)."""
    worst, a, b = _highest_jaccard(TEXTS)
    print(f"\n{len(TEXTS)} distinct texts: highest estimated Jaccard {worst:.3f} ({a}, {b}; threshold {THRESHOLD})")
    assert worst < THRESHOLD


def test_distinct_article_texts_are_far_below_the_threshold() -> None:
    """On the article text alone (the fixtures' judged bodies) distinct articles stay under half the threshold.

    The cleaner's output is closer: furniture it keeps on several pages of one site is shared text (with heldout27,
    two pages of one site at 0.211 with the cleaner of 32f6dfe and 0.195 with the fix23 rules, their article
    bodies under 0.1 apart), which is why the margin is asserted on the
    judged bodies and the threshold itself on the cleaner's output, above."""
    bodies = {
        p.name: "\n".join(json.loads(p.read_text(encoding="utf-8"))["body"])
        for p in sorted((ROOT / "tests/fixtures/cleaning").glob("*/*.expected.json"))
    }
    worst, a, b = _highest_jaccard(bodies)
    print(f"\n{len(bodies)} judged bodies: highest estimated Jaccard {worst:.3f} ({a}, {b})")
    assert worst < THRESHOLD / 2


def test_edited_copies_are_found_with_the_closest_document_named() -> None:
    index = NearDuplicateIndex()
    for k, v in TEXTS.items():
        index.insert(k, signature(v))
    # Each text's edits are drawn from its own seed (its file name), so a change to one fixture's clean text
    # does not redraw every later text's edits: the LSH bands miss a pair at an estimated Jaccard of 0.43
    # about one time in twenty, and one shared generator made such a miss depend on unrelated fixtures.
    edits = {
        "10% words replaced": lambda t, rng: _substitute(t, 0.10, rng),
        "paragraphs reordered": lambda t, rng: "\n".join(rng.sample(t.split("\n"), t.count("\n") + 1)),
        "first half": lambda t, rng: t[: len(t) // 2],
    }
    missed: dict[str, set[str]] = {}
    for name, edit in edits.items():
        found = [index.closest(signature(edit(t, random.Random(k)))) for k, t in TEXTS.items()]
        missed[name] = {k for m, k in zip(found, TEXTS, strict=True) if m is None or m.doc_id != k}
    print(f"\nmissed of {len(TEXTS)}: { {name: len(v) for name, v in missed.items()} }")
    assert missed == KNOWN_MISSES  # a pair found again is struck off, a new miss fails


# The LSH's misses, each listed with its figures (strict: the test fails once it is found): with the fix25 rules
# h27k's clean text is the fixture's article alone (689 characters), and its first half, at an exact Jaccard of 0.47
# to it (estimated 0.375, above THRESHOLD), falls in no band of its own: the deterministic edit makes that miss (one
# of the « about one time in twenty » above) a fixed one.
KNOWN_MISSES: dict[str, set[str]] = {
    "10% words replaced": set(),
    "paragraphs reordered": set(),
    "first half": {"h27k_transhorizon_relocalisationouzbekistan.txt"},
}


def test_estimate_follows_the_exact_jaccard() -> None:
    a, b = list(TEXTS.values())[:2]
    edited = a + "\n" + b.split("\n")[1]
    assert abs(signature(edited).jaccard(signature(a)) - jaccard(edited, a)) < 0.15
