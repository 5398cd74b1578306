"""``coopnum release X.Y.Z``: a dataset release (version, rebuild, CHANGELOG entry, git tag)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coopnum.cli.app import RootOption, WaitOption, out, reports_errors
from coopnum.cli.locks import say_waiting


@reports_errors
def release(
    version: Annotated[str, typer.Argument(help="The new version, MAJOR.MINOR.PATCH.")],
    root: RootOption = Path("."),
    commit: Annotated[
        bool, typer.Option("--commit", help="Commit the release's files (pyproject, dataset/, DATASHEET, CHANGELOG).")
    ] = False,
    date: Annotated[
        str | None, typer.Option("--date", help="The CHANGELOG date, YYYY-MM-DD (default: today, UTC).")
    ] = None,
    wait: WaitOption = False,
) -> None:
    """Release the dataset as VERSION and tag git vVERSION.

    Refuses a dirty git tree, a stale build, an existing tag, and a version that is
    not the next major, minor or patch of the previous release (the highest vX.Y.Z
    tag) or that bumps less than the changes need (major: schema; minor: documents
    or labels added; patch: corrections). Then sets [project] version in
    pyproject.toml, rebuilds, and writes the CHANGELOG entry from the diff against
    the previous release's Parquet (read from its git tag). The annotated tag is
    made when the tree is clean: with --commit at once; without it, commit the
    release's files and run the same command again.

    Example: coopnum release 1.1.0 --commit && coopnum publish --repo-id coopnum/coopnum --tag
    """
    from coopnum.publish.release import release as make_release
    from coopnum.util.lock import checkout_lock

    with checkout_lock(root, "release", wait=wait, on_wait=say_waiting):
        r = make_release(root, version, commit=commit, date=date)
    if r.diff is not None:
        since = f"since v{r.previous}" if r.previous else "(first release)"
        out.print(f"release {r.version}, a {r.bump} release {since}", highlight=False)
        d = r.diff
        out.print(f"documents: {d.documents} ({len(d.documents_added)} added, {len(d.documents_removed)} removed)")
        for layer, x in d.layers.items():
            out.print(f"{layer}: {x.added} added, {x.changed} changed, {x.removed} removed", highlight=False)
        out.print("wrote pyproject.toml, dataset/, DATASHEET.md and the CHANGELOG.md entry")
    if r.committed:
        out.print(f"committed: Release {r.version}")
    if r.tagged:
        out.print(f"tagged v{r.version}", highlight=False)
    else:
        out.print(
            f"not tagged: the tree has uncommitted changes ({', '.join(r.left[:5])}); review and commit them, "
            f"then run `coopnum release {r.version}` again to tag",
            highlight=False,
        )
