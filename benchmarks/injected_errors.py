"""Injected-error benchmark for `coopnum validate` (prints a table; asserts nothing).

Protocol (after Klie et al. 2023, annotation error detection): take a copy of the
gold; for each kind of error, inject ONE error at a random place (fixed seed), run
the validator, and compare its findings with those on the clean copy. A new
finding *hits* when it points at the injected place (same document, and the
same span, paragraph, topic or file); recall = injected errors with at least one
hit / injected errors; precision = hitting new findings / all new findings. No
ROC-AUC: the checks are flaggers, not scorers.

    .venv/bin/python benchmarks/injected_errors.py                    # the repository's gold
    .venv/bin/python benchmarks/injected_errors.py --use-test-fixture # the test fixture, before gold exists
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from coopnum import schema
from coopnum.annotation import format as ann
from coopnum.dataset.build import build
from coopnum.dataset.validation import validate
from coopnum.quality.findings import Finding

ROOT = Path(__file__).resolve().parent.parent
STRUCTURAL = {
    "span shifted",
    "span cut mid-word",
    "mention duplicated",
    "overlapping span",
    "stale text",
    "wrong IOB in ner",
}


@dataclass(frozen=True)
class Place:
    doc_id: str
    span: tuple[int, int] | None = None
    paragraph: int | None = None
    topic: str | None = None
    dataset_file: str | None = None


def _ranges(message: str) -> list[tuple[int, int]]:
    pairs = re.findall(r"\[(\d+), (\d+)\)", message) + re.findall(r"entity (\d+)-(\d+)", message)
    return [(int(a), int(b)) for a, b in pairs]


def identity(f: Finding) -> tuple:
    """A finding without the counts in its message: one whose counts change is not new."""
    return (f.check, f.document, f.annotation, f.field, tuple(_ranges(f.message)), re.sub(r"\d+", "#", f.message))


def hits(f: Finding, place: Place) -> bool:
    if place.dataset_file is not None:
        return f.check in ("ner_iob", "dataset_current", "dataset_counts") and (
            f.document == place.doc_id or place.dataset_file in f.message
        )
    if f.document != place.doc_id:
        return False
    if place.span is not None:
        s, e = place.span
        return any(a < e and s < b for a, b in _ranges(f.message)) or f.check == "stale_text"
    if place.paragraph is not None:
        return f"paragraph_stance {place.paragraph}:" in f.message or f.check in (
            "stance_contradiction",
            "gold_complete",
        )
    if place.topic is not None:
        return f"topic {place.topic}" in f.message or f.check in ("gold_complete", "topic_support")
    return True  # a document-level error: any finding on the document


# ------------------------------------------------------------------ injections


def _gold(obj: dict) -> dict:
    return next(a for a in obj["annotations"] if a["ground_truth"])


def _text(root: Path, doc_id: str) -> str:
    from coopnum.dataset.build import clean_corpus

    return next(d for d in clean_corpus(root / "corpus") if d.doc_id == doc_id).clean.text


Injector = Callable[[Path, dict, random.Random], Place | None]


def shift(root: Path, obj: dict, rng: random.Random) -> Place | None:
    s = rng.choice(_gold(obj)["entities"])
    original = (s["start"], s["end"])
    s["start"] += 1
    s["end"] += 1
    return Place(obj["doc_id"], original)


def cut(root: Path, obj: dict, rng: random.Random) -> Place | None:
    long_enough = [s for s in _gold(obj)["entities"] if len(s["text"]) >= 4]
    if not long_enough:
        return None
    s = rng.choice(long_enough)
    s["end"] -= 2
    s["text"] = s["text"][:-2]
    return Place(obj["doc_id"], (s["start"], s["end"]))


def flip_label(root: Path, obj: dict, rng: random.Random) -> Place | None:
    s = rng.choice(_gold(obj)["entities"])
    s["label"] = rng.choice([x for x in schema.ENTITY_LABELS if x != s["label"]])
    return Place(obj["doc_id"], (s["start"], s["end"]))


def delete(root: Path, obj: dict, rng: random.Random) -> Place | None:
    entities = _gold(obj)["entities"]
    s = entities.pop(rng.randrange(len(entities)))
    return Place(obj["doc_id"], (s["start"], s["end"]))


def duplicate(root: Path, obj: dict, rng: random.Random) -> Place | None:
    entities = _gold(obj)["entities"]
    s = rng.choice(entities)
    entities.append(dict(s))
    return Place(obj["doc_id"], (s["start"], s["end"]))


def overlap(root: Path, obj: dict, rng: random.Random) -> Place | None:
    text = _text(root, obj["doc_id"])
    s = rng.choice(_gold(obj)["entities"])
    end = min(len(text), s["end"] + rng.randint(3, 12))
    start = s["start"] + (len(s["text"]) // 2)
    _gold(obj)["entities"].append({"start": start, "end": end, "label": "MISC", "text": text[start:end]})
    return Place(obj["doc_id"], (start, end))


def stale(root: Path, obj: dict, rng: random.Random) -> Place | None:
    obj["text_sha256"] = f"{rng.getrandbits(256):064x}"
    return Place(obj["doc_id"])


def flip_stance(root: Path, obj: dict, rng: random.Random) -> Place | None:
    stances = _gold(obj)["paragraph_stances"]
    i = rng.randrange(len(stances))
    stances[i] = rng.choice([x for x in schema.STANCE_LABELS if x != stances[i]])
    return Place(obj["doc_id"], paragraph=i)


def remove_topic(root: Path, obj: dict, rng: random.Random) -> Place | None:
    topics = _gold(obj)["topics"]
    t = topics.pop(rng.randrange(len(topics)))
    return Place(obj["doc_id"], topic=t)


def wrong_iob(root: Path, obj: dict, rng: random.Random) -> Place | None:
    """Edit the built ner config: an I- tag where no entity of its type is open."""
    path = rng.choice(sorted((root / "dataset" / "data" / "ner").glob("*.parquet")))
    table = pq.read_table(path)
    rows = table.to_pylist()
    candidates = [(i, j) for i, r in enumerate(rows) for j, t in enumerate(r["fine_ner_tags"]) if t == 0]
    i, j = rng.choice(candidates)
    rows[i]["fine_ner_tags"][j] = schema.FINE_NER_TAGS.index("I-ORG")
    pq.write_table(type(table).from_pylist(rows, schema=table.schema), path)
    return Place(rows[i]["doc_id"], dataset_file=path.relative_to(root / "dataset").as_posix())


KINDS: dict[str, Injector] = {
    "span shifted": shift,
    "span cut mid-word": cut,
    "label flipped": flip_label,
    "mention deleted": delete,
    "mention duplicated": duplicate,
    "overlapping span": overlap,
    "stale text": stale,
    "stance flipped": flip_stance,
    "topic removed": remove_topic,
    "wrong IOB in ner": wrong_iob,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="a project root with annotations/ (default: this repo)")
    parser.add_argument("--use-test-fixture", action="store_true", help="use tests/annotation_fixture.py instead")
    parser.add_argument("--trials", type=int, default=30, help="injections per kind")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--gold-only",
        action="store_true",
        help="drop the passes and adjudication records first: what the checks catch from the gold alone",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="coopnum-aed-") as tmp:
        work = Path(tmp) / "project"
        work.mkdir()
        shutil.copytree(args.root / "corpus", work / "corpus")
        if args.use_test_fixture:
            sys.path.insert(0, str(ROOT))
            from tests.annotation_fixture import write_fixture

            write_fixture(work)
            source = "the test fixture (tests/annotation_fixture.py), not gold"
        else:
            shutil.copytree(args.root / "annotations", work / "annotations")
            source = f"the gold in {args.root / 'annotations'}"
        if args.gold_only:
            for path in (work / "annotations" / ann.SUBDIR).glob("*.json"):
                obj = json.loads(path.read_text(encoding="utf-8"))
                obj["annotations"] = [a for a in obj["annotations"] if a["ground_truth"]]
                path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
            (work / "annotations" / "adjudication.jsonl").unlink(missing_ok=True)
            source += ", gold only (passes and adjudication records dropped)"
        build(work)
        clean_findings = validate(work)
        errors_on_clean = [f for f in clean_findings if f.severity == "error"]
        baseline = {identity(f) for f in clean_findings}
        folder = work / "annotations" / ann.SUBDIR
        files = sorted(folder.glob("*.json"))
        pristine = {p: p.read_bytes() for p in files}
        data_pristine = {p: p.read_bytes() for p in (work / "dataset").rglob("*.parquet")}
        rng = random.Random(args.seed)
        rows = []
        for kind, inject in KINDS.items():
            injected = caught = new_total = new_hits = 0
            for _ in range(args.trials):
                path = rng.choice(files)
                obj = json.loads(path.read_text(encoding="utf-8"))
                place = inject(work, obj, rng)
                if place is None:
                    continue
                if inject is not wrong_iob:
                    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
                findings = set(validate(work, check_dataset=inject is wrong_iob))
                new = [f for f in findings if identity(f) not in baseline]
                if inject is not wrong_iob:
                    new = [f for f in new if not f.check.startswith("dataset")]  # the edited input makes dataset/ stale
                matching = [f for f in new if hits(f, place)]
                injected += 1
                caught += bool(matching)
                new_total += len(new)
                new_hits += len(matching)
                for p, data in pristine.items():
                    p.write_bytes(data)
                for p, data in data_pristine.items():
                    p.write_bytes(data)
            recall = caught / injected if injected else 0.0
            precision = new_hits / new_total if new_total else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            rows.append(
                (kind, "structural" if kind in STRUCTURAL else "annotation", injected, caught, recall, precision, f1)
            )

    print(f"source: {source}; {args.trials} injections per kind, seed {args.seed}")
    print(f"clean copy: {len(errors_on_clean)} errors, {len(clean_findings) - len(errors_on_clean)} warnings")
    print()
    print("| kind | class | injected | caught | recall | precision | F1 |")
    print("|---|---|---|---|---|---|---|")
    for kind, cls, n, c, r, p, f in rows:
        print(f"| {kind} | {cls} | {n} | {c} | {r:.2f} | {p:.2f} | {f:.2f} |")


if __name__ == "__main__":
    main()
