"""Step (a) of committing the learned line classifier (benchmarks/README.md, *Learned line classifier with the outlet
evidence*): can the study's boosting be exported as plain data and evaluated in pure Python with sklearn's figures?
Prints figures; asserts nothing; changes nothing in the cleaner.

PYTHONPATH=src:. .venv/bin/python benchmarks/line_trees.py [--out /tmp/line_trees.json]

Fits the study's "B boost" (line_classifier_cv.make("boost") on variant B's features, trained on EVERY fixture set),
writes its trees to a JSON file (per tree, per node: feature index, threshold, left and right child, leaf value,
where a missing value goes; and the baseline), reads that file back, evaluates every line's p(furniture) in pure
Python (no numpy, no sklearn), and prints the largest absolute difference from sklearn's ``predict_proba`` over every
line, and the evaluation time per line. Also prints whether sklearn stopped early (``early_stopping="auto"`` turns it
on above 10,000 training rows, which would make the tree count depend on the data size and a validation split).

The export reads sklearn's private fields (``_predictors``, ``_baseline_prediction``; checked with sklearn 1.8):
research code, not a format to keep. No categorical features (the study's are all numeric), so no bitsets.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from benchmarks.line_classifier_cv import fit, groups, load, table
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

Tree = dict[str, list[Any]]


def export(model: Any) -> dict[str, Any]:
    """The fitted binary HistGradientBoostingClassifier as plain data (one tree per iteration)."""
    trees: list[Tree] = []
    for per_class in model._predictors:
        (predictor,) = per_class  # binary: one tree per iteration
        nodes = predictor.nodes
        if np.any(nodes["is_categorical"]):
            raise ValueError("a categorical split: not exported (the study's features are all numeric)")
        leaf = nodes["is_leaf"].astype(bool)
        trees.append(
            {
                # a leaf's feature and children are meaningless: -1, so a reader cannot follow them
                "feature": [
                    int(f) if not is_leaf else -1 for f, is_leaf in zip(nodes["feature_idx"], leaf, strict=True)
                ],
                "threshold": [float(t) for t in nodes["num_threshold"]],
                "missing_left": [bool(m) for m in nodes["missing_go_to_left"]],
                "left": [int(c) if not is_leaf else -1 for c, is_leaf in zip(nodes["left"], leaf, strict=True)],
                "right": [int(c) if not is_leaf else -1 for c, is_leaf in zip(nodes["right"], leaf, strict=True)],
                "value": [float(v) for v in nodes["value"]],
            }
        )
    baseline = np.asarray(model._baseline_prediction).ravel()
    return {
        "kind": "binary gradient boosting, log loss: p(furniture) = 1 / (1 + exp(-(baseline + sum of leaf values)))",
        "sklearn": sklearn.__version__,
        "n_features": int(model.n_features_in_),
        "baseline": float(baseline[0]),
        "trees": trees,
    }


def leaf_value(tree: Tree, row: list[float]) -> float:
    """The leaf ``row`` reaches, as sklearn's predictor walks it: left when x <= threshold (NaN: missing_left)."""
    feature, threshold, missing_left = tree["feature"], tree["threshold"], tree["missing_left"]
    left, right = tree["left"], tree["right"]
    node = 0
    while feature[node] >= 0:
        x = row[feature[node]]
        go_left = missing_left[node] if math.isnan(x) else x <= threshold[node]
        node = left[node] if go_left else right[node]
    return tree["value"][node]


def raw_score(model: dict[str, Any], row: list[float]) -> float:
    raw = model["baseline"]
    for tree in model["trees"]:  # summed in sklearn's order: the baseline, then tree by tree (float sums differ else)
        raw += leaf_value(tree, row)
    return raw


def probability(model: dict[str, Any], row: list[float]) -> float:
    return 1.0 / (1.0 + math.exp(-raw_score(model, row)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/line_trees.json"), help="where the trees go")
    args = parser.parse_args()
    threadpool_limits(1)  # one thread, as the study: seeded and repeatable
    all_groups = groups()
    tab = table({g: load(g) for g in all_groups}, "B")
    x = np.vstack([tab.x[g] for g in all_groups])
    n_rows = len(x)
    print(f"B boost trained on every set: {n_rows} lines of {len(all_groups)} sets, {x.shape[1]} features")
    model = fit(tab, all_groups, "boost")
    print(
        f"early_stopping={model.early_stopping!r}: stopped early (do_early_stopping_) = {model.do_early_stopping_};"
        f" iterations {model.n_iter_} of max_iter {model.max_iter}"
    )
    print(f"  (sklearn's 'auto' switches it on above 10000 training rows; the largest training set here: {n_rows})")
    exported = export(model)
    args.out.write_text(json.dumps(exported), encoding="utf-8")
    print(f"wrote {args.out}: {args.out.stat().st_size} bytes, {len(exported['trees'])} trees, "
          f"{sum(len(t['value']) for t in exported['trees'])} nodes, baseline {exported['baseline']!r}")  # fmt: skip
    read = json.loads(args.out.read_text(encoding="utf-8"))
    rows = [[float(v) for v in r] for r in x.tolist()]
    sk = model.predict_proba(x)[:, 1]
    start = time.perf_counter()
    ours = [probability(read, r) for r in rows]
    elapsed = time.perf_counter() - start
    diff = np.abs(np.array(ours) - sk)
    print(f"pure Python vs sklearn predict_proba over {n_rows} lines: largest |difference| {diff.max():.3g}, "
          f"lines differing at all {int(np.sum(diff > 0))}")  # fmt: skip
    raw_sk = model._raw_predict(x).ravel()
    raw_ours = [raw_score(read, r) for r in rows]
    print(f"  raw scores (before the sigmoid): largest |difference| {np.abs(np.array(raw_ours) - raw_sk).max():.3g}")
    flips = int(np.sum((np.array(ours) < 0.5) != (sk < 0.5)))
    print(f"  decisions at p < 0.5 that differ: {flips}")
    print(f"pure-Python evaluation: {elapsed:.2f} s for {n_rows} lines, {1e6 * elapsed / n_rows:.0f} µs per line "
          "(the trees only, not the features)")  # fmt: skip
    start = time.perf_counter()
    model.predict_proba(x)
    print(
        f"sklearn predict_proba, one thread, one batch: {1e6 * (time.perf_counter() - start) / n_rows:.1f} µs per line"
    )


if __name__ == "__main__":
    main()
