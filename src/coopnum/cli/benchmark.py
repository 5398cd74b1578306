"""``coopnum evaluate`` and ``coopnum baselines``: the benchmark stage."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from coopnum.cli.app import QuietOption, human, out, reports_errors, write_json
from coopnum.errors import CoopnumError


class EvalConfig(StrEnum):  # the registry's scored configs (a test holds them equal)
    ner = "ner"
    stance = "stance"
    stance_document = "stance_document"
    topic = "topic"


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4f}"


@reports_errors
def evaluate(
    config: Annotated[EvalConfig, typer.Option("--config", help="Which task to score.")],
    predictions: Annotated[Path, typer.Option("--predictions", help="JSON Lines, one prediction per row id.")],
    split: Annotated[list[str] | None, typer.Option("--split", help="Split(s) to score (default: test).")] = None,
    folds: Annotated[
        bool,
        typer.Option(
            "--folds",
            help="Score every split, pooled and fold by fold. Expects out-of-fold predictions: fold k from a "
            "model that did not see fold k.",
        ),
    ] = False,
    by_document: Annotated[
        bool,
        typer.Option(
            "--by-document",
            help="With --folds: each document is a fold (leave-one-document-out) instead of the `fold` column.",
        ),
    ] = False,
    dataset: Annotated[Path, typer.Option("--dataset", help="The dataset folder.")] = Path("dataset"),
    json_out: Annotated[
        Path | None,
        typer.Option("--json", help="Also write the scores as JSON here (- : to stdout, tables to stderr)."),
    ] = None,
) -> None:
    """Score predictions against the dataset (NER: seqeval strict IOB2; stance: F_avg; topics: micro/macro F1).

    The prediction format is in the README (labels as names or ClassLabel ids). Every row of
    the scored split(s) must be predicted once; anything else is an error, never a partial
    score. Labels absent from the gold and from the predictions are left out of the macro
    averages (named in the output), so a perfect system scores 1.0.

    Example: coopnum evaluate --config ner --predictions preds.jsonl --folds --json scores.json
    """
    from coopnum import schema as sch
    from coopnum.benchmark import evaluate as ev

    splits = list(sch.SPLITS) if folds else (split or ["test"])
    groups = "document" if by_document else "fold"
    result = ev.evaluate(dataset, config.value, predictions, splits=splits, folds=folds, groups=groups)
    t = Table("metric", "value")
    for k, v in result["headline"].items():
        t.add_row(k, _fmt(v))
    if folds:
        for k, v in result["fold_mean"].items():
            std = result["fold_std"][k]
            t.add_row(f"{k} (fold mean ± sample sd)", f"{_fmt(v)} ± {_fmt(std)}" if std is not None else _fmt(v))
    show = human(json_out)
    show.print(t)
    show.print(f"{result['rows']} rows of {', '.join(splits)}")
    for warning in result["warnings"]:
        show.print(f"note: {warning}", markup=False, highlight=False)
    if folds:
        show.print(f"note: {result['policy']['folds']}", markup=False, highlight=False)
    write_json(json_out, json.dumps(result, indent=1, ensure_ascii=False) + "\n")


@reports_errors
def baselines(
    only: Annotated[list[str] | None, typer.Option("--only", help="Run only this baseline (repeatable).")] = None,
    dataset: Annotated[Path, typer.Option("--dataset", help="The dataset folder.")] = Path("dataset"),
    out_file: Annotated[Path, typer.Option("--out", help="Results file (merged).")] = Path("benchmarks/baselines.json"),
    predictions_dir: Annotated[Path, typer.Option("--predictions-dir", help="Where predictions go.")] = Path(
        "build/baselines"
    ),
    quiet: QuietOption = False,
) -> None:
    """Run the reference baselines leave-one-document-out and record their scores.

    Baselines: ner-spacy-sm, ner-spacy-md (zero-shot, CoNLL-4), stance-majority,
    stance-tfidf-lr, stance-document-majority, stance-document-tfidf-lr, topic-majority,
    topic-tfidf-lr, topic-keywords. Results carry
    model versions and the data hash; the card shows them while that hash is current.

    Example: coopnum baselines --only ner-spacy-md
    """
    from coopnum.benchmark import baselines as bl

    names = only or list(bl.BASELINES)
    unknown = [n for n in names if n not in bl.BASELINES]
    if unknown:
        raise CoopnumError(f"unknown baseline {unknown[0]!r}; known: {', '.join(bl.BASELINES)}", field="only")
    from coopnum.cli.progress import bars

    with bars(quiet) as progress:
        results = bl.run(dataset, names, predictions_dir, progress=progress)
    bl.write_results(out_file, dataset, results)
    t = Table("baseline", "config", "scores (pooled)", "fold mean")
    for name, r in results.items():
        t.add_row(
            name,
            str(r["config"]),
            ", ".join(f"{k} {_fmt(v)}" for k, v in r["scores"].items()),
            ", ".join(f"{k} {_fmt(v)}" for k, v in r["fold_mean"].items()),
        )
    out.print(t)
    out.print(f"wrote {out_file}")
