"""The folder swap: a SIGKILL at each of its steps (exchange and two-rename paths), recovery at the
next start, ownership refusals, companions that change with the folder, normal permissions."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from coopnum.util import swap

from ..conftest import REPO

# Run in a child process: stage a new version of ``target`` (one file and a companion), swap it in.
SWAP_SCRIPT = """
import sys
from pathlib import Path
from coopnum.util import swap
target = Path(sys.argv[1])
tmp = swap.staging(target, swap.Marked("test"))
(tmp / "data.txt").write_text("new\\n")
swap.companion(tmp, "SHEET.md", b"new sheet\\n")
swap.mark(tmp, swap.Marked("test"))
swap.swap_in(tmp, target)
"""


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def first_version(parent: Path) -> tuple[dict[str, bytes], bytes]:
    """``parent/target`` and ``parent/SHEET.md`` as a first run of the script writes them, made 'old'."""
    subprocess.run([sys.executable, "-c", SWAP_SCRIPT, str(parent / "target")], check=True, env=child_env())
    (parent / "target" / "data.txt").write_text("old\n")
    swap.mark(parent / "target", swap.Marked("test"))  # lists data.txt and nothing else
    (parent / "SHEET.md").write_bytes(b"old sheet\n")
    return tree(parent / "target"), b"old sheet\n"


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in (swap.FAULT_ENV, swap.NO_EXCHANGE_ENV)}
    env["PYTHONPATH"] = str(REPO / "src")
    return {**env, **extra}


def temps(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".tmp-" in p.name or ".old-" in p.name)


@pytest.mark.parametrize("exchange", [True, False], ids=["rename-exchange", "two-renames"])
@pytest.mark.parametrize("step", swap.STEPS)
def test_a_kill_at_each_step_leaves_the_old_or_the_new_pair_after_recovery(
    tmp_path: Path, step: str, exchange: bool
) -> None:
    if step == "moved-aside" and exchange:
        pytest.skip("the rename-exchange path has no step between two renames")
    old, old_sheet = first_version(tmp_path)
    extra = {swap.FAULT_ENV: step, **({} if exchange else {swap.NO_EXCHANGE_ENV: "1"})}
    child = subprocess.run(
        [sys.executable, "-c", SWAP_SCRIPT, str(tmp_path / "target")], env=child_env(**extra), capture_output=True
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()
    if exchange or step != "moved-aside":
        assert (tmp_path / "target").is_dir(), "the target or its previous version is in place at every instant"
    done = swap.recover(tmp_path / "target")
    assert done, "the kill left something to recover"
    now, sheet = tree(tmp_path / "target"), (tmp_path / "SHEET.md").read_bytes()
    if step in ("staged", "moved-aside"):
        assert (now, sheet) == (old, old_sheet)
    else:
        assert now["data.txt"] == b"new\n" and sheet == b"new sheet\n"
        assert not any(k.startswith(swap.PENDING) for k in now)
    assert temps(tmp_path) == []
    assert swap.recover(tmp_path / "target") == []  # nothing left for a second start


def test_leftovers_names_what_recover_removes(tmp_path: Path) -> None:
    first_version(tmp_path)
    env = child_env(**{swap.FAULT_ENV: "swapped"})
    subprocess.run([sys.executable, "-c", SWAP_SCRIPT, str(tmp_path / "target")], env=env)
    found = swap.leftovers(tmp_path / "target")
    assert any(swap.PENDING in line for line in found) and any(".target.tmp-" in line for line in found)
    swap.recover(tmp_path / "target")
    assert swap.leftovers(tmp_path / "target") == []


def test_a_swap_gives_normal_permissions(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-c", SWAP_SCRIPT, str(tmp_path / "target")], check=True, env=child_env())
    mode = stat.S_IMODE((tmp_path / "target").stat().st_mode)
    umask = os.umask(0o022)
    os.umask(umask)
    assert mode == 0o777 & ~umask and mode & 0o055, oct(mode)


def test_a_folder_of_someone_else_is_refused_and_untouched(tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.mkdir()
    (target / "notes.txt").write_text("mine\n")
    with pytest.raises(swap.SwapError, match=r"refuses to replace .*did not write \(notes.txt\)"):
        swap.staging(target, swap.Marked("test"))
    assert tree(target) == {"notes.txt": b"mine\n"} and temps(tmp_path) == []


def test_a_file_added_to_an_owned_folder_is_refused_by_name(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-c", SWAP_SCRIPT, str(tmp_path / "target")], check=True, env=child_env())
    (tmp_path / "target" / "added.txt").write_text("by hand\n")
    with pytest.raises(swap.SwapError, match=r"added\.txt"):
        swap.staging(tmp_path / "target", swap.Marked("test"))
    with pytest.raises(swap.SwapError, match="did not write"):  # another command's marker is not enough
        swap.staging(tmp_path / "target", swap.Marked("other"))


@pytest.mark.parametrize("where", ["root", "above", "reserved", "inside-reserved"])
def test_the_root_a_folder_above_it_and_reserved_folders_are_refused(tmp_path: Path, where: str) -> None:
    root = tmp_path / "repo"
    (root / "corpus" / "raw").mkdir(parents=True)
    target = {"root": root, "above": tmp_path, "reserved": root / "corpus", "inside-reserved": root / "corpus" / "x"}
    with pytest.raises(swap.SwapError, match="refuses to"):
        swap.staging(target[where], swap.Marked("test"), root=root, reserved=[root / "corpus"])
    assert (root / "corpus" / "raw").is_dir() and not (root / "corpus" / "x").exists()


def test_a_symlink_target_is_refused(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(swap.SwapError, match="not a folder"):
        swap.staging(tmp_path / "link", swap.Marked("test"))


def test_named_owner_accepts_only_its_file_names(tmp_path: Path) -> None:
    owner = swap.Named("pull", ("*.json", "stale/*.json"))
    (tmp_path / "stale").mkdir()
    for rel in ("a.json", "stale/b.json", "stale/deep.txt", "c.jsonl"):
        (tmp_path / rel).write_text("{}")
    assert owner.written(tmp_path) == {"a.json", "stale/b.json"}


def test_a_failed_companion_move_rolls_the_folder_back(tmp_path: Path) -> None:
    old, _ = first_version(tmp_path)
    (tmp_path / "SHEET.md").unlink()
    (tmp_path / "SHEET.md").mkdir()  # os.replace of a file onto a folder fails
    (tmp_path / "SHEET.md" / "x").write_text("x")
    tmp = swap.staging(tmp_path / "target")
    (tmp / "data.txt").write_text("new\n")
    swap.companion(tmp, "SHEET.md", b"new sheet\n")
    with pytest.raises(swap.SwapError, match=r"SHEET\.md"):
        swap.swap_in(tmp, tmp_path / "target")
    assert tree(tmp_path / "target") == old


@pytest.mark.skipif(sys.platform != "linux", reason="renameat2(RENAME_EXCHANGE) is Linux's")
def test_linux_trades_the_two_names_in_one_step(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "in-a").write_text("")
    assert swap._exchange(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "b" / "in-a").is_file() and not (tmp_path / "a" / "in-a").exists()
