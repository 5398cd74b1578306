"""Push documents to a Label Studio project, pull annotations from it, restore them into it.

The I/O shell around :mod:`coopnum.labelstudio.tasks` (per-document conversion),
over :class:`coopnum.labelstudio.client.Client` (every HTTP call retried, errors
named without the token).

Tasks are keyed on ``data.doc_id`` and ``data.text_sha256``: a document whose
clean text is unchanged keeps its task, a changed one gets a new task and the
old one is marked stale (``data.stale``), never deleted.
"""

from __future__ import annotations

import dataclasses
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
from coopnum.labelstudio import pulled, team
from coopnum.labelstudio import tasks as lstasks
from coopnum.labelstudio.client import Client

IMPORT_BATCH = 250
META_KEY = "coopnum"  # task meta: what a restore must remember (original ids and timestamps)
EDIT_AFTER_RESTORE_S = 2.0

T = TypeVar("T")
Predictor = Callable[[Sequence[CleanDocument]], list[tuple[ann.Span, ...]]]


class InvalidResults(CoopnumError):
    """Results that do not fit the labeling config; ``problems`` lists each by task, annotation and field."""

    def __init__(self, problems: Sequence[lstasks.Problem], outcome: str = "nothing was written") -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} invalid result value(s); {outcome}:\n{lines}")


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
    to_refresh: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)  # (task, its new data)
    unchanged: int = 0


PASSES = team.PASSES


def project_settings(show_predictions: bool, model_version: str | None) -> dict[str, Any]:
    """What the annotators' label stream does, as far as Label Studio Community can enforce it.

    Every task goes to ``PASSES`` annotators (overlap on all tasks), each gets a task at most once,
    and the stream shows an annotator their own annotation only (Label Studio's next-task view).
    Nobody's annotation history, no skip (each pass covers every task), no empty submission, and the
    model's pre-annotations only when asked for (``show_predictions``; then from ``model_version``).
    Community has no roles: any account can still open the data manager and read every annotation
    (see README, "Annotating in Label Studio").
    """
    settings: dict[str, Any] = {
        "maximum_annotations": PASSES,
        "overlap_cohort_percentage": 100,
        "show_overlap_first": False,
        "sampling": "Sequential sampling",
        "show_annotation_history": False,
        "show_skip_button": False,
        "enable_empty_annotation": False,
        "show_ground_truth_first": False,
        "reveal_preannotations_interactively": False,
        "show_collab_predictions": show_predictions,
        "show_instruction": True,
    }
    if show_predictions:
        # the version whose predictions the stream serves (Label Studio also sets it itself on import)
        settings["model_version"] = model_version or ""
    return settings


def push(
    client: Client,
    docs: Sequence[CleanDocument],
    title: str,
    predictor: Predictor | None,
    model_version: str | None,
    *,
    guidelines: str = "",
    show_predictions: bool = False,
    annotators: Sequence[str] = (),
) -> PushResult:
    """Create or update the project and its tasks; idempotent.

    ``guidelines`` (the Markdown of ``annotations/GUIDELINES.md``) become the in-tool instructions;
    ``show_predictions`` puts the model's entity suggestions into the annotators' label stream.
    ``annotators`` (account emails, at least two): each document's two passes go to two different
    ones (:func:`coopnum.labelstudio.team.assign`), named in its task data, and each annotator gets
    a data manager tab listing their tasks.
    """
    assigned: dict[str, tuple[int, ...]] = {}
    if annotators:
        ids = team.user_ids(annotators, client.user_emails())
        assigned = team.assign([d.doc_id for d in docs], ids)
    settings = project_settings(show_predictions, model_version)
    project, config_updated = _ensure_project(client, title, lsconfig.instructions_html(guidelines), settings)
    tasks = client.tasks(project.id)
    plan = _plan_push(tasks, docs, model_version, assigned)
    # both predictions before any import, so a failing model imports no task (the order push always had)
    spans_of = _predict(predictor, plan.new_docs)
    extra = _predict(predictor, [d for d, _ in plan.to_predict])
    predictions = _import_new(
        client, project.id, plan.new_docs, spans_of if predictor else None, model_version, assigned
    )
    for d, task_id in plan.to_predict:
        text = lstasks.task_text(lstasks.task_data(d))
        result = lstasks.spans_to_result(extra[d.doc_id], text, "p")
        client.call(
            "add a prediction", client.ls.predictions.create, task=task_id, model_version=model_version, result=result
        )
        predictions += 1
    for t in plan.to_mark:
        client.call("mark a task stale", client.ls.tasks.update, id=str(t["id"]), data=lstasks.stale_data(t["data"]))
    for t, data in plan.to_refresh:
        # same text, data from an older coopnum (e.g. without paragraph numbers): the screen needs the new keys
        client.call("refresh a task's data", client.ls.tasks.update, id=str(t["id"]), data=data)
    _ensure_views(client, project.id, sorted({u for pair in assigned.values() for u in pair}))
    return PushResult(project.id, len(plan.new_docs), plan.unchanged, len(plan.to_mark), predictions, config_updated)


def _ensure_project(client: Client, title: str, instructions: str, settings: dict[str, Any]) -> tuple[Any, bool]:
    """The project titled ``title``, created or brought to the current config and settings; and whether
    anything was written."""
    config = lsconfig.label_config()
    project = client.find_project(title)
    wanted = {"label_config": config, "expert_instruction": instructions, **settings}
    if project is None:
        project = client.call("create the project", client.ls.projects.create, title=title, **wanted)
        return project, True
    current = project.model_dump(mode="json")
    differs = [k for k, v in wanted.items() if _setting(current.get(k)) != _setting(v)]
    if differs:
        client.call("update the project", client.ls.projects.update, id=project.id, **wanted)
        return project, True
    return project, False


def _setting(value: object) -> object:
    """A project setting as compared: text without surrounding blanks, None as an empty text."""
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


def _ensure_views(client: Client, project_id: int, users: Sequence[int]) -> None:
    """One data manager tab per assigned annotator, listing their tasks (created once, by title)."""
    if not users:
        return
    have = {v.data.get("title") for v in client.call("list tabs", client.ls.views.list, project=project_id) if v.data}
    for u in users:
        if team.view_title(u) not in have:
            client.call("create a tab", client.ls.views.create, project=project_id, data=team.view_data(u))


def _plan_push(
    existing: list[dict[str, Any]],
    docs: Sequence[CleanDocument],
    model_version: str | None,
    assigned: dict[str, tuple[int, ...]],
) -> _PushPlan:
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
            data = lstasks.task_data(d, assigned.get(d.doc_id, ()))
            if same[0]["data"] != data:
                plan.to_refresh.append((same[0], data))
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
    assigned: dict[str, tuple[int, ...]],
) -> int:
    """Import a task per document, with its prediction when there is a predictor; returns the predictions."""
    predictions = 0
    for batch in _batches(new_docs, IMPORT_BATCH):
        request = []
        for d in batch:
            task: dict[str, Any] = {"data": lstasks.task_data(d, assigned.get(d.doc_id, ()))}
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
    counts_in: ann.Counts  # counted in what Label Studio returned (and, for a document kept, in its file)
    counts_out: ann.Counts  # counted in the files written, read back
    drafts: int  # left out: unfinished work
    cancelled: int  # left out: skipped tasks (no result)
    new_annotators: int  # pseudonyms made up by this pull (private map)
    problems: tuple[lstasks.Problem, ...] = ()  # invalid values; their documents keep their previous file
    kept: tuple[str, ...] = ()  # doc ids with ``problems``: their previous file (if any) was kept
    registered: tuple[team.Registered, ...] = ()  # annotators added to annotations/annotators.json
    # passes (not the gold) made by someone the task was not given to (``ls push --annotators``):
    # written like any other annotation (they are data), and named so the team can look
    unassigned: tuple[Unassigned, ...] = ()


@dataclass(frozen=True)
class Unassigned:
    """A pass by an annotator its task was not assigned to."""

    doc_id: str
    annotation: str
    annotator: str  # pseudonym


@dataclass
class _Harvest:
    """What the tasks of a pull gave: records by document, and what was counted or found wrong on the way."""

    emails: dict[int, str]
    annotator_map: AnnotatorMap
    records: dict[str, list[pulled.TaskRecord]] = field(default_factory=lambda: defaultdict(list))
    problems: list[lstasks.Problem] = field(default_factory=list)
    bad_docs: set[str] = field(default_factory=set)  # documents with a problem: they keep their previous file
    counts_in: dict[str, ann.Counts] = field(default_factory=lambda: defaultdict(ann.Counts))  # by doc id
    drafts: int = 0
    cancelled: int = 0
    unassigned: list[Unassigned] = field(default_factory=list)


def pull(
    client: Client,
    title: str,
    annotations_dir: Path,
    annotator_map: AnnotatorMap,
    *,
    allow_shrink: bool = False,
    on_page: Callable[[int], None] | None = None,
    role: str = "annotator",
    kind: str = team.DEFAULT_KIND,
) -> PullResult:
    """Write every submitted annotation to ``annotations_dir/labelstudio/``.

    A document with an invalid value keeps its previous file (or gets none) and the problem is
    returned by task, annotator and field; the other documents are written. Task data that names
    no document stops the pull with nothing written. New annotators are registered in
    ``annotations/annotators.json`` (``role``, ``kind``; an annotator of ground truth is an adjudicator).
    """
    project = client.project(title)
    harvest = _Harvest(client.user_emails(), annotator_map)
    tasks = client.tasks(project.id, on_page=on_page)
    known_annotators = len(annotator_map.by_email)
    for task in tasks:
        _read_task(task, harvest)
    if any(p.annotation == "-" and p.field == "data" for p in harvest.problems):
        raise InvalidResults(harvest.problems)  # a task that is no document: nothing can be attributed

    target = annotations_dir / ann.SUBDIR
    held = pulled.read_written(target)
    files, counts_in, kept = _files_to_write(harvest, held)
    counts_out = counts_in
    if not harvest.problems or files != held:
        counts_out = _write_checked(target, files, counts_in, annotator_map, allow_shrink)
    registered = team.register(annotations_dir, [f for f in files.values() if f.doc_id not in kept], role, kind)
    new_annotators = len(annotator_map.by_email) - known_annotators
    return PullResult(
        len(tasks),
        len(files),
        counts_in,
        counts_out,
        harvest.drafts,
        harvest.cancelled,
        new_annotators,
        tuple(harvest.problems),
        tuple(sorted(kept)),
        tuple(registered),
        tuple(harvest.unassigned),
    )


def _files_to_write(
    harvest: _Harvest, held: dict[str, ann.DocumentAnnotations]
) -> tuple[dict[str, ann.DocumentAnnotations], ann.Counts, set[str]]:
    """The files of the documents read without a problem, and the held files of the others; their counts."""
    task_docs = {r.task_id: doc_id for doc_id, recs in harvest.records.items() for r in recs}
    found: list[lstasks.Problem] = []
    built = pulled.documents(harvest.records, found)
    harvest.problems += found
    harvest.bad_docs |= {task_docs.get(p.task, "") for p in found}
    files = {rel: f for rel, f in built.items() if f.doc_id not in harvest.bad_docs}
    kept_files = {rel: f for rel, f in held.items() if f.doc_id in harvest.bad_docs}
    counts = sum(
        (c for doc_id, c in harvest.counts_in.items() if doc_id not in harvest.bad_docs), ann.Counts()
    ) + ann.Counts(documents=len(files))
    files.update(kept_files)
    return files, counts + ann.count(kept_files.values()), harvest.bad_docs - {""}


def _read_task(task: dict[str, Any], harvest: _Harvest) -> None:
    harvest.drafts += len(task.get("drafts") or [])
    try:
        text = lstasks.task_text(task["data"])
    except lstasks.TaskDataError as e:
        harvest.problems.append(lstasks.Problem(task["id"], "-", "data", str(e)))
        return
    meta = (task.get("meta") or {}).get(META_KEY, {})
    record = pulled.TaskRecord(meta.get("task_id", task["id"]), text, [], [], tuple(meta.get("stale_tasks", ())))
    before = len(harvest.problems)
    assigned = str(task["data"].get("assigned") or "")  # "|id|id|" when ls push --annotators gave the task out
    for a in task.get("annotations") or []:
        _read_annotation(task["id"], a, text, meta.get("restored", {}), record, harvest, assigned)
    for p in task.get("predictions") or []:
        _read_prediction(task["id"], p, text, record, harvest)
    if len(harvest.problems) > before:
        harvest.bad_docs.add(text.doc_id)
    harvest.records[text.doc_id].append(record)


def _read_annotation(
    task_id: int,
    a: dict[str, Any],
    text: lstasks.TaskText,
    restored: dict[str, Any],
    record: pulled.TaskRecord,
    harvest: _Harvest,
    assigned: str = "",
) -> None:
    if a.get("was_cancelled"):
        harvest.cancelled += 1
        return
    ann_id = f"ls-{a.get('import_id') or a['id']}"
    completed_by = a.get("completed_by")
    email = harvest.emails.get(completed_by) if completed_by is not None else None
    if email is None:
        harvest.problems.append(lstasks.Problem(task_id, ann_id, "completed_by", "no user with this id"))
        return
    parsed, found = lstasks.parse_result(a.get("result"), text, task_id, ann_id)
    if found:
        who = harvest.annotator_map.pseudonym(email)
        harvest.problems += [dataclasses.replace(p, annotator=who) for p in found]
    if parsed is None:
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
    harvest.counts_in[text.doc_id] += ann.Counts(0, 1, parsed.raw_spans, parsed.raw_choices)
    if assigned and not a.get("ground_truth") and f"|{completed_by}|" not in assigned:
        harvest.unassigned.append(Unassigned(text.doc_id, ann_id, record.annotations[-1].annotator))


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
    harvest.counts_in[text.doc_id] += ann.Counts(0, 0, 0, 0, 1, parsed.raw_spans)


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
