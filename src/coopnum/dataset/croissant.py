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

CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
_TYPES = {
    "string": mlc.DataType.TEXT,
    "int32": mlc.DataType.INTEGER,
    "int64": mlc.DataType.INTEGER,
    "bool": mlc.DataType.BOOL,
}


def _field(config: str, name: str, feature: object) -> mlc.Field | None:
    is_array = isinstance(feature, List)
    inner = feature.feature if is_array else feature  # type: ignore[union-attr]
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
        license=["https://creativecommons.org/licenses/by/4.0/"],
        url="https://huggingface.co/datasets/coopnum/coopnum",
        version=version,
        in_language=[schema.LANGUAGE],
        cite_as="coopnum maintainers (2026). coopnum: French news on Russia's international digital cooperation.",
        keywords=["French", "named entity recognition", "stance detection", "topic classification", "news"],
        distribution=distribution,
        record_sets=record_sets,
        **rai,
    )


def croissant_json(config_features: dict[str, Features], rai: dict[str, str], description: str, version: str) -> str:
    meta = metadata(config_features, rai, description, version)
    return json.dumps(meta.to_json(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
