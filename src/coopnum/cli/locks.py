"""The checkout lock around the commands that write: one writer of a checkout at a time."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from coopnum.cli.app import err

P = ParamSpec("P")
R = TypeVar("R")


def say_waiting(holder: str) -> None:
    err.print(f"waiting for coopnum {holder} to release the lock", highlight=False, markup=False)


def writes_checkout(command: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Run the command holding the lock of the checkout at its ``root`` option (waiting for it if
    its ``wait`` option is set): a second writer stops with "another coopnum … (pid N) holds the
    lock". Put it below ``@reports_errors``, which turns that into one line."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            from coopnum.util.lock import checkout_lock

            root = Path(str(kwargs.get("root", ".")))
            with checkout_lock(root, command, wait=bool(kwargs.get("wait")), on_wait=say_waiting):
                return fn(*args, **kwargs)

        return wrapper

    return decorate
