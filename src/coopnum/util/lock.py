"""One lock per checkout: every command that writes holds it, so two never write at once.

The lock is an ``fcntl.flock`` on ``.coopnum.lock`` at the repository root (git-ignored, never
deleted: removing a locked file would let a second process lock a new one). The kernel releases
it when the process ends, however it ends, so a killed command never leaves a stale lock. The
holder writes its pid and command into the file, for the message the next one prints. Forked
worker processes close their inherited copy, so a worker that outlives its parent cannot keep
the lock. While the lock is held, SIGTERM is handled like SIGINT (a ``KeyboardInterrupt``), so
the command's cleanup runs either way.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

from coopnum.errors import CoopnumError

LOCK_FILE = ".coopnum.lock"
_held: set[int] = set()  # file descriptors of the locks this process holds


class LockHeld(CoopnumError):
    """Another coopnum command holds the checkout's lock."""


class LockUnavailable(CoopnumError):
    """The lock file cannot be created (a read-only checkout)."""


def _close_inherited() -> None:
    for fd in list(_held):
        with contextlib.suppress(OSError):
            os.close(fd)
    _held.clear()


os.register_at_fork(after_in_child=_close_inherited)


def lock_path(root: Path) -> Path:
    return root / LOCK_FILE


def _open(root: Path) -> tuple[int, bool]:
    """The lock file's descriptor, and whether it is writable (to record the holder)."""
    path = lock_path(root)
    if not root.is_dir():
        raise LockUnavailable(f"no such folder: {root}", file=str(root))
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644), True
    except OSError as e:
        if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM) and path.is_file():
            return os.open(path, os.O_RDONLY), False
        raise LockUnavailable(f"cannot create the lock file: {e.strerror}", file=str(path)) from None


def holder(fd: int) -> str:
    """``<command> (pid N)`` as the holder recorded it (retried briefly: it writes just after locking)."""
    for _ in range(20):
        text = os.pread(fd, 400, 0).decode("utf-8", "replace").strip()
        pid, _, command = text.partition(" ")
        if pid.isdigit() and command:
            return f"{command} (pid {pid})"
        time.sleep(0.01)
    return "command (pid unknown)"


@contextlib.contextmanager
def checkout_lock(
    root: Path, command: str, *, wait: bool = False, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the lock of the checkout at ``root`` while ``command`` (``build``, ``ls pull``) runs.
    Without ``wait``, raise :class:`LockHeld` at once if another command holds it; with it, call
    ``on_wait`` with the holder and wait."""
    fd, writable = _open(root)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = holder(fd)
            if not wait:
                raise LockHeld(
                    f"another coopnum {other} holds the lock ({lock_path(root)}): "
                    "try again when it has finished, or pass --wait"
                ) from None
            if on_wait is not None:
                on_wait(other)
            fcntl.flock(fd, fcntl.LOCK_EX)
        _held.add(fd)
        if writable:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {command}\n".encode(), 0)
        with terminate_as_interrupt():
            yield
    finally:
        if fd in _held and writable:
            os.ftruncate(fd, 0)  # no stale pid for the next reader
        _held.discard(fd)
        os.close(fd)  # releases the lock


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM raises ``KeyboardInterrupt`` here, as SIGINT does, so ``finally`` and cleanup run."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
