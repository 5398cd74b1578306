"""The files a pull writes under ``annotations/labelstudio/``: built from task records, read back,
checked against what they replace, swapped in whole.

One file per current task (``<doc_id>.json``); annotations made on a text that
changed since are kept under ``stale/``, which the build does not read.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from coopnum.annotation import format as ann
from coopnum.errors import CoopnumError
from coopnum.labelstudio import tasks as lstasks
from coopnum.util import swap

STALE_SUBDIR = "stale"  # annotations made on texts that changed since: kept, not read by the build
# annotations/labelstudio/ predates swap.MARKER (and a marker there would be a build input): a pull
# owns it while it holds only the files read_written reads back, and refuses it otherwise.
OWNER = swap.Named("coopnum ls pull", ("*.json", f"{STALE_SUBDIR}/*.json"))


class ShrinkRefused(CoopnumError):
    """A pull would write fewer annotations than ``annotations/`` holds."""


@dataclass
class TaskRecord:
    """The annotations and predictions of one task, on the text it shows."""

    task_id: int  # the original task id (kept across a restore)
    text: lstasks.TaskText
    annotations: list[ann.Annotation]
    predictions: list[ann.Prediction]
    recorded_stale: tuple[int, ...]


def documents(
    records: dict[str, list[TaskRecord]], problems: list[lstasks.Problem]
) -> dict[str, ann.DocumentAnnotations]:
    """Relative path → document: one file per current task, one per (document, older text) with work on it."""
    files: dict[str, ann.DocumentAnnotations] = {}
    for doc_id, recs in sorted(records.items()):
        current = [r for r in recs if not r.text.stale]
        stale = [r for r in recs if r.text.stale]
        if len(current) > 1:
            ids = ", ".join(str(r.task_id) for r in current)
            problems.append(
                lstasks.Problem(
                    current[0].task_id, "-", "data.doc_id", f"{doc_id}: {len(current)} current tasks ({ids})"
                )
            )
            continue
        stale_ids = tuple(sorted({r.task_id for r in stale} | {i for r in current for i in r.recorded_stale}))
        if current:
            r = current[0]
            files[f"{doc_id}.json"] = ann.DocumentAnnotations(
                doc_id, r.text.text_sha256, tuple(r.annotations), tuple(r.predictions), r.task_id, stale_ids
            )
        by_text: dict[str, list[TaskRecord]] = defaultdict(list)
        for r in stale:
            if r.annotations:
                by_text[r.text.text_sha256].append(r)
        for sha, group in by_text.items():
            group.sort(key=lambda r: r.task_id)
            files[f"{STALE_SUBDIR}/{doc_id}.{sha[:16]}.json"] = ann.DocumentAnnotations(
                doc_id,
                sha,
                tuple(a for r in group for a in r.annotations),
                tuple(p for r in group for p in r.predictions),
                group[-1].task_id,
                tuple(r.task_id for r in group[:-1]),
            )
    return files


def read_written(folder: Path) -> dict[str, ann.DocumentAnnotations]:
    """What a pull wrote, by path relative to ``folder`` (stale files included)."""
    found = {}
    if folder.is_dir():
        for path in sorted(folder.glob("*.json")):
            found[path.name] = ann.load_file(path)
        for path in sorted((folder / STALE_SUBDIR).glob("*.json")):
            found[f"{STALE_SUBDIR}/{path.name}"] = _load_stale(path)
    return found


def _load_stale(path: Path) -> ann.DocumentAnnotations:
    import json

    try:
        return ann.from_json(json.loads(path.read_text(encoding="utf-8")), str(path))
    except (OSError, ValueError) as e:
        raise ann.AnnotationError(f"cannot read annotations: {e}", file=str(path)) from None


def _keys(docs: Iterable[ann.DocumentAnnotations]) -> set[tuple[str, str]]:
    return {(d.doc_id, a.id) for d in docs for a in d.annotations}


def refuse_shrink(held: dict[str, ann.DocumentAnnotations], new: Iterable[ann.DocumentAnnotations]) -> None:
    missing = sorted(_keys(held.values()) - _keys(new))
    if missing:
        shown = ", ".join(f"{d}/{a}" for d, a in missing[:5]) + (" …" if len(missing) > 5 else "")
        raise ShrinkRefused(
            f"Label Studio returned {len(missing)} fewer annotation(s) than annotations/ holds ({shown}); "
            "nothing was written. If they were deleted on purpose, pull again with --allow-shrink"
        )


def write_swap(target: Path, files: dict[str, ann.DocumentAnnotations]) -> None:
    tmp = swap.staging(target, OWNER)
    try:
        for rel, doc in sorted(files.items()):
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(ann.dumps(doc), encoding="utf-8")
        swap.swap_in(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
