"""The dataset card (``dataset/README.md``), rendered from the schema and the build.

YAML front matter comes from the same ``huggingface_hub`` / ``datasets`` calls
that ``push_to_hub`` makes; the Markdown follows the ``huggingface_hub``
dataset-card template's headings. Its prose is in ``templates/card.md`` (and the
variable pieces in ``templates/card_fragments.md``); every table, figure and
version filled into it is computed from the schema, the build's :class:`Stats`
or package metadata — never typed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from datasets.info import DatasetInfo, DatasetInfosDict
from datasets.splits import SplitDict, SplitInfo
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCard, DatasetCardData

from coopnum import schema
from coopnum.corpus import splits
from coopnum.dataset import card_sections, croissant, facts, registry, samples, settings, shards
from coopnum.dataset.plots import PLOTS, PLOTS_DIR
from coopnum.dataset.stats import BaselineResults, Stats, tally
from coopnum.dataset.tables import (
    entity_table,
    fmt,
    outlet_table,
    rules_table,
    size_category,
    spelled,
    split_table,
    stance_distribution,
    stance_table,
    table,
    topic_distribution,
    topic_table,
)
from coopnum.quality import agreement
from coopnum.quality.findings import CHECKS

__all__ = [  # the names other modules and tests import from here
    "ANNOTATIONS_LICENSE",
    "CODE_LICENSE",
    "PRETTY_NAME",
    "BaselineResults",
    "Stats",
    "card_text",
    "entity_table",
    "fmt",
    "render",
    "rules_table",
    "stance_table",
    "table",
    "tally",
    "topic_table",
]

PRETTY_NAME = settings.PRETTY_NAME
ANNOTATIONS_LICENSE = settings.ANNOTATIONS.name
CODE_LICENSE = settings.CODE.name
FRAGMENTS = "card_fragments.md"


def _fragment(name: str, **fields: object) -> str:
    return facts.fragments(FRAGMENTS)[name].substitute(fields)


def annotation_process(s: Stats) -> str:
    text = _fragment(
        "annotation_process",
        passes=facts.passes(s),
        passes_noun=facts.passes_noun(s),
        schema_url=settings.source_url("src/coopnum/schema.py"),
        adjudication_url=settings.source_url("annotations/adjudication.jsonl"),
        guidelines=GUIDELINES,
    )
    if s.provenance is not None and "machine-generated" in s.provenance.card_creators:
        text += _fragment("machine_annotators")
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
    parts += _preannotation_parts(report)
    return "\n\n".join(parts)


def _preannotation_parts(report: agreement.Report) -> list[str]:
    parts = []
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
    return parts


def baselines_section(s: Stats) -> str:
    b = s.baselines
    if b is None:
        return "No baseline has been run on this build (`coopnum baselines`)."
    if not b.current:
        return (
            "The scores in `benchmarks/baselines.json` were computed on another build of the data and are not "
            "shown; rerun `coopnum baselines` and rebuild."
        )
    caveat = ""
    if s.agreement is not None and s.agreement.preannotation:
        models = ", ".join(f"`{v}`" for v in s.agreement.preannotation)
        caveat = (
            f" One annotation pass started from {models}'s entity suggestions, so that model's NER score may be "
            "optimistic against this gold."
        )
    header = ("baseline", "config", "method", "metric", "pooled", "fold mean ± sd", "versions", "warnings")
    return (
        "Leave-one-document-out, every row of every split predicted by a model that did not see its document; "
        "pooled score and the mean ± sample standard deviation over held-out documents. Reproduce with "
        "`coopnum baselines --only NAME`; the warnings are the scorer's (see *Evaluation* for the absent-label "
        "policy and the ceiling)." + caveat + "\n\n" + table(header, card_sections.baseline_rows(s))
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
    return f"Guidelines: [GUIDELINES.md]({GUIDELINES}), version {p.guidelines_version}. {p.summary}\n\n" + table(
        ("pseudonymous id", "role", "who or what", "how"), rows
    )


# The hub's task ids (huggingface.js tasks: subtasks of token- and text-classification); stance has
# no task id there, so it is a tag, as on other stance datasets.
TASK_IDS = [
    "named-entity-recognition",
    "multi-class-classification",
    "multi-label-classification",
    "topic-classification",
]
TAGS = [
    "stance-detection",
    "named-entity-recognition",
    "topic-classification",
    "multi-label-classification",
    "news",
    "French",
]
GUIDELINES = "GUIDELINES.md"  # shipped inside dataset/ (a copy of annotations/GUIDELINES.md)
LICENSE_FILE = "LICENSE"  # shipped inside dataset/ (a copy of annotations/LICENSE)
SHIPPED = {GUIDELINES: "annotations/GUIDELINES.md", LICENSE_FILE: "annotations/LICENSE"}  # name -> source


def _gate() -> dict[str, Any]:
    if not settings.GATED:
        return {}
    return {"extra_gated_prompt": settings.GATED_PROMPT, "extra_gated_fields": dict(settings.GATED_FIELDS)}


def _infos(config_features: dict, sizes: dict[str, dict[str, samples.SplitSize]]) -> DatasetInfosDict:
    infos = {}
    for name, features in config_features.items():
        split_sizes = sizes.get(name, {})
        split_dict = SplitDict()
        for split, size in card_sections.splits_of(split_sizes):
            split_dict.add(SplitInfo(name=split, num_bytes=size.num_bytes, num_examples=size.num_examples))
        extra = (
            {
                "dataset_size": sum(x.num_bytes for x in split_sizes.values()),
                "download_size": sum(x.download_bytes for x in split_sizes.values()),
            }
            if split_sizes
            else {}
        )
        infos[name] = DatasetInfo(features=features, splits=split_dict or None, **extra)
    return DatasetInfosDict(infos)


def _data_files(config: str, split: str, sizes: dict[str, dict[str, samples.SplitSize]] | None) -> str:
    """The split's file, or the glob of its shards (:mod:`coopnum.dataset.shards`). `datasets` reads a glob's
    matches in sorted order (checked by tests/dataset/test_shards.py), which is document order here."""
    size = (sizes or {}).get(config, {}).get(split)
    return shards.data_files(config, split, size.paths if size and size.paths else [shards.shard_path(config, split)])


def card_data(stats: Stats, sizes: dict[str, dict[str, samples.SplitSize]] | None = None) -> DatasetCardData:
    config_features = registry.configs(stats.annotated)
    creators = stats.provenance.card_creators if stats.provenance else ["no-annotation"]
    data = DatasetCardData(
        language=[schema.LANGUAGE],
        license="other",
        license_name="mixed",
        license_link=LICENSE_FILE,
        license_details="Article texts: third-party copyright, not licensed to the maintainers (see Rights). "
        + facts.licence_summary(),
        pretty_name=PRETTY_NAME,
        size_categories=[size_category(stats.total_documents)],
        task_categories=["token-classification", "text-classification"],
        task_ids=TASK_IDS,
        tags=TAGS,
        annotations_creators=creators,
        language_creators=["found"],
        multilinguality=["monolingual"],
        source_datasets=["original"],
        **_gate(),
    )
    # A split with no row yet (all its documents still being annotated) has no file, and `datasets`
    # cannot load an empty one: the card lists the splits that were written, and a config none.
    written = {
        name: [s for s in schema.SPLITS if sizes is None or s in sizes.get(name, {})] for name in config_features
    }
    configs = {
        name: {
            "data_files": [{"split": s, "path": _data_files(name, s, sizes)} for s in written[name]],
            **({"default": True} if i == 0 else {}),
        }
        for i, name in enumerate(config_features)
        if written[name]
    }
    MetadataConfigs(configs).to_dataset_card_data(data)
    _infos(config_features, sizes or {}).to_dataset_card_data(data)
    return data


def structure_section(s: Stats, dataset_dir: Path | None = None) -> str:
    configs = registry.configs(s.annotated)
    config_rows = [(f"`{name}`", registry.CONFIGS[name].description) for name in configs]
    return facts.fill(
        "card_structure.md",
        config_table=table(("config", "rows"), config_rows),
        config_details=card_sections.config_details(configs, dataset_dir),
        salt=splits.SALT,
        test_below=splits.TEST_BELOW,
        validation_below=splits.VALIDATION_BELOW,
        split_table=split_table(s),
    )


def _status(s: Stats) -> str:
    if not s.annotated:
        return _fragment("status_unannotated")
    return _fragment("status_annotated", passes=facts.passes(s), passes_noun=facts.passes_noun(s))


def _viewpoint(s: Stats) -> str:
    if not s.annotated:
        return _fragment("viewpoint_unannotated")
    dominant = facts.dominant_stance(s)
    if dominant is None:
        return _fragment("viewpoint_mixed", documents=s.total_documents)
    return _fragment("viewpoint_dominant", dominant_stance=dominant)


def _collection_missing(s: Stats) -> str:
    if not s.url_known:
        return _fragment("urls_none")
    return _fragment("urls_some", url_known=s.url_known, documents=s.total_documents)


def _annotation_fields(s: Stats) -> dict[str, str]:
    if not s.annotated:
        return {"label_figures": "", "annotation_process": "None in this build.", "agreement": "", "known_issues": ""}
    return {
        "label_figures": _fragment(
            "label_figures", stance_distribution=stance_distribution(s), topic_distribution=topic_distribution(s)
        ),
        "annotation_process": annotation_process(s),
        "agreement": agreement_section(s.agreement),
        "known_issues": known_issues_section(s),
    }


def _schema_fields() -> dict[str, object]:
    return {
        "pretty_name": PRETTY_NAME,
        "language": schema.LANGUAGE,
        "annotations_licence": ANNOTATIONS_LICENSE,
        "code_licence": CODE_LICENSE,
        "fine_types": spelled(len(schema.ENTITY_TYPES)),
        "schema_version": schema.SCHEMA_VERSION,
        "entity_table": entity_table(),
        "stance_target": schema.STANCE_TARGET,
        "stance_table": stance_table(),
        "topic_rule": schema.TOPIC_RULE.lower(),
        "iptc_release": schema.IPTC_VOCABULARY_RELEASE,
        "topic_table": topic_table(),
        "projection_note": facts.projection_note(),
        "year": settings.RELEASE_YEAR,
        "croissant_version": croissant.CONFORMS_TO.rsplit("/", 1)[1],
    }


def _links(s: Stats) -> dict[str, str]:
    """Links the card gives: files shipped in this folder, or the source repository's (settings)."""
    return {
        "hub_url": settings.hub_url(),
        "repository_url": settings.REPOSITORY_URL,
        "raw_url": settings.source_url("corpus/raw/"),
        "annotations_url": settings.source_url("annotations/"),
        "schema_url": settings.source_url("src/coopnum/schema.py"),
        "fixtures_url": settings.source_url("tests/fixtures/cleaning/README.md"),
        "adjudication_url": settings.source_url("annotations/adjudication.jsonl"),
        "guidelines": GUIDELINES,
        "license_file": LICENSE_FILE,
        "takedown": settings.TAKEDOWN_CONTACT,
        "release": s.release,  # the one version (pyproject.toml), as the build sets it
    }


def render(s: Stats, dataset_dir: Path | None = None, plots: Sequence[str] = ()) -> str:
    """The Markdown body of the card: ``templates/card.md`` filled from the schema, ``s`` and, when
    given, the files written in ``dataset_dir`` (example rows) and the plots drawn there."""
    n = s.total_documents
    return facts.fill(
        "card.md",
        **_schema_fields(),
        **_annotation_fields(s),
        **_links(s),
        status=_status(s),
        documents=n,
        stages=facts.stages(s),
        characters=f"{s.characters:,}",
        paragraphs=sum(s.paragraphs.values()),
        baselines=baselines_section(s),
        evaluation=card_sections.evaluation_section(s),
        plots=card_sections.plots_section(plots, PLOTS, PLOTS_DIR),
        structure=structure_section(s, dataset_dir),
        collection_missing=_collection_missing(s),
        raw_lines=s.raw_lines,
        rules_table=rules_table(s.removed_by_rule),
        no_outlet=n - s.outlet_known,
        undated=n - s.date_known,
        outlet_table=outlet_table(s),
        annotators=annotators_section(s),
        viewpoint=_viewpoint(s),
    )


def card_text(stats: Stats, dataset_dir: Path | None = None, plots: Sequence[str] = ()) -> str:
    """The card with its front matter; ``dataset_dir``: the folder whose Parquet files it describes."""
    configs = list(registry.configs(stats.annotated))
    sizes = card_sections.dataset_sizes(dataset_dir, configs)
    text = f"---\n{card_data(stats, sizes).to_yaml()}\n---\n{render(stats, dataset_dir, plots)}"
    DatasetCard(text)  # parses the front matter: a malformed card fails here, not on the hub
    return "\n".join(line.rstrip() for line in text.splitlines()).rstrip("\n") + "\n"
