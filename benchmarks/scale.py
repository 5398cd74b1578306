"""Scale benchmark: clean, build and validate a synthetic corpus of N seed-shaped documents.

Prints figures; asserts nothing; never runs as a test.

    .venv/bin/python benchmarks/scale.py --sizes 1000 10000 100000
    .venv/bin/python benchmarks/scale.py --sizes 1000 --stages      # where a worker's time goes, per step
    .venv/bin/python benchmarks/scale.py --sizes 1000 --profile     # the same under cProfile

The generator (seeded) makes document *i* from seed *i mod 5*: the seed's raw file with a different
list of related headlines appended (boilerplate the cleaner removes), so the clean text, and so the
seed's gold, passes and adjudication records, stay valid under a new document id. Each step runs in
its own process with its default workers (every core), timed, with the peak of the proportional set
size of the process and its workers together (a page two processes share counts once).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = [
    "marché",
    "numérique",
    "coopération",
    "forum",
    "plateforme",
    "réseau",
    "données",
    "accord",
    "ministre",
    "salon",
    "export",
    "ville",
]


def generate(n: int, out: Path, seed: int = 2026) -> None:
    """A project folder (corpus/, annotations/) with ``n`` documents."""
    from coopnum.annotation import format as ann
    from coopnum.corpus.clean import clean_document
    from coopnum.corpus.sources import load_sources
    from coopnum.dataset.build import clean_corpus

    rng = random.Random(seed)
    sources = load_sources(ROOT / "corpus" / "sources.jsonl")
    seeds = clean_corpus(ROOT / "corpus")
    raw_texts = {s.doc_id: (ROOT / "corpus" / "raw" / s.file).read_text(encoding="utf-8") for s in sources}
    gold_files = {
        s.doc_id: (ROOT / "annotations" / ann.SUBDIR / f"{s.doc_id}.json").read_text(encoding="utf-8") for s in sources
    }
    reasons = (ROOT / "annotations" / "adjudication.jsonl").read_text(encoding="utf-8").splitlines()
    (out / "corpus" / "raw").mkdir(parents=True)
    (out / "annotations" / ann.SUBDIR).mkdir(parents=True)
    shutil.copy2(ROOT / "annotations" / "annotators.json", out / "annotations" / "annotators.json")
    shutil.copy2(ROOT / "annotations" / "GUIDELINES.md", out / "annotations" / "GUIDELINES.md")
    records, reason_lines = [], []
    for i in range(n):
        base = seeds[i % len(seeds)]
        source = next(s for s in sources if s.doc_id == base.doc_id)
        doc_id = hashlib.sha256(f"coopnum-synthetic-{seed}-{i}".encode()).hexdigest()[:16]
        headlines = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 9))).capitalize() for _ in range(3)]
        raw = raw_texts[base.doc_id].rstrip("\n") + "\n\nLire aussi:\n" + "\n".join(headlines) + "\n"
        if i < len(seeds) and clean_document(raw, doc_id).text != base.clean.text:  # checked once per seed
            raise SystemExit(f"the appended boilerplate changed the clean text of {base.doc_id}")
        name = f"{i % 1000:03d}_{doc_id}.txt"
        data = raw.encode("utf-8")
        (out / "corpus" / "raw" / name).write_bytes(data)
        records.append(
            {**source.to_json(), "doc_id": doc_id, "file": name, "raw_sha256": hashlib.sha256(data).hexdigest()}
        )
        (out / "annotations" / ann.SUBDIR / f"{doc_id}.json").write_text(
            gold_files[base.doc_id].replace(base.doc_id, doc_id), encoding="utf-8"
        )
        reason_lines += [r.replace(base.doc_id, doc_id) for r in reasons if base.doc_id in r]
    (out / "corpus" / "sources.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    (out / "annotations" / "adjudication.jsonl").write_text("\n".join(reason_lines) + "\n", encoding="utf-8")


STEPS = {  # each a full run: the build cache (benchmarks/incremental.py measures it) is bypassed
    "clean": "from pathlib import Path; from coopnum.dataset.clean_stage import write_clean; "
    "write_clean(Path({root!r}) / 'corpus', Path({root!r}) / 'build' / 'clean'); seconds = {{}}",
    "build": "from pathlib import Path; from coopnum.dataset.build import build; "
    "seconds = build(Path({root!r}), use_cache=False).seconds",
    "validate": "from pathlib import Path; from coopnum.dataset.validation import validate; "
    "f = validate(Path({root!r}), use_cache=False); assert not [x for x in f if x.severity == 'error'], f[:3]; "
    "seconds = {{}}",
}


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (from /proc/<pid>/task/<tid>/children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for children in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                todo += [int(c) for c in children.read_text().split()]
            except OSError:
                continue
    return out


def _pss_mib(pids: list[int]) -> float:
    """Proportional set size of these processes together (shared pages counted once), MiB."""
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def run_step(step: str, root: Path) -> tuple[float, float, dict[str, float]]:
    """(seconds, peak memory MiB, seconds per part) of one step in a fresh process. The peak is the
    largest proportional set size of the process and its workers together, sampled every 0.2 s."""
    code = STEPS[step].format(root=str(root)) + "; import json; print(json.dumps(seconds))"
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"},
    )
    peak = 0.0
    while child.poll() is None:
        peak = max(peak, _pss_mib(_tree(child.pid)))
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    out, err = child.communicate()
    if child.returncode:
        raise SystemExit(f"{step} failed:\n{err[-3000:]}")
    return seconds, peak, json.loads(out.strip().splitlines()[-1])


def stages(root: Path, documents: int = 640) -> None:
    """Wall-clock time per step of one worker's per-document work (no profiler overhead): each step's
    function is wrapped with a timer, and the chunks of the first ``documents`` run in this process."""
    import gc
    from collections import defaultdict

    from coopnum.annotation import format as annotations
    from coopnum.corpus import clean as cleaning
    from coopnum.corpus import sources as corpus
    from coopnum.dataset import card, registry
    from coopnum.dataset import pipeline as stream
    from coopnum.quality import agreement
    from coopnum.text import align

    setup, all_sources = stream.read_setup(root, with_rows=True)
    sources = sorted(all_sources, key=lambda s: s.doc_id)[:documents]
    folds = setup.folds
    step = stream.ChunkStep(setup)
    align.french()
    spent: dict[str, float] = defaultdict(float)

    def timed(owner: object, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            t = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - t

        setattr(owner, name, wrapper)

    timed(cleaning, "clean_document", "clean (line rules, normalisation, offset map, audit)")
    timed(corpus, "read_raw", "read and check the raw file")
    timed(align, "sentences", "tokenise and split sentences")
    timed(annotations, "load_file", "parse the annotation file")
    timed(stream, "check_document", "per-document checks")
    timed(registry, "document_rows", "rows of every config (with tokenising)")
    timed(card, "tally", "card figures")
    timed(agreement.Accumulator, "add", "agreement counts")
    chunks = [[(s, folds[s.doc_id]) for s in sources[i : i + 64]] for i in range(0, len(sources), 64)]
    gc.disable()  # as in a worker during a chunk
    t = time.perf_counter()
    for chunk in chunks:
        step._chunk(chunk)
    total = time.perf_counter() - t
    print(f"one process, {len(sources)} documents, {total / len(sources) * 1000:.2f} ms per document in all")
    print("| step | ms per document |\n|---|---|")
    for label, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"| {label} | {seconds / len(sources) * 1000:.2f} |")
    print(
        "(tokenising is inside the rows' time and also shown alone; the rest of the total is Arrow tables, spill and counts)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--profile", action="store_true", help="profile one build of the first size instead")
    parser.add_argument("--stages", action="store_true", help="time each per-document step instead (first size)")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="coopnum-scale-") as tmp:
        for n in sorted(args.sizes):
            root = Path(tmp) / f"n{n}"
            t = time.perf_counter()
            generate(n, root)
            print(f"generated {n} documents in {time.perf_counter() - t:.1f} s", flush=True)
            if args.stages:
                stages(root)
                return
            if args.profile:
                import cProfile
                import pstats

                from coopnum.dataset.build import build

                prof = cProfile.Profile()  # one process: the per-document work is all in view
                prof.runcall(build, root, processes=1)
                pstats.Stats(prof).sort_stats("cumulative").print_stats("coopnum|spacy|pyarrow", 40)
                return
            for step in STEPS:
                seconds, peak, parts = run_step(step, root)
                results.append((step, n, seconds, peak))
                detail = ", ".join(f"{k} {v:.1f} s" for k, v in parts.items() if k != "total")
                print(
                    f"{step:9} {n:>7} docs  {seconds:8.1f} s  {n / seconds:8.1f} docs/s  peak memory {peak:6.0f} MiB"
                    + (f"  ({detail})" if detail else ""),
                    flush=True,
                )
            shutil.rmtree(root)
    print("\n| step | documents | seconds | documents/s | peak memory, all processes (MiB) |")
    print("|---|---|---|---|---|")
    for step, n, s, rss in results:
        print(f"| {step} | {n} | {s:.1f} | {n / s:.1f} | {rss:.0f} |")
    sizes = sorted({n for _, n, _, _ in results})
    for small, large in itertools.pairwise(sizes):  # how time grows: each size against the one before
        for step in STEPS:
            a = next(s for st, n, s, _ in results if st == step and n == small)
            b = next(s for st, n, s, _ in results if st == step and n == large)
            print(f"{step}: time ratio {large}/{small} = {b / a:.1f} (linear would be {large / small:.0f})")


if __name__ == "__main__":
    main()
