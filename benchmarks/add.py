"""Adding 1,000 raw scrapes in one ``coopnum add FOLDER`` (issue #14): time, documents/s, peak memory.

Prints figures; asserts nothing; never runs as a test.

    .venv/bin/python benchmarks/add.py                      # 1,000 files, timed, then checked
    .venv/bin/python benchmarks/add.py --files 200 --stages # where the time goes, per step, in-process
    .venv/bin/python benchmarks/add.py --profile            # the same add under cProfile (top functions)
    .venv/bin/python benchmarks/add.py --files 200 --lingua # lingua: two calls per text against one pass

The generator (seeded) writes *n* distinct French scrapes: each is a menu line, a headline, a date
line, five to nine paragraphs of two or three sentences drawn from a pool of the sentences of the
seeds' and the fixtures' clean texts (every number in them redrawn), and a share line. Drawing a
handful of sentences from a pool of hundreds keeps any two files' 3-word shingles far apart, so the
near-duplicate detector (Jaccard >= 0.3) refuses none; the script says so if it does. The add runs in
a fresh process (``coopnum add FOLDER``) on a copy of the repository's ``corpus/``, timed
from the process's start (imports included), with the peak proportional set size of the process
and its workers sampled every 0.2 s (``benchmarks/scale.py``'s sampler). Then every file is checked
in the copy: its bytes in ``corpus/raw/``, its sources record (id from the bytes, ``raw_sha256``).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import pstats
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.scale import _pss_mib, _tree  # after the repository root is on the path

from coopnum.corpus.dates import _MONTHS

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
MONTHS = list(_MONTHS)  # the cleaner's own month names: every date line is one it reads
MENUS = ["Accueil | Monde | Économie | Numérique | Contact", "Menu", "Accueil > Actualités > Technologies"]
_SENTENCE_END = re.compile(r"(?<=[.!?»])\s+(?=[A-ZÀ-Ý«])")
_NUMBER = re.compile(r"\d+")


def sentence_pool() -> list[str]:
    """The sentences (eight words or more) of the clean texts of the seeds and of the French fixtures."""
    from coopnum.corpus.clean import clean_document
    from coopnum.errors import CoopnumError

    raws = sorted((ROOT / "corpus" / "raw").glob("*.txt"))
    raws += sorted((FIXTURES / "cleaning").rglob("*.txt")) + sorted((FIXTURES / "growth" / "french").glob("*.txt"))
    pool: set[str] = set()
    for path in raws:
        try:
            text = clean_document(path.read_text(encoding="utf-8"), path.stem).text
        except (CoopnumError, UnicodeDecodeError):
            continue
        for paragraph in text.split("\n"):
            pool.update(s for s in _SENTENCE_END.split(paragraph) if len(s.split()) >= 8)
    return sorted(pool)


def scrape(rng: random.Random, pool: list[str]) -> str:
    """One invented article in the corpus's scraped style (see the module docstring)."""

    def renumbered(sentence: str) -> str:
        return _NUMBER.sub(lambda m: str(rng.randint(2, 10 ** len(m[0]))), sentence)

    headline = " ".join(rng.choice(pool).split()[: rng.randint(6, 11)]).rstrip(",;:")
    date = f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2019, 2025)}"
    paragraphs = [
        " ".join(renumbered(rng.choice(pool)) for _ in range(rng.randint(2, 3))) for _ in range(rng.randint(5, 9))
    ]
    return "\n".join([rng.choice(MENUS), headline, f"Publié le {date}", *paragraphs, "Partager sur Facebook"]) + "\n"


def generate(n: int, folder: Path, seed: int = 2026) -> list[Path]:
    """``n`` distinct scrapes in ``folder`` (``scrape_NNNN.txt``)."""
    rng = random.Random(seed)
    pool = sentence_pool()
    folder.mkdir(parents=True)
    paths = []
    for i in range(n):
        path = folder / f"scrape_{i:04d}.txt"
        path.write_text(scrape(rng, pool), encoding="utf-8")
        paths.append(path)
    print(f"generated {n} scrapes from a pool of {len(pool)} sentences in {folder}")
    return paths


def repository_copy(into: Path) -> Path:
    root = into / "repo"
    root.mkdir()
    shutil.copytree(ROOT / "corpus", root / "corpus")
    return root


def timed_add(root: Path, folder: Path) -> tuple[float, float, float, str]:
    """(seconds, CPU seconds, peak memory MiB, what the command printed) of ``coopnum add`` in a fresh
    process; the CPU time (user + system, the process and its workers) says how much of the wall-clock
    time was this add's own work on a machine other processes share."""
    command = [sys.executable, "-m", "coopnum", "add", str(folder), "--root", str(root)]
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0.0
    while child.poll() is None:
        peak = max(peak, _pss_mib(_tree(child.pid)))
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    out, err = child.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime
    if child.returncode:
        raise SystemExit(f"coopnum add failed (exit {child.returncode}):\n{(out + err)[-3000:]}")
    said = " ".join((out + err).split())  # unwrapped; its table of documents, then its message
    return seconds, cpu, peak, said[said.rfind("added ") :]


def check_added(root: Path, paths: list[Path], before: int) -> str:
    """Every generated file in the copy's corpus/, byte for byte, with its sources record."""
    from coopnum.corpus import intake
    from coopnum.corpus.sources import read_corpus

    documents = {d.source.doc_id: d for d in read_corpus(root / "corpus")}  # every record and hash checked
    missing = []
    for path in paths:
        data = path.read_bytes()
        doc = documents.get(intake.doc_id_for(data))
        if doc is None or doc.data != data or doc.source.raw_sha256 != hashlib.sha256(data).hexdigest():
            missing.append(path.name)
    added = len(documents) - before
    return f"corpus: {before} + {added} documents; {len(paths) - len(missing)} of {len(paths)} files found" + (
        f"; missing or different: {', '.join(missing[:5])}" if missing else " byte-exact with their records"
    )


# ------------------------------------------------------------------ where the time goes

# (module[:class], attribute, label): the steps of an add, each wrapped with a timer
STEPS = [
    ("coopnum.corpus.intake", "_existing", "existing corpus: recurring-line pass, cleaning, MinHash"),
    ("coopnum.corpus.recurring", "of_corpus", "  of which the recurring-line pass"),
    ("coopnum.corpus.intake", "clean_source_file", "  of which cleaning the existing documents"),
    ("coopnum.corpus.intake", "_read_new", "read a new file"),
    ("coopnum.corpus.intake", "_clean", "clean a new file"),
    ("coopnum.corpus.language", "detect", "language detection (lingua)"),
    ("coopnum.corpus.duplicates", "signature", "MinHash signatures (existing and new)"),
    ("coopnum.corpus.duplicates:NearDuplicateIndex", "closest", "LSH query and Jaccard"),
    ("coopnum.corpus.duplicates:NearDuplicateIndex", "insert", "LSH insert"),
    ("coopnum.corpus.intake", "_record", "the sources record (outlet, date, evidence)"),
    ("coopnum.corpus.intake", "_write", "write corpus/ and swap it in"),
]


def _owner(where: str) -> object:
    """The module, or the class in it, that ``module[:class]`` names."""
    import importlib

    module, _, cls = where.partition(":")
    owner = importlib.import_module(module)
    return getattr(owner, cls) if cls else owner


def stages(root: Path, folder: Path) -> None:
    """The add in this process with each step of :data:`STEPS` timed (wall clock, inclusive)."""
    from coopnum.corpus import intake, language

    language.detect("Un texte pour charger le détecteur une fois avant de mesurer.")  # lingua's model load
    spent: dict[str, float] = defaultdict(float)
    cpu: dict[str, float] = defaultdict(float)  # this process's CPU time (not its workers')
    calls: dict[str, int] = defaultdict(int)
    for dotted, name, label in STEPS:
        owner = _owner(dotted)
        original = getattr(owner, name)

        def wrapper(*args: object, _original=original, _label=label, **kwargs: object) -> object:
            t, c = time.perf_counter(), time.process_time()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[_label] += time.perf_counter() - t
                cpu[_label] += time.process_time() - c
                calls[_label] += 1

        setattr(owner, name, wrapper)
    start = time.perf_counter()
    added = intake.add_articles(root, [folder])
    total = time.perf_counter() - start
    print(f"\nin-process add of {len(added)} files: {total:.1f} s in all (lingua's model loaded before)")
    print("| step | calls | seconds | share | CPU seconds, this process |\n|---|---|---|---|---|")
    for _, _, label in STEPS:
        print(f"| {label} | {calls[label]} | {spent[label]:.2f} | {spent[label] / total:.0%} | {cpu[label]:.2f} |")


def lingua_passes(paths: list[Path]) -> None:
    """CPU ms per text of lingua's two calls (what ``language.detect`` made) against its one pass."""
    from lingua import Language

    from coopnum.corpus import language
    from coopnum.corpus.clean import clean_document

    texts = [clean_document(p.read_text(encoding="utf-8"), p.stem).text for p in paths]
    detector = language._detector()
    detector.detect_language_of(texts[0])  # models loaded before timing

    def two_calls(text: str) -> object:
        return detector.detect_language_of(text), detector.compute_language_confidence(text, Language.FRENCH)

    print(f"lingua on {len(texts)} clean texts, CPU ms per text:")
    for name, detect in (
        ("detect_language_of + compute_language_confidence", two_calls),
        ("language.detect", language.detect),
    ):
        start = time.process_time()
        for text in texts:
            detect(text)
        print(f"| {name} | {(time.process_time() - start) / len(texts) * 1000:.1f} |")


def profile(root: Path, folder: Path, top: int = 25) -> None:
    from coopnum.corpus import intake

    profiler = cProfile.Profile()
    profiler.enable()
    intake.add_articles(root, [folder])
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    print(out.getvalue())


def one_round(root: Path, folder: Path, paths: list[Path], mode: str) -> None:
    before = sum(1 for _ in (root / "corpus" / "raw").glob("*.txt"))
    if mode == "stages":
        stages(root, folder)
    elif mode == "profile":
        profile(root, folder)
    else:
        seconds, cpu, peak, said = timed_add(root, folder)
        print(f"coopnum add said: {said}")
        print("| files | corpus before | seconds | documents/s | CPU seconds | peak memory, all processes (MiB) |")
        print("|---|---|---|---|---|---|")
        print(f"| {len(paths)} | {before} | {seconds:.1f} | {len(paths) / seconds:.1f} | {cpu:.1f} | {peak:.0f} |")
    print(check_added(root, paths, before))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--stages", action="store_true", help="time each step in-process instead")
    parser.add_argument("--profile", action="store_true", help="cProfile the add in-process instead")
    parser.add_argument("--lingua", action="store_true", help="time lingua's two calls against one pass, only")
    parser.add_argument(
        "--again",
        action="store_true",
        help="then add as many other files to the grown corpus (existing documents' cost)",
    )
    args = parser.parse_args()
    mode = "stages" if args.stages else "profile" if args.profile else "timed"
    with tempfile.TemporaryDirectory(prefix="coopnum-add-") as tmp:
        if args.lingua:
            lingua_passes(generate(args.files, Path(tmp) / "scrapes"))
            return
        root = repository_copy(Path(tmp))
        for batch in range(2 if args.again else 1):
            folder = Path(tmp) / f"scrapes-{batch}"
            paths = generate(args.files, folder, seed=2026 + batch)
            one_round(root, folder, paths, mode)


if __name__ == "__main__":
    main()
