"""The engines a build can run its steps on: the local process pool, or Ray (optional).

An engine is a :data:`~coopnum.util.executor.Mapper`: it maps a step over items and yields the
results in the order of the items. ``"local"`` is :func:`~coopnum.util.executor.parallel_map`
(forked processes on this machine); ``"ray"`` runs the same steps on Ray actors, on a local Ray
or on a cluster (``address``). Ray is imported only when that engine runs, so coopnum works
without it (``pip install 'coopnum[ray]'`` adds it).

Each actor is constructed once per step from a single copy of the step in Ray's object store
(the step holds the build's set-up, which is large), calls the step's ``warm_up`` (the spaCy
model), then receives only items. As in :func:`~coopnum.util.executor.parallel_map`, a few items
per actor are in flight and results are taken in order, so memory holds a bounded number of
results whatever the corpus size.
"""

from __future__ import annotations

import collections
import importlib
import os
import socket
from collections.abc import Iterator, Sequence
from typing import Any

from coopnum.errors import BuildError, CoopnumError
from coopnum.util.executor import IN_FLIGHT_PER_PROCESS, Mapper, Step, default_processes, parallel_map

ENGINES = ("local", "ray")
RAY_INSTALL_HINT = "pip install 'coopnum[ray]'"
CONNECT_TIMEOUT_S = 5.0  # an unreachable cluster is reported after this, not after Ray's minutes of retries
CLUSTER_HINT = (
    "on a cluster every node needs the same coopnum and reads the project folder and $TMPDIR at the same path"
)


class EngineUnavailable(CoopnumError):
    """The engine asked for cannot run here: unknown, not installed, or its cluster unreachable."""


def mapper_for(engine: str, address: str | None = None, processes: int | None = None) -> Mapper:
    """The ordered map for ``engine`` (one of :data:`ENGINES`).

    ``address`` (Ray only): a cluster to join (``ray://HOST:10001``, ``auto``, ``HOST:6379``);
    without one, a local Ray with ``processes`` CPUs (default: the ``processes`` the build passes,
    every core). Ray starts at the first step, not here. Raises :class:`EngineUnavailable` for an
    unknown engine, an address given to the local engine, or Ray not installed."""
    if engine == "local":
        if address is not None:
            raise EngineUnavailable("--address is for the ray engine; the local engine runs on this machine")
        return parallel_map
    if engine == "ray":
        _import_ray()  # fail now, before the build reads anything
        return RayMapper(address, processes)
    raise EngineUnavailable(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")


def close(mapper: Mapper) -> None:
    """Stop what ``mapper`` started (Ray's actors, and a Ray it started); nothing for the local pool.
    Call it when the build is done, in a ``finally``: the process's exit would do it too, later."""
    shutdown = getattr(mapper, "shutdown", None)
    if shutdown is not None:
        shutdown()


def _import_ray() -> Any:
    try:
        return importlib.import_module("ray")
    except ImportError:
        raise EngineUnavailable(f"the ray engine needs Ray, which is not installed: {RAY_INSTALL_HINT}") from None


class _Worker:
    """A Ray actor's class (made remote in :meth:`RayMapper.start`): runs the step it was last
    given, so one set of actors (processes, imports, the spaCy model) serves every step of a build."""

    def __init__(self, driver_cwd: str) -> None:
        # The build's paths may be relative to where coopnum runs (`coopnum build` in the project):
        # work from the same folder where this node has it (a cluster shares it at the same path).
        if os.path.isdir(driver_cwd):
            os.chdir(driver_cwd)
        self.step: Step | None = None

    def install(self, step: Step) -> None:
        self.step = step
        warm_up = getattr(step, "warm_up", None)
        if warm_up is not None:
            warm_up()

    def ready(self) -> bool:
        return True

    def run(self, item: Any) -> Any:
        assert self.step is not None, "install comes first: an actor runs its calls in order"
        return self.step(item)


class RayMapper:
    """A :data:`~coopnum.util.executor.Mapper` over Ray actors. It starts (or joins) Ray and its
    actors at its first call and keeps them for the build's next step; :meth:`shutdown` stops them
    and a Ray it started (the process's exit does too)."""

    def __init__(self, address: str | None, processes: int | None) -> None:
        self.address = address
        self.processes = processes
        self.actors: list[Any] = []
        self.started_ray = False

    def __call__(self, step: Step, items: Sequence[Any], processes: int) -> Iterator[Any]:
        if not items:
            return
        ray = _import_ray()
        self.start(processes)
        actors = self.actors[: len(items)]
        step_ref = ray.put(step)  # one copy in the object store, whatever the number of actors
        installed = [actor.install.remote(step_ref) for actor in actors]
        for ref in installed:
            _result(ray, ref)
        del step_ref
        yield from _ordered(ray, actors, items)

    def start(self, processes: int | None = None) -> int:
        """Start (or join) Ray and the actors, if not yet done, and wait until every actor is up;
        the number of actors. The first call does it; a benchmark calls it to time the start-up."""
        if self.actors:
            return len(self.actors)
        ray = _import_ray()
        if not ray.is_initialized():
            self._connect(ray, processes or default_processes())
        cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        # One actor per CPU Ray offers; on a cluster, no more than ``processes`` when it was given.
        workers = min(cpus, self.processes) if self.processes else cpus
        actor_class = ray.remote(num_cpus=1)(_Worker)
        actors = [actor_class.remote(os.getcwd()) for _ in range(workers)]
        for ref in [actor.ready.remote() for actor in actors]:
            _result(ray, ref)
        self.actors = actors
        return workers

    def _connect(self, ray: Any, processes: int) -> None:
        options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
        if self.address is None:  # a new local Ray, even where RAY_ADDRESS names a cluster ("auto" uses that)
            address = "local"
            options["num_cpus"] = self.processes or processes or default_processes()
        else:
            address = self.address
            _check_reachable(address)
        try:
            ray.init(address=address, **options)
        except (ConnectionError, TimeoutError, ValueError, RuntimeError, SystemExit) as error:
            # SystemExit: Ray exits when the GCS at HOST:PORT never answers
            where = self.address or "a local Ray"
            raise EngineUnavailable(f"cannot start or reach Ray at {where}: {_first_line(error)}") from None
        self.started_ray = True

    def shutdown(self) -> None:
        """Stop the actors, and Ray when this mapper started or joined it (a cluster stays up)."""
        if not self.actors and not self.started_ray:
            return
        ray = _import_ray()
        for actor in self.actors:
            ray.kill(actor)
        self.actors = []
        if self.started_ray:
            ray.shutdown()
            self.started_ray = False


def _check_reachable(address: str, timeout_s: float = CONNECT_TIMEOUT_S) -> None:
    """Fail in seconds, with one line, where Ray would retry an unreachable HOST:PORT for minutes."""
    if address == "auto":
        return  # Ray finds the cluster on this machine or in RAY_ADDRESS, and says so at once when none runs
    host_port = address.removeprefix("ray://")
    host, _, port = host_port.rpartition(":")
    if not host or not port.isdigit():
        raise EngineUnavailable(f"bad Ray address {address!r}: give ray://HOST:10001, HOST:6379 or auto")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout_s).close()
    except OSError as error:
        raise EngineUnavailable(f"cannot reach Ray at {address}: {error.strerror or error}") from None


def _ordered(ray: Any, actors: list[Any], items: Sequence[Any]) -> Iterator[Any]:
    """The results of the items in their order. Items go to the actors in turn; an actor runs its
    calls one after another, so a few queued per actor keep it busy while the consumer takes the
    results, and memory holds only those few."""
    pending: collections.deque[Any] = collections.deque()
    limit = IN_FLIGHT_PER_PROCESS * len(actors)
    for index, item in enumerate(items):
        pending.append(actors[index % len(actors)].run.remote(item))
        if len(pending) >= limit:
            yield _result(ray, pending.popleft())
    while pending:
        yield _result(ray, pending.popleft())


def _result(ray: Any, ref: Any) -> Any:
    """The value of one Ray call; what went wrong on the worker raised here as coopnum's errors."""
    try:
        return ray.get(ref)
    except ray.exceptions.RayTaskError as error:
        cause = error.cause
        if isinstance(cause, CoopnumError):  # bad input, reported as the local pool reports it
            raise cause from None
        raise BuildError(
            f"a step failed on a Ray worker ({type(cause).__name__}: {_first_line(cause)}); {CLUSTER_HINT}; "
            "nothing was written"
        ) from error
    except ray.exceptions.RayError as error:
        raise BuildError(
            f"a Ray worker stopped without returning its result ({type(error).__name__}: {_first_line(error)}); "
            "nothing was written"
        ) from error


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
