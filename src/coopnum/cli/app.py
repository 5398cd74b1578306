"""What every command shares: the Typer app, the consoles, the exit codes, the common options and the
decorator that turns a :class:`~coopnum.errors.CoopnumError` into a one-line message and a non-zero exit."""

from __future__ import annotations

import errno
import functools
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console

from coopnum.errors import CoopnumError
from coopnum.util import secrets

app = typer.Typer(
    name="coopnum",
    help="Build, check and inspect the coopnum dataset.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")
EXIT_INPUT = 2  # bad input or stale outputs
EXIT_STALE = 1
EXIT_OS = 3  # the system refused: disk full, read-only or forbidden folder, missing path
EXIT_BUG = 70  # an error coopnum has no message for (sysexits EX_SOFTWARE): a bug to report
DEBUG_ENV = "COOPNUM_DEBUG"  # set to 1: every error shows its traceback, as --debug does

RootOption = Annotated[Path, typer.Option("--root", help="Repository root holding corpus/, annotations/, dataset/.")]
ProcessesOption = Annotated[
    int | None, typer.Option("--processes", min=1, help="Worker processes (default: one per core); same output.")
]
MAX_TABLE_ROWS = 50  # a per-document table longer than this is not read: totals instead
WaitOption = Annotated[
    bool,
    typer.Option(
        "--wait", help="If another coopnum command is writing this checkout, wait for it instead of stopping."
    ),
]


_debug = False  # set by the global --debug option


@app.callback()
def options(
    debug: Annotated[
        bool, typer.Option("--debug", help=f"Show the traceback of an error (also {DEBUG_ENV}=1).")
    ] = False,
) -> None:
    """Build, check and inspect the coopnum dataset."""
    global _debug
    _debug = debug


def debugging() -> bool:
    return _debug or os.environ.get(DEBUG_ENV, "").strip() not in ("", "0")


_OS_HINTS = {  # where the system's own words leave a person guessing
    errno.EEXIST: "something of that name is in the way",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder, not a file",
    errno.EDQUOT: "the disk quota is used up",
}


def os_error_line(e: OSError) -> str:
    """One line for an error of the operating system, naming the path(s) when the error knows them."""
    reason = e.strerror or str(e) or type(e).__name__
    hint = _OS_HINTS.get(e.errno) if e.errno is not None else None
    paths = [str(p) for p in (e.filename, e.filename2) if p is not None]
    if paths:
        return f"{reason}{f' ({hint})' if hint else ''} [file={', '.join(paths)}]"
    # Writes to an open file (disk full half-way through) do not know their path.
    where = f"; it may be TMPDIR ({tempfile.gettempdir()})" if e.errno in (errno.ENOSPC, errno.EDQUOT) else ""
    return f"{reason}: the system did not say on which file{where}; --debug shows where [file=unknown]"


def error_line(e: Exception) -> tuple[str, int]:
    """What a command prints for ``e`` (one line, no traceback) and its exit code."""
    if isinstance(e, CoopnumError):
        return str(e), EXIT_INPUT
    if isinstance(e, OSError):
        return os_error_line(e), EXIT_OS
    if isinstance(e, UnicodeError):  # text coopnum decoded outside its readers (which name the file)
        return f"cannot decode or encode text: {e}; --debug shows where [file=unknown]", EXIT_INPUT
    if isinstance(e, MemoryError):
        return "out of memory; --debug shows where", EXIT_OS
    return f"internal error {type(e).__name__}: {e} (a bug in coopnum; --debug shows the traceback)", EXIT_BUG


def reports_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """The one top-level handler: every error becomes one line on stderr and a non-zero exit; never a
    traceback unless asked for with --debug (or COOPNUM_DEBUG=1)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as e:
            if debugging():
                raise
            line, code = error_line(e)
            # plain: the message holds [brackets] rich would eat; redacted: it may quote a server's answer
            typer.echo(f"error: {secrets.redact(' '.join(line.splitlines()))}", err=True)
            raise typer.Exit(code) from None

    return wrapper
