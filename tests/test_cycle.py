"""The whole growth cycle, end to end, on a git copy of the repository (never the checkout itself).

First release of the copy as it is, then a sixth article (``tests/fixtures/cycle``, test data) goes
through every stage: ``coopnum add`` → ``ls push`` to a real Label Studio (``ls restore`` puts the
existing annotations there, as on a new server) → two passes under two annotator accounts → the
adjudicator's gold, with a recorded reason for the one disagreement → ``ls pull`` → ``build`` →
``validate`` → ``release`` (a minor one) → ``publish --tag`` to the stand-in hub → ``load_dataset`` at
each tag: the new document is in ``documents`` and ``ner``, and every earlier document has the same
rows in every config as in the release before the addition.
"""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from coopnum.annotation import adjudication
from coopnum.annotation import format as ann
from coopnum.cli import app

from .conftest import REPO, source_records
from .hubstub import HubStub
from .lshelpers import RunningServer
from .publish.test_release_hub import REPO_ID, env, publish

ARTICLE = Path(__file__).resolve().parent / "fixtures" / "cycle" / "c1_jakarta_russie_ia.txt"
# (surface, label) of the invented article, marked wherever the surface is in a paragraph
ENTITIES = [
    ("Moscou", "LOC"),
    ("Jakarta", "LOC"),
    ("Sberbank", "ORG"),
    ("Bandung", "LOC"),
    ("Russie", "LOC"),
    ("Surabaya", "LOC"),
]
TOPICS = ["international_relations", "education_research"]
LOAD_ALL = """
import json, sys
from datasets import load_dataset
out = {}
for config in sys.argv[3].split(","):
    ds = load_dataset(sys.argv[1], config, revision=sys.argv[2], cache_dir=sys.argv[4])
    out[config] = sorted(json.dumps(r, sort_keys=True, default=str) for split in ds for r in ds[split])
print(json.dumps(out))
"""
runner = CliRunner()


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


def cli(*args: str, env: dict[str, str] | None = None) -> str:
    result = runner.invoke(app, list(args), env=env)
    assert result.exit_code == 0, f"coopnum {' '.join(args)}:\n{result.output}"
    return result.output


def copy_repository(root: Path) -> Path:
    """The inputs of a release in a fresh git repository (.gitignore: the checkout lock is not a change)."""
    root.mkdir()
    for name in ("corpus", "annotations"):
        shutil.copytree(REPO / name, root / name)
    (root / "benchmarks").mkdir()
    for name in ("benchmarks/baselines.json", "pyproject.toml", "CHANGELOG.md", ".gitignore"):
        shutil.copy2(REPO / name, root / name)
    git(root, "init", "-q")
    git(root, "config", "user.email", "cycle-test@example.org")
    git(root, "config", "user.name", "cycle test")
    return root


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def account(server: RunningServer, tmp: Path, name: str) -> dict[str, str]:
    """A Label Studio account made with ``coopnum ls add-annotator``; its credentials file, read back."""
    secret = tmp / "secrets" / f"{name}.json"
    email = f"cycle-{name}-{secrets.token_hex(3)}@coopnum.invalid"
    cli("ls", "add-annotator", "--email", email, "--secret-file", str(secret), env=server.env())
    return json.loads(secret.read_text(encoding="utf-8"))


def fill_pass(folder: Path, doc_id: str, stance_of: dict[int, str]) -> Path:
    """The exported pass file of ``doc_id`` filled in: the entities found in each paragraph, a stance per
    paragraph (NONE unless ``stance_of`` says otherwise), the document stance and topics."""
    task = json.loads((folder / f"{doc_id}.task.json").read_text(encoding="utf-8"))
    texts = {p["index"]: p["text"] for p in task["paragraphs"]}
    obj = json.loads((folder / f"{doc_id}.pass.json").read_text(encoding="utf-8"))
    for p in obj["paragraphs"]:
        p["entities"] = [[s, label] for s, label in ENTITIES if s in texts[p["index"]]]
        p["stance"] = stance_of.get(p["index"], "NONE")
    obj["stance"], obj["topics"] = "NONE", TOPICS
    path = folder / f"{doc_id}.filled.json"
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    return path


def annotate(
    server: RunningServer,
    tmp: Path,
    title: str,
    who: dict[str, str],
    doc_id: str,
    stance_of: dict[int, str] | None = None,
    gold: bool = False,
) -> None:
    """``ls tasks`` then ``ls submit`` under ``who``'s own token."""
    as_user = {**server.env(), "COOPNUM_LS_TOKEN": who["token"], "COOPNUM_LS_PROJECT": title}
    folder = tmp / f"passes-{who['user_id']}"
    cli("ls", "tasks", "--out", str(folder), env=as_user)
    filled = fill_pass(folder, doc_id, stance_of or {})
    said = cli("ls", "submit", str(filled), *(["--ground-truth"] if gold else []), env=as_user)
    assert f"{doc_id}: annotation" in said and "1 annotations saved" in said


def rows_by_doc(folder: Path) -> dict[str, dict[str, list[str]]]:
    """config -> document -> its rows (JSON, sorted) in the Parquet files of ``folder`` (dataset/data)."""
    out: dict[str, dict[str, list[str]]] = {}
    for config in sorted(p.name for p in folder.iterdir()):
        docs: dict[str, list[str]] = {}
        for f in sorted((folder / config).glob("*.parquet")):
            for r in pq.read_table(f).to_pylist():
                docs.setdefault(r.get("doc_id", r["id"]), []).append(json.dumps(r, sort_keys=True, default=str))
        out[config] = {d: sorted(rs) for d, rs in docs.items()}
    return out


def hub_rows(stub: HubStub, token: str, revision: str, configs: list[str], cache: Path) -> dict[str, list[dict]]:
    command = [sys.executable, "-c", LOAD_ALL, REPO_ID, revision, ",".join(configs), str(cache)]
    done = subprocess.run(command, env=env(stub, token), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    return {c: [json.loads(r) for r in rows] for c, rows in loaded.items()}


def doc_of(row: dict) -> str:
    return row.get("doc_id", row["id"])


def record_adjudication(root: Path, doc_id: str) -> int:
    """The adjudicator's reasons: one record per disagreement between the two passes (gold = pass A)."""
    found = ann.load_file(root / "annotations" / ann.SUBDIR / f"{doc_id}.json")
    passes = [a for a in found.annotations if not a.ground_truth]
    gold = next(a for a in found.annotations if a.ground_truth)
    items = adjudication.disagreements(doc_id, passes)
    lines = [
        adjudication.record(it, adjudication.gold_value(gold, it.layer, it.key), "guidelines 3.2: facts, no evaluation")
        for it in items
    ]
    path = root / "annotations" / adjudication.FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text + ("" if text.endswith("\n") else "\n") + "".join(x + "\n" for x in lines), encoding="utf-8")
    return len(items)


def annotate_new_document(server: RunningServer, tmp: Path, root: Path, new_id: str, n_docs: int) -> None:
    """Push (two passes per document to two accounts), restore the earlier annotations, two passes and the
    adjudicator's gold on the new document, then pull."""
    title = f"cycle-{secrets.token_hex(3)}"
    ls_env = {**server.env(), "COOPNUM_LS_ANNOTATOR_MAP": str(tmp / "secrets" / "map.json")}
    a, b, judge = (account(server, tmp, name) for name in ("a", "b", "adjudicator"))
    pushed = cli(
        "ls", "push", "--root", str(root), "--project", title, "--no-predictions",
        "--annotators", f"{a['email']},{b['email']}", env=ls_env,
    )  # fmt: skip
    assert f"{n_docs} created" in pushed
    cli("ls", "restore", "--root", str(root), "--project", title, env=ls_env)
    annotate(server, tmp, title, a, new_id)
    annotate(server, tmp, title, b, new_id, stance_of={1: "FAVOR"})  # B disagrees on one paragraph
    annotate(server, tmp, title, judge, new_id, gold=True)
    cli("ls", "pull", "--root", str(root), "--project", title, env=ls_env)


@pytest.mark.slow
@pytest.mark.labelstudio
def test_an_added_article_goes_from_intake_to_a_tagged_hub_release(ls_server: RunningServer, tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "copy")
    token = "hf_" + secrets.token_hex(16)
    before_ids = {r["doc_id"] for r in source_records(root)}
    with HubStub(token) as stub:
        # The release before the addition, published with its tag.
        cli("build", "--root", str(root))
        commit(root, "inputs and build")
        cli("release", "1.0.0", "--root", str(root), "--commit", "--date", "2026-12-01")
        done = publish(root, stub, token)
        assert done.returncode == 0 and "tagged v1.0.0" in done.stdout, done.stderr
        before = rows_by_doc(root / "dataset" / "data")
        configs = sorted(before)

        # Intake: one new document, nothing else in corpus/ changes.
        sources = (root / "corpus" / "sources.jsonl").read_text(encoding="utf-8")
        cli("add", str(ARTICLE), "--root", str(root))
        assert (root / "corpus" / "sources.jsonl").read_text(encoding="utf-8").startswith(sources)
        (new_id,) = {r["doc_id"] for r in source_records(root)} - before_ids

        annotate_new_document(ls_server, tmp_path, root, new_id, len(before_ids) + 1)
        pulled = ann.load_file(root / "annotations" / ann.SUBDIR / f"{new_id}.json")
        assert sorted(x.ground_truth for x in pulled.annotations) == [False, False, True]
        assert len({x.annotator for x in pulled.annotations}) == 3
        assert git(root, "status", "--porcelain", "--", f"annotations/{ann.SUBDIR}").splitlines() == [
            f"?? annotations/{ann.SUBDIR}/{new_id}.json"
        ]  # the pull gave back the earlier documents' files unchanged
        assert record_adjudication(root, new_id) == 1

        # Build, validate, a minor release (a document added), published with its tag.
        cli("build", "--root", str(root))
        validated = runner.invoke(app, ["validate", "--root", str(root)])
        assert validated.exit_code == 0 and "0 errors," in validated.output, validated.output
        commit(root, "a document added and annotated")
        released = cli("release", "1.1.0", "--root", str(root), "--commit", "--date", "2026-12-02")
        assert "a minor release since v1.0.0" in released and "1 added" in released, released
        done = publish(root, stub, token)
        assert done.returncode == 0 and "tagged v1.1.0" in done.stdout, done.stderr
        assert set(stub.hub.repos[REPO_ID].tags) == {"v1.0.0", "v1.1.0"}
        after = rows_by_doc(root / "dataset" / "data")
        old = hub_rows(stub, token, "v1.0.0", configs, tmp_path / "cache-old")
        new = hub_rows(stub, token, "v1.1.0", configs, tmp_path / "cache-new")

    for config in ("documents", "ner"):
        assert new_id not in {doc_of(r) for r in old[config]}
        assert new_id in {doc_of(r) for r in new[config]}, config
    assert next(r for r in new["documents"] if r["id"] == new_id)["text"]
    for config in configs:
        assert set(after[config]) - set(before[config]) <= {new_id}, config
        for doc in before[config]:
            assert after[config][doc] == before[config][doc], (config, doc)  # same rows, byte for byte
        kept = sorted(json.dumps(r, sort_keys=True) for r in new[config] if doc_of(r) != new_id)
        assert kept == sorted(json.dumps(r, sort_keys=True) for r in old[config]), config
