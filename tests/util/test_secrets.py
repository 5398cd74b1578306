"""Secrets: checked at entry, redacted in every form on every error path and log record, and never
shown by `coopnum ls push` / `ls pull` against a live server on 127.0.0.1 that misbehaves."""

from __future__ import annotations

import json
import logging
import secrets as random
from pathlib import Path
from urllib.parse import quote

import pytest
from typer.testing import CliRunner

from coopnum.cli import app
from coopnum.cli.app import EXIT_INPUT
from coopnum.util import secrets

from .badserver import MODES, BadServer, leaks, refused_url, secret_forms

# Characters a token's forms disagree on: a repr, JSON and percent-encoding each write them differently.
AWKWARD = "\"'\\%+/=&"


def new_token(prefix: str = "tok") -> tuple[str, str]:
    """(token, its random core): the core is what no output may contain in any form."""
    core = f"{prefix}{random.token_hex(12)}"
    return core + AWKWARD, core


# ------------------------------------------------------------------ entry checks


def test_a_pasted_trailing_newline_is_stripped_and_the_value_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    token, core = new_token()
    monkeypatch.setenv("COOPNUM_LS_TOKEN", f"  {token}\n")
    assert secrets.read_secret("COOPNUM_LS_TOKEN") == token
    assert core not in secrets.redact(f"the server said {token!r}")


@pytest.mark.parametrize("inner", [" ", "\t", "\n", "é", "\x00"], ids=["space", "tab", "newline", "non-ascii", "nul"])
def test_whitespace_control_or_non_ascii_inside_is_refused_without_echo(inner: str) -> None:
    _, core = new_token()
    value = core + inner + "rest-of-it"
    with pytest.raises(secrets.SecretError) as raised:
        secrets.read_secret("HF_TOKEN", {"HF_TOKEN": value})
    message = str(raised.value)
    assert "HF_TOKEN" in message and core not in message and "rest-of-it" not in message
    assert "\n" not in message


def test_a_blank_secret_is_unset_and_a_url_is_stripped() -> None:
    assert secrets.read_secret("HF_TOKEN", {"HF_TOKEN": " \n"}) is None
    url = secrets.read_url("HF_ENDPOINT", None, {"HF_ENDPOINT": " http://127.0.0.1:9/\n"})
    assert url == "http://127.0.0.1:9"
    with pytest.raises(secrets.SecretError) as raised:
        secrets.read_url("COOPNUM_LS_URL", None, {"COOPNUM_LS_URL": "http://u:pass word@h"})
    assert "pass" not in str(raised.value)


# ------------------------------------------------------------------ redaction


def test_every_form_of_a_secret_is_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    token, core = new_token()
    monkeypatch.setenv("HF_TOKEN", token + "\n")
    carried = [
        token,
        repr(token),
        json.dumps(token),
        json.dumps(json.dumps(token)),
        quote(token, safe=""),
        quote(token),
        quote(token, safe="").lower(),
        str(token.encode()),  # a bytes repr, as h11 quotes a bad status line
        f"Authorization: Bearer {token}",
    ]
    for text in carried:
        assert core not in secrets.redact(f"before {text} after"), text


def test_the_user_info_of_every_url_is_removed_in_every_form(monkeypatch: pytest.MonkeyPatch) -> None:
    _, password = new_token("pw")
    url = f"http://someone:{password}%40x@127.0.0.1:8080/api"
    monkeypatch.setenv("COOPNUM_LS_URL", url)
    for text in (url, json.dumps(url).replace("/", "\\/"), quote(url, safe=""), repr(url)):
        shown = secrets.redact(f"cannot reach {text}: refused")
        assert password not in shown and "someone" not in shown, shown
    # the password alone, decoded, and a URL not from the environment
    assert password not in secrets.redact(f"login {password}@x failed")
    assert secrets.redact("see http://a:b@host.example/x and a@b.org") == "see http://***@host.example/x and a@b.org"


def test_log_records_and_warnings_are_redacted(monkeypatch: pytest.MonkeyPatch, caplog, recwarn) -> None:
    import warnings

    token, core = new_token()
    monkeypatch.setenv("COOPNUM_LS_TOKEN", token)
    secrets.install_log_redaction()
    secrets.install_log_redaction()  # idempotent
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("httpx._client").info("HTTP Request: GET %s", f"http://u:{core}@h/?token={token}")
        try:
            raise ValueError(f"bad {token!r}")
        except ValueError:
            logging.getLogger("huggingface_hub.utils._http").exception("retrying")
    assert caplog.records and core not in caplog.text
    assert all(core not in r.getMessage() for r in caplog.records)
    warnings.warn(f"token {token} in a warning", UserWarning, stacklevel=1)
    shown = warnings.formatwarning(recwarn[-1].message, UserWarning, "f.py", 1)  # type: ignore[arg-type]
    assert core not in shown


# ------------------------------------------------------------------ the CLI against a live bad server


def _ls_env(monkeypatch: pytest.MonkeyPatch, root: Path, url: str, token: str) -> None:
    for name in list(secrets.SECRET_VARIABLES) + list(secrets.URL_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COOPNUM_LS_TOKEN", token + "\n")  # as a paste gives it
    monkeypatch.setenv("COOPNUM_LS_URL", url)
    monkeypatch.setenv("COOPNUM_LS_DIR", str(root / ".labelstudio"))


def _run_ls(command: str, root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["ls", command, "--root", str(root), "--tries", "2", "--timeout", "5"])
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.output


# the modes where the client retries (a second, backed-off try) take seconds: the fast loop keeps two
SLOW_MODES = ("error", "garbage", "refused")


@pytest.mark.parametrize(
    "mode", [pytest.param(m, marks=[pytest.mark.slow] if m in SLOW_MODES else []) for m in (*MODES, "refused")]
)
def test_ls_push_and_pull_never_show_the_token_or_the_url_password(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog, mode: str
) -> None:
    token, core = new_token()
    _, password = new_token("pw")
    caplog.set_level(logging.DEBUG)  # every record the HTTP stack makes is searched
    outputs: dict[str, str] = {}
    server = BadServer(mode if mode != "refused" else "refuse")
    with server:
        base = refused_url() if mode == "refused" else server.url
        for where, url in (("plain", base), ("user-info", base.replace("http://", f"http://someone:{password}@"))):
            _ls_env(monkeypatch, project, url, token)
            for command in ("pull", "push"):
                code, output = _run_ls(command, project)
                lines = output.strip().splitlines()
                assert code == EXIT_INPUT, output  # a server that fails is bad input state, not a usage error
                assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in output, output
                outputs[f"{command} {where}"] = output
    if mode != "refused":
        assert server.seen, "the client never reached the server"
    needles = secret_forms(token, core, password, f"someone:{password}") | {core, password}
    logged = {f"log {i}": r.getMessage() for i, r in enumerate(caplog.records)}
    assert leaks(needles, {**outputs, **logged, "log text": caplog.text}, tmp_path) == []
