"""Splits and folds come from the document id alone: adding documents moves no existing one."""

from __future__ import annotations

import hashlib
import random

from coopnum.corpus import splits

from ..conftest import source_records


def _random_ids(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [hashlib.sha256(str(rng.random()).encode()).hexdigest()[:16] for _ in range(n)]


def test_adding_ten_documents_moves_no_existing_split_or_fold() -> None:
    existing = [r["doc_id"] for r in source_records()]
    before = ({d: splits.split_of(d) for d in existing}, splits.folds(existing))
    grown = existing + _random_ids(10, seed=1)
    random.Random(2).shuffle(grown)  # the order of the corpus does not matter either
    after_folds = splits.folds(grown)
    assert {d: splits.split_of(d) for d in existing} == before[0]
    assert {d: after_folds[d] for d in existing} == before[1]


def test_folds_are_k_fixed_buckets_of_the_id() -> None:
    ids = _random_ids(5000, seed=3)
    fold_of = splits.folds(ids)
    assert set(fold_of.values()) == set(range(splits.K_FOLDS))  # every fold used on a large corpus
    sizes = [list(fold_of.values()).count(k) for k in range(splits.K_FOLDS)]
    assert max(sizes) < 1.15 * len(ids) / splits.K_FOLDS  # close to uniform
    digest = hashlib.sha256((splits.FOLD_SALT + ids[0]).encode()).hexdigest()
    assert fold_of[ids[0]] == int(digest[:8], 16) % splits.K_FOLDS  # the documented formula


def test_split_proportions_follow_the_documented_thresholds() -> None:
    ids = _random_ids(5000, seed=4)
    share = {s: sum(splits.split_of(d) == s for d in ids) / len(ids) for s in ("test", "validation", "train")}
    assert abs(share["test"] - splits.TEST_BELOW) < 0.03
    assert abs(share["validation"] - (splits.VALIDATION_BELOW - splits.TEST_BELOW)) < 0.03
