"""Releases: the one version, the semver rule, and the diff between two releases' labels.

**One version.** The dataset release version is the ``[project] version`` of the checkout's
``pyproject.toml``; nothing else states it. The package version is the same literal (setuptools
reads it at install), and the build reads it from the root it builds (:func:`release_version`), so
the card, ``croissant.json``, ``DATASHEET.md`` and ``manifest.json`` say the version of the
checkout they describe, and ``coopnum build --check`` reports a version changed since the build.
Why ``pyproject.toml`` and not a file of its own: the code and the data of a checkout are released
together (one tag, one commit), so one number for both is the honest one, and it is the number
Python tooling already reads.

**Semver rule** (:func:`required_bump`): *major* when the schema changed (the schema version, the
configs or any config's features), *minor* when documents or labels were added, *patch* for
corrections only (labels changed or removed, documents removed, texts corrected, nothing at all).
A release may bump more than the diff requires, never less.

**Diff** (:func:`diff`): pure, from two sets of ``documents`` rows (the config that holds every
document with its gold labels), with label names, not ClassLabel ids. Per layer — entities keyed by
(document, start, end), paragraph stance by (document, paragraph), document stance by document,
topics by (document, topic) — a key only in the new rows is *added*, only in the old ones
*removed*, in both with another label *changed*.
"""

from __future__ import annotations

import io
import json
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

import coopnum
from coopnum.errors import BuildError

PYPROJECT = "pyproject.toml"
SEMVER = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
TAG_PREFIX = "v"
LAYERS = ("entities", "paragraph stance", "document stance", "topics")
BUMPS = ("patch", "minor", "major")  # in increasing order
_VERSION_LINE = re.compile(r'^(version\s*=\s*)"([^"]*)"', re.MULTILINE)


class ReleaseError(BuildError):
    """A release cannot be made: a version that breaks the rule, a stale build, an unclean tree."""


def release_version(root: Path) -> str:
    """``[project] version`` of ``root/pyproject.toml`` when ``root`` is a coopnum checkout; for a
    root that is not one (a folder of inputs only), the installed package's version."""
    path = root / PYPROJECT
    if not path.is_file():
        return coopnum.__version__
    try:
        project = tomllib.loads(path.read_text(encoding="utf-8")).get("project", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise BuildError(f"unreadable {PYPROJECT}: {e}", file=str(path)) from None
    if project.get("name") != "coopnum":
        return coopnum.__version__
    version = project.get("version")
    if not isinstance(version, str) or not SEMVER.fullmatch(version):
        raise BuildError(f"the version {version!r} is not MAJOR.MINOR.PATCH", file=str(path), field="version")
    return version


def set_release_version(root: Path, version: str) -> str:
    """Write ``version`` into ``root/pyproject.toml`` (its ``[project]`` table only, nothing else
    touched, replaced atomically); the text it had before, to put back on a failure."""
    parse(version)
    path = root / PYPROJECT
    before = path.read_text(encoding="utf-8")
    start = before.find("[project]")
    end = before.find("\n[", start + 1) if start >= 0 else -1
    section = before[start : end if end >= 0 else len(before)] if start >= 0 else ""
    if not _VERSION_LINE.search(section):
        raise ReleaseError(f"no version line in the [project] table of {PYPROJECT}", file=str(path), field="version")
    new_section = _VERSION_LINE.sub(lambda m: f'{m[1]}"{version}"', section, count=1)
    write_atomically(path, before[:start] + new_section + before[start + len(section) :])
    return before


def write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def parse(version: str) -> tuple[int, int, int]:
    m = SEMVER.fullmatch(version)
    if m is None:
        raise ReleaseError(f"{version!r} is not a semantic version MAJOR.MINOR.PATCH (like 1.2.0)", field="version")
    return int(m[1]), int(m[2]), int(m[3])


def successors(previous: str) -> dict[str, str]:
    """The three versions that may follow ``previous``: bump -> version."""
    major, minor, patch = parse(previous)
    return {"patch": f"{major}.{minor}.{patch + 1}", "minor": f"{major}.{minor + 1}.0", "major": f"{major + 1}.0.0"}


@dataclass(frozen=True)
class LayerDiff:
    added: int
    changed: int
    removed: int


@dataclass(frozen=True)
class Diff:
    """What changed between two releases' ``documents`` rows (and whether the schema did)."""

    documents: int  # in the new release
    documents_added: tuple[str, ...]
    documents_removed: tuple[str, ...]
    texts_changed: tuple[str, ...]  # documents in both whose clean text differs
    layers: dict[str, LayerDiff]
    schema_changes: tuple[str, ...] = ()

    @property
    def labels_added(self) -> int:
        return sum(d.added for d in self.layers.values())

    @property
    def empty(self) -> bool:
        changes = [self.documents_added, self.documents_removed, self.texts_changed, self.schema_changes]
        return not any(changes) and not any(d.added or d.changed or d.removed for d in self.layers.values())


def _keyed_labels(row: Mapping[str, Any]) -> dict[str, dict[tuple, str]]:
    """One document's gold labels by layer, keyed as the module docstring says."""
    doc = str(row["id"])
    out: dict[str, dict[tuple, str]] = {layer: {} for layer in LAYERS}
    for e in row.get("entities") or ():
        out["entities"][(doc, int(e["start"]), int(e["end"]))] = str(e["label"])
    for i, label in enumerate(row.get("paragraph_stances") or ()):
        if label is not None:
            out["paragraph stance"][(doc, i)] = str(label)
    if row.get("stance") is not None:
        out["document stance"][(doc,)] = str(row["stance"])
    for topic in row.get("topics") or ():
        out["topics"][(doc, str(topic))] = "present"
    return out


def _layer_diff(old: Mapping[tuple, str], new: Mapping[tuple, str]) -> LayerDiff:
    return LayerDiff(
        added=sum(1 for k in new if k not in old),
        changed=sum(1 for k in new if k in old and old[k] != new[k]),
        removed=sum(1 for k in old if k not in new),
    )


def diff(old_rows: Iterable[Mapping[str, Any]], new_rows: Iterable[Mapping[str, Any]]) -> Diff:
    """The structured diff of two releases' ``documents`` rows (label names, not ids); pure."""
    old = {str(r["id"]): r for r in old_rows}
    new = {str(r["id"]): r for r in new_rows}
    old_labels: dict[str, dict[tuple, str]] = {layer: {} for layer in LAYERS}
    new_labels: dict[str, dict[tuple, str]] = {layer: {} for layer in LAYERS}
    for rows, into in ((old, old_labels), (new, new_labels)):
        for row in rows.values():
            for layer, labels in _keyed_labels(row).items():
                into[layer].update(labels)
    return Diff(
        documents=len(new),
        documents_added=tuple(sorted(new.keys() - old.keys())),
        documents_removed=tuple(sorted(old.keys() - new.keys())),
        texts_changed=tuple(
            sorted(d for d in new.keys() & old.keys() if new[d].get("text_sha256") != old[d].get("text_sha256"))
        ),
        layers={layer: _layer_diff(old_labels[layer], new_labels[layer]) for layer in LAYERS},
    )


def required_bump(d: Diff) -> str:
    """The least bump the semver rule allows for ``d`` (see the module docstring)."""
    if d.schema_changes:
        return "major"
    if d.documents_added or d.labels_added:
        return "minor"
    return "patch"


def check_version(previous: str | None, version: str, d: Diff) -> str:
    """The bump ``previous`` -> ``version`` is, or a :class:`ReleaseError` saying why it is not allowed."""
    parse(version)
    if previous is None:
        return "first"
    allowed = successors(previous)
    bump = next((b for b, v in allowed.items() if v == version), None)
    if bump is None:
        shown = ", ".join(f"{v} ({b})" for b, v in allowed.items())
        raise ReleaseError(f"{version} does not follow {previous}: the next release is one of {shown}", field="version")
    need = required_bump(d)
    if BUMPS.index(bump) < BUMPS.index(need):
        raise ReleaseError(
            f"{version} is a {bump} release, but the changes since {previous} need a {need} one "
            f"({allowed[need]}): {summary(d)}",
            field="version",
        )
    return bump


def summary(d: Diff) -> str:
    parts = [f"{len(d.documents_added)} documents added, {len(d.documents_removed)} removed"]
    parts += [f"{layer}: +{x.added} ~{x.changed} -{x.removed}" for layer, x in d.layers.items()]
    parts += [f"schema: {c}" for c in d.schema_changes]
    return "; ".join(parts)


def named_rows(parquet: bytes) -> list[dict[str, Any]]:
    """The rows of one Parquet file, ClassLabel ids turned into names by the file's own features
    (so an older release is read with the labels it had)."""
    from datasets import ClassLabel, Features, Sequence

    table = pq.read_table(io.BytesIO(parquet))
    features = Features.from_arrow_schema(table.schema)

    def name(feature: Any, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(feature, ClassLabel):
            return feature.int2str(value)
        if isinstance(feature, dict):
            return {k: name(feature[k], v) if k in feature else v for k, v in value.items()}
        if isinstance(feature, list):
            return [name(feature[0], v) for v in value]
        if isinstance(feature, Sequence):
            return [name(feature.feature, v) for v in value]
        return value

    return [{k: name(features[k], v) for k, v in row.items()} for row in table.to_pylist()]


def features_of(parquet: bytes) -> str:
    """A config's features as the Parquet file records them (for the schema comparison)."""
    meta = pq.read_schema(io.BytesIO(parquet)).metadata or {}
    info = json.loads(meta.get(b"huggingface", b"{}"))
    return json.dumps(info.get("info", {}).get("features", {}), sort_keys=True)


def schema_changes(
    old_features: Mapping[str, str], new_features: Mapping[str, str], old_schema: str | None, new_schema: str | None
) -> tuple[str, ...]:
    """What makes the new release a schema change: configs added or removed, a config whose
    features differ, another schema version. Features are by config (see :func:`features_of`)."""
    out = [f"config {c} added" for c in sorted(new_features.keys() - old_features.keys())]
    out += [f"config {c} removed" for c in sorted(old_features.keys() - new_features.keys())]
    out += [
        f"config {c} has other features"
        for c in sorted(new_features.keys() & old_features.keys())
        if new_features[c] != old_features[c]
    ]
    if old_schema is not None and old_schema != new_schema:
        out.append(f"schema version {old_schema} -> {new_schema}")
    return tuple(out)


def changelog_entry(version: str, previous: str | None, d: Diff, date: str) -> str:
    """The generated part of a release's CHANGELOG section (Keep a Changelog heading, then the diff)."""
    against = f"`{TAG_PREFIX}{previous}`" if previous else "nothing (the first release)"
    lines = [
        f"## [{version}] - {date}",
        "",
        "### Dataset",
        "",
        f"Generated by `coopnum release` from the gold labels of the `documents` config, against {against}.",
        "",
        f"- Documents: {d.documents} ({len(d.documents_added)} added, {len(d.documents_removed)} removed, "
        f"{len(d.texts_changed)} with a corrected text).",
    ]
    for what, ids in (
        ("Added", d.documents_added),
        ("Removed", d.documents_removed),
        ("Text corrected", d.texts_changed),
    ):
        if ids:
            lines.append(f"- {what}: " + ", ".join(f"`{i}`" for i in ids) + ".")
    lines += [f"- Schema: {c}." for c in d.schema_changes]
    lines += ["", "| labels | added | changed | removed |", "|---|---:|---:|---:|"]
    lines += [f"| {layer} | {x.added} | {x.changed} | {x.removed} |" for layer, x in d.layers.items()]
    return "\n".join(lines) + "\n"


UNRELEASED = "## [Unreleased]"


def insert_entry(changelog: str, version: str, entry: str) -> str:
    """``changelog`` with ``entry`` as the newest release: the notes under ``Unreleased`` move into
    it (after the generated part) and an empty ``Unreleased`` stays on top."""
    if re.search(rf"^## \[{re.escape(version)}\]", changelog, re.MULTILINE):
        raise ReleaseError(f"CHANGELOG.md already has a section for {version}", file="CHANGELOG.md")
    at = changelog.find(UNRELEASED)
    if at < 0:
        first = re.search(r"^## \[", changelog, re.MULTILINE)
        cut = first.start() if first else len(changelog)
        return changelog[:cut].rstrip("\n") + f"\n\n{UNRELEASED}\n\n{entry}\n" + changelog[cut:]
    body_start = at + len(UNRELEASED)
    following = re.search(r"^## \[", changelog[body_start:], re.MULTILINE)
    body_end = body_start + following.start() if following else len(changelog)
    notes = changelog[body_start:body_end].strip("\n")
    section = entry + (f"\n{notes}\n" if notes else "")
    return changelog[:at] + f"{UNRELEASED}\n\n{section}\n" + changelog[body_end:]
