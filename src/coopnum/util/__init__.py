"""Pieces every stage shares: the atomic folder swap, hashing, the worker-process executor."""
