"""Text features of one normalised line: word count, prose, headline-like, sentence ends."""

from __future__ import annotations

import re

CLOSERS = r"\"»”’')\]"  # closing quotes and brackets that may follow a full stop
SENTENCE_END = re.compile(rf"(?<!\.\.)[.!?][{CLOSERS}]*$")
QUESTION_END = re.compile(rf"\?[{CLOSERS}]*$")
SINGLE_PERIOD_END = re.compile(rf"(?<!\.)\.[{CLOSERS}]*$")
PROSE_MIN_WORDS = 12
PROSE_LONG_WORDS = 40
HEADLINE_MAX_CHARS = 160

# A sentence end inside the line: a letter (or a year, or a closing quote) then . ! ? and a capital.
# Not a list number ("1. Faits divers").
INNER_SENTENCE_BREAK = re.compile(r"(?:[^\W\d_]|\d{3,}|[»”)])[.!?] [A-ZÀ-Ý«\"]")
# the reader addressed (« vous », « votre », « vos »; « rendez-vous » is no address): the house's voice, its offers
READER = re.compile(r"(?<!rendez-)\b(?:vous|votre|vos)\b", re.IGNORECASE)


# Pictograms closing a line after its last word (« … pour leur patience. 🙏 »): a post's tone, not its punctuation.
_END_PICTOGRAMS = re.compile("[\\s\U0001f300-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d]+$")


def without_end_pictograms(t: str) -> str:
    """``t`` without the pictograms (emoji) that close it."""
    return _END_PICTOGRAMS.sub("", t) if t and not t[-1].isascii() else t


def words(t: str) -> int:
    return len(t.split())


# A thread's post counter closing a post (« … des deux pays. (2/6) »): the post's sentence ends before it.
_THREAD_COUNTER = re.compile(r"\s\(\d{1,2}/\d{1,2}\)$")


def without_thread_counter(t: str) -> str:
    """``t`` without the post counter that closes it (« (2/6) »)."""
    return _THREAD_COUNTER.sub("", t)


def is_prose(t: str) -> bool:
    """Running text: ≥40 words, or ≥12 words that end a sentence or hold a sentence break."""
    t = without_thread_counter(t)
    n = words(t)
    if n >= PROSE_LONG_WORDS:
        return True
    return n >= PROSE_MIN_WORDS and bool(SENTENCE_END.search(t) or INNER_SENTENCE_BREAK.search(t))


def is_headline_like(t: str) -> bool:
    """Short, at least two words, one sentence, and not closed by a single full stop."""
    return (
        len(t) <= HEADLINE_MAX_CHARS
        and words(t) >= 2
        and not SINGLE_PERIOD_END.search(t)
        and not INNER_SENTENCE_BREAK.search(t)
    )
