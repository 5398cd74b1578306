"""Validation checks, each named and with a severity, and inter-annotator agreement.

``checks`` holds the ``CHECKS`` registry behind ``coopnum validate`` and the build; ``agreement`` computes entity F1
and Krippendorff's alpha between passes and against the gold from one set of counts.
"""
