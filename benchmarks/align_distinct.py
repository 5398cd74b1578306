"""``align.sentences`` over distinct texts: every cleaning fixture's clean text, two passes in one process, CPU ms
per document (the first pass meets every chunk for the first time). Prints figures; asserts nothing.

    PYTHONPATH=<src>:. .venv/bin/python benchmarks/align_distinct.py LABEL
"""

import glob
import sys
import time
from pathlib import Path

from coopnum.corpus.clean import clean_document
from coopnum.text import align

texts: list[tuple[str, list[tuple[int, int]]]] = []
for f in sorted(glob.glob("tests/fixtures/cleaning/*/*.txt")):
    d = clean_document(Path(f).read_text(encoding="utf-8"), Path(f).stem)
    paragraphs = [(p.start, p.end) for p in d.paragraphs]  # the build's paragraphs
    if paragraphs:
        texts.append((d.text, paragraphs))
align.french()
align.sentences("Mise en route.", [(0, 14)])
for rnd in (1, 2):
    c = time.process_time()
    for t, p in texts:
        align.sentences(t, p)
    ms = (time.process_time() - c) * 1000 / len(texts)
    print(sys.argv[1], f"pass {rnd}: {len(texts)} texts, {ms:.3f} CPU ms/doc", flush=True)
