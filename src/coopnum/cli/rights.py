"""``coopnum standoff`` and ``coopnum rehydrate``: the annotations-only release, and the texts put back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coopnum.cli.app import RootOption, out, reports_errors

StandoffDir = Annotated[Path | None, typer.Option("--standoff", help="The stand-off release folder.")]
OutDir = Annotated[Path | None, typer.Option("--out", help="The folder to write (replaced only when complete).")]


@reports_errors
def standoff(root: RootOption = Path("."), out_dir: OutDir = None) -> None:
    """Write the annotations-only (stand-off) release of dataset/: every config's rows, no text.

    Each row keeps its ids, offsets, labels, paragraph spans, stances and topics; the
    text fields are taken out. manifest.json lists each document's raw file, the sha256
    of the raw file and of the clean text, and the recipe (coopnum version, code hash);
    README.md says how to rehydrate; LICENSE is CC BY 4.0. Default --out: build/standoff.

    Example: coopnum standoff --out build/standoff
    """
    from coopnum.dataset import standoff as writer

    target = out_dir or root / writer.DEFAULT_DIR
    result = writer.write_standoff(root / "dataset", target)
    rows = sum(sum(s.values()) for s in result.rows.values())
    out.print(f"wrote the stand-off release of {result.documents} documents, {rows} rows, to {result.folder}")


@reports_errors
def rehydrate(
    raw_dir: Annotated[Path, typer.Argument(help="Your copy of the raw scrapes (the files named in manifest.json).")],
    standoff_dir: StandoffDir = None,
    out_dir: OutDir = None,
) -> None:
    """Rebuild the full release's configs (with texts) from a stand-off release and RAW_DIR.

    Every raw file is checked by sha256, cleaned, and its clean text checked by sha256;
    a missing or changed file stops with one line naming it and its document, and
    nothing is written. Says which Parquet files are byte-identical to the release's
    (all of them with its library versions; the rows always are). Defaults: --standoff
    build/standoff, --out build/rehydrated.

    Example: coopnum rehydrate ~/scrapes --standoff coopnum-annotations --out rehydrated
    """
    from coopnum.dataset import rehydrate as rebuild
    from coopnum.dataset import standoff as writer

    result = rebuild.rehydrate(raw_dir, standoff_dir or writer.DEFAULT_DIR, out_dir or rebuild.DEFAULT_OUT)
    out.print(rebuild.summary(result), highlight=False)
    if not result.same_code:
        out.print(
            "note: this coopnum's code differs from the recipe's; the texts were checked by sha256", highlight=False
        )
