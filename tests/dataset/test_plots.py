"""The plots of a built dataset: what they count, and the same bytes on every run."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

from coopnum.dataset.plots import PLOTS, POSITION_BINS, plot_data, render_plots

from ..conftest import REPO

DATASET = REPO / "dataset"


def rows() -> list[tuple[str, dict]]:
    out = []
    for path in sorted((DATASET / "data" / "documents").glob("*.parquet")):
        out += [(path.stem, r) for r in pq.read_table(path).to_pylist()]
    return out


def test_the_figures_are_the_gold_counts_of_the_parquet_files() -> None:
    data = plot_data(DATASET)
    docs = rows()
    assert sorted(data.lengths) == sorted(len(r["text"]) for _, r in docs)
    by_split = Counter(split for split, r in docs for _ in r["entities"])
    assert {s: sum(c.values()) for s, c in data.entity_labels.items()} == {s: by_split[s] for s in data.entity_labels}
    stances = sum(len(r["paragraph_stances"]) for _, r in docs)
    assert sum(sum(c) for c in data.stance_positions.values()) == stances
    assert all(len(c) == POSITION_BINS for c in data.stance_positions.values())
    names = list(data.stance_positions)  # the file's label names, in id order
    first = Counter(names[r["paragraph_stances"][0]] for _, r in docs)  # a first paragraph is in the first bin
    last = Counter(names[r["paragraph_stances"][-1]] for _, r in docs)  # a last one in the last bin
    assert all(data.stance_positions[label][0] >= n for label, n in first.items())
    assert all(data.stance_positions[label][-1] >= n for label, n in last.items())
    topics = Counter(split for split, r in docs for _ in r["topics"])
    assert {s: sum(c.values()) for s, c in data.topics.items()} == {s: topics[s] for s in data.topics}


def test_every_plot_is_written_as_svg_with_no_date_and_the_same_bytes_twice(tmp_path: Path) -> None:
    first = render_plots(DATASET, tmp_path / "a")
    second = render_plots(DATASET, tmp_path / "b")
    assert [p.name for p in first] == list(PLOTS)  # an annotated build with agreement.json: all of them
    for a, b in zip(first, second, strict=True):
        data = a.read_bytes()
        assert data == b.read_bytes(), a.name
        assert data.lstrip().startswith(b"<?xml") and b"<svg" in data
        assert b"<dc:date>" not in data, "no date in the metadata"
