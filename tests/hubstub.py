"""A small stand-in for the Hugging Face hub's HTTP API, on 127.0.0.1, for publish tests.

The public hub cannot be reached here, so ``coopnum publish`` is tested against
this: enough of the API for ``create_repo``, ``list_repo_tree``, ``create_commit``
(files travel inline, base64) and ``hf_hub_download``. It keeps repositories in
memory, checks the bearer token, and records every commit so tests can assert
what was (or was not) uploaded. It does not do LFS or Xet uploads.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlparse

from coopnum.util.hashing import git_blob_sha1


@dataclass
class Repo:
    files: dict[str, bytes] = field(default_factory=dict)
    commits: list[dict] = field(default_factory=list)

    @property
    def head(self) -> str:
        return self.commits[-1]["oid"] if self.commits else "0" * 40


@dataclass
class Hub:
    token: str
    repos: dict[str, Repo] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)


def make_handler(hub: Hub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def _send(
            self, code: int, body: object = None, headers: dict[str, str] | None = None, raw: bytes | None = None
        ):
            data = raw if raw is not None else json.dumps(body if body is not None else {}).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/octet-stream" if raw is not None else "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _authorised(self) -> bool:
            if self.headers.get("Authorization") != f"Bearer {hub.token}":
                self._send(401, {"error": "Invalid credentials"})
                return False
            return True

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            path = unquote(urlparse(self.path).path)
            hub.requests.append(f"{self.command} {path}")
            if m := re.fullmatch(r"/api/datasets/([^/]+/[^/]+)/revision/([^/]+)", path):
                repo = hub.repos.get(m[1])
                if repo is None:
                    return self._send(404, {"error": "Repository not found"}, {"X-Error-Code": "RepoNotFound"})
                siblings = [{"rfilename": p} for p in sorted(repo.files)]
                return self._send(
                    200, {"id": m[1], "_id": m[1], "sha": repo.head, "siblings": siblings, "private": False}
                )
            if m := re.fullmatch(r"/api/datasets/([^/]+/[^/]+)/tree/([^/]+)(?:/(.*))?", path):
                repo = hub.repos.get(m[1])
                if repo is None:
                    return self._send(404, {"error": "Repository not found"}, {"X-Error-Code": "RepoNotFound"})
                prefix = (m[3] or "").strip("/")
                entries = [
                    {"type": "file", "oid": git_blob_sha1(data), "size": len(data), "path": p}
                    for p, data in sorted(repo.files.items())
                    if not prefix or p.startswith(prefix + "/")
                ]
                return self._send(200, entries)
            if m := re.fullmatch(r"/datasets/([^/]+/[^/]+)/resolve/([^/]+)/(.+)", path):
                repo = hub.repos.get(m[1])
                if repo is None or m[3] not in repo.files:
                    return self._send(404, {"error": "Entry not found"}, {"X-Error-Code": "EntryNotFound"})
                data = repo.files[m[3]]
                headers = {"ETag": f'"{git_blob_sha1(data)}"', "X-Repo-Commit": repo.head}
                return self._send(200, headers=headers, raw=data)
            return self._send(404, {"error": f"no route {path}"})

        def do_POST(self) -> None:
            path = unquote(urlparse(self.path).path)
            hub.requests.append(f"POST {path}")
            body = self._body()
            if path == "/api/validate-yaml":
                return self._send(200, {"errors": [], "warnings": []})
            if not self._authorised():
                return None
            if path == "/api/repos/create":
                spec = json.loads(body)
                repo_id = f"{spec.get('organization') or 'user'}/{spec['name']}"
                if repo_id in hub.repos:
                    return self._send(409, {"error": "You already created this dataset repo", "url": repo_id})
                hub.repos[repo_id] = Repo()
                return self._send(200, {"url": f"http://{self.headers['Host']}/datasets/{repo_id}", "name": repo_id})
            if m := re.fullmatch(r"/api/datasets/([^/]+/[^/]+)/preupload/([^/]+)", path):
                files = json.loads(body)["files"]
                return self._send(
                    200, {"files": [{"path": f["path"], "uploadMode": "regular", "shouldIgnore": False} for f in files]}
                )
            if m := re.fullmatch(r"/api/datasets/([^/]+/[^/]+)/commit/([^/]+)", path):
                repo = hub.repos.get(m[1])
                if repo is None:
                    return self._send(404, {"error": "Repository not found"})
                lines = [json.loads(x) for x in body.decode().splitlines() if x.strip()]
                header = next(x["value"] for x in lines if x["key"] == "header")
                parent = header.get("parentCommit")
                if parent and parent != repo.head:
                    return self._send(412, {"error": "A commit has happened since. Please refresh and try again."})
                added, deleted = [], []
                for x in lines:
                    if x["key"] == "file":
                        repo.files[x["value"]["path"]] = base64.b64decode(x["value"]["content"])
                        added.append(x["value"]["path"])
                    elif x["key"] == "deletedFile":
                        repo.files.pop(x["value"]["path"], None)
                        deleted.append(x["value"]["path"])
                oid = hashlib.sha1(f"{repo.head}{len(repo.commits)}{added}{deleted}".encode()).hexdigest()
                repo.commits.append({"oid": oid, "summary": header.get("summary"), "added": added, "deleted": deleted})
                return self._send(
                    200, {"commitUrl": f"http://{self.headers['Host']}/datasets/{m[1]}/commit/{oid}", "commitOid": oid}
                )
            return self._send(404, {"error": f"no route {path}"})

    return Handler


class HubStub:
    """``with HubStub(token) as hub: hub.url ...`` — a served :class:`Hub` on a free loopback port."""

    def __init__(self, token: str) -> None:
        self.hub = Hub(token)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self.hub))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> HubStub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
