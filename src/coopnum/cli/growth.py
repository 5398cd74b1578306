"""``coopnum add`` and ``coopnum status``: growing the corpus and seeing where each document stands."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.table import Column, Table

from coopnum.cli.app import MAX_TABLE_ROWS, RootOption, WaitOption, err, out, reports_errors
from coopnum.cli.locks import writes_checkout


@contextmanager
def _progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """A ``progress(what, done, total)`` callback drawing rich bars on a terminal (none otherwise)."""
    bars = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=not err.is_terminal,
        transient=True,
    )
    tasks: dict[str, TaskID] = {}

    def progress(what: str, done: int, total: int) -> None:
        if what not in tasks:
            tasks[what] = bars.add_task(what, total=total)
        bars.update(tasks[what], completed=done, total=total)

    with bars:
        yield progress


@reports_errors
@writes_checkout("add")
def add(
    paths: Annotated[list[Path], typer.Argument(help="Raw scrapes: files, or folders of *.txt files.")],
    root: RootOption = Path("."),
    outlet: Annotated[str | None, typer.Option("--outlet", help="The outlet, where the text states it.")] = None,
    date: Annotated[str | None, typer.Option("--date", help="YYYY-MM or YYYY-MM-DD, where the text states it.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="Where the page was scraped from.")] = None,
    rights: Annotated[str, typer.Option("--rights", help="Rights status of the text.")] = "third-party-copyright",
    allow_near_duplicate: Annotated[
        bool, typer.Option("--allow-near-duplicate", help="Add a text even if it is close to one already there.")
    ] = False,
    wait: WaitOption = False,
) -> None:
    """Add raw scrapes to corpus/: byte-exact copies in corpus/raw/ and records in corpus/sources.jsonl.

    Every file is checked first (UTF-8, not emptied by cleaning, French, no duplicate or
    near-duplicate of a document already there or given with it, no id collision); if one is
    refused, nothing is added. The id of a document is the first 16 hex digits of
    sha256("coopnum-doc-v1:" + its raw bytes).

    Example: coopnum add ~/scrapes/2025-06/ --rights third-party-copyright
    """
    from coopnum.corpus import intake

    options = intake.Options(outlet, date, url, rights, allow_near_duplicate)
    with _progress_bar() as progress:
        addition = intake.add(root, paths, options, progress)
    added = addition.added
    if len(added) <= MAX_TABLE_ROWS:
        t = Table("document", "file", "outlet", "date")
        for s in added:
            t.add_row(s.doc_id, s.file, s.outlet or "", s.date or "")
        out.print(t)
    out.print(f"added {len(added)} documents to {root / 'corpus'}; next: coopnum ls push", highlight=False)
    if addition.recleaned:
        shown = ", ".join(addition.recleaned[:10]) + (" …" if len(addition.recleaned) > 10 else "")
        out.print(
            f"warning: {len(addition.recleaned)} existing document(s) now clean differently (a line of theirs recurs "
            f"in the corpus with the new files): {shown}; annotations made on their old text are stale "
            "(coopnum status)",
            highlight=False,
            soft_wrap=True,
        )


@reports_errors
def status(
    root: RootOption = Path("."),
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Each document's stage (cleaned, in Label Studio, n passes, adjudicated, stale) and the next command.

    Read from corpus/ and annotations/ alone; no Label Studio server is needed.

    Example: coopnum status --json
    """
    from coopnum.annotation.status import corpus_status

    result = corpus_status(root)
    if as_json:
        typer.echo(json.dumps(result.to_json(), indent=1, ensure_ascii=False))
        return
    t = Table(Column("document", no_wrap=True, min_width=16), "stage", "passes", "next")  # full ids, never cut
    for d in result.documents:
        t.add_row(d.doc_id, d.stage.replace("_", " "), str(d.passes), d.next_command)
    out.print(t, markup=False, highlight=False)
    totals = ", ".join(f"{n} {stage.replace('_', ' ')}" for stage, n in result.counts().items() if n)
    out.print(f"{len(result.documents)} documents: {totals}", markup=False, highlight=False)
    for doc_id in result.orphans:
        out.print(f"annotations/labelstudio/{doc_id}.json: no such document in corpus/", markup=False)
