"""Splits by document, fixed by the document id alone.

A document's split never depends on which other documents exist, so adding
articles never moves an old one between splits. The bucket is the first 32
bits of ``sha256("coopnum-split-v1:" + doc_id)`` as a fraction of 2**32: test
below 0.2, validation below 0.4, train otherwise. With a corpus this small the
split is a convenience; leave-one-document-out folds are the honest evaluation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

SALT = "coopnum-split-v1:"
TEST_BELOW = 0.2
VALIDATION_BELOW = 0.4


def bucket(doc_id: str) -> float:
    return int(hashlib.sha256((SALT + doc_id).encode()).hexdigest()[:8], 16) / 2**32


def split_of(doc_id: str) -> str:
    b = bucket(doc_id)
    if b < TEST_BELOW:
        return "test"
    if b < VALIDATION_BELOW:
        return "validation"
    return "train"


def folds(doc_ids: Iterable[str]) -> dict[str, int]:
    """Leave-one-document-out: fold ``k`` holds out the ``k``-th document in id order."""
    return {d: k for k, d in enumerate(sorted(doc_ids))}
