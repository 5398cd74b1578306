"""A misbehaving HTTP server on 127.0.0.1 for the secret tests: it answers every request badly, and
repeats the request's credentials back in every form a careless server or proxy would.

Modes: ``refuse`` (403 with a JSON body quoting the ``Authorization`` header raw, in a repr,
JSON-escaped and percent-encoded), ``error`` (500, the same body: clients retry), ``nonjson`` (200
with an HTML page quoting them), ``garbage`` (no HTTP at all: a line holding the header, then
the connection closes). :func:`refused_url` gives an address where nothing listens.
"""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

MODES = ("refuse", "error", "nonjson", "garbage")


def _echo(handler: BaseHTTPRequestHandler) -> dict[str, str]:
    auth = handler.headers.get("Authorization", "")
    return {
        "detail": f"invalid credentials {auth} for {handler.path}",
        "repr": repr(auth),
        "json": json.dumps(auth),
        "percent": quote(auth, safe=""),
        "headers": json.dumps(dict(handler.headers.items())),
    }


def make_handler(mode: str, seen: list[str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # quiet: the test searches what the client shows
            pass

        def _answer(self) -> None:
            seen.append(f"{self.command} {self.path}")
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            echo = _echo(self)
            if mode == "garbage":
                self.wfile.write(f"SPEAKING GARBAGE {echo['detail']} {echo['repr']}\r\n\r\n".encode())
                self.close_connection = True
                return
            if mode == "nonjson":
                code, kind = 200, "text/html"
                body = f"<html><body>{echo['detail']} {echo['percent']} {echo['repr']}</body></html>".encode()
            else:
                code, kind = (403 if mode == "refuse" else 500), "application/json"
                body = json.dumps(echo).encode()
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = _answer

    return Handler


class BadServer:
    """``with BadServer("garbage") as server: server.url ...``"""

    def __init__(self, mode: str) -> None:
        assert mode in MODES, mode
        self.seen: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(mode, self.seen))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> BadServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def refused_url() -> str:
    """An address on 127.0.0.1 where nothing listens (a port just freed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def secret_forms(*secrets_: str) -> set[str]:
    """What a test searches for: each secret in the forms a message could carry it, found
    independently of the redaction under test (raw, repr, JSON, percent-encoded, base64)."""
    import base64

    out = set()
    for s in secrets_:
        out |= {
            s,
            repr(s)[1:-1],
            json.dumps(s)[1:-1],
            quote(s, safe=""),
            quote(s),
            base64.b64encode(s.encode()).decode(),
        }
    return {f for f in out if len(f) >= 8}


def leaks(needles: set[str], texts: dict[str, str], folder: object = None) -> list[str]:
    """Where any needle shows: in one of ``texts`` (name -> text) or in any file under ``folder``."""
    from pathlib import Path

    found = [f"{name}: {n!r}" for name, text in texts.items() for n in needles if n in text]
    if folder is not None:
        for p in sorted(Path(str(folder)).rglob("*")):
            if p.is_file() and not p.is_symlink():
                data = p.read_bytes()
                found += [f"{p}: {n!r}" for n in needles if n.encode() in data]
    return found
