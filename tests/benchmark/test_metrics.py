"""The metrics against scikit-learn and seqeval on seeded random data (as seqeval's own tests check
themselves against conlleval), and the absent-label policy: a perfect system scores 1.0."""

from __future__ import annotations

import math
import random
import statistics

import numpy as np
import pytest
from seqeval.metrics import classification_report, f1_score, precision_score, recall_score
from seqeval.scheme import IOB2
from sklearn.metrics import f1_score as sk_f1
from sklearn.preprocessing import MultiLabelBinarizer

from coopnum import schema
from coopnum.benchmark import metrics

SEEDS = range(100)


def close(ours: float | None, theirs: float) -> bool:
    return (ours is None and math.isnan(theirs)) or (ours is not None and math.isclose(ours, theirs, abs_tol=1e-12))


def random_labels(rng: random.Random, labels: tuple[str, ...], n: int) -> list[str]:
    # a random subset of the labels in use, so that some label is often absent from the gold
    used = rng.sample(labels, rng.randint(1, len(labels)))
    return [rng.choice(used) for _ in range(n)]


@pytest.mark.parametrize("seed", SEEDS)
def test_single_label_scores_equal_scikit_learn(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(1, 30)
    gold = random_labels(rng, schema.STANCE_LABELS, n)
    pred = random_labels(rng, schema.STANCE_LABELS, n)
    ours = metrics.stance(gold, pred, schema.STANCE_LABELS)
    per = sk_f1(gold, pred, labels=list(schema.STANCE_LABELS), average=None, zero_division=np.nan)
    assert close(
        ours["macro_f1"], sk_f1(gold, pred, labels=list(schema.STANCE_LABELS), average="macro", zero_division=np.nan)
    )
    for i, label in enumerate(schema.STANCE_LABELS):
        assert close(ours["per_label"][label]["f1"], per[i])
    favor_against = [x for x in per[:2] if not math.isnan(x)]
    assert close(ours["f_avg"], statistics.fmean(favor_against) if favor_against else math.nan)
    assert ours["absent_from_gold"] == [label for label in schema.STANCE_LABELS if label not in gold]


@pytest.mark.parametrize("seed", SEEDS)
def test_multi_label_scores_equal_scikit_learn(seed: int) -> None:
    rng = random.Random(seed)
    labels = schema.TOPIC_LABELS
    used = rng.sample(labels, rng.randint(1, len(labels)))
    n = rng.randint(1, 12)
    gold = [frozenset(rng.sample(used, rng.randint(0, min(3, len(used))))) for _ in range(n)]
    pred = [frozenset(rng.sample(labels, rng.randint(0, 3))) for _ in range(n)]
    ours = metrics.multi_label(gold, pred, labels)
    binarizer = MultiLabelBinarizer(classes=list(labels))
    t, q = binarizer.fit_transform([sorted(s) for s in gold]), binarizer.transform([sorted(s) for s in pred])
    assert close(ours["micro_f1"], sk_f1(t, q, average="micro", zero_division=np.nan))
    assert close(ours["macro_f1"], sk_f1(t, q, average="macro", zero_division=np.nan))  # unrounded: equal, not near


def random_tags(rng: random.Random, n: int, valid: bool) -> list[str]:
    tags = []
    for _ in range(n):
        kind = rng.choice(schema.CONLL_LABELS)
        r = rng.random()
        if r < 0.6:
            tags.append("O")
        elif r < 0.8 or not tags or (valid and tags[-1] == "O"):
            tags.append(f"B-{kind}")
        else:
            previous = tags[-1][2:] if tags[-1] != "O" else kind
            tags.append(f"I-{previous if valid else kind}")
    return tags


@pytest.mark.parametrize("seed", SEEDS)
def test_entity_scores_equal_seqeval_strict_and_default(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(1, 8)
    lengths = [rng.randint(1, 12) for _ in range(n)]
    gold = [random_tags(rng, k, valid=True) for k in lengths]
    pred = [random_tags(rng, k, valid=rng.random() < 0.5) for k in lengths]
    ours = metrics.entities(gold, pred, schema.CONLL_LABELS, [str(i) for i in range(n)])
    strict = {"mode": "strict", "scheme": IOB2}
    if ours["support"] and ours["predicted"]:
        assert close(ours["f1"], f1_score(gold, pred, **strict))
        assert close(ours["precision"], precision_score(gold, pred, **strict))
        assert close(ours["recall"], recall_score(gold, pred, **strict))
        report = classification_report(gold, pred, output_dict=True, zero_division=0, **strict)
        for kind, block in ours["per_type"].items():
            if kind in report:
                assert close(block["f1"], report[kind]["f1-score"]), kind
    if any(t != "O" for s in gold + pred for t in s):
        assert close(ours["conlleval"]["f1"], f1_score(gold, pred))  # seqeval's default mode: conlleval's
    assert ours["invalid_iob2_rows"] == sum(metrics.invalid_iob2(p) for p in pred)


def test_a_perfect_system_scores_one_whatever_labels_are_absent() -> None:
    gold = ["FAVOR", "NONE", "NONE"]  # AGAINST occurs nowhere
    s = metrics.stance(gold, gold, schema.STANCE_LABELS)
    assert s["f_avg"] == s["macro_f1"] == s["accuracy"] == 1.0
    assert s["absent_from_gold"] == ["AGAINST"] and s["per_label"]["AGAINST"]["f1"] is None
    topics = [frozenset({"health"}), frozenset()]
    t = metrics.multi_label(topics, topics, schema.TOPIC_LABELS)
    assert t["micro_f1"] == t["macro_f1"] == 1.0 and len(t["absent_from_gold"]) == len(schema.TOPIC_LABELS) - 1
    tags = [["B-PER", "I-PER", "O"], ["O"]]
    e = metrics.entities(tags, tags, schema.CONLL_LABELS, ["a", "b"])
    assert e["f1"] == e["macro_f1"] == e["conlleval"]["f1"] == 1.0 and e["absent_from_gold"] == ["ORG", "LOC", "MISC"]


def test_a_label_absent_from_the_gold_but_predicted_counts_zero() -> None:
    s = metrics.stance(["FAVOR", "NONE"], ["AGAINST", "NONE"], schema.STANCE_LABELS)
    assert s["per_label"]["AGAINST"]["f1"] == 0.0 and s["f_avg"] == 0.0
    assert s["macro_f1"] == pytest.approx(1 / 3)  # FAVOR 0, AGAINST 0, NONE 1


def test_no_entity_anywhere_is_undefined_not_zero() -> None:
    e = metrics.entities([["O", "O"]], [["O", "O"]], schema.CONLL_LABELS, ["a"])
    assert e["f1"] is None and e["macro_f1"] is None


def test_an_entity_starting_inside_is_flagged_and_scored_both_ways() -> None:
    gold = [["B-PER", "I-PER", "O"]]
    pred = [["I-PER", "I-PER", "O"]]  # conlleval reads an entity; strict IOB2 reads none
    e = metrics.entities(gold, pred, schema.CONLL_LABELS, ["row-1"])
    assert e["invalid_iob2_rows"] == 1 and e["invalid_iob2_first"] == "row-1"
    assert e["recall"] == 0.0 and e["conlleval"]["f1"] == 1.0


def test_fold_summary_is_the_mean_and_sample_sd_of_defined_scores() -> None:
    per_fold = {"0": {"F1": 0.5}, "1": {"F1": 1.0}, "2": {"F1": None}, "3": {"F1": 0.75}}
    mean, sd = metrics.fold_summary(per_fold)
    assert mean["F1"] == statistics.fmean([0.5, 1.0, 0.75])
    assert sd["F1"] == statistics.stdev([0.5, 1.0, 0.75]) and sd["F1"] != statistics.pstdev([0.5, 1.0, 0.75])
    assert metrics.fold_summary({"0": {"F1": 0.5}})[1]["F1"] is None
