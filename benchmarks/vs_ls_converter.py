"""Our `ner` rows against `label_studio_sdk.converter`'s CONLL2003 export, on the same annotations.

Prints figures; asserts nothing; never runs as a test.

    .venv/bin/python benchmarks/vs_ls_converter.py --documents 500
    .venv/bin/python benchmarks/vs_ls_converter.py --documents 500 --pieces   # CPU time of each piece of ours
    .venv/bin/python benchmarks/vs_ls_converter.py --documents 500 --profile  # ours by process and thread

The annotations are the repository's gold, repeated over N documents (as in `scale.py`). For the
converter they are written as a Label Studio JSON export with one `text` field per task (the converter
reads one text field; our own project splits paragraphs), spans at document offsets. Both tools
start from that file and end with their output written: the converter's CoNLL file (it runs in one
process; it has no option for more), and our ``ner`` rows (spaCy's French tokenizer, the same
functions as the build: ``align.sentences``, ``rows.sentence_part`` and ``rows.ner_table``, the rows as Arrow
columns) in Parquet, the export parsed a task at a time and its chunks handed to ``--processes`` forked
workers as they are parsed, each table written as it comes back (after the clocks, the rows are compared
with those of the export parsed whole and mapped by ``util.executor.parallel_map``). Both outputs are checked for the two errors French text provokes:
an elided article glued to an entity token (« d'Andreev », « l'Élysée ») and sentence punctuation
left on a token (« Moscou. »).
"""

from __future__ import annotations

import argparse
import collections
import gc
import itertools
import json
import multiprocessing
import os
import re
import resource
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ELIDED = re.compile(r"^(?:[dlmnstjc]|qu|jusqu|lorsqu|puisqu)['’]\w", re.IGNORECASE)
TRAILING_PUNCT = re.compile(r"\w[.,;:!?]$")

LABEL_CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Labels name="label" toName="text">
    <Label value="PER"/><Label value="ORG"/><Label value="LOC"/><Label value="EVENT"/><Label value="MISC"/>
  </Labels>
</View>"""


def cpu_seconds() -> float:
    """CPU seconds of this process and of its finished children (the workers, once joined): a figure the
    other jobs on a shared machine move less than wall-clock time."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def errors(tokens_tags: list[tuple[str, str]]) -> tuple[int, int, int]:
    """(entity tokens, entity tokens with a glued elision, entity tokens ending in punctuation)."""
    ent = [t for t, tag in tokens_tags if tag != "O"]
    return len(ent), sum(bool(ELIDED.match(t)) for t in ent), sum(bool(TRAILING_PUNCT.search(t)) for t in ent)


CHUNK = 32  # tasks per worker call (and so per Parquet row group)
IN_FLIGHT = 3  # chunks submitted per worker ahead of the one whose result is awaited

Task = tuple[str, str, list[tuple[int, int, str, str]]]  # (id, text, spans as (start, end, label, text))


def ner_table(tasks: list[Task]) -> object:
    """Our ``ner`` rows for some export tasks, as an Arrow table (runs in a worker)."""
    from coopnum.annotation.format import Span
    from coopnum.dataset import registry
    from coopnum.dataset import rows as configs
    from coopnum.text import align

    parts = []
    for task_id, text, spans in tasks:
        paragraphs = [m.span() for m in re.finditer(r"[^\n]+", text)]
        sents = align.sentences(text, paragraphs)
        parts.append(configs.sentence_part(task_id, text, sents, [Span(*s) for s in spans], 0))
    return configs.ner_table(parts, registry.arrow_schema("ner", True))


def task_of(t: dict[str, Any]) -> Task:
    spans = [
        (r["value"]["start"], r["value"]["end"], r["value"]["labels"][0], r["value"]["text"])
        for a in t["annotations"]
        for r in a["result"]
    ]
    return str(t["id"]), t["data"]["text"], spans


def export_tasks(raw: str) -> Iterator[Task]:
    """The tasks of a Label Studio JSON export (an array of task objects), each parsed when reached by
    ``json``'s own scanner (``raw_decode``, the same objects as ``json.loads`` of the array), so that
    the workers start on the first chunk while the rest of the file is parsed."""
    decoder, blank = json.JSONDecoder(), re.compile(r"[ \t\n\r]*")

    def skip(i: int) -> int:
        match = blank.match(raw, i)
        assert match is not None  # the pattern matches the empty string
        return match.end()

    i = skip(0)
    if raw[i : i + 1] != "[":
        raise ValueError("a Label Studio JSON export is an array of tasks")
    i = skip(i + 1)
    if raw[i : i + 1] == "]":
        return
    while True:
        task, i = decoder.raw_decode(raw, i)
        yield task_of(task)
        i = skip(i)
        if raw[i : i + 1] == "]":
            return
        if raw[i : i + 1] != ",":
            raise ValueError(f"unexpected {raw[i : i + 1]!r} at character {i} of the export")
        i = skip(i + 1)


def chunked(tasks: Iterable[Task], size: int) -> Iterator[list[Task]]:
    iterator = iter(tasks)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def streamed_map(step: Callable[[list[Task]], Any], chunks: Iterable[list[Task]], processes: int) -> Iterator[Any]:
    """``map(step, chunks)`` over forked workers, results in order, chunks taken from ``chunks`` only as
    the workers need them (``util.executor.parallel_map`` takes a sequence, so the whole export would be
    parsed before the first worker starts)."""
    if processes <= 1:
        yield from map(step, chunks)
        return
    gc.freeze()  # what exists now is shared with the workers: keep their collectors off those pages
    executor = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"))
    try:
        pending: collections.deque[Future[Any]] = collections.deque()
        for chunk in chunks:
            pending.append(executor.submit(step, chunk))
            if len(pending) >= IN_FLIGHT * processes:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


def ours(export_path: Path, out: Path, processes: int) -> None:
    """Export file → Parquet ``ner`` rows, the documents spread over ``processes`` workers as the export is
    parsed, each table written as it comes back."""
    import pyarrow.parquet as pq

    from coopnum.dataset import registry
    from coopnum.dataset.parquet import PARQUET_OPTIONS

    raw = export_path.read_bytes().decode("utf-8")  # (read_text would translate newlines too: slower)
    with pq.ParquetWriter(out, registry.arrow_schema("ner", True), **PARQUET_OPTIONS) as writer:
        for table in streamed_map(ner_table, chunked(export_tasks(raw), CHUNK), processes):
            writer.write_table(table)


def ours_before(export_path: Path, out: Path, processes: int) -> None:
    """:func:`ours` as it was (the whole export parsed first, then ``util.executor.parallel_map``), for
    ``--compare``."""
    import pyarrow.parquet as pq

    from coopnum.dataset import registry
    from coopnum.dataset.parquet import PARQUET_OPTIONS
    from coopnum.util.executor import parallel_map

    export = json.loads(export_path.read_text(encoding="utf-8"))
    tasks = [task_of(t) for t in export]
    chunks = [tasks[i : i + CHUNK] for i in range(0, len(tasks), CHUNK)]
    with pq.ParquetWriter(out, registry.configs(True)["ner"].arrow_schema, **PARQUET_OPTIONS) as writer:
        for table in parallel_map(ner_table, chunks, processes):
            writer.write_table(table)


def token_tags(parquet: Path) -> list[tuple[str, str]]:
    """(token, fine tag) pairs of a ``ner`` Parquet file, read back after the clock stopped."""
    import pyarrow.parquet as pq

    from coopnum import schema

    rows = pq.read_table(parquet, columns=["tokens", "fine_ner_tags"]).to_pylist()
    return [
        (t, schema.FINE_NER_TAGS[tag]) for r in rows for t, tag in zip(r["tokens"], r["fine_ner_tags"], strict=True)
    ]


def pieces(documents: int, repeats: int = 5) -> None:
    """CPU milliseconds per document of each piece of our export, in one process, the best of ``repeats``
    (the machine's other jobs only ever add time): where the time goes, tokenizer included. Each piece
    has its setup, run before each repeat and not timed (the tokenizer's cache emptied or filled)."""
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH

    from coopnum.dataset import registry
    from coopnum.dataset import rows as configs
    from coopnum.dataset.build import annotated_documents
    from coopnum.text import align

    seeds = annotated_documents(ROOT)
    docs = [seeds[i % len(seeds)] for i in range(documents)]
    tokenizer = align.french().tokenizer  # type: ignore[attr-defined]
    schema = registry.arrow_schema("ner", True)
    sents = [align.sentences(d.clean.text, d.paragraph_ranges) for d in docs]
    parts = [
        configs.sentence_part(str(i), d.clean.text, s, d.gold.entities, 0)
        for i, (d, s) in enumerate(zip(docs, sents, strict=True))
    ]
    warm = getattr(align, "warm_cache", None)  # (absent before the fifth round)

    def paragraphs() -> None:
        for d in docs:
            for a, b in d.paragraph_ranges:
                tokenizer(d.clean.text[a:b])

    def empty_cache() -> None:
        tokenizer._flush_cache()
        getattr(align, "_warmed", set()).clear()

    def filled_by_spacy() -> None:
        empty_cache()
        paragraphs()

    def warmed() -> None:
        empty_cache()
        for d in docs:
            warm(d.clean.text)

    def nothing() -> None:
        pass

    steps: dict[str, tuple[Callable[[], None], Callable[[], object]] | None] = {
        "spaCy tokenizer, a Doc per paragraph, its cache as spaCy fills it": (filled_by_spacy, paragraphs),
        "the same, the cache warmed chunk by chunk (align.warm_cache)": (warmed, paragraphs) if warm else None,
        "align.warm_cache itself, every chunk already warm": (nothing, lambda: [warm(d.clean.text) for d in docs])
        if warm
        else None,
        "the same + Doc.to_array of 4 attributes": (
            nothing,
            lambda: [
                tokenizer(d.clean.text[a:b]).to_array([IDX, LENGTH, IS_PUNCT, IS_SPACE])
                for d in docs
                for a, b in d.paragraph_ranges
            ],
        ),
        "align.sentences (tokens, sentence starts, columns, Sentence views), cache as left by the above": (
            nothing,
            lambda: [align.sentences(d.clean.text, d.paragraph_ranges) for d in docs],
        ),
        "align.sentences of the distinct documents, the cache emptied first (text new to it)": (
            empty_cache,
            lambda: [align.sentences(d.clean.text, d.paragraph_ranges) for d in seeds],
        ),
        "rows.sentence_part (IOB2 tags by bisection)": (
            nothing,
            lambda: [
                configs.sentence_part(str(i), d.clean.text, s, d.gold.entities, 0)
                for i, (d, s) in enumerate(zip(docs, sents, strict=True))
            ],
        ),
        "rows.ner_table (Arrow columns, chunks of 32)": (
            nothing,
            lambda: [configs.ner_table(parts[i : i + CHUNK], schema) for i in range(0, len(parts), CHUNK)],
        ),
    }
    print(f"{documents} documents ({len(seeds)} distinct), one process, best of {repeats}")
    print("| piece | CPU ms per document |\n|---|---|")
    for name, piece in steps.items():
        if piece is None:
            print(f"| {name} | (no align.warm_cache) |")
            continue
        setup, step = piece
        count = len(seeds) if "distinct" in name else documents
        best = float("inf")
        for _ in range(repeats):
            setup()
            start = time.process_time()
            step()
            best = min(best, time.process_time() - start)
        print(f"| {name} | {best / count * 1000:.3f} |")


def write_export(docs: list[Any], path: Path) -> None:
    """The documents' gold as a Label Studio JSON export: one task per document, one ``text`` field."""
    export = [
        {
            "id": i + 1,
            "data": {"text": d.clean.text},
            "annotations": [
                {
                    "id": i + 1,
                    "result": [
                        {
                            "id": f"r{k}",
                            "from_name": "label",
                            "to_name": "text",
                            "type": "labels",
                            "value": {"start": s.start, "end": s.end, "text": s.text, "labels": [s.label]},
                        }
                        for k, s in enumerate(d.gold.entities)
                    ],
                }
            ],
        }
        for i, d in enumerate(docs)
    ]
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")


def timed_table(tasks: list[Task]) -> tuple[object, float, int]:
    """:func:`ner_table` with the worker's CPU seconds for it and the worker's process id (``--profile``)."""
    start = time.process_time()
    table = ner_table(tasks)
    return table, time.process_time() - start, os.getpid()


def profile(documents: int, processes: int) -> None:
    """Where :func:`ours` spends its CPU time, by process and thread: the main thread's parsing, Parquet
    writing and the rest; the main process's other threads (the pool's, pickling chunks and unpickling
    tables); each worker's first chunk (its tokenizer's vocabulary and cache still empty) against its
    later ones."""
    import pyarrow.parquet as pq

    from coopnum.dataset import registry
    from coopnum.dataset.build import annotated_documents
    from coopnum.dataset.parquet import PARQUET_OPTIONS
    from coopnum.text import align

    seeds = annotated_documents(ROOT)
    align.french().tokenizer._flush_cache()  # type: ignore[attr-defined]  # as in main(): workers start cold
    getattr(align, "_warmed", set()).clear()
    with tempfile.TemporaryDirectory(prefix="coopnum-vs-") as tmp:
        src = Path(tmp) / "export.json"
        write_export([seeds[i % len(seeds)] for i in range(documents)], src)
        spent = {"parse": 0.0, "write": 0.0}
        wall, process_cpu, thread_cpu = time.perf_counter(), time.process_time(), time.thread_time()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)

        def parsed(chunks: Iterator[list[Task]]) -> Iterator[list[Task]]:
            while True:
                start = time.thread_time()
                chunk = next(chunks, None)
                spent["parse"] += time.thread_time() - start
                if chunk is None:
                    return
                yield chunk

        per_worker: dict[int, list[float]] = collections.defaultdict(list)
        raw = src.read_bytes().decode("utf-8")
        with pq.ParquetWriter(Path(tmp) / "ner.parquet", registry.arrow_schema("ner", True), **PARQUET_OPTIONS) as w:
            for table, cpu, pid in streamed_map(timed_table, parsed(chunked(export_tasks(raw), CHUNK)), processes):
                per_worker[pid].append(cpu)
                start = time.thread_time()
                w.write_table(table)
                spent["write"] += time.thread_time() - start
        wall = time.perf_counter() - wall
        main_thread = time.thread_time() - thread_cpu
        other_threads = time.process_time() - process_cpu - main_thread
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        workers = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    print(f"{documents} documents ({len(seeds)} distinct), {processes} workers, chunks of {CHUNK}: {wall:.3f} s wall")
    print("| where | CPU seconds |\n|---|---|")
    print(f"| main thread: parsing the export | {spent['parse']:.3f} |")
    print(f"| main thread: Parquet writer | {spent['write']:.3f} |")
    print(
        f"| main thread: the rest (submitting, waiting, forking) | {main_thread - spent['parse'] - spent['write']:.3f} |"
    )
    print(f"| main process, other threads (the pool's: pickling, unpickling) | {other_threads:.3f} |")
    print(f"| workers, all (their own count) | {workers:.3f} |")
    for k, times in enumerate(per_worker.values()):
        later = times[1:] or [float("nan")]
        print(
            f"| worker {k + 1}: first chunk / mean of its {len(later)} later ones | "
            f"{times[0]:.3f} / {sum(later) / len(later):.3f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--pieces", action="store_true", help="CPU time of each piece of our export instead")
    parser.add_argument("--profile", action="store_true", help="CPU time of our export by process instead")
    args = parser.parse_args()
    if args.pieces:
        pieces(args.documents)
        return
    if args.profile:
        profile(args.documents, args.processes)
        return

    from label_studio_sdk.converter import Converter

    from coopnum.dataset.build import annotated_documents
    from coopnum.text import align

    seeds = annotated_documents(ROOT)
    docs = [seeds[i % len(seeds)] for i in range(args.documents)]
    chars = sum(len(d.clean.text) for d in docs)
    align.french()  # loaded before either clock starts, like the converter's imports
    # ... but with its cache emptied: loading the corpus tokenised the seeds here, and the workers would
    # inherit their chunks already split (the vocabulary's lexemes stay: spaCy has no way to drop them)
    align.french().tokenizer._flush_cache()  # type: ignore[attr-defined]
    getattr(align, "_warmed", set()).clear()

    with tempfile.TemporaryDirectory(prefix="coopnum-vs-") as tmp:
        src = Path(tmp) / "export.json"
        write_export(docs, src)
        converter = Converter(LABEL_CONFIG, tmp, download_resources=False)
        start, cpu = time.perf_counter(), cpu_seconds()
        converter.convert_to_conll2003(str(src), str(Path(tmp) / "out"), is_dir=False)
        theirs_s, theirs_cpu = time.perf_counter() - start, cpu_seconds() - cpu
        conll = next((Path(tmp) / "out").glob("*.conll")).read_text(encoding="utf-8")
        theirs = [
            (line.split(" ")[0], line.split(" ")[-1])
            for line in conll.splitlines()
            if line.strip() and not line.startswith("-DOCSTART-")
        ]
        start, cpu = time.perf_counter(), cpu_seconds()
        ours(src, Path(tmp) / "ner.parquet", args.processes)
        ours_s, ours_cpu = time.perf_counter() - start, cpu_seconds() - cpu
        our_pairs = token_tags(Path(tmp) / "ner.parquet")
        # after the clocks: the streamed export gives the rows of the whole export parsed first, in order
        ours_before(src, Path(tmp) / "ner-whole.parquet", args.processes)
        import pyarrow.parquet as pq

        same_rows = pq.read_table(Path(tmp) / "ner.parquet").equals(pq.read_table(Path(tmp) / "ner-whole.parquet"))

    print(
        f"{args.documents} documents, {chars:,} characters, {sum(len(d.gold.entities) for d in docs):,} gold entities"
    )
    print(
        "| tool | processes | seconds | CPU seconds | documents/s | characters/s | entity tokens | glued elisions "
        "| trailing punctuation |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, procs, secs, cpu_s, pairs in (
        ("label_studio_sdk.converter CONLL2003", 1, theirs_s, theirs_cpu, theirs),
        ("coopnum ner rows (Parquet)", args.processes, ours_s, ours_cpu, our_pairs),
    ):
        n, glued, punct = errors(pairs)
        print(
            f"| {name} | {procs} | {secs:.2f} | {cpu_s:.2f} | {args.documents / secs:.0f} | {chars / secs:,.0f} "
            f"| {n} | {glued} | {punct} |"
        )
    print(f"our rows equal those of the export parsed whole, then util.executor.parallel_map: {same_rows}")
    print(f"throughput ratio (coopnum / converter): {theirs_s / ours_s:.2f}")
    print(f"CPU ratio (converter CPU seconds / coopnum CPU seconds, all processes): {theirs_cpu / ours_cpu:.2f}")
    tokenizer = align.french().tokenizer  # type: ignore[attr-defined]
    paragraphs = [p for d in docs for p in d.clean.text.split("\n")]
    start = time.perf_counter()
    for p in paragraphs:
        tokenizer(p)
    alone = time.perf_counter() - start
    print(f"spaCy's French tokenizer alone, one process, same texts: {chars / alone:,.0f} characters/s")


if __name__ == "__main__":
    main()
