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
from coopnum.corpus.sources import Source

from .test_clean import CLEANING, Case, load_cases, precision_recall, wanted_lines

_SITE = re.compile(r"^h\d+[a-z]_(?P<site>[^_]+)_")


def source_of(case: Case) -> Source:
    """The case as the build's sources list would give it: a page of the host its file name names."""
    m = _SITE.match(case.name)
    url = f"https://{m['site']}/{case.name}" if m else None
    return Source(case.name, case.expected["file"], "0" * 64, None, None, None, None, url, "fr", "test")


def set_evidence(cases: list[Case]) -> recurring.LineEvidence:
    """The evidence the corpus pass gives for a corpus made of these cases."""
    return recurring.texts_evidence([(recurring.outlet_of(source_of(c)), c.raw) for c in cases])


def evidence_scores(cases: list[Case], evidence: recurring.LineEvidence) -> tuple[float, float, list[str]]:
    """Line precision and recall of the cases cleaned with ``evidence`` (each with its site's view), and the
    per-case report (the false kept and the missed raw line numbers)."""
    return precision_recall(cases, lambda case: evidence.view(source_of(case)))


def several_pages_of_a_site(cases: list[Case]) -> bool:
    """Whether a site of the group has enough pages for its lines to count as recurring."""
    pages = Counter(recurring.outlet_of(source_of(c)) for c in cases)
    return max(pages.values(), default=0) >= recurring.OUTLET_MIN_DOCUMENTS


GROUPS = sorted(p.name for p in CLEANING.iterdir() if p.is_dir() and any(p.glob("*.expected.json")))
# The groups with several pages of a site, cleaned with their sites' evidence. Floors, rounded down (a new such
# group must be given its own: test_every_group_with_several_pages_of_a_site_has_floors).
# heldout14: first contact (the cleaner of 9349176, before any change written against this set) 0.907 / 0.901;
# after the template crossheads and template keys (helper fix14): 0.9225 / 0.9291 (without evidence the set
# scores 0.650 / 0.936, first contact, unchanged).
# After the fix15 rules (list runs, advertisers' copy, crossheads equal to a menu label, a list closed by another
# heading, page marks, the veto retrained), written with heldout14's leftovers in view: 0.9521 / 0.9858.
# heldout16: first contact (blind) with the cleaner the fix14 helper left, 0.909 / 0.941 (the same with the
# cleaner of 5894fd7, before the heldout13 rules and fix14); without evidence 0.824 / 0.941 (FLOORS in test_clean);
# after the fix15 rules, written with this set in view (no longer blind): 0.9825 / 0.9941.
# heldout18: first contact (blind) with the cleaner the fix15 helper left, 0.894 / 0.800 (0.882 / 0.789 with the
# fix14 helper's); without evidence 0.784 / 0.800 (FLOORS in test_clean). One site's three pages lost most of their
# article (recall 0.22–0.29): a comments counter under the byline (« Commentaires (14) ») was read as the comment
# section's heading and cut the text under it. After the fix17 rules, written with this set in view (no longer
# blind): 1.000 / 1.000. The same rules raised heldout14 to 0.9653 / 0.9858 (the site's notes about itself, the
# house's voice).
# heldout19 (blind): first contact with the cleaner of 7dc419c (the fix15 round's rules), 0.928 / 0.934; without
# evidence 0.815 / 0.964 (FLOORS in test_clean): the evidence adds 0.11 precision and costs 0.03 recall (one page's
# four fact-box lines, h19d, removed only with the evidence; not word for word on the site's other pages). The same
# with the fix17 rules (written against heldout17/18 while this set was blind).
# After the fix19 rules (fact boxes of figures, bullets or fields, and a shared heading over them; the lines under
# the share or tags row and a site's agenda; shop lines; desk bylines; a one-line advert's label), written with this
# set in view (no longer blind): 1.000 / 1.000, and the same without the evidence. The same rules raised heldout14 to
# 0.9789 / 0.9858 and heldout16 to 1.000 / 0.9941 (the lines under the tags row, « Par Name, à City »).
# heldout21 (blind): first contact with the cleaner of 7dc419c, 0.885 / 0.993 (without evidence 0.775 / 0.993); with
# the fix17 rules 0.895 / 0.986 (the house-voice rule removes an article's closing line that plugs the shop's guide),
# with the fix19 rules 0.913 / 0.986. After the fix21 rules (a shop's product box inside the text — its priced rows,
# the heading the evidence kept as a template crosshead, the offer under them —, a byline with an in-house role, a
# video teaser; the closing plug kept), written with this set in view (no longer blind): 1.000 / 1.000, and the same
# without the evidence.
# heldout23 (blind): first contact with the cleaner of 5e5b438 (the fix17 round's rules), 0.923 / 0.986 (the same with
# 7dc419c's); without evidence 0.794 / 0.986. With the fix19 rules (written against heldout19/20 while this set was
# blind) 0.929 / 0.986; the same with the fix21 rules. After the fix23 rules, written with this set in view (no longer
# blind): 1.000 / 1.000, and the same without the evidence.
# heldout25 (blind): first contact with the cleaner of 8972c0d (the fix21 round's rules), 0.968 / 0.939 (the same with
# 7dc419c's); without evidence 0.876 / 0.939.
# heldout27 (blind): first contact with the cleaner of 32f6dfe (the fix21 round's rules), 0.988 / 0.879 (0.9877 /
# 0.8791); without evidence 0.735 / 0.945: the evidence takes off all but one of the furniture lines kept page by
# page, and costs 0.066 recall (article lines after a recurring box inside the text, on three pages).
# heldout25 and heldout27 with the fix23 rules (written against heldout23/24 while both were blind): unchanged with
# the evidence (0.968 / 0.939 and 0.988 / 0.879).
# With the fix25 rules (no longer blind): heldout25 1.000 / 0.9796; heldout27 0.9889 / 0.9780, the evidence's recall
# loss gone: on those pages the recurring footer, once removed, left the site's agenda inside the text for the
# article's end (corpus.closing_bars now removes an agenda with the text going on under it alone) and an interview's
# last question and the article's signature for footer lines (corpus.lines.text_at_foot).
# heldout29 (blind): first contact with the cleaner of 9dca699 (the fix23 round's rules), 0.875 / 0.860 (0.8750 /
# 0.8596); without evidence 0.877 / 0.877: the first set whose precision the evidence does not raise (its sites'
# furniture that the pages keep is on two pages of three, or changes from page to page: bylines, boxes), and it
# costs two lines (a title, a crosshead). With the fix25 rules (written against heldout25-28 while this set was
# blind) 0.8785 / 0.8246 (h29j's fact box under a « Lire aussi » line lost, as page by page). With the evidence fix
# (written against heldout31 while this set was blind) 0.8807 / 0.8421, as page by page: the two titles and the
# crosshead the evidence took are kept (titles 5 of 12 wrong with the evidence, as page by page; 7 before).
# heldout31 (blind): first contact with the cleaner of 045fb92 (the fix25 round's rules), 0.9405 / 0.8681 (the same
# with 9dca699's); without evidence 0.806 / 0.956. Every page's title is lost with the evidence (12 of 12 titles
# wrong, 4 page by page): each site's related lists name its other pages' titles, so every headline is on all three
# pages of its site and goes as a recurring line. Development data since the evidence fix (the page's own headline
# kept, corpus.recurring; a recurring line ends a list a menu word opened, corpus.layout): 0.9560 / 0.9560, 4 titles
# wrong with the evidence as page by page (first contact 0.9405 / 0.8681).
EVIDENCE_FLOORS = {
    "heldout14": (0.978, 0.985),
    "heldout16": (1.0, 0.994),
    "heldout18": (1.0, 1.0),
    "heldout19": (1.0, 1.0),
    "heldout21": (1.0, 1.0),
    "heldout23": (1.0, 1.0),
    "heldout25": (1.0, 0.979),
    "heldout27": (0.988, 0.978),
    "heldout29": (0.88, 0.842),
    "heldout31": (0.956, 0.956),
}
OTHER_GROUPS = [g for g in GROUPS if g not in EVIDENCE_FLOORS]


def test_every_group_with_several_pages_of_a_site_has_floors() -> None:
    assert {g for g in GROUPS if several_pages_of_a_site(load_cases(g))} == set(EVIDENCE_FLOORS)


@pytest.mark.parametrize("group", EVIDENCE_FLOORS)
def test_sites_pages_scored_with_their_sites_evidence(group: str) -> None:
    cases = load_cases(group)
    precision, recall, report = evidence_scores(cases, set_evidence(cases))
    print(f"\n{group} with its sites' evidence: precision={precision:.4f} recall={recall:.4f}\n" + "\n".join(report))
    assert precision >= EVIDENCE_FLOORS[group][0] and recall >= EVIDENCE_FLOORS[group][1], "\n".join(report)
    # the evidence does the work: without it the same pages score no higher (FLOORS in test_clean); since the fix17
    # rules heldout16 and heldout18 score the same without it (0.9825, 1.000: the site's notes about itself, which
    # only recurrence told before, are now read on each page); heldout14 still lower (0.7035 without it). Exceptions
    # are listed (strict: a listed group fails once the evidence stops lowering it): heldout29, blind, was one at first
    # contact (0.8750 against 0.8772 page by page: the evidence took two titles and a crosshead and no furniture line
    # the pages keep) until the evidence fix kept its pages' own headlines (0.8807 both ways).
    lowered = precision < precision_recall(cases)[0]
    assert lowered == (group in EVIDENCE_LOWERS_PRECISION)


EVIDENCE_LOWERS_PRECISION: frozenset[str] = frozenset()


HELDOUT14 = load_cases("heldout14")


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
    groups = {g: load_cases(g) for g in GROUPS}
    evidence = set_evidence([c for cases in groups.values() for c in cases])
    assert len(evidence.corpus_outlets) > 0  # lines that three outlets share are counted (« Publicité », …)
    for group, cases in groups.items():
        precision, recall, report = evidence_scores(cases, evidence)
        if group in EVIDENCE_FLOORS:
            floor = EVIDENCE_FLOORS[group]
            assert precision >= floor[0] and recall >= floor[1], f"{group}\n" + "\n".join(report)
        else:
            assert (precision, recall) == precision_recall(cases)[:2], f"{group}\n" + "\n".join(report)
