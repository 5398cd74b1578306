"""The scorer installs beside another ``datasets``/``pyarrow``: a fresh venv (no system site packages) gets the
package from the working tree with other versions of both, and scores a perfect prediction file there."""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from datasets import load_dataset

from coopnum import schema
from coopnum.benchmark.evaluate import CONFIGS

from ..annotation_fixture import annotated_project
from ..conftest import REPO
from .test_evaluate import perfect

# Other releases than constraints.txt pins, inside pyproject's ranges (`pip index versions datasets` lists them)
OTHER_VERSIONS = {"datasets": "4.8.5", "pyarrow": "21.0.0"}


def working_tree_copy(dest: Path) -> Path:
    """What a wheel is built from (pyproject, README, src/), copied so the build writes nothing into the tree."""
    dest.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, dest / name)
    shutil.copytree(REPO / "src", dest / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return dest


def run(args: list[str], env: dict[str, str], timeout: int) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{' '.join(args)}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.mark.slow  # a venv and a full install from the package index: minutes
def test_a_fresh_venv_with_other_datasets_and_pyarrow_scores_a_perfect_file(tmp_path: Path) -> None:
    for name, version in OTHER_VERSIONS.items():
        assert importlib.metadata.version(name) != version, f"{name} {version} is what the main venv has"
    root = annotated_project(tmp_path)
    venv = tmp_path / "venv"
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    run([sys.executable, "-m", "venv", str(venv)], env, 120)  # no --system-site-packages: nothing leaks in
    python = venv / "bin" / "python"
    pins = [f"{name}=={version}" for name, version in OTHER_VERSIONS.items()]
    run([str(python), "-m", "pip", "install", "--quiet", str(working_tree_copy(tmp_path / "pkg")), *pins], env, 1500)
    got = run(
        [str(python), "-c", "import datasets, pyarrow; print(datasets.__version__, pyarrow.__version__)"], env, 60
    )
    assert got.split() == list(OTHER_VERSIONS.values())
    assert not run([str(python), "-c", "import sys; print(sys.base_prefix != sys.prefix)"], env, 60).startswith("False")
    for config in CONFIGS:
        ds = load_dataset(str(root / "dataset"), config, cache_dir=str(tmp_path / "cache"))
        rows = [perfect(config, r, ds[s].features, as_ids=False) for s in schema.SPLITS for r in ds[s]]
        predictions = tmp_path / f"{config}.jsonl"
        predictions.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        scores = tmp_path / f"{config}.json"
        command = [str(venv / "bin" / "coopnum"), "evaluate", "--config", config, "--predictions", str(predictions)]
        run([*command, "--folds", "--dataset", str(root / "dataset"), "--json", str(scores)], env, 300)
        result = json.loads(scores.read_text(encoding="utf-8"))
        assert result["rows"] == len(rows)
        assert all(v == 1.0 for v in result["headline"].values() if v is not None), (config, result["headline"])
        assert any(v is not None for v in result["headline"].values())
