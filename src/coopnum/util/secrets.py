"""Secrets: read once at entry, removed from every message and log record.

Tokens and passwords come from environment variables only (:data:`SECRET_VARIABLES`).
:func:`read_secret` strips the whitespace around a value (a paste brings a trailing
newline) and refuses one with whitespace, a control or a non-ASCII character inside,
in a message that does not show it. :func:`read_url` does the same for the server
addresses (:data:`URL_VARIABLES`), whose user-info (``user:password@``) is a secret too.

:func:`redact` is the one redaction used on every error path (the CLI's error
line, the Label Studio client's and ``publish``'s errors): it removes every known
secret in each form a message can carry it (raw, ``repr``, JSON-escaped, HTML- and
percent-encoded, the base64 of a URL's basic-auth pair) and the user-info of every
URL. :func:`install_log_redaction` makes every log record and warning pass through
it, so the HTTP libraries' own retry and request logging (``huggingface_hub``,
``httpx``, ``httpcore``, ``urllib3``, ``requests``, ``label_studio_sdk``) cannot show
a credential either.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import os
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import quote, quote_plus, unquote

from coopnum.errors import CoopnumError

SECRET_VARIABLES = (
    "COOPNUM_LS_TOKEN",
    "COOPNUM_LS_ADMIN_PASSWORD",
    "COOPNUM_LS_NEW_PASSWORD",
    "HF_TOKEN",
    "HUGGING_FACE_HUB_TOKEN",  # the older name huggingface_hub still reads
)
URL_VARIABLES = ("COOPNUM_LS_URL", "HF_ENDPOINT")
MASK = "***"
MIN_SECRET = 4  # shorter values are not secrets worth the name, and masking them would mangle messages

# scheme://user:password@ as written or JSON-escaped (:\/\/): the user-info ends at the authority's
# last "@" (a password's own "@" should be %40, but may not be) ...
_URL_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*:(?://|\\/\\/))(?P<userinfo>[^/\\\s\"'<>?#]+)@")
# ... and a whole URL percent-encoded (%3A%2F%2F … %40), where "/" and "@" are encoded too
_ENCODED_URL_USERINFO = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*%3[Aa]%2[Ff]%2[Ff])(?P<userinfo>(?:(?!%2[Ff]|%40)[^/\\\s@\"'<>?#])+)%40"
)

_registered: set[str] = set()


class SecretError(CoopnumError):
    """A secret or server address in the environment is malformed (the message never shows it)."""


def _problem(value: str) -> str | None:
    for c in value:
        if c.isspace():
            return "whitespace inside it"
        if not c.isascii():
            return "a non-ASCII character"
        if not c.isprintable():
            return "a control character"
    return None


def read_secret(name: str, env: Mapping[str, str] | None = None) -> str | None:
    """The secret in variable ``name``, stripped of surrounding whitespace; None when unset or blank."""
    raw = (os.environ if env is None else env).get(name)
    value = (raw or "").strip()
    if not value:
        return None
    problem = _problem(value)
    if problem is not None:
        raise SecretError(f"{name} holds {problem}: set it to the secret alone (not shown here)", field=name)
    register(value)
    return value


def read_url(name: str, default: str | None = None, env: Mapping[str, str] | None = None) -> str | None:
    """The server address in variable ``name`` (stripped, without a trailing slash), or ``default``."""
    value = ((os.environ if env is None else env).get(name) or "").strip()
    if not value:
        return default
    problem = _problem(value)
    if problem is not None:
        raise SecretError(f"{name} holds {problem}: set it to the server's address alone (not shown here)", field=name)
    for secret in _userinfo_secrets(value):
        register(secret)
    return value.rstrip("/")


def register(secret: str) -> None:
    """Also remove ``secret`` from every message of this process (a value not from the environment)."""
    if len(secret) >= MIN_SECRET:
        _registered.add(secret)


def _userinfo_secrets(url: str) -> list[str]:
    """The password of a URL's user-info (as written and decoded), and the base64 pair basic auth sends."""
    out = []
    for m in _URL_USERINFO.finditer(url):
        userinfo = m["userinfo"]
        user, _, password = userinfo.partition(":")
        out += [password, unquote(password)]
        pair = f"{unquote(user)}:{unquote(password)}"
        out.append(base64.b64encode(pair.encode()).decode())
    return [s for s in out if len(s) >= MIN_SECRET]


def known_secrets(env: Mapping[str, str] | None = None) -> set[str]:
    """Every secret of this process: the secret variables, the URLs' passwords, registered values."""
    env = os.environ if env is None else env
    found = set(_registered)
    for name in SECRET_VARIABLES:
        value = (env.get(name) or "").strip()
        if len(value) >= MIN_SECRET:
            found.add(value)
    for name in URL_VARIABLES:
        found.update(_userinfo_secrets(env.get(name) or ""))
    return found


def _lower_percent(text: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda m: m[0].lower(), text)


_ESCAPES: tuple[Callable[[str], str], ...] = (
    lambda s: s.replace("\\", "\\\\"),  # a repr that needs no quote escaped
    lambda s: s.replace("\\", "\\\\").replace("'", "\\'"),  # a repr in single quotes
    lambda s: s.replace("\\", "\\\\").replace('"', '\\"'),  # a repr in double quotes
    lambda s: json.dumps(s)[1:-1],
)
ESCAPE_DEPTH = 3  # a JSON body quoted in a repr quoted in a message: escaped three times over


def forms(secret: str) -> set[str]:
    """``secret`` as messages may carry it: raw, escaped by repr or JSON (nested up to
    :data:`ESCAPE_DEPTH` times), HTML- and percent-encoded (either hex case)."""
    out = {secret}
    layer = {secret}
    for _ in range(ESCAPE_DEPTH):
        layer = {escape(s) for s in layer for escape in _ESCAPES} - out
        out |= layer
    out.add(html.escape(secret))
    for encoded in (quote(secret, safe=""), quote(secret), quote_plus(secret), quote_plus(secret, safe="")):
        out |= {encoded, _lower_percent(encoded)}
    return {f for f in out if f}


def _pattern(secrets: Iterable[str]) -> re.Pattern[str] | None:
    every = {f for s in secrets for f in forms(s)}
    if not every:
        return None
    return re.compile("|".join(re.escape(f) for f in sorted(every, key=len, reverse=True)))


def redact(text: str, *extra: str | None) -> str:
    """``text`` without any known secret (or one of ``extra``) in any form, nor any URL's user-info."""
    pattern = _pattern(known_secrets() | {s for s in extra if s and len(s) >= MIN_SECRET})
    if pattern is not None:
        text = pattern.sub(MASK, text)
    return redact_url(text)


def redact_url(text: str) -> str:
    """``text`` with the user-info of every URL in it masked."""
    text = _URL_USERINFO.sub(lambda m: f"{m['scheme']}{MASK}@", text)
    return _ENCODED_URL_USERINFO.sub(lambda m: f"{m['scheme']}{MASK}%40", text)


def one_line(e: BaseException, limit: int = 300) -> str:
    """``Type: first line of the message``, redacted and cut to ``limit`` characters."""
    message = redact(str(e)).strip().splitlines()
    said = f"{type(e).__name__}: {message[0]}" if message else type(e).__name__
    return said if len(said) <= limit else said[: limit - 1] + "…"


# ------------------------------------------------------------------ logging and warnings

_installed = False


RecordFactory = Callable[..., logging.LogRecord]


def _redacted_record_factory(previous: RecordFactory) -> RecordFactory:
    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it for logging's own error report
            return record
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return record

    return factory


def install_log_redaction() -> None:
    """Every log record and warning of this process passes through :func:`redact` (once per process,
    however often called). A record factory rather than a filter: a filter on a logger misses the
    records of its children (``huggingface_hub.utils._http``, ``httpx._client``), and the HTTP
    libraries' loggers keep whatever level a user chose, their lines redacted."""
    global _installed
    if _installed:
        return
    _installed = True
    logging.setLogRecordFactory(_redacted_record_factory(logging.getLogRecordFactory()))
    format_warning = warnings.formatwarning

    def redacted_warning(*args: object, **kwargs: object) -> str:
        return redact(format_warning(*args, **kwargs))  # type: ignore[arg-type]

    warnings.formatwarning = redacted_warning
