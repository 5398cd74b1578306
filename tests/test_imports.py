"""What importing the build and the command line loads: no library that only other commands need.

Each import runs in a fresh interpreter (this one has imported everything), and the modules it left in
``sys.modules`` are compared with those the build path must not load at import time: the plots'
matplotlib and Croissant's mlcroissant are imported when a build has to draw or make them (a rebuild
mostly reads them from its cache), spaCy when a document is tokenised, Label Studio's SDK and the
command line's libraries never by the build."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

NOT_FOR_THE_BUILD = ("matplotlib", "mlcroissant", "spacy", "label_studio_sdk", "typer", "rich", "torch", "ray")
NOT_FOR_THE_CLI = ("datasets", "pyarrow", "pandas", "matplotlib", "mlcroissant", "spacy", "label_studio_sdk")


def _loaded_after(statement: str) -> set[str]:
    code = f"import json, sys; {statement}; print(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    ("statement", "unwanted"),
    [
        ("import coopnum.dataset.build", NOT_FOR_THE_BUILD),
        ("import coopnum.dataset.validation", NOT_FOR_THE_BUILD),
        ("import coopnum.cli", NOT_FOR_THE_CLI),
    ],
)
def test_an_import_loads_no_library_its_path_does_not_need(statement: str, unwanted: tuple[str, ...]) -> None:
    loaded = _loaded_after(statement)
    assert "coopnum" in loaded  # the import itself happened
    assert not loaded & set(unwanted), sorted(loaded & set(unwanted))
