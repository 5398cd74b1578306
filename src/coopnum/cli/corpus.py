"""``coopnum clean``: the corpus stage."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Column, Table

from coopnum.cli.app import MAX_TABLE_ROWS, ProcessesOption, QuietOption, RootOption, WaitOption, out, reports_errors
from coopnum.cli.locks import writes_checkout


@reports_errors
@writes_checkout("clean")
def clean(
    root: RootOption = Path("."),
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the clean documents and audits.")] = Path(
        "build/clean"
    ),
    processes: ProcessesOption = None,
    wait: WaitOption = False,
    quiet: QuietOption = False,
) -> None:
    """Clean the raw corpus: one JSON document and one line-by-line audit per article.

    Writes <out>/<doc_id>.json (text, paragraphs, title, outlet, date, text_sha256,
    offset_map) and <out>/<doc_id>.audit.jsonl (every raw line, kept or removed and by
    which rule). The folder is replaced only when every file is written, and only if
    it is new, empty or written by coopnum clean (never corpus/, annotations/ or the root).

    Example: coopnum clean --out build/clean
    """
    from coopnum.cli.progress import bars
    from coopnum.dataset.clean_stage import write_clean

    target = out_dir if out_dir.is_absolute() else root / out_dir
    with bars(quiet) as progress:
        summaries = write_clean(root / "corpus", target, processes, root=root, progress=progress)
    if len(summaries) <= MAX_TABLE_ROWS:
        t = Table("raw lines", "kept", "removed", "paragraphs", "characters", "title")
        t.columns.insert(0, Column("document", no_wrap=True, min_width=16))  # a whole id, never cut
        for s in summaries:
            t.add_row(
                s.doc_id, *(str(x) for x in (s.raw_lines, s.kept, s.removed, s.paragraphs, s.characters)), s.title
            )
        out.print(t)
    out.print(
        f"wrote {len(summaries)} documents to {target}: {sum(s.raw_lines for s in summaries)} raw lines, "
        f"{sum(s.removed for s in summaries)} removed, {sum(s.characters for s in summaries)} characters kept"
    )
