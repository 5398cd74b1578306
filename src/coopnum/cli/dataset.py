"""The dataset stage: ``coopnum build``, ``schema``, ``validate``, ``agreement`` and ``adjudication-package``."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from coopnum.cli.app import (
    EXIT_STALE,
    ProcessesOption,
    QuietOption,
    RootOption,
    WaitOption,
    err,
    human,
    out,
    reports_errors,
    write_json,
)
from coopnum.cli.locks import say_waiting

NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Neither read nor write .coopnum-cache/ (the per-document cache).")
]


class Engine(StrEnum):
    local = "local"
    ray = "ray"


if TYPE_CHECKING:  # for type hints only: the library is imported when a command runs, keeping --help fast
    from rich.console import Console

    from coopnum.quality.agreement import PairReport, Report


@reports_errors
def build(
    root: RootOption = Path("."),
    check: Annotated[
        bool, typer.Option("--check", help="Build nothing; exit 1 and list what is stale if dataset/ is out of date.")
    ] = False,
    processes: ProcessesOption = None,
    wait: WaitOption = False,
    quiet: QuietOption = False,
    no_cache: NoCacheOption = False,
    engine: Annotated[
        Engine, typer.Option("--engine", help="Where the per-document work runs: local processes, or Ray.")
    ] = Engine.local,
    address: Annotated[
        str | None, typer.Option("--address", help="Ray cluster to join (ray://HOST:10001, auto); --engine ray only.")
    ] = None,
) -> None:
    """Build dataset/ (Parquet configs, card, manifest) from corpus/ and annotations/.

    Writes into a temporary folder and swaps it in, with DATASHEET.md, only when
    complete; the same inputs give byte-identical files. Documents whose inputs
    did not change reuse their results from .coopnum-cache/ (--no-cache: clean,
    check and convert every document again, the same bytes). With --check,
    compares dataset/manifest.json with the current inputs and outputs instead,
    after finishing or undoing a build that was interrupted.

    Example: coopnum build && coopnum build --check
    """
    from coopnum.cli.progress import bars
    from coopnum.dataset import build as builder
    from coopnum.util.engines import mapper_for
    from coopnum.util.lock import checkout_lock

    mapper = mapper_for(engine.value, address, processes)  # an engine that cannot run fails before the lock

    with checkout_lock(root, "build --check" if check else "build", wait=wait, on_wait=say_waiting):
        if check:
            for line in builder.recover(root):
                err.print(f"recovered: {line}", highlight=False, markup=False)
            problems = builder.check(root)
            if problems:
                for p in problems:
                    err.print(f"stale: {p}", highlight=False, markup=False)
                raise typer.Exit(EXIT_STALE)
            out.print("dataset/ is up to date")
            return
        with bars(quiet) as progress:
            result = builder.build(root, processes, progress=progress, mapper=mapper, use_cache=not no_cache)
    t = Table("config", *result.rows[next(iter(result.rows))].keys())
    for config, counts in result.rows.items():
        t.add_row(config, *(str(n) for n in counts.values()))
    out.print(t)
    out.print(f"wrote {len(result.files) + 1} files to {result.dataset}")


class SchemaFormat(StrEnum):
    labelstudio = "labelstudio"
    features = "features"
    markdown = "markdown"


@reports_errors
def schema(
    fmt: Annotated[SchemaFormat, typer.Option("--format", help="What to print.")] = SchemaFormat.markdown,
) -> None:
    """Print what the schema generates: the Label Studio config, the HF features, or the label tables.

    Example: coopnum schema --format labelstudio > labeling_config.xml
    """
    from coopnum.dataset import registry, tables
    from coopnum.labelstudio import config as lsconfig  # the config module only: no SDK import

    if fmt is SchemaFormat.labelstudio:
        typer.echo(lsconfig.label_config(), nl=False)
    elif fmt is SchemaFormat.features:
        all_features = registry.configs(annotated=True)
        typer.echo(json.dumps({k: v.to_dict() for k, v in all_features.items()}, indent=2, ensure_ascii=False))
    else:
        typer.echo(
            "\n\n".join(
                [
                    "## Entity types",
                    tables.entity_table(),
                    "## Stance",
                    tables.stance_table(),
                    "## Topics",
                    tables.topic_table(),
                ]
            )
        )


@reports_errors
def validate(
    root: RootOption = Path("."),
    report: Annotated[
        Path | None, typer.Option("--report", help="Write the JSON report here (- : to stdout, tables to stderr).")
    ] = None,
    skip_dataset: Annotated[bool, typer.Option("--skip-dataset", help="Check inputs only, not dataset/.")] = False,
    processes: ProcessesOption = None,
    quiet: QuietOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Run every validation check; exit 1 if any error. Warnings are listed, not fatal.

    Checks corpus, annotations (offsets, labels, overlaps, token boundaries, stale
    text, gold completeness, round trips, variation across the corpus, guideline
    rules, adjudication reasons, agreement) and dataset/ (current, counts). A
    document whose inputs did not change since the last build or validation is
    not cleaned or tokenised again: its findings come from .coopnum-cache/; when
    nothing at all changed (inputs, code, dataset/, library versions, options),
    the last run's findings are read back whole (--no-cache: every document
    again, the same findings).

    Example: coopnum validate --report build/validation.json
    """
    from coopnum.cli.progress import bars
    from coopnum.dataset import validation as v
    from coopnum.quality import findings as fnd

    with bars(quiet) as progress:
        findings = v.validate(
            root, check_dataset=not skip_dataset, processes=processes, progress=progress, use_cache=not no_cache
        )
    write_json(report, fnd.report_json(findings))
    show = human(report)
    t = Table("check", "severity", "findings", "first")  # the first finding whole: its document id is not cut
    by_check: dict[str, list] = {}
    for f in findings:
        by_check.setdefault(f.check, []).append(f)
    for name, items in sorted(by_check.items(), key=lambda kv: (kv[1][0].severity, kv[0])):
        first = items[0]
        t.add_row(name, first.severity, str(len(items)), f"{first.document or ''} {first.message}".strip())
    if findings:
        show.print(t)
    errors = sum(f.severity == fnd.ERROR for f in findings)
    show.print(f"{errors} errors, {len(findings) - errors} warnings over {len(fnd.CHECKS)} checks")
    if errors:
        raise typer.Exit(EXIT_STALE)


@reports_errors
def agreement(
    root: RootOption = Path("."),
    json_out: Annotated[
        Path | None,
        typer.Option("--json", help="Also write the report as JSON here (- : to stdout, tables to stderr)."),
    ] = None,
) -> None:
    """Inter-annotator agreement from annotations/: entity F1 (exact and partial) per label, Krippendorff's
    alpha for paragraph and document stance and per topic, the pre-annotation's F1 against the gold, and
    disagreements by kind.

    The same report is written to dataset/agreement.json by `coopnum build` and shown in the card.

    Example: coopnum agreement --json build/agreement.json
    """
    from coopnum.dataset.build import annotated_documents
    from coopnum.quality import agreement as ag

    docs = annotated_documents(root, require_gold=False)  # agreement is wanted before adjudication too
    show = human(json_out)
    annotated = [d.annotations for d in docs if d.annotations]
    if not annotated:
        show.print("no annotations: nothing to compare")
        return
    report = ag.corpus_report(annotated)
    for pair in report.pairs:
        _print_entity_agreement(pair, show)
    show.print(_choice_agreement_table(report))
    for version, scores in report.preannotation.items():
        show.print(
            f"pre-annotation {version} vs gold (CoNLL-4): " + ", ".join(f"{k} F1 {v.f1:.3f}" for k, v in scores.items())
        )
    write_json(json_out, json.dumps(ag.report_dict(report), indent=1, ensure_ascii=False) + "\n")


def _print_entity_agreement(pair: PairReport, show: Console) -> None:
    """One pair of annotators: entity F1 per label, then their disagreements by kind."""
    from coopnum import schema as sch

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
    show.print(t)
    show.print("disagreements: " + ", ".join(f"{k} {v}" for k, v in sorted(pair.disagreements.items())))


def _choice_agreement_table(report: Report) -> Table:
    """Krippendorff's alpha for the paragraph stance, the document stance and each topic."""
    t = Table("layer", "Krippendorff's alpha (nominal)", title="choices")
    t.add_row(
        "paragraph stance", "n/a" if report.paragraph_stance_alpha is None else f"{report.paragraph_stance_alpha:.3f}"
    )
    t.add_row(
        "document stance", "n/a" if report.document_stance_alpha is None else f"{report.document_stance_alpha:.3f}"
    )
    for topic, a in report.topic_alpha.items():
        t.add_row(f"topic {topic}", "n/a" if a is None else f"{a:.3f}")
    return t


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
