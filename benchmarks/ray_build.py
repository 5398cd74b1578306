"""The build on each engine (``coopnum build --engine local|ray``) over one synthetic corpus.

Prints figures; asserts nothing; never runs as a test. Ray is the optional extra:

    .venv/bin/pip install -c constraints.txt -e '.[ray]'
    .venv/bin/python benchmarks/ray_build.py --documents 10000
    .venv/bin/python benchmarks/ray_build.py --documents 10000 --address ray://HEAD:10001   # a cluster

Both builds run the same steps (``coopnum.dataset.pipeline.ChunkStep``, then ``VariationStep``) over
copies of the same corpus (``scale.generate``); only the engine differs, as ``coopnum.util.engines.mapper_for``
gives it: forked processes (``local``) or Ray actors (``ray``: a local Ray with ``--processes`` CPUs, or the
cluster at ``--address``; there the project folder must be at the same path on every node, see
``benchmarks/SCALING.md``). Ray's start-up (``ray.init`` and its actors' processes) is timed apart from the
build. The script says whether the two ``dataset/`` folders are byte-identical.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scale import generate


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode() + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--address", default=None, help="a Ray cluster (ray://HOST:10001, auto); default: a local Ray")
    parser.add_argument("--first", choices=("local", "ray"), default="local", help="which engine builds first")
    parser.add_argument("--folder", type=Path, default=None, help="where to generate the corpora (default: a temp dir)")
    args = parser.parse_args()

    import ray

    from coopnum.dataset.build import BuildResult, build
    from coopnum.util import engines

    load_before = os.getloadavg()[0]  # the machine may be shared: the figures mean little under load
    with tempfile.TemporaryDirectory(prefix="coopnum-ray-", dir=args.folder) as tmp:
        local_root, ray_root = Path(tmp) / "local", Path(tmp) / "ray"
        generate(args.documents, local_root)
        shutil.copytree(local_root, ray_root)

        timings: dict[str, tuple[float, BuildResult]] = {}
        for engine in sorted(("local", "ray"), key=lambda e: e != args.first):
            root = local_root if engine == "local" else ray_root
            if engine == "local":
                start = time.perf_counter()
                result = build(root, args.processes, mapper=engines.mapper_for("local"))
                timings[engine] = (time.perf_counter() - start, result)
                continue
            mapper = engines.mapper_for("ray", address=args.address, processes=args.processes)
            assert isinstance(mapper, engines.RayMapper)
            try:
                start = time.perf_counter()
                actors = mapper.start(args.processes)  # Ray and its actors, which the build reuses
                startup_s = time.perf_counter() - start
                start = time.perf_counter()
                result = build(root, args.processes, mapper=mapper)
                timings[engine] = (time.perf_counter() - start, result)
            finally:
                engines.close(mapper)
        same = digest(local_root / "dataset") == digest(ray_root / "dataset")

    n = args.documents
    where = args.address or f"a local Ray with {args.processes} CPUs"
    print(
        f"{n} documents, {args.first} first; local: {args.processes} forked processes; ray: {actors} actors on {where}; Ray {ray.__version__}"
    )
    print("| engine | seconds | documents/s | documents pass | variation pass |")
    print("|---|---|---|---|---|")
    for engine, name in (("local", "local (forked processes)"), ("ray", "ray (actors)")):
        secs, r = timings[engine]
        print(
            f"| {name} | {secs:.1f} | {n / secs:.0f} | {r.seconds['documents']:.1f} s | {r.seconds['variation']:.1f} s |"
        )
    print(f"Ray start-up (ray.init and the actors' processes, not counted above): {startup_s:.1f} s")
    print(f"peak RSS of this process (the driver): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print(f"dataset/ byte-identical (manifest included): {same}")
    print(f"load average (1 min) before / after: {load_before:.1f} / {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
