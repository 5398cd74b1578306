"""The dataset card (``dataset/README.md``), rendered from the schema and the build.

YAML front matter comes from the same ``huggingface_hub`` / ``datasets`` calls
that ``push_to_hub`` makes; every table and figure in the Markdown is computed
here from the schema or from the built documents, never typed in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from datasets.info import DatasetInfo, DatasetInfosDict
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCard, DatasetCardData

from coopnum import clean, features, schema, splits

if TYPE_CHECKING:
    from coopnum.build import Document

PRETTY_NAME = "coopnum: French news on Russia's international digital cooperation"


@dataclass(frozen=True)
class Stats:
    documents: dict[str, int]  # split -> documents
    paragraphs: dict[str, int]  # kind -> paragraphs
    characters: int
    raw_lines: int
    removed_by_rule: dict[str, int]
    outlet_known: int
    date_known: int
    title_known: int

    @classmethod
    def of(cls, docs: Sequence[Document]) -> Stats:
        by_rule: Counter[str] = Counter()
        for d in docs:
            by_rule.update(d.clean.removed_by_rule())
        return cls(
            documents={s: sum(1 for d in docs if d.split == s) for s in schema.SPLITS},
            paragraphs={
                k: sum(1 for d in docs for p in d.clean.paragraphs if p.kind == k) for k in schema.PARAGRAPH_KINDS
            },
            characters=sum(len(d.clean.text) for d in docs),
            raw_lines=sum(len(d.clean.audit) for d in docs),
            removed_by_rule=dict(sorted(by_rule.items())),
            outlet_known=sum(1 for d in docs if d.raw.source.outlet),
            date_known=sum(1 for d in docs if d.raw.source.date),
            title_known=sum(1 for d in docs if d.clean.title),
        )

    @property
    def total_documents(self) -> int:
        return sum(self.documents.values())


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


def rules_table(removed_by_rule: dict[str, int] | None = None) -> str:
    counts = removed_by_rule or {}
    return table(
        ("rule", "removes", "lines in this build"),
        [(r.name, r.description, counts.get(r.name, 0)) for r in clean.RULES],
    )


def card_data(stats: Stats) -> DatasetCardData:
    data = DatasetCardData(
        language=[schema.LANGUAGE],
        license="other",
        license_name="mixed",
        license_details="Article texts: third-party copyright, redistributed for research (see DATASHEET.md). "
        "Code: MIT. Annotations, when published: CC BY 4.0.",
        pretty_name=PRETTY_NAME,
        size_categories=[size_category(stats.total_documents)],
        task_categories=["token-classification", "text-classification"],
        task_ids=["named-entity-recognition", "multi-label-classification", "topic-classification"],
        annotations_creators=["no-annotation"],
        language_creators=["found"],
        multilinguality=["monolingual"],
        source_datasets=["original"],
    )
    configs = {
        name: {
            "data_files": [{"split": s, "path": f"data/{name}/{s}.parquet"} for s in schema.SPLITS],
            **({"default": True} if i == 0 else {}),
        }
        for i, name in enumerate(features.CONFIGS)
    }
    MetadataConfigs(configs).to_dataset_card_data(data)
    DatasetInfosDict({name: DatasetInfo(features=f) for name, f in features.CONFIGS.items()}).to_dataset_card_data(data)
    return data


def render(stats: Stats) -> str:
    s = stats
    n = s.total_documents
    split_rows = [(split, s.documents[split]) for split in schema.SPLITS]
    para_rows = [(kind, s.paragraphs[kind]) for kind in schema.PARAGRAPH_KINDS]
    body = f"""
# {PRETTY_NAME}

French news articles about Russia's international cooperation in digital technology and the
digital economy, cleaned from raw web scrapes with a line-by-line audit trail and offsets back
to the raw files, for benchmarking French NER, stance detection and topic classification.

**Status.** This build holds the cleaned documents only (config `documents`). Entity, stance
and topic annotations (configs `ner`, `stance`, `topic`) are added when the annotation rounds
are done; until then no label in this card describes annotated data.

## Dataset Details

### Dataset Description

- **Curated by:** the coopnum maintainers.
- **Language:** French (`{schema.LANGUAGE}`), news register, several national varieties (outlets in
  Russia, Morocco, China, Viet Nam, France).
- **License:** mixed — see *Distribution* in `DATASHEET.md`. The article texts are third-party
  copyright; they are not licensed by us.
- **Size:** {n} documents, {s.characters:,} characters of clean text, {sum(s.paragraphs.values())} paragraphs.

### Dataset Sources

- **Repository:** the coopnum Git repository (this folder is its `dataset/`); raw files in `corpus/raw/`.
- **Outlets:** as stated in each article (`outlet`); unknown outlets are `null`
  ({s.outlet_known} of {n} documents state one). Publication dates likewise ({s.date_known} of {n}).

## Uses

### Direct Use

Benchmarking French NER (CoNLL-4 projection and five fine types), paragraph- and document-level
stance toward a fixed target, and multi-label topic classification; studying boilerplate removal
(every removed line is kept in `audit` with the rule that removed it).

### Out-of-Scope Use

Training or evaluating systems meant to judge the truth of the articles, profiling the people named
in them, or any use as a representative sample of French news: the corpus is small and on one
subject, and several outlets are state media.

## Dataset Structure

### Splits

Splits are by document, fixed by the document id alone (`sha256("{splits.SALT}" + id)`: test below
{splits.TEST_BELOW}, validation below {splits.VALIDATION_BELOW}, train otherwise), so adding articles never moves an old
one. With so few documents, use the `fold` field (leave-one-document-out) for evaluation.

{table(("split", "documents"), split_rows)}

### Config `documents`

One row per article.

| field | type | meaning |
|---|---|---|
| `id` | string | document id: the 16 hex digits of the raw file name |
| `raw_file` | string | path of the byte-exact scrape in the repository |
| `title` | string or null | title line, when the scrape has one |
| `outlet`, `date`, `url` | string or null | as stated in the article; `null` when not stated (never guessed); `date` is ISO 8601 at the stated precision (`YYYY-MM` or `YYYY-MM-DD`) |
| `language`, `rights` | string | BCP-47 code; rights status of the text |
| `text` | string | clean text: paragraphs joined by `\\n`, title first when present |
| `text_sha256`, `raw_sha256` | string | SHA-256 of `text` (UTF-8) and of the raw file; annotations record `text_sha256` |
| `paragraphs` | list of {{`start`, `end`, `kind`}} | half-open character offsets (code points) into `text`; `kind` is one of {", ".join(f"`{k}`" for k in schema.PARAGRAPH_KINDS)} |
| `offset_map` | list of {{`clean_start`, `clean_end`, `raw_start`, `raw_end`}} | clean range → raw range (code points of the UTF-8-decoded raw file); equal lengths map character by character, unequal ones (a collapsed space run) as a whole |
| `audit` | list of {{`line`, `raw_start`, `raw_end`, `action`, `rule`}} | every raw line: `kept`, `trimmed` (a prefix removed), `removed` or `blank`, and the rule |
| `removed_lines` | int | lines removed as boilerplate |
| `fold` | int | leave-one-document-out fold |

{table(("paragraph kind", "paragraphs"), para_rows)}

### Labels (schema {schema.SCHEMA_VERSION})

Entity types (flat, maximal official names; no demonyms, titles, dates or numbers):

{entity_table()}

Stance toward the target *"{schema.STANCE_TARGET}"*, per paragraph and per document
(SemEval-2016 Task 6 convention):

{stance_table()}

Topics (multi-label per document; {schema.TOPIC_RULE.lower()} IPTC vocabulary:
{schema.IPTC_VOCABULARY_RELEASE}):

{topic_table()}

## Dataset Creation

### Curation Rationale

A small, carefully documented benchmark on a narrow subject — how French-language media present
Russia's international cooperation in digital technology — where every cleaning decision and
every label can be audited.

### Source Data

#### Data Collection and Processing

Articles were scraped from the web as plain text (collection by the project's sponsor; URLs were
not kept). Cleaning (`coopnum clean`) decides the fate of every raw line with named rules
(patterns and layout features, none naming a particular article), normalises Unicode (NFC),
removes invisible characters and collapses whitespace (a no-break space before `: ; ! ? »` and
after `«`, a plain space elsewhere), and keeps an offset map to the raw file.
{s.raw_lines} raw lines were read; lines removed, by rule:

{rules_table(s.removed_by_rule)}

#### Who are the source data producers?

Journalists and press agencies of the outlets named in `outlet` (state-owned media among them).

### Annotations

None in this build.

### Personal and Sensitive Information

The articles name public figures (officials, executives) in their public roles. No annotator
information is in the dataset.

## Bias, Risks, and Limitations

- Five articles: far too few for training; figures on them have wide confidence intervals.
- One subject, largely one viewpoint: several outlets are state media (Sputnik, Xinhua-affiliated,
  VNA) and the texts mostly promote the cooperation they describe.
- {n - s.outlet_known} of {n} documents do not state their outlet and {n - s.date_known} of {n} do not
  state a full publication date; these fields are `null`.

### Recommendations

Report results per fold with the spread, not a single split; do not generalise stance findings to
French media at large.

## Citation

```bibtex
@misc{{coopnum,
  title  = {{{PRETTY_NAME}}},
  author = {{{{coopnum maintainers}}}},
  year   = {{2026}},
  note   = {{Dataset, version {schema.SCHEMA_VERSION}}}
}}
```

## Dataset Card Authors

Generated by `coopnum build` from the schema and the corpus.
"""
    return body


def card_text(stats: Stats) -> str:
    text = f"---\n{card_data(stats).to_yaml()}\n---\n{render(stats)}"
    DatasetCard(text)  # parses the front matter: a malformed card fails here, not on the hub
    return text.rstrip("\n") + "\n"


def write_card(path: Path, stats: Stats) -> None:
    path.write_text(card_text(stats), encoding="utf-8")
