"""Splits by document, fixed by the document id alone.

A document's split never depends on which other documents exist, so adding
articles never moves an old one between splits. The bucket is the first 32
bits of ``sha256("coopnum-split-v1:" + doc_id)`` as a fraction of 2**32: test
below 0.2, validation below 0.4, train otherwise.

Folds work the same way: a document's fold is ``sha256("coopnum-fold-v1:" +
doc_id)`` modulo :data:`K_FOLDS` (10, fixed for every release: changing it would
move every document), so fold scores compare across releases. While the corpus
is small, leave-one-document-out (each document its own group, keyed by its id,
which never moves either) is the honest evaluation; a fold may then hold no
document or several.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

SALT = "coopnum-split-v1:"
FOLD_SALT = "coopnum-fold-v1:"
K_FOLDS = 10
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


def fold_of(doc_id: str) -> int:
    """The document's fold, ``0 .. K_FOLDS - 1``, from its id alone."""
    return int(hashlib.sha256((FOLD_SALT + doc_id).encode()).hexdigest()[:8], 16) % K_FOLDS


def folds(doc_ids: Iterable[str]) -> dict[str, int]:
    """Each document's fold (:func:`fold_of`); the other ids never change it."""
    return {d: fold_of(d) for d in doc_ids}
