"""Findings and the registry of named checks.

A :class:`Finding` names its check, severity, document, annotation, field and
what is wrong. Severity ``error`` is structural (offsets, labels, overlaps,
token boundaries, stale text, missing stance or topic, counts, round trips, annotator
pseudonyms and roles, personal data in the built dataset) and
fails the build; ``warning`` is a likely annotation error (variation across the
corpus, a span with a title or a demonym, a stance that contradicts all its
paragraphs, an unsupported topic, a disagreement without a recorded reason) and
is listed in the card's known issues. Checks report findings and never raise;
the build stops on the first finding of severity error.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, astuple, dataclass

from coopnum.errors import CoopnumError

ERROR, WARNING = "error", "warning"

CHECKS: dict[str, tuple[str, str]] = {
    "corpus": (ERROR, "the corpus reads and cleans (raw files, sources, sha256)"),
    "annotation_format": (ERROR, "an annotation file parses as the coopnum format, with known labels"),
    "coverage": (ERROR, "every annotated document is in the corpus, and its annotation file reads"),
    "stale_text": (ERROR, "annotations were made on the current clean text (text_sha256)"),
    "span_offsets": (ERROR, "0 <= start < end <= len(text) and text[start:end] == span text"),
    "span_edges": (ERROR, "no space, quote, bracket or punctuation at either end of a span"),
    "span_paragraph": (ERROR, "a span lies inside one paragraph"),
    "overlap": (ERROR, "no two spans of one annotation overlap"),
    "token_boundary": (ERROR, "gold spans fall on token boundaries of the ner tokenizer (passes: warning)"),
    "paragraph_stances": (ERROR, "one stance slot per paragraph"),
    "gold": (ERROR, "at most one adjudicated gold per document"),
    "gold_complete": (ERROR, "the gold has a document stance, a stance per paragraph and a topic"),
    "round_trip": (ERROR, "gold spans -> IOB2 tags -> spans is exact"),
    "provenance": (ERROR, "every annotator id is described in annotations/annotators.json"),
    "annotator_id": (ERROR, "every annotator id is a pseudonym annotator-<12 hex digits>, never an email or a name"),
    "annotator_role": (ERROR, "the gold is an adjudicator's, and each annotator has one role in annotators.json"),
    "personal_data": (ERROR, "the built dataset holds no email address and no token-like string"),
    "dataset_current": (ERROR, "dataset/ and DATASHEET.md are what the current inputs build"),
    "dataset_counts": (ERROR, "dataset rows and entity tags equal the gold's counts"),
    "span_trailing_period": (WARNING, "a span ending with a full stop (abbreviation, or sentence punctuation?)"),
    "span_determiner": (WARNING, "a span starting with a determiner (guidelines 2.3)"),
    "span_title": (WARNING, "a span starting with a title or function (guidelines 2.2)"),
    "span_demonym": (WARNING, "a span that is a demonym, nationality adjective or lower-case word (guidelines 2.2)"),
    "token_boundary_pass": (WARNING, "a pass's span does not fall on token boundaries"),
    "label_variation": (WARNING, "one surface form with different types across the gold"),
    "unlabelled_occurrence": (WARNING, "a surface form labelled elsewhere left unlabelled here"),
    "stance_contradiction": (WARNING, "the document stance is none of its paragraphs' stances"),
    "topic_support": (WARNING, "no paragraph holds any cue word of a gold topic"),
    "adjudication_reason": (WARNING, "a disagreement between passes has no recorded adjudication reason"),
    "adjudication_mismatch": (WARNING, "a recorded adjudication decision differs from the gold"),
    "gold_unsupported": (
        WARNING,
        "the gold departs from every pass (adds, drops or changes a decision) with no recorded reason",
    ),
    "ner_iob": (ERROR, "the built ner config holds valid IOB2 tags that give back the gold spans"),
    "iptc_code": (ERROR, "every topic's IPTC code is in the pinned vocabulary and not retired"),
    "agreement": (WARNING, "agreement between passes below target (entity F1 0.85, stance alpha 0.67)"),
}
NER_F1_TARGET = 0.85
STANCE_ALPHA_TARGET = 0.67


@functools.total_ordering
@dataclass(frozen=True, slots=True)  # no per-instance dict: a build holds every warning until the card
class Finding:
    check: str
    severity: str
    document: str | None
    annotation: str | None
    field: str | None
    message: str
    file: str | None = None  # the file the finding is about, when it is not the document's annotation file

    def _key(self) -> tuple[str, ...]:
        # field by field as dataclass order would, but a finding about the whole repository (no
        # document, as annotators.json's) sorts before the same check's per-document ones
        return tuple("" if v is None else v for v in astuple(self))

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return self._key() < other._key()


def finding(
    check: str, message: str, doc: str | None = None, annotation: str | None = None, field: str | None = None
) -> Finding:
    return Finding(check, CHECKS[check][0], doc, annotation, field, message)


def from_error(check: str, e: CoopnumError) -> Finding:
    return Finding(check, ERROR, e.doc_id, e.annotation, e.field, e.message, e.file)


def report_json(findings: Sequence[Finding]) -> str:
    summary: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for f in findings:
        summary[f.severity][f.check] += 1
    return (
        json.dumps(
            {
                "errors": sum(f.severity == ERROR for f in findings),
                "warnings": sum(f.severity == WARNING for f in findings),
                "summary": {k: dict(v) for k, v in sorted(summary.items())},
                "checks": {name: {"severity": sev, "checks": desc} for name, (sev, desc) in CHECKS.items()},
                "findings": [asdict(f) for f in findings],
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n"
    )
