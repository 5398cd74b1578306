"""Label Studio integration, against a real server on 127.0.0.1 and real spaCy (no mocks).

Annotations are submitted through the API as two annotator accounts, with
offsets as the front end sends them (code points, measured in
``test_ls_browser.py``), then pulled and compared exactly with what was submitted.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coopnum.annotation import format as ann
from coopnum.annotation.pseudonyms import PSEUDONYM, AnnotatorMap
from coopnum.cli import app
from coopnum.dataset.build import clean_corpus
from coopnum.labelstudio import client as lsclient
from coopnum.labelstudio import preannotate
from coopnum.labelstudio import pulled as lspulled
from coopnum.labelstudio import restore as lsrestore
from coopnum.labelstudio import server as lsserver
from coopnum.labelstudio import sync as lssync

from ..lshelpers import REPO, RunningServer, document, running_server, utf16

runner = CliRunner()
OUTPUTS: list[str] = []  # every CLI output of this module, scanned for secrets at the end
SERVER_LOGS: list[Path] = []
MODEL = "fr_core_news_md-3.8.0"


@pytest.fixture(scope="module")
def docs():
    return [d.clean for d in clean_corpus(REPO / "corpus")]


def predictor(ds):
    nlp = preannotate.load_model()
    return preannotate.predict(nlp, ([(d.text[p.start : p.end], p.start) for p in d.paragraphs] for d in ds))


def push(server: RunningServer, docs, title: str, predictions: bool = True) -> lssync.PushResult:
    SERVER_LOGS.append(server.log)
    return lssync.push(server.client(), docs, title, predictor if predictions else None, MODEL if predictions else None)


def tasks_by_doc(server: RunningServer, title: str) -> dict[str, list[dict]]:
    client = server.client()
    found: dict[str, list[dict]] = {}
    for t in client.tasks(client.project(title).id):
        found.setdefault(t["data"]["doc_id"], []).append(t)
    return found


def region(doc, para: int, surface: str, label: str) -> tuple[dict, ann.Span]:
    """An entity region as the front end sends it, and the span it must come back as."""
    start, end = doc.paragraphs[para].start, doc.paragraphs[para].end
    p = doc.text[start:end]
    i = p.index(surface)
    value = {"start": i, "end": i + len(surface), "text": surface, "labels": [label]}  # code points, as Chromium sends
    result = {"id": f"r{para}{i}", "from_name": f"ner_{para}", "to_name": f"p_{para}", "type": "labels", "value": value}
    return result, ann.Span(start + i, start + i + len(surface), label, surface)


def choice(name: str, to: str, values: list[str]) -> dict:
    return {"id": f"c-{name}", "from_name": name, "to_name": to, "type": "choices", "value": {"choices": values}}


def a_word(doc, para: int) -> str:
    p = doc.text[doc.paragraphs[para].start : doc.paragraphs[para].end]
    return re.search(r"\b[A-Z][a-z]{3,}\b", p).group(0)


def create_user(server: RunningServer, email: str) -> int:
    return server.client().ls.users.create(username=email.split("@")[0], email=email).id


def pull(server: RunningServer, title: str, root: Path, **kwargs) -> lssync.PullResult:
    amap = AnnotatorMap.load(root / "annotators.json")
    return lssync.pull(kwargs.pop("client", None) or server.client(), title, root / "annotations", amap, **kwargs)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` but the CLI's lock (an empty file it leaves at the root on purpose)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".coopnum.lock"
    }


# ------------------------------------------------------------------ push


@pytest.mark.labelstudio
def test_push_twice_creates_no_duplicate(ls_server: RunningServer, docs) -> None:
    first = push(ls_server, docs, "idempotent")
    assert (first.created, first.unchanged, first.stale, first.predictions) == (len(docs), 0, 0, len(docs))
    second = push(ls_server, docs, "idempotent")
    assert (second.created, second.unchanged, second.stale, second.predictions) == (0, len(docs), 0, 0)
    assert not second.config_updated
    by_doc = tasks_by_doc(ls_server, "idempotent")
    assert sorted(by_doc) == sorted(d.doc_id for d in docs)
    assert all(len(ts) == 1 and len(ts[0]["predictions"]) == 1 for ts in by_doc.values())
    project = ls_server.client().project("idempotent")
    assert project.expert_instruction and "EVENT" in project.expert_instruction


@pytest.mark.labelstudio
def test_round_trip_two_annotators_ground_truth_and_restore(ls_server: RunningServer, docs, tmp_path: Path) -> None:
    push(ls_server, docs, "round-trip")
    by_doc = tasks_by_doc(ls_server, "round-trip")
    alice, bob = create_user(ls_server, "alice@coopnum.invalid"), create_user(ls_server, "bob@coopnum.invalid")
    doc = docs[0]
    n = len(doc.paragraphs)
    r1, s1 = region(doc, 1, a_word(doc, 1), "LOC")
    r2, s2 = region(doc, 2, a_word(doc, 2), "ORG")
    alice_result = [
        r1,
        r2,
        *[choice(f"pstance_{i}", f"p_{i}", ["FAVOR" if i == 1 else "NONE"]) for i in range(n)],
        choice("stance", "doc", ["FAVOR"]),
        choice("topics", "doc", ["international_relations", "digital_economy"]),
    ]
    r3, s3 = region(doc, 1, a_word(doc, 1), "ORG")
    bob_result = [r3, choice("pstance_0", "p_0", ["AGAINST"]), choice("stance", "doc", ["NONE"])]
    tid = by_doc[doc.doc_id][0]["id"]
    lsc = ls_server.client().ls
    a = lsc.annotations.create(id=tid, result=alice_result, completed_by=alice, ground_truth=False)
    b = lsc.annotations.create(id=tid, result=bob_result, completed_by=bob, ground_truth=False)
    lsc.annotations.update(id=a.id, ground_truth=True)
    other = by_doc[docs[1].doc_id][0]["id"]
    lsc.annotations.create(id=other, result=[], completed_by=bob, was_cancelled=True)  # a skip: left out, counted

    first = tmp_path / "first"
    result = pull(ls_server, "round-trip", first)
    assert result.cancelled == 1
    assert result.counts_in == result.counts_out
    assert (result.counts_out.annotations, result.counts_out.spans) == (2, 3)
    assert result.counts_out.choices == (n + 1 + 2) + (1 + 1)

    pulled = ann.load_all(first / "annotations")
    assert sorted(pulled) == sorted(d.doc_id for d in docs)
    got = {a.id: a for a in pulled[doc.doc_id].annotations}
    amap = json.loads((first / "annotators.json").read_text())["annotators"]
    alice_id, bob_id = amap["alice@coopnum.invalid"], amap["bob@coopnum.invalid"]
    assert PSEUDONYM.fullmatch(alice_id) and PSEUDONYM.fullmatch(bob_id) and alice_id != bob_id
    ga, gb = got[f"ls-{a.id}"], got[f"ls-{b.id}"]
    assert (ga.annotator, ga.ground_truth, gb.annotator, gb.ground_truth) == (alice_id, True, bob_id, False)
    assert sorted(ga.entities) == sorted([s1, s2]) and gb.entities == (s3,)
    assert ga.paragraph_stances == tuple("FAVOR" if i == 1 else "NONE" for i in range(n))
    assert gb.paragraph_stances == ("AGAINST",) + (None,) * (n - 1)
    assert (ga.stance, set(ga.topics)) == ("FAVOR", {"digital_economy", "international_relations"})
    assert (gb.stance, gb.topics) == ("NONE", ())
    assert ga.created_at and ga.updated_at
    assert pulled[doc.doc_id].gold() == ga
    for d in docs:
        p = pulled[d.doc_id]
        assert [x.model_version for x in p.predictions] == [MODEL] and p.predictions[0].entities
        assert p.text_sha256 == d.text_sha256  # made on the current text
        layers = [a.entities for a in p.annotations] + [x.entities for x in p.predictions]
        assert all(d.text[s.start : s.end] == s.text for spans in layers for s in spans)  # offsets fit the text
        assert all(len(a.paragraph_stances) == len(d.paragraphs) for a in p.annotations)
    written = "".join(x.decode() for x in snapshot(first / "annotations").values())
    assert "@" not in written  # pseudonyms only

    # a lost server: a new one, push, restore annotations/, pull → the same files, byte for byte
    second = restore_on_a_new_server(tmp_path, docs, first, annotations=2)
    assert snapshot(second / "annotations") == snapshot(first / "annotations")


def restore_on_a_new_server(tmp_path: Path, docs, first: Path, annotations: int) -> Path:
    """Push ``docs`` to a new server, restore ``first/annotations`` (twice: the second finds all there), pull
    into a new root; returns that root."""
    with running_server(tmp_path / "new-server") as fresh:
        SERVER_LOGS.append(fresh.log)
        push(fresh, docs, "round-trip")
        second = tmp_path / "second"
        second.mkdir()
        (second / "annotators.json").write_bytes((first / "annotators.json").read_bytes())
        (second / "annotations").mkdir()
        restore_dir = first / "annotations"
        restored = lsrestore.restore(
            fresh.client(), "round-trip", restore_dir, AnnotatorMap.load(second / "annotators.json")
        )
        assert (restored.restored, restored.present, restored.skipped) == (annotations, 0, ())
        again = lsrestore.restore(
            fresh.client(), "round-trip", restore_dir, AnnotatorMap.load(second / "annotators.json")
        )
        assert (again.restored, again.present) == (0, annotations)
        pull(fresh, "round-trip", second)
    return second


@pytest.mark.labelstudio
def test_offsets_with_astral_characters_crlf_and_nbsp(ls_server: RunningServer, tmp_path: Path) -> None:
    doc = document(
        "00000000000a57a1",
        ["Titre 🚀 de Yandex à Moscou", "Le 😀 groupe Yandex\r\ninvestit à Moscou\u00a0: 𝔘𝔫 pôle à Kazan."],
    )
    push(ls_server, [doc], "astral")
    task = tasks_by_doc(ls_server, "astral")[doc.doc_id][0]
    user = create_user(ls_server, "carol@coopnum.invalid")
    regions = [region(doc, 1, w, "LOC") for w in ("Moscou", "Kazan")] + [region(doc, 1, "𝔘𝔫", "MISC")]
    p1 = doc.text[doc.paragraphs[1].start : doc.paragraphs[1].end]
    assert regions[0][0]["value"]["start"] != utf16(p1, p1.index("Moscou"))  # where code points and UTF-16 differ
    ls_server.client().ls.annotations.create(id=task["id"], result=[r for r, _ in regions], completed_by=user)
    pull(ls_server, "astral", tmp_path)
    got = ann.load_all(tmp_path / "annotations")[doc.doc_id]
    assert sorted(got.annotations[0].entities) == sorted(s for _, s in regions)
    spans = got.annotations[0].entities + got.predictions[0].entities
    assert any(s.text == "Kazan" for s in got.predictions[0].entities)
    for s in spans:
        assert doc.text[s.start : s.end] == s.text


# ------------------------------------------------------------------ stale tasks


@pytest.mark.labelstudio
def test_changed_text_gets_a_new_task_and_the_old_one_is_kept_stale(ls_server: RunningServer, tmp_path: Path) -> None:
    old = document("00000000005a1e01", ["Titre", "Yandex ouvre un bureau à Moscou."])
    other = document("00000000005a1e02", ["Titre", "Rien de neuf à Kazan."])
    push(ls_server, [old, other], "stale", predictions=False)
    old_task = tasks_by_doc(ls_server, "stale")[old.doc_id][0]
    user = create_user(ls_server, "dave@coopnum.invalid")
    r, _ = region(old, 1, "Moscou", "LOC")
    ls_server.client().ls.annotations.create(id=old_task["id"], result=[r], completed_by=user)

    new = document(old.doc_id, ["Titre", "Yandex ouvre deux bureaux à Moscou."])
    result = push(ls_server, [new, other], "stale", predictions=False)
    assert (result.created, result.unchanged, result.stale) == (1, 1, 1)
    again = push(ls_server, [new, other], "stale", predictions=False)
    assert (again.created, again.unchanged, again.stale) == (0, 2, 0)
    tasks = tasks_by_doc(ls_server, "stale")[old.doc_id]
    kept = next(t for t in tasks if t["id"] == old_task["id"])
    assert kept["data"]["stale"] is True and len(kept["annotations"]) == 1  # never deleted while annotated

    pulled = pull(ls_server, "stale", tmp_path)
    assert pulled.counts_out.annotations == 1
    folder = tmp_path / "annotations" / "labelstudio"
    current = ann.load_file(folder / f"{old.doc_id}.json")
    assert (current.text_sha256, current.annotations, current.stale_tasks) == (new.text_sha256, (), (old_task["id"],))
    (stale_file,) = (folder / "stale").glob("*.json")
    assert lspulled.read_written(folder)[f"stale/{stale_file.name}"].text_sha256 == old.text_sha256


# ------------------------------------------------------------------ what pull refuses


@pytest.mark.labelstudio
def test_invalid_results_are_reported_by_task_annotation_and_field(
    ls_server: RunningServer, docs, tmp_path: Path
) -> None:
    doc = document("000000000bad0001", ["Titre", "Yandex à Moscou."])
    push(ls_server, [doc], "invalid", predictions=False)
    task = tasks_by_doc(ls_server, "invalid")[doc.doc_id][0]
    user = create_user(ls_server, "erin@coopnum.invalid")
    r, _ = region(doc, 1, "Moscou", "LOC")
    bad = [
        {**r, "value": {**r["value"], "labels": ["BANANA"]}},
        {**r, "from_name": "ner_7", "to_name": "p_7"},
        choice("stance", "doc", ["MAYBE"]),
        {**r, "value": {**r["value"], "text": "Kazan"}},
    ]
    a = ls_server.client().ls.annotations.create(id=task["id"], result=bad, completed_by=user)
    before = snapshot(tmp_path)
    result = runner.invoke(app, ["ls", "pull", "--root", str(tmp_path), "--project", "invalid"], env=ls_server.env())
    OUTPUTS.append(result.output)
    assert result.exit_code == 3, result.output
    where = f"task {task['id']}, annotation ls-{a.id}, field"
    for field in ("result[0].value.labels", "result[1].from_name", "result[2].value.choices", "result[3].value.text"):
        assert f"{where} {field}" in result.output
    assert snapshot(tmp_path) == before


@pytest.mark.labelstudio
def test_pull_refuses_to_shrink_unless_told(ls_server: RunningServer, tmp_path: Path) -> None:
    doc = document("00000000005badd1", ["Titre", "Yandex à Moscou."])
    push(ls_server, [doc], "shrink", predictions=False)
    task = tasks_by_doc(ls_server, "shrink")[doc.doc_id][0]
    user = create_user(ls_server, "frank@coopnum.invalid")
    lsc = ls_server.client().ls
    lsc.annotations.create(id=task["id"], result=[choice("stance", "doc", ["NONE"])], completed_by=user)
    gone = lsc.annotations.create(id=task["id"], result=[choice("stance", "doc", ["FAVOR"])], completed_by=user)
    pull(ls_server, "shrink", tmp_path)
    good = snapshot(tmp_path / "annotations")
    lsc.annotations.delete(id=gone.id)
    with pytest.raises(lspulled.ShrinkRefused, match=rf"1 fewer annotation.*ls-{gone.id}.*--allow-shrink"):
        pull(ls_server, "shrink", tmp_path)
    assert snapshot(tmp_path / "annotations") == good
    assert pull(ls_server, "shrink", tmp_path, allow_shrink=True).counts_out.annotations == 1


def annotated_spare(server: RunningServer, tmp_path: Path) -> Path:
    """Five tasks, one annotation, pulled once: the good annotations a failing pull must not touch."""
    SERVER_LOGS.append(server.log)
    ds = [document(f"00000000000f{i:04x}", ["Titre", f"Yandex à Moscou, épisode {i}."]) for i in range(5)]
    push(server, ds, "spare", predictions=False)
    task = tasks_by_doc(server, "spare")[ds[0].doc_id][0]
    user = create_user(server, "gina@coopnum.invalid")
    server.client().ls.annotations.create(id=task["id"], result=[choice("stance", "doc", ["NONE"])], completed_by=user)
    pull(server, "spare", tmp_path)
    return tmp_path / "annotations"


def test_pull_from_a_closed_port_retries_then_fails_writing_nothing(tmp_path: Path) -> None:
    (tmp_path / "annotations").mkdir()
    (tmp_path / "annotations" / "keep.txt").write_text("good work\n")
    env = {"COOPNUM_LS_URL": f"http://127.0.0.1:{lsserver.free_port()}", "COOPNUM_LS_TOKEN": "t0ken" + "x" * 30}
    result = runner.invoke(app, ["ls", "pull", "--root", str(tmp_path), "--tries", "3", "--timeout", "2"], env=env)
    OUTPUTS.append(result.output)
    assert result.exit_code == 3
    assert "failed 3 tries (ConnectError" in result.output and env["COOPNUM_LS_URL"] in result.output
    assert env["COOPNUM_LS_TOKEN"] not in result.output
    assert snapshot(tmp_path / "annotations") == {"keep.txt": b"good work\n"}


@pytest.mark.labelstudio
def test_server_killed_mid_pull_leaves_annotations_as_they_were(ls_spare_server: RunningServer, tmp_path: Path) -> None:
    folder = annotated_spare(ls_spare_server, tmp_path)
    good = snapshot(folder)
    client = ls_spare_server.client(tries=3, backoff=0.1)
    client.page_size = 2  # five tasks: three pages

    def kill_after_first_page(page: int) -> None:
        if page == 1:
            os.killpg(ls_spare_server.server.pid, signal.SIGKILL)

    with pytest.raises(lsclient.LabelStudioError, match=r"read tasks \(page 2\).*failed 3 tries"):
        pull(ls_spare_server, "spare", tmp_path, client=client, on_page=kill_after_first_page)
    assert snapshot(folder) == good


@pytest.mark.labelstudio
def test_frozen_server_times_out_and_writes_nothing(ls_spare_server: RunningServer, tmp_path: Path) -> None:
    folder = annotated_spare(ls_spare_server, tmp_path)
    good = snapshot(folder)
    os.killpg(ls_spare_server.server.pid, signal.SIGSTOP)  # a server that accepts and never answers
    try:
        with pytest.raises(lsclient.LabelStudioError, match=r"failed 2 tries \(ReadTimeout"):
            pull(ls_spare_server, "spare", tmp_path, client=ls_spare_server.client(timeout=1, tries=2))
    finally:
        os.killpg(ls_spare_server.server.pid, signal.SIGCONT)
    assert snapshot(folder) == good


# ------------------------------------------------------------------ the server commands


@pytest.mark.labelstudio
def test_serve_refuses_a_second_start_a_busy_port_and_a_missing_variable(tmp_path: Path) -> None:
    from ..lshelpers import LS_DIR, random_admin, require_label_studio

    require_label_studio()
    ls_dir = tmp_path / "ls"
    ls_dir.mkdir()
    (ls_dir / "venv").symlink_to(LS_DIR / "venv")
    template = lsserver.template(LS_DIR)
    (ls_dir / template.name).symlink_to(template)
    admin = random_admin()
    env = {
        "COOPNUM_LS_DIR": str(ls_dir),
        "COOPNUM_LS_ADMIN_EMAIL": admin.email,
        "COOPNUM_LS_ADMIN_PASSWORD": admin.password,
        "COOPNUM_LS_TOKEN": admin.token,
    }
    port = lsserver.free_port()
    missing = runner.invoke(app, ["ls", "serve", "--port", str(port)], env={**env, "COOPNUM_LS_TOKEN": ""})
    assert missing.exit_code == 3 and "COOPNUM_LS_TOKEN" in missing.output
    started = runner.invoke(app, ["ls", "serve", "--port", str(port)], env=env)
    OUTPUTS.append(started.output)
    SERVER_LOGS.append(ls_dir / lsserver.LOG_FILE)
    assert started.exit_code == 0, started.output
    pid = lsserver.read_pid_file(ls_dir).pid
    try:
        assert lsserver.healthy(f"http://127.0.0.1:{port}")
        twice = runner.invoke(app, ["ls", "serve", "--port", str(port + 1)], env=env)
        assert twice.exit_code == 3 and f"already running at http://127.0.0.1:{port} (pid {pid})" in twice.output
        with pytest.raises(lsserver.ServerError, match=f"port {port} on 127.0.0.1 is busy"):
            lsserver.start(LS_DIR, tmp_path / "other", port, admin, tmp_path / "other.log")
    finally:
        stopped = runner.invoke(app, ["ls", "stop"], env=env)
    assert stopped.exit_code == 0 and f"pid {pid}" in stopped.output
    assert not lsserver.is_label_studio(pid)
    assert "not running" in runner.invoke(app, ["ls", "stop"], env=env).output


@pytest.mark.labelstudio
def test_cli_push_and_pull(ls_server: RunningServer, tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "corpus").symlink_to(REPO / "corpus")
    env = {**ls_server.env(), "COOPNUM_LS_ANNOTATOR_MAP": str(tmp_path / "map.json")}
    pushed = runner.invoke(app, ["ls", "push", "--root", str(root), "--project", "cli"], env=env)
    OUTPUTS.append(pushed.output)
    assert pushed.exit_code == 0, pushed.output
    assert "5 created, 0 unchanged, 0 marked stale; 5 predictions (fr_core_news_md-3.8.0)" in pushed.output
    pulled = runner.invoke(app, ["ls", "pull", "--root", str(root), "--project", "cli"], env=env)
    OUTPUTS.append(pulled.output)
    assert pulled.exit_code == 0, pulled.output
    assert len(list((root / "annotations" / "labelstudio").glob("*.json"))) == 5


# ------------------------------------------------------------------ secrets (keep last: it reads what the others left)


@pytest.mark.labelstudio
def test_no_secret_in_the_repository_logs_or_outputs(ls_server: RunningServer) -> None:
    secrets_ = [ls_server.admin.token, ls_server.admin.password]
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    paths = [REPO / f.decode() for f in files if f] + [ls_server.log, *SERVER_LOGS]
    assert len(paths) > 20
    for path in paths:
        if path.is_file():
            data = path.read_bytes()
            for s in secrets_:
                assert s.encode() not in data, f"a secret is in {path}"
    for output in OUTPUTS:
        for s in secrets_:
            assert s not in output
    assert ls_server.admin.token not in repr(ls_server.admin)
