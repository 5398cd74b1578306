"""Build ``dataset/``: the hub-ready folder (card, Parquet, manifest).

The build is all-or-nothing: it writes into a temporary folder beside the
target and swaps it in only when every file is written, so a failure leaves the
previous ``dataset/`` untouched. Same inputs give byte-identical files: rows are
sorted by id, labels come from literal tuples in the schema, Parquet options
are fixed, and no clock or random state is read. ``manifest.json`` records the
hash of every input (corpus, annotations, code, library versions) and output,
so :func:`check` can say what is stale.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import coopnum
from coopnum import card, features, schema, splits
from coopnum.clean import CleanDocument, clean_document
from coopnum.corpus import RawDocument, read_corpus
from coopnum.errors import BuildError, CoopnumError

MANIFEST = "manifest.json"
PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 9, "use_dictionary": True, "write_statistics": True}


@dataclass(frozen=True)
class Paths:
    root: Path

    @property
    def corpus(self) -> Path:
        return self.root / "corpus"

    @property
    def annotations(self) -> Path:
        return self.root / "annotations"

    @property
    def dataset(self) -> Path:
        return self.root / "dataset"

    @property
    def datasheet(self) -> Path:
        return self.root / "DATASHEET.md"


@dataclass(frozen=True)
class Document:
    raw: RawDocument
    clean: CleanDocument
    split: str
    fold: int


def clean_corpus(corpus_dir: Path) -> list[Document]:
    """Read and clean every document; metadata the cleaner extracted must agree with sources."""
    raws = read_corpus(corpus_dir)
    fold_of = splits.folds(r.source.doc_id for r in raws)
    docs = []
    for r in raws:
        try:
            c = clean_document(r.text, r.source.doc_id)
        except CoopnumError as e:
            e.file = e.file or str(corpus_dir / "raw" / r.source.file)
            raise
        for field in ("outlet", "date"):
            found, stated = getattr(c, field), getattr(r.source, field)
            if found is not None and found != stated:
                raise BuildError(
                    f"the cleaner reads {field} {found!r} in the article but sources.jsonl says {stated!r}",
                    file=str(corpus_dir / "sources.jsonl"),
                    doc_id=r.source.doc_id,
                    field=field,
                )
        docs.append(Document(r, c, splits.split_of(r.source.doc_id), fold_of[r.source.doc_id]))
    return docs


def document_row(d: Document) -> dict[str, object]:
    s, c = d.raw.source, d.clean
    return {
        "id": s.doc_id,
        "raw_file": f"corpus/raw/{s.file}",
        "title": c.title,
        "outlet": s.outlet,
        "date": s.date,
        "url": s.url,
        "language": s.language,
        "rights": s.rights,
        "text": c.text,
        "text_sha256": c.text_sha256,
        "raw_sha256": s.raw_sha256,
        "paragraphs": [
            {"start": p.start, "end": p.end, "kind": schema.PARAGRAPH_KINDS.index(p.kind)} for p in c.paragraphs
        ],
        "offset_map": [
            {"clean_start": a, "clean_end": b, "raw_start": x, "raw_end": y} for a, b, x, y in c.offset_map.as_rows()
        ],
        "audit": [
            {"line": a.line, "raw_start": a.raw_start, "raw_end": a.raw_end, "action": a.action, "rule": a.rule}
            for a in c.audit
        ],
        "removed_lines": sum(1 for a in c.audit if a.action == "removed"),
        "fold": d.fold,
    }


def write_parquet(rows: list[dict[str, object]], feats: features.Features, path: Path) -> None:
    """Rows (ClassLabels as ids) to Parquet with the features in the schema metadata."""
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pylist(rows, schema=feats.arrow_schema)
    pq.write_table(table, path, **PARQUET_OPTIONS)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _files(folder: Path) -> Iterable[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def input_hashes(paths: Paths) -> dict[str, str]:
    """What the build reads, by path relative to the root (code under ``code/``)."""
    hashes = {}
    for folder in (paths.corpus, paths.annotations):
        if folder.is_dir():
            for p in _files(folder):
                hashes[p.relative_to(paths.root).as_posix()] = sha256_file(p)
    package = Path(coopnum.__file__).parent
    for p in _files(package):
        if p.suffix == ".py":
            hashes[f"code/coopnum/{p.relative_to(package).as_posix()}"] = sha256_file(p)
    return dict(sorted(hashes.items()))


def library_versions() -> dict[str, str]:
    # Parquet bytes depend on these (footer, page index): part of the inputs.
    import datasets
    import huggingface_hub

    return {
        "coopnum": coopnum.__version__,
        "datasets": datasets.__version__,
        "huggingface_hub": huggingface_hub.__version__,
        "pyarrow": pa.__version__,
        "schema": schema.SCHEMA_VERSION,
    }


@dataclass(frozen=True)
class BuildResult:
    dataset: Path
    files: dict[str, str]
    rows: dict[str, dict[str, int]]  # config -> split -> rows


def build(root: Path) -> BuildResult:
    """Build ``root/dataset`` from ``root/corpus`` (and, later, ``root/annotations``)."""
    paths = Paths(root)
    docs = clean_corpus(paths.corpus)
    stats = card.Stats.of(docs)
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".dataset.tmp-", dir=root))
    try:
        rows: dict[str, dict[str, int]] = {}
        for config, feats in features.CONFIGS.items():
            rows[config] = {}
            for split in schema.SPLITS:
                split_rows = [document_row(d) for d in docs if d.split == split]
                write_parquet(split_rows, feats, tmp / "data" / config / f"{split}.parquet")
                rows[config][split] = len(split_rows)
        card.write_card(tmp / "README.md", stats)
        outputs = {p.relative_to(tmp).as_posix(): sha256_file(p) for p in _files(tmp)}
        manifest = {
            "inputs": input_hashes(paths),
            "versions": library_versions(),
            "outputs": outputs,
            "rows": rows,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        _swap_in(tmp, paths.dataset)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BuildResult(paths.dataset, outputs, rows)


def _swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with two renames; on failure the old folder comes back."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=".dataset.old-", dir=target.parent))
        os.rmdir(old)
        os.rename(target, old)
    try:
        os.rename(new, target)
    except BaseException:
        if old is not None:
            os.rename(old, target)
        raise
    if old is not None:
        shutil.rmtree(old)


def check(root: Path) -> list[str]:
    """What is stale in ``root/dataset``: one line per changed input or output; empty when current."""
    paths = Paths(root)
    manifest_path = paths.dataset / MANIFEST
    if not manifest_path.is_file():
        return [f"{manifest_path} is missing: run `coopnum build`"]
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        recorded_inputs, recorded_versions, recorded_outputs = (
            manifest["inputs"],
            manifest["versions"],
            manifest["outputs"],
        )
    except (json.JSONDecodeError, KeyError, TypeError) as e:
        return [f"{manifest_path} is unreadable ({e}): run `coopnum build`"]
    problems = []
    current = input_hashes(paths)
    for path in sorted(set(current) | set(recorded_inputs)):
        if path not in recorded_inputs:
            problems.append(f"input added since the build: {path}")
        elif path not in current:
            problems.append(f"input removed since the build: {path}")
        elif current[path] != recorded_inputs[path]:
            problems.append(f"input changed since the build: {path}")
    for name, version in library_versions().items():
        if recorded_versions.get(name) != version:
            problems.append(f"{name} version is {version}, the build used {recorded_versions.get(name)}")
    on_disk = {p.relative_to(paths.dataset).as_posix() for p in _files(paths.dataset)} - {MANIFEST}
    for path in sorted(on_disk | set(recorded_outputs)):
        if path not in recorded_outputs:
            problems.append(f"output not written by the build: dataset/{path}")
        elif path not in on_disk:
            problems.append(f"output missing: dataset/{path}")
        elif sha256_file(paths.dataset / path) != recorded_outputs[path]:
            problems.append(f"output edited since the build: dataset/{path}")
    return problems
