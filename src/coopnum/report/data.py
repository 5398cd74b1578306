"""What the report reads: the built ``documents`` and ``annotator_labels`` rows, the adjudicator's
reasons, the raw scrapes and the validation findings; nothing is cleaned or tokenised again.

The rows are read a Parquet row group at a time (:func:`tasks` lists them; :func:`read_group`
reads one with the passes of its documents), so a worker holds one group, never the corpus.
Label names come from each file's own features (the Parquet schema metadata), not from today's
:mod:`coopnum.schema`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coopnum import schema
from coopnum.annotation import adjudication
from coopnum.dataset import shards
from coopnum.errors import CorpusError
from coopnum.util.hashing import sha256_bytes


@dataclass(frozen=True)
class Layers:
    """One annotation's decisions (a pass or the gold), with label names."""

    annotation_id: str
    annotator: str
    is_gold: bool
    entities: tuple[tuple[int, int, str, str], ...]  # (start, end, label, text), sorted
    stance: str | None
    paragraph_stances: tuple[str | None, ...]
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Record:
    """One ``documents`` row with the passes ``annotator_labels`` holds for it."""

    id: str
    split: str
    title: str | None
    outlet: str | None
    date: str | None
    url: str | None
    rights: str | None
    raw_file: str
    raw_sha256: str
    text: str
    paragraphs: tuple[tuple[int, int, str], ...]  # (start, end, kind)
    offset_map: tuple[tuple[int, int, int, int], ...]  # (clean_start, clean_end, raw_start, raw_end)
    audit: tuple[tuple[int, int, int, str, str | None], ...]  # (line, raw_start, raw_end, action, rule)
    removed_lines: int
    gold: Layers | None  # the gold layers of the documents row (None in an unannotated build)
    annotations: tuple[Layers, ...] = ()  # every annotator_labels row of the document: passes, then the gold

    @property
    def passes(self) -> tuple[Layers, ...]:
        return tuple(a for a in self.annotations if not a.is_gold)

    @property
    def stage(self) -> str:
        """How far the document went: cleaned, annotated (passes, no gold), adjudicated (a gold over
        two or more passes) or gold (a gold over fewer)."""
        if self.gold is None and not self.annotations:
            return "cleaned"
        if self.gold is None:
            return "annotated"
        return "adjudicated" if len(self.passes) >= 2 else "gold"


def documents_file(dataset_dir: Path, split: str) -> Path:
    """The split's (first) ``documents`` file: every shard of a split has the same features."""
    found = shards.files(dataset_dir, "documents", split)
    return found[0] if found else dataset_dir / shards.shard_path("documents", split)


def _groups(dataset_dir: Path, split: str) -> list[tuple[Path, int]]:
    """(file, row group in it) of each ``documents`` row group of a split, its shards in document order."""
    import pyarrow.parquet as pq

    return [
        (path, i)
        for path in shards.files(dataset_dir, "documents", split)
        for i in range(pq.ParquetFile(path).num_row_groups)
    ]


def tasks(dataset_dir: Path) -> list[tuple[str, int]]:
    """(split, row group) of every ``documents`` row group, in split order (a row group counted across the
    split's shards: :func:`read_group` finds its file)."""
    return [(split, i) for split in schema.SPLITS for i in range(len(_groups(dataset_dir, split)))]


def document_ids(dataset_dir: Path) -> list[tuple[str, str]]:
    """(split, id) of every document in the order :func:`tasks` reads them (the ``id`` column only)."""
    import pyarrow.parquet as pq

    out = []
    for split in schema.SPLITS:
        for path in shards.files(dataset_dir, "documents", split):
            out += [(split, i) for i in pq.read_table(path, columns=["id"]).column("id").to_pylist()]
    return out


def label_names(path: Path) -> dict[str, list[str]]:
    """ClassLabel names by column, from the file's features."""
    import pyarrow.parquet as pq
    from datasets import ClassLabel, Features, List

    out = {}
    for column, feature in Features.from_arrow_schema(pq.read_schema(path)).items():
        inner = feature.feature if isinstance(feature, List) else feature
        if isinstance(inner, ClassLabel):
            out[column] = inner.names
        elif isinstance(inner, dict):
            out.update({f"{column}.{k}": v.names for k, v in inner.items() if isinstance(v, ClassLabel)})
    return out


def _layers(row: Mapping[str, Any], names: Mapping[str, list[str]], gold: bool | None = None) -> Layers:
    def name(column: str, i: int | None) -> str | None:
        return None if i is None else names[column][i]

    entities = sorted((e["start"], e["end"], names["entities.label"][e["label"]], e["text"]) for e in row["entities"])
    return Layers(
        annotation_id=row.get("annotation_id") or "gold",
        annotator=row.get("annotator") or "gold",
        is_gold=bool(row.get("is_gold", True) if gold is None else gold),
        entities=tuple(entities),
        stance=name("stance", row["stance"]),
        paragraph_stances=tuple(name("paragraph_stances", s) for s in row["paragraph_stances"]),
        topics=tuple(names["topics"][t] for t in row["topics"]),
    )


def _annotations(dataset_dir: Path, split: str, ids: list[str]) -> dict[str, list[Layers]]:
    """The ``annotator_labels`` rows of ``ids``, read through the row groups whose id statistics
    can hold them (the rows of one document are contiguous and in document order)."""
    import pyarrow.parquet as pq

    out: dict[str, list[Layers]] = {i: [] for i in ids}
    if not ids:
        return out
    low, high = min(ids), max(ids)
    for path in shards.files(dataset_dir, "annotator_labels", split):
        names = label_names(path)
        # a shard's rows are the documents from its first id: the filter skips the others by their statistics
        table = pq.read_table(path, filters=[("doc_id", "in", ids)]) if _may_hold(path, low, high) else None
        for row in table.to_pylist() if table is not None else []:
            out[row["doc_id"]].append(_layers(row, names))
    for found in out.values():  # passes in annotator order, then the gold
        found.sort(key=lambda a: (a.is_gold, a.annotator, a.annotation_id))
    return out


def _may_hold(path: Path, low: str, high: str) -> bool:
    """Whether the file's ``doc_id`` range (its row groups' statistics) meets ``low`` … ``high``."""
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    column = meta.schema.to_arrow_schema().get_field_index("doc_id")
    for i in range(meta.num_row_groups):
        stats = meta.row_group(i).column(column).statistics
        if stats is None or not stats.has_min_max or (stats.min <= high and stats.max >= low):
            return True
    return False


def read_group(dataset_dir: Path, split: str, group: int) -> list[Record]:
    """The documents of one row group of a split, each with its passes."""
    import pyarrow.parquet as pq

    path, local = _groups(dataset_dir, split)[group]
    names = label_names(path)
    rows = pq.ParquetFile(path).read_row_group(local).to_pylist()
    passes = _annotations(dataset_dir, split, [r["id"] for r in rows])
    return [_record(r, split, names, passes[r["id"]]) for r in rows]


def _record(row: Mapping[str, Any], split: str, names: Mapping[str, list[str]], passes: list[Layers]) -> Record:
    return Record(
        id=row["id"],
        split=split,
        title=row["title"],
        outlet=row["outlet"],
        date=row["date"],
        url=row["url"],
        rights=row["rights"],
        raw_file=row["raw_file"],
        raw_sha256=row["raw_sha256"],
        text=row["text"],
        paragraphs=tuple((p["start"], p["end"], names["paragraphs.kind"][p["kind"]]) for p in row["paragraphs"]),
        offset_map=tuple((m["clean_start"], m["clean_end"], m["raw_start"], m["raw_end"]) for m in row["offset_map"]),
        audit=tuple((a["line"], a["raw_start"], a["raw_end"], a["action"], a["rule"]) for a in row["audit"]),
        removed_lines=row["removed_lines"],
        # a document not adjudicated yet has empty layers in `documents` (`adjudicated` false): no gold
        gold=_layers(row, names, gold=True) if "entities" in row and row.get("adjudicated", True) else None,
        annotations=tuple(passes),
    )


def raw_text(root: Path, record: Record) -> str:
    """The raw scrape a row names, checked against the row's ``raw_sha256``."""
    path = root / record.raw_file
    try:
        data = path.read_bytes()
    except OSError as e:
        raise CorpusError(f"cannot read the raw file: {e.strerror}", file=str(path), doc_id=record.id) from None
    if sha256_bytes(data) != record.raw_sha256:
        raise CorpusError(
            "the raw file is not the one the dataset was built from (raw_sha256): rebuild",
            file=str(path),
            doc_id=record.id,
            field="raw_sha256",
        )
    return data.decode("utf-8")


@dataclass(frozen=True)
class Findings:
    """The validation findings, as the JSON report of ``coopnum validate --report`` holds them."""

    items: tuple[dict[str, Any], ...]
    source: str  # where they came from, for the index
    by_document: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def of(cls, items: list[dict[str, Any]], source: str) -> Findings:
        by_document: dict[str, list[dict[str, Any]]] = {}
        for f in items:
            if f.get("document"):
                by_document.setdefault(f["document"], []).append(f)
        return cls(tuple(items), source, by_document)


def load_findings(root: Path, path: Path | None) -> Findings:
    """The findings in ``path`` (a ``coopnum validate --report`` file), or, without one, those
    :func:`coopnum.dataset.validation.validate` gives now."""
    if path is not None:
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
            items = [dict(f) for f in report["findings"]]
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise CorpusError(f"not a validation report (coopnum validate --report): {e}", file=str(path)) from None
        return Findings.of(sorted(items, key=_finding_key), path.name)
    from dataclasses import asdict

    from coopnum.dataset.validation import validate

    return Findings.of([asdict(f) for f in validate(root)], "coopnum validate")


def _finding_key(f: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(str(f.get(k) or "") for k in ("check", "severity", "document", "annotation", "field", "message"))


def reasons(root: Path) -> dict[tuple[str, str, str], adjudication.Reason]:
    """``annotations/adjudication.jsonl``, keyed by (document, layer, key)."""
    return adjudication.load_reasons(root / "annotations")


def iter_records(dataset_dir: Path) -> Iterator[Record]:
    """Every document, in :func:`tasks` order (for tools and tests; the report reads by group)."""
    for split, group in tasks(dataset_dir):
        yield from read_group(dataset_dir, split, group)
