"""What the build holds per document: compact records, chunks made on demand (memory itself is
measured by ``benchmarks/memory.py``, never here)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from coopnum.corpus.sources import list_corpus
from coopnum.dataset import pipeline
from coopnum.dataset.run import _chunks

DOCUMENTS = 12  # more than the seeds: several records share an outlet, its evidence, language and rights


@pytest.fixture(scope="module")
def synthetic(synthetic_project: Callable[[int], Path]) -> Path:
    return synthetic_project(DOCUMENTS)


def test_records_have_no_instance_dict_and_share_repeated_values(synthetic: Path) -> None:
    sources = list_corpus(synthetic / "corpus")
    assert len(sources) == DOCUMENTS
    assert all(not hasattr(s, "__dict__") for s in sources)
    by_outlet: dict[str, list] = {}
    for s in sources:
        if s.outlet is not None:
            by_outlet.setdefault(s.outlet, []).append(s)
    shared = [group for group in by_outlet.values() if len(group) > 1]
    assert shared, "the generated corpus repeats its seeds' outlets"
    for group in shared:
        first = group[0]
        for other in group[1:]:
            assert other.outlet is first.outlet and other.rights is first.rights and other.language is first.language
            assert other.doc_id != first.doc_id


@pytest.mark.parametrize("size", [1, 5, DOCUMENTS, DOCUMENTS + 3])
def test_chunks_made_on_demand_are_the_id_ordered_chunks(synthetic: Path, size: int) -> None:
    setup, sources = pipeline.read_setup(synthetic, with_rows=True)
    ordered = sorted(sources, key=lambda s: s.doc_id)
    expected = [[(s, setup.folds[s.doc_id]) for s in ordered[i : i + size]] for i in range(0, len(ordered), size)]
    chunks = _chunks(setup, sources, size)
    assert len(chunks) == len(expected) and chunks.documents == DOCUMENTS
    assert list(chunks) == expected
    assert chunks[-1] == expected[-1] and chunks[1:3] == expected[1:3]
    with pytest.raises(IndexError):
        chunks[len(expected)]
