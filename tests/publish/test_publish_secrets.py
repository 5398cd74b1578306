"""`coopnum publish` never shows HF_TOKEN or HF_ENDPOINT's user-info, and turns every failure of the
hub or the way to it into one line: a pasted token (trailing newline) against the stand-in hub, then
hubs that refuse, fail, answer HTML or no HTTP at all, and one where nothing listens.

Each run is a real process (huggingface_hub reads its settings at import time) that logs every
record at DEBUG into a file under the test's folder, which is searched with the rest."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coopnum.dataset.build import build

from ..annotation_fixture import write_fixture
from ..hubstub import HubStub
from ..util.badserver import MODES, BadServer, leaks, refused_url, secret_forms
from ..util.test_secrets import new_token

REPO_ID = "coopnum/coopnum-secret-test"
# the CLI with every log record of every library written to a file
LOGGED_CLI = (
    "import logging, sys; logging.basicConfig(level=logging.DEBUG, filename=sys.argv[1], force=True); "
    "from coopnum.cli import app; app(args=sys.argv[2:], prog_name='coopnum')"
)


def publish(root: Path, log: Path, endpoint: str, token: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING", "COOPNUM_"))}
    env.update(HF_ENDPOINT=endpoint, HF_TOKEN=token, HF_DATASETS_OFFLINE="1", HF_HUB_DISABLE_TELEMETRY="1")
    return subprocess.run(
        [sys.executable, "-c", LOGGED_CLI, str(log), "publish", "--repo-id", REPO_ID, "--root", str(root)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def built(project: Path) -> Path:
    write_fixture(project)
    build(project)
    return project


@pytest.mark.slow  # a build and six publish processes
def test_publish_never_shows_a_credential_and_fails_in_one_line(built: Path, tmp_path: Path) -> None:
    token, core = new_token("hf_")
    _, password = new_token("pw")
    runs: dict[str, subprocess.CompletedProcess[str]] = {}
    with HubStub(token) as stub:
        runs["stub, pasted token"] = publish(built, tmp_path / "stub.log", stub.url + "/\n", token + "\n")
        assert runs["stub, pasted token"].returncode == 0, runs["stub, pasted token"].stderr
        assert stub.hub.repos[REPO_ID].commits, "the stripped token was accepted and the build uploaded"
        with_userinfo = stub.url.replace("http://", f"http://someone:{password}@")
        runs["stub, user-info"] = publish(built, tmp_path / "userinfo.log", with_userinfo, token + "\n")
    for mode in MODES:
        with BadServer(mode) as server:
            runs[mode] = publish(built, tmp_path / f"{mode}.log", server.url, token + "\n")
            assert server.seen, (mode, runs[mode].stderr)
    runs["refused"] = publish(built, tmp_path / "refused.log", refused_url(), token + "\n")
    for name, run in runs.items():
        if name == "stub, pasted token" or (name == "stub, user-info" and run.returncode == 0):
            continue  # the stand-in ignores a basic-auth pair: with the bearer token it may succeed
        lines = run.stderr.strip().splitlines()
        assert run.returncode == 3, (name, run.stderr)
        errors = [x for x in lines if x.startswith("error: ")]
        assert len(errors) == 1 and "Traceback" not in run.stderr, (name, run.stderr)
    needles = secret_forms(token, password, f"someone:{password}") | {core, password}
    texts = {f"{name} {stream}": getattr(r, stream) for name, r in runs.items() for stream in ("stdout", "stderr")}
    assert leaks(needles, texts, tmp_path) == []
