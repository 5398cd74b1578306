"""Restore: re-import ``annotations/`` into a Label Studio project's current tasks (after a push),
for example onto a new server; a pull afterwards gives the same files. What is there is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coopnum.annotation import format as ann
from coopnum.annotation.pseudonyms import AnnotatorMap
from coopnum.labelstudio import pulled
from coopnum.labelstudio import tasks as lstasks
from coopnum.labelstudio.client import Client
from coopnum.labelstudio.sync import META_KEY


@dataclass(frozen=True)
class RestoreResult:
    restored: int
    present: int  # already on the server
    predictions: int
    skipped: tuple[str, ...]  # files with no task for their text (run push, or the text changed)


def restore(client: Client, title: str, annotations_dir: Path, annotator_map: AnnotatorMap) -> RestoreResult:
    """Re-import ``annotations/`` into the project's current tasks; what is there already is left alone."""
    project = client.project(title)
    held = pulled.read_written(annotations_dir / ann.SUBDIR)
    tasks = client.tasks(project.id)
    current = {(t["data"].get("doc_id"), t["data"].get("text_sha256")): t for t in tasks if not t["data"].get("stale")}
    user_ids = {email: uid for uid, email in client.user_emails().items()}
    restored = present = predictions = 0
    skipped = []
    for rel, doc in sorted(held.items()):
        task = current.get((doc.doc_id, doc.text_sha256))
        if task is None:
            skipped.append(rel)
            continue
        text = lstasks.task_text(task["data"])
        meta = dict((task.get("meta") or {}).get(META_KEY, {}))
        before = dict(meta)
        record = dict(meta.get("restored", {}))
        done, there = _restore_annotations(client, task, text, doc, rel, annotator_map, user_ids, record)
        restored, present = restored + done, present + there
        predictions += _restore_predictions(client, task, text, doc)
        if record:
            meta["restored"] = record
        if doc.task_id is not None and doc.task_id != task["id"]:
            meta["task_id"] = doc.task_id
        if doc.stale_tasks:
            meta["stale_tasks"] = list(doc.stale_tasks)
        if meta != before:
            client.call(
                "record restored ids",
                client.ls.tasks.update,
                id=str(task["id"]),
                meta={**(task.get("meta") or {}), META_KEY: meta},
            )
    return RestoreResult(restored, present, predictions, tuple(skipped))


def _restore_annotations(
    client: Client,
    task: dict[str, Any],
    text: lstasks.TaskText,
    doc: ann.DocumentAnnotations,
    rel: str,
    annotator_map: AnnotatorMap,
    user_ids: dict[str, int],
    record: dict[str, Any],
) -> tuple[int, int]:
    """Create the annotations of ``doc`` the task lacks (and their users); ``record`` gets their original
    timestamps by import id. Returns (created, already there)."""
    on_server = {f"ls-{a.get('import_id') or a['id']}" for a in task.get("annotations") or []}
    restored = present = 0
    for a in doc.annotations:
        if a.id in on_server:
            present += 1
            continue
        import_id = _import_id(a, rel)
        email = annotator_map.email(a.annotator)
        if email not in user_ids:
            user = client.call("create a user", client.ls.users.create, username=a.annotator, email=email)
            user_ids[email] = user.id
        client.call(
            "create an annotation",
            client.ls.annotations.create,
            id=task["id"],
            result=lstasks.annotation_to_result(a, text),
            completed_by=user_ids[email],
            ground_truth=a.ground_truth,
            import_id=import_id,
        )
        record[str(import_id)] = {"created_at": a.created_at, "updated_at": a.updated_at}
        restored += 1
    return restored, present


def _restore_predictions(
    client: Client, task: dict[str, Any], text: lstasks.TaskText, doc: ann.DocumentAnnotations
) -> int:
    """Add the predictions of ``doc`` whose model version the task lacks; returns how many."""
    versions = {p.get("model_version") for p in task.get("predictions") or []}
    added = 0
    for p in doc.predictions:
        if p.model_version not in versions:
            result = lstasks.spans_to_result(p.entities, text, "p")
            client.call(
                "add a prediction",
                client.ls.predictions.create,
                task=task["id"],
                model_version=p.model_version,
                result=result,
            )
            added += 1
    return added


def _import_id(a: ann.Annotation, rel: str) -> int:
    number = a.id.removeprefix("ls-")
    if not (a.id.startswith("ls-") and number.isdigit()):
        raise ann.AnnotationError("annotation id is not ls-<number>", file=rel, annotation=a.id, field="id")
    return int(number)
