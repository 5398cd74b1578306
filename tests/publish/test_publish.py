"""`coopnum publish` against a stand-in hub on 127.0.0.1 (the public hub is unreachable here).

Each run is a real `coopnum` process: huggingface_hub reads HF_ENDPOINT and the
offline switch at import time, and this test session imported it offline.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from coopnum.dataset.build import build
from coopnum.publish import hub as publish

from ..annotation_fixture import write_fixture
from ..hubstub import HubStub

REPO_ID = "coopnum/coopnum-test"


def run(root: Path, stub: HubStub, token: str | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING"))}
    env.update(HF_ENDPOINT=stub.url, HF_DATASETS_OFFLINE="1", HF_HUB_DISABLE_TELEMETRY="1")
    if token is not None:
        env["HF_TOKEN"] = token
    return subprocess.run(
        [sys.executable, "-m", "coopnum", "publish", "--repo-id", REPO_ID, "--root", str(root), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def published(project: Path):
    write_fixture(project)
    build(project)
    token = "hf_" + secrets.token_hex(16)
    with HubStub(token) as stub:
        yield project, stub, token


def local_bytes(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root / "dataset").as_posix(): p.read_bytes() for p in (root / "dataset").rglob("*") if p.is_file()
    }


@pytest.mark.slow  # three publish round trips, each a new process
def test_publish_dry_run_then_upload_then_nothing_to_do(published) -> None:
    root, stub, token = published
    dry = run(root, stub, token, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert f"{len(local_bytes(root))} to add" in dry.stdout and "dry run: nothing uploaded" in dry.stdout
    assert REPO_ID not in stub.hub.repos  # nothing created, nothing committed

    first = run(root, stub, token)
    assert first.returncode == 0, first.stderr
    repo = stub.hub.repos[REPO_ID]
    assert repo.files == local_bytes(root)  # byte for byte
    assert len(repo.commits) == 1
    assert "reloaded from the hub: annotator_labels 15, documents 5" in first.stdout.replace("\n", " ")

    again = run(root, stub, token)
    assert again.returncode == 0, again.stderr
    assert "nothing uploaded" in again.stdout and len(repo.commits) == 1

    for out in (dry, first, again):
        assert token not in out.stdout + out.stderr


@pytest.mark.slow  # two publish round trips and a rebuild
def test_republish_uploads_only_what_changed_and_deletes_what_is_gone(published) -> None:
    root, stub, token = published
    assert run(root, stub, token).returncode == 0
    repo = stub.hub.repos[REPO_ID]
    repo.files["data/old-config/train.parquet"] = b"left over from an older build"
    sources = root / "corpus" / "sources.jsonl"
    records = [json.loads(x) for x in sources.read_text(encoding="utf-8").splitlines()]
    records[0]["url"] = "https://example.org/a"
    sources.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    build(root)
    result = run(root, stub, token)
    assert result.returncode == 0, result.stderr
    last = repo.commits[-1]
    assert last["deleted"] == ["data/old-config/train.parquet"]
    changed = set(last["added"])
    assert "manifest.json" in changed and "data/ner/train.parquet" not in changed  # NER rows did not change
    assert repo.files == local_bytes(root)


def test_publish_refuses_a_stale_build(published) -> None:
    root, stub, token = published
    card = root / "dataset" / "README.md"
    card.write_text(card.read_text(encoding="utf-8") + "\nhand edit\n", encoding="utf-8")
    result = run(root, stub, token)
    assert result.returncode == 3
    assert "stale" in result.stderr and "dataset/README.md" in result.stderr
    assert REPO_ID not in stub.hub.repos


def test_publish_without_or_with_a_wrong_token(published) -> None:
    root, stub, _token = published
    missing = run(root, stub, None)
    assert missing.returncode == 3 and "HF_TOKEN is not set" in missing.stderr
    wrong_token = "hf_" + secrets.token_hex(16)
    wrong = run(root, stub, wrong_token)
    assert wrong.returncode == 3 and "HTTP 401" in wrong.stderr
    assert wrong_token not in wrong.stdout + wrong.stderr
    assert REPO_ID not in stub.hub.repos


def test_plan_is_pure_and_exact() -> None:
    local = {
        "a": publish.LocalFile("a", "s1", "g1"),
        "b": publish.LocalFile("b", "s2", "g2"),
        "c": publish.LocalFile("c", "s3", "g3"),
    }
    remote = {
        "a": publish.RemoteFile("a", "g1", None),  # same git object
        "b": publish.RemoteFile("b", None, "other"),  # LFS, other content
        "z": publish.RemoteFile("z", "gz", None),
        ".gitattributes": publish.RemoteFile(".gitattributes", "ga", None),
    }
    p = publish.plan(local, remote)
    assert (p.add, p.update, p.delete, p.unchanged) == (("c",), ("b",), ("z",), ("a",))
