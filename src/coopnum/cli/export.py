"""``coopnum export``: the dataset as CoNLL-2003, spaCy DocBin or JSON Lines files."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from coopnum.cli.app import QuietOption, out, reports_errors


class ExportFormat(StrEnum):
    conll = "conll"
    spacy = "spacy"
    jsonl = "jsonl"


class TagScheme(StrEnum):
    conll4 = "conll4"
    fine = "fine"


@reports_errors
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="conll (CoNLL-2003), spacy (DocBin) or jsonl.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write into.")],
    split: Annotated[list[str] | None, typer.Option("--split", help="Split(s) to export (default: all).")] = None,
    tags: Annotated[
        TagScheme, typer.Option("--tags", help="conll and spacy: CoNLL-4 tags or the five fine types.")
    ] = TagScheme.conll4,
    config: Annotated[list[str] | None, typer.Option("--config", help="jsonl: config(s) (default: all).")] = None,
    dataset: Annotated[Path, typer.Option("--dataset", help="The dataset folder.")] = Path("dataset"),
    quiet: QuietOption = False,
) -> None:
    """Write the dataset as CoNLL-2003 files (`ner`, -DOCSTART- per document, IOB2), spaCy DocBin files
    (`ner`, one Doc per document) or JSON Lines (every config, label names instead of ids).

    Example: coopnum export --format conll --split test --out build/export
    """
    from coopnum import schema
    from coopnum.benchmark import export as ex
    from coopnum.cli.progress import bars

    with bars(quiet) as progress:
        written = ex.export(
            dataset,
            fmt.value,
            out_dir,
            splits=split or list(schema.SPLITS),
            tags=tags.value,
            configs=config,
            progress=progress,
        )
    for path in written:
        out.print(f"wrote {path}", markup=False, highlight=False)
