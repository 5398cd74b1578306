"""Where per-item work runs: in this process, or over forked worker processes.

The seam between a pipeline step and its executor (as in datatrove): a *step* is a callable
object that holds everything it needs (set up once, in the main process); an executor maps it
over items and gives the results back in the order of the items. :func:`parallel_map` forks
its workers after the step exists, so each worker inherits the step instead of receiving a
pickled copy with every item. Any other executor with the same signature (:data:`Mapper`) —
a Ray actor pool, for instance — can run the same steps.
"""

from __future__ import annotations

import collections
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from coopnum.errors import BuildError

IN_FLIGHT_PER_PROCESS = 3  # items submitted ahead of the one the main process is waiting for

Step = Callable[[Any], Any]
Mapper = Callable[[Step, Sequence[Any], int], Iterator[Any]]

# The step a forked worker runs: set once per worker process by the pool's initializer (never in
# the main process), so a task carries only its item.
_worker_step: Step | None = None


def default_processes() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _install(step: Step) -> None:
    global _worker_step
    _worker_step = step


def _run(item: Any) -> Any:
    assert _worker_step is not None, "a worker runs only after the pool's initializer"
    return _worker_step(item)


def parallel_map(step: Step, items: Sequence[Any], processes: int) -> Iterator[Any]:
    """``map(step, items)`` over forked worker processes, results in the order of ``items`` (in
    this process when one is asked for or there is one item). A step with a ``warm_up`` method has
    it called here first, so what it loads (a spaCy model) is shared with the workers."""
    if processes <= 1 or len(items) <= 1:
        yield from map(step, items)
        return
    warm_up = getattr(step, "warm_up", None)
    if warm_up is not None:
        warm_up()
    gc.freeze()  # what exists now is shared with the workers: keep their collectors off those pages
    workers = min(processes, len(items))
    # A process pool that reports a worker killed (out of memory, a signal) as BrokenProcessPool,
    # where multiprocessing.Pool would wait for its result for ever. With fork, the initializer's
    # arguments are inherited, not pickled.
    executor = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("fork"), initializer=_install, initargs=(step,)
    )
    try:
        # A few tasks ahead per worker, not all of them: results wait here only as long as the
        # consumer takes, so memory holds a few items whatever the corpus size.
        pending: collections.deque[Future[Any]] = collections.deque()
        for item in items:
            pending.append(executor.submit(_run, item))
            if len(pending) >= IN_FLIGHT_PER_PROCESS * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BrokenProcessPool:
        raise BuildError(
            "a worker process stopped without returning its result (killed, perhaps for lack of memory: "
            "try --processes 1); nothing was written"
        ) from None
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()
