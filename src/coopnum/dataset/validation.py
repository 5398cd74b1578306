"""``coopnum validate``: every named check over the corpus, the annotations and the built dataset."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from coopnum import schema
from coopnum.dataset import cache, pipeline
from coopnum.dataset.manifest import Paths, check, regular_input_hashes
from coopnum.dataset.pipeline import gold_digest
from coopnum.dataset.run import run
from coopnum.errors import AlignmentError, CoopnumError
from coopnum.quality.findings import Finding, finding, from_error
from coopnum.text import align
from coopnum.util.executor import default_processes, parallel_map
from coopnum.util.progress import Progress, silent

NER_COLUMNS = ["id", "doc_id", "tokens", "token_starts", "token_ends", "fine_ner_tags"]


def ner_row_group_spans(task: tuple[str, int]) -> tuple[list[tuple[str, list[tuple[int, int, str]]]], list[Finding]]:
    """The entity spans that the ``fine_ner_tags`` of one row group of a ``ner`` file give, per
    document in row order ((doc id, spans) for each run of rows of one document), and a finding
    for every row whose tags are not valid IOB2. Runs in a worker."""
    import pyarrow.parquet as pq

    path, index = task
    columns = pq.ParquetFile(path).read_row_group(index, columns=NER_COLUMNS).to_pydict()
    runs: list[tuple[str, list[tuple[int, int, str]]]] = []
    out: list[Finding] = []
    for row_id, doc_id, texts, starts, ends, tag_ids in zip(*(columns[c] for c in NER_COLUMNS), strict=True):
        if not runs or runs[-1][0] != doc_id:
            runs.append((doc_id, []))
        if not any(tag_ids):  # all "O" (id 0): no entity, nothing to decode
            continue
        tokens = [align.Token(*t) for t in zip(texts, starts, ends, strict=True)]
        try:
            runs[-1][1].extend(align.iob2_to_spans(tokens, [schema.FINE_NER_TAGS[t] for t in tag_ids]))
        except AlignmentError as e:
            out.append(finding("ner_iob", f"row {row_id}: {e.message}", doc_id, None, "fine_ner_tags"))
    return runs, out


RowGroupSpans = tuple[list[tuple[str, list[tuple[int, int, str]]]], list[Finding]]


def _decoded(
    root: Path,
    tasks: list[tuple[str, int]],
    outputs: Mapping[str, str],
    processes: int,
    cached: tuple[cache.EntryStore, str] | None,
) -> Iterator[RowGroupSpans]:
    """:func:`ner_row_group_spans` of every task, in order; with a cache (store, code context),
    a row group of a file whose sha256 (the manifest's, which :func:`check` just confirmed) was
    decoded before is not decoded again."""

    def key_of(path: str, index: int) -> str:
        rel = Path(path).relative_to(root / "dataset").as_posix()
        return (
            ""
            if cached is None or rel not in outputs
            else cache.digest("ner rows", cached[1], rel, outputs[rel], str(index))
        )

    keys = [key_of(path, index) for path, index in tasks]
    known = [cache.load_value(cached[0].get(k)) if cached is not None and k else None for k in keys]
    todo = [t for t, k in zip(tasks, known, strict=True) if not isinstance(k, tuple)]
    computed = parallel_map(ner_row_group_spans, todo, processes) if todo else iter([])
    for key, value in zip(keys, known, strict=True):
        if not isinstance(value, tuple):
            value = next(computed)
            if cached is not None and key:
                cached[0].put(key, cache.dumps(value))
        yield value


def dataset_findings(
    root: Path,
    gold_digests: Mapping[str, tuple[int, str]],
    expected_rows: Mapping[str, int],
    stale: Sequence[str],
    processes: int | None = None,
    cached: tuple[cache.EntryStore, str] | None = None,
) -> list[Finding]:
    """``dataset/`` is current (``stale``: what ``build.check`` found), has the rows the gold gives,
    and its ``ner`` tags give back every document's gold spans: the row groups are decoded across
    worker processes, and each document's spans compared with the gold's by digest (the rows of a
    document are contiguous in its split's file)."""
    import pyarrow.parquet as pq

    out = [finding("dataset_current", p, field="dataset") for p in stale]
    manifest_path = root / "dataset" / "manifest.json"
    if out or not manifest_path.is_file() or not gold_digests:
        return out
    rows = json.loads(manifest_path.read_text(encoding="utf-8")).get("rows", {})
    for config, n in expected_rows.items():
        got = sum(rows.get(config, {}).values())
        if got != n:
            out.append(finding("dataset_counts", f"{config} has {got} rows, the gold gives {n}", field=config))
    tasks = [
        (str(path), i)
        for path in sorted((root / "dataset" / "data" / "ner").glob("*.parquet"))
        for i in range(pq.ParquetFile(path).num_row_groups)
    ]
    found: dict[str, tuple[int, str]] = {}
    current: tuple[str, list[tuple[int, int, str]]] | None = None
    outputs = json.loads(manifest_path.read_text(encoding="utf-8")).get("outputs", {})
    for runs, problems in _decoded(root, tasks, outputs, processes or default_processes(), cached):
        out += problems
        for doc_id, spans in runs:
            if current is not None and current[0] == doc_id:  # a document across two row groups
                current[1].extend(spans)
                continue
            if current is not None:
                found[current[0]] = gold_digest(current[1])
            current = (doc_id, list(spans))
    if current is not None:
        found[current[0]] = gold_digest(current[1])
    broken = {f.document for f in out if f.check == "ner_iob"}
    for doc_id, (n, digest) in sorted(gold_digests.items()):
        got = found.get(doc_id) or gold_digest([])
        if got[1] != digest and doc_id not in broken:
            out.append(finding("dataset_counts", f"ner gives {got[0]} entities, the gold {n}", doc_id, None, "ner"))
    return out


def validate(
    root: Path,
    *,
    check_dataset: bool = True,
    processes: int | None = None,
    chunk_documents: int | None = None,
    progress: Progress = silent,
    use_cache: bool = True,
    cache_dir: Path | None = None,
) -> list[Finding]:
    """Every check over ``root`` (corpus, annotations, dataset); sorted findings. The same
    per-document step as the build (:mod:`coopnum.dataset.pipeline`), streamed the same way, and
    the same per-document cache (:mod:`coopnum.dataset.cache`): after a build, a document whose
    inputs did not change is neither cleaned nor tokenised again (``use_cache=False``: bypassed)."""
    store = cache.EntryStore(cache_dir or root / cache.CACHE_DIR) if use_cache else None
    stat_cache = cache.StatCache(store.folder) if store is not None else None
    try:
        hashes = regular_input_hashes(Paths(root), stat_cache) if store is not None else None
        setup, sources = pipeline.read_setup(root, with_rows=False, store=store, input_hashes=hashes)
    except CoopnumError as e:
        return [from_error("corpus", e)]
    result = run(setup, sources, None, processes, chunk_documents or pipeline.CHUNK_DOCUMENTS, progress=progress)
    out = result.findings
    if check_dataset and not any(f.check == "corpus" for f in out):
        expected = {
            "documents": len(sources),
            "stance": result.stance_rows,
            "stance_document": result.annotated_documents,
            "topic": result.annotated_documents,
        }
        cached = (store, setup.keys.context) if store is not None and setup.keys is not None else None
        out += dataset_findings(root, result.gold_digests, expected, check(root, stat_cache), processes, cached)
    if store is not None:
        store.evict()  # the cache stays within its bound
    return sorted(set(out))
