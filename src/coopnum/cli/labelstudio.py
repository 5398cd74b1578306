"""``coopnum ls``: the Label Studio sub-app, its shared options, and the server and project commands.

The Label Studio modules import the SDK, so every ``coopnum.labelstudio`` import is inside a command:
only an ``ls`` command that runs pays for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from coopnum.cli.app import QuietOption, RootOption, WaitOption, out, reports_errors
from coopnum.cli.locks import writes_checkout
from coopnum.cli.progress import bars

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from coopnum.annotation.format import Span
    from coopnum.annotation.pseudonyms import AnnotatorMap
    from coopnum.corpus.document import CleanDocument
    from coopnum.labelstudio.client import Client
    from coopnum.labelstudio.sync import PullResult
    from coopnum.util.progress import Progress

ls_app = typer.Typer(
    help="Label Studio: run the server, push documents and pre-annotations, pull and restore annotations.\n\n"
    "Example: coopnum ls serve && coopnum ls push && coopnum ls pull",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

ProjectOption = Annotated[
    str | None,
    typer.Option("--project", help="Project title (default: $COOPNUM_LS_PROJECT or 'coopnum')."),
]
TimeoutOption = Annotated[float | None, typer.Option("--timeout", help="Seconds to wait for one HTTP answer.")]
TriesOption = Annotated[int | None, typer.Option("--tries", help="Tries per HTTP call before giving up.")]


def ls_dir(root: Path) -> Path:
    import os

    return Path(os.environ.get("COOPNUM_LS_DIR") or root / ".labelstudio")


def client_from_env(timeout: float | None, tries: int | None) -> Client:
    from coopnum.labelstudio.client import Client, Connection

    return Client(Connection.from_env(timeout=timeout, tries=tries))


def project_title(project: str | None) -> str:
    import os

    from coopnum.labelstudio.client import DEFAULT_PROJECT, ENV_PROJECT

    return project or os.environ.get(ENV_PROJECT) or DEFAULT_PROJECT


def annotator_map(root: Path) -> AnnotatorMap:
    import os

    from coopnum.annotation.pseudonyms import AnnotatorMap
    from coopnum.labelstudio.client import ENV_ANNOTATOR_MAP

    return AnnotatorMap.load(Path(os.environ.get(ENV_ANNOTATOR_MAP) or ls_dir(root) / "annotators.json"))


@reports_errors
def ls_serve(
    root: RootOption = Path("."),
    port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1.")] = 8080,
    use_postgres: Annotated[
        bool,
        typer.Option(
            "--postgres", help="Keep the data in PostgreSQL (Debian's package, a cluster in .labelstudio/postgres)."
        ),
    ] = False,
) -> None:
    """Start Label Studio in the background on 127.0.0.1 (data in .labelstudio/data) and wait until it answers.

    The admin account and its API token come from COOPNUM_LS_ADMIN_EMAIL,
    COOPNUM_LS_ADMIN_PASSWORD and COOPNUM_LS_TOKEN (created on the first start).
    Install the server first with: bash scripts/labelstudio install. With --postgres the
    data is in PostgreSQL (a cluster of its own under .labelstudio/postgres, started and
    stopped with the server) instead of SQLite in .labelstudio/data.

    Example: coopnum ls serve --port 8080 --postgres
    """
    from coopnum.labelstudio import server as lsserver

    server = lsserver.serve(ls_dir(root), port, lsserver.Admin.from_env(), use_postgres=use_postgres)
    out.print(
        f"Label Studio is up at {server.url} (pid {server.pid}); stop it with: coopnum ls stop",
        highlight=False,
        soft_wrap=True,
    )


@reports_errors
def ls_stop(root: RootOption = Path(".")) -> None:
    """Stop the server that coopnum ls serve started (by its pid).

    Example: coopnum ls stop
    """
    from coopnum.labelstudio import server as lsserver

    server = lsserver.shutdown(ls_dir(root))
    out.print("Label Studio was not running" if server is None else f"stopped Label Studio (pid {server.pid})")


PREDICT_BATCH = 50  # documents per pre-annotation call: the bar moves between calls


def _predictor(nlp: Any, progress: Progress) -> Callable[[Sequence[CleanDocument]], list[tuple[Span, ...]]]:
    """The pre-annotation of ``ls push``, a batch of documents at a time so ``progress`` hears of them
    (spaCy sees each paragraph alone: batching changes no span)."""
    from coopnum.labelstudio import preannotate

    def predictor(ds: Sequence[CleanDocument]) -> list[tuple[Span, ...]]:
        found: list[tuple[Span, ...]] = []
        progress(0, len(ds), "documents pre-annotated")
        for i in range(0, len(ds), PREDICT_BATCH):
            batch = ds[i : i + PREDICT_BATCH]
            found += preannotate.predict(
                nlp, ([(d.text[p.start : p.end], p.start) for p in d.paragraphs] for d in batch)
            )
            progress(len(found), len(ds), "documents pre-annotated")
        return found

    return predictor


def _push_options(root: Path, annotators: str, show_predictions: bool) -> dict[str, Any]:
    guide = root / "annotations" / "GUIDELINES.md"  # the in-tool instructions (a scratch root may have none)
    return {
        "guidelines": guide.read_text(encoding="utf-8") if guide.is_file() else "",
        "show_predictions": show_predictions,
        "annotators": [a.strip() for a in annotators.split(",") if a.strip()],
    }


@reports_errors
def ls_push(
    root: RootOption = Path("."),
    project: ProjectOption = None,
    predictions: Annotated[
        bool, typer.Option("--predictions/--no-predictions", help="Import spaCy pre-annotations.")
    ] = True,
    show_predictions: Annotated[
        bool,
        typer.Option(
            "--show-predictions/--hide-predictions",
            help="Start the annotators' label stream from the pre-annotations (default: hidden, passes from scratch).",
        ),
    ] = False,
    annotators: Annotated[
        str,
        typer.Option(
            "--annotators",
            help="Comma-separated account emails (at least two): each document's two passes go to two different "
            "ones, each gets a data manager tab 'passes of user <id>' listing their tasks.",
        ),
    ] = "",
    timeout: TimeoutOption = None,
    tries: TriesOption = None,
    quiet: QuietOption = False,
) -> None:
    """Create or update the project from the schema and import one task per clean document, with pre-annotations.

    Idempotent: tasks are keyed on doc_id and text_sha256. A document whose clean
    text changed gets a new task; the old one is marked stale, never deleted.
    Each task goes to two annotators (two independent passes; each sees only their own
    annotation in the label stream); the instructions are annotations/GUIDELINES.md.
    With --annotators, the two passes of each document are given to two different annotators
    (stable as the corpus grows), named in the task data (data.assigned, user ids).
    Reads COOPNUM_LS_URL (default http://127.0.0.1:8080) and COOPNUM_LS_TOKEN.

    Example: coopnum ls push --project coopnum --annotators annotator-a@example.org,annotator-b@example.org
    """
    from coopnum.dataset.build import clean_corpus
    from coopnum.labelstudio import preannotate
    from coopnum.labelstudio import sync as lssync

    docs = [d.clean for d in clean_corpus(root / "corpus")]
    client = client_from_env(timeout, tries)
    title = project_title(project)
    client.find_project(title)  # fail fast on a wrong URL or token, before the model loads
    nlp = preannotate.load_model() if predictions else None
    version = preannotate.model_version(nlp) if nlp is not None else None
    options = _push_options(root, annotators, show_predictions)
    with bars(quiet) as progress:
        predictor = _predictor(nlp, progress) if predictions else None
        r = lssync.push(client, docs, title, predictor, version, **options)
    out.print(
        f"project {r.project_id}: {r.created} created, {r.unchanged} unchanged, {r.stale} marked stale; "
        f"{r.predictions} predictions ({version or 'none'}); config {'updated' if r.config_updated else 'unchanged'}",
        highlight=False,
        soft_wrap=True,
    )


@reports_errors
@writes_checkout("ls pull")
def ls_pull(
    root: RootOption = Path("."),
    project: ProjectOption = None,
    allow_shrink: Annotated[
        bool, typer.Option("--allow-shrink", help="Write even if fewer annotations come back than annotations/ holds.")
    ] = False,
    role: Annotated[
        str,
        typer.Option("--role", help="Role of new annotators in annotations/annotators.json (annotator, adjudicator)."),
    ] = "annotator",
    kind: Annotated[
        str,
        typer.Option("--kind", help="Kind of new annotators in annotations/annotators.json (who or what they are)."),
    ] = "person",
    timeout: TimeoutOption = None,
    tries: TriesOption = None,
    wait: WaitOption = False,
    quiet: QuietOption = False,
) -> None:
    """Export every submitted annotation to annotations/labelstudio/<doc_id>.json (pseudonymous, validated, counted).

    Drafts and skipped tasks are left out (and counted); predictions are kept
    apart. A document with an invalid annotation keeps its previous file and the
    problem is printed (task, annotation, field, annotator; exit code 3); the others
    are written. Nothing is written when the server fails or fewer annotations come
    back than annotations/ holds. New annotators are added to annotations/annotators.json
    (pseudonym, --role, --kind; authors of ground truth as adjudicators) and named.

    Example: coopnum ls pull && git diff --stat annotations/
    """
    from coopnum.labelstudio import sync as lssync

    with bars(quiet) as progress:
        r = lssync.pull(
            client_from_env(timeout, tries),
            project_title(project),
            root / "annotations",
            annotator_map(root),
            allow_shrink=allow_shrink,
            on_page=lambda page: progress(page, None, "task pages read"),
            role=role,
            kind=kind,
        )
    print_pull(r)


def print_pull(r: PullResult) -> None:
    """The counts of a pull, the new annotators, and its problems (exit code 3 when there are some)."""
    t = Table("", "tasks", "files", "annotations", "spans", "choices", "predictions", "predicted spans")
    for name, c, n_tasks, n_files in (("in", r.counts_in, r.tasks, ""), ("out", r.counts_out, "", r.files)):
        t.add_row(name, str(n_tasks), str(n_files), *(str(x) for x in c.as_tuple()[1:]))
    out.print(t)
    out.print(
        f"left out: {r.drafts} drafts, {r.cancelled} skipped (cancelled) annotations; "
        f"{r.new_annotators} new annotator pseudonym(s)",
        highlight=False,
        soft_wrap=True,
    )
    for a in r.registered:
        out.print(
            f"new annotator {a.id} registered in annotations/annotators.json as {a.role} ({a.kind}): describe "
            "its method there",
            highlight=False,
            soft_wrap=True,
        )
    for u in r.unassigned:
        out.print(
            f"warning: {u.doc_id}: annotation {u.annotation} is by {u.annotator}, to whom the task was not "
            "assigned (written like the others; reassign or remove it in Label Studio if it should not count)",
            highlight=False,
            soft_wrap=True,
        )
    if r.problems:
        from coopnum.labelstudio.sync import InvalidResults

        kept = ", ".join(r.kept)
        raise InvalidResults(
            r.problems, f"the other documents were written; these keep their previous file, if any: {kept}"
        )


@reports_errors
@writes_checkout("ls restore")
def ls_restore(
    root: RootOption = Path("."),
    project: ProjectOption = None,
    timeout: TimeoutOption = None,
    tries: TriesOption = None,
    wait: WaitOption = False,
) -> None:
    """Re-import annotations/ into the project's tasks (after coopnum ls push), e.g. onto a new server.

    Annotations already there are left alone; a pull afterwards gives the same files.

    Example: coopnum ls push && coopnum ls restore && coopnum ls pull
    """
    from coopnum.labelstudio import restore as lsrestore

    r = lsrestore.restore(
        client_from_env(timeout, tries), project_title(project), root / "annotations", annotator_map(root)
    )
    out.print(
        f"{r.restored} annotations restored, {r.present} already there, {r.predictions} predictions added; "
        f"{len(r.skipped)} file(s) skipped (no task for their text: {', '.join(r.skipped) or '-'})",
        highlight=False,
        soft_wrap=True,
    )
