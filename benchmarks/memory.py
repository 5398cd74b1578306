"""Memory benchmark: what the build's main process holds per document, and where it was allocated.

Prints figures; asserts nothing; never runs as a test.

    .venv/bin/python benchmarks/memory.py                                   # 2k and 10k, peaks and trace
    .venv/bin/python benchmarks/memory.py --sizes 2000 10000 30000 --trace-sizes 2000 10000
    .venv/bin/python benchmarks/memory.py --sizes 2000 10000 --cache        # with the build cache on

Corpora come from ``benchmarks.scale.generate(n, out)``. Each size is built (a full build, the build
cache bypassed unless ``--cache``) in a fresh process with its default workers (every core), twice:

* a *peak* run, untraced: the main process's peak resident set (``VmHWM``), its resident and
  proportional set sizes (PSS: a page shared with the forked workers counts for its share) when the
  documents pass ends, and the largest PSS of the main process and of all processes together,
  sampled every 0.25 s from outside;
* a *trace* run (the sizes of ``--trace-sizes``), with :mod:`tracemalloc` on in the main process only
  (a forked worker turns it off): what was allocated since the build started and is still alive when
  the documents pass ends, by allocation site, with the innermost coopnum frame that led there.

The growth per document is the difference between two sizes divided by the difference in documents;
``peak = base + growth × n`` extrapolates it. The machine is shared: compare figures of one run.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIB = 1 << 20
TOP_SITES = 15
SAMPLE_SECONDS = 0.25


# ------------------------------------------------------------------ the child: one build


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _own_pss_kib() -> int:
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def _site(trace: object, package: str) -> str:
    """An allocation's innermost frame, and the innermost frame in coopnum's code that led to it."""
    frames = list(reversed(trace))  # a tracemalloc.Traceback runs from the oldest frame to the newest
    inner = frames[0]
    own = next((f for f in frames if f.filename.startswith(package)), None)

    def short(f: object) -> str:
        name = f.filename  # type: ignore[attr-defined]
        for prefix in (package, sys.prefix, sys.base_prefix):
            if name.startswith(prefix):
                name = name[len(prefix) :].lstrip("/")
                break
        return f"{name}:{f.lineno}"  # type: ignore[attr-defined]

    if own is None or own is inner:
        return short(inner)
    return f"{short(inner)} <- {short(own)}"


def child(root: Path, trace: bool, use_cache: bool) -> None:
    """Build ``root`` and print one JSON line of figures (run by the parent in a fresh process)."""
    import tracemalloc

    import pyarrow as pa

    import coopnum
    from coopnum.dataset import run as run_module
    from coopnum.dataset.build import build
    from coopnum.text import align

    package = str(Path(coopnum.__file__).parent.parent)
    align.french()  # loaded before the measure: the build loads it once too, whatever the size
    figures: dict[str, object] = {"documents_pass_start": {}, "documents_pass_end": {}, "coopnum": package}
    if trace:
        os.register_at_fork(after_in_child=tracemalloc.stop)  # the workers are not measured
        tracemalloc.start(12)
    baseline = tracemalloc.take_snapshot() if trace else None
    variation_pass = run_module._variation_pass

    def at_documents_pass_end(*args: object, **kwargs: object) -> object:
        end: dict[str, object] = {
            "rss_kib": _status_kib("VmRSS"),
            "hwm_kib": _status_kib("VmHWM"),
            "pss_kib": _own_pss_kib(),
            "arrow_bytes": pa.total_allocated_bytes(),
        }
        if baseline is not None:
            snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
            by_site: dict[str, list[int]] = {}
            for diff in snapshot.compare_to(baseline, "traceback"):
                site = _site(diff.traceback, package)
                sums = by_site.setdefault(site, [0, 0])
                sums[0] += diff.size_diff
                sums[1] += diff.count_diff
            tracemalloc.stop()  # the rest of the build is not measured: tracing would only slow it
            end["traced_bytes"] = sum(size for size, _ in by_site.values())
            end["sites"] = by_site
        figures["documents_pass_end"] = end
        return variation_pass(*args, **kwargs)  # type: ignore[arg-type]

    first_pass = run_module._first_pass

    def at_documents_pass_start(*args: object, **kwargs: object) -> object:
        # the set-up is done: inputs hashed, records read, the corpus pass (recurring lines) over
        figures["documents_pass_start"] = {"rss_kib": _status_kib("VmRSS"), "hwm_kib": _status_kib("VmHWM")}
        return first_pass(*args, **kwargs)  # type: ignore[arg-type]

    run_module._first_pass = at_documents_pass_start  # type: ignore[assignment]
    run_module._variation_pass = at_documents_pass_end  # type: ignore[assignment]
    started = time.perf_counter()
    build(root, use_cache=use_cache, cache_dir=root / ".coopnum-cache")
    figures["seconds"] = time.perf_counter() - started
    figures["vm_hwm_kib"] = _status_kib("VmHWM")
    print(json.dumps(figures))


# ------------------------------------------------------------------ the parent


def _tree(pid: int) -> list[int]:
    from benchmarks.scale import _tree as tree  # the same /proc walk as the scale benchmark

    return tree(pid)


def _pss_kib(pids: list[int]) -> int:
    from benchmarks.scale import _pss_mib

    return round(_pss_mib(pids) * 1024)


def measure(root: Path, trace: bool, use_cache: bool) -> dict:
    """One build of ``root`` in a fresh process: the child's figures, and the sampled peaks."""
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, __file__, "--child", str(root)] + (["--trace"] if trace else [])
    proc = subprocess.Popen(
        command + (["--cache"] if use_cache else []), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    main_peak = all_peak = 0
    while proc.poll() is None:  # reading smaps_rollup walks the page tables: not too often
        by_process = {p: _pss_kib([p]) for p in _tree(proc.pid)}
        main_peak = max(main_peak, by_process.get(proc.pid, 0))
        all_peak = max(all_peak, sum(by_process.values()))
        time.sleep(SAMPLE_SECONDS)
    out, err = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"the build of {root} failed:\n{err[-3000:]}")
    figures: dict = json.loads(out.strip().splitlines()[-1])
    figures["main_pss_peak_kib"] = main_peak
    figures["all_pss_peak_kib"] = all_peak
    return figures


def _per_doc(small: tuple[int, float], large: tuple[int, float]) -> float:
    """Bytes per document between two (documents, KiB) points."""
    return (large[1] - small[1]) * 1024 / (large[0] - small[0])


def _extrapolate(label: str, points: list[tuple[int, float]]) -> None:
    """``peak = base + growth × n`` from the two largest sizes, at 100k and 1M documents."""
    (n1, a), (n2, b) = points[-2], points[-1]
    growth = _per_doc((n1, a), (n2, b))
    base = a * 1024 - growth * n1
    at = ", ".join(f"{n:,} docs {(base + growth * n) / MIB:,.0f} MiB" for n in (100_000, 1_000_000))
    print(f"{label}: {growth:,.0f} bytes per document ({n1}→{n2}), base {base / MIB:,.0f} MiB → {at}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--trace-sizes", type=int, nargs="*", default=None, help="default: the same as --sizes")
    parser.add_argument("--cache", action="store_true", help="build with the cache (a cold one) instead of without")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, args.trace, args.cache)
        return
    sys.path.insert(0, str(ROOT))
    from benchmarks.scale import generate

    sizes = sorted(set(args.sizes))
    trace_sizes = sorted(set(sizes if args.trace_sizes is None else args.trace_sizes))
    peaks: dict[int, dict] = {}
    traces: dict[int, dict] = {}
    print(f"build {'with a cold cache' if args.cache else 'without the cache'}")
    with tempfile.TemporaryDirectory(prefix="coopnum-memory-") as tmp:
        for n in sorted(set(sizes) | set(trace_sizes)):
            root = Path(tmp) / f"n{n}"
            t = time.perf_counter()
            generate(n, root)
            print(f"generated {n} documents in {time.perf_counter() - t:.1f} s", flush=True)
            for trace in ([False] if n in sizes else []) + ([True] if n in trace_sizes else []):
                if args.cache:
                    subprocess.run(["rm", "-rf", str(root / ".coopnum-cache")], check=True)
                f = measure(root, trace, args.cache)
                end = f["documents_pass_end"]
                (traces if trace else peaks)[n] = f
                line = f"{'trace' if trace else 'peak '} {n:>7} docs {f['seconds']:7.1f} s"
                if trace:
                    line += f"  traced at the documents pass end {end['traced_bytes'] / MIB:7.1f} MiB"
                else:
                    line += (
                        f"  main: VmHWM {f['vm_hwm_kib'] / 1024:6.0f} MiB, PSS peak {f['main_pss_peak_kib'] / 1024:6.0f}"
                        f" MiB, at the documents pass end RSS {end['rss_kib'] / 1024:6.0f} MiB PSS"
                        f" {end['pss_kib'] / 1024:6.0f} MiB (Arrow {end['arrow_bytes'] / MIB:.0f} MiB);"
                        f" all processes PSS peak {f['all_pss_peak_kib'] / 1024:6.0f} MiB"
                    )
                print(line, flush=True)
            print(f"(coopnum from {f['coopnum']})")
            subprocess.run(["rm", "-rf", str(root)], check=True)
    if peaks:
        print(
            "\n| documents | seconds | main peak RSS (VmHWM), MiB: set-up / documents pass / whole build"
            " | main PSS: documents pass end / peak | all processes PSS peak |\n|---|---|---|---|---|"
        )
        for n, f in sorted(peaks.items()):
            start, end = f["documents_pass_start"], f["documents_pass_end"]
            print(
                f"| {n} | {f['seconds']:.1f} | {start['hwm_kib'] / 1024:.0f} / {end['hwm_kib'] / 1024:.0f} /"
                f" {f['vm_hwm_kib'] / 1024:.0f} | {end['pss_kib'] / 1024:.0f} / {f['main_pss_peak_kib'] / 1024:.0f} |"
                f" {f['all_pss_peak_kib'] / 1024:.0f} |"
            )
    for label, key in (
        ("main RSS at the documents pass start", lambda f: f["documents_pass_start"]["rss_kib"]),
        ("main VmHWM at the documents pass start", lambda f: f["documents_pass_start"]["hwm_kib"]),
        ("main VmHWM at the documents pass end", lambda f: f["documents_pass_end"]["hwm_kib"]),
        ("main VmHWM", lambda f: f["vm_hwm_kib"]),
        ("main PSS peak", lambda f: f["main_pss_peak_kib"]),
        ("main PSS at the documents pass end", lambda f: f["documents_pass_end"]["pss_kib"]),
        ("all processes PSS peak", lambda f: f["all_pss_peak_kib"]),
    ):
        if len(peaks) >= 2:
            points = [(n, key(f)) for n, f in sorted(peaks.items())]
            for small, large in itertools.pairwise(points):
                print(f"{label}: {_per_doc(small, large):,.0f} bytes per document ({small[0]}→{large[0]})")
            _extrapolate(label, points)
    if traces:
        n_max = max(traces)
        sites = traces[n_max]["documents_pass_end"]["sites"]
        smaller = [n for n in traces if n < n_max]
        n_min = min(smaller) if smaller else None
        before = traces[n_min]["documents_pass_end"]["sites"] if n_min is not None else {}
        total = traces[n_max]["documents_pass_end"]["traced_bytes"]
        print(f"\nalive at the end of the documents pass of {n_max} documents, allocated since the build began:")
        print(f"{total / MIB:.1f} MiB traced in all" + (f", {total / n_max:,.0f} bytes per document" if n_max else ""))
        header = "| allocation site (<- innermost coopnum frame) | MiB | blocks |"
        header += f" bytes per document ({n_min}→{n_max}) |" if n_min is not None else ""
        print(header + "\n|---|---|---|" + ("---|" if n_min is not None else ""))
        for site, (size, count) in sorted(sites.items(), key=lambda kv: -kv[1][0])[:TOP_SITES]:
            row = f"| {site} | {size / MIB:.2f} | {count} |"
            if n_min is not None:
                row += f" {(size - before.get(site, [0, 0])[0]) / (n_max - n_min):,.0f} |"
            print(row)
        if n_min is not None:
            small_total = traces[n_min]["documents_pass_end"]["traced_bytes"]
            print(f"traced growth: {(total - small_total) / (n_max - n_min):,.0f} bytes per document ({n_min}→{n_max})")


if __name__ == "__main__":
    main()
