"""A real Label Studio server for tests: started from the cached template on a free port, stopped by pid.

Missing pieces (the server venv, chromium) skip a test locally with the reason,
and fail it under CI=true, so a broken install cannot pass silently.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from coopnum.corpus.document import CleanDocument, Paragraph
from coopnum.labelstudio import server as lsserver
from coopnum.labelstudio.client import Client, Connection
from coopnum.text.textmap import OffsetMap

REPO = Path(__file__).resolve().parent.parent
LS_DIR = Path(os.environ.get("COOPNUM_LS_DIR") or REPO / ".labelstudio")
CHROMIUM = Path("/usr/bin/chromium")


def require(ok: bool, reason: str) -> None:
    """Skip locally, fail in CI."""
    if ok:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI=true and {reason}: .ci/run must install it", pytrace=False)
    pytest.skip(reason)


def require_label_studio() -> None:
    require(
        (LS_DIR / "venv" / "bin" / "label-studio").is_file(),
        f"Label Studio is not installed in {LS_DIR / 'venv'} (bash scripts/labelstudio install)",
    )


@dataclass
class RunningServer:
    server: lsserver.Server
    admin: lsserver.Admin = field(repr=False)
    log: Path

    @property
    def url(self) -> str:
        return self.server.url

    def client(self, timeout: float = 30, tries: int = 2, backoff: float = 0.2) -> Client:
        return Client(Connection(self.url, self.admin.token, timeout=timeout, tries=tries, backoff=backoff))

    def env(self) -> dict[str, str]:
        return {"COOPNUM_LS_URL": self.url, "COOPNUM_LS_TOKEN": self.admin.token}


def random_admin() -> lsserver.Admin:
    return lsserver.Admin(
        f"admin-{secrets.token_hex(4)}@coopnum.invalid", secrets.token_urlsafe(16), secrets.token_hex(20)
    )


@contextmanager
def running_server(tmp: Path, admin: lsserver.Admin | None = None) -> Iterator[RunningServer]:
    require_label_studio()
    admin = admin or random_admin()
    log = tmp / "server.log"
    server = lsserver.start(LS_DIR, tmp / "data", lsserver.free_port(), admin, log)
    try:
        yield RunningServer(server, admin, log)
    finally:
        lsserver.stop(server.pid)


def document(doc_id: str, paragraphs: Sequence[str], title: bool = True) -> CleanDocument:
    """A clean document made directly (no raw file): paragraphs joined by newlines, as cleaning does."""
    text = "\n".join(paragraphs)
    spans, pos = [], 0
    for i, p in enumerate(paragraphs):
        spans.append(Paragraph(pos, pos + len(p), "title" if title and i == 0 else "body"))
        pos += len(p) + 1
    return CleanDocument(
        doc_id=doc_id,
        text=text,
        paragraphs=tuple(spans),
        title=paragraphs[0] if title else None,
        outlet=None,
        date=None,
        offset_map=OffsetMap(()),
        audit=(),
    )


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def utf16(text: str, index: int) -> int:
    """Reference conversion, independent of coopnum.offsets: count UTF-16 code units."""
    return len(text[:index].encode("utf-16-le")) // 2
