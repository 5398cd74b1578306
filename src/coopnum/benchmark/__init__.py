"""Scoring predictions against the dataset, and the reference baselines.

``evaluate`` scores a system's predictions per config (seqeval strict NER, stance F_avg, topic F1); ``baselines``
runs the reference systems leave-one-document-out.
"""
