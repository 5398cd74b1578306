"""Validation's result entry: with nothing changed since a validation its findings are read back whole;
a change of anything they are found from is noticed, and the findings are those of a validation
without the cache."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from coopnum.annotation import format as ann
from coopnum.dataset import validation
from coopnum.dataset.build import build
from coopnum.dataset.validation import validate
from coopnum.quality.findings import Finding

from ..conftest import copy_project

DOCUMENTS = 10
CHUNK = 5


@pytest.fixture(scope="module")
def built(synthetic_project: Callable[[int], Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built synthetic project (a template: tests copy it)."""
    root = copy_project(synthetic_project(DOCUMENTS), tmp_path_factory.mktemp("built"))
    build(root, processes=1, chunk_documents=CHUNK)
    return root


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The roots of the validations that ran their documents pass (the others read their result back)."""
    seen: list[Path] = []
    original = validation.run

    def counting(setup, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(setup.root)
        return original(setup, *args, **kwargs)

    monkeypatch.setattr(validation, "run", counting)
    return seen


def _validate(root: Path) -> list[Finding]:
    return validate(root, processes=1, chunk_documents=CHUNK)


def _settle(root: Path) -> None:
    """Every file old enough for the stat cache to record it (it never records one written in the last 2 s)."""
    past = os.stat(root).st_mtime - 10
    for folder, _, names in os.walk(root):
        for name in names:
            os.utime(os.path.join(folder, name), (past, past))


def _first_annotation(root: Path) -> Path:
    return sorted((root / "annotations" / ann.SUBDIR).glob("*.json"))[0]


def _shift_a_gold_span(root: Path) -> None:
    path = _first_annotation(root)
    obj = json.loads(path.read_text(encoding="utf-8"))
    gold = next(a for a in obj["annotations"] if a["ground_truth"])
    gold["entities"][0]["start"] += 1
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")


def test_with_nothing_changed_the_findings_are_read_back(built: Path, tmp_path: Path, runs: list[Path]) -> None:
    root = copy_project(built, tmp_path)
    _settle(root)
    expected = validate(root, processes=1, use_cache=False)
    assert _validate(root) == expected and len(runs) == 2  # no entry yet: the documents pass ran
    assert _validate(root) == expected and len(runs) == 2  # read back
    validate(root, processes=1, chunk_documents=CHUNK, check_dataset=False)  # other options: another key
    assert len(runs) == 3


@pytest.mark.parametrize("edit", ["annotation", "parquet byte", "datasheet", "empty folder", "fifo"])
def test_a_change_after_a_validation_is_noticed(built: Path, tmp_path: Path, runs: list[Path], edit: str) -> None:
    """Each edit, made after a validation that wrote its entry, gives the findings of a validation without
    the cache; those that are faults give a finding that was not there."""
    root = copy_project(built, tmp_path)
    _settle(root)
    before = _validate(root)
    assert _validate(root) == before and len(runs) == 1  # the entry serves
    if edit == "annotation":
        _shift_a_gold_span(root)
    elif edit == "parquet byte":  # same size: only the bytes and the times move
        path = sorted((root / "dataset" / "data" / "ner").glob("*.parquet"))[0]
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    elif edit == "datasheet":
        with (root / "DATASHEET.md").open("a", encoding="utf-8") as f:
            f.write("\nedited\n")
    elif edit == "empty folder":  # an annotation "file" that is a folder: no file is added
        (root / "annotations" / ann.SUBDIR / "zz-not-a-file.json").mkdir()
    else:  # a FIFO the listing does not describe: no entry is read or written while it is there
        os.mkfifo(root / "annotations" / "a-fifo")
    after = _validate(root)
    assert len(runs) == 2  # the documents pass ran again
    assert after == validate(root, processes=1, use_cache=False)  # (a third run)
    if edit != "fifo":
        assert set(after) - set(before)  # the fault is reported
        assert _validate(root) == after and len(runs) == 3  # and that result is kept in turn
    else:
        assert _validate(root) == after and len(runs) == 4
    if edit == "annotation":
        assert any(f.check == "dataset_current" for f in after)
        assert any(f.document == _first_annotation(root).stem and f.check != "dataset_current" for f in after)


def test_an_edit_made_and_undone_during_a_validation_writes_no_entry(
    built: Path, tmp_path: Path, runs: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The findings of a validation that saw an input change under it are not kept, even when the input
    is back to its bytes at the end (its times moved): the next validation runs again."""
    root = copy_project(built, tmp_path)
    _settle(root)
    path = _first_annotation(root)
    original_bytes = path.read_bytes()
    counting = validation.run

    def editing(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = counting(*args, **kwargs)  # the documents were read; then the file is edited, and undone
        path.write_bytes(original_bytes.replace(b'"ground_truth"', b'"ground_truth" ', 1))
        path.write_bytes(original_bytes)
        return result

    monkeypatch.setattr(validation, "run", editing)
    expected = _validate(root)
    monkeypatch.setattr(validation, "run", counting)
    assert _validate(root) == expected and len(runs) == 2  # ran again: no entry was written
    assert _validate(root) == expected and len(runs) == 2  # that one wrote it
