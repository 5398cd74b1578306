"""The engines of a build: the local pool, and Ray (an optional extra) giving the same bytes.

Ray's tests skip where Ray is not installed and fail under CI=true (``scripts/setup --tests``
installs the extra), so a broken install cannot pass silently."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from benchmarks.scale import generate

from coopnum.dataset.build import build
from coopnum.errors import AnnotationError, BuildError, CoopnumError
from coopnum.util import engines
from coopnum.util.executor import parallel_map

from ..lshelpers import require

SYNTHETIC_DOCUMENTS = 24  # several chunks of 5: every actor runs some


def require_ray() -> None:
    require(importlib.util.find_spec("ray") is not None, f"Ray is not installed ({engines.RAY_INSTALL_HINT})")


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _closed_port() -> int:
    """A port nothing listens on: bound, then released."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    """One local Ray with two CPUs for the module's Ray tests, shut down at the end."""
    require_ray()
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield
    finally:
        ray.shutdown()


def test_the_local_engine_is_the_process_pool_and_takes_no_address() -> None:
    assert engines.mapper_for("local") is parallel_map
    with pytest.raises(engines.EngineUnavailable, match="--address is for the ray engine"):
        engines.mapper_for("local", address="auto")


def test_an_unknown_engine_names_the_engines() -> None:
    with pytest.raises(engines.EngineUnavailable, match="choose one of local, ray"):
        engines.mapper_for("spark")


def test_without_ray_the_ray_engine_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now raises ImportError, installed or not
    with pytest.raises(engines.EngineUnavailable) as raised:
        engines.mapper_for("ray")
    assert "pip install 'coopnum[ray]'" in str(raised.value) and "\n" not in str(raised.value)
    assert isinstance(raised.value, CoopnumError)


@pytest.mark.parametrize("scheme", ["", "ray://"])
def test_an_unreachable_cluster_is_one_clear_line_in_seconds(scheme: str) -> None:
    require_ray()
    address = f"{scheme}127.0.0.1:{_closed_port()}"
    mapper = engines.mapper_for("ray", address=address)
    with pytest.raises(engines.EngineUnavailable, match=f"cannot reach Ray at {address}"):
        list(mapper(abs, [1, -2], 2))
    engines.close(mapper)


def test_a_malformed_address_says_what_an_address_looks_like() -> None:
    require_ray()
    mapper = engines.mapper_for("ray", address="head-node")
    with pytest.raises(engines.EngineUnavailable, match="give ray://HOST:10001, HOST:6379 or auto"):
        list(mapper(abs, [1], 1))


@pytest.mark.slow
def test_a_local_ray_builds_the_bytes_the_local_pool_builds(
    local_ray: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool_root, ray_root = tmp_path / "pool", tmp_path / "ray"
    generate(SYNTHETIC_DOCUMENTS, pool_root)
    shutil.copytree(pool_root, ray_root)
    pool = build(pool_root, processes=2, chunk_documents=5)
    monkeypatch.chdir(ray_root)  # as `coopnum build` runs: in the project, its paths relative to it
    mapper = engines.mapper_for("ray", processes=2)
    try:
        through_ray = build(Path("."), processes=2, chunk_documents=5, mapper=mapper)
    finally:
        engines.close(mapper)
    assert pool.rows == through_ray.rows and sum(pool.rows["documents"].values()) == SYNTHETIC_DOCUMENTS
    assert _digest(pool_root / "dataset") == _digest(ray_root / "dataset")
    assert (pool_root / "DATASHEET.md").read_bytes() == (ray_root / "DATASHEET.md").read_bytes()


def _bad_input_on_three(x: int) -> int:
    if x == 3:
        raise AnnotationError("a bad annotation", doc_id="doc-3")
    return x


def _bug_on_three(x: int) -> int:
    if x == 3:
        raise ZeroDivisionError("a bug")
    return x


def _exit_on_three(x: int) -> int:
    if x == 3:
        os._exit(3)  # a worker killed mid-task (out of memory, a signal)
    return x


@pytest.mark.slow
def test_ray_keeps_the_order_and_reports_a_worker_failure_as_coopnum_does(local_ray: None) -> None:
    mapper = engines.mapper_for("ray")
    try:
        assert list(mapper(abs, [-i for i in range(20)], 2)) == list(range(20))  # ordered, with items queued
        with pytest.raises(AnnotationError, match=r"a bad annotation \[document=doc-3\]"):
            list(mapper(_bad_input_on_three, list(range(8)), 2))  # bad input: raised as it was raised
        with pytest.raises(BuildError, match="a step failed on a Ray worker \\(ZeroDivisionError: a bug\\)"):
            list(mapper(_bug_on_three, list(range(8)), 2))
        with pytest.raises(BuildError, match="a Ray worker stopped without returning its result"):
            list(mapper(_exit_on_three, list(range(8)), 2))
    finally:
        engines.close(mapper)
