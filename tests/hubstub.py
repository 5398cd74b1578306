"""A small stand-in for the Hugging Face hub's HTTP API, on 127.0.0.1, for publish tests.

The public hub cannot be reached here, so ``coopnum publish`` is tested against
this: enough of the API for ``create_repo``, ``list_repo_tree``, ``create_commit``
(files travel inline, base64), ``hf_hub_download``, ``create_tag``, ``list_repo_refs``,
``get_paths_info`` and what ``datasets.load_dataset(repo, config, revision=...)`` asks. It keeps
repositories in memory, every commit with the tree it made, so any revision (``main``, a commit
id, a tag) serves the files it had; it checks the bearer token, and records every commit so tests
can assert what was (or was not) uploaded. It does not do LFS or Xet uploads.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse

from coopnum.util.hashing import git_blob_sha1


@dataclass
class Repo:
    files: dict[str, bytes] = field(default_factory=dict)  # the tree at main (tests may edit it)
    commits: list[dict] = field(default_factory=list)  # oid, summary, added, deleted, files (that tree)
    tags: dict[str, str] = field(default_factory=dict)  # tag -> commit oid

    @property
    def head(self) -> str:
        return self.commits[-1]["oid"] if self.commits else "0" * 40

    def resolve(self, revision: str) -> tuple[str, dict[str, bytes]] | None:
        """(commit oid, files) at a branch, tag or commit id; None for an unknown revision."""
        if revision == "main":
            return self.head, self.files
        oid = self.tags.get(revision, revision)
        found = next((c for c in self.commits if c["oid"] == oid), None)
        return (oid, found["files"]) if found else None


def tree_entries(files: dict[str, bytes], prefix: str, recursive: bool) -> list[dict]:
    """The files (and, listing one level, the folders) under ``prefix``, as the hub's tree API lists them."""
    out: dict[str, dict] = {}
    for p, data in sorted(files.items()):
        if prefix and not p.startswith(prefix + "/"):
            continue
        rest = p[len(prefix) + 1 :] if prefix else p
        if not recursive and "/" in rest:
            folder = f"{prefix}/{rest.split('/', 1)[0]}" if prefix else rest.split("/", 1)[0]
            out[folder] = {"type": "directory", "oid": "0" * 40, "size": 0, "path": folder}
            continue
        if recursive:
            parts = rest.split("/")[:-1]
            for i in range(len(parts)):
                folder = "/".join(([prefix] if prefix else []) + parts[: i + 1])
                out[folder] = {"type": "directory", "oid": "0" * 40, "size": 0, "path": folder}
        out[p] = {"type": "file", "oid": git_blob_sha1(data), "size": len(data), "path": p}
    return list(out.values())


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
            query = parse_qs(urlparse(self.path).query)
            if m := re.fullmatch(r"/api/datasets/([^/]+/[^/]+)/refs", path):
                repo = hub.repos.get(m[1])
                if repo is None:
                    return self._send(404, {"error": "Repository not found"}, {"X-Error-Code": "RepoNotFound"})
                main = {"name": "main", "ref": "refs/heads/main", "targetCommit": repo.head}
                tags = [{"name": t, "ref": f"refs/tags/{t}", "targetCommit": o} for t, o in sorted(repo.tags.items())]
                return self._send(200, {"branches": [main], "tags": tags, "converts": []})
            if m := re.fullmatch(r"/api/datasets/([^/]+/[^/]+)(?:/revision/([^/]+))?", path):
                at = self._at(m[1], m[2] or "main")
                if at is None:
                    return None
                oid, files = at
                siblings = [{"rfilename": p} for p in sorted(files)]
                info = {"id": m[1], "_id": m[1], "sha": oid, "siblings": siblings, "private": False}
                return self._send(200, {**info, "cardData": {}, "tags": [], "downloads": 0, "likes": 0})
            if m := re.fullmatch(r"/api/datasets/([^/]+/[^/]+)/tree/([^/]+)(?:/(.*))?", path):
                at = self._at(m[1], m[2])
                if at is None:
                    return None
                recursive = query.get("recursive", ["false"])[0].lower() in ("1", "true")
                return self._send(200, tree_entries(at[1], (m[3] or "").strip("/"), recursive))
            if m := re.fullmatch(r"/datasets/([^/]+/[^/]+)/resolve/([^/]+)/(.+)", path):
                at = self._at(m[1], m[2])
                if at is None:
                    return None
                if m[3] not in at[1]:
                    return self._send(404, {"error": "Entry not found"}, {"X-Error-Code": "EntryNotFound"})
                data = at[1][m[3]]
                headers = {"ETag": f'"{git_blob_sha1(data)}"', "X-Repo-Commit": at[0]}
                return self._send(200, headers=headers, raw=data)
            return self._send(404, {"error": f"no route {path}"})

        def _at(self, repo_id: str, revision: str) -> tuple[str, dict[str, bytes]] | None:
            """The revision's commit and files, or a 404 sent (and None)."""
            repo = hub.repos.get(repo_id)
            if repo is None:
                self._send(404, {"error": "Repository not found"}, {"X-Error-Code": "RepoNotFound"})
                return None
            at = repo.resolve(revision)
            if at is None:
                self._send(404, {"error": f"Invalid rev id: {revision}"}, {"X-Error-Code": "RevisionNotFound"})
            return at

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
            if m := re.fullmatch(r"/api/datasets/([^/]+/[^/]+)/paths-info/([^/]+)", path):
                at = self._at(m[1], m[2])
                if at is None:
                    return None
                wanted = parse_qs(body.decode()).get("paths", [])
                entries = {e["path"]: e for e in tree_entries(at[1], "", recursive=True)}
                return self._send(200, [entries[p] for p in wanted if p in entries])
            if m := re.fullmatch(r"/api/datasets/([^/]+/[^/]+)/tag/([^/]+)", path):
                at = self._at(m[1], m[2])
                if at is None:
                    return None
                name = json.loads(body)["tag"]
                if name in hub.repos[m[1]].tags:
                    return self._send(409, {"error": f"Tag {name} already exists"})
                hub.repos[m[1]].tags[name] = at[0]
                return self._send(200, {})
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
                repo.commits.append(
                    {
                        "oid": oid,
                        "summary": header.get("summary"),
                        "added": added,
                        "deleted": deleted,
                        "files": dict(repo.files),
                    }
                )
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
