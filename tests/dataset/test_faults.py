"""Faults during a write: a SIGKILL at each rename of the swap, SIGTERM during a build, a full disk,
a read-only folder, rounds of four concurrent builds; inputs edited during a build; commands that
would replace a folder they do not own. After each, ``dataset/`` and ``DATASHEET.md`` are the
previous ones byte for byte or the new ones complete (never a mix), and no temporary folder is left
after the next start."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coopnum.cli import app
from coopnum.dataset import build as builder
from coopnum.errors import BuildError
from coopnum.util import swap

from ..conftest import REPO

runner = CliRunner()
Pair = tuple[dict[str, bytes], bytes]  # dataset/ (path -> bytes) and DATASHEET.md


def pair(root: Path) -> Pair:
    folder = root / "dataset"
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    return files, (root / "DATASHEET.md").read_bytes()


def temps(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if ".tmp-" in p.name or ".old-" in p.name or p.name.endswith(".tmp"))


def env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in (swap.FAULT_ENV, swap.NO_EXCHANGE_ENV)}
    return {**base, "PYTHONPATH": str(REPO / "src"), "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", **extra}


def coopnum(root: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coopnum", *args, "--root", str(root)], env=env(**extra), capture_output=True, text=True
    )


def change_inputs(root: Path) -> None:
    """An edit that changes the Parquet files and the datasheet (an article URL becomes known)."""
    sources = root / "corpus" / "sources.jsonl"
    records = [json.loads(line) for line in sources.read_text(encoding="utf-8").splitlines()]
    next(r for r in records if r["url"] is None)["url"] = "https://example.org/article"
    sources.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project built once: the previous version every fault test starts from."""
    base = tmp_path_factory.mktemp("faults") / "old"
    base.mkdir()
    for name in ("corpus", "annotations"):
        shutil.copytree(REPO / name, base / name)
    if (REPO / "benchmarks" / "baselines.json").is_file():
        (base / "benchmarks").mkdir()
        shutil.copy2(REPO / "benchmarks" / "baselines.json", base / "benchmarks")
    assert coopnum(base, "build").returncode == 0
    return base


@pytest.fixture
def project_built(built: Path, tmp_path: Path) -> tuple[Path, Pair]:
    """A fresh copy of the built project whose inputs are then changed: (root, previous pair)."""
    root = tmp_path / "p"
    shutil.copytree(built, root)
    old = pair(root)
    change_inputs(root)
    return root, old


def assert_old_or_new(root: Path, old: Pair) -> str:
    """ "old" if dataset/ and DATASHEET.md are the previous ones byte for byte; "new" if they are one
    complete new build (every file, the datasheet included, has the hash its manifest records, and
    the datasheet is not the previous one); fails on anything else, a mix of two builds."""
    files, sheet = now = pair(root)
    if now == old:
        return "old"
    manifest = json.loads(files["manifest.json"])
    assert hashlib.sha256(sheet).hexdigest() == manifest["repo_outputs"]["DATASHEET.md"], (
        "DATASHEET.md of another build"
    )
    assert {k: hashlib.sha256(v).hexdigest() for k, v in files.items() if k != "manifest.json"} == manifest["outputs"]
    assert sheet != old[1] and files != old[0], "a mix: a new dataset/ beside the previous DATASHEET.md"
    return "new"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("step", "exchange"),
    [(s, True) for s in swap.STEPS if s != "moved-aside"] + [("moved-aside", False), ("swapped", False)],
)
def test_a_kill_at_each_rename_of_the_build(project_built: tuple[Path, Pair], step: str, exchange: bool) -> None:
    root, old = project_built
    extra = {swap.FAULT_ENV: step, **({} if exchange else {swap.NO_EXCHANGE_ENV: "1"})}
    killed = coopnum(root, "build", "--processes", "1", **extra)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    checked = coopnum(root, "build", "--check")  # the next start: recovers, then checks
    assert "recovered:" in checked.stderr, checked.stderr
    expected = "old" if step in ("staged", "moved-aside") else "new"
    assert assert_old_or_new(root, old) == expected
    assert temps(root) == [] and not (root / "dataset" / swap.PENDING).exists()
    assert (checked.returncode == 0) == (expected == "new"), checked.stderr  # the old one is stale: inputs changed
    assert coopnum(root, "build").returncode == 0


@pytest.mark.slow
def test_sigterm_during_a_build_cleans_up(project_built: tuple[Path, Pair]) -> None:
    root, old = project_built
    child = subprocess.Popen(
        [sys.executable, "-m", "coopnum", "build", "--root", str(root)],
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".dataset.tmp-") for p in root.iterdir()):  # the build is writing
        assert child.poll() is None and time.monotonic() < deadline, "the build ended before it could be stopped"
        time.sleep(0.005)
    child.send_signal(signal.SIGTERM)
    _, stderr = child.communicate(timeout=60)
    assert child.returncode != 0 and "Traceback" not in stderr, stderr
    assert temps(root) == [], "SIGTERM skipped the cleanup"
    assert assert_old_or_new(root, old) == "old"
    assert coopnum(root, "build").returncode == 0  # the lock was released


@contextlib.contextmanager
def tmpfs(where: Path, size_bytes: int) -> Iterator[Path]:
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_bytes}", "tmpfs", str(where)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=True)


def du(root: Path) -> int:
    return sum(p.stat().st_size + 4096 for p in root.rglob("*"))


@pytest.mark.slow
def test_a_full_disk_leaves_the_previous_pair(project_built: tuple[Path, Pair], tmp_path: Path) -> None:
    source, old = project_built
    dataset_bytes = sum(len(b) for b in old[0].values())
    with tmpfs(tmp_path / "small", du(source) + dataset_bytes // 2) as disk:
        root = disk / "p"
        shutil.copytree(source, root)
        failed = coopnum(root, "build")
        assert failed.returncode not in (0, -signal.SIGKILL), failed.stdout
        assert "Traceback" not in failed.stderr and "No space left" in failed.stderr, failed.stderr
        assert len(failed.stderr.strip().splitlines()) == 1, failed.stderr
        assert assert_old_or_new(root, old) == "old"
        assert temps(root) == []
        assert coopnum(root, "build", "--check").returncode == 1  # stale (inputs changed), nothing to recover
        assert temps(root) == []


@pytest.mark.slow
def test_a_read_only_folder_is_one_line_and_changes_nothing(project_built: tuple[Path, Pair], tmp_path: Path) -> None:
    source, old = project_built
    with tmpfs(tmp_path / "ro", 4 * du(source)) as disk:
        root = disk / "p"
        shutil.copytree(source, root)
        (root / ".coopnum.lock").touch()  # as a checkout that was used before has it
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        failed = coopnum(root, "build")
        assert failed.returncode != 0 and "Traceback" not in failed.stderr, failed.stderr
        assert "Read-only file system" in failed.stderr and len(failed.stderr.strip().splitlines()) == 1
        subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
        assert assert_old_or_new(root, old) == "old" and temps(root) == []


@pytest.mark.slow
def test_rounds_of_four_concurrent_builds(project_built: tuple[Path, Pair]) -> None:
    root, old = project_built

    def round_of_four(*flags: str) -> list[subprocess.Popen[str]]:
        children = [
            subprocess.Popen(
                [sys.executable, "-m", "coopnum", "build", "--root", str(root), "--processes", "1", *flags],
                env=env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        return [(c, *c.communicate(timeout=300)) for c in children]

    for _ in range(2):
        ended = round_of_four()
        for c, _, stderr in ended:
            if c.returncode != 0:  # refused at once, before writing anything
                assert c.returncode == 75 and len(stderr.strip().splitlines()) == 1, stderr
                assert "another coopnum build (pid " in stderr and "holds the lock" in stderr, stderr
        assert any(c.returncode == 0 for c, _, _ in ended), "no build of the round got the lock"
        assert assert_old_or_new(root, old) == "new" and temps(root) == []
    ended = round_of_four("--wait")
    assert [c.returncode for c, _, _ in ended] == [0, 0, 0, 0], [e for _, _, e in ended]
    assert assert_old_or_new(root, old) == "new" and temps(root) == []
    assert coopnum(root, "build", "--check").returncode == 0


def test_inputs_edited_during_the_build_are_refused(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builder.build(project, processes=1)
    before = pair(project)
    notes = project / "annotations" / "README.md"
    original = notes.read_bytes()
    real_run = builder.run

    def run_then_edit_and_undo(*args, **kwargs):  # an edit made and undone while the build reads
        result = real_run(*args, **kwargs)
        notes.write_bytes(original + b"edited\n")
        notes.write_bytes(original)
        return result

    monkeypatch.setattr(builder, "run", run_then_edit_and_undo)
    with pytest.raises(BuildError, match=r"inputs changed while the build ran \(annotations/README.md\)"):
        builder.build(project, processes=1)
    assert pair(project) == before and temps(project) == []


def test_build_refuses_a_file_a_person_put_in_dataset(project: Path) -> None:
    builder.build(project, processes=1)
    (project / "dataset" / "my-notes.txt").write_text("keep me\n", encoding="utf-8")
    before = pair(project)
    result = runner.invoke(app, ["build", "--root", str(project)])
    assert result.exit_code == 3 and "my-notes.txt" in result.output and "refuses" in result.output, result.output
    assert pair(project) == before


@pytest.mark.parametrize("out", ["corpus", "annotations", ".", "..", "corpus/clean"])
def test_clean_never_replaces_the_corpus_the_annotations_or_the_root(project: Path, out: str) -> None:
    def everything() -> dict[str, bytes]:
        return {p.relative_to(project).as_posix(): p.read_bytes() for p in sorted(project.rglob("*")) if p.is_file()}

    before = everything()
    result = runner.invoke(app, ["clean", "--root", str(project), "--out", out])
    assert result.exit_code == 3 and "refuses" in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1
    assert {k: v for k, v in everything().items() if k != ".coopnum.lock"} == before


def test_clean_replaces_its_own_folder_but_not_a_hand_added_file(project: Path) -> None:
    assert runner.invoke(app, ["clean", "--root", str(project), "--out", "out"]).exit_code == 0
    assert runner.invoke(app, ["clean", "--root", str(project), "--out", "out"]).exit_code == 0  # its own: replaced
    (project / "out" / "mine.txt").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["clean", "--root", str(project), "--out", "out"])
    assert result.exit_code == 3 and "mine.txt" in result.output
    assert (project / "out" / "mine.txt").read_text(encoding="utf-8") == "x"
