"""What every command shares: the Typer app, the consoles, the exit codes, the common options and the
decorator that turns a :class:`~coopnum.errors.CoopnumError` into a one-line message and a non-zero exit."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console

from coopnum.errors import CoopnumError

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

RootOption = Annotated[Path, typer.Option("--root", help="Repository root holding corpus/, annotations/, dataset/.")]
ProcessesOption = Annotated[
    int | None, typer.Option("--processes", min=1, help="Worker processes (default: one per core); same output.")
]
MAX_TABLE_ROWS = 50  # a per-document table longer than this is not read: totals instead


def reports_errors(fn: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except CoopnumError as e:
            typer.echo(f"error: {e}", err=True)  # plain: the message holds [brackets] rich would eat
            raise typer.Exit(EXIT_INPUT) from None

    return wrapper
