"""Card sections read from the registry and the written files: field tables, example rows, evaluation, plots.

Each field table is generated from a config's features (types, label names) with the meaning of
each field from :data:`FIELD_MEANINGS` (a test checks every published field has one); each example
is the first row of the config's Parquet files; the evaluation section is the prediction format of
each scored config, the metric definitions and the baselines with their warnings; the plots section
links each plot the build drew.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from datasets import ClassLabel, Features, List, Value

from coopnum import schema
from coopnum.dataset import facts, registry, samples
from coopnum.dataset.stats import Stats
from coopnum.dataset.tables import fmt, table

EVALUATION = "card_evaluation.md"
PLOTS_TITLES_MISSING = "no data in this build"

# The meaning of every published field, by name (shared by the configs that have it).
FIELD_MEANINGS: dict[str, str] = {
    "id": "row id: the document id (16 hex digits of the raw file name), with `-pNNN` (paragraph), `-sNNN` "
    "(sentence) or `-<annotation>` appended in the configs with several rows per document",
    "doc_id": "the document id the row comes from (group by it for leave-one-document-out)",
    "raw_file": "path of the byte-exact scrape in the source repository",
    "title": "title line, when the scrape has one",
    "outlet": "outlet as stated in the article, null when not stated (never guessed)",
    "date": "publication date as stated (ISO 8601 at the stated precision), null when not stated",
    "url": "URL of the article when the scrape kept it, else null",
    "language": "BCP-47 code",
    "rights": "rights status of the text",
    "text": "clean text (in `documents`: paragraphs joined by `\\n`, title first when present; in `stance`: the "
    "paragraph)",
    "text_sha256": "SHA-256 of the clean text (UTF-8); annotations record the one they were made on",
    "raw_sha256": "SHA-256 of the raw file",
    "paragraphs": "half-open character offsets (code points) into `text`, and the paragraph's kind",
    "offset_map": "clean range → raw range (code points of the UTF-8-decoded raw file); equal lengths map "
    "character by character",
    "audit": "every raw line: `kept`, `trimmed`, `removed` or `blank`, and the cleaning rule that decided it",
    "removed_lines": "raw lines removed as boilerplate",
    "fold": "one of 10 fixed folds, from the document id alone (the same in every config)",
    "adjudicated": "whether the document has an adjudicated gold (false: its label fields are empty)",
    "entities": "entity spans: half-open character offsets into `text` (code points), type and covered text",
    "stance": "document stance toward the target",
    "paragraph_stances": "stance of each paragraph toward the target, in `paragraphs` order",
    "topics": "topics of the document",
    "paragraph": "index of the paragraph in the document's `paragraphs`",
    "sentence": "index of the sentence in its paragraph",
    "tokens": "the sentence's tokens (spaCy's French rules)",
    "token_starts": "character offset of each token into the document's `text`",
    "token_ends": "end offset (exclusive) of each token",
    "ner_tags": "CoNLL-4 IOB2 tag of each token (`conll2003` id order)",
    "fine_ner_tags": "IOB2 tag of each token over the fine entity types",
    "target": "the fixed stance target",
    "label": "the stance label (the prediction target)",
    "labels": "the topics (multi-label; the prediction target)",
    "iptc_codes": "IPTC Media Topic codes of the topics",
    "annotation_id": "the annotation's id",
    "annotator": "pseudonymous id of the annotator (see *Who are the annotators?*)",
    "is_gold": "whether the annotation is the adjudicated gold",
}


def feature_type(feature: object) -> str:
    """A feature as the field tables write it: ``string``, ``label (A, B)``, ``list of {a, b}``."""
    if isinstance(feature, ClassLabel):
        return f"label ({', '.join(feature.names)})"
    if isinstance(feature, Value):
        return str(feature.dtype)
    if isinstance(feature, List):
        return f"list of {feature_type(feature.feature)}"
    if isinstance(feature, dict):
        return "{" + ", ".join(f"`{k}`: {feature_type(v)}" for k, v in feature.items()) + "}"
    return type(feature).__name__


def field_table(features: Features) -> str:
    return table(
        ("field", "type", "meaning"),
        [(f"`{name}`", feature_type(f), FIELD_MEANINGS.get(name, "")) for name, f in features.items()],
    )


def config_details(configs: dict[str, Features], dataset_dir: Path | None) -> str:
    """Per config: its field table and, when the files are written, its first row (truncated for reading)."""
    parts = []
    for name, features in configs.items():
        part = f"#### `{name}`\n\n{registry.CONFIGS[name].description}.\n\n{field_table(features)}"
        example = samples.first_row(dataset_dir, name) if dataset_dir is not None else None
        if example is not None:
            split, row = example
            shown = samples.example_json(row)
            fence = "`" * max(3, 1 + max((len(r) for r in re.findall(r"`+", shown)), default=0))  # text can't close it
            part += (
                f"\n\nThe first row of `{split}` (strings cut at {samples.STRING_CHARACTERS} characters, lists at "
                f"{samples.LIST_ITEMS} items; label ids shown as names):\n\n{fence}json\n{shown}\n{fence}"
            )
        parts.append(part)
    return "\n\n".join(parts)


def _prediction_formats() -> str:
    lines = [f"- `{name}`: `{registry.CONFIGS[name].prediction_example}`" for name in registry.SCORED]
    return "\n".join(lines)


def _ceiling(s: Stats) -> str:
    """Which baselines reach the ceiling (1.0, what a perfect system scores), and why."""
    b = s.baselines
    if b is None or not b.current:
        return ""
    at_ceiling = [
        (name, metric, r.get("warnings", []))
        for name, r in b.results.items()
        for metric, value in r["scores"].items()
        if value is not None and value >= 1.0
    ]
    if not at_ceiling:
        return "No baseline reaches the ceiling on this build."
    rows = [(f"`{name}`", metric, "; ".join(w) or "—") for name, metric, w in at_ceiling]
    return (
        "These baselines reach the ceiling, so on this build their metric cannot tell them from a perfect "
        "system:\n\n" + table(("baseline", "metric", "why (the scorer's warnings)"), rows)
    )


def evaluation_section(s: Stats) -> str:
    return facts.fill(
        EVALUATION,
        prediction_formats=_prediction_formats(),
        scored=", ".join(f"`{n}`" for n in registry.SCORED),
        ceiling=_ceiling(s),
    )


def baseline_rows(s: Stats) -> list[Sequence[object]]:
    b = s.baselines
    assert b is not None
    rows: list[Sequence[object]] = []
    for name, r in b.results.items():
        warnings = "; ".join(r.get("warnings", [])) or "—"
        for metric, value in r["scores"].items():
            mean, std = r["fold_mean"].get(metric), r["fold_std"].get(metric)
            spread = f"{fmt(mean)} ± {fmt(std)}" if std is not None else fmt(mean)
            versions = ", ".join(f"{k} {v}" for k, v in r["versions"].items()) or "—"
            rows.append((f"`{name}`", r["config"], r["method"], metric, fmt(value, 3), spread, versions, warnings))
    return rows


def plots_section(written: Sequence[str], titles: dict[str, str], plots_dir: str) -> str:
    """A Markdown image for each plot the build drew; a line for each that has no data (never an empty image)."""
    lines = [f"![{titles[name]}]({plots_dir}/{name})" for name in titles if name in written]
    missing = [f"- *{titles[name]}*: {PLOTS_TITLES_MISSING}." for name in titles if name not in written]
    return "\n\n".join(lines + (["\n".join(missing)] if missing else [])) or "No plot in this build."


def dataset_sizes(dataset_dir: Path | None, configs: list[str]) -> dict[str, dict[str, samples.SplitSize]]:
    return samples.split_sizes(dataset_dir, configs) if dataset_dir is not None else {}


def splits_of(sizes: dict[str, samples.SplitSize]) -> list[tuple[str, samples.SplitSize]]:
    """The splits of a config's ``dataset_info``, in schema order, with their sizes."""
    return [(split, sizes[split]) for split in schema.SPLITS if split in sizes]
