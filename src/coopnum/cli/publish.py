"""``coopnum publish``: the publishing stage."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coopnum.cli.app import RootOption, out, reports_errors


@reports_errors
def publish(
    repo_id: Annotated[str, typer.Option("--repo-id", help="The hub dataset repository, ORG/NAME.")],
    root: RootOption = Path("."),
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would change; upload nothing.")] = False,
    annotations_only: Annotated[
        bool,
        typer.Option("--annotations-only", help="Upload the stand-off release (no text; see `coopnum standoff`)."),
    ] = False,
    tag: Annotated[
        bool, typer.Option("--tag", help="Tag the hub revision v<release version> (see `coopnum release`).")
    ] = False,
) -> None:
    """Upload dataset/ to a hub dataset repository, then reload it and compare.

    Refuses a stale or invalid build. Uploads only files whose bytes changed (an
    unchanged build uploads nothing), in one commit; then downloads the published
    files into an empty folder and checks every config loads with the same rows.
    The token is read from HF_TOKEN only; HF_ENDPOINT selects another hub.

    Example: HF_TOKEN=... coopnum publish --repo-id coopnum/coopnum --dry-run
    """
    from coopnum.publish.hub import publish as run_publish
    from coopnum.util import secrets

    # checked at entry: a pasted token's trailing newline is stripped, inner whitespace refused unshown
    token, endpoint = secrets.read_secret("HF_TOKEN"), secrets.read_url("HF_ENDPOINT")
    result = run_publish(
        root, repo_id, token=token, endpoint=endpoint, dry_run=dry_run, annotations_only=annotations_only, tag=tag
    )
    p = result.plan
    for verb, paths in (("add", p.add), ("update", p.update), ("delete", p.delete)):
        for path in paths:
            out.print(f"{verb:7} {path}", highlight=False)
    out.print(
        f"{len(p.add)} to add, {len(p.update)} to update, {len(p.delete)} to delete, {len(p.unchanged)} unchanged"
    )
    if dry_run:
        out.print("dry run: nothing uploaded")
    elif result.commit is None:
        out.print(f"{repo_id} already holds this build: nothing uploaded")
    else:
        rows = ", ".join(f"{c} {sum(s.values())}" for c, s in result.verified.items())
        out.print(f"published {repo_id} at {result.commit}; reloaded from the hub: {rows} rows")
    if result.tag and not dry_run:
        out.print(f"tagged {result.tag}: load_dataset({repo_id!r}, config, revision={result.tag!r})", highlight=False)
