"""A static site of the built dataset: documents with their labels, the cleaning, disagreements and plots.

``coopnum report --out DIR`` (:func:`coopnum.report.site.write_report`) reads the built
``dataset/`` (the ``documents`` and ``annotator_labels`` Parquet files), the adjudicator's
reasons in ``annotations/``, the raw scrapes the ``documents`` rows name, and the validation
findings, and writes plain HTML, CSS and SVG: no script, no network, readable from ``file://``;
the same inputs give the same bytes. A leaf like :mod:`coopnum.labelstudio`: only the CLI imports it.
"""
