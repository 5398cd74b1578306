"""Incremental builds (issue #17): full build, rebuilds from the per-document cache, validation.

Prints figures; asserts nothing; never runs as a test.

    .venv/bin/python benchmarks/incremental.py --sizes 2000
    .venv/bin/python benchmarks/incremental.py --sizes 2000 10000
    .venv/bin/python benchmarks/incremental.py --sizes 2000 --profile              # after one raw file
    .venv/bin/python benchmarks/incremental.py --sizes 2000 --profile annotation   # after one annotation file
    .venv/bin/python benchmarks/incremental.py --sizes 2000 --profile validate     # validate, nothing changed
    .venv/bin/python benchmarks/incremental.py --sizes 2000 --against /tmp/head    # against HEAD's src/ there
    .venv/bin/python benchmarks/incremental.py --sizes 2000 --against /tmp/head --validation  # validate, nothing changed
    .venv/bin/python benchmarks/incremental.py --sizes 100000 --warm-only          # no cold steps (a large corpus)

On a synthetic corpus (``benchmarks/scale.py``'s ``generate``), each step runs in a fresh process
(every core), timed from the process's start (imports included) and by the build's own clock:

1. full build without the cache (``use_cache=False``, as ``coopnum build --no-cache``);
2. full build with an empty cache (what writing the cache costs);
3. rebuild with nothing changed;
4. rebuild after one changed annotation file (a gold's topics);
5. rebuild after one changed raw file (its "Lire aussi" headlines, and its sources record's hash);
6. validate without the cache, then validate after the build (warm), then again;

and checks that the last rebuild's ``dataset/`` is byte-identical to a build from scratch of the
same inputs (a copy, no cache).

``--against DIR [DIR ...] [--rounds N]`` instead compares this code with each folder's ``src/`` (a copy
of another commit's), in interleaved rounds of a rebuild after one annotation file, a rebuild with
nothing changed and a rebuild after one raw file (:func:`compare`); with ``--validation``, in rounds of ``validate`` with nothing changed
(:func:`compare_validation`).

``--profile [raw|annotation]`` instead profiles (cProfile, main process) one rebuild after one changed
raw file (the default) or one changed annotation file, in a fresh process, after a full build with the
cache, and prints the share of the build's time in each
part (cumulative time of the functions that make it up) and the functions with the most own time.
``--profile validate`` profiles ``validate`` with nothing changed (after a build with the cache and one
validation, which fills validation's own entries) the same way (:data:`VALIDATE_PARTS`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.scale import generate  # after the repository root is on the path

BUILD = (
    "from pathlib import Path; from coopnum.dataset.build import build; "
    "seconds = build(Path({root!r}), use_cache={cache}).seconds"
)
VALIDATE = (
    "import time; from pathlib import Path; from coopnum.dataset.validation import validate; t = time.perf_counter(); "
    "f = validate(Path({root!r}), use_cache={cache}); assert not [x for x in f if x.severity == 'error'], f[:3]; "
    "seconds = {{'total': time.perf_counter() - t}}"
)


def timed(code: str, pythonpath: str | None = None) -> tuple[float, dict[str, float]]:
    """(wall seconds of a fresh process, the seconds the step reports) for one step, with the code
    on ``pythonpath`` (default: this process's ``PYTHONPATH``, if any)."""
    script = code + "; import json; print(json.dumps(seconds))"
    env = {"HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    path = os.environ.get("PYTHONPATH") if pythonpath is None else pythonpath
    if path:  # a frozen copy of the code, say
        env["PYTHONPATH"] = path
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"step failed:\n{done.stderr[-3000:]}")
    return wall, json.loads(done.stdout.strip().splitlines()[-1])


def edit_annotation(root: Path, rng: random.Random, index: int | None = None) -> str:
    """One gold's topics changed: one input file (the ``index``-th, or one drawn from ``rng``)."""
    files = sorted((root / "annotations" / "labelstudio").glob("*.json"))
    path = files[rng.randrange(len(files)) if index is None else index % len(files)]
    obj = json.loads(path.read_text(encoding="utf-8"))
    gold = next(a for a in obj["annotations"] if a["ground_truth"])
    gold["topics"] = sorted(set(gold["topics"]) ^ {"health"})
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    return path.name


def edit_raw(root: Path, rng: random.Random) -> str:
    """One raw file's appended headlines changed (boilerplate: the gold stays valid), and its
    record's raw_sha256 in sources.jsonl."""
    sources = root / "corpus" / "sources.jsonl"
    records = [json.loads(line) for line in sources.read_text(encoding="utf-8").splitlines()]
    record = records[rng.randrange(len(records))]
    path = root / "corpus" / "raw" / record["file"]
    data = (path.read_text(encoding="utf-8").rstrip("\n") + " numérique\n").encode("utf-8")
    path.write_bytes(data)
    record["raw_sha256"] = hashlib.sha256(data).hexdigest()
    sources.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return record["file"]


def digest(root: Path) -> dict[str, str]:
    files = [p for p in sorted((root / "dataset").rglob("*")) if p.is_file()] + [root / "DATASHEET.md"]
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def from_scratch(root: Path, folder: Path) -> dict[str, str]:
    fresh = folder / "scratch"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    for name in ("corpus", "annotations"):
        shutil.copytree(root / name, fresh / name)
    timed(BUILD.format(root=str(fresh), cache=False))
    return digest(fresh)


PROFILED = (
    "import cProfile; from pathlib import Path; from coopnum.dataset.build import build; "
    "profile = cProfile.Profile(); profile.enable(); seconds = build(Path({root!r}), use_cache=True).seconds; "
    "profile.disable(); profile.dump_stats({out!r})"
)
# (part of a rebuild, module file, function): cumulative time of that function in the main process.
# The parts nest (the Parquet writes are inside the documents pass; the card inside the outputs).
PARTS = (
    ("input listing and hashing (snapshot, re-check)", "dataset/manifest.py", "take"),
    ("setup: sources, keys, recurring-line evidence", "dataset/setup.py", "read_setup"),
    ("  of which the line-hash pass", "dataset/evidence.py", "cached_evidence"),
    ("documents pass (chunks from the cache, merge)", "dataset/run.py", "_first_pass"),
    ("  of which the chunks' heads (which entries serve)", "dataset/pipeline.py", "serving_head"),
    ("  of which chunks read from the cache in the main process", "dataset/pipeline.py", "cached"),
    # compression runs in the sink's writer thread, which cProfile does not see: these two are the
    # hand-over (waiting when two row groups are already pending) and the wait for the last ones
    ("  of which handing row groups to the Parquet writer (ParquetSink.add)", "dataset/parquet.py", "add"),
    ("  of which closing Parquet (waiting for the writer thread)", "dataset/parquet.py", "close"),
    ("shards copied in from the cache (before the documents pass)", "dataset/shard_cache.py", "copy_in"),
    ("shards just encoded, stored in the cache", "dataset/shard_cache.py", "store_encoded"),
    ("variation pass", "dataset/run.py", "_variation_pass"),
    ("outputs: card, Croissant, datasheet, plots, manifest", "dataset/build.py", "_write_documents"),
    ("  of which hashing the Parquet files", "dataset/manifest.py", "parquet_sha256"),
    ("  of which the plots", "dataset/build.py", "_plots"),
    ("    of which drawing them (matplotlib imported there)", "dataset/plots.py", "render"),
    ("  of which the card's figures from the summed tallies", "dataset/stats.py", "from_tally"),
    ("  of which the card", "dataset/card.py", "card_text"),
    ("  of which Croissant (from the cache: the sha256 filled in)", "dataset/build.py", "_croissant"),
    ("    of which made by mlcroissant (no cached text)", "dataset/croissant.py", "croissant_json"),
    ("personal-data scan of the written files", "dataset/privacy.py", "refuse_personal_data"),
    ("swap into dataset/", "util/swap.py", "swap_in"),
    ("cache eviction", "dataset/cache.py", "evict"),
)


PROFILED_VALIDATE = (
    "import cProfile, time; from pathlib import Path; from coopnum.dataset.validation import validate; "
    "profile = cProfile.Profile(); t = time.perf_counter(); profile.enable(); f = validate(Path({root!r})); "
    "profile.disable(); seconds = {{'total': time.perf_counter() - t}}; profile.dump_stats({out!r}); "
    "assert not [x for x in f if x.severity == 'error'], f[:3]"
)
# The same for `validate` with nothing changed: what it does in the main process, in order.
VALIDATE_PARTS = (
    ("input hashing for the keys (stat cache)", "dataset/manifest.py", "regular_input_hashes"),
    ("setup: sources, keys, recurring-line evidence", "dataset/setup.py", "read_setup"),
    ("  of which the line-hash pass", "dataset/evidence.py", "cached_evidence"),
    ("documents pass (chunks from the cache, merge)", "dataset/run.py", "_first_pass"),
    ("  of which the chunks' heads (which entries serve)", "dataset/pipeline.py", "serving_head"),
    ("  of which chunks read from the cache in the main process", "dataset/pipeline.py", "cached"),
    ("variation pass (batches from the cache)", "dataset/run.py", "_variation_pass"),
    ("manifest check (inputs hashed again, outputs read whole)", "dataset/manifest.py", "check"),
    ("  of which input hashing (stat cache)", "dataset/manifest.py", "input_hashes"),
    ("dataset check (row counts, ner tags against the gold)", "dataset/validation.py", "dataset_findings"),
    ("  of which the ner row groups (from the cache)", "dataset/validation.py", "_decoded"),
    ("result entry: the state before and after (inputs, dataset/)", "dataset/validation.py", "_snapshot"),
    ("  of which dataset/ and the root's files", "dataset/validation.py", "_state"),
    ("all sha256 of whole files (outputs, uncached inputs)", "util/hashing.py", "sha256_file"),
    ("cache eviction (scan of every entry)", "dataset/cache.py", "evict"),
)


def profile(n: int, folder: Path, edit: str = "raw") -> None:
    """Where a rebuild after one changed raw file (``edit="raw"``) or annotation file
    (``edit="annotation"``), or ``validate`` with nothing changed (``edit="validate"``), spends its time
    (main process, cProfile)."""
    root = folder / "project"
    generate(n, root)
    _, seconds = timed(BUILD.format(root=str(root), cache=True))
    print(f"{n:>7} docs  full build, empty cache: {seconds['total']:.1f} s in the call", flush=True)
    out = folder / "step.prof"
    if edit == "validate":
        _, seconds = timed(VALIDATE.format(root=str(root), cache=True))
        print(f"{n:>7} docs  validate after the build: {seconds['total']:.1f} s in the call", flush=True)
        _, seconds = timed(PROFILED_VALIDATE.format(root=str(root), out=str(out)))
        what, parts = "validate again, nothing changed", VALIDATE_PARTS
    else:
        if edit == "annotation":
            print(f"  (edited annotations/labelstudio/{edit_annotation(root, random.Random(n))})", flush=True)
        else:
            print(f"  (edited corpus/raw/{edit_raw(root, random.Random(n))} and corpus/sources.jsonl)", flush=True)
        _, seconds = timed(PROFILED.format(root=str(root), out=str(out)))
        what, parts = f"rebuild after one {edit} file", PARTS
    print_profile(out, seconds["total"], f"{n:>7} docs  {what}", parts)


def print_profile(out: Path, total: float, title: str, parts: tuple[tuple[str, str, str], ...]) -> None:
    """The share of ``total`` (seconds in the call) in each of ``parts``, then the top functions."""
    import pstats

    stats = pstats.Stats(str(out))
    table = stats.stats  # type: ignore[attr-defined]  # (file, line, function) -> (cc, nc, own, cumulative, callers)
    print(f"{title}, profiled: {total:.1f} s in the call\n")
    print("| part (main process) | s | share |\n|---|---|---|")
    for label, module, function in parts:
        cumulative = sum(v[3] for (f, _, name), v in table.items() if f.endswith(module) and name == function)
        print(f"| {label} | {cumulative:.2f} | {cumulative / total:.0%} |")
    for title, column in (("most own time", 2), ("most cumulative time", 3)):
        print(f"\n{title}:")
        for (f, line, name), v in sorted(table.items(), key=lambda kv: -kv[1][column])[:25]:
            print(f"  {v[2]:7.2f} s own  {v[3]:7.2f} s cumulative  {v[1]:>9} calls  {name} ({Path(f).name}:{line})")


def compare(n: int, folder: Path, others: list[Path], rounds: int) -> None:
    """This code against the ``src`` of each folder in ``others`` (say ``git archive HEAD src`` unpacked),
    on one corpus, in interleaved rounds so that the machine's load falls on every code alike: each round
    edits one annotation file never edited before and rebuilds with each code in turn (order rotated),
    then rebuilds with nothing changed, then edits one raw file (and its record) and rebuilds again. Each code first builds with an empty cache of its own entries
    (the cache keys hold the code's hash). "process" is the step's whole process: start and imports too."""
    root = folder / "project"
    generate(n, root)
    codes = {"this code": os.environ.get("PYTHONPATH", ""), **{str(o): str(o.resolve() / "src") for o in others}}
    build_code = BUILD.format(root=str(root), cache=True)
    for name, path in codes.items():
        _, seconds = timed(build_code, path)
        print(f"{name}: full build, empty cache {seconds['total']:.1f} s in the call", flush=True)
    annotated = len(list((root / "annotations" / "labelstudio").glob("*.json")))
    files = random.Random(n).sample(range(annotated), rounds)  # distinct: no state comes back
    seen: dict[tuple[str, str], list[dict[str, float]]] = {}
    for r, index in enumerate(files):
        edited = edit_annotation(root, random.Random(), index)
        order = list(codes)[r % len(codes) :] + list(codes)[: r % len(codes)]
        for step in ("rebuild after one annotation file", "rebuild, nothing changed", "rebuild after one raw file"):
            if step == "rebuild after one raw file":
                edited = f"corpus/raw/{edit_raw(root, random.Random(n * 1000 + r))}"  # and its sources record
            for name in order:
                wall, seconds = timed(build_code, codes[name])
                seen.setdefault((name, step), []).append({**seconds, "process": wall})
                print(
                    f"  round {r} ({edited}) {name}: {step} {seconds['total']:.2f} s ({wall:.2f} s process)", flush=True
                )
    print(
        "\n| code | step | documents pass: median (min) | in the call: median (min) | process: median (min) | rounds |"
    )
    print("|---|---|---|---|---|---|")
    for (name, step), runs in seen.items():
        parts = []
        for part in ("documents", "total", "process"):
            values = sorted(x[part] for x in runs)
            parts.append(f"{values[len(values) // 2]:.2f} s ({values[0]:.2f} s)")
        print(f"| {name} | {step} | {' | '.join(parts)} | {len(runs)} |")


def compare_validation(n: int, folder: Path, others: list[Path], rounds: int) -> None:
    """``validate`` with nothing changed, this code against the ``src`` of each folder in ``others``, in
    interleaved rounds (order rotated). ``dataset/`` records the code that built it, so each code gets its
    own copy of one generated corpus, built with an empty cache and validated once (validation's own
    entries: the ner row groups) before the rounds."""
    source = folder / "generated"
    generate(n, source)
    codes = {"this code": os.environ.get("PYTHONPATH", ""), **{str(o): str(o.resolve() / "src") for o in others}}
    roots: dict[str, Path] = {}
    for i, (name, path) in enumerate(codes.items()):
        roots[name] = folder / f"project{i}"
        shutil.copytree(source, roots[name])
        _, seconds = timed(BUILD.format(root=str(roots[name]), cache=True), path)
        print(f"{name}: full build, empty cache {seconds['total']:.1f} s in the call", flush=True)
        _, seconds = timed(VALIDATE.format(root=str(roots[name]), cache=True), path)
        print(f"{name}: validate after the build {seconds['total']:.1f} s in the call", flush=True)
    seen: dict[str, list[tuple[float, float]]] = {}
    for r in range(rounds):
        for name in list(codes)[r % len(codes) :] + list(codes)[: r % len(codes)]:
            wall, seconds = timed(VALIDATE.format(root=str(roots[name]), cache=True), codes[name])
            seen.setdefault(name, []).append((seconds["total"], wall))
            print(f"  round {r} {name}: validate, nothing changed {seconds['total']:.2f} s ({wall:.2f} s process)")
    print("\n| code | validate, nothing changed: in the call, median (min) | process: median (min) | rounds |")
    print("|---|---|---|---|")
    for name, runs in seen.items():
        parts = []
        for column in (0, 1):
            values = sorted(x[column] for x in runs)
            parts.append(f"{values[len(values) // 2]:.2f} s ({values[0]:.2f} s)")
        print(f"| {name} | {' | '.join(parts)} | {len(runs)} |")


def measure(n: int, folder: Path, cold: bool = True) -> list[tuple[str, float, float]]:
    """The steps of the module docstring; without ``cold`` (``--warm-only``), no build or validation without the
    cache and no comparison with a build from scratch: the figures a large corpus needs, in a third of the time."""
    root = folder / "project"
    generate(n, root)
    rng = random.Random(n)
    steps: list[tuple[str, str]] = [
        ("full build, no cache", BUILD.format(root=str(root), cache=False)),
        ("validate, no cache", VALIDATE.format(root=str(root), cache=False)),
        ("full build, empty cache", BUILD.format(root=str(root), cache=True)),
        ("validate after the build", VALIDATE.format(root=str(root), cache=True)),
        ("validate again, nothing changed", VALIDATE.format(root=str(root), cache=True)),
        ("rebuild, nothing changed", BUILD.format(root=str(root), cache=True)),
        ("rebuild after one annotation file", BUILD.format(root=str(root), cache=True)),
        ("rebuild after one raw file (+ its record)", BUILD.format(root=str(root), cache=True)),
        ("validate after that rebuild", VALIDATE.format(root=str(root), cache=True)),
    ]
    if not cold:
        steps = [(label, code) for label, code in steps if not label.endswith("no cache")]
    out = []
    for label, code in steps:
        if label == "full build, empty cache":
            shutil.rmtree(root / ".coopnum-cache", ignore_errors=True)
        if label == "rebuild after one annotation file":
            print(f"  (edited annotations/labelstudio/{edit_annotation(root, rng)})", flush=True)
        if label.startswith("rebuild after one raw file"):
            print(f"  (edited corpus/raw/{edit_raw(root, rng)} and corpus/sources.jsonl)", flush=True)
        wall, seconds = timed(code)
        inside = seconds.get("total", wall)
        parts = ", ".join(f"{k} {v:.2f} s" for k, v in seconds.items() if k != "total")
        print(f"{n:>7} docs  {label:42} {wall:7.1f} s process  {inside:7.1f} s in the call  {parts}", flush=True)
        out.append((label, wall, inside))
    if cold:
        same = digest(root) == from_scratch(root, folder)
        print(
            f"{n:>7} docs  last rebuild byte-identical to a build from scratch: {'yes' if same else 'NO'}", flush=True
        )
    size = sum(p.stat().st_size for p in (root / ".coopnum-cache").rglob("*") if p.is_file())
    print(f"{n:>7} docs  cache size {size / 2**20:.1f} MiB ({size / n / 1024:.1f} KiB per document)", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000])
    parser.add_argument(
        "--profile",
        nargs="?",
        const="raw",
        choices=("raw", "annotation", "validate"),
        help="profile one step of the first size instead: a rebuild after one raw (default) or annotation file,"
        " or validate with nothing changed",
    )
    parser.add_argument("--against", type=Path, nargs="+", help="folders holding another code's src/ to compare")
    parser.add_argument("--rounds", type=int, default=6, help="rounds of --against")
    parser.add_argument(
        "--validation", action="store_true", help="with --against: compare validate with nothing changed instead"
    )
    parser.add_argument(
        "--warm-only",
        action="store_true",
        help="skip the steps without the cache and the from-scratch comparison (shares: of the empty-cache build)",
    )
    args = parser.parse_args()
    if args.against:
        with tempfile.TemporaryDirectory(prefix="coopnum-incremental-") as tmp:
            run_compare = compare_validation if args.validation else compare
            run_compare(args.sizes[0], Path(tmp), args.against, args.rounds)
        return
    if args.profile:
        with tempfile.TemporaryDirectory(prefix="coopnum-incremental-") as tmp:
            profile(args.sizes[0], Path(tmp), args.profile)
        return
    results = {}
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="coopnum-incremental-") as tmp:
            results[n] = measure(n, Path(tmp), cold=not args.warm_only)
    first = "empty-cache build" if args.warm_only else "full build"
    print(f"\n| step | documents | process (s) | in the call (s) | share of the {first} (call) |")
    print("|---|---|---|---|---|")
    for n, rows in results.items():
        full = rows[0][2]
        for label, wall, inside in rows:
            print(f"| {label} | {n} | {wall:.1f} | {inside:.1f} | {inside / full:.0%} |")


if __name__ == "__main__":
    main()
