"""Our `ner` rows against `label_studio_sdk.converter`'s CONLL2003 export, on the same annotations.

Prints figures; asserts nothing; never runs as a test.

    .venv/bin/python benchmarks/vs_ls_converter.py --documents 500
    .venv/bin/python benchmarks/vs_ls_converter.py --documents 500 --pieces   # CPU time of each piece of ours

The annotations are the repository's gold, repeated over N documents (as in `scale.py`). For the
converter they are written as a Label Studio JSON export with one `text` field per task (the converter
reads one text field; our own project splits paragraphs), spans at document offsets. Both tools
start from that file and end with their output written: the converter's CoNLL file (it runs in one
process; it has no option for more), and our ``ner`` rows (spaCy's French tokenizer, the same
functions as the build: ``align.sentences``, ``rows.sentence_part`` and ``rows.ner_table``, the rows as Arrow
columns) in Parquet, the documents spread over
``--processes`` forked workers. Both outputs are checked for the two errors French text provokes:
an elided article glued to an entity token (« d'Andreev », « l'Élysée ») and sentence punctuation
left on a token (« Moscou. »).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import tempfile
import time
from pathlib import Path

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


CHUNK = 32  # tasks per worker call


def ner_table(tasks: list[tuple[str, str, list[tuple[int, int, str, str]]]]) -> object:
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
    return configs.ner_table(parts, registry.configs(True)["ner"].arrow_schema)


def ours(export_path: Path, out: Path, processes: int) -> None:
    """Export file → Parquet ``ner`` rows, the documents spread over ``processes`` workers."""
    import pyarrow.parquet as pq

    from coopnum.dataset import registry
    from coopnum.dataset.parquet import PARQUET_OPTIONS
    from coopnum.util.executor import parallel_map

    export = json.loads(export_path.read_text(encoding="utf-8"))
    tasks = [
        (
            str(t["id"]),
            t["data"]["text"],
            [
                (r["value"]["start"], r["value"]["end"], r["value"]["labels"][0], r["value"]["text"])
                for a in t["annotations"]
                for r in a["result"]
            ],
        )
        for t in export
    ]
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
    (the machine's other jobs only ever add time): where the time goes, tokenizer included."""
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
    steps = {
        "spaCy tokenizer, a Doc per paragraph": lambda: [
            tokenizer(d.clean.text[a:b]) for d in docs for a, b in d.paragraph_ranges
        ],
        "the same + Doc.to_array of 4 attributes": lambda: [
            tokenizer(d.clean.text[a:b]).to_array([IDX, LENGTH, IS_PUNCT, IS_SPACE])
            for d in docs
            for a, b in d.paragraph_ranges
        ],
        "align.sentences (the above + sentence starts, columns, Sentence views)": lambda: [
            align.sentences(d.clean.text, d.paragraph_ranges) for d in docs
        ],
        "rows.sentence_part (IOB2 tags by bisection)": lambda: [
            configs.sentence_part(str(i), d.clean.text, s, d.gold.entities, 0)
            for i, (d, s) in enumerate(zip(docs, sents, strict=True))
        ],
        "rows.ner_table (Arrow columns, chunks of 32)": lambda: [
            configs.ner_table(parts[i : i + CHUNK], schema) for i in range(0, len(parts), CHUNK)
        ],
    }
    print(f"{documents} documents, one process, best of {repeats}")
    print("| piece | CPU ms per document |\n|---|---|")
    for name, step in steps.items():
        best = float("inf")
        for _ in range(repeats):
            start = time.process_time()
            step()
            best = min(best, time.process_time() - start)
        print(f"| {name} | {best / documents * 1000:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--pieces", action="store_true", help="CPU time of each piece of our export instead")
    args = parser.parse_args()
    if args.pieces:
        pieces(args.documents)
        return

    from label_studio_sdk.converter import Converter

    from coopnum.dataset.build import annotated_documents
    from coopnum.text import align

    seeds = annotated_documents(ROOT)
    docs = [seeds[i % len(seeds)] for i in range(args.documents)]
    chars = sum(len(d.clean.text) for d in docs)
    align.french()  # loaded before either clock starts, like the converter's imports

    with tempfile.TemporaryDirectory(prefix="coopnum-vs-") as tmp:
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
        src = Path(tmp) / "export.json"
        src.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
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
