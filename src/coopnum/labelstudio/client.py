"""Push documents to a Label Studio project, pull annotations from it, restore them into it.

The I/O shell around :mod:`coopnum.lstasks` (per-document conversion) over the
official SDK. Every HTTP call goes through :meth:`Client.call`: network
failures and 5xx answers are retried with exponential backoff, then reported
in one line that names the server and never the token.

Tasks are keyed on ``data.doc_id`` and ``data.text_sha256``: a document whose
clean text is unchanged keeps its task, a changed one gets a new task and the
old one is marked stale (``data.stale``), never deleted.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from coopnum.annotation import format as ann
from coopnum.annotation.pseudonyms import AnnotatorMap
from coopnum.corpus.clean import CleanDocument
from coopnum.errors import CoopnumError
from coopnum.labelstudio import config as lsconfig
from coopnum.labelstudio import tasks as lstasks

ENV_URL = "COOPNUM_LS_URL"
ENV_TOKEN = "COOPNUM_LS_TOKEN"
ENV_PROJECT = "COOPNUM_LS_PROJECT"
ENV_ANNOTATOR_MAP = "COOPNUM_LS_ANNOTATOR_MAP"
DEFAULT_URL = "http://127.0.0.1:8080"
DEFAULT_PROJECT = "coopnum"
STALE_SUBDIR = "stale"  # annotations made on texts that changed since: kept, not read by the build
PAGE_SIZE = 250
IMPORT_BATCH = 250
META_KEY = "coopnum"  # task meta: what a restore must remember (original ids and timestamps)
EDIT_AFTER_RESTORE_S = 2.0

T = TypeVar("T")


class LabelStudioError(CoopnumError):
    """The server cannot be reached, refuses a request, or lacks the project."""


class InvalidResults(CoopnumError):
    """Results that do not fit the labeling config; ``problems`` lists each by task, annotation and field."""

    def __init__(self, problems: Sequence[lstasks.Problem]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} invalid result value(s); nothing was written:\n{lines}")


class ShrinkRefused(CoopnumError):
    """A pull would write fewer annotations than ``annotations/`` holds."""


@dataclass(frozen=True)
class Connection:
    url: str
    token: str = field(repr=False)
    timeout: float = 30.0
    tries: int = 4
    backoff: float = 1.0  # seconds before the second try; doubles each time

    @classmethod
    def from_env(cls, **overrides: Any) -> Connection:
        token = os.environ.get(ENV_TOKEN, "")
        if not token:
            raise LabelStudioError(f"set the environment variable {ENV_TOKEN} to your Label Studio API token")
        url = os.environ.get(ENV_URL) or DEFAULT_URL
        return cls(url.rstrip("/"), token, **{k: v for k, v in overrides.items() if v is not None})


class Client:
    def __init__(self, conn: Connection) -> None:
        from label_studio_sdk import LabelStudio  # ≈1 s to import: only when a command needs it

        self.conn = conn
        self.page_size = PAGE_SIZE
        self.ls = LabelStudio(base_url=conn.url, api_key=conn.token, timeout=conn.timeout)
        # The SDK (2.1.2) silently retries refused connections and 5xx twice itself; with ours on top
        # a dead server took 4x as long to report. One retry policy: ours (checked in the SDK source).
        http = getattr(getattr(self.ls, "_client_wrapper", None), "httpx_client", None)
        if hasattr(http, "base_max_retries"):
            http.base_max_retries = 0

    def redact(self, text: str) -> str:
        return text.replace(self.conn.token, "***") if self.conn.token else text

    def call(self, what: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)``, retried on network errors and 5xx/429 answers."""
        import httpx
        from label_studio_sdk.core.api_error import ApiError

        reason = ""
        for attempt in range(self.conn.tries):
            try:
                return fn(*args, **kwargs)
            except httpx.TransportError as e:
                reason = f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
            except ApiError as e:
                status = e.status_code or 0
                if status < 500 and status != 429:
                    body = str(e.body)[:300]
                    raise LabelStudioError(
                        self.redact(f"Label Studio refused to {what}: HTTP {status} {body}")
                    ) from None
                reason = f"HTTP {status}"
            if attempt + 1 < self.conn.tries:
                time.sleep(self.conn.backoff * 2**attempt)
        raise LabelStudioError(
            self.redact(f"cannot {what}: Label Studio at {self.conn.url} failed {self.conn.tries} tries ({reason})")
        )

    # -------------------------------------------------------------- project and tasks

    def find_project(self, title: str) -> Any | None:
        found = [p for p in self.call("list projects", lambda: list(self.ls.projects.list())) if p.title == title]
        if len(found) > 1:
            ids = ", ".join(str(p.id) for p in found)
            raise LabelStudioError(f"{len(found)} projects are titled {title!r} (ids {ids}): rename all but one")
        return found[0] if found else None

    def project(self, title: str) -> Any:
        p = self.find_project(title)
        if p is None:
            raise LabelStudioError(f"no Label Studio project titled {title!r}: run coopnum ls push first")
        return p

    def tasks(self, project_id: int, on_page: Callable[[int], None] | None = None) -> list[dict[str, Any]]:
        """Every task with its annotations, drafts and predictions, one page per request."""
        tasks: list[dict[str, Any]] = []
        page = 1
        while True:
            pager = self.call(
                f"read tasks (page {page})",
                self.ls.tasks.list,
                project=project_id,
                fields="all",
                page=page,
                page_size=self.page_size,
            )
            items = pager.items or []
            tasks += [t.model_dump(mode="json") for t in items]
            if on_page is not None:
                on_page(page)
            # the SDK's has_next only says the page was not empty, and the page after the last is
            # a 404: stop on the total the server reports
            if len(tasks) >= pager.response.total or not items:
                return tasks
            page += 1

    def user_emails(self) -> dict[int, str]:
        return {u.id: u.email for u in self.call("list users", self.ls.users.list) if u.email}


# ------------------------------------------------------------------ push


@dataclass(frozen=True)
class PushResult:
    project_id: int
    created: int
    unchanged: int
    stale: int  # tasks newly marked stale
    predictions: int  # predictions imported
    config_updated: bool


def push(
    client: Client,
    docs: Sequence[CleanDocument],
    title: str,
    predictor: Callable[[Sequence[CleanDocument]], list[tuple[ann.Span, ...]]] | None,
    model_version: str | None,
) -> PushResult:
    """Create or update the project and its tasks; idempotent."""
    config, instructions = lsconfig.label_config(), lsconfig.instructions_html()
    project = client.find_project(title)
    config_updated = False
    if project is None:
        project = client.call(
            "create the project",
            client.ls.projects.create,
            title=title,
            label_config=config,
            expert_instruction=instructions,
            show_instruction=True,
        )
        config_updated = True
    elif project.label_config.strip() != config.strip() or project.expert_instruction != instructions:
        client.call(
            "update the project",
            client.ls.projects.update,
            id=project.id,
            label_config=config,
            expert_instruction=instructions,
            show_instruction=True,
        )
        config_updated = True

    existing = client.tasks(project.id)
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for t in existing:
        by_doc[str(t["data"].get("doc_id"))].append(t)
    corpus_ids = {d.doc_id for d in docs}

    new_docs, to_mark, to_predict = [], [], []
    unchanged = 0
    for d in docs:
        live = [t for t in by_doc.get(d.doc_id, []) if not t["data"].get("stale")]
        same = [t for t in live if t["data"].get("text_sha256") == d.text_sha256]
        to_mark += [t for t in live if t["data"].get("text_sha256") != d.text_sha256]
        if same:
            unchanged += 1
            if model_version and not any(p.get("model_version") == model_version for p in same[0]["predictions"]):
                to_predict.append((d, same[0]["id"]))
        else:
            new_docs.append(d)
    # a document gone from the corpus: its tasks are stale too
    to_mark += [
        t for doc_id, ts in by_doc.items() if doc_id not in corpus_ids for t in ts if not t["data"].get("stale")
    ]

    spans_of = dict(zip([d.doc_id for d in new_docs], predictor(new_docs), strict=True)) if predictor else {}
    extra = (
        dict(zip([d.doc_id for d, _ in to_predict], predictor([d for d, _ in to_predict]), strict=True))
        if predictor
        else {}
    )
    predictions = 0
    for batch in _batches(new_docs, IMPORT_BATCH):
        request = []
        for d in batch:
            task: dict[str, Any] = {"data": lstasks.task_data(d)}
            if predictor and model_version:
                text = lstasks.task_text(task["data"])
                result = lstasks.spans_to_result(spans_of[d.doc_id], text, "p")
                task["predictions"] = [{"model_version": model_version, "result": result}]
                predictions += 1
            request.append(task)
        client.call("import tasks", client.ls.projects.import_tasks, id=project.id, request=request)
    for d, task_id in to_predict:
        text = lstasks.task_text(lstasks.task_data(d))
        result = lstasks.spans_to_result(extra[d.doc_id], text, "p")
        client.call(
            "add a prediction", client.ls.predictions.create, task=task_id, model_version=model_version, result=result
        )
        predictions += 1
    for t in to_mark:
        client.call("mark a task stale", client.ls.tasks.update, id=str(t["id"]), data=lstasks.stale_data(t["data"]))
    return PushResult(project.id, len(new_docs), unchanged, len(to_mark), predictions, config_updated)


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
class _TaskRecord:
    task_id: int  # the original task id (kept across a restore)
    text: lstasks.TaskText
    annotations: list[ann.Annotation]
    predictions: list[ann.Prediction]
    recorded_stale: tuple[int, ...]


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
    emails = client.user_emails()
    tasks = client.tasks(project.id, on_page=on_page)
    known_annotators = len(annotator_map.by_email)

    problems: list[lstasks.Problem] = []
    counts_in = ann.Counts()
    drafts = cancelled = 0
    records: dict[str, list[_TaskRecord]] = defaultdict(list)
    for task in tasks:
        drafts += len(task.get("drafts") or [])
        try:
            text = lstasks.task_text(task["data"])
        except lstasks.TaskDataError as e:
            problems.append(lstasks.Problem(task["id"], "-", "data", str(e)))
            continue
        meta = (task.get("meta") or {}).get(META_KEY, {})
        record = _TaskRecord(meta.get("task_id", task["id"]), text, [], [], tuple(meta.get("stale_tasks", ())))
        for a in task.get("annotations") or []:
            if a.get("was_cancelled"):
                cancelled += 1
                continue
            ann_id = f"ls-{a.get('import_id') or a['id']}"
            parsed, found = lstasks.parse_result(a.get("result"), text, task["id"], ann_id)
            problems += found
            if parsed is None:
                continue
            email = emails.get(a.get("completed_by"))
            if email is None:
                problems.append(lstasks.Problem(task["id"], ann_id, "completed_by", "no user with this id"))
                continue
            created, updated = _timestamps(a, meta.get("restored", {}))
            record.annotations.append(
                lstasks.to_annotation(
                    parsed,
                    id=ann_id,
                    annotator=annotator_map.pseudonym(email),
                    ground_truth=bool(a.get("ground_truth")),
                    created_at=created,
                    updated_at=updated,
                )
            )
            counts_in += ann.Counts(0, 1, parsed.raw_spans, parsed.raw_choices)
        for p in task.get("predictions") or []:
            where = f"prediction {p.get('id')}"
            parsed, found = lstasks.parse_result(p.get("result"), text, task["id"], where)
            problems += found
            if parsed is None:
                continue
            if parsed.raw_choices:
                problems.append(lstasks.Problem(task["id"], where, "result", "coopnum keeps entity predictions only"))
                continue
            record.predictions.append(ann.Prediction(str(p.get("model_version") or ""), parsed.entities))
            counts_in += ann.Counts(0, 0, 0, 0, 1, parsed.raw_spans)
        records[text.doc_id].append(record)

    files = _documents(records, problems)
    if problems:
        raise InvalidResults(problems)
    counts_in += ann.Counts(documents=len(files))
    target = annotations_dir / ann.SUBDIR
    if not allow_shrink:
        _refuse_shrink(read_written(target), files.values())
    if ann.count(files.values()) != counts_in:
        raise CoopnumError(
            f"counts differ: Label Studio gave {counts_in.as_dict()}, converted {ann.count(files.values()).as_dict()}"
        )
    annotator_map.save()  # before the files that use its new ids
    _write_swap(target, files)
    counts_out = ann.count(read_written(target).values())
    if counts_out != counts_in:
        raise CoopnumError(
            f"counts differ: Label Studio gave {counts_in.as_dict()}, the files hold {counts_out.as_dict()}"
        )
    new_annotators = len(annotator_map.by_email) - known_annotators
    return PullResult(len(tasks), len(files), counts_in, counts_out, drafts, cancelled, new_annotators)


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


def _documents(
    records: dict[str, list[_TaskRecord]], problems: list[lstasks.Problem]
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
        by_text: dict[str, list[_TaskRecord]] = defaultdict(list)
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


def _refuse_shrink(held: dict[str, ann.DocumentAnnotations], new: Iterable[ann.DocumentAnnotations]) -> None:
    missing = sorted(_keys(held.values()) - _keys(new))
    if missing:
        shown = ", ".join(f"{d}/{a}" for d, a in missing[:5]) + (" …" if len(missing) > 5 else "")
        raise ShrinkRefused(
            f"Label Studio returned {len(missing)} fewer annotation(s) than annotations/ holds ({shown}); "
            "nothing was written. If they were deleted on purpose, pull again with --allow-shrink"
        )


def _write_swap(target: Path, files: dict[str, ann.DocumentAnnotations]) -> None:
    from coopnum.dataset.build import swap_in  # the build's two-rename swap: the old folder survives a failure

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".labelstudio.tmp-", dir=target.parent))
    try:
        for rel, doc in sorted(files.items()):
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(ann.dumps(doc), encoding="utf-8")
        swap_in(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


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
    held = read_written(annotations_dir / ann.SUBDIR)
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
        on_server = {f"ls-{a.get('import_id') or a['id']}" for a in task.get("annotations") or []}
        meta = dict((task.get("meta") or {}).get(META_KEY, {}))
        before = dict(meta)
        record = dict(meta.get("restored", {}))
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
        versions = {p.get("model_version") for p in task.get("predictions") or []}
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
                predictions += 1
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


def _import_id(a: ann.Annotation, rel: str) -> int:
    number = a.id.removeprefix("ls-")
    if not (a.id.startswith("ls-") and number.isdigit()):
        raise ann.AnnotationError("annotation id is not ls-<number>", file=rel, annotation=a.id, field="id")
    return int(number)
