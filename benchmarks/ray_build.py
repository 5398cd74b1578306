"""The build through Ray (a distributed engine from PyPI) against the build's own process pool.

Prints figures; asserts nothing; never runs as a test. Ray is not a dependency of coopnum:

    .venv/bin/pip install ray==2.60.0
    .venv/bin/python benchmarks/ray_build.py --documents 10000

Both builds run the same per-chunk function (``coopnum.dataset.pipeline.ChunkStep``: clean, check, rows, counts)
over the same synthetic corpus (``scale.generate``); only the ordered map differs: forked
processes (``coopnum.util.executor.parallel_map``) or Ray actors (``ray.util.ActorPool``, local cluster, as many
CPUs as workers). The script checks that the two ``dataset/`` folders are byte-identical.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scale import generate


def ray_map(step: Callable[[object], object], items: Sequence[object], processes: int) -> Iterator[object]:
    """An ordered map over Ray actors: each actor receives the step once (as a forked worker inherits
    it) and runs it on the items it is given."""
    import ray
    from ray.util import ActorPool

    @ray.remote(num_cpus=1)
    class Worker:
        def __init__(self, step: Callable[[object], object]) -> None:
            self.step = step
            warm_up = getattr(step, "warm_up", None)
            if warm_up is not None:
                warm_up()

        def run(self, item: object) -> object:
            return self.step(item)

    pool = ActorPool([Worker.remote(step) for _ in range(processes)])  # type: ignore[attr-defined]
    yield from pool.map(lambda actor, item: actor.run.remote(item), items)


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.name != "manifest.json":  # the manifest holds this script's environment
            h.update(p.relative_to(folder).as_posix().encode() + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()

    import ray

    from coopnum.dataset.build import build

    with tempfile.TemporaryDirectory(prefix="coopnum-ray-") as tmp:
        ours, theirs = Path(tmp) / "pool", Path(tmp) / "ray"
        generate(args.documents, ours)
        shutil.copytree(ours, theirs)
        start = time.perf_counter()
        pool_result = build(ours, args.processes)
        pool_s = time.perf_counter() - start
        start = time.perf_counter()
        ray.init(num_cpus=args.processes, include_dashboard=False, log_to_driver=False)
        init_s = time.perf_counter() - start
        start = time.perf_counter()
        ray_result = build(theirs, args.processes, mapper=ray_map)
        ray_s = time.perf_counter() - start
        ray.shutdown()
        same = digest(ours / "dataset") == digest(theirs / "dataset")

    n = args.documents
    print(f"{n} documents, {args.processes} workers, Ray {ray.__version__}")
    print("| map | seconds | documents/s | documents pass | variation pass |")
    print("|---|---|---|---|---|")
    for name, secs, r in (
        ("forked processes (executor.parallel_map)", pool_s, pool_result),
        ("Ray actors", ray_s, ray_result),
    ):
        print(
            f"| {name} | {secs:.1f} | {n / secs:.0f} | {r.seconds['documents']:.1f} s | {r.seconds['variation']:.1f} s |"
        )
    print(f"Ray start-up (ray.init, not counted above): {init_s:.1f} s")
    print(f"dataset/ byte-identical: {same}")


if __name__ == "__main__":
    main()
