"""``dataset/croissant.json``: machine-readable metadata (Croissant 1.1 with RAI fields).

Generated from the same features as the Parquet files, so a column's name and
type cannot drift from the data. ClassLabel columns are integers whose label
names are given in the field description (the hub's auto-generated Croissant
drops them); columns that are lists of structs (offsets, audit, spans) are
named in the record set's description, since Croissant record generation cannot
read them from Parquet yet.
"""

from __future__ import annotations

import json

import mlcroissant as mlc
from datasets import ClassLabel, Features, List, Value

from coopnum import schema
from coopnum.dataset import facts, settings
from coopnum.dataset.stats import Stats
from coopnum.dataset.tables import spelled

CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
_TYPES = {
    "string": mlc.DataType.TEXT,
    "int32": mlc.DataType.INTEGER,
    "int64": mlc.DataType.INTEGER,
    "bool": mlc.DataType.BOOL,
}


def _field(config: str, name: str, feature: object) -> mlc.Field | None:
    is_array = isinstance(feature, List)
    inner = feature.feature if isinstance(feature, List) else feature  # (narrowed here: mypy keeps no is_array link)
    if isinstance(inner, ClassLabel):
        data_type, description = mlc.DataType.INTEGER, "class label id; names in order: " + ", ".join(inner.names)
    elif isinstance(inner, Value) and inner.dtype in _TYPES:
        data_type, description = _TYPES[inner.dtype], f"{inner.dtype} column"
    else:
        return None  # a list of structs
    return mlc.Field(
        id=f"{config}/{name}",
        name=name,
        description=description,
        data_types=[data_type],
        source=mlc.Source(file_set=f"parquet-{config}", extract=mlc.Extract(column=name)),
        is_array=is_array,
        array_shape="-1" if is_array else None,
    )


def licences() -> list[mlc.CreativeWork]:
    """One entry per part of the release, as the card states them: the annotations and the code are
    licensed, the article texts are not (so no single licence is claimed for the whole dataset)."""
    return [
        mlc.CreativeWork(name=lic.name, description=f"Applies to {lic.covers}.", url=lic.url)
        for lic in settings.LICENCES
    ]


def rai_fields(s: Stats) -> dict[str, str]:
    """Croissant's responsible-AI fields, from the same figures as the card."""
    n = s.total_documents
    dominant = facts.dominant_stance(s) if s.annotated else None
    fields = {
        "data_collection": "Web pages on one subject scraped as plain text by the project's sponsor; kept byte-exact "
        "in corpus/raw/; outlet and date only where the article states them.",
        "data_collection_type": "Web scraping",
        "data_collection_missing_data": f"{n - s.outlet_known} of {n} articles state no outlet, {n - s.date_known} "
        f"no date; {'URLs were not kept' if not s.url_known else f'{n - s.url_known} no URL'}. Missing values are null.",
        "data_collection_raw_data": "corpus/raw/ in the repository; offset_map maps every clean character back to it.",
        "data_preprocessing_protocol": "Named line rules and layout features remove boilerplate (audit per raw line); "
        "NFC; invisible characters removed; whitespace collapsed (no-break space before : ; ! ? » and after «).",
        "data_biases": f"{spelled(n).capitalize()} articles on one subject; several outlets are state media"
        + (f"; {dominant}." if dominant else "."),
        "data_limitations": "Too small for training; figures have wide confidence intervals; use leave-one-document-out.",
        "data_use_cases": "Benchmarking French NER, stance toward a fixed target, and multi-label topics; studying "
        "annotator disagreement and boilerplate removal.",
        "data_social_impact": "Stance labels describe texts, not the people they name; misuse as judgements of "
        "persons is out of scope.",
        "personal_sensitive_information": "Public figures named in their public roles; annotators pseudonymous.",
        "data_release_maintenance_plan": "Rebuilt and republished when inputs change; takedown on request.",
    }
    if s.annotated and s.provenance is not None:
        fields["data_annotation_protocol"] = (
            f"{facts.passes(s).capitalize()} independent {facts.passes_noun(s)} per document in Label Studio and an "
            f"adjudicated gold; guidelines version {s.provenance.guidelines_version}. {s.provenance.summary}"
        )
        fields["data_annotation_platform"] = "Label Studio (config generated from the schema)"
        fields["annotations_per_item"] = f"{s.annotations_per_document:.1f}"
        fields["machine_annotation_tools"] = f"{facts.preannotation_tools(s)} (pre-annotation only)"
    return fields


def metadata(config_features: dict[str, Features], rai: dict[str, str], description: str, version: str) -> mlc.Metadata:
    distribution = [
        mlc.FileSet(
            id=f"parquet-{config}",
            name=f"parquet-{config}",
            description=f"Parquet files of the `{config}` config, one per split",
            encoding_formats=["application/x-parquet"],
            includes=[f"data/{config}/*.parquet"],
        )
        for config in config_features
    ]
    record_sets = []
    for config, feats in config_features.items():
        fields = [f for name, feat in feats.items() if (f := _field(config, name, feat)) is not None]
        nested = [name for name, feat in feats.items() if _field(config, name, feat) is None]
        note = (
            f" Lists of structs not described here (read them with `datasets`): {', '.join(nested)}." if nested else ""
        )
        record_sets.append(
            mlc.RecordSet(id=config, name=config, description=f"The `{config}` config.{note}", fields=fields)
        )
    return mlc.Metadata(
        name="coopnum",
        description=description,
        conforms_to=CONFORMS_TO,
        license=licences(),
        url=settings.hub_url(),
        version=version,
        in_language=[schema.LANGUAGE],
        cite_as=f"coopnum maintainers ({settings.RELEASE_YEAR}). {settings.PRETTY_NAME}.",
        keywords=["French", "named entity recognition", "stance detection", "topic classification", "news"],
        distribution=distribution,
        record_sets=record_sets,
        **rai,
    )


def croissant_json(config_features: dict[str, Features], rai: dict[str, str], description: str, version: str) -> str:
    meta = metadata(config_features, rai, description, version)
    return json.dumps(meta.to_json(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
