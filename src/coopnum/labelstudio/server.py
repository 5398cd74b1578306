"""A headless Label Studio server on 127.0.0.1: start, wait until healthy, stop by pid.

Label Studio runs from its own virtual environment (``.labelstudio/venv``,
installed by ``scripts/labelstudio install``: its pins clash with the project's
``pyarrow``), as a subprocess with a scrubbed environment. Its data directory
(SQLite database, media, ``.env`` with the Django secret) is a git-ignored
folder. The admin account and its API token come from environment variables and
are handed to Label Studio through its own environment only: never written to a
file of ours, a log line or a message.

A fresh data directory starts from a cached, already migrated database (the
template, one per Label Studio version): start-up takes seconds instead of the
half-minute the migrations take.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from coopnum.errors import CoopnumError
from coopnum.labelstudio import postgres
from coopnum.util import secrets

LS_VERSION = "1.23.2"
HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DB_FILES = ("label_studio.sqlite3", ".env")
PID_FILE = "server.json"
LOG_FILE = "server.log"
PG_FOLDER = "postgres"  # the team server's PostgreSQL cluster, under .labelstudio/

# Label Studio reads settings as LABEL_STUDIO_X, HEARTEX_X, then bare X: stray
# variables with these names would change the server, so they never reach it.
_STRAY = ("PORT", "HOST", "USERNAME", "PASSWORD", "USER_TOKEN", "DEBUG", "DATA_DIR", "BASE_DATA_DIR")
_QUIET = {
    # no outbound calls (version check, Sentry, analytics) and a short log
    "SENTRY_DSN": "",
    "FRONTEND_SENTRY_DSN": "",
    "COLLECT_ANALYTICS": "false",
    "LATEST_VERSION_CHECK": "false",
    "LOG_LEVEL": "WARNING",
}


class ServerError(CoopnumError):
    """The Label Studio server cannot be installed, started, reached or stopped."""


@dataclass(frozen=True)
class Admin:
    """The admin account Label Studio creates on first start. ``repr`` hides the secrets."""

    email: str
    password: str
    token: str

    def __repr__(self) -> str:
        return f"Admin(email={self.email!r}, password=***, token=***)"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Admin:
        env = dict(os.environ if env is None else env)
        for secret in ("COOPNUM_LS_ADMIN_PASSWORD", "COOPNUM_LS_TOKEN"):  # stripped, or refused unshown
            env[secret] = secrets.read_secret(secret, env) or ""
        names = ("COOPNUM_LS_ADMIN_EMAIL", "COOPNUM_LS_ADMIN_PASSWORD", "COOPNUM_LS_TOKEN")
        missing = [n for n in names if not env.get(n)]
        if missing:
            raise ServerError(f"set the environment variable(s) {', '.join(missing)} (see README, Label Studio)")
        token = env["COOPNUM_LS_TOKEN"]
        if len(token) < 16 or not token.isalnum():
            # Label Studio ignores a token of 5 characters or fewer; short ones are guessable
            raise ServerError(
                "COOPNUM_LS_TOKEN must be at least 16 letters or digits (e.g. from: openssl rand -hex 20)"
            )
        return cls(env["COOPNUM_LS_ADMIN_EMAIL"], env["COOPNUM_LS_ADMIN_PASSWORD"], token)


@dataclass(frozen=True)
class Server:
    pid: int
    port: int
    data_dir: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"


def executable(ls_dir: Path) -> Path:
    exe = ls_dir.resolve() / "venv" / "bin" / "label-studio"  # absolute: the server runs in its data dir
    if not exe.is_file():
        raise ServerError(f"Label Studio is not installed in {exe.parent.parent}: run bash scripts/labelstudio install")
    return exe


def server_env(data_dir: Path, admin: Admin | None, database: dict[str, str] | None = None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LABEL_STUDIO_", "HEARTEX_", "DJANGO_", "COOPNUM_")) and k not in _STRAY
    }
    env.update(_QUIET)
    env["HOME"] = str(data_dir)  # whatever Label Studio writes under ~ stays in its data dir
    env["LABEL_STUDIO_BASE_DATA_DIR"] = str(data_dir)
    env["LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN"] = "true"  # read when the organisation is created
    if admin is not None:
        env["LABEL_STUDIO_USERNAME"] = admin.email
        env["LABEL_STUDIO_PASSWORD"] = admin.password
        env["LABEL_STUDIO_USER_TOKEN"] = admin.token
    env.update(database or {})  # PostgreSQL instead of the SQLite file (DJANGO_DB, POSTGRE_*)
    return env


def template(ls_dir: Path) -> Path:
    """A migrated database with no user, cached per Label Studio version (≈30 s the first time)."""
    folder = ls_dir / f"template-{LS_VERSION}"
    if all((folder / f).is_file() for f in DB_FILES):
        return folder
    exe = executable(ls_dir)
    tmp = Path(tempfile.mkdtemp(prefix=".template-", dir=ls_dir))
    try:
        # `init` migrates, then asks for an admin on stdin: no stdin ends it there, as intended.
        subprocess.run(
            [str(exe), "init", "--no-browser"],
            env=server_env(tmp, None),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=600,
            check=False,
        )
        if not all((tmp / f).is_file() for f in DB_FILES):
            raise ServerError(f"label-studio init did not create {', '.join(DB_FILES)} in {tmp}")
        for f in DB_FILES:
            (tmp / f).chmod(0o600)
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        os.rename(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


def prepare_data_dir(ls_dir: Path, data_dir: Path) -> None:
    """A new data dir gets a copy of the template; an existing one is kept as it is."""
    if (data_dir / DB_FILES[0]).is_file():
        return
    source = template(ls_dir)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    for f in DB_FILES:
        shutil.copy2(source / f, data_dir / f)


def port_is_free(port: int) -> bool:
    """Whether nothing accepts connections on ``HOST:port`` (what Label Studio itself checks).

    A connect, not a bind: after a stop or a crash the port holds closed connections (TIME_WAIT)
    for up to a minute, which refuse a plain bind but not Label Studio's server (it reuses the address).
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(2.0)
        return s.connect_ex((HOST, port)) != 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as r:
            return json.loads(r.read()).get("status") == "UP"
    except (OSError, ValueError, urllib.error.URLError):
        return False


def start(
    ls_dir: Path,
    data_dir: Path,
    port: int,
    admin: Admin,
    log: Path,
    timeout: float = 120,
    database: dict[str, str] | None = None,
) -> Server:
    """Start Label Studio on ``127.0.0.1:port`` and return once ``/health`` answers there.

    ``database``: the environment that points it at PostgreSQL (:meth:`postgres.Database.django_env`);
    without it, SQLite in ``data_dir``, copied from the migrated template when new.
    """
    exe = executable(ls_dir)
    if not port_is_free(port):
        # Label Studio would silently move to the next free port: refuse instead.
        raise ServerError(f"port {port} on {HOST} is busy: stop what uses it or choose another port")
    data_dir = data_dir.resolve()
    if database is None:
        prepare_data_dir(ls_dir, data_dir)
    else:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)  # .env (the secret key) only: the data is in PostgreSQL
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as log_file:
        proc = subprocess.Popen(
            [str(exe), "start", "--no-browser", "--internal-host", HOST, "--port", str(port)],
            env=server_env(data_dir, admin, database),
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            cwd=data_dir,
            start_new_session=True,  # its own process group: stopped as a whole, deaf to our Ctrl-C
        )
    server = Server(proc.pid, port, data_dir)
    deadline = time.monotonic() + timeout
    while not healthy(server.url, timeout=1.0):
        if proc.poll() is not None:
            raise ServerError(f"Label Studio exited with code {proc.returncode} while starting; see {log}")
        if time.monotonic() > deadline:
            stop(server.pid)
            raise ServerError(f"Label Studio did not answer on {server.url}/health within {timeout:.0f} s; see {log}")
        time.sleep(0.2)
    return server


def is_label_studio(pid: int) -> bool:
    """Whether ``pid`` is a running Label Studio server (so a recycled pid is never signalled)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return any(part.endswith(b"label-studio") for part in cmdline[:2]) and b"start" in cmdline


def stop(pid: int, timeout: float = 15) -> bool:
    """Stop the server started as ``pid`` (SIGTERM, then SIGKILL); False if it was not running."""
    if not is_label_studio(pid):
        return False
    # SIGTERM stops it in about a second; SIGINT is ignored by a process in the background.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    for _ in range(50):
        if not _alive(pid):
            break
        time.sleep(0.1)
    return True


def _alive(pid: int) -> bool:
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)  # reap our own child
        if waited == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie of someone else's is gone for our purpose, but only once every thread is: the leader
    # of a threaded server shows "Z" while its other threads still hold the listening socket, and a
    # restart at once then found the port taken.
    return any(_thread_running(t) for t in Path(f"/proc/{pid}/task").glob("*"))


def _thread_running(task: Path) -> bool:
    try:
        return (task / "stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


# ------------------------------------------------------------------ the annotators' server (`coopnum ls serve`)


def read_pid_file(ls_dir: Path) -> Server | None:
    try:
        record = json.loads((ls_dir / PID_FILE).read_text(encoding="utf-8"))
        return Server(int(record["pid"]), int(record["port"]), Path(record["data_dir"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def serve(ls_dir: Path, port: int, admin: Admin, *, use_postgres: bool = False) -> Server:
    """Start the persistent server in the background; refuse a second one.

    SQLite in ``ls_dir/data`` by default; with ``use_postgres``, a PostgreSQL cluster in
    ``ls_dir/postgres`` (started here, stopped by :func:`shutdown`) and Label Studio's
    own files in ``ls_dir/data-postgres``. A stop or a crash leaves nothing that blocks a restart.
    """
    running = read_pid_file(ls_dir)
    if running is not None and is_label_studio(running.pid):
        state = "and healthy" if healthy(running.url) else "but not answering"
        raise ServerError(f"Label Studio is already running at {running.url} (pid {running.pid}) {state}")
    database = None
    if use_postgres:
        database = postgres.start(ls_dir / PG_FOLDER, free_port())
    try:
        data_dir = ls_dir / ("data-postgres" if database else "data")
        env = database.django_env() if database else None
        server = start(ls_dir, data_dir, port, admin, ls_dir / LOG_FILE, timeout=300, database=env)
    except BaseException:
        if database is not None:
            postgres.stop(database.folder)
        raise
    record = {"pid": server.pid, "port": server.port, "data_dir": str(server.data_dir), "postgres": use_postgres}
    (ls_dir / PID_FILE).write_text(json.dumps(record) + "\n", encoding="utf-8")
    return server


def shutdown(ls_dir: Path) -> Server | None:
    """Stop the server :func:`serve` started (and its PostgreSQL); None when none was running."""
    running = read_pid_file(ls_dir)
    (ls_dir / PID_FILE).unlink(missing_ok=True)
    stopped = running is not None and stop(running.pid)
    postgres.stop(ls_dir / PG_FOLDER)
    return running if stopped else None
