"""Write the site: one page per document (by row group, across worker processes), the paged
index, the findings pages, the plots and the stylesheet, into a temporary folder swapped in
whole (an interrupted run leaves the previous site).

Layout of ``--out``::

    index.html, index-2.html, ...        the documents list (page 1 also: overview, plots, findings by check)
    findings.html, findings-2.html, ...  every validation finding, linked to its place
    docs/<doc_id>.html                   one page per document
    plots/*.svg                          :func:`coopnum.dataset.plots.render_plots`
    assets/report.css                    the one stylesheet
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coopnum import schema
from coopnum.annotation.adjudication import Reason
from coopnum.dataset.plots import PLOTS_DIR, plot_data, render
from coopnum.errors import BuildError
from coopnum.report import data as rdata
from coopnum.report import decisions, document, html, index
from coopnum.util.executor import default_processes, parallel_map
from coopnum.util.progress import Counter as ProgressCounter
from coopnum.util.progress import Progress, silent
from coopnum.util.swap import swap_in

MARKER = ".coopnum-report"  # says a folder is a report this command may replace
PAGE_SIZE = 100


@dataclass(frozen=True)
class ReportResult:
    out: Path
    documents: int
    files: int
    bytes: int  # all files written
    document_bytes: int  # the document pages alone
    seconds: float


class RenderGroup:
    """The step a worker runs: write the pages of one row group's documents; their summaries."""

    def __init__(
        self,
        root: Path,
        tmp: Path,
        findings: rdata.Findings,
        reasons: Mapping[tuple[str, str, str], Reason],
        order: Sequence[str],
        page_size: int,
        labels: tuple[Sequence[str], Sequence[str]],
    ) -> None:
        self.root, self.tmp, self.findings, self.reasons = root, tmp, findings, reasons
        self.order, self.page_size, self.labels = order, page_size, labels
        self.position = {doc_id: i for i, doc_id in enumerate(order)}

    def nav(self, doc_id: str) -> document.Nav:
        i = self.position[doc_id]
        return document.Nav(
            html.page_name("index", i // self.page_size + 1),
            self.order[i - 1] if i > 0 else None,
            self.order[i + 1] if i + 1 < len(self.order) else None,
        )

    def __call__(self, task: tuple[str, int]) -> list[index.Summary]:
        out = []
        for record in rdata.read_group(self.root / "dataset", *task):
            found = self.findings.by_document.get(record.id, [])
            text, anchors = document.render(
                record, rdata.raw_text(self.root, record), found, self.reasons, self.nav(record.id), self.labels
            )
            (self.tmp / "docs" / f"{record.id}.html").write_text(text, encoding="utf-8")
            out.append(_summary(record, found, anchors))
        return out


def _summary(record: rdata.Record, found: Sequence[Mapping[str, Any]], anchors: Sequence[str]) -> index.Summary:
    return index.Summary(
        id=record.id,
        split=record.split,
        title=record.title,
        stage=record.stage,
        outlet=record.outlet,
        date=record.date,
        paragraphs=len(record.paragraphs),
        entities=len(record.gold.entities) if record.gold else 0,
        passes=len(record.passes),
        disagreements=decisions.disagreements(record),
        findings=len(found),
        removed_lines=sum(a[3] == "removed" for a in record.audit),
        anchors=tuple(anchors),
    )


def _prepare(out: Path) -> Path:
    """A temporary folder beside ``out``; refuses to replace a folder that is not a report."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise BuildError(f"{out} exists and is not a coopnum report: give an empty or new folder", file=str(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".report.tmp-", dir=out.parent))
    for sub in ("docs", "assets"):
        (tmp / sub).mkdir()
    (tmp / MARKER).write_text("written by coopnum report; the next run replaces this folder\n", encoding="utf-8")
    return tmp


def _finding_anchors(findings: rdata.Findings, summaries: Sequence[index.Summary]) -> dict[int, str]:
    """Each document finding's index in the findings list -> its link from the site's root."""
    anchors = {s.id: iter(s.anchors) for s in summaries}
    out = {}
    for i, f in enumerate(findings.items):
        doc_id = f.get("document")
        if doc_id in anchors:
            out[i] = f"docs/{doc_id}.html{next(anchors[doc_id])}"
    return out


def _write_pages(tmp: Path, pages: Mapping[str, str]) -> None:
    for name, text in pages.items():
        (tmp / name).write_text(text, encoding="utf-8")


def _labels(dataset_dir: Path) -> tuple[list[str], list[str]]:
    """Entity and stance label names of the build (the ``documents`` files' features)."""
    splits = [s for s in schema.SPLITS if rdata.documents_file(dataset_dir, s).is_file()]
    if not splits:
        return [], []
    names = rdata.label_names(rdata.documents_file(dataset_dir, splits[0]))
    return names.get("entities.label", []), names.get("stance", [])


def write_report(
    root: Path,
    out: Path,
    findings_file: Path | None = None,
    page_size: int = PAGE_SIZE,
    processes: int | None = None,
    progress: Progress = silent,
) -> ReportResult:
    """The site of ``root/dataset`` and ``root/annotations`` into ``out``."""
    started = time.perf_counter()
    dataset_dir = root / "dataset"
    if not (dataset_dir / "data" / "documents").is_dir():
        raise BuildError("no built dataset (dataset/data/documents): run coopnum build first", file=str(dataset_dir))
    findings = rdata.load_findings(root, findings_file)
    labels = _labels(dataset_dir)
    tmp = _prepare(out)
    try:
        ids = [i for _, i in rdata.document_ids(dataset_dir)]
        step = RenderGroup(root, tmp, findings, rdata.reasons(root), ids, page_size, labels)
        tasks = rdata.tasks(dataset_dir)
        done, summaries = ProgressCounter(progress, "document pages", len(ids)), []
        for group in parallel_map(step, tasks, processes or default_processes()):
            summaries += group
            done.add(len(group))
        data = plot_data(dataset_dir)
        names = [p.name for p in render(data, tmp / PLOTS_DIR)]
        (tmp / html.STYLESHEET).write_text(html.stylesheet(*labels), encoding="utf-8")
        _write_pages(tmp, index.index_pages(summaries, names, data, findings.items, findings.source, page_size))
        _write_pages(tmp, index.findings_pages(findings.items, _finding_anchors(findings, summaries)))
        files = [p for p in sorted(tmp.rglob("*")) if p.is_file()]
        total = sum(p.stat().st_size for p in files)
        doc_bytes = sum(p.stat().st_size for p in (tmp / "docs").iterdir())
        swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return ReportResult(out, len(summaries), len(files), total, doc_bytes, time.perf_counter() - started)
