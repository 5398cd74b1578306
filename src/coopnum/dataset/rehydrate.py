"""``coopnum rehydrate``: the full release's configs rebuilt from the stand-off release and a user's scrapes.

Every raw file the stand-off manifest names is looked up by its file name in the user's folder, checked
by sha256 and decoded. As the build does, one pass over all of them first counts the lines that recur
across the documents of one outlet (:func:`coopnum.corpus.recurring.evidence_of`, each document's outlet
group read from its stand-off ``documents`` row: the same outlet and URL as its sources record); each
file is then cleaned by :func:`coopnum.corpus.clean.clean_document` with that evidence, and the clean
text checked by its sha256; the text fields of every row are then cut from it by the offsets the row keeps
(:func:`coopnum.dataset.standoff.fill_row`). A missing file or one byte changed stops it with one
line naming the file and the document, before anything is written. Rows go through the build's own
Parquet writer in the build's chunks of documents, so with the library versions of the release the
files are byte-identical to it; they are always row-identical (the text hashes guarantee it), and the
result says which files are byte-identical.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features

from coopnum import schema
from coopnum.corpus import recurring
from coopnum.corpus.clean import clean_document
from coopnum.corpus.sources import Source, decode_raw
from coopnum.dataset import settings, shards, standoff
from coopnum.dataset.parquet import ParquetSink
from coopnum.dataset.pipeline import CHUNK_DOCUMENTS
from coopnum.errors import BuildError, CorpusError
from coopnum.util import swap
from coopnum.util.hashing import sha256_bytes, sha256_file

DEFAULT_OUT = Path("build") / "rehydrated"
OWNER = swap.Marked("coopnum rehydrate")


@dataclass(frozen=True)
class RehydrateResult:
    folder: Path
    rows: dict[str, dict[str, int]]
    documents: int
    byte_identical: tuple[str, ...]  # data files equal, byte for byte, to the full release's
    different_bytes: tuple[str, ...]  # row-identical, written by other library versions
    same_code: bool  # the installed coopnum's code hash is the recipe's


def raw_text(raw_dir: Path, record: dict) -> str:
    """The decoded text of one document's raw file in the user's folder, checked by sha256."""
    doc_id = str(record["doc_id"])
    path = raw_dir / Path(str(record["raw_file"])).name
    if not path.is_file():
        raise CorpusError(
            f"raw file of the release is missing from {raw_dir}", file=str(path), doc_id=doc_id, field="raw_file"
        )
    data = path.read_bytes()
    found = sha256_bytes(data)
    if found != record["raw_sha256"]:
        raise CorpusError(
            f"raw file hashes to {found}, the release's scrape to {record['raw_sha256']}: not the same file",
            file=str(path),
            doc_id=doc_id,
            field="raw_sha256",
        )
    return decode_raw(data, str(path), doc_id)


def clean_text(raw_dir: Path, record: dict, recurring_lines: recurring.RecurringLines | None = None) -> str:
    """The clean text of one document from the user's raw file, checked at both ends by sha256;
    ``recurring_lines``: its view of the release's recurring-line evidence (:func:`release_evidence`)."""
    path = raw_dir / Path(str(record["raw_file"])).name
    text = clean_document(raw_text(raw_dir, record), str(record["doc_id"]), recurring_lines).text
    if sha256_bytes(text.encode("utf-8")) != record["text_sha256"]:
        raise CorpusError(
            "this coopnum cleans the raw file into another text than the release's (text_sha256): "
            "install the recipe's coopnum version",
            file=str(path),
            doc_id=str(record["doc_id"]),
            field="text_sha256",
        )
    return text


class _StandoffRows:
    """The stand-off rows of each (config, split), in Arrow, sliced out per document on demand."""

    def __init__(self, folder: Path, configs: list[str]) -> None:
        self.tables: dict[tuple[str, str], pa.Table] = {}
        self.ranges: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
        for config in configs:
            for split in schema.SPLITS:
                paths = shards.files(folder, config, split)  # its shards in document order
                if not paths:  # a split with no rows
                    continue
                table = pa.concat_tables([pq.read_table(p) for p in paths])
                self.tables[(config, split)] = table
                column = "id" if config == "documents" else "doc_id"
                self.ranges[(config, split)] = _ranges(table, column, folder / shards.DATA / config)

    def of(self, config: str, split: str, doc_id: str) -> list[dict]:
        if (config, split) not in self.tables:
            return []
        start, end = self.ranges[(config, split)].get(doc_id, (0, 0))
        return self.tables[(config, split)].slice(start, end - start).to_pylist()


def _ranges(table: pa.Table, column: str, path: Path) -> dict[str, tuple[int, int]]:
    """Each document's contiguous rows [start, end) in a file written in document order."""
    out: dict[str, tuple[int, int]] = {}
    previous = None
    for i, doc_id in enumerate(table.column(column).to_pylist()):
        if doc_id != previous:
            if doc_id in out:
                raise BuildError(
                    "rows of a document are not together: not a stand-off file", file=str(path), doc_id=doc_id
                )
            out[doc_id] = (i, i + 1)
            previous = doc_id
        else:
            out[doc_id] = (out[doc_id][0], i + 1)
    return out


def _document_row(rows: _StandoffRows, record: dict) -> dict:
    documents = rows.of("documents", str(record["split"]), str(record["doc_id"]))
    if len(documents) != 1:
        raise BuildError("the stand-off release has no documents row for this document", doc_id=record["doc_id"])
    return documents[0]


def _source(record: dict, row: dict) -> Source:
    """The document's sources record as far as the release keeps it (no evidence strings): what
    :func:`coopnum.corpus.recurring.outlet_of` groups it by (the outlet, else the URL's host)."""
    return Source(
        doc_id=str(record["doc_id"]),
        file=Path(str(record["raw_file"])).name,
        raw_sha256=str(record["raw_sha256"]),
        outlet=row["outlet"],
        outlet_evidence=None,
        date=row["date"],
        date_evidence=None,
        url=row["url"],
        language=row["language"],
        rights=row["rights"],
    )


def release_evidence(raw_dir: Path, documents: list[dict], rows: _StandoffRows) -> recurring.LineEvidence:
    """The recurring-line evidence of the release's documents, from the user's raw files, as the
    build's corpus pass computes it (:func:`coopnum.corpus.recurring.of_corpus`): only line hashes
    are held, never a text. A missing or changed raw file stops it, before anything is written."""
    hashes = []
    for record in documents:
        group = recurring.outlet_of(_source(record, _document_row(rows, record)))
        hashes.append(recurring.document_hashes(group, raw_text(raw_dir, record)))
    return recurring.evidence_of(hashes)


def _chunk_tables(
    raw_dir: Path,
    chunk: list[dict],
    rows: _StandoffRows,
    config_features: dict[str, Features],
    evidence: recurring.LineEvidence,
) -> dict[tuple[str, str], pa.Table]:
    """The full rows of one chunk of documents, per (config, split), as the build's chunk makes them."""
    out: dict[tuple[str, str], list[dict]] = {}
    for record in chunk:
        doc_id, split = str(record["doc_id"]), str(record["split"])
        document = _document_row(rows, record)
        text = clean_text(raw_dir, record, evidence.view(_source(record, document)))
        texts = standoff.Texts.of(text, document["paragraphs"])
        for config in config_features:
            filled = [standoff.fill_row(config, r, texts) for r in rows.of(config, split, doc_id)]
            out.setdefault((config, split), []).extend(filled)
    return {
        key: pa.Table.from_pylist(key_rows, schema=config_features[key[0]].arrow_schema)
        for key, key_rows in out.items()
    }


def _config_features(record: dict) -> dict[str, Features]:
    """The full release's features of each config, as the stand-off manifest recorded them."""
    try:
        return {str(c): Features.from_dict(json.loads(record["features"][c])) for c in record["configs"]}
    except (KeyError, TypeError, ValueError) as e:
        raise BuildError(f"the stand-off manifest's features do not read ({e})", field="features") from None


def write_rehydrated(raw_dir: Path, standoff_dir: Path, folder: Path) -> tuple[dict[str, dict[str, int]], int]:
    """Write the rehydrated configs into the empty ``folder``: rows per config and split, documents."""
    record = standoff.read_manifest(standoff_dir)
    config_features = _config_features(record)
    rows = _StandoffRows(standoff_dir, list(config_features))
    documents = sorted(record["documents"], key=lambda d: str(d["doc_id"]))
    evidence = release_evidence(raw_dir, documents, rows)  # the build's corpus pass, before any cleaning
    # the build's shards: the same boundaries, from the same documents' ids and splits
    plan = shards.Plan.of((str(d["doc_id"]), str(d["split"])) for d in documents)
    sink = ParquetSink(folder, config_features, plan)
    try:
        for i in range(0, len(documents), CHUNK_DOCUMENTS):  # the build's chunks (row groups do not depend on them)
            chunk = documents[i : i + CHUNK_DOCUMENTS]
            tables = _chunk_tables(raw_dir, chunk, rows, config_features, evidence)
            for key in sorted(tables):
                sink.add(key, tables[key])
        counts = sink.close()
    except BaseException:
        sink.abort()
        raise
    if counts != record["rows"]:
        raise BuildError(f"rehydrated {counts} rows, the stand-off release has {record['rows']}")
    (folder / standoff.CARD).write_text(_card(record, shards.listing(folder)), encoding="utf-8")
    return counts, len(documents)


def _card(record: dict, paths: list[str]) -> str:
    return (
        f"---\n{standoff.configs_yaml(record['rows'], paths)}---\n\n# {len(record['documents'])} documents, rehydrated\n\n"
        "The full release's configs rebuilt by `coopnum rehydrate` from a stand-off release and a copy of the"
        " scrapes, each checked by sha256. The article texts are third-party copyright, under no licence of"
        " the project: this folder is for your own research use, not for redistribution. The annotations"
        f" are under {settings.ANNOTATIONS.name}.\n"
    )


def rehydrate(raw_dir: Path, standoff_dir: Path, out: Path) -> RehydrateResult:
    """Rebuild the full configs into ``out`` (a temporary folder swapped in when complete)."""
    if not raw_dir.is_dir():
        raise CorpusError("the raw folder does not exist or is not a folder", file=str(raw_dir))
    tmp = swap.staging(out, OWNER, reserved=(standoff_dir,))
    try:
        counts, documents = write_rehydrated(raw_dir, standoff_dir, tmp)
        record = standoff.read_manifest(standoff_dir)
        release, recipe = record["release"].get("data_sha256", {}), record["recipe"]
        same: list[str] = []
        different: list[str] = []
        for rel in sorted(p.relative_to(tmp).as_posix() for p in (tmp / "data").rglob("*.parquet")):
            (same if release.get(rel) == sha256_file(tmp / rel) else different).append(rel)
        swap.mark(tmp, OWNER)
        swap.swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    same_code = recipe.get("code_sha256") == standoff.installed_code_sha256()
    return RehydrateResult(out, counts, documents, tuple(same), tuple(different), same_code)


def summary(result: RehydrateResult) -> str:
    """One line for the command."""
    rows = sum(sum(s.values()) for s in result.rows.values())
    bytes_line = (
        f"all {len(result.byte_identical)} Parquet files byte-identical to the full release"
        if not result.different_bytes
        else f"{len(result.byte_identical)} Parquet files byte-identical, {len(result.different_bytes)} "
        "row-identical with other bytes (other library versions than the release's)"
    )
    return f"rehydrated {result.documents} documents, {rows} rows into {result.folder}: {bytes_line}"
