"""Progress bars for the long commands: a :data:`coopnum.util.progress.Progress` callback that draws
one rich bar per kind of item on stderr, only when stderr is a terminal and ``--quiet`` is not given."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as Bars

from coopnum.cli.app import err
from coopnum.util.progress import Progress, silent


def drawn(console: Console, quiet: bool) -> bool:
    """Bars are drawn on a terminal only: never into a pipe, a file or a dumb terminal, never with --quiet."""
    return not quiet and console.is_terminal and not console.is_dumb_terminal


@contextmanager
def bars(quiet: bool = False, console: Console | None = None) -> Iterator[Progress]:
    """A callback drawing bars while the ``with`` block runs (``silent`` when they are not drawn).
    No refresh thread: the bars are redrawn at each report, so forked workers inherit no thread."""
    console = console or err
    if not drawn(console, quiet):
        yield silent
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Bars(*columns, TimeElapsedColumn(), console=console, auto_refresh=False, transient=True) as shown:
        tasks: dict[str, TaskID] = {}

        def report(done: int, total: int | None, what: str) -> None:
            if what not in tasks:
                tasks[what] = shown.add_task(what, total=total)
            shown.update(tasks[what], completed=done, total=total, refresh=True)

        yield report
