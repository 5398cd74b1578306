"""Cleaning: fixtures made by reading the articles, variants, normalisation, offsets, idempotence."""

from __future__ import annotations

import ast
import json
import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopnum.corpus import clean as clean_module
from coopnum.corpus.clean import clean_document
from coopnum.corpus.dates import parse_date
from coopnum.corpus.document import CleanDocument
from coopnum.corpus.features import is_prose
from coopnum.corpus.lines import split_lines
from coopnum.corpus.recurring import RecurringLines
from coopnum.errors import CleaningError
from coopnum.text.textmap import NBSP, is_invisible, normalise_line, text_of

from ..conftest import FIXTURES, REPO

CLEANING = FIXTURES / "cleaning"
SEED_FILES = sorted((REPO / "corpus" / "raw").glob("*.txt"))


@dataclass(frozen=True)
class Case:
    group: str  # seeds | synthetic | heldout
    raw: str
    expected: dict

    @property
    def name(self) -> str:
        return self.expected["doc_id"]


def load_cases(group: str) -> list[Case]:
    cases = []
    for exp_path in sorted((CLEANING / group).glob("*.expected.json")):
        expected = json.loads(exp_path.read_text(encoding="utf-8"))
        raw_path = (
            REPO / "corpus" / "raw" / expected["file"] if group == "seeds" else exp_path.parent / expected["file"]
        )
        cases.append(Case(group, raw_path.read_bytes().decode("utf-8"), expected))
    return cases


SEEDS = load_cases("seeds")
SYNTHETIC = load_cases("synthetic")
HELDOUT = load_cases("heldout") + load_cases("heldout2") + load_cases("heldout3")
ALL_CASES = SEEDS + SYNTHETIC + HELDOUT
# heldout4 states outlets in ways the metadata extraction does not follow yet (three wrong:
# an issuer, a co-credited agency, editors' initials), so the later sets join every test but
# the metadata one (which takes heldout5 and heldout6).
LATER = (
    load_cases("heldout4")
    + load_cases("heldout5")
    + load_cases("heldout6")
    + load_cases("heldout7")
    + load_cases("heldout8")
    + load_cases("heldout9")
    + load_cases("heldout10")
    + load_cases("heldout11")
    + load_cases("heldout12")
    + load_cases("heldout13")
    + load_cases("heldout15")
    + load_cases("heldout16")
    + load_cases("heldout17")
    + load_cases("heldout18")
    + load_cases("heldout19")
    + load_cases("heldout20")
    + load_cases("heldout21")
    + load_cases("heldout22")
    + load_cases("heldout23")
    + load_cases("heldout24")
    + load_cases("heldout25")
    + load_cases("heldout26")
    + load_cases("heldout27")
    + load_cases("heldout28")
)
EVERY_CASE = ALL_CASES + LATER
# The blind sets, scored at first contact only (FLOORS): in the structural tests, not the title test.
# heldout15 and heldout16 became development data (FLOORS, LATER) with the fix15 rules, as
# heldout13 before them.
# heldout17 and heldout18 became development data (FLOORS, LATER) with the fix17 rules.
# heldout19 (four sites × three pages and one page) and heldout20 (one page per site), written while the fix17
# helper took heldout17 and heldout18 as development data, are blind: scored at first contact with the cleaner
# of 7dc419c (the fix15 round's rules) before that round was merged, and again with it.
# heldout19 and heldout20 became development data (FLOORS, LATER) with the fix19 rules.
# heldout21 (four sites × three pages and one page) and heldout22 (one page per site) were written the same way and
# scored the same way.
# heldout23 (four sites × three pages and one page) and heldout24 (one page per site), written while the fix19 helper
# took heldout19 and heldout20 as development data: scored at first contact with the fix17 round's cleaner (5e5b438),
# and with the fix19 round's before it was merged.
# heldout21 and heldout22 became development data (FLOORS, LATER) with the fix21 rules.
# heldout25 (four sites × three pages) and heldout26 (one page per site), written at the end of the session of
# 2026-12-03 (third): scored at first contact with the fix21 round's cleaner (8972c0d).
# heldout23 and heldout24 became development data (FLOORS, LATER) with the fix23 rules.
# heldout27 (four sites × three pages) and heldout28 (one page per site), written at the start of the session of
# 2026-12-03 (fourth) while the fix23 helper took heldout23 and heldout24 as development data: scored at first
# contact with the cleaner of 32f6dfe (the fix21 round's rules, as 8972c0d's), and with the fix23 round's before it
# was merged.
# heldout25 to heldout28 became development data (FLOORS, LATER) with the fix25 rules.
# heldout29 (four sites × three pages) and heldout30 (one page per site), written at the start of the session of
# 2026-12-03 (fifth) while the fix25 helper took heldout25 to heldout28 as development data: scored at first contact
# with the cleaner of 9dca699 (the fix23 round's rules), and with the fix25 round's before it was merged.
# heldout31 (four sites × three pages) and heldout32 (one page per site), written in the same session after the fix25
# rules were merged: scored at first contact with the cleaner of 045fb92 (the fix25 round's rules).
BLIND: list[Case] = (
    load_cases("heldout29") + load_cases("heldout30") + load_cases("heldout31") + load_cases("heldout32")
)
# Scored with its sites' evidence only (tests/corpus/test_clean_evidence.py); here in the structural tests. Not in
# LATER: two of its titles are wrong without the evidence (h14e takes a rubric, « Études & données », for the title
# it does not have; h14l keeps the site's name after the title, « … | Stratèges »).
EVIDENCE_ONLY: list[Case] = load_cases("heldout14")


def norm(s: str) -> str:
    """A fixture line (raw, stripped) as the cleaner normalises it."""
    return text_of(normalise_line(s, 0, len(s)))


def line_scores(case: Case, recurring: RecurringLines | None = None) -> tuple[set[int], set[int]]:
    """(raw line numbers the cleaner kept, raw line numbers the fixture keeps); ``recurring``: the corpus evidence
    the case is cleaned with (none: one page alone, as most groups are scored)."""
    doc = clean_document(case.raw, case.name, recurring)
    return kept_line_numbers(doc), wanted_lines(case, doc)


def kept_line_numbers(doc: CleanDocument) -> set[int]:
    """The raw line numbers (1-based) the cleaner kept, whole or trimmed."""
    return {a.line for a in doc.audit if a.action in ("kept", "trimmed")}


def wanted_lines(case: Case, doc: CleanDocument) -> set[int]:
    """The raw line numbers the fixture keeps (its title and body lines found in the raw text, in order)."""
    raw_lines = [case.raw[s:e].strip() for s, e, _, _ in split_lines(case.raw)]
    kept = kept_line_numbers(doc)
    wanted: set[int] = set()
    expected = ([case.expected["title"]] if case.expected["title"] else []) + case.expected["body"]
    cursor = 0
    title = case.expected["title"]
    if title and doc.title is not None and kept:
        # a title the page repeats (a search result's or a contents entry's copy above the article's own): the
        # fixture gives the text, not which copy; the cleaner's title line counts when it holds that text
        first = min(kept) - 1
        if raw_lines[first] == title or raw_lines[first].endswith(title) or raw_lines[first].startswith(title):
            wanted.add(first + 1)
            cursor, expected = first + 1, expected[1:]
    for line in expected:  # in order, so a repeated line is matched to its own occurrence
        for i in range(cursor, len(raw_lines)):
            if raw_lines[i] == line or (
                # a stamp glued before or after the title: the fixture gives the title part only
                line == case.expected["title"] and (raw_lines[i].endswith(line) or raw_lines[i].startswith(line))
            ):
                wanted.add(i + 1)
                cursor = i + 1
                break
        else:
            raise AssertionError(f"{case.name}: fixture line not found in the raw text: {line[:80]!r}")
    return wanted


def precision_recall(
    cases: list[Case], evidence: Callable[[Case], RecurringLines] | None = None
) -> tuple[float, float, list[str]]:
    """Line precision and recall over the cases, and a report line per case (its false kept and missed raw
    line numbers); ``evidence`` gives each case the corpus evidence it is cleaned with (none by default)."""
    tp = fp = fn = 0
    report = []
    for case in cases:
        kept, wanted = line_scores(case, evidence(case) if evidence else None)
        c_tp, c_fp, c_fn = len(kept & wanted), len(kept - wanted), len(wanted - kept)
        tp, fp, fn = tp + c_tp, fp + c_fp, fn + c_fn
        report.append(
            f"  {case.group:9} {case.name:32} P={c_tp / max(1, c_tp + c_fp):.2f} R={c_tp / max(1, c_tp + c_fn):.2f}"
            f"  false kept {sorted(kept - wanted)} missed {sorted(wanted - kept)}"
        )
    return tp / max(1, tp + fp), tp / max(1, tp + fn), report


# Floors, not targets: the figures measured when each group was last scored (see
# tests/fixtures/cleaning/README.md for each group's first-contact figures, before any
# rule was written against it). A change that lowers one fails here.
FLOORS = {
    "seeds": (1.0, 1.0),
    "synthetic": (1.0, 1.0),
    "heldout": (1.0, 1.0),
    "heldout2": (1.0, 1.0),
    "heldout3": (1.0, 1.0),
    # first contact (blind) 0.745 / 0.911; after the rules written against it (no longer blind):
    "heldout4": (1.0, 1.0),
    # first contact (blind) 0.795 / 0.886; after the shape rules and the line veto (helper H5), written
    # with this set in view, so after-fix figures (no longer blind):
    "heldout5": (1.0, 1.0),
    # first contact (blind) 0.854 / 0.788 with H5's cleaner (0.757 / 0.837 with the cleaner of 3b9e638);
    # after wrapped paragraphs, fact boxes, sign-up boxes, site names and wording fixes (helper H7),
    # written with this set in view, so after-fix figures (no longer blind):
    "heldout6": (1.0, 1.0),
    # first contact (blind) 0.814 / 0.970 with H7's cleaner (0.662 / 0.990 with the cleaner of 3b9e638);
    # after ad blocks, image tables, top banners, initials signatures, speaker turns and wording fixes
    # (helper H9), written with this set in view, so after-fix figures (no longer blind): 0.943 / 1.000;
    # 0.952 / 1.000 since the heldout9 rules (an advert's second line under a sponsored label, a sales call)
    "heldout7": (0.95, 1.0),
    # first contact (blind) 0.786 / 0.931 with the cleaner H9 left (0.678 / 0.920 with the cleaner of
    # 3b9e638); after forum threads, player and interface controls, alt texts, Markdown markup, print
    # continuations and running heads (the cleaner fixer), written with this set in view, so after-fix
    # figures (no longer blind): 1.000 / 0.989 (one hashtag line the fixture keeps, h4a's removes)
    "heldout8": (1.0, 0.988),
    # first contact (blind) 0.741 / 0.906 with the cleaner the heldout8 fixer left (0.743 / 0.889 with the
    # cleaner of 94fe521, which heldout8 met); after feed dumps, wiki pages, copy notices (reader mode,
    # machine translation, OCR), archive toolbars, newsroom boxes, social-post lines and print page breaks
    # (the heldout9 fixer), written with this set in view, so after-fix figures (no longer blind): 1.000 / 1.000
    "heldout9": (1.0, 1.0),
    # first contact (blind), scored once by the lead with the cleaner the heldout9 fixer left: 0.685 / 0.957
    # (0.689 / 0.957 with the cleaner of fbbeb7d, before the heldout9 rules); after app shares, Q&A accordions,
    # fact-check widgets, repository records, event pages, portal and bulletin notices, ticker items, pull quotes
    # and interview speaker labels (the heldout10 fixer), written with this set in view, so after-fix figures
    # (no longer blind): 1.000 / 1.000
    "heldout10": (1.0, 1.0),
    # first contact (blind), scored once by the lead with the cleaner the heldout10 fixer left: 0.789 / 0.732
    # (0.744 / 0.732 with the cleaner of 4a401df, before the heldout10 rules); 0.798 / 0.740 and 0.752 / 0.740
    # with the repeated-title scorer below; after job postings' lists and
    # fields, pasted articles in threads, tables of contents, closing bios and thread, minutes and edition
    # notices (the heldout11 fixer), written with this set in view, so after-fix figures (no longer blind):
    # 0.992 / 0.992 (0.9919 / 0.9919)
    "heldout11": (0.991, 0.991),
    # first contact (blind), scored once by the lead with the cleaner the heldout11 fixer left: 0.694 / 0.894
    # (the same with the cleaner of 05af7a5, before the heldout11 rules); after Q&A answers, ticketing,
    # crowdfunding, review, museum, radio and open-data furniture and two no-title shapes (the heldout12 fixer),
    # written with this set in view, so after-fix figures (no longer blind): 0.984 / 0.962 (0.9845 / 0.9621)
    "heldout12": (0.984, 0.962),
    # first contact (blind), scored once by the lead with the cleaner the heldout12 fixer left: 0.736 / 0.944
    # (0.739 / 0.958 with the cleaner of 93b5b47, before the heldout12 rules); after worksheet, image-bank,
    # repost, satire, directory, poll, transcript and slideshow furniture and the veto retrained (the heldout13
    # fixer), written with this set in view, so after-fix figures (no longer blind): 0.986 / 1.000 (0.9861 / 1.0)
    "heldout13": (0.986, 1.0),
    # first contact (blind), scored by the lead with the cleaner the heldout13 fixer left: 0.703 / 0.867 (the same
    # with the cleaner of 5894fd7, before the heldout13 rules); after list runs, tables, advertisers' copy, counted
    # comment threads, page marks (counters, bracketed markers, another script's lines) and the veto retrained (the
    # fix15 helper), written with this set in view, so after-fix figures (no longer blind): 0.801 / 0.975
    # (0.8014 / 0.975); 0.8125 / 0.975 since the fix19 rules (the lines under an article's share or tags row)
    "heldout15": (0.812, 0.975),
    # first contact (blind), without the outlet evidence, with the heldout13 fixer's cleaner: 0.824 / 0.941 (0.795 /
    # 0.941 with the cleaner of 5894fd7); after the fix15 rules, no longer blind: 0.918 / 0.994 (0.918 / 0.9941);
    # after the fix17 rules (the site's notes about itself: its about box and letter, which only recurrence took
    # before) 0.9825 / 0.9941, as with its sites' evidence: tests/corpus/test_clean_evidence.py; 0.9941 / 0.9941
    # since the fix19 rules (the lines under the article's tags row: a « Le saviez-vous ? » box, the day's prices),
    # 1.000 / 0.9941 with « Par Name, à City » read as an author line
    "heldout16": (1.0, 0.994),
    # first contact (blind), with the fix15 helper's cleaner: 0.802 / 0.936 (0.813 / 0.949 with the cleaner before
    # that round, the fix14 helper's); after author lines, the site's notes about itself and offers, the house's
    # voice, credits rows, data lines and closing bios (helper fix17), written with this set in view, so after-fix figures (no
    # longer blind): 0.975 / 0.987 (0.9747 / 0.9872)
    "heldout17": (0.974, 0.987),
    # first contact (blind) without the outlet evidence, with the fix15 helper's cleaner: 0.784 / 0.800 (0.773 / 0.789
    # with the fix14 helper's); after the fix17 rules (a comments counter under the byline no longer cuts the
    # article; a masthead's tagline is no title), no longer blind: 1.000 / 1.000; with its sites' evidence:
    # tests/corpus/test_clean_evidence.py
    "heldout18": (1.0, 1.0),
    # first contact (blind) without the outlet evidence, with the cleaner of 7dc419c (the fix15 round's rules): 0.815 /
    # 0.964; with the fix17 rules (written against heldout17/18 while this set was blind) 0.835 / 0.964; after fact
    # boxes of figures, bullets and fields, the lines under the share or tags row and an agenda, shop lines, the
    # site's account and legal notices, a one-line advert's label, desk bylines (helper fix19), written with this
    # set in view, so after-fix figures (no longer blind): 1.000 / 1.000; with its sites' evidence the same:
    # tests/corpus/test_clean_evidence.py
    "heldout19": (1.0, 1.0),
    # first contact (blind), with the cleaner of 7dc419c (one page per site): 0.833 / 0.946; with the fix17 rules
    # 0.862 / 0.955; after the fix19 rules (also a letter's salutation and closing formula, a heading over the text's
    # numbered list), no longer blind: 0.974 / 1.000 (0.9737 / 1.0)
    "heldout20": (0.973, 1.0),
    # blind, first contact without the outlet evidence, with the cleaner of 7dc419c: 0.775 / 0.993; with the fix17
    # rules 0.825 / 0.986, with the fix19 rules 0.901 / 0.986; 0.913 / 0.986 since the lead's fix of an idempotence
    # failure this set's h21h showed (the author box read again after the closing-bar cut: two lines of h21h), so this
    # set is no longer blind to that one change; after the fix21 rules (a shop's product box, its promises row, a
    # byline with an in-house role, a video teaser, a house-voice plug after a sentence pointing back kept), no longer
    # blind: 1.000 / 1.000; with its sites' evidence: tests/corpus/test_clean_evidence.py
    "heldout21": (1.0, 1.0),
    # blind, first contact, with the cleaner of 7dc419c (one page per site): 0.821 / 0.969; with the fix17 rules
    # 0.827 / 0.969, with the fix19 rules 0.849 / 0.969; after the fix21 rules (the site's promotions and disclaimer,
    # a price list's row, a rubric's reading time, a writer named for the publication; a dateline, a numbered step
    # and a heading over dashed items said to the reader kept), no longer blind: 0.895 / 1.000 (0.8951 / 1.0);
    # with the fix25 rules (the site's lines left in its footer: a season box's heading) 0.948 / 1.000 (0.9481 / 1.0)
    "heldout22": (0.948, 1.0),
    # blind, first contact without the outlet evidence, with the cleaner of 5e5b438 (the fix17 round's rules): 0.794 /
    # 0.986 (0.777 / 0.986 with 7dc419c's); with the fix19 rules 0.817 / 0.986, with the fix21 rules 0.822 / 0.986;
    # after the fix23 rules (teasers, calls and notices of the site, a members' menu, a rubric's path, an acronym's
    # masthead, a question headline, a dateline closed by a dash, a whole advert on its label's line, a related list
    # holding the page's title), no longer blind: 1.000 / 1.000; with its sites' evidence:
    # tests/corpus/test_clean_evidence.py
    "heldout23": (1.0, 1.0),
    # blind, first contact, with the cleaner of 5e5b438 (one page per site): 0.698 / 0.957 (0.695 / 0.968 with
    # 7dc419c's); the same with the fix19 rules; 0.705 / 0.968 with the fix21 rules; after the fix23 rules (the
    # site's calls, notices and events, a letter's other sections, a wiki talk page, a post's stamp, a masthead
    # person's bio; a newsroom's follow-up promise kept), no longer blind: 0.959 / 1.000 (0.9592 / 1.0)
    "heldout24": (0.959, 1.0),
    # blind, first contact without the outlet evidence, with the cleaner of 8972c0d (the fix21 round's rules): 0.876 /
    # 0.939 (0.779 / 0.969 with 7dc419c's); with the fix23 rules (written against heldout23/24 while this set was
    # blind) 0.893 / 0.939 (0.8932 / 0.9388); after the fix25 rules (the site's lines left in its footer, closing bios
    # by a written-by byline, a stamp's author or a career, a fact box's dated field, a site name from its copyright
    # line), no longer blind: 0.989 / 0.979 (0.9897 / 0.9796); with its sites' evidence:
    # tests/corpus/test_clean_evidence.py
    "heldout25": (0.989, 0.979),
    # blind, first contact, with the cleaner of 8972c0d (one page per site): 0.827 / 0.957 (0.798 / 0.957 with
    # 7dc419c's); with the fix23 rules 0.859 / 0.957 (0.8590 / 0.9571); after the fix25 rules (a rating line, an
    # offer's small print, a site name from its copyright line, an update's lead-in kept), no longer blind: 0.894 /
    # 0.971 (0.8947 / 0.9714)
    "heldout26": (0.894, 0.971),
    # blind, first contact without the outlet evidence, with the cleaner of 32f6dfe (the fix21 round's rules): 0.735 /
    # 0.945 (0.7350 / 0.9451); with the fix23 rules 0.754 / 0.945 (0.7544 / 0.9451); with its sites' evidence:
    # tests/corpus/test_clean_evidence.py; after the fix25 rules (the site's lines left in its footer, an agenda inside
    # the text, a drop-down control, a prose line opening on « Publié dans le cadre … », a crosshead said to the
    # reader, an interview's last question and a signature at the foot kept), no longer blind: 0.988 / 0.978 (0.9889 /
    # 0.9780)
    "heldout27": (0.988, 0.978),
    # blind, first contact, with the cleaner of 32f6dfe (one page per site): 0.915 / 0.977 (0.9149 / 0.9773); with the
    # fix23 rules 0.935 / 0.977 (0.9348 / 0.9773); after the fix25 rules (a menu entry repeated above the text, a
    # date and rubric stamp, closing bios by a career, a « Name — le blog » masthead), no longer blind: 0.977 / 0.988
    # (0.9775 / 0.9886)
    "heldout28": (0.977, 0.988),
    # blind, first contact without the outlet evidence, with the cleaner of 9dca699 (the fix23 round's rules): 0.877 /
    # 0.877 (0.8772 / 0.8772); with the fix25 rules (written against heldout25-28 while this set was blind) 0.881 /
    # 0.842 (0.8807 / 0.8421: a fact box under a « Lire aussi » line, h29j 17-20, now read as the closing headlines
    # once the author's bio under it is removed); with its sites' evidence: tests/corpus/test_clean_evidence.py
    "heldout29": (0.88, 0.842),
    # blind, first contact, with the cleaner of 9dca699 (one page per site): 0.846 / 0.967 (0.8462 / 0.9670); the same
    # with the fix25 rules
    "heldout30": (0.846, 0.967),
    # blind, first contact without the outlet evidence, with the cleaner of 045fb92 (the fix25 round's rules): 0.806 /
    # 0.956 (0.8056 / 0.9560; the same with 9dca699's); with its sites' evidence: tests/corpus/test_clean_evidence.py
    "heldout31": (0.805, 0.956),
    # blind, first contact, with the cleaner of 045fb92 (one page per site): 0.962 / 0.974 (0.9620 / 0.9744; 0.9500 /
    # 0.9744 with 9dca699's): the first set met at ≥ 0.95 / 0.95
    "heldout32": (0.962, 0.974),
}


@pytest.mark.parametrize("group", FLOORS)
def test_body_lines_precision_recall(group: str) -> None:
    cases = load_cases(group)
    assert cases, f"no {group} fixtures"
    precision, recall, report = precision_recall(cases)
    print(f"\ncleaner vs {group} fixture: precision={precision:.3f} recall={recall:.3f}\n" + "\n".join(report))
    min_precision, min_recall = FLOORS[group]
    assert precision >= min_precision and recall >= min_recall, "\n".join(report)


# Titles still wrong (heldout7): a channel's name with its tagline taken for the title of a post that
# has none, and an e-mail's subject line (« Objet : n° 87 — Title ») whose title is only its end;
# (heldout8) a social post's first line (a headline-shaped sentence) taken for the title it does not have;
# (heldout10) a fact-check page with no title line whose first crosshead (« Ce qui circule », 3 words, prose
# right under it) is taken for the title: nothing in its shape tells it from a short headline; (heldout12, which
# joined this test when it was fixed) a ticketing page's venue line (« Hall name, City 11e ») under the event's
# title taken for it (its review whose title is a 12-word question, read as prose, is right since the fix23 round:
# a short question over its lead with no other title candidate above it is the headline, corpus.item_runs), and a note's « [Télégramme] » flair that the fixture keeps on the title but the flair rule trims; (heldout15, which
# joined this test when it was fixed) a parish bulletin whose article is its third section (« HORAIRES DES MESSES »,
# its first section's heading, is taken for the title of the whole sheet), and a statistics bulletin whose article's
# title sits under a contents entry (« 3. FOCUS ») and is removed as that list's item (its banner is taken instead).
# (heldout17, which joined this test when it was fixed) a news quiz whose article is the answer's explanation under
# the question (the quiz's own name, « Le Quiz de … — semaine 47 », is taken for the title).
# (heldout22, which joined this test when it was fixed) a pet-food blog's page with no title line: the site's name
# and tagline on the first line (« Name – Alimentation naturelle pour … ») is taken for the title.
KNOWN_WRONG_TITLES = frozenset(
    {
        "h7b_rusafritech_senegal_cyber",
        "h7h_eurasienum_lettre_tachkent",
        "h8b_reseaupro_cybersecurite",
        "h10a_faitsetpreuves_indonesie",
        "h12c_billetnet_paiementsinde",
        "h12i_observatoiredessuds_paiementsbresil",
        "h15e_feuillesaintremi_mongolie",
        "h15j_douanesstats_cotedivoire",
        "h17f_quiz_actu_vietnam",
        "h22e_crocnature_couloirnumerique",
        # heldout25 to heldout28 (fix25): a capitalised tagline under the masthead taken for the title of a page
        # that has none (h25c, « La lettre des métiers du vin … »; right with its sites' evidence); the headline
        # removed as a header label and the dateline under the stamp, « LE CAIRE – », taken for it (h25h); a site's
        # name, its copyright line naming another body, taken for the title over the real one (h26f)
        "h25c_vinoscope_afriquesud",
        "h25h_alizes_egypte",
        "h26f_valdorge_dechets",
    }
)


def test_title_matches_fixture() -> None:
    wrong = set()
    for case in EVERY_CASE:
        doc = clean_document(case.raw, case.name)
        want = case.expected["title"]
        if doc.title != (norm(want) if want else None):
            wrong.add(case.name)
    assert wrong == KNOWN_WRONG_TITLES  # a newly right one is struck off the list, a newly wrong one fails


def test_extracted_metadata_is_never_wrong() -> None:
    """Outlet and date come out only when stated; a value that comes out is the fixture's."""
    found = stated = 0
    for case in (
        ALL_CASES
        + load_cases("heldout5")
        + load_cases("heldout6")
        + load_cases("heldout8")
        + load_cases("heldout9")
        + load_cases("heldout10")
        + load_cases("heldout18")
        + load_cases("heldout19")
        + load_cases("heldout24")
        # heldout11 is not here: one value comes out wrong (a stock-exchange page's date taken from the stamp of an
        # older release listed under the announcement: keeping stamps after the last prose line out lost two right
        # dates elsewhere, h6g's and h10a's); the issuer's legal form once kept on its name (« … PJSC ») is fixed;
        # heldout12 and heldout13 are not here either: four heldout13 outlets come out wrong (a reposting page's
        # own name for the reposted article's outlet, twice; a trade fair's company for the fair; an « AGENDA »
        # heading taken for an agency signature); nor heldout15 and heldout16: an observatory's acronym for its
        # name (h15g « OCL »), a site's masthead with its tagline or company for its name (h16 « WariTech Média »,
        # « ArenaPulse – Pixel Rivière SARL » where the fixtures give « WariTech », « ArenaPulse »); nor heldout17
        # (four values wrong: a consulate's © footer naming it shorter than its masthead, an « AGENDA » heading taken
        # for an agency signature, a bank's name without its research unit, an update stamp's date where the
        # publication date opens the lead « Le 2 octobre 2025 — … »). heldout18 is here: six of its outlets are
        # not extracted, none wrong; heldout19 too (eleven values not extracted, none wrong); not heldout20 (two
        # outlets wrong: a garden centre's company for the name of its letter, an association's acronym without
        # the name that follows it); heldout24 is here (seven values not extracted, none wrong); not heldout23 (six
        # outlets wrong: an institution's full name where the fixtures give its acronym, « CFUN », and a review's
        # publisher company, « Lignes & Territoires », for the review, « Tracés »)
    ):
        doc = clean_document(case.raw, case.name)
        for field in ("outlet", "date"):
            value, want = getattr(doc, field), case.expected[field]
            stated += want is not None
            if value is not None:
                assert value == want, (case.name, field, value, want)
                found += 1
    print(f"\nmetadata: {found} of {stated} stated outlets/dates extracted, none wrong")
    # Not extracted (the text states them only through page furniture): the Sputnik outlet
    # (a comment widget), a blog's name in its header, a state outlet's name in its header,
    # two heldout5 outlets (a bare « © Name 2024 » footer, an institution's header line), and in
    # heldout6 a ministry's and a state outlet's names in header lines and the date of a note
    # without a title (its stamp is in the header, where a top bar's date is today's); in heldout8 an
    # e-paper's name, stated only in capitals (« LE PHARE DU SAHEL »); in heldout9 four outlets stated only in a
    # field stamp, a header line, a © glued to a link row or a « © Name 2023. … » notice, a release's date in the
    # dateline that opens its lead, and an archived page's month in a rubric row (« Avril 2021 | Télécoms »); in
    # heldout10 six outlets stated only in a header line (an app's share header, an embassy's, a repository's, a
    # channel's, a blog's, a TV site's: the blog's © names its author, the embassy's © has no year) and three dates (a
    # bulletin's month in its header, a news stamp above the title, a transcript's header stamp); in heldout18 six
    # outlets stated only by a masthead in capitals over a tagline (« SCIENCE VIVE », « ESCALES & QUAIS ») and
    # by the site's notes about itself, on two sites' three pages each; in heldout19 seven outlets (two sites' masthead
    # over a tagline on their three pages each, a trade letter's masthead glued to its tagline) and four dates (a
    # stamp read as a ticker, « Publié le … · Mis à jour le … · Par … »; a stamp on a page with no title; a month
    # alone, « Mai 2026 · … »; a weekday date in the top bar, « Jeudi 27 novembre 2025 »); in heldout24 five outlets
    # (four sites' names stated only in a masthead or a footer address row, a pasted article's outlet in its stamp)
    # and two dates (a letter's month in its masthead, a « Le 22/01/2025 » stamp on a page with no title). Since the
    # fix23 round heldout10's news stamp right above the title gives its date (40 before heldout24 joined).
    assert found >= stated - 47


def cleaner_module_files() -> list[Path]:
    """The cleaner's source files: ``corpus/clean.py`` and every ``coopnum.corpus`` module it
    imports, directly or through another (so a module split off later is scanned too)."""
    package = Path(clean_module.__file__).parent
    seen: list[Path] = []
    todo = [Path(clean_module.__file__)]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.append(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                if name.startswith("coopnum.corpus."):
                    target = package / (name.removeprefix("coopnum.corpus.").replace(".", "/") + ".py")
                    if target.is_file():
                        todo.append(target)
    return sorted(seen)


def test_the_source_scan_follows_the_cleaners_imports() -> None:
    names = {p.name for p in cleaner_module_files()}
    assert {"clean.py", "rules.py", "layout.py", "dates.py", "features.py"} <= names, names


def test_no_rule_names_a_seed_sentence() -> None:
    """Rules are general: the cleaner's source holds no whole seed line of five words or more."""
    for module in cleaner_module_files():
        source = module.read_text(encoding="utf-8")
        for path in SEED_FILES:
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if len(line.split()) >= 5:
                    assert line not in source, f"{module.name}: a rule names the seed line {line[:60]!r} ({path.name})"
        assert not re.search(r"[0-9a-f]{16}", source), f"{module.name}: a rule names a document id"


# ------------------------------------------------------------------ variants of the seeds


def body_of(doc: CleanDocument) -> tuple[str, tuple[str, ...]]:
    return doc.text, tuple(p.kind for p in doc.paragraphs)


def lines_of(raw: str) -> list[str]:
    return raw.split("\n")


def removed_positions(raw: str, doc_id: str) -> tuple[list[int], int, int]:
    doc = clean_document(raw, doc_id)
    kept = [a.line - 1 for a in doc.audit if a.action in ("kept", "trimmed")]
    removed = [a.line - 1 for a in doc.audit if a.action == "removed"]
    return removed, kept[0], kept[-1]


def variant_crlf(raw: str, doc_id: str) -> str:
    return raw.replace("\n", "\r\n")


def variant_bom(raw: str, doc_id: str) -> str:
    return "\ufeff" + raw


def variant_nbsp(raw: str, doc_id: str) -> str:
    """Every third space between two letters becomes a no-break space."""
    count = 0

    def swap(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return m[1] + (NBSP if count % 3 == 0 else " ") + m[2]

    return re.sub(r"(\w) (\w)", swap, raw)


def variant_zero_width_and_nfd(raw: str, doc_id: str) -> str:
    """Decomposed accents and zero-width spaces inside words."""
    return unicodedata.normalize("NFD", raw).replace("tion", "ti\u200bon")


def variant_duplicated_boilerplate(raw: str, doc_id: str) -> str:
    removed, _, _ = removed_positions(raw, doc_id)
    out = []
    for i, line in enumerate(lines_of(raw)):
        out.append(line)
        if i in removed:
            out.append(line)
    return "\n".join(out)


def variant_reordered_boilerplate(raw: str, doc_id: str) -> str:
    """Header boilerplate in reverse order; footer blocks (split at blank lines) in reverse order."""
    lines = lines_of(raw)
    removed, first_kept, last_kept = removed_positions(raw, doc_id)
    head = [i for i in removed if i < first_kept]
    head_lines = [lines[i] for i in head][::-1]
    for i, line in zip(head, head_lines, strict=True):
        lines[i] = line
    footer = lines[last_kept + 1 :]
    blocks: list[list[str]] = [[]]
    for line in footer:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    reordered = [line for block in reversed(blocks) for line in [*block, ""]]
    return "\n".join(lines[: last_kept + 1] + reordered)


OTHER_HEADLINES = [
    "Le port de Tanger Med bat un nouveau record de conteneurs",
    "Météo : vague de chaleur attendue sur le centre du pays",
    "Football : le club local se qualifie pour la finale",
    "Un nouveau pont inauguré sur le fleuve Sebou",
    "La banque centrale maintient son taux directeur",
    "Festival de musique : le programme dévoilé",
]


def variant_other_ticker(raw: str, doc_id: str) -> str:
    """Headline tickers carry other headlines, joined by another separator."""
    doc = clean_document(raw, doc_id)
    lines = lines_of(raw)
    for a in doc.audit:
        if a.rule == "ticker":
            lines[a.line - 1] = " \u00a0•\u00a0 ".join(OTHER_HEADLINES * 3)
    return "\n".join(lines)


def variant_no_blank_lines(raw: str, doc_id: str) -> str:
    """Every blank line dropped: a scrape that puts none between the title, captions, lists and text."""
    return "\n".join(line for line in lines_of(raw) if line.strip())


VARIANTS = [
    variant_crlf,
    variant_bom,
    variant_nbsp,
    variant_zero_width_and_nfd,
    variant_duplicated_boilerplate,
    variant_reordered_boilerplate,
    variant_other_ticker,
    variant_no_blank_lines,
]


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.__name__)
@pytest.mark.parametrize("case", SEEDS + SYNTHETIC, ids=lambda c: c.name)
def test_variant_cleans_to_the_same_text(case: Case, variant) -> None:
    original = clean_document(case.raw, case.name)
    changed_raw = variant(case.raw, case.name)
    changed = clean_document(changed_raw, case.name)
    assert body_of(changed) == body_of(original)
    assert changed.title == original.title
    assert_maps_back(changed, changed_raw)


# h22g (a theatre's page, a blank line between all its lines): its season box's heading (« À l’affiche cette
# saison », furniture in the fixture) is kept with the blank lines and removed without them, with the cleaner before
# the fix21 rules too (found when heldout22 joined LATER); strict, so the test fails once the two agree. Since the
# fix25 rules the two agree (the footer-island rule removes the heading either way). h25h (a language school's
# blog, heldout25, joined LATER with the fix25 rules): with its blank lines the headline is removed as a header label
# and the dateline « LE CAIRE – » under the stamp taken for the title, without them the headline is the title (the
# same with the cleaner before fix25).
NO_BLANK_DIFFERS = frozenset({"h25h_alizes_egypte"})


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            c,
            marks=pytest.mark.xfail(strict=True, reason="cleans otherwise without its blank lines (NO_BLANK_DIFFERS)"),
        )
        if c.name in NO_BLANK_DIFFERS
        else c
        for c in HELDOUT + LATER
    ],
    ids=lambda c: c.name,
)
def test_without_blank_lines_every_set_cleans_to_the_same_text(case: Case) -> None:
    """No line touches another only because a page sets no blank line (a caption rule took titles)."""
    original = clean_document(case.raw, case.name)
    changed = clean_document(variant_no_blank_lines(case.raw, case.name), case.name)
    assert (body_of(changed), changed.title) == (body_of(original), original.title)


def test_ticker_variant_really_changes_the_ticker() -> None:
    seed = next(c for c in SEEDS if any(a.rule == "ticker" for a in clean_document(c.raw, c.name).audit))
    assert OTHER_HEADLINES[0] in variant_other_ticker(seed.raw, seed.name)


# ------------------------------------------------------------------ offsets, idempotence, determinism


def assert_maps_back(doc: CleanDocument, raw: str) -> None:
    """Every clean character maps to raw characters that normalise to it."""
    covered = 0
    for seg in doc.offset_map.segments:
        assert seg.clean_start == covered
        covered = seg.clean_end
        clean_part = doc.text[seg.clean_start : seg.clean_end]
        raw_part = raw[seg.raw_start : seg.raw_end]
        if seg.one_to_one:
            for c, r in zip(clean_part, raw_part, strict=True):
                same = c == r or (c in " \u00a0" and r.isspace()) or (c == "\n" and r in "\r\n")
                assert same, (doc.doc_id, seg, c, r)
        else:
            visible = "".join(ch for ch in raw_part if not is_invisible(ch) or ch in "\r\n")
            if visible.strip() == "":  # a whitespace run (invisible characters inside it dropped)
                assert clean_part in (" ", NBSP, "\n"), (doc.doc_id, seg)
            else:
                assert unicodedata.normalize("NFC", visible) == clean_part, (doc.doc_id, seg)
    assert covered == len(doc.text)
    for i in range(len(doc.text)):  # the per-character API agrees with the segments
        rs, re_ = doc.offset_map.raw_span(i, i + 1)
        assert 0 <= rs < re_ <= len(raw)


@pytest.mark.parametrize("case", EVERY_CASE + BLIND + EVIDENCE_ONLY, ids=lambda c: c.name)
def test_offset_map_leads_back_to_the_raw_text(case: Case) -> None:
    assert_maps_back(clean_document(case.raw, case.name), case.raw)


@pytest.mark.parametrize("case", EVERY_CASE + BLIND + EVIDENCE_ONLY, ids=lambda c: c.name)
def test_cleaning_is_idempotent(case: Case) -> None:
    once = clean_document(case.raw, case.name)
    twice = clean_document(once.text, case.name)
    assert twice.text == once.text
    assert twice.paragraphs == once.paragraphs
    assert twice.title == once.title


@pytest.mark.parametrize("case", SEEDS, ids=lambda c: c.name)
def test_cleaning_is_deterministic(case: Case) -> None:
    assert clean_document(case.raw, case.name) == clean_document(case.raw, case.name)


@pytest.mark.parametrize("case", EVERY_CASE + BLIND + EVIDENCE_ONLY, ids=lambda c: c.name)
def test_paragraphs_tile_the_text(case: Case) -> None:
    doc = clean_document(case.raw, case.name)
    assert "\n".join(doc.text[p.start : p.end] for p in doc.paragraphs) == doc.text
    for p in doc.paragraphs:
        part = doc.text[p.start : p.end]
        assert part and part == part.strip() and "\n" not in part
    assert [p.kind for p in doc.paragraphs].count("title") == (1 if doc.title else 0)
    if doc.title:
        assert doc.paragraphs[0].kind == "title" and doc.text[: doc.paragraphs[0].end] == doc.title


def test_every_raw_line_has_one_audit_record() -> None:
    for case in EVERY_CASE + BLIND + EVIDENCE_ONLY:
        doc = clean_document(case.raw, case.name)
        assert [a.line for a in doc.audit] == list(range(1, len(split_lines(case.raw)) + 1))
        rule_names = {r.name for r in clean_module.RULES}
        for a in doc.audit:
            assert a.action in ("kept", "trimmed", "removed", "blank")
            assert (a.rule in rule_names) if a.action in ("removed", "trimmed", "blank") else a.rule is None


def test_interview_questions_are_kept_as_questions() -> None:
    doc = clean_document(next(c for c in SEEDS if c.name == "efbc0e0d779ac531").raw, "efbc0e0d779ac531")
    questions = [doc.text[p.start : p.end] for p in doc.paragraphs if p.kind == "question"]
    assert len(questions) == 5 and all(q.endswith("?") for q in questions)


# ------------------------------------------------------------------ normalisation


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("a  b", "a b"),
        ("a\u00a0b", "a b"),  # no-break space between words becomes a space
        ("salon ?", "salon\u00a0?"),  # before ? ! : ; » it becomes (or stays) a no-break space
        ("salon\u202f:", "salon\u00a0:"),
        ("« bonjour »", "«\u00a0bonjour\u00a0»"),
        ("salon?", "salon?"),  # never inserted
        ("  indenté\t", "indenté"),
        ("e\u0301te\u0301", "été"),  # NFC
        ("zé\u200bro\u00ad", "zéro"),  # zero-width and soft hyphen removed
        ("l’État", "l’État"),  # apostrophes kept as written
        ("a\x07b", "ab"),  # control characters removed
        ("\u202bمرحبا\u202c", "مرحبا"),  # bidi controls removed, right-to-left letters kept
        ("emoji 😀 ok", "emoji 😀 ok"),  # outside the BMP, kept
    ],
)
def test_normalisation(raw: str, clean: str) -> None:
    assert norm(raw) == clean


@pytest.mark.parametrize(
    "text,date",
    [
        ("Publié dans L'opinion le 01 - 04 - 2025", "2025-04-01"),
        ("date 2024-04", "2024-04"),
        ("Publié le 1er mars 2024 à 10h", "2024-03-01"),
        ("le 9 février 2025", "2025-02-09"),
        ("Dernière mise à jour à 13h34 le 19/06", None),  # no year: no date
        ("31/02/2024", None),  # no such day
    ],
)
def test_parse_date(text: str, date: str | None) -> None:
    assert parse_date(text) == date


def test_prose_feature() -> None:
    assert is_prose("Il a précisé que des rencontres avec les représentants du monde des affaires avaient lieu.")
    assert not is_prose("Oui, Moscou pourrait ouvrir son marché aux géants de la technologie, mais à une condition…")


def test_a_document_of_boilerplate_only_is_an_error() -> None:
    with pytest.raises(CleaningError) as e:
        clean_document("Partager\nImprimer\n6220\n", "0000000000000000")
    assert e.value.doc_id == "0000000000000000" and e.value.field == "text"


# ------------------------------------------------------------------ properties

LINE = st.lists(
    st.sampled_from(
        [
            "Moscou",
            "la",
            "Russie",
            "coopère",
            "numérique",
            ".",
            "?",
            ":",
            "»",
            "«",
            "Lire aussi",
            "Tags:",
            "date",
            "2024-04",
            "©",
            ">>",
            "\u00a0",
            "\u200b",
            "e\u0301",
            "😀",
            "(30)",
            "VNA/CVN",
            "Partager",
            "\t",
            "  ",
        ]
    ),
    max_size=30,
).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, min_size=1, max_size=12).map("\n".join))
def test_property_cleaning_is_idempotent_and_maps_back(raw: str) -> None:
    try:
        once = clean_document(raw, "0000000000000000")
    except CleaningError:
        return
    assert_maps_back(once, raw)
    twice = clean_document(once.text, "0000000000000000")
    assert (twice.text, twice.paragraphs) == (once.text, once.paragraphs)


def test_random_seeded_shuffle_of_body_keeps_every_paragraph() -> None:
    """Body paragraphs in another order are all kept: no rule depends on a paragraph's position."""
    case = next(c for c in SEEDS if c.name == "e80b6e8af8c7752b")  # a scrape with no boilerplate
    lines = lines_of(case.raw)
    random.Random(7).shuffle(lines)
    doc = clean_document("\n".join(lines), case.name)
    assert sorted(doc.text.split("\n")) == sorted(norm(x) for x in lines if x.strip())


def test_the_fast_path_gives_what_the_character_path_gives() -> None:
    """normalise_line's shortcuts (one piece; whitespace runs) change nothing."""
    from coopnum.text.textmap import OffsetMap, drop_invisible, nfc, normalise_line, normalise_space, pieces_of

    lines = runs = 0
    for case in ALL_CASES:
        for s, e, _, _ in split_lines(case.raw):
            fast = normalise_line(case.raw, s, e)
            slow = normalise_space(nfc(drop_invisible(pieces_of(case.raw, s, e))))
            assert text_of(fast) == text_of(slow)
            if slow:
                assert OffsetMap.from_pieces(fast, case.raw) == OffsetMap.from_pieces(slow, case.raw)
            lines += len(fast) == 1 and len(slow) > 1
            runs += 1 < len(fast) < len(slow)
    assert lines > 100  # the one-piece shortcut is really taken
    assert runs > 20  # and the whitespace-run one


@given(
    st.lists(
        st.sampled_from(
            ["a", "é", "e\u0301", " ", "  ", "\u00a0", "\t", ":", "?", "«", "»", "\u200b", "\x85", "\u2009"]
        ),
        max_size=30,
    ).map("".join)
)
def test_normalise_line_shortcuts_agree_with_the_character_path_on_any_line(line: str) -> None:
    from coopnum.text.textmap import OffsetMap, drop_invisible, nfc, normalise_space, pieces_of

    fast = normalise_line(line, 0, len(line))
    slow = normalise_space(nfc(drop_invisible(pieces_of(line, 0, len(line)))))
    assert text_of(fast) == text_of(slow)
    assert OffsetMap.from_pieces(fast, line) == OffsetMap.from_pieces(slow, line)


def test_committed_seed_texts_do_not_change_with_the_corpus_evidence() -> None:
    """The gold annotations' offsets depend on the seeds' clean text: the corpus pass changes none."""
    from coopnum.corpus import recurring, sources

    corpus_dir = REPO / "corpus"
    records = sources.list_corpus(corpus_dir)
    evidence = recurring.of_corpus(corpus_dir, records, 1)
    for s in records:
        raw = sources.read_raw(corpus_dir, s).text
        assert clean_document(raw, s.doc_id, evidence.view(s)) == clean_document(raw, s.doc_id), s.doc_id


def test_the_rest_of_a_trimmed_line_is_judged_by_every_rule() -> None:
    """A date stamp trimmed off a line leaves a related-articles heading, removed at once (found by
    the property test: the second cleaning removed it, so cleaning was not idempotent)."""
    with pytest.raises(CleaningError):
        clean_document("date 2024-04 Lire aussi Moscou", "0000000000000000")


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("#Russie #Mali #numérique", "hashtag_line"),
        ("Temps de lecture: 4 min.", "reading_time"),
        ("Article réservé aux abonnés. Offre découverte: 1 mois pour CHF 1.–", "paywall"),
        ("Ce contenu a été produit avec le soutien financier de l’Initiative de journalisme local.", "funding_notice"),
        ("L’agence décline toute responsabilité quant au contenu des communiqués diffusés.", "funding_notice"),
        ("Vous avez aimé cet article ? Partagez-le ! Facebook · LinkedIn", "share_prompt"),
        ("Par Thomas Lambert (avec Belga)", "byline"),
        ("Voir la version originale sur exemple.example", "source_link"),
        ("Un panneau devant le bâtiment de l’agence. (Jeanne Roy/Le Journal)", "photo_caption"),
        ("À propos de TeleSoft", "about_heading"),
    ],
)
def test_boilerplate_kinds_met_in_heldout4(line: str, rule: str) -> None:
    body = "Le ministère a présenté mardi une plateforme conçue avec des partenaires étrangers pour les écoles."
    doc = clean_document(f"{body}\n{line}\n{body}\n", "0000000000000000")
    assert [a.rule for a in doc.audit if a.line == 2] == [rule]
