"""The HTTP client of a Label Studio server, over the official SDK.

Every HTTP call goes through :meth:`Client.call`: network failures and 5xx
answers are retried with exponential backoff, then reported in one line that
names the server and never the token. Push, pull and restore, which use it,
are in :mod:`coopnum.labelstudio.sync`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from coopnum.errors import CoopnumError
from coopnum.util import secrets

if TYPE_CHECKING:  # the SDK takes about a second to import: only when a command needs it
    from label_studio_sdk import AllRolesProjectList, RoleBasedTask
    from label_studio_sdk._extensions.pager_ext import SyncPagerExt

ENV_URL = "COOPNUM_LS_URL"
ENV_TOKEN = "COOPNUM_LS_TOKEN"
ENV_PROJECT = "COOPNUM_LS_PROJECT"
ENV_ANNOTATOR_MAP = "COOPNUM_LS_ANNOTATOR_MAP"
DEFAULT_URL = "http://127.0.0.1:8080"
DEFAULT_PROJECT = "coopnum"
PAGE_SIZE = 250

T = TypeVar("T")


class LabelStudioError(CoopnumError):
    """The server cannot be reached, refuses a request, or lacks the project."""


@dataclass(frozen=True)
class Connection:
    url: str
    token: str = field(repr=False)
    timeout: float = 30.0
    tries: int = 4
    backoff: float = 1.0  # seconds before the second try; doubles each time

    @classmethod
    def from_env(cls, **overrides: Any) -> Connection:
        # checked at entry: a pasted token's trailing newline is stripped, inner whitespace refused
        token = secrets.read_secret(ENV_TOKEN)
        if not token:
            raise LabelStudioError(f"set the environment variable {ENV_TOKEN} to your Label Studio API token")
        url = secrets.read_url(ENV_URL, DEFAULT_URL) or DEFAULT_URL
        return cls(url, token, **{k: v for k, v in overrides.items() if v is not None})


class Client:
    def __init__(self, conn: Connection) -> None:
        from label_studio_sdk import LabelStudio  # ≈1 s to import: only when a command needs it

        secrets.install_log_redaction()  # the SDK's httpx logs URLs: never with a credential
        secrets.register(conn.token)
        self.conn = conn
        self.page_size = PAGE_SIZE
        self.ls = LabelStudio(base_url=conn.url, api_key=conn.token, timeout=conn.timeout)
        # The SDK (2.1.2) silently retries refused connections and 5xx twice itself; with ours on top
        # a dead server took 4x as long to report. One retry policy: ours (checked in the SDK source).
        http = getattr(getattr(self.ls, "_client_wrapper", None), "httpx_client", None)
        if http is not None and hasattr(http, "base_max_retries"):
            http.base_max_retries = 0

    def redact(self, text: str) -> str:
        return secrets.redact(text, self.conn.token)

    def call(self, what: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)``, retried on network errors and 5xx/429 answers; an answer that is not
        what the API returns (not JSON, not the expected fields) is reported at once."""
        import httpx
        from label_studio_sdk.core.api_error import ApiError

        reason = ""
        for attempt in range(self.conn.tries):
            try:
                return fn(*args, **kwargs)
            except httpx.TransportError as e:
                reason = secrets.one_line(e)
            except ApiError as e:
                status = e.status_code or 0
                if 200 <= status < 300:  # the SDK's report of a 2xx body that is not JSON
                    raise self._garbled(what, f"HTTP {status}, not JSON") from None
                if status < 500 and status != 429:
                    body = " ".join(self.redact(str(e.body)).split())[:300]  # redacted before it is cut
                    raise LabelStudioError(
                        self.redact(f"Label Studio refused to {what}: HTTP {status} {body}")
                    ) from None
                reason = f"HTTP {status}"
            except (httpx.HTTPError, ValueError, TypeError, KeyError) as e:  # JSON, fields, decoding
                raise self._garbled(what, secrets.one_line(e, 200)) from None
            if attempt + 1 < self.conn.tries:
                time.sleep(self.conn.backoff * 2**attempt)
        raise LabelStudioError(
            self.redact(f"cannot {what}: Label Studio at {self.conn.url} failed {self.conn.tries} tries ({reason})")
        )

    def _garbled(self, what: str, reason: str) -> LabelStudioError:
        return LabelStudioError(
            self.redact(f"cannot {what}: Label Studio at {self.conn.url} answered what its API does not ({reason})")
        )

    # -------------------------------------------------------------- project and tasks

    def find_project(self, title: str) -> Any | None:
        # The SDK types its pagers' items as an unbound T; ProjectsClient.list says what they are.
        projects: list[AllRolesProjectList] = self.call("list projects", lambda: list(self.ls.projects.list()))
        found = [p for p in projects if p.title == title]
        if len(found) > 1:
            ids = ", ".join(str(p.id) for p in found)
            raise LabelStudioError(f"{len(found)} projects are titled {title!r} (ids {ids}): rename all but one")
        return found[0] if found else None

    def project(self, title: str) -> Any:
        p = self.find_project(title)
        if p is None:
            raise LabelStudioError(f"no Label Studio project titled {title!r}: run coopnum ls push first")
        return p

    def tasks(self, project_id: int, on_page: Callable[[int], None] | None = None) -> list[dict[str, Any]]:
        """Every task with its annotations, drafts and predictions, one page per request."""
        tasks: list[dict[str, Any]] = []
        page = 1
        while True:
            pager: SyncPagerExt[RoleBasedTask] = self.call(  # (the item type as TasksClient.list has it)
                f"read tasks (page {page})",
                self.ls.tasks.list,
                project=project_id,
                fields="all",
                page=page,
                page_size=self.page_size,
            )
            items = pager.items or []
            tasks += [t.model_dump(mode="json") for t in items]
            if on_page is not None:
                on_page(page)
            # the SDK's has_next only says the page was not empty, and the page after the last is
            # a 404: stop on the total the server reports
            if len(tasks) >= pager.response.total or not items:
                return tasks
            page += 1

    def user_emails(self) -> dict[int, str]:
        return {u.id: u.email for u in self.call("list users", self.ls.users.list) if u.email}
