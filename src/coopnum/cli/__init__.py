"""``coopnum``: a thin command line over the library.

Each command parses its options, calls one library function, prints a short
summary, and turns a :class:`~coopnum.errors.CoopnumError` into a one-line
message and a non-zero exit. One module per stage holds its commands
(:mod:`.corpus`, :mod:`.dataset`, :mod:`.benchmark`, :mod:`.publish`,
:mod:`.labelstudio`, :mod:`.annotators` and :mod:`.report`); :mod:`.app` holds what they share.
"""

from __future__ import annotations

from collections.abc import Callable

from coopnum.cli import (
    annotators,
    benchmark,
    corpus,
    dataset,
    export,
    growth,
    labelstudio,
    publish,
    release,
    report,
    rights,
)
from coopnum.cli.app import app
from coopnum.cli.labelstudio import ls_app

# Registered here rather than by a decorator in each module, so that `coopnum --help` lists the
# commands in the order of the pipeline whatever order the stage modules are imported in.
COMMANDS: dict[str, Callable[..., None]] = {
    "add": growth.add,
    "status": growth.status,
    "clean": corpus.clean,
    "build": dataset.build,
    "schema": dataset.schema,
    "standoff": rights.standoff,
    "publish": publish.publish,
    "validate": dataset.validate,
    "release": release.release,
    "evaluate": benchmark.evaluate,
    "baselines": benchmark.baselines,
    "export": export.export,
    "agreement": dataset.agreement,
    "adjudication-package": dataset.adjudication_package,
    "report": report.report,
    "rehydrate": rights.rehydrate,
}
LS_COMMANDS: dict[str, Callable[..., None]] = {
    "serve": labelstudio.ls_serve,
    "stop": labelstudio.ls_stop,
    "push": labelstudio.ls_push,
    "pull": labelstudio.ls_pull,
    "restore": labelstudio.ls_restore,
    "add-annotator": annotators.ls_add_annotator,
    "tasks": annotators.ls_tasks,
    "submit": annotators.ls_submit,
}


def _register() -> None:
    for name, command in COMMANDS.items():
        app.command(name)(command)
    for name, command in LS_COMMANDS.items():
        ls_app.command(name)(command)
    app.add_typer(ls_app, name="ls")


_register()

__all__ = ["app"]
