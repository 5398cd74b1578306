"""Our `ner` rows against `label_studio_sdk.converter`'s CONLL2003 export, on the same annotations.

Prints figures; asserts nothing; never runs as a test.

    .venv/bin/python benchmarks/vs_ls_converter.py --documents 500

The annotations are the repository's gold, repeated over N documents (as in `scale.py`). For the
converter they are written as a Label Studio JSON export with one `text` field per task (the converter
reads one text field; our own project splits paragraphs), spans at document offsets. Both tools are
timed in this one process, single-threaded, and their output is checked for the two errors French
text provokes: an elided article glued to an entity token (« d'Andreev », « l'Élysée ») and sentence
punctuation left on a token (« Moscou. »).
"""

from __future__ import annotations

import argparse
import json
import re
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


def errors(tokens_tags: list[tuple[str, str]]) -> tuple[int, int, int]:
    """(entity tokens, entity tokens with a glued elision, entity tokens ending in punctuation)."""
    ent = [t for t, tag in tokens_tags if tag != "O"]
    return len(ent), sum(bool(ELIDED.match(t)) for t in ent), sum(bool(TRAILING_PUNCT.search(t)) for t in ent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=500)
    args = parser.parse_args()

    from label_studio_sdk.converter import Converter

    from coopnum import schema
    from coopnum.build import attach_annotations, clean_corpus
    from coopnum.configs import Document, ner_rows

    seeds = attach_annotations(clean_corpus(ROOT / "corpus"), ROOT / "annotations")
    docs = [seeds[i % len(seeds)] for i in range(args.documents)]
    chars = sum(len(d.clean.text) for d in docs)

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
        start = time.perf_counter()
        converter.convert_to_conll2003(str(src), str(Path(tmp) / "out"), is_dir=False)
        theirs_s = time.perf_counter() - start
        conll = next((Path(tmp) / "out").glob("*.conll")).read_text(encoding="utf-8")
        theirs = [
            (line.split(" ")[0], line.split(" ")[-1])
            for line in conll.splitlines()
            if line.strip() and not line.startswith("-DOCSTART-")
        ]

    start = time.perf_counter()
    fresh = [Document(d.source, d.clean, d.split, d.fold, d.annotations) for d in docs]  # no cached tokens
    rows = [r for d in fresh for r in ner_rows(d)]
    ours_s = time.perf_counter() - start
    ours = [
        (t, schema.FINE_NER_TAGS[tag]) for r in rows for t, tag in zip(r["tokens"], r["fine_ner_tags"], strict=True)
    ]

    print(
        f"{args.documents} documents, {chars:,} characters, {sum(len(d.gold.entities) for d in docs):,} gold entities"
    )
    print("| tool | seconds | documents/s | characters/s | entity tokens | glued elisions | trailing punctuation |")
    print("|---|---|---|---|---|---|---|")
    for name, secs, pairs in (
        ("label_studio_sdk.converter CONLL2003", theirs_s, theirs),
        ("coopnum ner rows", ours_s, ours),
    ):
        n, glued, punct = errors(pairs)
        print(f"| {name} | {secs:.2f} | {args.documents / secs:.0f} | {chars / secs:,.0f} | {n} | {glued} | {punct} |")
    print(f"throughput ratio (coopnum / converter): {theirs_s / ours_s:.2f}; coopnum used one core")


if __name__ == "__main__":
    main()
