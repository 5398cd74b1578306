"""Personal data: annotator ids are pseudonyms, the gold is an adjudicator's, each annotator has one
role, and the build scans what it wrote for email addresses and credentials before swapping it in.
Each damage fails `validate` and `build` with one clear line that does not repeat the personal data."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from coopnum.annotation import format as ann
from coopnum.annotation.provenance import FILE as ANNOTATORS
from coopnum.cli import app
from coopnum.dataset import privacy
from coopnum.dataset.build import build
from coopnum.dataset.validation import validate
from coopnum.errors import CheckFailed
from coopnum.quality.findings import CHECKS, ERROR

from ..annotation_fixture import ANNOTATORS as FIXTURE_ANNOTATORS
from ..annotation_fixture import edit_annotations, gold_of, write_fixture
from ..conftest import first_doc_id

EMAIL = "marie.dupont@example.org"
PASS_A = next(k for k, (role, _, _) in FIXTURE_ANNOTATORS.items() if role == "annotator")


@pytest.fixture
def fixture_root(project: Path) -> Path:
    write_fixture(project)
    build(project)
    return project


def _annotators(root: Path, change) -> None:
    path = root / "annotations" / ANNOTATORS
    obj = json.loads(path.read_text(encoding="utf-8"))
    change(obj)
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")


def _rename_everywhere(root: Path, old: str, new: str) -> None:
    """The id changed in every annotation file and in annotators.json, as a careless export would."""
    for path in (root / "annotations" / ann.SUBDIR).glob("*.json"):
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    _annotators(root, lambda o: [a.update(id=new) for a in o["annotators"] if a["id"] == old])


DAMAGES = {
    # name: (damage, the check that must fire, what must not be shown)
    "an email as annotator id": (
        lambda r: edit_annotations(r, first_doc_id(r), lambda o: o["annotations"][0].update(annotator=EMAIL)),
        "annotator_id",
        EMAIL,
    ),
    "an email as annotator id everywhere": (lambda r: _rename_everywhere(r, PASS_A, EMAIL), "annotator_id", EMAIL),
    "a name as annotator id": (
        lambda r: edit_annotations(r, first_doc_id(r), lambda o: o["annotations"][0].update(annotator="Marie Dupont")),
        "annotator_id",
        "Dupont",
    ),
    "a gold by a pass annotator": (
        lambda r: edit_annotations(r, first_doc_id(r), lambda o: gold_of(o).update(annotator=PASS_A)),
        "annotator_role",
        None,
    ),
    "one annotator with two roles": (
        lambda r: _annotators(
            r,
            lambda o: o["annotators"].append(
                {**next(a for a in o["annotators"] if a["id"] == PASS_A), "role": "adjudicator"}
            ),
        ),
        "annotator_role",
        None,
    ),
    "an email in the provenance summary": (
        lambda r: _annotators(r, lambda o: o.update(summary=f"{o['summary']} Contact: {EMAIL}.")),
        "personal_data",
        EMAIL,
    ),
}


def test_the_checks_are_declared_errors() -> None:
    assert all(CHECKS[c][0] == ERROR for c in ("annotator_id", "annotator_role", "personal_data"))


def _files(root: Path) -> dict[str, bytes]:
    paths = [*sorted((root / "dataset").rglob("*")), root / "DATASHEET.md"]
    return {str(p): p.read_bytes() for p in paths if p.is_file()}


@pytest.mark.parametrize("case", DAMAGES, ids=str)
def test_personal_data_fails_validate_and_build_in_one_line(fixture_root: Path, case: str) -> None:
    damage, check, secret = DAMAGES[case]
    before = _files(fixture_root)
    damage(fixture_root)
    runner = CliRunner()
    if check != "personal_data":  # found in the inputs by validate; personal_data is the build's last look
        errors = [f for f in validate(fixture_root, check_dataset=False) if f.severity == ERROR]
        assert check in {f.check for f in errors}, [f"{f.check}: {f.message}" for f in errors]
        checked = runner.invoke(app, ["validate", "--root", str(fixture_root)])
        assert checked.exit_code == 1 and check in checked.output, checked.output
        assert secret is None or secret not in checked.output, checked.output
    built = runner.invoke(app, ["build", "--root", str(fixture_root)])
    lines = built.output.strip().splitlines()
    assert built.exit_code == 3 and len(lines) == 1 and lines[0].startswith("error: "), built.output
    assert f"({check})" in lines[0], lines[0]
    assert secret is None or secret not in built.output, built.output
    assert _files(fixture_root) == before  # nothing swapped in


def test_the_scan_finds_emails_and_tokens_in_text_and_nested_parquet(tmp_path: Path) -> None:
    folder = tmp_path / "built"
    (folder / "data").mkdir(parents=True)
    (folder / "README.md").write_text(f"# card\n\nwritten by {EMAIL}\n", encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps({"sha256": "ab" * 32, "oid": "cd" * 20}), encoding="utf-8")
    token = "hf_" + "Ab1" * 12
    table = pa.table(
        {
            "doc_id": ["d1", "d2", "d3"],
            "entities": [[{"text": "Moscou"}], [{"text": f"Bearer {token}"}], []],
            "tokens": [["a"], ["b"], ["annotator@coopnum.invalid"]],
        }
    )
    pq.write_table(table, folder / "data" / "train.parquet")
    found = privacy.scan(folder)
    where = sorted((Path(f.file or "").name, f.document or "", f.message.split(":")[0]) for f in found)
    assert where == [
        ("README.md", "", "line 3"),
        ("train.parquet", "d2", "row 1, column entities"),
        ("train.parquet", "d2", "row 1, column entities"),  # an Authorization value and a hub token
        ("train.parquet", "d3", "row 2, column tokens"),
    ], where
    shown = " ".join(f.message for f in found)
    assert EMAIL not in shown and token not in shown and "m…@example.org" in shown
    with pytest.raises(CheckFailed, match=r"\(personal_data\)") as raised:
        privacy.refuse_personal_data(folder, shown_as=tmp_path / "dataset")
    assert raised.value.file == str(tmp_path / "dataset" / "README.md")


def test_hashes_are_not_token_like_and_the_committed_dataset_is_clean(repo: Path) -> None:
    assert privacy.problems("sha256 " + "0123456789abcdef" * 4 + " git " + "f" * 40) == []
    assert privacy.scan(repo / "dataset", [repo / "DATASHEET.md"]) == []


def test_a_secret_of_this_process_is_found_in_any_form(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOPNUM_LS_TOKEN", "0123456789abcdef0123456789abcdef01234567")  # looks like a hash
    (tmp_path / "a.json").write_text(json.dumps({"x": "key 0123456789abcdef0123456789abcdef01234567"}))
    assert [f.check for f in privacy.scan(tmp_path)] == ["personal_data"]
