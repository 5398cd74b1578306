"""The annotator's side of Label Studio, for annotators who do not click: accounts, task
exports, and pass-file submission under the annotator's own account.

* :func:`add_annotator` makes a log-in account the way a person gets one (the
  admin's invite link, then sign-up) and returns its own API token.
* :func:`export_tasks` writes, for the token's user, each current task's text
  paragraph by paragraph and an empty pass file to fill in — with the model's
  pre-annotations as a starting point only when asked. It never writes anyone's
  annotations: an annotator works from the text and the guidelines alone.
* :func:`submit` turns filled pass files (:mod:`coopnum.passfile`) into Label
  Studio results and saves them as the token's user; submitting again updates
  that user's annotation instead of adding a second one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coopnum.annotation import passfile
from coopnum.annotation.format import Span
from coopnum.annotation.passfile import prediction_entries
from coopnum.errors import AnnotationError
from coopnum.labelstudio import tasks as lstasks
from coopnum.labelstudio.client import Client, LabelStudioError


@dataclass(frozen=True)
class Account:
    user_id: int
    email: str
    token: str


def add_annotator(url: str, admin_token: str, email: str, password: str, timeout: float = 30) -> Account:
    """A new annotator account through the invite link, and its API token."""
    import httpx

    with httpx.Client(base_url=url, follow_redirects=False, timeout=timeout) as http:
        invite = http.get("/api/invite", headers={"Authorization": f"Token {admin_token}"})
        if invite.status_code != 200:
            raise LabelStudioError(f"the admin token cannot create an invite (HTTP {invite.status_code})")
        http.get("/user/signup/")
        answer = http.post(
            f"/user/signup/?token={invite.json()['token']}",
            data={"email": email, "password": password, "csrfmiddlewaretoken": http.cookies.get("csrftoken", "")},
            headers={"Referer": f"{url}/user/signup/"},
        )
        if answer.status_code != 302:
            raise LabelStudioError(
                f"sign-up of {email} was refused (HTTP {answer.status_code}): does it exist already?"
            )
        me = http.get("/api/current-user/whoami").json()
        token = http.get("/api/current-user/token").json()["token"]
    return Account(int(me["id"]), email, token)


def _current_tasks(client: Client, title: str) -> dict[str, dict[str, Any]]:
    project = client.project(title)
    tasks = client.tasks(project.id)
    current = {}
    for t in tasks:
        data = t.get("data") or {}
        if data.get("stale"):
            continue
        current[data["doc_id"]] = t
    return current


def export_tasks(client: Client, title: str, out_dir: Path, *, with_predictions: bool) -> tuple[int, int]:
    """``<doc_id>.task.json`` (the text) and ``<doc_id>.pass.json`` (to fill in) per current task;
    returns (tasks, predicted spans left out of the templates because they are not on word edges)."""
    skipped = 0
    out_dir.mkdir(parents=True, exist_ok=True)
    tasks = _current_tasks(client, title)
    for doc_id, task in sorted(tasks.items()):
        text = lstasks.task_text(task["data"])
        paragraphs = [{"index": i, "text": p} for i, p in enumerate(text.paragraphs)]
        predicted: list[list[list[object]]] = [[] for _ in text.paragraphs]
        if with_predictions and task.get("predictions"):
            latest = max(task["predictions"], key=lambda p: p.get("id", 0))
            spans = _prediction_spans(latest.get("result") or [], text)
            for i, p in enumerate(text.paragraphs):
                start = text.para_offsets[i][0]
                inside = [
                    (s.start - start, s.end - start, s.label)
                    for s in spans
                    if start <= s.start and s.end <= start + len(p)
                ]
                predicted[i], left_out = prediction_entries(p, inside)
                skipped += left_out
        (out_dir / f"{doc_id}.task.json").write_text(
            json.dumps(
                {"doc_id": doc_id, "text_sha256": text.text_sha256, "task_id": task["id"], "paragraphs": paragraphs},
                ensure_ascii=False,
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
        template = {
            "doc_id": doc_id,
            "text_sha256": text.text_sha256,
            "paragraphs": [{"index": i, "stance": None, "entities": predicted[i]} for i in range(len(paragraphs))],
            "stance": None,
            "topics": [],
        }
        (out_dir / f"{doc_id}.pass.json").write_text(
            json.dumps(template, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    return len(tasks), skipped


def _prediction_spans(result: list[dict[str, Any]], text: lstasks.TaskText) -> list[Span]:
    """Entity spans of a prediction's result, in clean-text code points."""
    spans = []
    for r in result:
        if r.get("type") != "labels":
            continue
        idx = int(str(r["from_name"]).rsplit("_", 1)[1])
        offsets, start = text.offsets(idx), text.para_offsets[idx][0]
        v = r["value"]
        s, e = offsets.from_label_studio(v["start"]), offsets.from_label_studio(v["end"])
        spans.append(Span(start + s, start + e, v["labels"][0], text.paragraphs[idx][s:e]))
    return spans


@dataclass(frozen=True)
class Submitted:
    doc_id: str
    annotation_id: int
    created: bool  # False: the user's earlier annotation was updated
    spans: int
    choices: int


def submit(client: Client, title: str, pass_files: list[Path], *, ground_truth: bool = False) -> list[Submitted]:
    """Save each pass as the token's user's annotation of its task (created, or updated if it exists)."""
    me = client.call("identify the token's user", client.ls.users.whoami).id
    tasks = _current_tasks(client, title)
    done: list[Submitted] = []
    for path in pass_files:
        for obj in passfile.load_pass(path):
            doc_id = obj.get("doc_id") if isinstance(obj, dict) else None
            if doc_id not in tasks:
                raise AnnotationError(
                    f"no current task for document {doc_id!r}", file=str(path), doc_id=doc_id, field="doc_id"
                )
            task = tasks[doc_id]
            text = lstasks.task_text(task["data"])
            clean = "\n".join(text.paragraphs)
            if (
                hashlib.sha256(clean.encode()).hexdigest() != text.text_sha256
                or obj.get("text_sha256") != text.text_sha256
            ):
                raise AnnotationError(
                    "the pass was made on another text than the task's (text_sha256)",
                    file=str(path),
                    doc_id=doc_id,
                    field="text_sha256",
                )
            annotation = passfile.annotation_from_pass(
                obj, clean, text.para_offsets, annotation_id=f"pass {path.name}", annotator=str(me), file=str(path)
            )
            result = lstasks.annotation_to_result(annotation, text)
            mine = [a for a in task.get("annotations") or [] if _author(a) == me and not a.get("was_cancelled")]
            if mine:
                ann_id = mine[-1]["id"]
                client.call(
                    "update the annotation",
                    client.ls.annotations.update,
                    id=ann_id,
                    result=result,
                    ground_truth=ground_truth,
                )
                created = False
            else:
                made = client.call(
                    "save the annotation",
                    client.ls.annotations.create,
                    id=task["id"],
                    result=result,
                    ground_truth=ground_truth,
                )
                ann_id, created = made.id, True
            done.append(Submitted(doc_id, ann_id, created, len(annotation.entities), annotation.choice_count))
    return done


def _author(a: dict[str, Any]) -> int | None:
    who = a.get("completed_by")
    return who.get("id") if isinstance(who, dict) else who
