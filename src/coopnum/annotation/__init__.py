"""Annotations as data: the format, pseudonyms, provenance, pass files and adjudication.

What ``annotations/`` holds and how it is read: the versioned JSON format, pseudonymous annotator ids, who made
each layer, the pass files annotators write, and the disagreements an adjudicator resolves.
"""
