"""Cleaning the clean text again gives it back (issue #14): a rule that reads the layout (the header, the title,
the wrapped paragraphs) reads it without the lines a later rule removes, since the clean text, cleaned again, holds
none of them: the running heads, found once the title is known, and the lines cut under a closing bar."""

from __future__ import annotations

import pytest

from coopnum.corpus.clean import clean_document
from coopnum.corpus.document import CleanDocument

from .rule_lines import DOC
from .test_clean_rules8 import BODY, BODY2, TITLE  # the invented page of the rule tests

# Hypothesis's input (issue #14): the last line repeats the label above the title, and while it was there it
# closed the long line into a wrapped prose paragraph, so the header ended above that line.
HYPOTHESIS_INPUT = (
    "Moscou .\nMoscou Moscou Moscou\nMoscou Moscou Moscou Moscou Moscou Moscou Moscou Moscou Moscou la\nMoscou ."
)
HEADLINE = "Moscou et Pékin signent un accord numérique"
CUT_LINE = "Le ministre russe du numérique a signé hier à Moscou un accord de coopération avec la"
REST = "Chine, selon un communiqué publié par le ministère."


def _twice(raw: str) -> tuple[CleanDocument, CleanDocument]:
    once = clean_document(raw, DOC)
    return once, clean_document(once.text, DOC)


def _rules(doc: CleanDocument) -> list[str | None]:
    return [d.rule for d in doc.audit]


@pytest.mark.parametrize(
    "raw",
    [
        HYPOTHESIS_INPUT,
        # the same layout in words: a rubric closed by a stop, repeated under a cut line
        "Économie .\nMoscou et Pékin signent un accord\n" + CUT_LINE + "\nÉconomie .",
        # the next page's running head inside a sentence cut by the page break
        "\n".join(["Le Courrier.", HEADLINE, CUT_LINE, "Le Courrier.", REST]),
    ],
)
def test_a_running_head_does_not_change_the_header_read_before_it_goes(raw: str) -> None:
    once, twice = _twice(raw)
    assert "running_head" in _rules(once)
    assert (twice.text, twice.paragraphs, twice.title) == (once.text, once.paragraphs, once.title)


def test_the_header_is_read_as_the_clean_text_shows_it() -> None:
    once, _ = _twice(HYPOTHESIS_INPUT)
    # without the running head the long line is no prose: it is the header's last line, so the title
    assert _rules(once) == ["header_label", "header_label", None, "running_head"]
    assert once.text == once.title == "Moscou Moscou Moscou Moscou Moscou Moscou Moscou Moscou Moscou la"


def test_a_paragraph_cut_by_a_page_break_is_joined_over_the_running_head() -> None:
    """Read with the running head, the cut line ended the text on it and the rest of the sentence went as what
    follows the end; read without it, the two halves are one wrapped paragraph, kept whole."""
    once, _ = _twice("\n".join(["Le Courrier.", HEADLINE, CUT_LINE, "Le Courrier.", REST]))
    assert _rules(once) == ["header_label", None, None, "running_head", None]
    assert once.title == HEADLINE
    assert once.text == "\n".join([HEADLINE, CUT_LINE, REST])


HALF = "Le ministère prévoit aussi un volet consacré à la cybersécurité avec la"


@pytest.mark.parametrize(
    "raw",
    [
        # Hypothesis's second input: the line under the tags heading closed the three lines above into prose
        "2024-04 ? é Russie date Tags: VNA/CVN Moscou\nnumérique\nMoscou\nTags:\ncoopère ?",
        # a sentence whose end is under the tags row: its first half is no prose once the end went with the row
        "\n".join([TITLE, BODY, BODY2, HALF, "Tags :", "Russie."]),
        "\n".join([TITLE, BODY, BODY2, HALF, "Tags : Gabon · Russie", "Russie."]),
    ],
)
def test_the_lines_cut_under_a_closing_bar_close_no_wrapped_paragraph_above_it(raw: str) -> None:
    once, twice = _twice(raw)
    assert "after_closing_bars" in _rules(once)
    assert (twice.text, twice.paragraphs, twice.title) == (once.text, once.paragraphs, once.title)


def test_half_a_sentence_left_above_a_closing_bar_is_read_as_the_footer() -> None:
    once, _ = _twice("\n".join([TITLE, BODY, BODY2, HALF, "Tags :", "Russie."]))
    assert _rules(once) == [None, None, None, "footer_furniture", "tags_heading", "after_closing_bars"]
    assert once.text == "\n".join([TITLE, BODY, BODY2])
