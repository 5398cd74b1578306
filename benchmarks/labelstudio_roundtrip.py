"""Push and pull through a real Label Studio: 1,000 synthetic documents, 2 annotations each.

Documents copy the paragraph lengths of the seed articles (cycled), with French
words and an emoji now and then. Prints tasks/s for push (spaCy pre-annotation
included unless --no-predictions), annotations/s for pull, and the client's
peak RSS for each (pull runs in a fresh process so its figure is its own).

    .venv/bin/python -m benchmarks.labelstudio_roundtrip [--docs 1000] [--no-predictions]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.lshelpers import REPO, document, running_server

from coopnum.dataset.build import clean_corpus
from coopnum.labelstudio import preannotate
from coopnum.labelstudio import sync as lssync

WORDS = [
    "la",
    "Russie",
    "Moscou",
    "coopération",
    "numérique",
    "Yandex",
    "Sberbank",
    "marché",
    "forum",
    "technologies",
    "entreprises",
    "Kazan",
    "😀",
]


def synthetic(n: int) -> list:
    seeds = [d.clean for d in clean_corpus(REPO / "corpus")]
    shapes = [[p.end - p.start for p in d.paragraphs] for d in seeds]
    rng = random.Random(1)
    docs = []
    for i in range(n):
        paragraphs = []
        for length in shapes[i % len(shapes)]:
            words: list[str] = []
            while sum(len(w) + 1 for w in words) < length:
                words.append(rng.choice(WORDS))
            paragraphs.append(" ".join(words))
        docs.append(document(f"{i:016x}", paragraphs))
    return docs


PULL = """
import json, sys, time
from pathlib import Path
from coopnum.labelstudio import client as lsclient
from coopnum.labelstudio import sync as lssync
from coopnum.annotation.pseudonyms import AnnotatorMap
url, token, out = sys.argv[1:4]
t = time.perf_counter()
r = lssync.pull(lsclient.Client(lsclient.Connection(url, token)), "bench", Path(out) / "annotations",
                  AnnotatorMap.load(Path(out) / "map.json"))
# VmHWM, not ru_maxrss: the latter keeps the forking parent's pages from before exec
hwm = next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM:"))
print(json.dumps({"seconds": time.perf_counter() - t, "annotations": r.counts_out.annotations, "rss_mb": hwm / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--no-predictions", action="store_true")
    args = parser.parse_args()
    docs = synthetic(args.docs)
    chars = sum(len(d.text) for d in docs)
    print(
        f"{len(docs)} documents, {chars / len(docs):.0f} characters and {sum(len(d.paragraphs) for d in docs) / len(docs):.1f} paragraphs on average"
    )
    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp)) as server:
        client = server.client()
        nlp = None if args.no_predictions else preannotate.load_model()

        def predictor(ds):
            return preannotate.predict(nlp, ([(d.text[p.start : p.end], p.start) for p in d.paragraphs] for d in ds))

        t = time.perf_counter()
        r = lssync.push(
            client,
            docs,
            "bench",
            None if nlp is None else predictor,
            None if nlp is None else preannotate.model_version(nlp),
        )
        push_s = time.perf_counter() - t
        print(
            f"push: {r.created} tasks, {r.predictions} predictions in {push_s:.1f} s = {r.created / push_s:.0f} tasks/s; client peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
        )
        t = time.perf_counter()
        r2 = lssync.push(client, docs, "bench", None, None)
        print(f"push again (all unchanged: {r2.unchanged}): {time.perf_counter() - t:.1f} s")

        users = [client.ls.users.create(username=f"bench{i}", email=f"bench{i}@coopnum.invalid").id for i in range(2)]
        tasks = client.tasks(client.project("bench").id)
        t = time.perf_counter()
        for task in tasks:
            for user in users:
                client.ls.annotations.create(
                    id=task["id"],
                    completed_by=user,
                    result=[
                        {"from_name": "stance", "to_name": "doc", "type": "choices", "value": {"choices": ["NONE"]}},
                        {
                            "from_name": "ner_1",
                            "to_name": "p_1",
                            "type": "labels",
                            "value": {"start": 0, "end": 2, "labels": ["LOC"]},
                        },
                    ],
                )
        print(f"(setup: {2 * len(tasks)} annotations posted in {time.perf_counter() - t:.1f} s)")
        out = subprocess.run(
            [sys.executable, "-c", PULL, server.url, server.admin.token, tmp],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
        )
        p = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"pull: {p['annotations']} annotations in {p['seconds']:.1f} s = {p['annotations'] / p['seconds']:.0f} annotations/s; client peak RSS {p['rss_mb']:.0f} MB"
        )


if __name__ == "__main__":
    main()
