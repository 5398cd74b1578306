"""The checkout lock: a second writer stops at once naming the first, or waits; a killed holder
leaves no stale lock; forked workers do not keep it; SIGTERM runs the cleanup as SIGINT does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coopnum.util import lock

from ..conftest import REPO

HOLD_SCRIPT = """
import sys, time
from pathlib import Path
from coopnum.util.lock import checkout_lock
with checkout_lock(Path(sys.argv[1]), "build"):
    try:
        print("locked", flush=True)
        time.sleep(float(sys.argv[2]))
    finally:
        Path(sys.argv[1], "cleanup-ran").write_text("yes")
"""


def holder(root: Path, seconds: float) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_SCRIPT, str(root), str(seconds)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "locked"
    return child


def test_a_second_writer_stops_at_once_naming_the_first(tmp_path: Path) -> None:
    child = holder(tmp_path, 30)
    try:
        started = time.monotonic()
        held = rf"another coopnum build \(pid {child.pid}\) holds the lock"
        with pytest.raises(lock.LockHeld, match=held), lock.checkout_lock(tmp_path, "clean"):
            pass
        assert time.monotonic() - started < 2
    finally:
        child.kill()
        child.wait()


def test_wait_waits_for_the_holder(tmp_path: Path) -> None:
    child = holder(tmp_path, 1.5)
    waited: list[str] = []
    started = time.monotonic()
    with lock.checkout_lock(tmp_path, "clean", wait=True, on_wait=waited.append):
        assert (tmp_path / "cleanup-ran").is_file(), "the lock was had while the holder still held it"
    assert waited == [f"build (pid {child.pid})"] and time.monotonic() - started >= 1
    child.wait()


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    child = holder(tmp_path, 30)
    child.send_signal(signal.SIGKILL)
    child.wait()
    with lock.checkout_lock(tmp_path, "build"):
        assert (tmp_path / lock.LOCK_FILE).read_text().split() == [str(os.getpid()), "build"]
    assert (tmp_path / lock.LOCK_FILE).read_text() == ""  # released: no stale pid shown to the next one


def test_sigterm_runs_the_cleanup_and_releases(tmp_path: Path) -> None:
    child = holder(tmp_path, 30)
    child.send_signal(signal.SIGTERM)
    child.wait(timeout=10)
    assert child.returncode != 0 and (tmp_path / "cleanup-ran").read_text() == "yes"
    with lock.checkout_lock(tmp_path, "build"):
        pass


def test_a_forked_child_does_not_keep_the_lock(tmp_path: Path) -> None:
    ready_r, ready_w = os.pipe()
    with lock.checkout_lock(tmp_path, "build"):
        pid = os.fork()
        if pid == 0:  # the child (its at-fork hooks have run) outlives the parent's hold of the lock
            os.write(ready_w, b"x")
            time.sleep(3)
            os._exit(0)
        assert os.read(ready_r, 1) == b"x"
    try:
        with lock.checkout_lock(tmp_path, "build"):  # raises LockHeld if the child had kept it
            pass
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def test_a_missing_root_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(lock.LockUnavailable, match="no such folder"), lock.checkout_lock(tmp_path / "absent", "build"):
        pass
