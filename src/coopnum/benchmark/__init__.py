"""Scoring predictions against the dataset, and the reference baselines.

``metrics`` holds the metrics (scikit-learn and seqeval; labels absent from the gold left out of
macro averages); ``evaluate`` checks predictions and scores them (``coopnum evaluate``, and
:func:`score`, the Python API); ``baselines`` runs the reference systems leave-one-document-out;
``export`` writes the dataset as CoNLL-2003, spaCy DocBin or JSON Lines files.
"""

from __future__ import annotations

from coopnum.benchmark.evaluate import EvaluationError, score

__all__ = ["EvaluationError", "score"]
