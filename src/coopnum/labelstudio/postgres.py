"""A PostgreSQL database for a team's Label Studio: Debian's ``postgresql`` package, a cluster of our own.

The cluster lives in a folder of ours (``.labelstudio/postgres`` for the team
server), listens on 127.0.0.1 only, on a port of its own, and is started and
stopped by ``pg_ctl`` (never the system's service). Its one role's password is
random, kept in ``password`` inside the cluster's folder (mode 600), and handed
to Label Studio through its environment only. PostgreSQL refuses to run as
root, so as root the cluster belongs to Debian's ``postgres`` user.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from coopnum.errors import CoopnumError

PG_ROOT = Path("/usr/lib/postgresql")
DB_NAME = "labelstudio"
DB_USER = "labelstudio"
SYSTEM_USER = "postgres"  # Debian's package creates it


class PostgresError(CoopnumError):
    """PostgreSQL cannot be installed, initialised, started or stopped."""


@dataclass(frozen=True)
class Database:
    folder: Path
    port: int
    password: str = field(repr=False)

    def django_env(self) -> dict[str, str]:
        """How Label Studio reaches it (its settings read DJANGO_DB and POSTGRE_*)."""
        return {
            "DJANGO_DB": "default",
            "POSTGRE_NAME": DB_NAME,
            "POSTGRE_USER": DB_USER,
            "POSTGRE_PASSWORD": self.password,
            "POSTGRE_HOST": "127.0.0.1",
            "POSTGRE_PORT": str(self.port),
        }


def bin_dir() -> Path:
    """The newest installed PostgreSQL's programs; installs Debian's package when missing and root."""
    found = _installed()
    if found is None and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "postgresql"]):
            subprocess.run(cmd, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        found = _installed()
    if found is None:
        raise PostgresError("PostgreSQL is not installed: sudo apt-get install postgresql")
    return found


def _installed() -> Path | None:
    versions = sorted((p for p in PG_ROOT.glob("*/bin") if (p / "pg_ctl").is_file()), key=lambda p: int(p.parent.name))
    return versions[-1] if versions else None


def _as_owner(cmd: list[str], folder: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` as the cluster's owner: ourselves, or Debian's postgres user when we are root."""
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", SYSTEM_USER, "--", *cmd]
    # pg_ctl start is always given -l: a server writing to our pipes would keep them open
    return subprocess.run(
        cmd, cwd=folder, text=True, capture_output=True, stdin=subprocess.DEVNULL, check=False, **kwargs
    )  # type: ignore[call-overload]


def _data(folder: Path) -> Path:
    return folder / "data"


def start(folder: Path, port: int, timeout: int = 120) -> Database:
    """Initialise the cluster in ``folder`` on first use, start it on ``127.0.0.1:port`` and return once it
    accepts connections (``pg_ctl -w``, which connects); an already running one is stopped first."""
    binaries = bin_dir()
    folder.mkdir(parents=True, exist_ok=True)
    password_file = folder / "password"
    if not (_data(folder) / "PG_VERSION").is_file():
        _init(binaries, folder, password_file)
    password = password_file.read_text(encoding="utf-8").strip()
    stop(folder)  # a cluster left running (or a stale pid after a crash, which pg_ctl clears)
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {folder}"
    r = _as_owner(
        [
            str(binaries / "pg_ctl"),
            "-D",
            str(_data(folder)),
            "-l",
            str(folder / "postgres.log"),
            "-w",
            "-t",
            str(timeout),
            "-o",
            options,
            "start",
        ],
        folder,
    )
    if r.returncode != 0:
        raise PostgresError(
            f"PostgreSQL did not start on port {port}: {r.stderr.strip()[-300:]}; see {folder}/postgres.log"
        )
    return Database(folder, port, password)


def _init(binaries: Path, folder: Path, password_file: Path) -> None:
    shutil.rmtree(_data(folder), ignore_errors=True)
    password_file.write_text(secrets.token_hex(20) + "\n", encoding="utf-8")
    password_file.chmod(0o600)
    if os.geteuid() == 0:
        owner = pwd.getpwnam(SYSTEM_USER)
        for p in (folder, password_file):
            os.chown(p, owner.pw_uid, owner.pw_gid)
    folder.chmod(0o700)
    r = _as_owner(
        [
            str(binaries / "initdb"),
            "-D",
            str(_data(folder)),
            "-U",
            DB_USER,
            "--pwfile",
            str(password_file),
            "--auth-local=scram-sha-256",
            "--auth-host=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        folder,
    )
    if r.returncode != 0:
        raise PostgresError(f"initdb failed in {folder}: {r.stderr.strip()[-300:]}")
    # the database Label Studio uses: created once, on the unix socket in the folder
    port = 5432 + secrets.randbelow(1000) + 20000
    options = f"-p {port} -c listen_addresses= -k {folder}"
    steps = [
        [
            str(binaries / "pg_ctl"),
            "-D",
            str(_data(folder)),
            "-l",
            str(folder / "postgres.log"),
            "-w",
            "-o",
            options,
            "start",
        ],
        [str(binaries / "createdb"), "-h", str(folder), "-p", str(port), "-U", DB_USER, DB_NAME],
        [str(binaries / "pg_ctl"), "-D", str(_data(folder)), "-w", "-m", "fast", "stop"],
    ]
    env = {**os.environ, "PGPASSWORD": password_file.read_text(encoding="utf-8").strip()}
    for cmd in steps:
        r = _as_owner(cmd, folder, env=env)
        if r.returncode != 0:
            raise PostgresError(f"cannot create the {DB_NAME} database: {r.stderr.strip()[-300:]}")


def stop(folder: Path) -> bool:
    """Stop the cluster in ``folder`` (fast shutdown); False when it was not running."""
    binaries = _installed()
    if binaries is None or not (_data(folder) / "postmaster.pid").is_file():
        return False
    r = _as_owner([str(binaries / "pg_ctl"), "-D", str(_data(folder)), "-w", "-m", "fast", "stop"], folder)
    return r.returncode == 0
