"""``dataset/croissant.json``: machine-readable metadata (Croissant 1.1 with RAI fields).

Generated from the same features as the Parquet files, so a column's name and type cannot drift
from the data. The distribution is the Parquet folder ``data/`` beside this file (the hub
repository's root), a file object per Parquet file with its sha256, and one file set per config
in that folder; loading the JSON without the folder is an error, not an empty dataset. Every
record set has a ``split`` field, read from the file's path and referencing the ``splits`` record
set, so ``records(config, filters={f"{config}/split": "test"})`` returns the test records alone.
Lists of structs (entities, paragraphs, offset map, audit) are nested fields; ClassLabel columns
are integers whose description names the categorical record set (``sc:Enumeration``) of their label
names (id → name). The licences are per part (annotations, code, texts), never one for the whole dataset.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from datasets import ClassLabel, Features, List, Value

from coopnum import schema
from coopnum.dataset import facts, registry, settings, shards
from coopnum.dataset.stats import Stats
from coopnum.dataset.tables import spelled
from coopnum.quality import agreement

if TYPE_CHECKING:
    import mlcroissant as mlc  # imported by the functions that make its objects: ≈ 0.3 s, and a
    # rebuild fills in the Parquet hashes of a cached text instead (coopnum.dataset.build._croissant)

CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
SPLITS = "splits"  # the record set of split names
ENUMERATION = "https://schema.org/Enumeration"  # (mlcroissant's DataType names none)
_TYPES = {"string": "TEXT", "int32": "INTEGER", "int64": "INTEGER", "bool": "BOOL"}  # mlc.DataType's names
# Each ClassLabel's names, as a categorical record set: its id and what it lists
LABEL_SETS: dict[str, tuple[tuple[str, ...], str]] = {
    "entity_labels": (schema.ENTITY_LABELS, "entity types"),
    "stance_labels": (schema.STANCE_LABELS, "stance labels toward the fixed target"),
    "topic_labels": (schema.TOPIC_LABELS, "topics"),
    "paragraph_kinds": (schema.PARAGRAPH_KINDS, "paragraph kinds"),
    "conll_ner_tags": (schema.CONLL_NER_TAGS, "CoNLL-4 IOB2 tags, in conll2003 id order"),
    "fine_ner_tags": (schema.FINE_NER_TAGS, "IOB2 tags of the fine entity types"),
}


def label_set_of(label: ClassLabel) -> str:
    """The categorical record set holding ``label``'s names (every ClassLabel's names are the schema's)."""
    for name, (names, _) in LABEL_SETS.items():
        if tuple(label.names) == names:
            return name
    raise ValueError(f"ClassLabel names {label.names} are not one of the schema's label sets")


def _source(config: str, column: str, sub: str | None = None) -> mlc.Source:
    import mlcroissant as mlc

    transforms = [mlc.Transform(json_path=sub)] if sub else []
    return mlc.Source(file_set=f"parquet-{config}", extract=mlc.Extract(column=column), transforms=transforms)


def _field(config: str, name: str, feature: object, column: str | None = None, parent: str = "") -> mlc.Field:
    """A Croissant field for one feature; a list of structs becomes a repeated field with sub-fields."""
    import mlcroissant as mlc

    field_id = f"{parent or config}/{name}"
    is_array = isinstance(feature, List)
    inner = feature.feature if isinstance(feature, List) else feature  # (narrowed here: mypy keeps no is_array link)
    source = _source(config, column, name) if column else _source(config, name)
    array = {"is_array": True, "array_shape": "-1"} if is_array else {}
    if isinstance(inner, dict):
        subs = [_field(config, sub, f, column=name, parent=field_id) for sub, f in inner.items()]
        return mlc.Field(
            id=field_id, name=name, description=f"list of {{{', '.join(inner)}}}", sub_fields=subs, **array
        )
    if isinstance(inner, ClassLabel):
        label_set = label_set_of(inner)
        data_type, description = mlc.DataType.INTEGER, f"class label id; names in record set `{label_set}`: "
        description += ", ".join(inner.names)
        # named, not joined (``references``): in mlcroissant 1.1.1 a second join in a record set makes its
        # operation graph unstreamable, and then a split filter fails (``did not set output for
        # "ReadFields(splits)"``), a list column cannot be merged on, and repeated loads reuse cached outputs
    elif isinstance(inner, Value) and inner.dtype in _TYPES:
        data_type, description = getattr(mlc.DataType, _TYPES[inner.dtype]), f"{inner.dtype}"
    else:
        raise ValueError(f"{config}/{name}: no Croissant type for {inner!r}")
    return mlc.Field(
        id=field_id,
        name=name,
        description=description,
        data_types=[data_type],
        source=source,
        **array,
    )


def _split_field(config: str, sharded: bool) -> mlc.Field:
    """The split of a record, from the path of its Parquet file in the folder (``<config>/<split>.parquet``, or
    ``<config>/<split>-<first doc id>.parquet`` for a shard of a split of several: :mod:`coopnum.dataset.shards`)."""
    import mlcroissant as mlc

    splits = "|".join(schema.SPLITS)
    return mlc.Field(
        id=f"{config}/split",
        name="split",
        description="the split of the record: " + ", ".join(schema.SPLITS),
        data_types=[mlc.DataType.TEXT],
        source=mlc.Source(
            file_set=f"parquet-{config}",
            extract=mlc.Extract(file_property=mlc.FileProperty.fullpath),
            # v1.0.0's regex while no split of the config is sharded: the small corpus's file keeps its bytes
            transforms=[
                mlc.Transform(regex=f"^{config}/({splits}){shards.SHARD_SUFFIX_REGEX if sharded else ''}\\.parquet$")
            ],
        ),
        references=mlc.Source(field=f"{SPLITS}/name"),
    )


def _splits_record_set() -> mlc.RecordSet:
    import mlcroissant as mlc

    return mlc.RecordSet(
        id=SPLITS,
        name=SPLITS,
        description="The splits (by document, fixed by the document id), the same in every config.",
        data_types=[mlc.DataType.SPLIT],
        key=[f"{SPLITS}/name"],
        fields=[mlc.Field(id=f"{SPLITS}/name", name="name", data_types=[mlc.DataType.TEXT])],
        data=[{f"{SPLITS}/name": split} for split in schema.SPLITS],
    )


def _label_record_sets() -> list[mlc.RecordSet]:
    import mlcroissant as mlc

    return [
        mlc.RecordSet(
            id=name,
            name=name,
            description=f"The {what}: the integer id a ClassLabel column holds, and its name.",
            data_types=[ENUMERATION],  # a categorical record set (Croissant 1.0, "Categorical data")
            key=[f"{name}/id"],
            fields=[
                mlc.Field(id=f"{name}/id", name="id", data_types=[mlc.DataType.INTEGER]),
                mlc.Field(id=f"{name}/name", name="name", data_types=[mlc.DataType.TEXT]),
            ],
            data=[{f"{name}/id": i, f"{name}/name": label} for i, label in enumerate(names)],
        )
        for name, (names, what) in LABEL_SETS.items()
    ]


DATA_FOLDER = "data"  # the Parquet files' folder, beside this file (in ``dataset/``, the hub repository's root)
_FOLDER_ID = "parquet-folder"


def _in_folder(rel: str) -> str:
    """A data file's path in :data:`DATA_FOLDER` (``rel``: relative to the dataset folder)."""
    return rel.removeprefix(f"{DATA_FOLDER}/")


def _listing_sha256(file_sha256: dict[str, str]) -> str:
    """The sha256 of ``sha256sum``'s listing of the files (``<sha256>  <path>`` lines, sorted by path)."""
    listing = "".join(f"{digest}  {path}\n" for path, digest in sorted(file_sha256.items()))
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


def _folder_files(config_features: dict[str, Features], parquet_sha256: Mapping[str, str]) -> dict[str, str]:
    """The sha256 of each Parquet file of the configs that was written, by its path in the folder."""
    return {
        _in_folder(rel): parquet_sha256[rel]
        for c in config_features
        for s in schema.SPLITS
        for rel in shards.select(parquet_sha256, c, s)
    }


def _file_set(config: str) -> mlc.FileSet:
    import mlcroissant as mlc

    return mlc.FileSet(
        # a 1.1 context writes ``cr:containedIn``; the default (1.0) one writes schema.org's term,
        # which mlcroissant reads back, in a 1.1 file, as no container (and so finds no file)
        ctx=mlc.Context(conforms_to=CONFORMS_TO),
        id=f"parquet-{config}",
        name=f"parquet-{config}",
        description=f"The Parquet files of the `{config}` config, one per split",
        contained_in=[_FOLDER_ID],
        encoding_formats=[mlc.EncodingFormat.PARQUET],
        includes=[f"{config}/*{shards.SUFFIX}"],
    )


def distribution(
    config_features: dict[str, Features], parquet_sha256: Mapping[str, str]
) -> list[mlc.FileObject | mlc.FileSet]:
    """The Parquet folder; each Parquet file the build wrote, with its sha256 (``parquet_sha256``: by path
    relative to the dataset folder, :func:`coopnum.dataset.manifest.parquet_sha256`); one file set per
    config, which its record set reads.

    The record sets read the file sets through the folder because that is the one form mlcroissant 1.1.1
    streams (one download, then the files): a file set contained in the files' own file objects builds an
    operation graph it cannot run, and a file object per split feeding one file set is run with cached
    outputs, so a second ``records(..., filters=...)`` on the same ``mlc.Dataset`` returns the first
    split's files. So a missing folder is an error, but mlcroissant checks no file's sha256 (it checks none
    of a folder): the files' hashes are here for any reader to check."""
    import mlcroissant as mlc

    file_sha256 = _folder_files(config_features, parquet_sha256)
    parquet_folder = mlc.FileObject(
        id=_FOLDER_ID,
        name=DATA_FOLDER,
        description=f"The folder `{DATA_FOLDER}/` beside this file, in the dataset's git repository. Its sha256 is "
        "that of `sha256sum`'s listing of the Parquet files in it (`<sha256>  <path>` lines, sorted by path).",
        content_url=DATA_FOLDER,  # relative: resolved against this file's folder, and an error when missing
        encoding_formats=[mlc.EncodingFormat.GIT],  # a folder of a git repository, as the hub's files are
        sha256=_listing_sha256(file_sha256),
    )
    files = [
        mlc.FileObject(
            ctx=mlc.Context(conforms_to=CONFORMS_TO),  # see _file_set
            id=f"parquet-{path.removesuffix('.parquet').replace('/', '-')}",
            name=path,
            contained_in=[_FOLDER_ID],
            content_url=path,
            encoding_formats=[mlc.EncodingFormat.PARQUET],
            sha256=digest,
        )
        for path, digest in file_sha256.items()
    ]
    return [parquet_folder, *files, *(_file_set(config) for config in config_features)]


def record_sets(
    config_features: dict[str, Features], descriptions: dict[str, str], sharded: frozenset[str] = frozenset()
) -> list[mlc.RecordSet]:
    """The splits, the label sets, and one record set per config (its split and every column); ``sharded``: the
    configs with a split of several shards."""
    import mlcroissant as mlc

    configs = [
        mlc.RecordSet(
            id=config,
            name=config,
            description=f"The `{config}` config: {descriptions.get(config, config)}.",
            fields=[_split_field(config, config in sharded), *(_field(config, name, f) for name, f in feats.items())],
        )
        for config, feats in config_features.items()
    ]
    return [_splits_record_set(), *_label_record_sets(), *configs]


def licences() -> list[mlc.CreativeWork]:
    """One entry per part of the release, as the card states them: the annotations and the code are
    licensed, the article texts are not (so no single licence is claimed for the whole dataset)."""
    import mlcroissant as mlc

    return [
        mlc.CreativeWork(name=lic.name, description=f"Applies to {lic.covers}.", url=lic.url)
        for lic in settings.LICENCES
    ]


def annotation_analysis(report: agreement.Report | None) -> list[str]:
    """The agreement figures, as ``agreement.json`` holds them (same report, same rounding)."""
    if report is None or not report.pairs:
        return ["No two independent annotation passes: no agreement figures."]
    data: Any = agreement.report_dict(report)  # plain JSON
    out = []
    for pair in data["pairs"]:
        f1 = ", ".join(f"{label} {v['f1']}" for label, v in pair["entities_exact"].items())
        partial = pair["entities_partial"]["overall"]["f1"]
        out.append(
            f"Entity F1 between passes {pair['reference']} (reference) and {pair['other']} over "
            f"{pair['documents']} documents, exact span and type: {f1}; partial overlap, overall: {partial}."
        )
    alpha = data["krippendorff_alpha"]
    topics = ", ".join(f"{t} {a if a is not None else 'n/a'}" for t, a in alpha["topics"].items())
    out.append(
        "Krippendorff's alpha (nominal) over all passes: paragraph stance "
        f"{alpha['paragraph_stance']}, document stance {alpha['document_stance']}; per topic "
        f"(present/absent): {topics} (n/a: undefined, one value only). Full figures in agreement.json."
    )
    return out


def _annotation_fields(s: Stats) -> dict[str, object]:
    assert s.provenance is not None
    machine = facts.machine_annotators(s)
    per_item = facts.annotations_per_item(s)
    tools = [f"{a.id} ({a.role}): {a.kind}" for a in machine]
    tools += [f"{tool} (pre-annotation suggestions of entities)" for tool in facts.preannotation_tool_list(s)]
    return {
        "data_annotation_protocol": [
            f"{facts.passes(s).capitalize()} independent {facts.passes_noun(s)} per document in Label Studio and an "
            f"adjudicated gold; guidelines version {s.provenance.guidelines_version}. {s.provenance.summary}"
        ],
        "data_annotation_platform": ["Label Studio (config generated from the schema)"],
        "data_annotation_analysis": annotation_analysis(s.agreement),
        "annotations_per_item": per_item,
        "machine_annotation_tools": tools or ["none"],
        "annotator_demographics": [
            "No person annotated: every annotator is a machine annotator (see machineAnnotationTools)."
            if len(machine) == len(s.provenance.annotators)
            else "Not recorded; annotators are pseudonymous."
        ],
    }


def rai_fields(s: Stats) -> dict[str, Any]:
    """Croissant's responsible-AI fields, from the same figures as the card."""
    n = s.total_documents
    dominant = facts.dominant_stance(s) if s.annotated else None
    fields: dict[str, object] = {
        "data_collection": "Web pages on one subject scraped as plain text by the project's sponsor; kept byte-exact "
        "in corpus/raw/ of the source repository; outlet and date only where the article states them.",
        "data_collection_type": ["Web scraping"],
        "data_collection_missing_data": f"{n - s.outlet_known} of {n} articles state no outlet, {n - s.date_known} "
        f"no date; {'URLs were not kept' if not s.url_known else f'{n - s.url_known} no URL'}. Missing values are null.",
        "data_collection_raw_data": f"corpus/raw/ in the source repository ({settings.REPOSITORY_URL}); offset_map "
        "maps every clean character back to it.",
        "data_preprocessing_protocol": [
            "Named line rules and layout features remove boilerplate (audit per raw line); NFC; invisible characters "
            "removed; whitespace collapsed (no-break space before : ; ! ? » and after «)."
        ],
        "data_biases": [
            f"{spelled(n).capitalize()} articles on one subject; several outlets are state media"
            + (f"; {dominant}." if dominant else ".")
        ],
        "data_limitations": [
            "Too small for training; figures have wide confidence intervals; use leave-one-document-out."
        ],
        "data_use_cases": [
            "Benchmarking French NER, stance toward a fixed target, and multi-label topics; studying annotator "
            "disagreement and boilerplate removal."
        ],
        "data_social_impact": "Stance labels describe texts, not the people they name; misuse as judgements of "
        "persons is out of scope.",
        "personal_sensitive_information": ["Public figures named in their public roles; annotators pseudonymous."],
        "data_release_maintenance_plan": "Rebuilt and republished when inputs change; takedown on request "
        f"({settings.TAKEDOWN_CONTACT}).",
    }
    if s.annotated and s.provenance is not None:
        fields.update(_annotation_fields(s))
    return fields


def _sharded(parquet_sha256: Mapping[str, str]) -> frozenset[str]:
    """The configs with a file named as a shard (``<split>-<first doc id>.parquet``)."""
    return frozenset(p[0] for rel in parquet_sha256 if (p := shards.parse(rel)) is not None and p[2] is not None)


def metadata(
    config_features: dict[str, Features],
    rai: dict[str, Any],
    description: str,
    version: str,
    parquet_sha256: Mapping[str, str],
) -> mlc.Metadata:
    import mlcroissant as mlc

    descriptions = {name: c.description for name, c in registry.CONFIGS.items()}
    return mlc.Metadata(
        name="coopnum",
        description=description,
        conforms_to=[CONFORMS_TO],
        license=licences(),
        url=settings.hub_url(),
        version=version,
        date_published=datetime.datetime.combine(settings.RELEASE_DATE, datetime.time()),
        in_language=[schema.LANGUAGE],
        cite_as=facts.citation(version),
        keywords=["French", "named entity recognition", "stance detection", "topic classification", "news"],
        distribution=distribution(config_features, parquet_sha256),
        record_sets=record_sets(config_features, descriptions, _sharded(parquet_sha256)),
        **rai,
    )


def croissant_json(
    config_features: dict[str, Features],
    rai: dict[str, Any],
    description: str,
    version: str,
    parquet_sha256: Mapping[str, str],
) -> str:
    """The JSON-LD text; ``parquet_sha256``: the sha256 of the Parquet files just written, by path relative
    to the dataset folder (``data/<config>/<split>.parquet``)."""
    meta = metadata(config_features, rai, description, version, parquet_sha256)
    return json.dumps(meta.to_json(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


# A rebuild after an edit writes new Parquet bytes, so Croissant's text changes only where their sha256
# go, and making it with mlcroissant costs ≈ 0.3 s to import and ≈ 0.5 s to run (its object graph):
# the build caches the text made with stand-ins for the sha256 and puts the real ones in.


def stand_in_sha256(parquet_sha256: Mapping[str, str]) -> dict[str, str]:
    """A stand-in for each Parquet file's sha256 (by the same paths): 64 hex digits as a real one has,
    derived from the path alone, so the text made with them depends on which files exist, not their bytes."""
    return {path: hashlib.sha256(f"coopnum croissant stand-in {path}".encode()).hexdigest() for path in parquet_sha256}


def with_sha256(
    template: str, config_features: dict[str, Features], stand_ins: Mapping[str, str], parquet_sha256: Mapping[str, str]
) -> str | None:
    """``template`` (:func:`croissant_json` of ``stand_ins``) with the real sha256 of the files and of the
    folder's listing in place of the stand-ins: the text :func:`croissant_json` makes of ``parquet_sha256``.
    None when a stand-in is not in the text exactly once (then where it goes is not known)."""
    fake, real = _folder_files(config_features, stand_ins), _folder_files(config_features, parquet_sha256)
    if fake.keys() != real.keys():
        return None
    new_of = {fake[path]: real[path] for path in fake} | {_listing_sha256(fake): _listing_sha256(real)}
    if len(new_of) != len(fake) + 1 or any(template.count(f'"{old}"') != 1 for old in new_of):
        return None
    # one pass: a digest put in is never taken for a stand-in
    return re.sub('"([0-9a-f]{64})"', lambda m: f'"{new_of.get(m[1], m[1])}"', template)
