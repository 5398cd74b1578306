"""Cleaning throughput on the seed corpus, repeated to a chosen size. Prints figures; asserts nothing.

.venv/bin/python benchmarks/clean_throughput.py --copies 200
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from coopnum.corpus.clean import clean_document
from coopnum.corpus.sources import read_corpus

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=200, help="how many times to clean each seed")
    args = parser.parse_args()
    docs = read_corpus(ROOT / "corpus")
    chars = sum(len(d.text) for d in docs) * args.copies
    start = time.perf_counter()
    for _ in range(args.copies):
        for d in docs:
            clean_document(d.text, d.source.doc_id)
    seconds = time.perf_counter() - start
    n = len(docs) * args.copies
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents        {n}")
    print(f"raw characters   {chars:,}")
    print(f"seconds          {seconds:.2f}")
    print(f"documents/s      {n / seconds:,.0f}")
    print(f"characters/s     {chars / seconds:,.0f}")
    print(f"peak RSS (MiB)   {rss_mib:.0f}")


if __name__ == "__main__":
    main()
