"""Push documents to a Label Studio project, pull annotations from it, restore them into it.

The I/O shell around :mod:`coopnum.labelstudio.tasks` (per-document conversion),
over :class:`coopnum.labelstudio.client.Client` (every HTTP call retried, errors
named without the token).

Tasks are keyed on ``data.doc_id`` and ``data.text_sha256``: a document whose
clean text is unchanged keeps its task, a changed one gets a new task and the
old one is marked stale (``data.stale``), never deleted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from coopnum.annotation import format as ann
from coopnum.annotation.pseudonyms import AnnotatorMap
from coopnum.corpus.document import CleanDocument
from coopnum.errors import CoopnumError
from coopnum.labelstudio import config as lsconfig
from coopnum.labelstudio import pulled
from coopnum.labelstudio import tasks as lstasks
from coopnum.labelstudio.client import Client

IMPORT_BATCH = 250
META_KEY = "coopnum"  # task meta: what a restore must remember (original ids and timestamps)
EDIT_AFTER_RESTORE_S = 2.0

T = TypeVar("T")
Predictor = Callable[[Sequence[CleanDocument]], list[tuple[ann.Span, ...]]]


class InvalidResults(CoopnumError):
    """Results that do not fit the labeling config; ``problems`` lists each by task, annotation and field."""

    def __init__(self, problems: Sequence[lstasks.Problem]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} invalid result value(s); nothing was written:\n{lines}")


# ------------------------------------------------------------------ push


@dataclass(frozen=True)
class PushResult:
    project_id: int
    created: int
    unchanged: int
    stale: int  # tasks newly marked stale
    predictions: int  # predictions imported
    config_updated: bool


@dataclass
class _PushPlan:
    """What a push does to the tasks it found."""

    new_docs: list[CleanDocument] = field(default_factory=list)  # no task for their current text
    to_mark: list[dict[str, Any]] = field(default_factory=list)  # live tasks to mark stale
    to_predict: list[tuple[CleanDocument, int]] = field(default_factory=list)  # unchanged, lacking this model
    unchanged: int = 0


def push(
    client: Client,
    docs: Sequence[CleanDocument],
    title: str,
    predictor: Predictor | None,
    model_version: str | None,
) -> PushResult:
    """Create or update the project and its tasks; idempotent."""
    project, config_updated = _ensure_project(client, title)
    plan = _plan_push(client.tasks(project.id), docs, model_version)
    # both predictions before any import, so a failing model imports no task (the order push always had)
    spans_of = _predict(predictor, plan.new_docs)
    extra = _predict(predictor, [d for d, _ in plan.to_predict])
    predictions = _import_new(client, project.id, plan.new_docs, spans_of if predictor else None, model_version)
    for d, task_id in plan.to_predict:
        text = lstasks.task_text(lstasks.task_data(d))
        result = lstasks.spans_to_result(extra[d.doc_id], text, "p")
        client.call(
            "add a prediction", client.ls.predictions.create, task=task_id, model_version=model_version, result=result
        )
        predictions += 1
    for t in plan.to_mark:
        client.call("mark a task stale", client.ls.tasks.update, id=str(t["id"]), data=lstasks.stale_data(t["data"]))
    return PushResult(project.id, len(plan.new_docs), plan.unchanged, len(plan.to_mark), predictions, config_updated)


def _ensure_project(client: Client, title: str) -> tuple[Any, bool]:
    """The project titled ``title``, created or brought to the current config; and whether the config was written."""
    config, instructions = lsconfig.label_config(), lsconfig.instructions_html()
    project = client.find_project(title)
    if project is None:
        project = client.call(
            "create the project",
            client.ls.projects.create,
            title=title,
            label_config=config,
            expert_instruction=instructions,
            show_instruction=True,
        )
        return project, True
    if project.label_config.strip() != config.strip() or project.expert_instruction != instructions:
        client.call(
            "update the project",
            client.ls.projects.update,
            id=project.id,
            label_config=config,
            expert_instruction=instructions,
            show_instruction=True,
        )
        return project, True
    return project, False


def _plan_push(existing: list[dict[str, Any]], docs: Sequence[CleanDocument], model_version: str | None) -> _PushPlan:
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for t in existing:
        by_doc[str(t["data"].get("doc_id"))].append(t)
    corpus_ids = {d.doc_id for d in docs}
    plan = _PushPlan()
    for d in docs:
        live = [t for t in by_doc.get(d.doc_id, []) if not t["data"].get("stale")]
        same = [t for t in live if t["data"].get("text_sha256") == d.text_sha256]
        plan.to_mark += [t for t in live if t["data"].get("text_sha256") != d.text_sha256]
        if same:
            plan.unchanged += 1
            if model_version and not any(p.get("model_version") == model_version for p in same[0]["predictions"]):
                plan.to_predict.append((d, same[0]["id"]))
        else:
            plan.new_docs.append(d)
    # a document gone from the corpus: its tasks are stale too
    plan.to_mark += [
        t for doc_id, ts in by_doc.items() if doc_id not in corpus_ids for t in ts if not t["data"].get("stale")
    ]
    return plan


def _predict(predictor: Predictor | None, docs: Sequence[CleanDocument]) -> dict[str, tuple[ann.Span, ...]]:
    return dict(zip([d.doc_id for d in docs], predictor(docs), strict=True)) if predictor else {}


def _import_new(
    client: Client,
    project_id: int,
    new_docs: Sequence[CleanDocument],
    spans_of: dict[str, tuple[ann.Span, ...]] | None,
    model_version: str | None,
) -> int:
    """Import a task per document, with its prediction when there is a predictor; returns the predictions."""
    predictions = 0
    for batch in _batches(new_docs, IMPORT_BATCH):
        request = []
        for d in batch:
            task: dict[str, Any] = {"data": lstasks.task_data(d)}
            if spans_of is not None and model_version:
                text = lstasks.task_text(task["data"])
                result = lstasks.spans_to_result(spans_of[d.doc_id], text, "p")
                task["predictions"] = [{"model_version": model_version, "result": result}]
                predictions += 1
            request.append(task)
        client.call("import tasks", client.ls.projects.import_tasks, id=project_id, request=request)
    return predictions


def _batches(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# ------------------------------------------------------------------ pull


@dataclass(frozen=True)
class PullResult:
    tasks: int
    files: int
    counts_in: ann.Counts  # counted in what Label Studio returned
    counts_out: ann.Counts  # counted in the files written, read back
    drafts: int  # left out: unfinished work
    cancelled: int  # left out: skipped tasks (no result)
    new_annotators: int


@dataclass
class _Harvest:
    """What the tasks of a pull gave: records by document, and what was counted or found wrong on the way."""

    emails: dict[int, str]
    annotator_map: AnnotatorMap
    records: dict[str, list[pulled.TaskRecord]] = field(default_factory=lambda: defaultdict(list))
    problems: list[lstasks.Problem] = field(default_factory=list)
    counts_in: ann.Counts = field(default_factory=ann.Counts)
    drafts: int = 0
    cancelled: int = 0


def pull(
    client: Client,
    title: str,
    annotations_dir: Path,
    annotator_map: AnnotatorMap,
    *,
    allow_shrink: bool = False,
    on_page: Callable[[int], None] | None = None,
) -> PullResult:
    """Write every submitted annotation to ``annotations_dir/labelstudio/``, all or nothing."""
    project = client.project(title)
    harvest = _Harvest(client.user_emails(), annotator_map)
    tasks = client.tasks(project.id, on_page=on_page)
    known_annotators = len(annotator_map.by_email)
    for task in tasks:
        _read_task(task, harvest)

    files = pulled.documents(harvest.records, harvest.problems)
    if harvest.problems:
        raise InvalidResults(harvest.problems)
    counts_in = harvest.counts_in + ann.Counts(documents=len(files))
    counts_out = _write_checked(annotations_dir / ann.SUBDIR, files, counts_in, annotator_map, allow_shrink)
    new_annotators = len(annotator_map.by_email) - known_annotators
    return PullResult(len(tasks), len(files), counts_in, counts_out, harvest.drafts, harvest.cancelled, new_annotators)


def _read_task(task: dict[str, Any], harvest: _Harvest) -> None:
    harvest.drafts += len(task.get("drafts") or [])
    try:
        text = lstasks.task_text(task["data"])
    except lstasks.TaskDataError as e:
        harvest.problems.append(lstasks.Problem(task["id"], "-", "data", str(e)))
        return
    meta = (task.get("meta") or {}).get(META_KEY, {})
    record = pulled.TaskRecord(meta.get("task_id", task["id"]), text, [], [], tuple(meta.get("stale_tasks", ())))
    for a in task.get("annotations") or []:
        _read_annotation(task["id"], a, text, meta.get("restored", {}), record, harvest)
    for p in task.get("predictions") or []:
        _read_prediction(task["id"], p, text, record, harvest)
    harvest.records[text.doc_id].append(record)


def _read_annotation(
    task_id: int,
    a: dict[str, Any],
    text: lstasks.TaskText,
    restored: dict[str, Any],
    record: pulled.TaskRecord,
    harvest: _Harvest,
) -> None:
    if a.get("was_cancelled"):
        harvest.cancelled += 1
        return
    ann_id = f"ls-{a.get('import_id') or a['id']}"
    parsed, found = lstasks.parse_result(a.get("result"), text, task_id, ann_id)
    harvest.problems += found
    if parsed is None:
        return
    email = harvest.emails.get(a.get("completed_by"))
    if email is None:
        harvest.problems.append(lstasks.Problem(task_id, ann_id, "completed_by", "no user with this id"))
        return
    created, updated = _timestamps(a, restored)
    record.annotations.append(
        lstasks.to_annotation(
            parsed,
            id=ann_id,
            annotator=harvest.annotator_map.pseudonym(email),
            ground_truth=bool(a.get("ground_truth")),
            created_at=created,
            updated_at=updated,
        )
    )
    harvest.counts_in += ann.Counts(0, 1, parsed.raw_spans, parsed.raw_choices)


def _read_prediction(
    task_id: int, p: dict[str, Any], text: lstasks.TaskText, record: pulled.TaskRecord, harvest: _Harvest
) -> None:
    where = f"prediction {p.get('id')}"
    parsed, found = lstasks.parse_result(p.get("result"), text, task_id, where)
    harvest.problems += found
    if parsed is None:
        return
    if parsed.raw_choices:
        harvest.problems.append(lstasks.Problem(task_id, where, "result", "coopnum keeps entity predictions only"))
        return
    record.predictions.append(ann.Prediction(str(p.get("model_version") or ""), parsed.entities))
    harvest.counts_in += ann.Counts(0, 0, 0, 0, 1, parsed.raw_spans)


def _write_checked(
    target: Path,
    files: dict[str, ann.DocumentAnnotations],
    counts_in: ann.Counts,
    annotator_map: AnnotatorMap,
    allow_shrink: bool,
) -> ann.Counts:
    """Write ``files`` in place of ``target`` if nothing is lost on the way; returns the counts read back."""
    if not allow_shrink:
        pulled.refuse_shrink(pulled.read_written(target), files.values())
    if ann.count(files.values()) != counts_in:
        raise CoopnumError(
            f"counts differ: Label Studio gave {counts_in.as_dict()}, converted {ann.count(files.values()).as_dict()}"
        )
    annotator_map.save()  # before the files that use its new ids
    pulled.write_swap(target, files)
    counts_out = ann.count(pulled.read_written(target).values())
    if counts_out != counts_in:
        raise CoopnumError(
            f"counts differ: Label Studio gave {counts_in.as_dict()}, the files hold {counts_out.as_dict()}"
        )
    return counts_out


def _timestamps(a: dict[str, Any], restored: dict[str, Any]) -> tuple[str | None, str | None]:
    """Server timestamps, or for a restored annotation the original ones (until someone edits it)."""
    created, updated = a.get("created_at"), a.get("updated_at")
    original = restored.get(str(a.get("import_id"))) if a.get("import_id") is not None else None
    if original is None:
        return created, updated
    edited = (
        created is not None
        and updated is not None
        and (dt.datetime.fromisoformat(updated) - dt.datetime.fromisoformat(created)).total_seconds()
        > EDIT_AFTER_RESTORE_S
    )
    return original.get("created_at"), (updated if edited else original.get("updated_at"))


# ------------------------------------------------------------------ restore


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
