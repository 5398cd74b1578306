"""Shared fixtures. Hub access is switched off before anything imports ``datasets``
(the library reads these variables at import time): every test runs offline."""

from __future__ import annotations

import os

os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_SEEDS = REPO.parent / "shared" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def source_records(root: Path = REPO) -> list[dict]:
    """``corpus/sources.jsonl`` of ``root`` as plain JSON (not through the loader some tests check):
    tests take their counts and documents from it instead of assuming a corpus size."""
    lines = (root / "corpus" / "sources.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def first_doc_id(root: Path = REPO) -> str:
    """The document a test damages or inspects when any will do: the first id in sorted order."""
    return min(r["doc_id"] for r in source_records(root))


def copy_project(template: Path, folder: Path) -> Path:
    """A copy of a project (a template shared by several tests) as ``folder/project``, for one test to change."""
    root = folder / "project"
    shutil.copytree(template, root)
    return root


@pytest.fixture(scope="session")
def synthetic_project(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], Path]:
    """``synthetic_project(n)``: a project of ``n`` documents generated from the seeds and their gold
    (``benchmarks/scale.py``'s ``generate``), made once per size per test session and shared: a template
    that tests read or copy (:func:`copy_project`), never change."""
    from benchmarks.scale import generate

    made: dict[int, Path] = {}

    def make(documents: int) -> Path:
        if documents not in made:
            root = tmp_path_factory.mktemp(f"synthetic-{documents}") / "project"
            generate(documents, root)
            made[documents] = root
        return made[documents]

    return make


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch copy of the repository's inputs (corpus/, annotations/, the baseline results) to build in."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("corpus", "annotations"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    results = REPO / "benchmarks" / "baselines.json"  # an input of the card
    if results.is_file():
        (root / "benchmarks").mkdir()
        shutil.copy2(results, root / "benchmarks" / "baselines.json")
    return root


@pytest.fixture
def cache_dir(tmp_path: Path) -> str:
    """A fresh datasets cache: the local-folder cache key ignores file contents."""
    path = tmp_path / "hf-cache"
    path.mkdir()
    return str(path)


@pytest.fixture(scope="session")
def ls_server(tmp_path_factory: pytest.TempPathFactory):
    """One real Label Studio for the session (random port, admin and token), stopped by pid at the end."""
    from .lshelpers import running_server

    with running_server(tmp_path_factory.mktemp("labelstudio")) as server:
        yield server


@pytest.fixture
def ls_spare_server(tmp_path: Path):
    """A second real server for tests that kill or freeze it (≈3 s to start from the template)."""
    from .lshelpers import running_server

    with running_server(tmp_path) as server:
        yield server
