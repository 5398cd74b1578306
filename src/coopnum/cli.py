"""``coopnum``: a thin command line over the library.

Each command parses its options, calls one library function, prints a short
summary, and turns a :class:`~coopnum.errors.CoopnumError` into a one-line
message and a non-zero exit.
"""

from __future__ import annotations

import functools
import json
import shutil
import tempfile
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from coopnum.errors import CoopnumError

if TYPE_CHECKING:  # the Label Studio modules import the SDK: only when an `ls` command runs
    from collections.abc import Sequence

    from coopnum.annotations import Span
    from coopnum.annotators import AnnotatorMap
    from coopnum.clean import CleanDocument
    from coopnum.lsclient import Client

app = typer.Typer(
    name="coopnum",
    help="Build, check and inspect the coopnum dataset.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")
EXIT_INPUT = 2  # bad input or stale outputs
EXIT_STALE = 1

RootOption = Annotated[Path, typer.Option("--root", help="Repository root holding corpus/, annotations/, dataset/.")]


def reports_errors(fn: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except CoopnumError as e:
            typer.echo(f"error: {e}", err=True)  # plain: the message holds [brackets] rich would eat
            raise typer.Exit(EXIT_INPUT) from None

    return wrapper


@app.command()
@reports_errors
def clean(
    root: RootOption = Path("."),
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the clean documents and audits.")] = Path(
        "build/clean"
    ),
) -> None:
    """Clean the raw corpus: one JSON document and one line-by-line audit per article.

    Writes <out>/<doc_id>.json (text, paragraphs, title, outlet, date, text_sha256,
    offset_map) and <out>/<doc_id>.audit.jsonl (every raw line, kept or removed and by
    which rule). The folder is replaced only when every file is written.

    Example: coopnum clean --out build/clean
    """
    from coopnum.build import clean_corpus

    docs = clean_corpus(root / "corpus")
    target = out_dir if out_dir.is_absolute() else root / out_dir
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".clean.tmp-", dir=target.parent))
    try:
        for d in docs:
            c = d.clean
            record = {
                "doc_id": c.doc_id,
                "raw_file": f"corpus/raw/{d.raw.source.file}",
                "raw_sha256": d.raw.source.raw_sha256,
                "title": c.title,
                "outlet_extracted": c.outlet,
                "date_extracted": c.date,
                "text": c.text,
                "text_sha256": c.text_sha256,
                "paragraphs": [{"start": p.start, "end": p.end, "kind": p.kind} for p in c.paragraphs],
                "offset_map": c.offset_map.as_rows(),
            }
            (tmp / f"{c.doc_id}.json").write_text(
                json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
            with (tmp / f"{c.doc_id}.audit.jsonl").open("w", encoding="utf-8") as f:
                for a in c.audit:
                    f.write(json.dumps(a.__dict__, ensure_ascii=False) + "\n")
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    t = Table("document", "raw lines", "kept", "removed", "paragraphs", "characters", "title")
    for d in docs:
        actions = [a.action for a in d.clean.audit]
        t.add_row(
            d.clean.doc_id,
            str(len(actions)),
            str(sum(a in ("kept", "trimmed") for a in actions)),
            str(actions.count("removed")),
            str(len(d.clean.paragraphs)),
            str(len(d.clean.text)),
            "yes" if d.clean.title else "no",
        )
    out.print(t)
    out.print(f"wrote {len(docs)} documents to {target}")


@app.command()
@reports_errors
def build(
    root: RootOption = Path("."),
    check: Annotated[
        bool, typer.Option("--check", help="Build nothing; exit 1 and list what is stale if dataset/ is out of date.")
    ] = False,
) -> None:
    """Build dataset/ (Parquet configs, card, manifest) from corpus/ and annotations/.

    Writes into a temporary folder and swaps it in only when complete; the same
    inputs give byte-identical files. With --check, compares dataset/manifest.json
    with the current inputs and outputs instead.

    Example: coopnum build && coopnum build --check
    """
    from coopnum import build as builder

    if check:
        problems = builder.check(root)
        if problems:
            for p in problems:
                err.print(f"stale: {p}", highlight=False, markup=False)
            raise typer.Exit(EXIT_STALE)
        out.print("dataset/ is up to date")
        return
    result = builder.build(root)
    t = Table("config", *result.rows[next(iter(result.rows))].keys())
    for config, counts in result.rows.items():
        t.add_row(config, *(str(n) for n in counts.values()))
    out.print(t)
    out.print(f"wrote {len(result.files) + 1} files to {result.dataset}")


class SchemaFormat(StrEnum):
    labelstudio = "labelstudio"
    features = "features"
    markdown = "markdown"


@app.command()
@reports_errors
def schema(
    fmt: Annotated[SchemaFormat, typer.Option("--format", help="What to print.")] = SchemaFormat.markdown,
) -> None:
    """Print what the schema generates: the Label Studio config, the HF features, or the label tables.

    Example: coopnum schema --format labelstudio > labeling_config.xml
    """
    from coopnum import card, features, lsconfig

    if fmt is SchemaFormat.labelstudio:
        typer.echo(lsconfig.label_config(), nl=False)
    elif fmt is SchemaFormat.features:
        all_features = {**features.CONFIGS, **features.PLANNED_CONFIGS}
        typer.echo(json.dumps({k: v.to_dict() for k, v in all_features.items()}, indent=2, ensure_ascii=False))
    else:
        typer.echo(
            "\n\n".join(
                [
                    "## Entity types",
                    card.entity_table(),
                    "## Stance",
                    card.stance_table(),
                    "## Topics",
                    card.topic_table(),
                ]
            )
        )


# ------------------------------------------------------------------ Label Studio

ls_app = typer.Typer(
    help="Label Studio: run the server, push documents and pre-annotations, pull and restore annotations.\n\n"
    "Example: coopnum ls serve && coopnum ls push && coopnum ls pull",
    no_args_is_help=True,
)
app.add_typer(ls_app, name="ls")

ProjectOption = Annotated[
    str | None,
    typer.Option("--project", help="Project title (default: $COOPNUM_LS_PROJECT or 'coopnum')."),
]
TimeoutOption = Annotated[float | None, typer.Option("--timeout", help="Seconds to wait for one HTTP answer.")]
TriesOption = Annotated[int | None, typer.Option("--tries", help="Tries per HTTP call before giving up.")]


def _ls_dir(root: Path) -> Path:
    import os

    return Path(os.environ.get("COOPNUM_LS_DIR") or root / ".labelstudio")


def _client(timeout: float | None, tries: int | None) -> Client:
    from coopnum.lsclient import Client, Connection

    return Client(Connection.from_env(timeout=timeout, tries=tries))


def _project_title(project: str | None) -> str:
    import os

    from coopnum.lsclient import DEFAULT_PROJECT, ENV_PROJECT

    return project or os.environ.get(ENV_PROJECT) or DEFAULT_PROJECT


def _annotator_map(root: Path) -> AnnotatorMap:
    import os

    from coopnum.annotators import AnnotatorMap
    from coopnum.lsclient import ENV_ANNOTATOR_MAP

    return AnnotatorMap.load(Path(os.environ.get(ENV_ANNOTATOR_MAP) or _ls_dir(root) / "annotators.json"))


@ls_app.command("serve")
@reports_errors
def ls_serve(
    root: RootOption = Path("."),
    port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1.")] = 8080,
) -> None:
    """Start Label Studio in the background on 127.0.0.1 (data in .labelstudio/data) and wait until it answers.

    The admin account and its API token come from COOPNUM_LS_ADMIN_EMAIL,
    COOPNUM_LS_ADMIN_PASSWORD and COOPNUM_LS_TOKEN (created on the first start).
    Install the server first with: bash scripts/labelstudio install

    Example: coopnum ls serve --port 8080
    """
    from coopnum import lsserver

    server = lsserver.serve(_ls_dir(root), port, lsserver.Admin.from_env())
    out.print(
        f"Label Studio is up at {server.url} (pid {server.pid}); stop it with: coopnum ls stop",
        highlight=False,
        soft_wrap=True,
    )


@ls_app.command("stop")
@reports_errors
def ls_stop(root: RootOption = Path(".")) -> None:
    """Stop the server that coopnum ls serve started (by its pid).

    Example: coopnum ls stop
    """
    from coopnum import lsserver

    server = lsserver.shutdown(_ls_dir(root))
    out.print("Label Studio was not running" if server is None else f"stopped Label Studio (pid {server.pid})")


@ls_app.command("push")
@reports_errors
def ls_push(
    root: RootOption = Path("."),
    project: ProjectOption = None,
    predictions: Annotated[
        bool, typer.Option("--predictions/--no-predictions", help="Import spaCy pre-annotations.")
    ] = True,
    timeout: TimeoutOption = None,
    tries: TriesOption = None,
) -> None:
    """Create or update the project from the schema and import one task per clean document, with pre-annotations.

    Idempotent: tasks are keyed on doc_id and text_sha256. A document whose clean
    text changed gets a new task; the old one is marked stale, never deleted.
    Reads COOPNUM_LS_URL (default http://127.0.0.1:8080) and COOPNUM_LS_TOKEN.

    Example: coopnum ls push --project coopnum
    """
    from coopnum import lsclient, preannotate
    from coopnum.build import clean_corpus

    docs = [d.clean for d in clean_corpus(root / "corpus")]
    client = _client(timeout, tries)
    title = _project_title(project)
    client.find_project(title)  # fail fast on a wrong URL or token, before the model loads
    predictor, version = None, None
    if predictions:
        nlp = preannotate.load_model()
        version = preannotate.model_version(nlp)

        def predictor(ds: Sequence[CleanDocument]) -> list[tuple[Span, ...]]:
            return preannotate.predict(nlp, ([(d.text[p.start : p.end], p.start) for p in d.paragraphs] for d in ds))

    r = lsclient.push(client, docs, title, predictor, version)
    out.print(
        f"project {r.project_id}: {r.created} created, {r.unchanged} unchanged, {r.stale} marked stale; "
        f"{r.predictions} predictions ({version or 'none'}); config {'updated' if r.config_updated else 'unchanged'}",
        highlight=False,
        soft_wrap=True,
    )


@ls_app.command("pull")
@reports_errors
def ls_pull(
    root: RootOption = Path("."),
    project: ProjectOption = None,
    allow_shrink: Annotated[
        bool, typer.Option("--allow-shrink", help="Write even if fewer annotations come back than annotations/ holds.")
    ] = False,
    timeout: TimeoutOption = None,
    tries: TriesOption = None,
) -> None:
    """Export every submitted annotation to annotations/labelstudio/<doc_id>.json (pseudonymous, validated, counted).

    Drafts and skipped tasks are left out (and counted); predictions are kept
    apart. Nothing is written when a result is invalid, the server fails, or
    fewer annotations come back than annotations/ holds.

    Example: coopnum ls pull && git diff --stat annotations/
    """
    from coopnum import lsclient

    r = lsclient.pull(
        _client(timeout, tries),
        _project_title(project),
        root / "annotations",
        _annotator_map(root),
        allow_shrink=allow_shrink,
    )
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


@ls_app.command("restore")
@reports_errors
def ls_restore(
    root: RootOption = Path("."),
    project: ProjectOption = None,
    timeout: TimeoutOption = None,
    tries: TriesOption = None,
) -> None:
    """Re-import annotations/ into the project's tasks (after coopnum ls push), e.g. onto a new server.

    Annotations already there are left alone; a pull afterwards gives the same files.

    Example: coopnum ls push && coopnum ls restore && coopnum ls pull
    """
    from coopnum import lsclient

    r = lsclient.restore(_client(timeout, tries), _project_title(project), root / "annotations", _annotator_map(root))
    out.print(
        f"{r.restored} annotations restored, {r.present} already there, {r.predictions} predictions added; "
        f"{len(r.skipped)} file(s) skipped (no task for their text: {', '.join(r.skipped) or '-'})",
        highlight=False,
        soft_wrap=True,
    )
