"""``coopnum validate``: every invariant of the design as a named check, with a report.

A :class:`Finding` names its check, severity, document, annotation, field and
what is wrong. Severity ``error`` is structural (offsets, labels, overlaps,
token boundaries, stale text, missing stance or topic, counts, round trips) and
fails the build; ``warning`` is a likely annotation error (variation across the
corpus, a span with a title or a demonym, a stance that contradicts all its
paragraphs, an unsupported topic, a disagreement without a recorded reason) and
is listed in the card's known issues.

The per-document checks are pure functions of one document and its
annotations; the corpus-level ones take all documents. Validation reads any
JSON without crashing: what cannot be parsed is itself a finding.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coopnum import schema
from coopnum.annotation import adjudication
from coopnum.annotation import format as ann
from coopnum.annotation import provenance as provenance_mod
from coopnum.dataset.rows import Document
from coopnum.errors import AlignmentError, CoopnumError
from coopnum.text import align

if TYPE_CHECKING:
    from coopnum.quality import agreement

ERROR, WARNING = "error", "warning"

CHECKS: dict[str, tuple[str, str]] = {
    "corpus": (ERROR, "the corpus reads and cleans (raw files, sources, sha256)"),
    "annotation_format": (ERROR, "an annotation file parses as the coopnum format, with known labels"),
    "coverage": (ERROR, "every corpus document has annotations and every annotated document is in the corpus"),
    "stale_text": (ERROR, "annotations were made on the current clean text (text_sha256)"),
    "span_offsets": (ERROR, "0 <= start < end <= len(text) and text[start:end] == span text"),
    "span_edges": (ERROR, "no space, quote, bracket or punctuation at either end of a span"),
    "span_paragraph": (ERROR, "a span lies inside one paragraph"),
    "overlap": (ERROR, "no two spans of one annotation overlap"),
    "token_boundary": (ERROR, "gold spans fall on token boundaries of the ner tokenizer (passes: warning)"),
    "paragraph_stances": (ERROR, "one stance slot per paragraph"),
    "gold": (ERROR, "exactly one adjudicated gold per annotated document"),
    "gold_complete": (ERROR, "the gold has a document stance, a stance per paragraph and a topic"),
    "round_trip": (ERROR, "gold spans -> IOB2 tags -> spans is exact"),
    "provenance": (ERROR, "every annotator id is described in annotations/annotators.json"),
    "dataset_current": (ERROR, "dataset/ and DATASHEET.md are what the current inputs build"),
    "dataset_counts": (ERROR, "dataset rows and entity tags equal the gold's counts"),
    "unadjudicated": (ERROR, "a document whose passes disagree has a gold"),
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


@dataclass(frozen=True, order=True)
class Finding:
    check: str
    severity: str
    document: str | None
    annotation: str | None
    field: str | None
    message: str


def finding(
    check: str, message: str, doc: str | None = None, annotation: str | None = None, field: str | None = None
) -> Finding:
    return Finding(check, CHECKS[check][0], doc, annotation, field, message)


def from_error(check: str, e: CoopnumError) -> Finding:
    return Finding(check, ERROR, e.doc_id, e.annotation, e.field, str(e))


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
            out.append(
                finding("span_offsets", f"{where}: text there is {text[s.start : s.end]!r}", doc_id, name, "start")
            )
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
    doc_id = d.doc_id
    if doc.text_sha256 != d.clean.text_sha256:
        return [
            finding(
                "stale_text",
                f"annotations made on text {doc.text_sha256[:12]}…, the clean text is now "
                f"{d.clean.text_sha256[:12]}…: re-anchor them",
                doc_id,
                None,
                "text_sha256",
            )
        ]
    sents = d.sentences
    tokens = [t for s in sents for t in s.tokens]
    edges = ({t.start for t in tokens}, {t.end for t in tokens})
    out: list[Finding] = []
    for name, spans, is_gold in _layers(doc):
        out += span_findings(d, name, spans, is_gold, tokens, edges)
    n_par = len(d.clean.paragraphs)
    for a in doc.annotations:
        if len(a.paragraph_stances) != n_par:
            out.append(
                finding(
                    "paragraph_stances",
                    f"{len(a.paragraph_stances)} stances for {n_par} paragraphs",
                    doc_id,
                    a.id,
                    "paragraph_stances",
                )
            )
    golds = [a for a in doc.annotations if a.ground_truth]
    passes = [a for a in doc.annotations if not a.ground_truth]
    if len(golds) > 1:
        out.append(finding("gold", f"{len(golds)} gold annotations", doc_id, None, "ground_truth"))
        return out
    if not golds:
        if len(passes) >= 2 and adjudication.disagreements(doc_id, passes):
            out.append(
                finding("unadjudicated", "the passes disagree and there is no gold", doc_id, None, "ground_truth")
            )
        else:
            out.append(finding("gold", "no gold annotation", doc_id, None, "ground_truth"))
        return out
    gold = golds[0]
    if gold.stance is None:
        out.append(finding("gold_complete", "no document stance", doc_id, gold.id, "stance"))
    if not gold.topics:
        out.append(finding("gold_complete", "no topic", doc_id, gold.id, "topics"))
    missing = [i for i, s in enumerate(gold.paragraph_stances) if s is None]
    if missing:
        out.append(
            finding("gold_complete", f"no stance for paragraphs {missing}", doc_id, gold.id, "paragraph_stances")
        )
    out += _round_trip(d, gold, sents)
    if gold.stance is not None and gold.paragraph_stances and gold.stance not in gold.paragraph_stances:
        out.append(
            finding(
                "stance_contradiction",
                f"document {gold.stance} but paragraphs {sorted(set(filter(None, gold.paragraph_stances)))}",
                doc_id,
                gold.id,
                "stance",
            )
        )
    lowered = [d.clean.text[a:b].lower() for a, b in d.paragraph_ranges]
    for t in gold.topics:
        cues = schema.topic(t).cues
        if cues and not any(c in f" {p} " for p in lowered for c in cues):
            out.append(
                finding(
                    "topic_support",
                    f"no paragraph holds a cue of {t} ({', '.join(cues[:4])}, …)",
                    doc_id,
                    gold.id,
                    "topics",
                )
            )
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


# ------------------------------------------------------------------ the corpus


@dataclass(frozen=True)
class SurfaceTable:
    """Corpus-wide labels of every gold surface form, and the passes' votes on them: what the
    variation checks compare each document with (built in one pass, used in a second)."""

    labels: dict[str, dict[str, int]]  # surface -> label -> gold mentions
    votes: dict[str, dict[str, int]]  # surface -> label -> pass spans (only surfaces of the gold)
    exceptions: frozenset[str]

    @classmethod
    def of(
        cls, gold: Mapping[tuple[str, str], int], passes: Mapping[tuple[str, str], int], exceptions: Iterable[str]
    ) -> SurfaceTable:
        """From (surface, label) counts of the gold and of the passes."""
        labels: dict[str, dict[str, int]] = defaultdict(dict)
        for (surface, label), n in sorted(gold.items()):
            labels[surface][label] = n
        votes: dict[str, dict[str, int]] = defaultdict(dict)
        for (surface, label), n in sorted(passes.items()):
            if surface in labels:
                votes[surface][label] = n
        return cls(dict(labels), dict(votes), frozenset(exceptions))

    @functools.cached_property
    def finder(self) -> OccurrenceFinder:
        return OccurrenceFinder([x for x in self.labels if x not in self.exceptions])


def surface_counts(spans: Iterable[ann.Span]) -> Counter[tuple[str, str]]:
    return Counter((s.text, s.label) for s in spans)


def document_variation_findings(
    table: SurfaceTable,
    doc_id: str,
    gold_id: str,
    text: str,
    paragraphs: Sequence[tuple[int, int]],
    entities: Sequence[ann.Span],
) -> list[Finding]:
    """Dickinson & Meurers-style variation of one document's gold against the corpus table (pure):
    a gold surface form with two types, or unlabelled where it occurs elsewhere labelled.

    The type a surface form should have is the majority over the gold and the independent passes'
    spans (``table.votes``): a gold label edited after adjudication is then the minority, not the
    occurrences that kept the agreed label."""
    out = []
    for s in entities:
        counts = table.labels.get(s.text, {})
        if s.text in table.exceptions or len(counts) < 2:
            continue
        votes = table.votes.get(s.text, {})
        weight = {k: counts.get(k, 0) + votes.get(k, 0) for k in set(counts) | set(votes)}
        majority = max(weight, key=lambda k: (weight[k], k))
        if s.label != majority:
            out.append(
                finding(
                    "label_variation",
                    f"[{s.start}, {s.end}) {s.text!r} is {s.label} here, {majority} in "
                    f"{counts.get(majority, 0)} gold place(s) and {votes.get(majority, 0)} pass span(s)",
                    doc_id,
                    gold_id,
                    "label",
                )
            )
    covered = [(e.start, e.end) for e in entities]
    for surface, places in sorted(table.finder.find(text, paragraphs).items()):
        counts = table.labels[surface]
        label = max(counts, key=lambda k: (counts[k], k))
        for s, e in places:
            if not any(cs <= s and e <= ce for cs, ce in covered):
                out.append(
                    finding(
                        "unlabelled_occurrence",
                        f"{surface!r} at [{s}, {e}) is unlabelled; it is {label} {sum(counts.values())} time(s) elsewhere",
                        doc_id,
                        gold_id,
                        "entities",
                    )
                )
    return out


class OccurrenceFinder:
    """Every occurrence of some surface forms on word edges (same edges as
    :func:`coopnum.passfile.occurrences`), in one scan per paragraph: one regular expression finds
    the positions where some surface starts, then only the surfaces with that first character are
    tried there. Linear in the text, where one search per surface and paragraph was not."""

    def __init__(self, surfaces: Sequence[str]) -> None:
        from coopnum.annotation.passfile import LEFT_EDGE, RIGHT_EDGE

        ordered = sorted(set(surfaces), key=lambda x: (-len(x), x))
        self.by_first: dict[str, list[str]] = defaultdict(list)
        for x in ordered:
            self.by_first[x[0]].append(x)
        alternatives = "|".join(re.escape(x) for x in ordered)
        self.starts = re.compile(f"{LEFT_EDGE}(?=(?:{alternatives}){RIGHT_EDGE})") if ordered else None
        self.right = re.compile(RIGHT_EDGE)

    def find(self, text: str, paragraphs: Sequence[tuple[int, int]]) -> dict[str, list[tuple[int, int]]]:
        """Surface -> its ``[start, end)`` places in ``text``, inside the paragraphs."""
        found: dict[str, list[tuple[int, int]]] = defaultdict(list)
        if self.starts is None:
            return found
        for a, b in paragraphs:
            paragraph = text[a:b]
            for m in self.starts.finditer(paragraph):
                p = m.start()
                for x in self.by_first[paragraph[p]]:
                    if paragraph.startswith(x, p) and self.right.match(paragraph, p + len(x)):
                        found[x].append((a + p, a + p + len(x)))
        return found


def justified_variation(guidelines: Path) -> set[str]:
    """Surface forms the guidelines' « Justified variation » table exempts."""
    if not guidelines.is_file():
        return set()
    text = guidelines.read_text(encoding="utf-8")
    m = re.search(r"^#+ .*Justified variation.*$(.*?)(?=^#)", text, flags=re.M | re.S)
    if not m:
        return set()
    return {row.split("|")[1].strip().strip("`") for row in m[1].splitlines() if row.startswith("| `")}


def adjudication_findings(docs: Sequence[tuple[Document, ann.DocumentAnnotations]], reasons: dict) -> list[Finding]:
    out = []
    for d, doc in docs:
        passes = [a for a in doc.annotations if not a.ground_truth]
        gold = next((a for a in doc.annotations if a.ground_truth), None)
        if len(passes) < 2 or gold is None:
            continue
        for item in adjudication.disagreements(d.doc_id, passes):
            r = reasons.get((d.doc_id, item.layer, item.key))
            said = ", ".join(f"{who}: {v}" for who, v in item.values)
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
            g = topic in gold.topics
            said = [topic in a.topics for a in passes]
            if all(g != s for s in said) and (d.doc_id, "topic", topic) not in reasons:
                out.append(
                    finding("gold_unsupported", f"topic {topic}: gold {g}, passes {said}", d.doc_id, gold.id, "topic")
                )
    return out


def agreement_findings(report: agreement.Report) -> list[Finding]:
    out = []
    for pair in report.pairs:
        f1 = pair.ner_exact["overall"].f1
        if f1 < NER_F1_TARGET:
            out.append(finding("agreement", f"entity F1 {pair.first} vs {pair.second} is {f1:.2f} < {NER_F1_TARGET}"))
    for name, alpha in (
        ("paragraph stance", report.paragraph_stance_alpha),
        ("document stance", report.document_stance_alpha),
    ):
        if report.pairs and alpha is not None and alpha < STANCE_ALPHA_TARGET:
            out.append(finding("agreement", f"{name} alpha is {alpha:.2f} < {STANCE_ALPHA_TARGET}"))
    return out


NER_COLUMNS = ["id", "doc_id", "tokens", "token_starts", "token_ends", "fine_ner_tags"]


def ner_row_group_spans(task: tuple[str, int]) -> tuple[list[tuple[str, list[tuple[int, int, str]]]], list[Finding]]:
    """The entity spans that the ``fine_ner_tags`` of one row group of a ``ner`` file give, per
    document in row order ((doc id, spans) for each run of rows of one document), and a finding
    for every row whose tags are not valid IOB2. Runs in a worker."""
    import pyarrow.parquet as pq

    path, index = task
    columns = pq.ParquetFile(path).read_row_group(index, columns=NER_COLUMNS).to_pydict()
    runs: list[tuple[str, list[tuple[int, int, str]]]] = []
    out: list[Finding] = []
    for row_id, doc_id, texts, starts, ends, tag_ids in zip(*(columns[c] for c in NER_COLUMNS), strict=True):
        if not runs or runs[-1][0] != doc_id:
            runs.append((doc_id, []))
        if not any(tag_ids):  # all "O" (id 0): no entity, nothing to decode
            continue
        tokens = [align.Token(*t) for t in zip(texts, starts, ends, strict=True)]
        try:
            runs[-1][1].extend(align.iob2_to_spans(tokens, [schema.FINE_NER_TAGS[t] for t in tag_ids]))
        except AlignmentError as e:
            out.append(finding("ner_iob", f"row {row_id}: {e.message}", doc_id, None, "fine_ner_tags"))
    return runs, out


def dataset_findings(
    root: Path,
    gold_digests: Mapping[str, tuple[int, str]],
    expected_rows: Mapping[str, int],
    stale: Sequence[str],
    processes: int | None = None,
) -> list[Finding]:
    """``dataset/`` is current (``stale``: what ``build.check`` found), has the rows the gold gives,
    and its ``ner`` tags give back every document's gold spans: the row groups are decoded across
    worker processes, and each document's spans compared with the gold's by digest (the rows of a
    document are contiguous in its split's file)."""
    import pyarrow.parquet as pq

    from coopnum.dataset.pipeline import default_processes, gold_digest, parallel_map

    out = [finding("dataset_current", p, field="dataset") for p in stale]
    manifest_path = root / "dataset" / "manifest.json"
    if out or not manifest_path.is_file() or not gold_digests:
        return out
    rows = json.loads(manifest_path.read_text(encoding="utf-8")).get("rows", {})
    for config, n in expected_rows.items():
        got = sum(rows.get(config, {}).values())
        if got != n:
            out.append(finding("dataset_counts", f"{config} has {got} rows, the gold gives {n}", field=config))
    tasks = [
        (str(path), i)
        for path in sorted((root / "dataset" / "data" / "ner").glob("*.parquet"))
        for i in range(pq.ParquetFile(path).num_row_groups)
    ]
    found: dict[str, tuple[int, str]] = {}
    current: tuple[str, list[tuple[int, int, str]]] | None = None
    for runs, problems in parallel_map(ner_row_group_spans, tasks, processes or default_processes()):  # type: ignore[arg-type,misc]
        out += problems
        for doc_id, spans in runs:
            if current is not None and current[0] == doc_id:  # a document across two row groups
                current[1].extend(spans)
                continue
            if current is not None:
                found[current[0]] = gold_digest(current[1])
            current = (doc_id, list(spans))
    if current is not None:
        found[current[0]] = gold_digest(current[1])
    broken = {f.document for f in out if f.check == "ner_iob"}
    for doc_id, (n, digest) in sorted(gold_digests.items()):
        got = found.get(doc_id) or gold_digest([])
        if got[1] != digest and doc_id not in broken:
            out.append(finding("dataset_counts", f"ner gives {got[0]} entities, the gold {n}", doc_id, None, "ner"))
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


def validate(
    root: Path, *, check_dataset: bool = True, processes: int | None = None, chunk_documents: int | None = None
) -> list[Finding]:
    """Every check over ``root`` (corpus, annotations, dataset); sorted findings.

    Streams the corpus a chunk at a time across processes (:mod:`coopnum.stream`)."""
    from coopnum.corpus.sources import list_corpus
    from coopnum.dataset import pipeline as stream

    try:
        sources = list_corpus(root / "corpus")
        from coopnum.corpus.splits import folds

        fold_of = folds(s.doc_id for s in sources)
    except CoopnumError as e:
        return [from_error("corpus", e)]
    annotations_dir = root / "annotations"
    ids = stream.annotation_ids(annotations_dir)
    out: list[Finding] = iptc_findings()
    corpus_ids = {s.doc_id for s in sources}
    for doc_id in sorted(ids - corpus_ids):  # files of documents that are not in the corpus
        path = annotations_dir / ann.SUBDIR / f"{doc_id}.json"
        try:
            doc = ann.load_file(path)
        except CoopnumError as e:
            out.append(from_error("annotation_format", e))
            continue
        except RecursionError:
            out.append(finding("annotation_format", f"{path}: JSON nested too deeply"))
            continue
        out.append(finding("coverage", f"{path}: not in the corpus", doc.doc_id, None, "doc_id"))
    try:
        reasons = adjudication.load_reasons(annotations_dir)
    except CoopnumError as e:
        reasons = {}
        out.append(from_error("annotation_format", e))
    try:
        prov = provenance_mod.load(annotations_dir)
    except CoopnumError as e:
        prov = None
        out.append(from_error("provenance", e))
    setup = stream.Setup(root, stream.VALIDATE, ids, fold_of, prov, reasons, tuple(out))
    result = stream.run(setup, sources, None, processes, chunk_documents or stream.CHUNK_DOCUMENTS)
    out = result.findings
    if check_dataset and not any(f.check == "corpus" for f in out):
        expected = {
            "documents": result.annotated_documents,
            "stance": result.stance_rows,
            "topic": result.annotated_documents,
        }
        from coopnum.dataset.build import check

        out += dataset_findings(root, result.gold_digests, expected, check(root), processes)
    return sorted(set(out))


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
