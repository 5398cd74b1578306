"""Memory benchmark: what the build's main process holds per document, and where it was allocated.

Prints figures; asserts nothing; never runs as a test.

    .venv/bin/python benchmarks/memory.py                                   # 2k and 10k, peaks and trace
    .venv/bin/python benchmarks/memory.py --sizes 2000 10000 30000 --trace-sizes 2000 10000
    .venv/bin/python benchmarks/memory.py --sizes 2000 10000 --cache        # with the build cache on

Corpora come from ``benchmarks.scale.generate(n, out)``. Each size is built (a full build, the build
cache bypassed unless ``--cache``) in a fresh process with its default workers (every core), twice:

* a *peak* run, untraced: the main process's peak resident set (``VmHWM``) in each phase of the build
  (set-up, documents pass, variation pass, agreement report, card/Croissant/manifest,
  ``InputSnapshot.changed``, privacy scan, swap: ``VmHWM`` is reset through ``/proc/self/clear_refs`` as
  each begins), its resident and proportional set sizes (PSS: a page shared with the forked workers counts
  for its share) when the documents pass ends, and the largest PSS of the main process and of all
  processes together, sampled every 0.25 s from outside;
* a *trace* run (the sizes of ``--trace-sizes``), with :mod:`tracemalloc` on in the main process only
  (a forked worker turns it off): each phase's traced peak, and what was allocated since the build
  started and is still alive when the documents pass ends and when ``changed()`` is entered, by
  allocation site, with the innermost coopnum frame that led there.

The growth per document is the difference between two sizes divided by the difference in documents;
``peak = base + growth × n`` extrapolates it. The machine is shared: compare figures of one run.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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


def _reset_peak() -> None:
    """Set ``VmHWM`` back to the current resident set (Linux ``clear_refs``), so the next reading
    is the peak of one phase; a kernel that refuses leaves it cumulative (phases then read the same)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


class _Phases:
    """The build cut into phases at the functions it calls; each phase's peak resident set (``VmHWM``
    since the phase began) and, when tracing, tracemalloc's peak and what is alive at its end."""

    def __init__(self, tracing: bool) -> None:
        self.tracing = tracing
        self.name = "set-up"
        self.done: list[dict[str, object]] = []
        _reset_peak()

    def next(self, name: str) -> None:
        import tracemalloc

        figures: dict[str, object] = {
            "phase": self.name,
            "hwm_kib": _status_kib("VmHWM"),
            "rss_kib": _status_kib("VmRSS"),
        }
        if self.tracing and tracemalloc.is_tracing():
            current, peak = tracemalloc.get_traced_memory()
            figures["traced_bytes"], figures["traced_peak_bytes"] = current, peak
            tracemalloc.reset_peak()
        self.done.append(figures)
        self.name = name
        _reset_peak()

    def restart(self) -> None:
        """The phase's peaks begin again now (after a measurement that allocated)."""
        import tracemalloc

        if self.tracing and tracemalloc.is_tracing():
            tracemalloc.reset_peak()
        _reset_peak()


def _wrap(
    owner: object,
    name: str,
    before: str,
    after: str | None,
    phases: _Phases,
    on_enter: Callable[[], None] | None = None,
) -> None:
    """Call ``phases.next(before)`` (then ``on_enter``) when ``owner.name`` is entered, and
    ``phases.next(after)`` when it returns."""
    original = getattr(owner, name)

    def wrapped(*args: object, **kwargs: object) -> object:
        phases.next(before)
        if on_enter is not None:
            on_enter()
        try:
            return original(*args, **kwargs)
        finally:
            if after is not None:
                phases.next(after)

    setattr(owner, name, wrapped)


def _sites(baseline: object, package: str) -> tuple[int, dict[str, list[int]]]:
    """What was allocated since ``baseline`` and is still alive, by allocation site: (bytes, site -> [bytes, blocks])."""
    import tracemalloc

    snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
    by_site: dict[str, list[int]] = {}
    for diff in snapshot.compare_to(baseline, "traceback"):  # type: ignore[arg-type]
        site = _site(diff.traceback, package)
        sums = by_site.setdefault(site, [0, 0])
        sums[0] += diff.size_diff
        sums[1] += diff.count_diff
    return sum(size for size, _ in by_site.values()), by_site


def child(root: Path, trace: bool, use_cache: bool) -> None:
    """Build ``root`` and print one JSON line of figures (run by the parent in a fresh process)."""
    import tracemalloc

    import pyarrow as pa

    import coopnum
    from coopnum.dataset import build as build_module
    from coopnum.dataset import manifest, privacy
    from coopnum.dataset import run as run_module
    from coopnum.text import align

    package = str(Path(coopnum.__file__).parent.parent)
    align.french()  # loaded before the measure: the build loads it once too, whatever the size
    figures: dict[str, object] = {"coopnum": package, "sites": {}}
    if trace:
        os.register_at_fork(after_in_child=tracemalloc.stop)  # the workers are not measured
        tracemalloc.start(12)
    baseline = tracemalloc.take_snapshot() if trace else None
    phases = _Phases(trace)

    def sites(at: str) -> None:
        if baseline is not None:  # tracemalloc's own snapshot is not part of any phase's peak
            figures["traced_" + at], figures["sites"][at] = _sites(baseline, package)  # type: ignore[index]
            phases.restart()

    def documents_pass_end() -> None:
        figures["documents_pass_end"] = {
            "rss_kib": _status_kib("VmRSS"),
            "pss_kib": _own_pss_kib(),
            "arrow_bytes": pa.total_allocated_bytes(),
        }
        sites("documents pass end")

    _wrap(run_module, "_first_pass", "documents pass", None, phases)
    _wrap(run_module, "_variation_pass", "variation pass", "agreement report", phases, documents_pass_end)
    _wrap(build_module, "_write_documents", "card, Croissant, manifest", None, phases)
    entered = lambda: sites("changed() entered")  # noqa: E731
    _wrap(manifest.InputSnapshot, "changed", "inputs hashed again (changed)", None, phases, entered)
    _wrap(privacy, "refuse_personal_data", "privacy scan", "swap", phases)
    started = time.perf_counter()
    build_module.build(root, use_cache=use_cache, cache_dir=root / ".coopnum-cache")
    figures["seconds"] = time.perf_counter() - started
    phases.next("")
    figures["phases"] = phases.done
    figures["vm_hwm_kib"] = max(int(p["hwm_kib"]) for p in phases.done)  # type: ignore[call-overload]
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
    # files, not pipes: a child blocked on a full pipe would wait for a parent that reads only at its end
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            command + (["--cache"] if use_cache else []), stdout=out, stderr=err, text=True, env=env
        )
        main_peak = all_peak = 0
        while proc.poll() is None:  # reading smaps_rollup walks the page tables: not too often
            by_process = {p: _pss_kib([p]) for p in _tree(proc.pid)}
            main_peak = max(main_peak, by_process.get(proc.pid, 0))
            all_peak = max(all_peak, sum(by_process.values()))
            time.sleep(SAMPLE_SECONDS)
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            raise SystemExit(f"the build of {root} failed:\n{err.read()[-3000:]}")
        figures: dict = json.loads(out.read().strip().splitlines()[-1])
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


def _cumulative(f: dict, upto: str) -> int:
    """The main process's peak resident set (KiB) from the build's start to the end of phase ``upto``."""
    peak = 0
    for p in f["phases"]:
        peak = max(peak, p["hwm_kib"])
        if p["phase"] == upto:
            break
    return peak


def _phase(f: dict, name: str, key: str) -> int:
    return next((int(p.get(key, 0)) for p in f["phases"] if p["phase"] == name), 0)


def _print_phases(runs: dict[int, dict], key: str, what: str) -> None:
    """One row per phase: ``key`` of the phase at each size, its growth per document, and where it extrapolates."""
    sizes = sorted(runs)
    names = [p["phase"] for p in runs[sizes[-1]]["phases"]]
    scale = 1024 if key.endswith("_kib") else 1
    print(f"\n{what}, MiB, by phase of the build (each phase's own peak)")
    head = "| phase | " + " | ".join(f"{n} docs" for n in sizes)
    if len(sizes) >= 2:
        head += f" | bytes per document ({sizes[-2]}→{sizes[-1]}) | at 100k / 1M docs"
    print(head + " |\n|---|" + "---|" * (len(sizes) + (2 if len(sizes) >= 2 else 0)))
    for name in names:
        values = [_phase(runs[n], name, key) * scale for n in sizes]
        row = f"| {name} | " + " | ".join(f"{v / MIB:,.0f}" for v in values)
        if len(sizes) >= 2:
            growth = (values[-1] - values[-2]) / (sizes[-1] - sizes[-2])
            base = values[-1] - growth * sizes[-1]
            at = " / ".join(f"{(base + growth * n) / MIB:,.0f}" for n in (100_000, 1_000_000))
            row += f" | {growth:,.0f} | {at}"
        print(row + " |")


def _print_sites(traces: dict[int, dict], at: str) -> None:
    n_max = max(traces)
    if at not in traces[n_max]["sites"]:
        return
    sites = traces[n_max]["sites"][at]
    smaller = [n for n in traces if n < n_max and at in traces[n]["sites"]]
    n_min = min(smaller) if smaller else None
    before = traces[n_min]["sites"][at] if n_min is not None else {}
    total = traces[n_max]["traced_" + at]
    print(f"\nalive at the {at} ({n_max} documents), allocated since the build began:")
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
        small_total = traces[n_min]["traced_" + at]
        print(f"traced growth: {(total - small_total) / (n_max - n_min):,.0f} bytes per document ({n_min}→{n_max})")


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
                    line += f"  traced at the documents pass end {f['traced_documents pass end'] / MIB:7.1f} MiB"
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
            end = f["documents_pass_end"]
            print(
                f"| {n} | {f['seconds']:.1f} | {_cumulative(f, 'set-up') / 1024:.0f} /"
                f" {_cumulative(f, 'documents pass') / 1024:.0f} / {f['vm_hwm_kib'] / 1024:.0f} |"
                f" {end['pss_kib'] / 1024:.0f} / {f['main_pss_peak_kib'] / 1024:.0f} | {f['all_pss_peak_kib'] / 1024:.0f} |"
            )
        _print_phases(peaks, "hwm_kib", "main process peak resident set (VmHWM)")
    for label, key in (
        ("main VmHWM up to the documents pass start", lambda f: _cumulative(f, "set-up")),
        ("main VmHWM up to the documents pass end", lambda f: _cumulative(f, "documents pass")),
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
        _print_phases(traces, "traced_peak_bytes", "main process traced Python heap peak (tracemalloc)")
        for at in ("documents pass end", "changed() entered"):
            _print_sites(traces, at)


if __name__ == "__main__":
    main()
