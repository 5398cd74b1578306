"""Cleaning with the corpus-level evidence: the fixtures scored as the build cleans, each page with its site's
recurring lines (:mod:`coopnum.corpus.recurring`).

The build cleans every document with the evidence of its outlet's other documents; the fixture scores of
``test_clean`` are without it (most groups hold one page per site, where nothing can recur). ``heldout14`` is
the first group with several pages of a site: its file names ``h14a_<site>_<topic>`` name the site as a
scraper knows it (the URL's host), so here each case gets the host ``<site>``; a case without a site token is
an outlet of its own.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from coopnum.corpus import recurring
from coopnum.corpus.clean import clean_document
from coopnum.corpus.document import CleanDocument
from coopnum.corpus.lines import split_lines
from coopnum.corpus.sources import Source

from .test_clean import BLIND, FLOORS, Case, load_cases, precision_recall

_SITE = re.compile(r"^h\d+[a-z]_(?P<site>[^_]+)_")


def source_of(case: Case) -> Source:
    """The case as the build's sources list would give it: a page of the host its file name names."""
    m = _SITE.match(case.name)
    url = f"https://{m['site']}/{case.name}" if m else None
    return Source(case.name, case.expected["file"], "0" * 64, None, None, None, None, url, "fr", "test")


def set_evidence(cases: list[Case]) -> recurring.LineEvidence:
    """The evidence the corpus pass gives for a corpus made of these cases."""
    return recurring.texts_evidence([(recurring.outlet_of(source_of(c)), c.raw) for c in cases])


def wanted_lines(case: Case, doc: CleanDocument) -> set[int]:
    """The raw line numbers the fixture keeps, matched as ``test_clean.line_scores`` matches them."""
    raw_lines = [case.raw[s:e].strip() for s, e, _, _ in split_lines(case.raw)]
    kept = {a.line for a in doc.audit if a.action in ("kept", "trimmed")}
    title = case.expected["title"]
    expected = ([title] if title else []) + case.expected["body"]
    wanted: set[int] = set()
    cursor = 0
    if title and doc.title is not None and kept:
        first = min(kept) - 1  # a repeated title: the cleaner's title line counts when it holds the text
        if raw_lines[first] == title or raw_lines[first].endswith(title) or raw_lines[first].startswith(title):
            wanted.add(first + 1)
            cursor, expected = first + 1, expected[1:]
    for line in expected:
        for i in range(cursor, len(raw_lines)):
            glued = line == title and (raw_lines[i].endswith(line) or raw_lines[i].startswith(line))
            if raw_lines[i] == line or glued:
                wanted.add(i + 1)
                cursor = i + 1
                break
        else:
            raise AssertionError(f"{case.name}: fixture line not found in the raw text: {line[:80]!r}")
    return wanted


def evidence_scores(cases: list[Case], evidence: recurring.LineEvidence) -> tuple[float, float, list[str]]:
    """Line precision and recall of the cases cleaned with ``evidence`` (each with its site's view), and the
    per-case report (the false kept and the missed raw line numbers)."""
    tp = fp = fn = 0
    report = []
    for case in cases:
        doc = clean_document(case.raw, case.name, evidence.view(source_of(case)))
        kept = {a.line for a in doc.audit if a.action in ("kept", "trimmed")}
        wanted = wanted_lines(case, doc)
        c_tp, c_fp, c_fn = len(kept & wanted), len(kept - wanted), len(wanted - kept)
        tp, fp, fn = tp + c_tp, fp + c_fp, fn + c_fn
        report.append(
            f"  {case.name:40} P={c_tp / max(1, c_tp + c_fp):.2f} R={c_tp / max(1, c_tp + c_fn):.2f}"
            f"  false kept {sorted(kept - wanted)} missed {sorted(wanted - kept)}"
        )
    return tp / max(1, tp + fp), tp / max(1, tp + fn), report


HELDOUT14 = load_cases("heldout14")
# heldout14 cleaned with its sites' evidence. First contact (the cleaner of 9349176, before any change written
# against this set): 0.907 / 0.901; after the template crossheads and template keys (helper fix14): 0.9225 /
# 0.9291. Floors, rounded down (without evidence the set scores 0.650 / 0.936, first contact, unchanged).
HELDOUT14_FLOORS = (0.922, 0.929)
OTHER_GROUPS = [*FLOORS, *(g for g in dict.fromkeys(c.group for c in BLIND) if g not in FLOORS)]


def test_heldout14_with_its_sites_evidence() -> None:
    precision, recall, report = evidence_scores(HELDOUT14, set_evidence(HELDOUT14))
    print(f"\nheldout14 with its sites' evidence: precision={precision:.4f} recall={recall:.4f}\n" + "\n".join(report))
    pages = Counter(recurring.outlet_of(source_of(c)) for c in HELDOUT14)
    assert sum(n >= recurring.OUTLET_MIN_DOCUMENTS for n in pages.values()) == 4  # four sites of three pages
    assert precision >= HELDOUT14_FLOORS[0] and recall >= HELDOUT14_FLOORS[1], "\n".join(report)


def test_heldout14_evidence_removes_template_furniture_and_keeps_template_crossheads() -> None:
    """What the evidence does on the set: furniture no single page shows to be furniture goes, and the lines
    recurring inside the articles (their template's crossheads) stay."""
    evidence = set_evidence(HELDOUT14)
    removed = kept_recurring = 0
    for case in HELDOUT14:
        doc = clean_document(case.raw, case.name, evidence.view(source_of(case)))
        wanted = wanted_lines(case, doc)
        removed += sum(1 for a in doc.audit if a.rule == recurring.RULE and a.line not in wanted)
        assert not [a.text for a in doc.audit if a.rule == recurring.RULE and a.line in wanted], case.name
        kept_recurring += sum(
            1
            for a in doc.audit
            if a.action == "kept" and evidence.view(source_of(case)).count(case.raw[a.raw_start : a.raw_end], False)
        )
    assert removed > 0 and kept_recurring > 0


@pytest.mark.parametrize("group", OTHER_GROUPS)
def test_other_groups_score_the_same_with_their_own_sets_evidence(group: str) -> None:
    """One page per site: the evidence of its own set moves no group's figures."""
    cases = load_cases(group)
    with_evidence = evidence_scores(cases, set_evidence(cases))
    assert with_evidence[:2] == precision_recall(cases)[:2], "\n".join(with_evidence[2])


def test_every_fixture_as_one_corpus() -> None:
    """Every group as one corpus, as the build would clean it (heldout14's sites, and lines shared by three
    outlets): no other group moves, and heldout14 keeps its floors."""
    groups = {g: load_cases(g) for g in [*OTHER_GROUPS, "heldout14"]}
    evidence = set_evidence([c for cases in groups.values() for c in cases])
    assert len(evidence.corpus_outlets) > 0  # lines that three outlets share are counted (« Publicité », …)
    for group, cases in groups.items():
        precision, recall, report = evidence_scores(cases, evidence)
        if group == "heldout14":
            assert precision >= HELDOUT14_FLOORS[0] and recall >= HELDOUT14_FLOORS[1], "\n".join(report)
        else:
            assert (precision, recall) == precision_recall(cases)[:2], f"{group}\n" + "\n".join(report)
