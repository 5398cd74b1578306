"""The dataset card (``dataset/README.md``), rendered from the schema and the build.

YAML front matter comes from the same ``huggingface_hub`` / ``datasets`` calls
that ``push_to_hub`` makes; the Markdown follows the ``huggingface_hub``
dataset-card template's headings, and every table and figure in it is computed
here from the schema, the built rows or the annotations — never typed in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from datasets.info import DatasetInfo, DatasetInfosDict
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCard, DatasetCardData

from coopnum import schema
from coopnum.annotation.provenance import Provenance
from coopnum.corpus import clean, splits
from coopnum.dataset import features
from coopnum.dataset.rows import Document
from coopnum.quality import agreement
from coopnum.quality.checks import CHECKS, Finding

PRETTY_NAME = "coopnum: French news on Russia's international digital cooperation"
ANNOTATIONS_LICENSE = "CC BY 4.0"
CODE_LICENSE = "MIT"


@dataclass(frozen=True)
class BaselineResults:
    results: dict[str, dict]  # name -> config, method, versions, scores, fold_mean, fold_std, command
    current: bool  # computed on this build's data


@dataclass(frozen=True)
class Stats:
    """Every figure the card and the datasheet print, computed once from the build."""

    documents: dict[str, int]  # split -> documents
    paragraphs: dict[str, int]  # kind -> paragraphs
    characters: int
    raw_lines: int
    removed_by_rule: dict[str, int]
    outlet_known: int
    date_known: int
    title_known: int
    outlets: dict[str, int]
    dates: list[str]  # publication dates the articles state, sorted
    annotated: bool = False
    tokens: dict[str, int] = field(default_factory=dict)  # split -> tokens
    sentences: dict[str, int] = field(default_factory=dict)
    mentions: dict[str, dict[str, int]] = field(default_factory=dict)  # split -> label -> gold mentions
    stances: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)  # level -> split -> label -> n
    topics: dict[str, dict[str, int]] = field(default_factory=dict)  # split -> topic -> documents
    annotations_per_document: float = 0.0
    agreement: agreement.Report | None = None
    provenance: Provenance | None = None
    known_issues: tuple[Finding, ...] = ()
    baselines: BaselineResults | None = None

    @classmethod
    def from_tally(
        cls,
        total: Mapping[tuple[str, ...], int],
        provenance: Provenance | None = None,
        report: agreement.Report | None = None,
        known_issues: Sequence[Finding] = (),
    ) -> Stats:
        """The figures from the sum of every document's :func:`tally`."""

        def keyed(kind: str) -> dict[str, int]:
            return dict(sorted((k[1], n) for k, n in total.items() if k[0] == kind and n))

        base = dict(
            documents={s: total[("documents", s)] for s in schema.SPLITS},
            paragraphs={k: total[("paragraphs", k)] for k in schema.PARAGRAPH_KINDS},
            characters=total[("characters",)],
            raw_lines=total[("raw_lines",)],
            removed_by_rule=keyed("removed"),
            outlet_known=total[("outlet_known",)],
            date_known=total[("date_known",)],
            title_known=total[("title_known",)],
            outlets=keyed("outlet"),
            dates=[date for date, n in keyed("date").items() for _ in range(n)],
            provenance=provenance,
        )
        if not total[("annotated_documents",)]:
            return cls(**base)

        def by_split(kind: str) -> dict[str, dict[str, int]]:
            return {
                s: {k[2]: n for k, n in sorted(total.items()) if k[0] == kind and k[1] == s and n}
                for s in schema.SPLITS
            }

        return cls(
            **base,
            annotated=True,
            tokens={s: total[("tokens", s)] for s in schema.SPLITS},
            sentences={s: total[("sentences", s)] for s in schema.SPLITS},
            mentions=by_split("mentions"),
            stances={
                level: {
                    s: {k[3]: n for k, n in sorted(total.items()) if k[:3] == ("stance", level, s) and n}
                    for s in schema.SPLITS
                }
                for level in schema.STANCE_LEVELS
            },
            topics=by_split("topic"),
            annotations_per_document=total[("annotations",)] / total[("annotated_documents",)],
            agreement=report,
            known_issues=tuple(known_issues),
        )

    @property
    def total_documents(self) -> int:
        return sum(self.documents.values())


def tally(d: Document) -> Counter[tuple[str, ...]]:
    """One document's contribution to every figure of :class:`Stats` (a sum over documents is the corpus's)."""
    c, split = d.clean, d.split
    out: Counter[tuple[str, ...]] = Counter(
        {("documents", split): 1, ("characters",): len(c.text), ("raw_lines",): len(c.audit)}
    )
    out.update(("paragraphs", p.kind) for p in c.paragraphs)
    for rule, n in c.removed_by_rule().items():
        out[("removed", rule)] += n
    out[("outlet", d.source.outlet or "(not stated)")] += 1
    out[("outlet_known",)] += bool(d.source.outlet)
    out[("date_known",)] += bool(d.source.date)
    out[("title_known",)] += bool(c.title)
    if d.source.date:
        out[("date", d.source.date)] += 1
    gold = d.gold
    if d.annotations is None or gold is None:
        return out
    out[("annotated_documents",)] += 1
    out[("annotations",)] += len(d.annotations.annotations)
    out[("sentences", split)] += len(d.sentences)
    out[("tokens", split)] += sum(len(s.tokens) for s in d.sentences)
    out.update(("mentions", split, e.label) for e in gold.entities)
    out.update(("stance", "paragraph", split, label) for label in gold.paragraph_stances if label is not None)
    if gold.stance is not None:
        out[("stance", "document", split, gold.stance)] += 1
    out.update(("topic", split, t) for t in gold.topics)
    return out


def size_category(n: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if n < limit:
            return name
    return "1M<n<10M"


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def cell(v: object) -> str:
        return str(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def fmt(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def entity_table() -> str:
    return table(
        ("label", "CoNLL-4", "definition", "examples"),
        [(e.label, e.conll, e.definition, ", ".join(e.examples)) for e in schema.ENTITY_TYPES],
    )


def stance_table() -> str:
    return table(("label", "definition"), [(s.label, s.definition) for s in schema.STANCE_LABELS_INFO])


def topic_table() -> str:
    return table(
        ("topic", "covers", "IPTC Media Topic", "note"),
        [(t.label, t.covers, "; ".join(f"{i.code} {i.label}" for i in t.iptc), t.note or "") for t in schema.TOPICS],
    )


def rules_table(removed_by_rule: Mapping[str, int] | None = None) -> str:
    counts = removed_by_rule or {}
    return table(
        ("rule", "removes", "lines in this build"),
        [(r.name, r.description, counts.get(r.name, 0)) for r in clean.RULES],
    )


def split_table(s: Stats) -> str:
    header = ["split", "documents"]
    if s.annotated:
        header += ["sentences", "tokens", *(f"{label} mentions" for label in schema.ENTITY_LABELS)]
    rows = []
    for split in (*schema.SPLITS, "total"):
        splits_ = schema.SPLITS if split == "total" else (split,)
        row: list[object] = [split, sum(s.documents[x] for x in splits_)]
        if s.annotated:
            row += [sum(s.sentences[x] for x in splits_), sum(s.tokens[x] for x in splits_)]
            row += [sum(s.mentions[x].get(label, 0) for x in splits_) for label in schema.ENTITY_LABELS]
        rows.append(row)
    return table(header, rows)


def stance_distribution(s: Stats) -> str:
    rows = []
    for level in schema.STANCE_LEVELS:
        for split in schema.SPLITS:
            counts = s.stances[level][split]
            rows.append([level, split, *(counts.get(label, 0) for label in schema.STANCE_LABELS)])
    return table(("level", "split", *schema.STANCE_LABELS), rows)


def topic_distribution(s: Stats) -> str:
    return table(
        ("topic", *schema.SPLITS),
        [(t, *(s.topics[split].get(t, 0) for split in schema.SPLITS)) for t in schema.TOPIC_LABELS],
    )


def annotation_process(s: Stats) -> str:
    text = (
        "Entities, paragraph and document stance, and topics were annotated in Label Studio (labeling config "
        "generated from `src/coopnum/schema.py`): two independent passes per document, then one adjudicated gold "
        "per document marked as ground truth, with a recorded reason for every decision in "
        "`annotations/adjudication.jsonl`. Guidelines: `annotations/GUIDELINES.md`."
    )
    if s.provenance is not None and "machine-generated" in s.provenance.card_creators:
        text += (
            " The annotators are machine annotators (see *Who are the annotators?*); they submitted pass files "
            "through their own accounts with `coopnum ls submit`, not through the browser interface. **The agreement "
            "below is between two sessions of one language model**: it measures how consistently that model applies "
            "these guidelines, not agreement between people, and errors the sessions share do not show up in it."
        )
    return text


def agreement_section(report: agreement.Report | None) -> str:
    if report is None or not report.pairs:
        return "No two independent annotation passes in this build: no agreement figures."
    parts = []
    for pair in report.pairs:
        rows = [
            (
                label,
                fmt(pair.ner_exact[label].f1, 3),
                fmt(pair.ner_partial[label].f1, 3),
                pair.ner_exact[label].reference,
                pair.ner_exact[label].predicted,
            )
            for label in (*schema.ENTITY_LABELS, "overall")
        ]
        parts.append(
            f"Entities, `{pair.first}` (reference) vs `{pair.second}`, {pair.documents} documents "
            "(F1 is symmetric; exact = same span and type, partial = same type and overlapping):\n\n"
            + table(("label", "exact F1", "partial F1", f"{pair.first} spans", f"{pair.second} spans"), rows)
        )
        kinds = sorted(pair.disagreements.items())
        parts.append("Disagreements by kind:\n\n" + table(("kind", "count"), kinds))
    alpha_rows = [
        ("paragraph stance", fmt(report.paragraph_stance_alpha, 3), report.paragraph_units),
        ("document stance", fmt(report.document_stance_alpha, 3), report.document_units),
        *((f"topic `{t}` (present/absent)", fmt(a, 3), report.document_units) for t, a in report.topic_alpha.items()),
    ]
    parts.append(
        "Krippendorff's alpha (nominal) over all annotation passes; n/a where alpha is undefined (no variation):\n\n"
        + table(("layer", "alpha", "units"), alpha_rows)
    )
    for version, scores in report.preannotation.items():
        rows = [
            (label, fmt(scores[label].precision), fmt(scores[label].recall), fmt(scores[label].f1))
            for label in (*schema.CONLL_LABELS, "overall")
        ]
        parts.append(
            f"Model pre-annotation `{version}` against the gold (CoNLL-4 projection, exact match):\n\n"
            + table(("label", "precision", "recall", "F1"), rows)
        )
        by_pass = report.preannotation_vs_passes.get(version, {})
        if by_pass:
            parts.append(
                f"How close each pass stayed to `{version}`'s suggestions (overall F1 of the model against the pass; "
                "see *Who are the annotators?* for which pass started from them):\n\n"
                + table(
                    ("pass", "F1", "model spans kept exactly", "pass spans"),
                    [(f"`{n}`", fmt(v.f1), v.true_positives, v.reference) for n, v in by_pass.items()],
                )
            )
    return "\n\n".join(parts)


def baselines_section(s: Stats) -> str:
    b = s.baselines
    if b is None:
        return "No baseline has been run on this build (`coopnum baselines`)."
    if not b.current:
        return (
            "The scores in `benchmarks/baselines.json` were computed on another build of the data and are not "
            "shown; rerun `coopnum baselines` and rebuild."
        )
    rows = []
    for name, r in b.results.items():
        for metric, value in r["scores"].items():
            mean, std = r["fold_mean"].get(metric), r["fold_std"].get(metric)
            spread = f"{fmt(mean)} ± {fmt(std)}" if std is not None else fmt(mean)
            versions = ", ".join(f"{k} {v}" for k, v in r["versions"].items()) or "—"
            rows.append((f"`{name}`", r["config"], r["method"], metric, fmt(value, 3), spread, versions))
    caveat = ""
    if s.agreement is not None and s.agreement.preannotation:
        models = ", ".join(f"`{v}`" for v in s.agreement.preannotation)
        caveat = (
            f" One annotation pass started from {models}'s entity suggestions, so that model's NER score may be "
            "optimistic against this gold."
        )
    return (
        "Leave-one-document-out, every row of every split predicted by a model that did not see its document; "
        "pooled score and the mean ± standard deviation over folds. Reproduce with `coopnum baselines --only NAME`."
        + caveat
        + "\n\n"
        + table(("baseline", "config", "method", "metric", "pooled", "fold mean ± sd", "versions"), rows)
    )


KNOWN_ISSUES_LISTED = 25


def known_issues_section(s: Stats) -> str:
    """Validation warnings of this build (errors stop the build), by check, then the first ones."""
    if not s.known_issues:
        return "### Known issues\n\n`coopnum validate` reports no warning on this build."
    counts: dict[str, int] = {}
    for f in s.known_issues:
        counts[f.check] = counts.get(f.check, 0) + 1
    summary = table(("check", "warnings", "what it flags"), [(c, n, CHECKS[c][1]) for c, n in sorted(counts.items())])
    listed = table(
        ("check", "document", "annotation", "message"),
        [(f.check, f.document or "", f.annotation or "", f.message) for f in s.known_issues[:KNOWN_ISSUES_LISTED]],
    )
    more = len(s.known_issues) - KNOWN_ISSUES_LISTED
    tail = f"\n\n…and {more} more: run `coopnum validate` for the full report." if more > 0 else ""
    return f"### Known issues\n\nWarnings from `coopnum validate` on this build:\n\n{summary}\n\n{listed}{tail}"


def annotators_section(s: Stats) -> str:
    if s.provenance is None:
        return "No annotations in this build."
    p = s.provenance
    rows = [(a.id, a.role, a.kind, a.method) for a in p.annotators]
    return f"Guidelines: `annotations/GUIDELINES.md`, version {p.guidelines_version}. {p.summary}\n\n" + table(
        ("pseudonymous id", "role", "who or what", "how"), rows
    )


def card_data(stats: Stats) -> DatasetCardData:
    config_features = features.configs(stats.annotated)
    creators = stats.provenance.card_creators if stats.provenance else ["no-annotation"]
    data = DatasetCardData(
        language=[schema.LANGUAGE],
        license="other",
        license_name="mixed",
        license_details=f"Article texts: third-party copyright, not licensed to the maintainers (see Rights). "
        f"Annotations: {ANNOTATIONS_LICENSE}. Code: {CODE_LICENSE}.",
        pretty_name=PRETTY_NAME,
        size_categories=[size_category(stats.total_documents)],
        task_categories=["token-classification", "text-classification"],
        task_ids=["named-entity-recognition", "multi-label-classification", "topic-classification"],
        annotations_creators=creators,
        language_creators=["found"],
        multilinguality=["monolingual"],
        source_datasets=["original"],
    )
    configs = {
        name: {
            "data_files": [{"split": s, "path": f"data/{name}/{s}.parquet"} for s in schema.SPLITS],
            **({"default": True} if i == 0 else {}),
        }
        for i, name in enumerate(config_features)
    }
    MetadataConfigs(configs).to_dataset_card_data(data)
    DatasetInfosDict({name: DatasetInfo(features=f) for name, f in config_features.items()}).to_dataset_card_data(data)
    return data


CONFIG_DESCRIPTIONS = {
    "documents": "one row per article: text, paragraphs, metadata, offset map and audit"
    " (and, when annotated, the gold layers)",
    "ner": "one row per sentence: tokens, token offsets, `ner_tags` (CoNLL-4, IOB2, `conll2003` order) "
    "and `fine_ner_tags` (five types, IOB2)",
    "stance": "one row per paragraph and one per document (`level`), with `target` and `label`",
    "topic": "one row per document: `labels` (multi-label) and their IPTC Media Topic codes",
    "annotator_labels": "one row per annotation (each pass and the gold, `is_gold`), for research on disagreement",
}


def structure_section(s: Stats) -> str:
    configs = features.configs(s.annotated)
    config_rows = [(f"`{name}`", CONFIG_DESCRIPTIONS[name]) for name in configs]
    fields = f"""| field | type | meaning |
|---|---|---|
| `id` | string | document id: the 16 hex digits of the raw file name (never list order) |
| `raw_file` | string | path of the byte-exact scrape in the repository |
| `title` | string or null | title line, when the scrape has one |
| `outlet`, `date`, `url` | string or null | as stated in the article, null when not stated (never guessed); `date` is ISO 8601 at the stated precision |
| `language`, `rights` | string | BCP-47 code; rights status of the text |
| `text` | string | clean text: paragraphs joined by `\\n`, title first when present |
| `text_sha256`, `raw_sha256` | string | SHA-256 of `text` (UTF-8) and of the raw file; annotations record the `text_sha256` they were made on |
| `paragraphs` | list of {{`start`, `end`, `kind`}} | half-open character offsets (code points) into `text`; `kind`: {", ".join(f"`{k}`" for k in schema.PARAGRAPH_KINDS)} |
| `offset_map` | list of {{`clean_start`, `clean_end`, `raw_start`, `raw_end`}} | clean range → raw range (code points of the UTF-8-decoded raw file); equal lengths map character by character |
| `audit` | list of {{`line`, `raw_start`, `raw_end`, `action`, `rule`}} | every raw line: `kept`, `trimmed`, `removed` or `blank`, and the cleaning rule |
| `removed_lines` | int | lines removed as boilerplate |
| `fold` | int | leave-one-document-out fold (same in every config) |"""
    if s.annotated:
        fields += """
| `entities` | list of {`start`, `end`, `label`, `text`} | gold entity spans, character offsets into `text` (half-open, code points) |
| `stance`, `paragraph_stances` | label, list of labels | gold document stance; gold stance of each paragraph, in `paragraphs` order |
| `topics` | list of labels | gold topics |"""
    return f"""### Configs

{table(("config", "rows"), config_rows)}

Load one with `load_dataset("<this folder or repo>", "<config>")`; ClassLabel names come with the data
(`ds.features["ner_tags"].feature.names`).

### Fields of `documents`

{fields}

### Splits

Splits are by document, fixed by the document id alone: the first 32 bits of
`sha256("{splits.SALT}" + id)` as a fraction; test below {splits.TEST_BELOW}, validation below
{splits.VALIDATION_BELOW}, train otherwise. Adding articles never moves an old one, and every config
uses the same split of documents. With so few documents the split is a convenience: evaluate with the
`fold` field (leave one document out) and report the spread.

{split_table(s)}"""


def render(s: Stats) -> str:
    n = s.total_documents
    annotated = s.annotated
    status = (
        "Every document carries two independent annotation passes and an adjudicated gold."
        if annotated
        else "This build holds the cleaned documents only (config `documents`); the annotation layers "
        "(`ner`, `stance`, `topic`, `annotator_labels`) are added when the annotation rounds are done, and no "
        "label in this card then describes annotated data."
    )
    label_figures = ""
    if annotated:
        label_figures = f"""
### Label distributions (gold)

Stance:

{stance_distribution(s)}

Topics (documents carrying each):

{topic_distribution(s)}
"""
    outlets = table(("outlet as stated", "documents"), list(s.outlets.items()))
    return f"""
# Dataset Card for {PRETTY_NAME}

French news articles about Russia's international cooperation in digital technology and the digital
economy, cleaned from raw web scrapes with a line-by-line audit trail and offsets back to the raw
files, for benchmarking French named-entity recognition, stance detection toward a fixed target, and
multi-label topic classification. {status}

## Dataset Details

### Dataset Description

- **Curated by:** the coopnum maintainers.
- **Funded by:** no external funding.
- **Shared by:** the coopnum maintainers.
- **Language(s) (NLP):** French (`{schema.LANGUAGE}`), news register; outlets from several countries
  (see *Source Data*).
- **License:** mixed. Article texts: third-party copyright, not licensed to us (see *Rights* below).
  Annotations: {ANNOTATIONS_LICENSE}. Code that builds the dataset: {CODE_LICENSE}.
- **Size:** {n} documents, {s.characters:,} characters of clean text, {sum(s.paragraphs.values())} paragraphs.

### Dataset Sources

- **Repository:** the coopnum Git repository; this folder is its `dataset/`, built by `coopnum build`;
  the raw scrapes are in `corpus/raw/`, the annotations in `annotations/`.
- **Paper:** none.
- **Demo:** none.

## Uses

### Direct Use

Benchmarking French NER (CoNLL-4 projection and five fine types), paragraph- and document-level stance
toward a fixed target, and multi-label topic classification, in leave-one-document-out folds; studying
annotator disagreement (`annotator_labels`); studying boilerplate removal (every removed line is in
`audit` with the rule that removed it).

### Baselines

{baselines_section(s)}

### Out-of-Scope Use

Training production systems (the corpus is tiny); judging the truth of the articles; profiling the
people named in them; any use as a representative sample of French-language news: the corpus is small,
on one subject, and several outlets are state media.

## Dataset Structure

{structure_section(s)}

### Labels (schema {schema.SCHEMA_VERSION})

Entity types (flat, maximal official names; never demonyms, titles, dates or numbers):

{entity_table()}

Stance toward the target *"{schema.STANCE_TARGET}"*, per paragraph and per document (SemEval-2016
Task 6 convention):

{stance_table()}

Topics, multi-label per document ({schema.TOPIC_RULE.lower()} IPTC vocabulary:
{schema.IPTC_VOCABULARY_RELEASE}):

{topic_table()}
{label_figures}
## Dataset Creation

### Curation Rationale

A small, carefully documented benchmark on a narrow subject — how French-language media present
Russia's international cooperation in digital technology — in which every cleaning decision and every
label can be audited, and every figure is reproduced by one command.

### Source Data

#### Data Collection and Processing

The articles were scraped from the web as plain text by the project's sponsor, who kept neither the URLs
nor the collection dates (both `null`). `coopnum clean` decides the fate of every raw line with named
rules (line patterns and layout features; none names a particular article), normalises Unicode (NFC),
removes invisible characters, collapses whitespace (a no-break space before `: ; ! ? »` and after `«`,
a plain space elsewhere) and keeps an offset map to the raw file. {s.raw_lines} raw lines were read;
lines removed, by rule:

{rules_table(s.removed_by_rule)}

#### Who are the source data producers?

Journalists and press agencies of the outlets the articles name; {n - s.outlet_known} of {n} articles
do not state their outlet. State-owned media are among them.

{outlets}

#### Data Statement

- **Curation rationale:** articles on one subject (Russia's digital cooperation abroad) in French.
- **Language variety:** written French, news register (`fr`); outlets based in or writing for Russia,
  Morocco, China and Viet Nam among others, so regional usage varies.
- **Speakers:** professional journalists and agency writers; quoted officials and executives.
- **Annotators:** see *Who are the annotators?*.

### Annotations

#### Annotation process

{annotation_process(s) if annotated else "None in this build."}

{agreement_section(s.agreement) if annotated else ""}

#### Who are the annotators?

{annotators_section(s)}

#### Personal and Sensitive Information

The articles name public figures (officials, executives) in their public roles. Annotators appear only
under pseudonymous ids; no email, name or account of an annotator is in the dataset.

## Bias, Risks, and Limitations

- {n} articles: far too few for training; scores on them have wide confidence intervals.
- One subject and largely one viewpoint: several outlets are state media and most texts promote the
  cooperation they describe, so FAVOR dominates stance; a model trained here learns that prior.
- {n - s.outlet_known} of {n} documents do not state their outlet and {n - s.date_known} of {n} do not
  state a publication date; these fields are `null`.
- Cleaning rules were developed on these pages and on invented test pages; on an unseen site they keep
  body text reliably but leave more of its furniture (see `tests/fixtures/cleaning/README.md`).

{known_issues_section(s) if annotated else ""}

### Recommendations

Report results per fold with their spread, not a single split; do not generalise stance findings to
French-language media at large.

### Rights

The article texts are the work of their publishers and are **not licensed** to the maintainers. They are
redistributed here, with their outlet and source where known, for non-commercial research on language
technology; whether that is permitted depends on your jurisdiction (for example text-and-data-mining
exceptions for research), and this card is not legal advice. The annotations (offsets, labels) are
licensed separately under {ANNOTATIONS_LICENSE}. **Takedown:** a rights holder who wants a text removed
can open an issue in the repository or write to the maintainers; the document is removed from the next
release and its text from the hub repository's history where the hub allows.

## Citation

```bibtex
@misc{{coopnum,
  title  = {{{PRETTY_NAME}}},
  author = {{{{coopnum maintainers}}}},
  year   = {{2026}},
  note   = {{Dataset, schema version {schema.SCHEMA_VERSION}}}
}}
```

## Glossary

- **Stance target:** the fixed proposition toward which stance is annotated: *"{schema.STANCE_TARGET}"*.
- **Fold:** leave-one-document-out evaluation partition; fold *k* holds out the *k*-th document in id order.
- **CoNLL-4 projection:** the five entity types mapped to CoNLL-2003's four (`EVENT` → `MISC`).

## More Information

`DATASHEET.md` in the repository answers the *Datasheets for Datasets* questions; `croissant.json` in
this folder describes the configs in Croissant 1.1; `manifest.json` lists the hash of every input and
output of this build.

## Dataset Card Authors

Generated by `coopnum build` from `src/coopnum/schema.py`, the corpus and the annotations.

## Dataset Card Contact

The coopnum maintainers, through the repository's issue tracker.
"""


def card_text(stats: Stats) -> str:
    text = f"---\n{card_data(stats).to_yaml()}\n---\n{render(stats)}"
    DatasetCard(text)  # parses the front matter: a malformed card fails here, not on the hub
    return "\n".join(line.rstrip() for line in text.splitlines()).rstrip("\n") + "\n"
