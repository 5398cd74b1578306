"""How a long library call says how far it is, without knowing who listens.

A :data:`Progress` is a plain callable ``progress(done, total, what)``: ``done`` items of ``what``
("documents", "pages") are finished out of ``total`` (``None`` when the total is not known). It is
called with ``done`` growing, from the main process only; the last call for a ``what`` has
``done == total`` when the total is known. The library never imports a terminal library: the
command line passes a callback that draws bars (``coopnum.cli.progress``), tests pass a list's
``append``, and the default, :func:`silent`, does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

Progress = Callable[[int, int | None, str], None]
T = TypeVar("T")


def silent(done: int, total: int | None, what: str) -> None:
    """The default :data:`Progress`: report nowhere."""


def track(items: Iterable[T], progress: Progress, what: str, total: int | None = None) -> Iterator[T]:
    """``items`` unchanged, calling ``progress`` once before the first (0 done) and after each one.
    ``total`` defaults to ``len(items)`` when ``items`` has a length."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    progress(0, total, what)
    for done, item in enumerate(items, 1):
        yield item
        progress(done, total, what)


class Counter:
    """A running count for work that finishes in batches (a chunk of documents): ``add(n)`` reports
    ``n`` more done."""

    def __init__(self, progress: Progress, what: str, total: int | None) -> None:
        self.progress, self.what, self.total, self.done = progress, what, total, 0
        progress(0, total, what)

    def add(self, n: int = 1) -> None:
        self.done += n
        self.progress(self.done, self.total, self.what)
