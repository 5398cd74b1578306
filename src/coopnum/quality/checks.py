"""Every per-document and repository check: pure functions that return findings.

The per-document checks are pure functions of one document and its annotations;
``validate`` (in :mod:`coopnum.dataset.validation`) runs them over the corpus.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from coopnum import schema
from coopnum.annotation import adjudication
from coopnum.annotation import format as ann
from coopnum.annotation.document import Document
from coopnum.annotation.provenance import Provenance
from coopnum.annotation.pseudonyms import PSEUDONYM
from coopnum.errors import AlignmentError
from coopnum.quality.findings import NER_F1_TARGET, STANCE_ALPHA_TARGET, Finding, finding
from coopnum.text import align

if TYPE_CHECKING:
    from coopnum.quality import agreement


# ------------------------------------------------------------------ one document

_EDGE_CHARS = set(" \t\n\u00a0,;:!?«»\"“”„()[]{}'’")
_DETERMINER = re.compile(r"^(?:le|la|les|l['’]|un|une|des|du|de la|d['’]|au|aux)(?:\s|(?<=['’]))", re.IGNORECASE)
_TITLE = re.compile(
    r"^(?:M\.|MM\.|Mme|Mlle|Dr|Pr|Me|président|présidente|ministre|directeur|directrice|monsieur|madame)\b",
    re.IGNORECASE,
)
_DEMONYM = re.compile(
    r"^(?:russes?|français(?:e|es)?|marocain(?:e|s|es)?|chinois(?:e|es)?|vietnamien(?:ne|s|nes)?|africain(?:e|s|es)?"
    r"|américain(?:e|s|es)?|européen(?:ne|s|nes)?|moscovite(?:s)?|[a-z]+-(?:russe|africaine?|marocaine?))$",
    re.IGNORECASE,
)


def _layers(doc: ann.DocumentAnnotations) -> list[tuple[str, tuple[ann.Span, ...], bool]]:
    """(name, spans, is_gold) for every annotation and prediction."""
    out = [(a.id, a.entities, a.ground_truth) for a in doc.annotations]
    out += [(f"prediction {p.model_version}", p.entities, False) for p in doc.predictions]
    return out


def _offsets_field(s: ann.Span, text: str) -> str:
    """The field to blame: a start that cannot be, an end past the text, or a text that does not match."""
    if not 0 <= s.start < s.end:
        return "start"
    return "end" if s.end > len(text) else "text"


def _offsets_problem(s: ann.Span, text: str) -> str:
    where = f"[{s.start}, {s.end}) {s.label} {s.text!r}"
    if s.end > len(text):
        return f"{where}: ends past the text ({len(text)} characters)"
    return f"{where}: text there is {text[s.start : s.end]!r}"


def span_findings(
    d: Document,
    name: str,
    spans: Sequence[ann.Span],
    is_gold: bool,
    tokens: Sequence[align.Token],
    edges: tuple[set[int], set[int]] | None = None,
) -> list[Finding]:
    """The checks of one layer's spans; ``edges`` are the token starts and ends when known."""
    text, doc_id = d.clean.text, d.doc_id
    out: list[Finding] = []
    starts, ends = edges or ({t.start for t in tokens}, {t.end for t in tokens})
    paragraphs = d.paragraph_ranges
    paragraph_starts = [a for a, _ in paragraphs]
    is_prediction = name.startswith("prediction ")
    for s in sorted(spans):
        where = f"[{s.start}, {s.end}) {s.label} {s.text!r}"
        if not (0 <= s.start < s.end <= len(text)) or text[s.start : s.end] != s.text:
            out.append(finding("span_offsets", _offsets_problem(s, text), doc_id, name, _offsets_field(s, text)))
            continue
        if s.text[0] in _EDGE_CHARS or s.text[-1] in _EDGE_CHARS:
            out.append(finding("span_edges", f"{where}: space or punctuation at an edge", doc_id, name, "text"))
        p = bisect.bisect_right(paragraph_starts, s.start) - 1
        if p < 0 or s.end > paragraphs[p][1]:
            out.append(finding("span_paragraph", f"{where}: crosses a paragraph boundary", doc_id, name, "end"))
        if s.start not in starts or s.end not in ends:
            check = "token_boundary" if is_gold else "token_boundary_pass"
            if not is_prediction:
                out.append(finding(check, f"{where}: not on token boundaries", doc_id, name, "start"))
        if is_prediction:
            continue
        if s.text.endswith(".") and not s.text.endswith(".."):
            out.append(finding("span_trailing_period", f"{where}: ends with a full stop", doc_id, name, "end"))
        if _DETERMINER.match(s.text):
            out.append(finding("span_determiner", f"{where}: starts with a determiner", doc_id, name, "start"))
        if _TITLE.match(s.text):
            out.append(finding("span_title", f"{where}: starts with a title or function", doc_id, name, "start"))
        if _DEMONYM.match(s.text) or (" " not in s.text and s.text[:1].islower() and s.label != "MISC"):
            out.append(finding("span_demonym", f"{where}: a demonym or lower-case word", doc_id, name, "text"))
    for a, b in itertools.pairwise(sorted(spans)):
        if b.start < a.end:
            out.append(
                finding(
                    "overlap",
                    f"[{a.start}, {a.end}) {a.label} overlaps [{b.start}, {b.end}) {b.label}",
                    doc_id,
                    name,
                    "entities",
                )
            )
    return out


def document_findings(d: Document, doc: ann.DocumentAnnotations) -> list[Finding]:
    """Every per-document check (pure)."""
    if doc.text_sha256 != d.clean.text_sha256:
        return [_stale(d, doc)]
    sents = d.sentences
    tokens = [t for s in sents for t in s.tokens]
    edges = ({t.start for t in tokens}, {t.end for t in tokens})
    out: list[Finding] = []
    for name, spans, is_gold in _layers(doc):
        out += span_findings(d, name, spans, is_gold, tokens, edges)
    out += _paragraph_stance_findings(d, doc)
    gold, found = _the_gold(d, doc)
    out += found
    if gold is None:
        return out
    out += _gold_complete(d, gold)
    out += _round_trip(d, gold, sents)
    out += _gold_warnings(d, gold)
    return out


def _stale(d: Document, doc: ann.DocumentAnnotations) -> Finding:
    return finding(
        "stale_text",
        f"annotations made on text {doc.text_sha256[:12]}…, the clean text is now "
        f"{d.clean.text_sha256[:12]}…: re-anchor them",
        d.doc_id,
        None,
        "text_sha256",
    )


def _paragraph_stance_findings(d: Document, doc: ann.DocumentAnnotations) -> list[Finding]:
    n_par = len(d.clean.paragraphs)
    return [
        finding(
            "paragraph_stances",
            f"{len(a.paragraph_stances)} stances for {n_par} paragraphs",
            d.doc_id,
            a.id,
            "paragraph_stances",
        )
        for a in doc.annotations
        if len(a.paragraph_stances) != n_par
    ]


def _the_gold(d: Document, doc: ann.DocumentAnnotations) -> tuple[ann.Annotation | None, list[Finding]]:
    """The one adjudicated gold, or none (a document still being annotated: its passes are checked,
    and the build gives it to ``documents`` only); two golds are an error."""
    golds = [a for a in doc.annotations if a.ground_truth]
    if not doc.annotations:  # a pull or an edit that lost them: never a document quietly back to "cleaned"
        return None, [finding("gold", "the annotation file holds no annotation", d.doc_id, None, "annotations")]
    if len(golds) > 1:
        return None, [finding("gold", f"{len(golds)} gold annotations", d.doc_id, None, "ground_truth")]
    return (golds[0] if golds else None), []


def _gold_complete(d: Document, gold: ann.Annotation) -> list[Finding]:
    out = []
    if gold.stance is None:
        out.append(finding("gold_complete", "no document stance", d.doc_id, gold.id, "stance"))
    if not gold.topics:
        out.append(finding("gold_complete", "no topic", d.doc_id, gold.id, "topics"))
    missing = [i for i, s in enumerate(gold.paragraph_stances) if s is None]
    if missing:
        out.append(
            finding("gold_complete", f"no stance for paragraphs {missing}", d.doc_id, gold.id, "paragraph_stances")
        )
    return out


def _gold_warnings(d: Document, gold: ann.Annotation) -> list[Finding]:
    """A document stance that none of its paragraphs has; a topic no paragraph gives a cue of."""
    out = []
    if gold.stance is not None and gold.paragraph_stances and gold.stance not in gold.paragraph_stances:
        said = sorted(set(filter(None, gold.paragraph_stances)))
        out.append(
            finding(
                "stance_contradiction", f"document {gold.stance} but paragraphs {said}", d.doc_id, gold.id, "stance"
            )
        )
    lowered = [d.clean.text[a:b].lower() for a, b in d.paragraph_ranges]
    for t in gold.topics:
        cues = schema.topic(t).cues
        if cues and not any(c in f" {p} " for p in lowered for c in cues):
            message = f"no paragraph holds a cue of {t} ({', '.join(cues[:4])}, …)"
            out.append(finding("topic_support", message, d.doc_id, gold.id, "topics"))
    return out


def _round_trip(d: Document, gold: ann.Annotation, sents: Sequence[align.Sentence]) -> list[Finding]:
    spans = [(s.start, s.end, s.label) for s in gold.entities]
    found: list[tuple[int, int, str]] = []
    for sent, inside in zip(sents, align.spans_by_sentence(sents, spans), strict=True):
        try:
            found += align.iob2_to_spans(sent.tokens, align.spans_to_iob2(sent.tokens, inside))
        except AlignmentError:
            return []  # reported as token_boundary or overlap
    if sorted(found) != sorted(spans):
        lost = sorted(set(spans) - set(found))
        return [finding("round_trip", f"{len(lost)} span(s) lost, first {lost[:1]}", d.doc_id, gold.id, "entities")]
    return []


def adjudication_findings(docs: Sequence[tuple[Document, ann.DocumentAnnotations]], reasons: dict) -> list[Finding]:
    out = []
    for d, doc in docs:
        passes = [a for a in doc.annotations if not a.ground_truth]
        gold = next((a for a in doc.annotations if a.ground_truth), None)
        if len(passes) < 2 or gold is None:
            continue
        for item in adjudication.disagreements(d.doc_id, passes):
            r = reasons.get((d.doc_id, item.layer, item.key))
            said = ", ".join(f"{shown_id(who)}: {v}" for who, v in item.values)
            if r is None:
                out.append(
                    finding(
                        "adjudication_reason",
                        f"{item.layer} {item.key} ({said}) has no recorded reason",
                        d.doc_id,
                        gold.id,
                        item.layer,
                    )
                )
            elif r.gold != adjudication.gold_value(gold, item.layer, item.key):
                out.append(
                    finding(
                        "adjudication_mismatch",
                        f"{item.layer} {item.key}: the record says {r.gold!r}, the gold "
                        f"{adjudication.gold_value(gold, item.layer, item.key)!r}",
                        d.doc_id,
                        gold.id,
                        item.layer,
                    )
                )
    return out


def unsupported_gold_findings(docs: Sequence[tuple[Document, ann.DocumentAnnotations]], reasons: dict) -> list[Finding]:
    """Gold decisions that no pass made, and decisions all passes made that the gold lacks, unless the
    adjudicator recorded why. Catches edits to the gold after adjudication (a flipped label, a deleted
    mention, a changed stance or topic)."""
    out = []
    for d, doc in docs:
        passes = [a for a in doc.annotations if not a.ground_truth]
        gold = next((a for a in doc.annotations if a.ground_truth), None)
        if not passes or gold is None:
            continue
        gold_values = adjudication.layer_values(gold)
        pass_values = [adjudication.layer_values(a) for a in passes]
        keys = set(gold_values) | {k for v in pass_values for k in v}
        for layer, key in sorted(keys):
            g = gold_values.get((layer, key))
            said = [v.get((layer, key)) for v in pass_values]
            if all(g != s for s in said) and (d.doc_id, layer, key) not in reasons:
                what = f"{layer} {key}: gold {g!r}, passes {said}"
                out.append(finding("gold_unsupported", what, d.doc_id, gold.id, layer))
        for topic in schema.TOPIC_LABELS:
            gold_has = topic in gold.topics
            passes_have = [topic in a.topics for a in passes]
            if all(gold_has != s for s in passes_have) and (d.doc_id, "topic", topic) not in reasons:
                out.append(
                    finding(
                        "gold_unsupported",
                        f"topic {topic}: gold {gold_has}, passes {passes_have}",
                        d.doc_id,
                        gold.id,
                        "topic",
                    )
                )
    return out


def agreement_findings(report: agreement.Report) -> list[Finding]:
    out = []
    for pair in report.pairs:
        f1 = pair.ner_exact["overall"].f1
        if f1 < NER_F1_TARGET:
            first, second = shown_id(pair.first), shown_id(pair.second)
            out.append(finding("agreement", f"entity F1 {first} vs {second} is {f1:.2f} < {NER_F1_TARGET}"))
    for name, alpha in (
        ("paragraph stance", report.paragraph_stance_alpha),
        ("document stance", report.document_stance_alpha),
    ):
        if report.pairs and alpha is not None and alpha < STANCE_ALPHA_TARGET:
            out.append(finding("agreement", f"{name} alpha is {alpha:.2f} < {STANCE_ALPHA_TARGET}"))
    return out


# ------------------------------------------------------------------ annotators: pseudonyms and roles

# Two or more words of letters ("Marie Dupont", "m.dupont", "jean-luc"), as opposed to a pseudonym
_NAME_LIKE = re.compile(r"[^\W\d_]+(?:[ ._'’\-]+[^\W\d_]+)+")


def shown_id(annotator_id: str) -> str:
    """An annotator id fit for a message: a pseudonym as it is, anything else (an email, a name) hidden;
    the ``annotator_id`` check reports it."""
    return annotator_id if PSEUDONYM.fullmatch(annotator_id) else "(an id that is not a pseudonym)"


def _not_a_pseudonym(annotator_id: str) -> str:
    """Why ``annotator_id`` is refused, without repeating it: it may name a person."""
    if "@" in annotator_id:
        what = "is an email address"
    elif _NAME_LIKE.fullmatch(annotator_id.strip()):
        what = "looks like a person's name"
    else:
        what = "is not a pseudonym"
    return (
        f"the annotator id {what} (not shown here), not annotator-<12 hex digits>: "
        "replace it by the account's pseudonym (coopnum ls pull makes them)"
    )


def annotator_findings(
    provenance: Provenance | None, doc_id: str, doc: ann.DocumentAnnotations, *, described: bool = True
) -> list[Finding]:
    """Each annotation's annotator is a pseudonym described in annotators.json, and the gold's is an
    adjudicator. ``described=False``: annotators.json is unreadable (reported once), so only the ids'
    pattern is checked."""
    out = []
    for a in doc.annotations:
        if not PSEUDONYM.fullmatch(a.annotator):
            out.append(finding("annotator_id", _not_a_pseudonym(a.annotator), doc_id, a.id, "annotator"))
        elif not described:
            continue
        elif provenance is None or not provenance.describes(a.annotator):
            message = f"annotator {a.annotator!r} is not described in annotators.json"
            out.append(finding("provenance", message, doc_id, a.id, "annotator"))
        elif a.ground_truth and "adjudicator" not in provenance.roles_of(a.annotator):
            roles = " and ".join(provenance.roles_of(a.annotator))
            message = f"the gold is by {a.annotator}, an {roles} in annotators.json: only an adjudicator's can be"
            out.append(finding("annotator_role", message, doc_id, a.id, "annotator"))
    return out


def provenance_findings(provenance: Provenance, file: str) -> list[Finding]:
    """annotators.json itself: every id a pseudonym (the card shows them), one role each."""
    out = []
    for a in provenance.annotators:
        if not PSEUDONYM.fullmatch(a.id):
            out.append(dataclasses.replace(finding("annotator_id", _not_a_pseudonym(a.id), field="id"), file=file))
    for annotator_id in dict.fromkeys(a.id for a in provenance.annotators if PSEUDONYM.fullmatch(a.id)):
        roles = provenance.roles_of(annotator_id)
        if len(roles) > 1:
            message = f"annotator {annotator_id} has {len(roles)} roles ({', '.join(roles)}): give each one role"
            out.append(dataclasses.replace(finding("annotator_role", message, field="role"), file=file))
    return out


# ------------------------------------------------------------------ the repository


def iptc_findings(topics: Sequence[schema.Topic] = schema.TOPICS) -> list[Finding]:
    out = []
    for t in topics:
        for code in t.iptc:
            pinned = schema.IPTC_PINNED.get(code.code)
            if pinned is None:
                out.append(
                    finding("iptc_code", f"topic {t.label}: {code.code} is not in the pinned vocabulary", field="iptc")
                )
            elif pinned[1]:
                out.append(finding("iptc_code", f"topic {t.label}: {code.code} ({pinned[0]}) is retired", field="iptc"))
    return out
