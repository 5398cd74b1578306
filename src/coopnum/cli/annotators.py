"""``coopnum ls add-annotator``, ``ls tasks`` and ``ls submit``: the annotators' side of Label Studio.

As in :mod:`coopnum.cli.labelstudio`, the Label Studio modules are imported only inside a command.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from coopnum.cli.app import RootOption, out, reports_errors
from coopnum.cli.labelstudio import ProjectOption, TimeoutOption, TriesOption, client_from_env, project_title
from coopnum.errors import CoopnumError


@reports_errors
def ls_add_annotator(
    email: Annotated[str, typer.Option("--email", help="The new account's email (a role address, not a person's).")],
    secret_file: Annotated[
        Path,
        typer.Option(
            "--secret-file", help="Where to write its password and API token (mode 600, outside the repository)."
        ),
    ],
    root: RootOption = Path("."),
) -> None:
    """Create an annotator account through an invite link and write its credentials to a private file.

    Needs the admin's COOPNUM_LS_TOKEN. The password is COOPNUM_LS_NEW_PASSWORD or a
    random one; neither it nor the token is printed. The file must be outside the
    repository, so no credential can be committed.

    Example: coopnum ls add-annotator --email annotator-a@coopnum.invalid --secret-file ~/.coopnum/annotator-a.json
    """
    import os
    import secrets

    from coopnum.labelstudio.annotate import add_annotator
    from coopnum.labelstudio.client import Connection

    target = secret_file.expanduser().resolve()
    if target.is_relative_to(root.resolve()):
        raise CoopnumError("the secret file must be outside the repository", file=str(secret_file), field="secret_file")
    conn = Connection.from_env()
    password = os.environ.get("COOPNUM_LS_NEW_PASSWORD") or secrets.token_urlsafe(18)
    account = add_annotator(conn.url, conn.token, email, password)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(
            {"url": conn.url, "email": email, "user_id": account.user_id, "password": password, "token": account.token},
            f,
        )
    out.print(
        f"annotator account {email} created (user {account.user_id}); credentials written to {target}", highlight=False
    )


@reports_errors
def ls_tasks(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for <doc_id>.task.json and <doc_id>.pass.json.")],
    with_predictions: Annotated[
        bool, typer.Option("--with-predictions", help="Start the pass files from the model's pre-annotations.")
    ] = False,
    project: ProjectOption = None,
    timeout: TimeoutOption = None,
    tries: TriesOption = None,
) -> None:
    """Export the current tasks' texts for the token's user, with an empty pass file per task to fill in.

    Writes no one's annotations: the annotator works from the text and the guidelines.
    With --with-predictions the pass files start from the model's entity spans.

    Example: COOPNUM_LS_TOKEN=<annotator token> coopnum ls tasks --out ~/pass-a --with-predictions
    """
    from coopnum.labelstudio.annotate import export_tasks

    n, skipped = export_tasks(
        client_from_env(timeout, tries), project_title(project), out_dir, with_predictions=with_predictions
    )
    out.print(f"wrote {n} tasks to {out_dir} ({'with' if with_predictions else 'without'} pre-annotations)")
    if skipped:
        out.print(f"{skipped} predicted spans are not on word edges and were left out of the pass templates")


@reports_errors
def ls_submit(
    pass_files: Annotated[list[Path], typer.Argument(help="Filled pass files (coopnum.passfile format).")],
    ground_truth: Annotated[bool, typer.Option("--ground-truth", help="Mark as the adjudicated gold.")] = False,
    project: ProjectOption = None,
    timeout: TimeoutOption = None,
    tries: TriesOption = None,
) -> None:
    """Save filled pass files as the token's user's annotations (an existing one is updated, never doubled).

    Every entry is checked (surface in its paragraph on word edges, known labels, a
    stance per paragraph, at least one topic); a bad entry stops with its paragraph named.

    Example: COOPNUM_LS_TOKEN=<annotator token> coopnum ls submit ~/pass-a/*.pass.json
    """
    from coopnum.labelstudio.annotate import submit

    done = submit(client_from_env(timeout, tries), project_title(project), pass_files, ground_truth=ground_truth)
    for s in done:
        out.print(
            f"{s.doc_id}: annotation {s.annotation_id} {'created' if s.created else 'updated'} ({s.spans} spans, {s.choices} choices)"
        )
    out.print(f"{len(done)} annotations saved{' as ground truth' if ground_truth else ''}")
