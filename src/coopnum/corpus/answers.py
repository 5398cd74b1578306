"""A question-and-answer page (StackExchange style, met first in heldout12): the question, then
« N réponses », then answers each under a vote count, each closed by its action row and its
« répondue le … par name · reputation » card, with short comments signed « – name date ».

There the answers are the text, not a comment section: the « N réponses » heading would start
:func:`~coopnum.corpus.layout.cut_comment_section` and drop them. What tells such a page is its
answer card (an answer's date and author, and the reputation figures after them), which no
comment section or forum has; on such a page only the answer furniture is removed, and the page
is cut at the answer form (« Votre réponse »), after which come the form and the related questions.
"""

from __future__ import annotations

import re

from coopnum.corpus.lines import Line
from coopnum.corpus.rules import Rule

ANSWER_RULES: tuple[Rule, ...] = (
    Rule(
        "answer_furniture",
        "on a Q&A page: an answer card, action row, sort bar, accepted mark, tag row or signed comment",
    ),
    Rule("answer_form", "on a Q&A page: the answer form (« Votre réponse ») and everything after it"),
)

# « répondue le 4 février 2025 par name · 5 620 ● 14 ● 38 », « posée par name · 341 »: a post's author card
_CARD = re.compile(
    r"^(?:posée|répondue|modifiée|demandée)(?: le .{4,30}?)? par \S+(?: \S+)? [·•]\s?[\d\s●•·]+$", re.IGNORECASE
)
_FURNITURE = re.compile(
    r"^(?:\d+ réponses?|réponse acceptée|meilleure réponse|trier par\b.*"
    # an action row: share, improve, follow, flag words only
    r"|(?:(?:partager|améliorer cette (?:réponse|question)|modifier|suivre|signaler|citer)\s*)+)$",
    re.IGNORECASE,
)
# a comment under a post, signed at its end: « … ? – name 4 févr. 2025 »
_SIGNED_COMMENT = re.compile(r"\s[–—-] @?[\w.-]+ \d{1,2} [a-zéû]{3,9}\.? \d{4}$")
# the question's tag row: lower-case words only, no sentence (« russie numérique asie-centrale »)
_TAGS = re.compile(r"^[a-zà-ÿ0-9-]+(?: [a-zà-ÿ0-9-]+){1,7}$")
_FORM = re.compile(r"^(?:votre réponse|répondre à cette question)$", re.IGNORECASE)


def is_answer_page(lines: list[Line]) -> bool:
    """Whether the page has an answer card (see the module docstring)."""
    return any(ln.text.lower().startswith("répondue") and _CARD.match(ln.text) for ln in lines)


def mark_answers(lines: list[Line]) -> bool:
    """On a Q&A page, remove the answer furniture and cut at the answer form; return whether it is one."""
    if not is_answer_page(lines):
        return False
    for i, ln in enumerate(lines):
        t = ln.text
        if not t:
            continue
        if _FORM.match(t):
            for rest in lines[i:]:
                if rest.action != "blank":
                    rest.decide("removed", "answer_form")
            break
        if _CARD.match(t) or _FURNITURE.match(t) or _TAGS.match(t) or _SIGNED_COMMENT.search(t):
            ln.decide("removed", "answer_furniture")
    return True
