"""Label Studio for a team: a pull that registers new annotators and survives one bad annotation,
agreement for annotators who share no document, a PostgreSQL-backed server, an immediate restart."""

from __future__ import annotations

import json
import secrets
import shutil
import socket
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coopnum.annotation import format as ann
from coopnum.annotation.format import Annotation, DocumentAnnotations
from coopnum.cli import app
from coopnum.labelstudio import postgres
from coopnum.labelstudio import server as lsserver
from coopnum.labelstudio import sync as lssync
from coopnum.quality.agreement import corpus_report, report_dict

from ..lshelpers import LS_DIR, REPO, RunningServer, document, random_admin, require, require_label_studio
from .test_labelstudio import choice, create_user, tasks_by_doc

runner = CliRunner()


def full_result(doc, stance: str = "NONE") -> list[dict]:
    n = len(doc.paragraphs)
    return [
        *[choice(f"pstance_{i}", f"p_{i}", [stance]) for i in range(n)],
        choice("stance", "doc", [stance]),
        choice("topics", "doc", ["digital_economy"]),
    ]


def project_root(tmp: Path) -> Path:
    root = tmp / "root"
    (root / "annotations").mkdir(parents=True)
    shutil.copy(REPO / "annotations" / "annotators.json", root / "annotations" / "annotators.json")
    return root


def cli_pull(server: RunningServer, root: Path, title: str, *extra: str):
    env = {**server.env(), "COOPNUM_LS_ANNOTATOR_MAP": str(root.parent / "map.json")}
    return runner.invoke(app, ["ls", "pull", "--root", str(root), "--project", title, *extra], env=env)


@pytest.mark.labelstudio
def test_one_bad_annotation_keeps_its_document_and_the_others_are_written(
    ls_server: RunningServer, tmp_path: Path
) -> None:
    title = f"team-{secrets.token_hex(3)}"
    good, bad = (
        document("0000000000a00001", ["Titre", "Yandex à Moscou."]),
        document("0000000000a00002", ["Titre", "Kazan."]),
    )
    lssync.push(ls_server.client(), [good, bad], title, None, None)
    tasks = {d: ts[0] for d, ts in tasks_by_doc(ls_server, title).items()}
    lsc = ls_server.client().ls
    alice = create_user(ls_server, f"alice-{secrets.token_hex(3)}@coopnum.invalid")
    lsc.annotations.create(id=tasks[good.doc_id]["id"], result=full_result(good), completed_by=alice)
    first = lsc.annotations.create(id=tasks[bad.doc_id]["id"], result=full_result(bad), completed_by=alice)
    root = project_root(tmp_path)
    r = cli_pull(ls_server, root, title, "--kind", "machine annotator: a test")
    assert r.exit_code == 0, r.output
    before = (root / "annotations" / ann.SUBDIR / f"{bad.doc_id}.json").read_bytes()
    (pseudonym,) = {a.annotator for d in ann.load_all(root / "annotations").values() for a in d.annotations}
    assert f"new annotator {pseudonym} registered" in r.output
    entry = next(
        a
        for a in json.loads((root / "annotations" / "annotators.json").read_text())["annotators"]
        if a["id"] == pseudonym
    )
    assert (entry["role"], entry["kind"]) == ("annotator", "machine annotator: a test")

    # a second annotator: a good annotation of one document, a bad value in the other
    bob = create_user(ls_server, f"bob-{secrets.token_hex(3)}@coopnum.invalid")
    lsc.annotations.create(id=tasks[good.doc_id]["id"], result=full_result(good, "FAVOR"), completed_by=bob)
    broken = [*full_result(bad)[:-1], choice("topics", "doc", ["no_such_topic"])]
    b = lsc.annotations.create(id=tasks[bad.doc_id]["id"], result=broken, completed_by=bob)
    r = cli_pull(ls_server, root, title)
    assert r.exit_code == 3, r.output
    held = ann.load_all(root / "annotations")
    assert len(held[good.doc_id].annotations) == 2  # written
    assert (root / "annotations" / ann.SUBDIR / f"{bad.doc_id}.json").read_bytes() == before  # kept
    assert [a.id for a in held[bad.doc_id].annotations] == [f"ls-{first.id}"]
    bob_id = next(a.annotator for a in held[good.doc_id].annotations if a.annotator != pseudonym)
    assert f"task {tasks[bad.doc_id]['id']}, annotation ls-{b.id}, field result[" in r.output
    assert f"by {bob_id}" in r.output and bad.doc_id in r.output
    assert f"new annotator {bob_id} registered" in r.output and "@" not in r.output


def annotation(who: str) -> Annotation:
    return Annotation(f"ls-{who}", who, False, None, None, (), ("NONE",), "NONE", ("digital_economy",))


def test_agreement_of_annotators_who_share_no_document_is_n_a() -> None:
    a, b, c = "annotator-00000000000a", "annotator-00000000000b", "annotator-00000000000c"
    docs = [
        DocumentAnnotations("d1", "0" * 64, (annotation(a), annotation(b)), ()),
        DocumentAnnotations("d2", "1" * 64, (annotation(c),), ()),
    ]
    report = corpus_report(docs)
    assert [(p.first, p.second) for p in report.pairs] == [(a, b)]
    assert report.unshared_pairs == ((a, c), (b, c))
    shown = report_dict(report)["pairs_without_shared_documents"]
    assert [x["agreement"] for x in shown] == ["n/a", "n/a"]


@pytest.mark.labelstudio
def test_push_and_pull_against_a_postgresql_backed_server(tmp_path: Path) -> None:
    require_label_studio()
    require(postgres._installed() is not None, "PostgreSQL is not installed (scripts/labelstudio install, as root)")
    # PostgreSQL runs as Debian's postgres user when we are root: its folder must be reachable by it
    folder = Path(tempfile.mkdtemp(prefix="coopnum-pg-", dir="/tmp"))
    folder.chmod(0o755)
    db = postgres.start(folder / "pg", lsserver.free_port())
    admin = random_admin()
    try:
        log = tmp_path / "server.log"
        server = lsserver.start(
            LS_DIR, tmp_path / "data", lsserver.free_port(), admin, log, timeout=300, database=db.django_env()
        )
        try:
            running = RunningServer(server, admin, log)
            assert not (tmp_path / "data" / "label_studio.sqlite3").exists()  # the data is in PostgreSQL
            doc = document("0000000000b00001", ["Titre", "Yandex à Moscou."])
            first = lssync.push(running.client(), [doc], "on-postgres", None, None)
            again = lssync.push(running.client(), [doc], "on-postgres", None, None)
            assert (first.created, again.created, again.unchanged) == (1, 0, 1)
            task = tasks_by_doc(running, "on-postgres")[doc.doc_id][0]
            user = create_user(running, "pg@coopnum.invalid")
            running.client().ls.annotations.create(id=task["id"], result=full_result(doc), completed_by=user)
            root = project_root(tmp_path)
            r = cli_pull(running, root, "on-postgres")
            assert r.exit_code == 0, r.output
            (got,) = ann.load_all(root / "annotations")[doc.doc_id].annotations
            assert got.paragraph_stances == ("NONE", "NONE") and got.topics == ("digital_economy",)
        finally:
            lsserver.stop(server.pid)
    finally:
        postgres.stop(db.folder)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.labelstudio
def test_a_stopped_server_restarts_on_its_port_at_once(tmp_path: Path) -> None:
    require_label_studio()
    admin = random_admin()
    port = lsserver.free_port()
    server = lsserver.start(LS_DIR, tmp_path / "data", port, admin, tmp_path / "log")
    with socket.create_connection((lsserver.HOST, port)):
        pass  # a closed connection: the TIME_WAIT that made a bind test refuse the port for a minute
    assert lsserver.healthy(server.url)
    assert lsserver.stop(server.pid)  # returns once every thread is gone (the leader alone was not enough)
    assert lsserver.port_is_free(port)  # nothing accepts connections: free, whatever TIME_WAIT remains
    again = lsserver.start(LS_DIR, tmp_path / "data", port, admin, tmp_path / "log")
    try:
        assert again.port == port and lsserver.healthy(again.url)
        with pytest.raises(lsserver.ServerError, match="busy"):
            lsserver.start(LS_DIR, tmp_path / "other", port, admin, tmp_path / "log2")
    finally:
        lsserver.stop(again.pid)
