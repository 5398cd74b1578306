"""What every command shares: the Typer app, the consoles, the exit codes, the common options and the
decorator that turns a :class:`~coopnum.errors.CoopnumError` into a one-line message and a non-zero exit."""

from __future__ import annotations

import errno
import functools
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console

from coopnum.errors import CoopnumError
from coopnum.util import secrets

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}  # -h on every command (sub-apps pass it too)
EXIT_CODES_EPILOG = (
    "Exit codes: 0 done; 1 a check failed or dataset/ is stale; 2 usage error (unknown option, bad value); "
    "3 bad input data or state (the message names file, document, annotation, field); 4 the system refused "
    "(disk full, read-only, permission, missing path, out of memory); 75 another coopnum command holds the "
    "checkout lock (try again, or --wait); 70 internal error (a bug to report)."
)
app = typer.Typer(
    name="coopnum",
    help="Build, check and inspect the coopnum dataset.",
    epilog=EXIT_CODES_EPILOG,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings=HELP_OPTIONS,
)
out = Console()
err = Console(stderr=True)
STDOUT = Path("-")  # `--json -` / `--report -`: the JSON document on stdout, the tables on stderr


def human(json_out: Path | None) -> Console:
    """Where a reporting command prints for people: stderr when its JSON goes to stdout, so that
    stdout holds the JSON document alone (``coopnum evaluate ... --json - | jq``)."""
    return err if json_out == STDOUT else out


def write_json(path: Path | None, text: str) -> None:
    """Write a command's JSON document to ``path``, or to stdout for ``-``."""
    if path is None:
        return
    if path == STDOUT:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


P = ParamSpec("P")
R = TypeVar("R")
# The exit codes (README "Exit codes", `coopnum --help`): usage errors keep Click's 2.
EXIT_STALE = 1  # a check failed, or dataset/ is out of date
EXIT_USAGE = 2  # Click's own: an unknown option, a missing or invalid value
EXIT_INPUT = 3  # bad input data or state: a CoopnumError, naming file, document, annotation and field
EXIT_OS = 4  # the system refused: disk full, read-only or forbidden folder, missing path, out of memory
EXIT_BUG = 70  # an error coopnum has no message for (sysexits EX_SOFTWARE): a bug to report
EXIT_BUSY = 75  # another coopnum command holds the checkout lock (sysexits EX_TEMPFAIL): try again
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


QuietOption = Annotated[
    bool,
    typer.Option(
        "--quiet", "-q", help="No progress bars (drawn on stderr only when it is a terminal, never into a pipe)."
    ),
]

_debug = False  # set by the global --debug option


def version_line() -> str:
    """``coopnum X.Y.Z`` (the package and dataset release version, one value: ``coopnum.__version__``),
    with the label schema's version when it differs."""
    import coopnum
    from coopnum import schema

    line = f"coopnum {coopnum.__version__}"
    return line if coopnum.__version__ == schema.SCHEMA_VERSION else f"{line} (label schema {schema.SCHEMA_VERSION})"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(version_line())
        raise typer.Exit()


@app.callback()
def options(
    debug: Annotated[
        bool, typer.Option("--debug", help=f"Show the traceback of an error (also {DEBUG_ENV}=1).")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version of coopnum and exit."
        ),
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
    from coopnum.util.lock import LockHeld

    if isinstance(e, LockHeld):
        return str(e), EXIT_BUSY
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
