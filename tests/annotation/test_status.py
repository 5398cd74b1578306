"""`coopnum status`: each document's stage from the files alone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from coopnum.annotation import status
from coopnum.corpus import intake

ROOT = Path(__file__).resolve().parents[2]


def _copy(tmp_path: Path) -> Path:
    for name in ("corpus", "annotations"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def test_committed_annotations_and_a_new_document(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    before = status.corpus_status(repo)
    on_disk = {p.stem for p in (repo / "annotations/labelstudio").glob("*.json")}
    assert {d.doc_id for d in before.documents if d.in_label_studio} == on_disk
    (new,) = intake.add_articles(repo, [sorted((ROOT / "tests/fixtures/growth/french").glob("*.txt"))[0]])
    after = status.corpus_status(repo)
    row = next(d for d in after.documents if d.doc_id == new.doc_id)
    assert (row.stage, row.passes, row.next_command) == ("cleaned", 0, "coopnum ls push")
    assert after.counts()["cleaned"] == before.counts()["cleaned"] + 1


def test_changed_text_is_stale_and_missing_gold_is_passes(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    files = sorted((repo / "annotations/labelstudio").glob("*.json"))
    stale, ungilded = json.loads(files[0].read_text()), json.loads(files[1].read_text())
    stale["text_sha256"] = "0" * 64
    files[0].write_text(json.dumps(stale), encoding="utf-8")
    ungilded["annotations"] = [a for a in ungilded["annotations"] if not a["ground_truth"]]
    files[1].write_text(json.dumps(ungilded), encoding="utf-8")
    rows = {d.doc_id: d for d in status.corpus_status(repo).documents}
    assert rows[files[0].stem].stale and rows[files[0].stem].stage == "stale"
    r = rows[files[1].stem]
    assert (r.stage, r.adjudicated, r.passes) == ("passes", False, len(ungilded["annotations"]))
    assert "adjudication-package" in r.next_command or r.passes < status.PASSES_NEEDED
