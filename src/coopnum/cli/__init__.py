"""``coopnum``: a thin command line over the library.

Each command parses its options, calls one library function, prints a short
summary, and turns a :class:`~coopnum.errors.CoopnumError` into a one-line
message and a non-zero exit.
"""

from __future__ import annotations

import functools
import json
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

    from coopnum.annotation.format import Span
    from coopnum.annotation.pseudonyms import AnnotatorMap
    from coopnum.corpus.clean import CleanDocument
    from coopnum.labelstudio.client import Client

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
ProcessesOption = Annotated[
    int | None, typer.Option("--processes", min=1, help="Worker processes (default: one per core); same output.")
]
MAX_TABLE_ROWS = 50  # a per-document table longer than this is not read: totals instead


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
    processes: ProcessesOption = None,
) -> None:
    """Clean the raw corpus: one JSON document and one line-by-line audit per article.

    Writes <out>/<doc_id>.json (text, paragraphs, title, outlet, date, text_sha256,
    offset_map) and <out>/<doc_id>.audit.jsonl (every raw line, kept or removed and by
    which rule). The folder is replaced only when every file is written.

    Example: coopnum clean --out build/clean
    """
    from coopnum.dataset.pipeline import write_clean

    target = out_dir if out_dir.is_absolute() else root / out_dir
    summaries = write_clean(root / "corpus", target, processes)
    if len(summaries) <= MAX_TABLE_ROWS:
        t = Table("document", "raw lines", "kept", "removed", "paragraphs", "characters", "title")
        for s in summaries:
            t.add_row(
                s.doc_id, *(str(x) for x in (s.raw_lines, s.kept, s.removed, s.paragraphs, s.characters)), s.title
            )
        out.print(t)
    out.print(
        f"wrote {len(summaries)} documents to {target}: {sum(s.raw_lines for s in summaries)} raw lines, "
        f"{sum(s.removed for s in summaries)} removed, {sum(s.characters for s in summaries)} characters kept"
    )


@app.command()
@reports_errors
def build(
    root: RootOption = Path("."),
    check: Annotated[
        bool, typer.Option("--check", help="Build nothing; exit 1 and list what is stale if dataset/ is out of date.")
    ] = False,
    processes: ProcessesOption = None,
) -> None:
    """Build dataset/ (Parquet configs, card, manifest) from corpus/ and annotations/.

    Writes into a temporary folder and swaps it in only when complete; the same
    inputs give byte-identical files. With --check, compares dataset/manifest.json
    with the current inputs and outputs instead.

    Example: coopnum build && coopnum build --check
    """
    from coopnum.dataset import build as builder

    if check:
        problems = builder.check(root)
        if problems:
            for p in problems:
                err.print(f"stale: {p}", highlight=False, markup=False)
            raise typer.Exit(EXIT_STALE)
        out.print("dataset/ is up to date")
        return
    result = builder.build(root, processes)
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
    from coopnum.dataset import card, features
    from coopnum.labelstudio import config as lsconfig

    if fmt is SchemaFormat.labelstudio:
        typer.echo(lsconfig.label_config(), nl=False)
    elif fmt is SchemaFormat.features:
        all_features = features.CONFIGS_WITH_ANNOTATIONS
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


@app.command()
@reports_errors
def publish(
    repo_id: Annotated[str, typer.Option("--repo-id", help="The hub dataset repository, ORG/NAME.")],
    root: RootOption = Path("."),
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would change; upload nothing.")] = False,
) -> None:
    """Upload dataset/ to a hub dataset repository, then reload it and compare.

    Refuses a stale or invalid build. Uploads only files whose bytes changed (an
    unchanged build uploads nothing), in one commit; then downloads the published
    files into an empty folder and checks every config loads with the same rows.
    The token is read from HF_TOKEN only; HF_ENDPOINT selects another hub.

    Example: HF_TOKEN=... coopnum publish --repo-id coopnum/coopnum --dry-run
    """
    import os

    from coopnum.publish.hub import publish as run_publish

    result = run_publish(
        root, repo_id, token=os.environ.get("HF_TOKEN"), endpoint=os.environ.get("HF_ENDPOINT"), dry_run=dry_run
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


@app.command()
@reports_errors
def validate(
    root: RootOption = Path("."),
    report: Annotated[Path | None, typer.Option("--report", help="Write the JSON report here.")] = None,
    skip_dataset: Annotated[bool, typer.Option("--skip-dataset", help="Check inputs only, not dataset/.")] = False,
    processes: ProcessesOption = None,
) -> None:
    """Run every validation check; exit 1 if any error. Warnings are listed, not fatal.

    Checks corpus, annotations (offsets, labels, overlaps, token boundaries, stale
    text, gold completeness, round trips, variation across the corpus, guideline
    rules, adjudication reasons, agreement) and dataset/ (current, counts).

    Example: coopnum validate --report build/validation.json
    """
    from coopnum.quality import checks as v

    findings = v.validate(root, check_dataset=not skip_dataset, processes=processes)
    if report is not None:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(v.report_json(findings), encoding="utf-8")
    t = Table("check", "severity", "findings", "first")
    by_check: dict[str, list] = {}
    for f in findings:
        by_check.setdefault(f.check, []).append(f)
    for name, items in sorted(by_check.items(), key=lambda kv: (kv[1][0].severity, kv[0])):
        first = items[0]
        t.add_row(name, first.severity, str(len(items)), f"{first.document or ''} {first.message}"[:90])
    if findings:
        out.print(t)
    errors = sum(f.severity == v.ERROR for f in findings)
    out.print(f"{errors} errors, {len(findings) - errors} warnings over {len(v.CHECKS)} checks")
    if errors:
        raise typer.Exit(EXIT_STALE)


class EvalConfig(StrEnum):
    ner = "ner"
    stance = "stance"
    topic = "topic"


@app.command()
@reports_errors
def evaluate(
    config: Annotated[EvalConfig, typer.Option("--config", help="Which task to score.")],
    predictions: Annotated[Path, typer.Option("--predictions", help="JSON Lines, one prediction per row id.")],
    split: Annotated[list[str] | None, typer.Option("--split", help="Split(s) to score (default: test).")] = None,
    folds: Annotated[bool, typer.Option("--folds", help="Score every split, pooled and fold by fold.")] = False,
    dataset: Annotated[Path, typer.Option("--dataset", help="The dataset folder.")] = Path("dataset"),
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the scores as JSON here.")] = None,
) -> None:
    """Score predictions against the dataset (NER: seqeval strict IOB2; stance: F_avg; topics: micro/macro F1).

    The prediction format is in the README. Every row of the scored split(s) must be
    predicted once; anything else is an error, never a partial score.

    Example: coopnum evaluate --config ner --predictions preds.jsonl --folds --json scores.json
    """
    from coopnum import schema as sch
    from coopnum.benchmark import evaluate as ev

    splits = list(sch.SPLITS) if folds else (split or ["test"])
    result = ev.evaluate(dataset, config.value, predictions, splits=splits, folds=folds)
    t = Table("metric", "value")
    for k, v in ev.headline(config.value, result["scores"]).items():
        t.add_row(k, f"{v:.4f}")
    if folds:
        for k, v in result["fold_mean"].items():
            std = result["fold_std"][k]
            t.add_row(f"{k} (fold mean ± sd)", f"{v:.4f} ± {std:.4f}" if std is not None else f"{v:.4f}")
    out.print(t)
    out.print(f"{result['rows']} rows of {', '.join(splits)}")
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


@app.command()
@reports_errors
def baselines(
    only: Annotated[list[str] | None, typer.Option("--only", help="Run only this baseline (repeatable).")] = None,
    dataset: Annotated[Path, typer.Option("--dataset", help="The dataset folder.")] = Path("dataset"),
    out_file: Annotated[Path, typer.Option("--out", help="Results file (merged).")] = Path("benchmarks/baselines.json"),
    predictions_dir: Annotated[Path, typer.Option("--predictions-dir", help="Where predictions go.")] = Path(
        "build/baselines"
    ),
) -> None:
    """Run the reference baselines leave-one-document-out and record their scores.

    Baselines: ner-spacy-sm, ner-spacy-md (zero-shot, CoNLL-4), stance-majority,
    stance-tfidf-lr, topic-majority, topic-tfidf-lr, topic-keywords. Results carry
    model versions and the data hash; the card shows them while that hash is current.

    Example: coopnum baselines --only ner-spacy-md
    """
    from coopnum.benchmark import baselines as bl
    from coopnum.errors import CoopnumError

    names = only or list(bl.BASELINES)
    unknown = [n for n in names if n not in bl.BASELINES]
    if unknown:
        raise CoopnumError(f"unknown baseline {unknown[0]!r}; known: {', '.join(bl.BASELINES)}", field="only")
    results = bl.run(dataset, names, predictions_dir)
    bl.write_results(out_file, dataset, results)
    t = Table("baseline", "config", "scores (pooled)", "fold mean")
    for name, r in results.items():
        t.add_row(
            name,
            str(r["config"]),
            ", ".join(f"{k} {v:.3f}" for k, v in r["scores"].items()),
            ", ".join(f"{k} {v:.3f}" for k, v in r["fold_mean"].items()),
        )
    out.print(t)
    out.print(f"wrote {out_file}")


@app.command()
@reports_errors
def agreement(
    root: RootOption = Path("."),
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the report as JSON here.")] = None,
) -> None:
    """Inter-annotator agreement from annotations/: entity F1 (exact and partial) per label, Krippendorff's
    alpha for paragraph and document stance and per topic, the pre-annotation's F1 against the gold, and
    disagreements by kind.

    The same report is written to dataset/agreement.json by `coopnum build` and shown in the card.

    Example: coopnum agreement --json build/agreement.json
    """
    from coopnum import schema as sch
    from coopnum.dataset.build import attach_annotations, clean_corpus
    from coopnum.quality import agreement as ag

    docs = attach_annotations(clean_corpus(root / "corpus"), root / "annotations")
    annotated = [d.annotations for d in docs if d.annotations]
    if not annotated:
        out.print("no annotations: nothing to compare")
        return
    report = ag.corpus_report(annotated)
    for pair in report.pairs:
        t = Table(
            "label",
            "exact F1",
            "partial F1",
            f"{pair.first} spans",
            f"{pair.second} spans",
            title=f"entities: {pair.first} vs {pair.second}, {pair.documents} documents",
        )
        for label in (*sch.ENTITY_LABELS, "overall"):
            e, p = pair.ner_exact[label], pair.ner_partial[label]
            t.add_row(label, f"{e.f1:.3f}", f"{p.f1:.3f}", str(e.reference), str(e.predicted))
        out.print(t)
        out.print("disagreements: " + ", ".join(f"{k} {v}" for k, v in sorted(pair.disagreements.items())))
    t = Table("layer", "Krippendorff's alpha (nominal)", title="choices")
    t.add_row(
        "paragraph stance", "n/a" if report.paragraph_stance_alpha is None else f"{report.paragraph_stance_alpha:.3f}"
    )
    t.add_row(
        "document stance", "n/a" if report.document_stance_alpha is None else f"{report.document_stance_alpha:.3f}"
    )
    for topic, a in report.topic_alpha.items():
        t.add_row(f"topic {topic}", "n/a" if a is None else f"{a:.3f}")
    out.print(t)
    for version, scores in report.preannotation.items():
        out.print(
            f"pre-annotation {version} vs gold (CoNLL-4): " + ", ".join(f"{k} F1 {v.f1:.3f}" for k, v in scores.items())
        )
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(ag.report_dict(report), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


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
    from coopnum.labelstudio.client import Client, Connection

    return Client(Connection.from_env(timeout=timeout, tries=tries))


def _project_title(project: str | None) -> str:
    import os

    from coopnum.labelstudio.client import DEFAULT_PROJECT, ENV_PROJECT

    return project or os.environ.get(ENV_PROJECT) or DEFAULT_PROJECT


def _annotator_map(root: Path) -> AnnotatorMap:
    import os

    from coopnum.annotation.pseudonyms import AnnotatorMap
    from coopnum.labelstudio.client import ENV_ANNOTATOR_MAP

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
    from coopnum.labelstudio import server as lsserver

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
    from coopnum.labelstudio import server as lsserver

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
    from coopnum.dataset.build import clean_corpus
    from coopnum.labelstudio import client as lsclient
    from coopnum.labelstudio import preannotate

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
    from coopnum.labelstudio import client as lsclient

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
    from coopnum.labelstudio import client as lsclient

    r = lsclient.restore(_client(timeout, tries), _project_title(project), root / "annotations", _annotator_map(root))
    out.print(
        f"{r.restored} annotations restored, {r.present} already there, {r.predictions} predictions added; "
        f"{len(r.skipped)} file(s) skipped (no task for their text: {', '.join(r.skipped) or '-'})",
        highlight=False,
        soft_wrap=True,
    )


@ls_app.command("add-annotator")
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

    from coopnum.errors import CoopnumError
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


@ls_app.command("tasks")
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
        _client(timeout, tries), _project_title(project), out_dir, with_predictions=with_predictions
    )
    out.print(f"wrote {n} tasks to {out_dir} ({'with' if with_predictions else 'without'} pre-annotations)")
    if skipped:
        out.print(f"{skipped} predicted spans are not on word edges and were left out of the pass templates")


@ls_app.command("submit")
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

    done = submit(_client(timeout, tries), _project_title(project), pass_files, ground_truth=ground_truth)
    for s in done:
        out.print(
            f"{s.doc_id}: annotation {s.annotation_id} {'created' if s.created else 'updated'} ({s.spans} spans, {s.choices} choices)"
        )
    out.print(f"{len(done)} annotations saved{' as ground truth' if ground_truth else ''}")


@app.command("adjudication-package")
@reports_errors
def adjudication_package(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for one <doc_id>.json per document.")],
    root: RootOption = Path("."),
) -> None:
    """For the adjudicator: per document, the text, every pass, every disagreement (with the key its
    reason must cite), and a gold pass template with only what the passes agree on.

    Reads the passes pulled into annotations/. The adjudicator fills the template,
    submits it with `coopnum ls submit --ground-truth` and writes one reason per
    disagreement to annotations/adjudication.jsonl.

    Example: coopnum adjudication-package --out ~/adjudication
    """
    from coopnum.annotation import adjudication as adj
    from coopnum.annotation import format as ann_mod
    from coopnum.dataset.build import clean_corpus

    found = ann_mod.load_all(root / "annotations")
    out_dir.mkdir(parents=True, exist_ok=True)
    total = 0
    for d in clean_corpus(root / "corpus"):
        doc = found.get(d.doc_id)
        passes = [a for a in doc.annotations if not a.ground_truth] if doc else []
        if len(passes) < 2:
            out.print(f"{d.doc_id}: {len(passes)} pass(es), skipped")
            continue
        pkg = adj.package(d.doc_id, d.clean.text, d.paragraph_ranges, passes)
        pkg["gold_template"]["text_sha256"] = d.clean.text_sha256
        (out_dir / f"{d.doc_id}.json").write_text(
            json.dumps(pkg, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        total += len(pkg["disagreements"])
        out.print(f"{d.doc_id}: {len(pkg['disagreements'])} disagreements")
    out.print(f"{total} disagreements to adjudicate; packages in {out_dir}")
