"""Documents at every stage: `documents` holds every corpus document, the annotated configs the
adjudicated ones only; the figures count documents per stage."""

from __future__ import annotations

import json
from pathlib import Path

from datasets import load_dataset

from coopnum.annotation import format as ann
from coopnum.annotation.document import ADJUDICATED, CLEANED, PASSES
from coopnum.corpus import splits
from coopnum.corpus.sources import read_corpus
from coopnum.dataset import stats
from coopnum.dataset.build import annotated_documents, build

from ..annotation_fixture import edit_annotations


def _all_rows(root: Path, config: str, cache_dir: str) -> list[dict]:
    ds = load_dataset(str(root / "dataset"), config, cache_dir=cache_dir)
    return [r for split in ds.values() for r in split]


def test_unannotated_and_unadjudicated_documents_are_in_documents_only(project: Path, cache_dir: str) -> None:
    ids = sorted(d.source.doc_id for d in read_corpus(project / "corpus"))
    # two documents of a split that keeps an adjudicated one (an empty split is another test's matter)
    by_split: dict[str, list[str]] = {}
    for doc_id in ids:
        by_split.setdefault(splits.split_of(doc_id), []).append(doc_id)
    largest = max(by_split.values(), key=len)
    assert len(largest) >= 3, "needs a split of at least three documents"
    not_annotated, not_adjudicated = largest[0], largest[1]
    (project / "annotations" / ann.SUBDIR / f"{not_annotated}.json").unlink()  # cleaned, never annotated

    def drop_gold(obj: dict) -> None:
        obj["annotations"] = [a for a in obj["annotations"] if not a["ground_truth"]]

    edit_annotations(project, not_adjudicated, drop_gold)  # two passes, no gold yet
    build(project)

    documents = {r["id"]: r for r in _all_rows(project, "documents", cache_dir)}
    assert sorted(documents) == ids  # every corpus document, whatever its stage
    for doc_id in (not_annotated, not_adjudicated):
        r = documents[doc_id]
        assert r["text"] and r["audit"] and r["offset_map"]
        assert r["adjudicated"] is False
        assert (r["entities"], r["stance"], r["paragraph_stances"], r["topics"]) == ([], None, [], [])
    adjudicated = set(ids) - {not_annotated, not_adjudicated}
    assert all(documents[d]["adjudicated"] for d in adjudicated)
    for config, key in (("ner", "doc_id"), ("stance", "doc_id"), ("stance_document", "id"), ("topic", "id")):
        assert {r[key] for r in _all_rows(project, config, cache_dir)} == adjudicated, config
    assert {r["doc_id"] for r in _all_rows(project, "annotator_labels", cache_dir)} == adjudicated

    tally = sum((stats.tally(d) for d in annotated_documents(project)), start=stats.Counter())
    assert tally[("stage", CLEANED)] == 1 and tally[("stage", PASSES)] == 1
    assert tally[("stage", ADJUDICATED)] == len(adjudicated)
    manifest = json.loads((project / "dataset" / "manifest.json").read_text(encoding="utf-8"))
    assert sum(manifest["rows"]["documents"].values()) == len(ids)
