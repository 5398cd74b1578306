"""The one way coopnum replaces a folder it owns: write beside it, then swap it in.

At every instant the target or its previous version is in place. On Linux the new folder and the
target trade names in one ``renameat2(RENAME_EXCHANGE)``; where the OS or the filesystem lacks it,
the target is renamed aside (``.<name>.old-*``) and the new folder renamed in, and
:func:`recover` puts the previous folder back if the process died between the two renames.
Files that must change with the folder (``DATASHEET.md`` beside ``dataset/``) travel inside the
new folder under ``.coopnum-pending/``, with a plan naming them; they are moved into place right
after the swap, and :func:`recover` finishes that step after a kill (the new folder is complete
by then, so it rolls forward). :func:`recover` runs before each write of a target (the next
start) and removes what an interrupted write left (``.<name>.tmp-*``, ``.<name>.old-*``).

A command replaces only a folder that is its own (:class:`Owner`): absent, empty, or holding only
files the command wrote; never the repository root, a folder above it, or a reserved folder.

SIGINT and SIGTERM are held back while the names change, so an interrupt never lands between two
renames; a SIGKILL can, which is what :func:`recover` is for. ``COOPNUM_SWAP_FAULT=<step>`` makes
the process SIGKILL itself at that step (a hook for the fault tests, inert unless set).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fnmatch
import functools
import json
import os
import secrets
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from coopnum.errors import CoopnumError

MARKER = ".coopnum-output"  # names the command that wrote a folder, and the files it wrote there
PENDING = ".coopnum-pending"  # inside a swapped folder: files still to move beside it
PLAN = "plan.json"  # inside PENDING: the names of those files
FAULT_ENV = "COOPNUM_SWAP_FAULT"  # test hook: the step at which to SIGKILL this process
NO_EXCHANGE_ENV = "COOPNUM_SWAP_NO_EXCHANGE"  # test hook: take the two-rename path
STEPS = ("staged", "moved-aside", "swapped", "companion-moved", "committed")  # where FAULT_ENV can kill

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class SwapError(CoopnumError):
    """A folder cannot be replaced: it is not the command's own, or the filesystem refused."""


class Owner(Protocol):
    """A command that writes a folder, and which files of a folder it wrote."""

    @property
    def command(self) -> str: ...

    def written(self, folder: Path) -> set[str] | None:
        """Relative paths of the files the command wrote in ``folder``; None if it is not its folder."""
        ...


@dataclass(frozen=True)
class Marked:
    """An owner whose folders carry :data:`MARKER`, naming the command and listing its files."""

    command: str

    def written(self, folder: Path) -> set[str] | None:
        try:
            record = json.loads((folder / MARKER).read_text(encoding="utf-8"))
            if record["command"] != self.command:
                return None
            return {str(f) for f in record["files"]} | {MARKER}
        except (OSError, ValueError, KeyError, TypeError):
            return None


@dataclass(frozen=True)
class Named:
    """An owner recognised by the names of its files (``*.json``, ``stale/*.json``): for a folder
    that predates :data:`MARKER` and whose every file is read back by the command's own reader."""

    command: str
    patterns: tuple[str, ...]

    def written(self, folder: Path) -> set[str] | None:
        return {
            rel
            for rel in files_in(folder)
            if any(fnmatch.fnmatchcase(rel, p) and rel.count("/") == p.count("/") for p in self.patterns)
        }


def files_in(folder: Path) -> list[str]:
    """Every entry of ``folder`` that is not a directory (files, links, sockets), relative, sorted."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        base = Path(dirpath).relative_to(folder)
        found += [(base / n).as_posix() for n in filenames]
        found += [(base / n).as_posix() for n in dirnames if (Path(dirpath) / n).is_symlink()]
    return sorted(found)


def mark(staging: Path, owner: Marked) -> None:
    """Write :data:`MARKER` into ``staging`` listing every file in it (call when all are written)."""
    files = [f for f in files_in(staging) if f != MARKER and not f.startswith(f"{PENDING}/")]
    record = {"command": owner.command, "files": files, "note": "the next run of this command replaces this folder"}
    (staging / MARKER).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def claim(target: Path, owner: Owner, *, root: Path | None = None, reserved: Iterable[Path] = ()) -> None:
    """Refuse (:class:`SwapError`) to replace ``target`` unless it is absent, empty or ``owner``'s
    own; never the repository ``root`` or a folder above it, nor a folder inside ``reserved``."""
    _check_place(target, owner.command, root, reserved)
    if not target.exists():
        return
    present = files_in(target)
    if not present:
        return
    written = owner.written(target)
    foreign = present if written is None else [f for f in present if f not in written]
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise SwapError(
            f"{owner.command} refuses to replace {target}: it holds files {owner.command} did not write ({shown}); "
            "move them away or give another folder",
            file=str(target),
        )


def _check_place(target: Path, command: str, root: Path | None, reserved: Iterable[Path]) -> None:
    where = target.resolve()
    if root is not None and _inside(root.resolve(), where):
        raise SwapError(f"{command} refuses to replace {target}: it is the repository root or a folder above it")
    for folder in reserved:
        if _inside(where, folder.resolve()):
            raise SwapError(f"{command} refuses to write {target}: it is inside {folder}, which it never replaces")
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise SwapError(f"{command} refuses to replace {target}: it is not a folder")


def staging(
    target: Path, owner: Owner | None = None, *, root: Path | None = None, reserved: Iterable[Path] = ()
) -> Path:
    """A new empty folder beside ``target`` to write into, after :func:`recover` and :func:`claim`
    (where and whose the target is are checked before anything is recovered)."""
    reserved = tuple(reserved)
    try:
        if owner is not None:
            _check_place(target, owner.command, root, reserved)
        recover(target)
        if owner is not None:
            claim(target, owner, root=root, reserved=reserved)
        target.parent.mkdir(parents=True, exist_ok=True)
        while True:
            tmp = target.parent / f".{target.name}.tmp-{secrets.token_hex(4)}"
            try:
                tmp.mkdir()  # mode 0o777 less the umask: the normal permissions, not mkdtemp's 0700
                return tmp
            except FileExistsError:
                continue
    except OSError as e:
        raise SwapError(f"cannot write beside {target}: {e.strerror}", file=str(e.filename or target)) from None


def companion(staging: Path, name: str, data: bytes) -> None:
    """Stage ``data`` to become the file ``name`` beside the target when ``staging`` is swapped in."""
    if "/" in name or name in ("", ".", ".."):
        raise ValueError(f"a companion is a file beside the target, not {name!r}")
    pending = staging / PENDING
    pending.mkdir(exist_ok=True)
    plan = _plan(pending)
    (pending / name).write_bytes(data)
    (pending / PLAN).write_text(json.dumps(sorted({*plan, name})) + "\n", encoding="utf-8")


def _plan(pending: Path) -> list[str]:
    try:
        names = json.loads((pending / PLAN).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [n for n in names if isinstance(n, str) and "/" not in n and n not in ("", ".", "..", PLAN)]


def swap_in(new: Path, target: Path) -> None:
    """Put ``new`` (a folder beside ``target``) in place of ``target``, then the companions staged in
    it beside it, and remove the previous folder. On failure the previous folder (and companions)
    stay; a SIGINT or SIGTERM that arrives meanwhile is raised once the step is over."""
    os.chmod(new, _folder_mode())
    _reached("staged")
    with _signals_held():
        previous = _commit(new, target)
        _reached("committed")
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)


def _commit(new: Path, target: Path) -> Path | None:
    """The renames; returns where the previous folder now is (None if there was none)."""
    try:
        if not target.exists():
            previous = None
            os.rename(new, target)
        elif _exchange(new, target):
            previous = new
        else:
            previous = _aside(target)
            os.rename(target, previous)
            _reached("moved-aside")
            try:
                os.rename(new, target)
            except BaseException:
                os.rename(previous, target)
                raise
    except OSError as e:
        raise SwapError(f"cannot swap in {target}: {e.strerror}", file=str(e.filename or target)) from None
    _reached("swapped")
    try:
        _move_companions(target)
    except OSError as e:
        _undo(new, target, previous)  # the first companion failed to move: nothing new stays in place
        raise SwapError(f"cannot put {e.filename} beside {target}: {e.strerror}", file=str(e.filename)) from None
    return previous


def _undo(new: Path, target: Path, previous: Path | None) -> None:
    """Put the previous folder back at ``target`` and the new one back at ``new``."""
    if previous is None:
        os.rename(target, new)
    elif previous == new:
        _exchange(new, target)
    else:
        os.rename(target, new)
        os.rename(previous, target)


def _move_companions(target: Path) -> list[str]:
    pending = target / PENDING
    if not pending.is_dir():
        return []
    moved = []
    for name in _plan(pending):
        if (pending / name).is_file():
            os.replace(pending / name, target.parent / name)
            moved.append(name)
            _reached("companion-moved")
    shutil.rmtree(pending)
    return moved


def _aside(target: Path) -> Path:
    return target.parent / f".{target.name}.old-{secrets.token_hex(4)}"


def recover(target: Path) -> list[str]:
    """Finish or undo an interrupted swap of ``target`` and remove its temporary folders; one line
    per thing done. Run it with the checkout lock held (no other write of ``target`` under way)."""
    done = []
    olds = _siblings(target, "old")
    if not target.exists() and olds:
        last = max(olds, key=lambda p: p.stat().st_mtime_ns)
        os.rename(last, target)
        done.append(f"put the previous {target.name}/ back from {last.name} (a swap was interrupted)")
    if target.is_dir() and (target / PENDING).is_dir():
        for name in _move_companions(target):
            done.append(f"moved the new {name} into place beside {target.name}/ (a swap was interrupted after it)")
    for leftover in [*_siblings(target, "tmp"), *_siblings(target, "old")]:
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover)
        else:
            leftover.unlink()
        done.append(f"removed {leftover.name} (left by an interrupted write)")
    return done


def leftovers(target: Path) -> list[str]:
    """What :func:`recover` would do, one line each, without doing it (for ``build --check``)."""
    found = []
    if (target / PENDING).exists():
        found.append(f"{target.name}/{PENDING}: a swap was interrupted before its companions moved into place")
    if not target.exists() and _siblings(target, "old"):
        found.append(f"{target.name}/ is missing and its previous version is aside: a swap was interrupted")
    for leftover in [*_siblings(target, "tmp"), *_siblings(target, "old")]:
        found.append(f"{leftover.name}: left by an interrupted write (or one under way)")
    return found


def _siblings(target: Path, kind: str) -> list[Path]:
    prefix = f".{target.name}.{kind}-"
    if not target.parent.is_dir():
        return []
    return sorted(p for p in target.parent.iterdir() if p.name.startswith(prefix))


def _folder_mode() -> int:
    """0o777 less the umask: what ``mkdir`` gives a folder."""
    with _lock_umask:
        mask = os.umask(0o022)
        os.umask(mask)
    return 0o777 & ~mask


_lock_umask = threading.Lock()


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    if sys.platform != "linux":
        return None
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a libc older than glibc 2.28
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


def _exchange(a: Path, b: Path) -> bool:
    """Trade the names of ``a`` and ``b`` in one step; False where the OS or filesystem cannot."""
    fn = None if os.environ.get(NO_EXCHANGE_ENV) else _renameat2()
    if fn is None:
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait while the names change; they are delivered (raised) right after."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _reached(step: str) -> None:
    if os.environ.get(FAULT_ENV) == step:  # the fault tests' kill point; inert unless set
        os.kill(os.getpid(), signal.SIGKILL)
