"""Exact offsets: clean text mapped back to the raw file, and offsets ↔ tokens ↔ IOB2 tags.

``textmap`` normalises lines and keeps an offset map to the raw text; ``align`` turns character spans into token
tags and back, for build, validate and evaluate alike.
"""
