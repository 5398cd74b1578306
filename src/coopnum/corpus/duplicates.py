"""Near-duplicate articles: MinHash signatures of the clean text and an LSH index (``datasketch``).

A text's shingles are its overlapping runs of :data:`SHINGLE_WORDS` words (lower-cased ``\\w+``
words, so punctuation, spacing and case do not count); a text shorter than that is one shingle.
Two texts are near-duplicates when the Jaccard similarity of their shingle sets, estimated from
:data:`NUM_PERM`-permutation MinHash signatures (fixed seed, so the same text always gives the same
signature), is at least :data:`THRESHOLD`. The LSH index (bands tuned by ``datasketch`` for that
threshold) finds the candidates; each candidate's estimated Jaccard is then checked against the
threshold, and the closest one is named.

The threshold was chosen on measurements (README, *Adding articles*; ``tests/corpus/test_duplicates.py``
re-measures them): distinct articles of the corpus and the cleaning fixtures share almost no
3-word shingles, while an article with one word in ten replaced, its paragraphs reordered, a
paragraph added or removed stays well above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]

SHINGLE_WORDS = 3
NUM_PERM = 128
THRESHOLD = 0.3
SEED = 1  # datasketch's default, written out: a signature must never change between runs
_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[str]:
    """The set of :data:`SHINGLE_WORDS`-word runs of ``text`` (lower-cased words)."""
    words = _WORD.findall(text.lower())
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words)}
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(text: str) -> MinHash:
    m = MinHash(num_perm=NUM_PERM, seed=SEED)
    m.update_batch([s.encode("utf-8") for s in sorted(shingles(text))])
    return m


def jaccard(a: str, b: str) -> float:
    """The exact Jaccard similarity of two texts' shingle sets (for measuring the estimate)."""
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


@dataclass(frozen=True)
class Match:
    doc_id: str
    jaccard: float  # estimated from the signatures


class NearDuplicateIndex:
    """Documents by signature; :meth:`closest` names the most similar one at or above the threshold."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._signatures: dict[str, MinHash] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def insert(self, doc_id: str, sig: MinHash) -> None:
        self._lsh.insert(doc_id, sig)
        self._signatures[doc_id] = sig

    def closest(self, sig: MinHash) -> Match | None:
        """The indexed document most similar to ``sig`` with an estimated Jaccard >= the threshold
        (ties: the smallest id), or None."""
        scored = [Match(d, self._signatures[d].jaccard(sig)) for d in self._lsh.query(sig)]
        above = [m for m in scored if m.jaccard >= self.threshold]
        return min(above, key=lambda m: (-m.jaccard, m.doc_id)) if above else None
