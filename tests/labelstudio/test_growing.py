"""Label Studio for a growing corpus: push creates tasks only for new or changed documents, gives each
document's two passes to two different annotators, and agreement and adjudication packages work on
whatever documents have two passes."""

from __future__ import annotations

import json
import re
import secrets
import shutil
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coopnum.annotation import format as ann
from coopnum.annotation.pseudonyms import AnnotatorMap
from coopnum.cli import app
from coopnum.errors import CoopnumError
from coopnum.labelstudio import sync as lssync
from coopnum.labelstudio import team

from ..lshelpers import REPO, RunningServer
from .test_labelstudio import choice, create_user

runner = CliRunner()


def test_no_annotator_gets_both_passes_of_a_document_and_adding_documents_moves_no_assignment() -> None:
    ids = [f"{k:016x}" for k in range(300)]
    people = [11, 12, 13]
    pairs = team.assign(ids, people)
    assert all(len(set(p)) == team.PASSES and set(p) <= set(people) for p in pairs.values())
    load = Counter(u for p in pairs.values() for u in p)
    assert max(load.values()) - min(load.values()) < 0.2 * len(ids)  # the passes spread over everyone
    grown = team.assign([*ids, *(f"{k:016x}" for k in range(300, 310))], people)
    assert {d: grown[d] for d in ids} == pairs  # a new document moves no earlier assignment
    with pytest.raises(CoopnumError, match="at least 2 different annotators"):
        team.assign(ids, [11, 11])


def corpus_copy(tmp: Path, leave_out: int | None = None) -> Path:
    """A scratch root with the repository's corpus (less its ``leave_out``-th document)."""
    root = tmp / "root"
    shutil.rmtree(root, ignore_errors=True)
    (root / "corpus" / "raw").mkdir(parents=True)
    records = [json.loads(x) for x in (REPO / "corpus" / "sources.jsonl").read_text(encoding="utf-8").splitlines()]
    kept = [r for k, r in enumerate(records) if k != leave_out]
    for r in kept:
        shutil.copy(REPO / "corpus" / "raw" / r["file"], root / "corpus" / "raw" / r["file"])
    (root / "corpus" / "sources.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept), encoding="utf-8"
    )
    return root


@pytest.mark.labelstudio
def test_push_of_a_corpus_that_gains_a_document_creates_its_task_only_with_two_annotators(
    ls_server: RunningServer, tmp_path: Path
) -> None:
    records = (REPO / "corpus" / "sources.jsonl").read_text(encoding="utf-8").splitlines()
    n = len(records)
    title = f"grow-{secrets.token_hex(3)}"
    emails = [f"grow-{k}-{secrets.token_hex(3)}@coopnum.invalid" for k in "abc"]
    users = {create_user(ls_server, e): e for e in emails}
    env = ls_server.env()

    def push(root: Path) -> str:
        args = ["ls", "push", "--root", str(root), "--project", title, "--no-predictions"]
        result = runner.invoke(app, [*args, "--annotators", ",".join(emails)], env=env)
        assert result.exit_code == 0, result.output
        return result.output

    before = push(corpus_copy(tmp_path, leave_out=n - 1))
    assert f"{n - 1} created, 0 unchanged" in before
    after = push(corpus_copy(tmp_path))  # the corpus gained its last document
    assert f"1 created, {n - 1} unchanged, 0 marked stale" in after
    again = push(corpus_copy(tmp_path))
    assert f"0 created, {n} unchanged, 0 marked stale" in again and "config unchanged" in again

    client = ls_server.client()
    pid = client.project(title).id
    tasks = client.tasks(pid)
    assert len(tasks) == n
    for t in tasks:
        pair = [int(u) for u in t["data"]["assigned"].strip("|").split("|")]
        assert len(pair) == 2 and pair[0] != pair[1] and set(pair) <= set(users)  # never both passes to one
    tabs = {v.data["title"]: v for v in client.ls.views.list(project=pid)}
    for uid in users:
        listed = list(client.ls.tasks.list(project=pid, view=tabs[team.view_title(uid)].id, fields="all"))
        expected = {t["id"] for t in tasks if f"|{uid}|" in t["data"]["assigned"]}
        assert {t.id for t in listed} == expected  # the tab is that annotator's task list

    with pytest.raises(CoopnumError, match=re.escape("no Label Studio account for nobody@coopnum.invalid")):
        team.user_ids(["nobody@coopnum.invalid"], client.user_emails())

    # A pass by someone the task was not given to is pulled like any other (annotations are data)
    # and named; a pass by an assigned annotator is not.
    task = tasks[0]
    pair = {int(u) for u in task["data"]["assigned"].strip("|").split("|")}
    outsider = next(u for u in users if u not in pair)
    insider = min(pair)
    result = [choice("stance", "doc", ["NONE"])]
    mine = client.ls.annotations.create(id=task["id"], result=result, completed_by=insider)
    theirs = client.ls.annotations.create(id=task["id"], result=result, completed_by=outsider)
    root = corpus_copy(tmp_path)
    amap = AnnotatorMap.load(tmp_path / "annotators.json")
    pulled = lssync.pull(client, title, root / "annotations", amap)
    assert pulled.counts_out.annotations == 2  # both written
    assert [(u.doc_id, u.annotation) for u in pulled.unassigned] == [(task["data"]["doc_id"], f"ls-{theirs.id}")]
    assert f"ls-{mine.id}" not in {u.annotation for u in pulled.unassigned}
    assert pulled.unassigned[0].annotator == amap.pseudonym(users[outsider])


def test_agreement_and_adjudication_packages_take_the_documents_with_two_passes(tmp_path: Path) -> None:
    root = corpus_copy(tmp_path)
    shutil.copytree(REPO / "annotations", root / "annotations")
    found = ann.load_all(root / "annotations")
    one_pass = sorted(found)[0]
    path = root / "annotations" / ann.SUBDIR / f"{one_pass}.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    passes = [a for a in record["annotations"] if not a.get("ground_truth")]
    record["annotations"] = [a for a in record["annotations"] if a is not passes[0]]  # one pass left
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    two_passes = {
        d for d, f in ann.load_all(root / "annotations").items() if sum(not a.ground_truth for a in f.annotations) >= 2
    }
    assert one_pass not in two_passes and two_passes

    out = tmp_path / "adjudication"
    result = runner.invoke(app, ["adjudication-package", "--root", str(root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{one_pass}: 1 pass(es), skipped" in result.output
    assert {p.stem for p in out.glob("*.json")} == two_passes

    report = tmp_path / "agreement.json"
    result = runner.invoke(app, ["agreement", "--root", str(root), "--json", str(report)])
    assert result.exit_code == 0, result.output
    pairs = json.loads(report.read_text(encoding="utf-8"))["pairs"]
    by_doc = {d: {a.annotator for a in f.annotations} for d, f in ann.load_all(root / "annotations").items()}
    assert pairs and all(
        p["documents"] == sum({p["reference"], p["other"]} <= who for who in by_doc.values()) for p in pairs
    )  # each pair is scored on the documents both annotated, the one-pass document among them or not
    removed = passes[0]["annotator"]
    assert all(p["documents"] < len(by_doc) for p in pairs if removed in (p["reference"], p["other"]))
