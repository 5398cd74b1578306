"""What a build read and wrote: ``manifest.json``, and :func:`check`, which says what is stale.

``manifest.json`` records the hash of every input (corpus, annotations, code, library versions,
the baseline results the card shows) and output, so :func:`check` can say what changed since.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

import coopnum
from coopnum import schema
from coopnum.dataset.stats import BaselineResults
from coopnum.errors import BuildError
from coopnum.util.hashing import sha256_file

MANIFEST = "manifest.json"
DATASHEET = "DATASHEET.md"  # at the repository root, beside dataset/
BASELINE_RESULTS = Path("benchmarks") / "baselines.json"  # written by `coopnum baselines`, shown by the card


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


def files_under(folder: Path) -> Iterable[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def input_hashes(paths: Paths) -> dict[str, str]:
    """What the build reads, by path relative to the root (code under ``code/``)."""
    hashes = {}
    for folder in (paths.corpus, paths.annotations):
        if folder.is_dir():
            for p in files_under(folder):
                hashes[p.relative_to(paths.root).as_posix()] = sha256_file(p)
    results = paths.root / BASELINE_RESULTS
    if results.is_file():  # the card shows them
        hashes[BASELINE_RESULTS.as_posix()] = sha256_file(results)
    package = Path(coopnum.__file__).parent
    for p in files_under(package):
        if p.suffix in (".py", ".md"):  # the code and the templates of the generated documents
            hashes[f"code/coopnum/{p.relative_to(package).as_posix()}"] = sha256_file(p)
    return dict(sorted(hashes.items()))


def library_versions() -> dict[str, str]:
    # Parquet bytes depend on datasets, huggingface_hub and pyarrow (footer, page index); the ner
    # tokens and sentences on spaCy's French rules: all part of the inputs.
    import datasets
    import huggingface_hub
    import spacy

    return {
        "coopnum": coopnum.__version__,
        "datasets": datasets.__version__,
        "huggingface_hub": huggingface_hub.__version__,
        "pyarrow": pa.__version__,
        "schema": schema.SCHEMA_VERSION,
        "spacy": spacy.__version__,
    }


def data_sha256(dataset: Path) -> str:
    """One hash over the Parquet files the scores were computed on (the card is not data)."""
    h = hashlib.sha256()
    for p in sorted((dataset / "data").rglob("*.parquet")):
        h.update(p.relative_to(dataset).as_posix().encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def load_baselines(root: Path, data_sha256: str) -> BaselineResults | None:
    """``benchmarks/baselines.json``, and whether it was computed on this build's data."""
    path = root / BASELINE_RESULTS
    if not path.is_file():
        return None
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
        return BaselineResults(obj["baselines"], obj["data_sha256"] == data_sha256)
    except (json.JSONDecodeError, KeyError, TypeError) as e:
        raise BuildError(f"unreadable baseline results: {e}", file=str(path)) from None


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
    on_disk = {p.relative_to(paths.dataset).as_posix() for p in files_under(paths.dataset)} - {MANIFEST}
    for path in sorted(on_disk | set(recorded_outputs)):
        if path not in recorded_outputs:
            problems.append(f"output not written by the build: dataset/{path}")
        elif path not in on_disk:
            problems.append(f"output missing: dataset/{path}")
        elif sha256_file(paths.dataset / path) != recorded_outputs[path]:
            problems.append(f"output edited since the build: dataset/{path}")
    return problems
