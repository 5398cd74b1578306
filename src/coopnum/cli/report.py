"""``coopnum report``: the static site of the built dataset."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coopnum.cli.app import ProcessesOption, QuietOption, RootOption, out, reports_errors


@reports_errors
def report(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the site (replaced if it holds a report).")],
    root: RootOption = Path("."),
    findings: Annotated[
        Path | None,
        typer.Option("--findings", help="A `coopnum validate --report` file (default: validate now)."),
    ] = None,
    page_size: Annotated[int, typer.Option("--page-size", min=1, help="Documents per index page.")] = 100,
    processes: ProcessesOption = None,
    quiet: QuietOption = False,
) -> None:
    """Write a static site of dataset/: a paged index with plots and the validation findings, and a
    page per document (the raw scrape with what cleaning removed, the entities, stances, topics,
    every pass beside the gold with the adjudication reasons).

    Reads dataset/, annotations/ and the raw files the rows name; no network, no script, opens from
    file://; the same inputs give the same bytes.

    Example: coopnum validate --report build/validation.json && coopnum report --out build/report --findings build/validation.json
    """
    from coopnum.cli.progress import bars
    from coopnum.report.site import write_report

    with bars(quiet) as progress:
        result = write_report(root, out_dir, findings, page_size, processes, progress=progress)
    out.print(
        f"wrote {result.files} files ({result.bytes / 1e6:.1f} MB) for {result.documents} documents to {result.out}"
        f" in {result.seconds:.1f} s; open {result.out / 'index.html'}",
        highlight=False,
    )
