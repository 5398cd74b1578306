"""`coopnum publish --tag` against the stand-in hub: each release is a hub tag, and
`load_dataset(repo, config, revision="vX.Y.Z")` returns exactly that release's rows."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from coopnum.dataset.build import build
from coopnum.publish import release as release_cmd

from ..annotation_fixture import edit_annotations, gold_of
from ..conftest import first_doc_id
from ..hubstub import HubStub
from .test_release import checkout, git  # noqa: F401  (the fixture)

REPO_ID = "coopnum/coopnum-release-test"
LOAD = """
import json, sys
from datasets import load_dataset
ds = load_dataset(sys.argv[1], "documents", revision=sys.argv[2], cache_dir=sys.argv[3])
rows = []
for split in ds:
    stance, topics = ds[split].features["stance"], ds[split].features["topics"].feature
    for r in ds[split]:
        rows.append((r["id"], stance.int2str(r["stance"]), [topics.int2str(t) for t in r["topics"]]))
print(json.dumps(sorted(rows)))
"""


def env(stub: HubStub, token: str) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING"))}
    out.update(HF_ENDPOINT=stub.url, HF_TOKEN=token, HF_HUB_DISABLE_TELEMETRY="1")
    return out


def publish(root: Path, stub: HubStub, token: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "coopnum", "publish", "--repo-id", REPO_ID, "--root", str(root), "--tag"]
    return subprocess.run(command, env=env(stub, token), capture_output=True, text=True, timeout=300)


def load(stub: HubStub, token: str, revision: str, cache: Path) -> list:
    command = [sys.executable, "-c", LOAD, REPO_ID, revision, str(cache)]
    done = subprocess.run(command, env=env(stub, token), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow  # two releases, two publishes, four loads
def test_each_release_is_a_hub_tag_that_loads_as_that_release(checkout: Path, tmp_path: Path) -> None:  # noqa: F811
    root = checkout
    token = "hf_" + secrets.token_hex(16)
    with HubStub(token) as stub:
        release_cmd.release(root, "1.0.0", commit=True, date="2026-12-01")
        first = publish(root, stub, token)
        assert first.returncode == 0, first.stderr
        assert "tagged v1.0.0" in first.stdout
        edit_annotations(root, first_doc_id(root), lambda o: gold_of(o).update(stance="AGAINST"))
        build(root)
        git(root, "commit", "-q", "-am", "a stance corrected")
        release_cmd.release(root, "1.0.1", commit=True, date="2026-12-02")
        second = publish(root, stub, token)
        assert second.returncode == 0, second.stderr
        repo = stub.hub.repos[REPO_ID]
        assert set(repo.tags) == {"v1.0.0", "v1.0.1"} and repo.tags["v1.0.1"] == repo.head
        again = publish(root, stub, token)  # nothing new: the tag is already there, at this commit
        assert again.returncode == 0 and len(repo.commits) == 2, again.stderr

        got = {v: load(stub, token, f"v{v}", tmp_path / f"cache-{v}") for v in ("1.0.0", "1.0.1")}
    for v, rows in got.items():
        want = sorted((r["id"], r["stance"], r["topics"]) for r in release_cmd.tagged_snapshot(root, v).rows)
        assert [tuple(r) for r in rows] == [tuple(r) for r in want]
    assert got["1.0.0"] != got["1.0.1"]
