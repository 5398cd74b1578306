"""``coopnum release X.Y.Z``: set the version, rebuild, write the CHANGELOG entry, tag git.

The previous release is the highest ``vMAJOR.MINOR.PATCH`` tag of the checkout's git repository,
and its rows are read from git itself (``git show vX:<file>`` of each ``documents`` file :func:`release_files` lists):
``dataset/`` is committed and CI holds it equal to its rebuild, so the tag already stores exactly
the Parquet that was released, and no second copy is kept. The diff is
:func:`coopnum.dataset.release.diff`; the semver rule is
:func:`coopnum.dataset.release.check_version`.

Order, so that a refusal changes nothing: the tree must be clean and the build current; the diff
is taken from the current ``dataset/`` (a version changes the card, never a Parquet row); only then
is the version written and the library build run, then the CHANGELOG. A failing build puts the old
``pyproject.toml`` back. Nothing is committed unless asked (``commit=True``); the annotated tag
``vX.Y.Z`` is made only on a clean tree, so running the command again after committing the
release's files by hand finishes it with the tag.
"""

from __future__ import annotations

import datetime
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from coopnum import schema
from coopnum.dataset import release as rel
from coopnum.dataset import shards
from coopnum.dataset.build import build, check
from coopnum.dataset.release import ReleaseError

CHANGELOG = "CHANGELOG.md"
DATASET = "dataset"
RELEASE_FILES = ("pyproject.toml", "dataset", "DATASHEET.md", CHANGELOG)


def git(root: Path, *args: str, binary: bool = False) -> str | bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False, timeout=120)
    except FileNotFoundError:
        raise ReleaseError("git is not installed: a release is a git tag") from None
    if done.returncode != 0:
        line = done.stderr.decode(errors="replace").strip().splitlines()
        raise ReleaseError(f"git {args[0]} failed: {line[-1] if line else done.returncode}", file=str(root))
    return done.stdout if binary else done.stdout.decode()


def _text(root: Path, *args: str) -> str:
    out = git(root, *args)
    assert isinstance(out, str)
    return out


def _bytes(root: Path, *args: str) -> bytes:
    out = git(root, *args, binary=True)
    assert isinstance(out, bytes)
    return out


def previous_release(root: Path) -> str | None:
    """The highest ``vX.Y.Z`` tag, as ``X.Y.Z``; None before the first release."""
    versions = [t[len(rel.TAG_PREFIX) :] for t in _text(root, "tag", "--list", f"{rel.TAG_PREFIX}*").split()]
    released = [v for v in versions if rel.SEMVER.fullmatch(v)]
    return max(released, key=rel.parse) if released else None


def dirty(root: Path) -> list[str]:
    return [line[3:] for line in _text(root, "status", "--porcelain", "--untracked-files=all").splitlines() if line]


@dataclass(frozen=True)
class Snapshot:
    """One release's ``documents`` rows, its features by config and its schema version."""

    rows: list[dict]
    features: dict[str, str]
    schema_version: str | None


def release_files(root: Path, revision: str) -> dict[tuple[str, str], list[str]]:
    """The data files of each (config, split) of ``dataset/`` at git ``revision`` (repository paths, in
    document order): ``<split>.parquet``, or the shards of a split of several (:mod:`coopnum.dataset.shards`)."""
    listed = _text(root, "ls-tree", "-r", "--name-only", revision, f"{DATASET}/{shards.DATA}").split()
    rels = [p.removeprefix(f"{DATASET}/") for p in listed]
    configs = sorted({parsed[0] for r in rels if (parsed := shards.parse(r)) is not None})
    out = {(c, s): [f"{DATASET}/{r}" for r in shards.select(rels, c, s)] for c in configs for s in schema.SPLITS}
    return {key: paths for key, paths in out.items() if paths}


def tagged_snapshot(root: Path, version: str) -> Snapshot:
    tag = f"{rel.TAG_PREFIX}{version}"
    rows: list[dict] = []
    features: dict[str, str] = {}
    for (config, _split), paths in sorted(release_files(root, tag).items()):
        for path in paths:
            data = _bytes(root, "show", f"{tag}:{path}")
            features.setdefault(config, rel.features_of(data))
            if config == "documents":
                rows += rel.named_rows(data)
    manifest = json.loads(_text(root, "show", f"{tag}:dataset/manifest.json"))
    return Snapshot(rows, features, manifest.get("versions", {}).get("schema"))


def current_snapshot(root: Path) -> Snapshot:
    rows: list[dict] = []
    features: dict[str, str] = {}
    dataset = root / DATASET
    for config in sorted({parsed[0] for r in shards.listing(dataset) if (parsed := shards.parse(r)) is not None}):
        for path in shards.config_files(dataset, config):
            data = path.read_bytes()
            features.setdefault(config, rel.features_of(data))
            if config == "documents":
                rows += rel.named_rows(data)
    return Snapshot(rows, features, schema.SCHEMA_VERSION)


def release_diff(root: Path, previous: str | None) -> rel.Diff:
    new = current_snapshot(root)
    old = tagged_snapshot(root, previous) if previous else Snapshot([], {}, None)
    d = rel.diff(old.rows, new.rows)
    changes = rel.schema_changes(old.features, new.features, old.schema_version, new.schema_version) if previous else ()
    return rel.Diff(d.documents, d.documents_added, d.documents_removed, d.texts_changed, d.layers, changes)


@dataclass(frozen=True)
class Released:
    version: str
    previous: str | None
    bump: str
    diff: rel.Diff | None  # None when the command only finished a release (the tag)
    committed: bool
    tagged: bool
    left: tuple[str, ...] = ()  # files the release wrote and did not commit


def _refuse_unready(root: Path, version: str) -> None:
    if Path(_text(root, "rev-parse", "--show-toplevel").strip()).resolve() != root.resolve():
        raise ReleaseError("release from the top of the git checkout (--root)", file=str(root))
    if _text(root, "tag", "--list", f"{rel.TAG_PREFIX}{version}").strip():
        raise ReleaseError(f"git tag {rel.TAG_PREFIX}{version} exists already: that version is released")
    changed = dirty(root)
    if changed:
        shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
        raise ReleaseError(f"the git tree is not clean ({shown}): commit or remove the changes first")
    stale = check(root)
    if stale:
        raise ReleaseError("the build is stale, run `coopnum build` and commit it first: " + "; ".join(stale[:3]))


def tag(root: Path, version: str, message: str) -> None:
    git(root, "tag", "-a", f"{rel.TAG_PREFIX}{version}", "-m", message)


def _finishing(root: Path, version: str) -> bool:
    """The release's files were written (and committed by hand): only the tag is missing."""
    changelog = root / CHANGELOG
    return rel.release_version(root) == version and (
        changelog.is_file() and f"## [{version}]" in changelog.read_text(encoding="utf-8")
    )


def _data_bytes(root: Path) -> dict[str, bytes]:
    """Every data file of ``dataset/``, by path: what a version bump must leave as it is."""
    dataset = root / DATASET
    return {rel_path: (dataset / rel_path).read_bytes() for rel_path in shards.listing(dataset)}


def release(root: Path, version: str, *, commit: bool = False, date: str | None = None) -> Released:
    """Make release ``version`` of the checkout at ``root`` (hold the checkout lock)."""
    rel.parse(version)
    if _finishing(root, version):
        _refuse_unready(root, version)
        tag(root, version, f"coopnum {version}")
        return Released(version, previous_release(root), "finish", None, False, True)
    _refuse_unready(root, version)
    previous = previous_release(root)
    d = release_diff(root, previous)
    bump = rel.check_version(previous, version, d)
    data_before = _data_bytes(root)
    old_pyproject = rel.set_release_version(root, version)
    try:
        build(root)
    except BaseException:
        rel.write_atomically(root / rel.PYPROJECT, old_pyproject)
        raise
    if _data_bytes(root) != data_before:
        raise ReleaseError("the rebuild changed Parquet rows: only the version should change; build again")
    changelog = root / CHANGELOG
    text = changelog.read_text(encoding="utf-8") if changelog.is_file() else "# Changelog\n"
    day = date or datetime.datetime.now(datetime.UTC).date().isoformat()
    rel.write_atomically(changelog, rel.insert_entry(text, version, rel.changelog_entry(version, previous, d, day)))
    if commit:
        git(root, "add", "--", *RELEASE_FILES)
        git(root, "commit", "-q", "-m", f"Release {version}", "-m", rel.summary(d))
    left = tuple(dirty(root))
    tagged = not left
    if tagged:
        tag(root, version, f"coopnum {version}\n\n{rel.summary(d)}")
    return Released(version, previous, bump, d, commit, tagged, left)
