"""Plots of a built ``dataset/`` as deterministic SVG, for the card and the ``coopnum report`` site.

Read from the built folder itself (the ``documents`` Parquet files, streamed a row group at a
time, and ``agreement.json``), so that the build can draw them into its temporary folder once
the Parquet files are written, and the report can draw the same ones from a finished build.
Same inputs, same bytes: matplotlib's SVG backend with a fixed ``svg.hashsalt``, no date in the
metadata, text as paths in the bundled DejaVu Sans (no system font is looked up), and every
count in a fixed order (splits and labels in schema order).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from coopnum import schema
from coopnum.dataset import shards

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# file name -> what it shows (the card's and the report's alt text and caption), in display order
PLOTS: dict[str, str] = {
    "entity_labels.svg": "Gold entity mentions per label, by split",
    "paragraph_stances.svg": "Gold paragraph stances by position in the article",
    "topics.svg": "Documents per gold topic, by split",
    "document_lengths.svg": "Length of the clean text of each document",
    "agreement.svg": "Agreement between the annotation passes, per label",
}
PLOTS_DIR = "plots"  # under dataset/ and under the report's folder

# One palette for the plots and the report's pages: light fills (dark text stays readable on them)
ENTITY_COLOURS: dict[str, str] = {
    "PER": "#aa9cfc",
    "ORG": "#7aecec",
    "LOC": "#feca74",
    "EVENT": "#ff8197",
    "MISC": "#c8e087",
}
STANCE_COLOURS: dict[str, str] = {"FAVOR": "#1a7f4b", "AGAINST": "#b3261e", "NONE": "#6b6b6b"}
SPLIT_COLOURS: dict[str, str] = {"train": "#3b6ea8", "validation": "#d07a2d", "test": "#4c9a5a"}
POSITION_BINS = 5  # paragraph position in fifths of the article (the title is the first paragraph)
SVG_RC: dict[str, Any] = {
    "svg.hashsalt": "coopnum",  # the ids matplotlib writes are derived from it, not random
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",  # bundled with matplotlib: the same glyphs on every machine
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
SVG_METADATA: dict[str, Any] = {"Date": None}


@dataclass
class PlotData:
    """The figures the plots draw, summed over the ``documents`` files of a build."""

    annotated: bool = False
    entity_labels: dict[str, dict[str, int]] = field(default_factory=dict)  # split -> label -> gold mentions
    stance_positions: dict[str, list[int]] = field(default_factory=dict)  # label -> paragraphs per position bin
    topics: dict[str, dict[str, int]] = field(default_factory=dict)  # split -> topic -> documents
    lengths: list[int] = field(default_factory=list)  # characters of each document's clean text, sorted
    agreement: dict[str, Any] | None = None  # agreement.json as written by the build


def _files(dataset_dir: Path) -> Iterator[tuple[str, Path]]:
    for split in schema.SPLITS:
        for path in shards.files(dataset_dir, "documents", split):  # its shards, in document order
            yield split, path


def _label_names(path: Path) -> dict[str, list[str]]:
    """The ClassLabel names the Parquet file's own features declare (not today's schema)."""
    import pyarrow.parquet as pq
    from datasets import Features

    features = Features.from_arrow_schema(pq.read_schema(path))
    names: dict[str, list[str]] = {}
    if "entities" in features:
        names["entities"] = features["entities"].feature["label"].names
        names["stance"] = features["paragraph_stances"].feature.names
        names["topics"] = features["topics"].feature.names
    return names


def _add_positions(data: PlotData, stances: Any, names: list[str]) -> None:
    """Count each paragraph's gold stance in its position bin (vectorised over a batch)."""
    import numpy as np
    import pyarrow.compute as pc

    values = stances.flatten().to_numpy(zero_copy_only=False)
    if not len(values):
        return
    parents = pc.list_parent_indices(stances).to_numpy()
    lengths = pc.list_value_length(stances).to_numpy()[parents]
    index = np.arange(len(parents)) - np.searchsorted(parents, parents, side="left")
    bins = np.minimum(index * POSITION_BINS // lengths, POSITION_BINS - 1)
    known = ~np.isnan(values.astype(float))
    for label_id, name in enumerate(names):
        chosen = known & (values.astype(float) == label_id)
        counts = np.bincount(bins[chosen], minlength=POSITION_BINS)
        row = data.stance_positions.setdefault(name, [0] * POSITION_BINS)
        data.stance_positions[name] = [a + int(b) for a, b in zip(row, counts, strict=True)]


def _add_batch(data: PlotData, split: str, batch: Any, names: dict[str, list[str]]) -> None:
    import numpy as np
    import pyarrow.compute as pc

    data.lengths.extend(pc.utf8_length(batch.column("text")).to_pylist())
    if not names:
        return
    for column, target, label_names in (
        ("entities", data.entity_labels, names["entities"]),
        ("topics", data.topics, names["topics"]),
    ):
        values = batch.column(column).flatten()
        ids = (values.field("label") if column == "entities" else values).to_numpy(zero_copy_only=False)
        counts = np.bincount(ids.astype(int), minlength=len(label_names))
        row = target.setdefault(split, dict.fromkeys(label_names, 0))
        for name, n in zip(label_names, counts, strict=True):
            row[name] += int(n)
    _add_positions(data, batch.column("paragraph_stances"), names["stance"])


def plot_data(dataset_dir: Path) -> PlotData:
    """The figures of a built folder (``dataset/`` or the build's temporary folder)."""
    import pyarrow.parquet as pq

    data = PlotData()
    for split, path in _files(dataset_dir):
        names = _label_names(path)
        data.annotated = data.annotated or bool(names)
        columns = ["text", *(["entities", "paragraph_stances", "topics"] if names else [])]
        for batch in pq.ParquetFile(path).iter_batches(columns=columns):
            _add_batch(data, split, batch, names)
    data.lengths.sort()
    agreement = dataset_dir / "agreement.json"
    if agreement.is_file():
        data.agreement = json.loads(agreement.read_text(encoding="utf-8"))
    return data


def _stacked_by_split(ax: Axes, per_split: dict[str, dict[str, int]], labels: list[str], what: str) -> None:
    import numpy as np

    left = np.zeros(len(labels))
    y = np.arange(len(labels))
    for split, counts in per_split.items():
        widths = np.array([counts.get(label, 0) for label in labels])
        ax.barh(y, widths, left=left, color=SPLIT_COLOURS.get(split, "#999999"), label=split)
        left += widths
    for i, total in enumerate(left):
        ax.text(total, i, f" {int(total)}", va="center")
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlabel(what)
    ax.legend(frameon=False, loc="lower right")


def _entity_plot(fig: Figure, data: PlotData) -> None:
    ax = fig.add_subplot()
    labels = [label for label in next(iter(data.entity_labels.values()), {})]
    _stacked_by_split(ax, data.entity_labels, labels, "gold mentions")


def _topic_plot(fig: Figure, data: PlotData) -> None:
    ax = fig.add_subplot()
    labels = [label for label in next(iter(data.topics.values()), {})]
    _stacked_by_split(ax, data.topics, labels, "documents")


def _stance_plot(fig: Figure, data: PlotData) -> None:
    import numpy as np
    from matplotlib.ticker import MaxNLocator

    ax = fig.add_subplot()
    x = np.arange(POSITION_BINS)
    bottom = np.zeros(POSITION_BINS)
    for label, counts in data.stance_positions.items():
        ax.bar(x, counts, bottom=bottom, color=STANCE_COLOURS.get(label, "#999999"), label=label)
        bottom += np.array(counts)
    ax.set_xticks(x, [f"{100 * i // POSITION_BINS}–{100 * (i + 1) // POSITION_BINS} %" for i in x])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("position of the paragraph in the article (title first)")
    ax.set_ylabel("paragraphs")
    ax.legend(frameon=False, ncols=len(data.stance_positions), loc="upper center", bbox_to_anchor=(0.5, 1.12))


def _length_plot(fig: Figure, data: PlotData) -> None:
    import numpy as np
    from matplotlib.ticker import MaxNLocator

    ax = fig.add_subplot()
    lengths = np.array(data.lengths)
    edges = np.histogram_bin_edges(lengths, bins=min(30, max(5, len(lengths))))
    ax.hist(lengths, bins=[float(x) for x in edges], color=SPLIT_COLOURS["train"], edgecolor="white")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("characters of clean text")
    ax.set_ylabel("documents")
    ax.set_title(f"{len(lengths)} documents, median {int(np.median(lengths))} characters", fontsize=9)


def _agreement_plot(fig: Figure, data: PlotData) -> None:
    """Entity F1 per label (exact and partial) for each pair of passes; Krippendorff's alpha per layer."""
    import numpy as np

    assert data.agreement is not None
    entities, choices = fig.subplots(1, 2, width_ratios=(1, 1))
    pairs = data.agreement.get("pairs", [])
    labels = list(pairs[0]["entities_exact"]) if pairs else []
    y = np.arange(len(labels))
    height = 0.8 / max(1, 2 * len(pairs))
    for n, pair in enumerate(pairs):
        for m, kind in enumerate(("exact", "partial")):
            f1 = [pair[f"entities_{kind}"][label]["f1"] for label in labels]
            offset = (2 * n + m) * height
            label = f"F1 {kind}" if n == 0 else None  # one legend entry per kind, not per pair
            bars = entities.barh(y + offset, f1, height, color=("#3b6ea8", "#9cb9dc")[m], label=label)
            entities.bar_label(bars, fmt="%.2f", fontsize=7, padding=2)
    entities.set_yticks(y + height * (len(pairs) - 0.5), labels)
    entities.invert_yaxis()
    entities.set_xlim(0, 1.15)
    entities.set_title("entity F1 between passes", fontsize=9)
    entities.legend(frameon=False, fontsize=7, ncols=2, loc="upper center", bbox_to_anchor=(0.5, -0.08))
    alpha = data.agreement.get("krippendorff_alpha", {})
    rows = [("paragraph stance", alpha.get("paragraph_stance")), ("document stance", alpha.get("document_stance"))]
    rows += [(f"topic {t}", a) for t, a in alpha.get("topics", {}).items()]
    values = [a if a is not None else 0.0 for _, a in rows]
    bars = choices.barh(np.arange(len(rows)), values, color="#4c9a5a")
    choices.bar_label(bars, labels=["n/a" if a is None else f"{a:.2f}" for _, a in rows], fontsize=7, padding=2)
    choices.set_yticks(np.arange(len(rows)), [name for name, _ in rows])
    choices.invert_yaxis()
    choices.set_xlim(min(0.0, *values), 1.15)
    choices.set_title("Krippendorff's alpha (n/a: one value only)", fontsize=9)


DRAW = {
    "entity_labels.svg": (_entity_plot, (6.4, 3.0)),
    "paragraph_stances.svg": (_stance_plot, (6.4, 3.2)),
    "topics.svg": (_topic_plot, (6.4, 3.6)),
    "document_lengths.svg": (_length_plot, (6.4, 3.0)),
    "agreement.svg": (_agreement_plot, (9.6, 4.4)),
}


def drawable(data: PlotData) -> list[str]:
    """The plots this build has data for, in :data:`PLOTS` order (an unannotated build: lengths only)."""
    has = {
        "entity_labels.svg": data.annotated and bool(data.entity_labels),
        "paragraph_stances.svg": data.annotated and bool(data.stance_positions),
        "topics.svg": data.annotated and bool(data.topics),
        "document_lengths.svg": bool(data.lengths),
        "agreement.svg": data.agreement is not None and bool(data.agreement.get("pairs")),
    }
    return [name for name in PLOTS if has[name]]


# What each plot reads of PlotData: a plot's SVG depends on these figures alone (and the code), so the
# build's cache keeps one entry per plot and an edit redraws only the plots whose figures moved.
DRAWS: dict[str, tuple[str, ...]] = {
    "entity_labels.svg": ("entity_labels",),
    "paragraph_stances.svg": ("stance_positions",),
    "topics.svg": ("topics",),
    "document_lengths.svg": ("lengths",),
    "agreement.svg": ("agreement",),
}


def figures_of(data: PlotData, name: str) -> tuple[Any, ...]:
    """The figures plot ``name`` draws (its part of ``data``, per :data:`DRAWS`)."""
    return tuple(getattr(data, attribute) for attribute in DRAWS[name])


def render(data: PlotData, out_dir: Path, names: list[str] | None = None) -> list[Path]:
    """Write each drawable plot of ``data`` (or only ``names`` of them) as ``out_dir/<name>.svg``; the
    paths written. matplotlib is imported only when there is a plot to draw."""
    todo = [name for name in drawable(data) if names is None or name in names]
    out_dir.mkdir(parents=True, exist_ok=True)
    if not todo:
        return []
    import matplotlib
    from matplotlib.figure import Figure

    written = []
    with matplotlib.rc_context(cast(Any, SVG_RC)):  # its stubs want literal key names
        for name in todo:
            draw, size = DRAW[name]
            fig = Figure(figsize=size, layout="constrained")  # no pyplot: no global state, no GUI backend
            draw(fig, data)
            fig.savefig(out_dir / name, format="svg", metadata=SVG_METADATA)
            written.append(out_dir / name)
    return written


def render_plots(dataset_dir: Path, out_dir: Path) -> list[Path]:
    """Draw the plots of the build in ``dataset_dir`` into ``out_dir``; the SVG files written, in
    :data:`PLOTS` order. The build calls it on its temporary folder once the Parquet files and
    ``agreement.json`` are there (``out_dir = tmp / PLOTS_DIR``); ``coopnum report`` on ``dataset/``."""
    return render(plot_data(dataset_dir), out_dir)
