"""``coopnum validate``: every named check over the corpus, the annotations and the built dataset.

With a cache, a validation's findings are kept under a key of everything they are found from (every
input's sha256 and every file under ``dataset/``'s, through the stat cache as the build hashes them,
with ``DATASHEET.md`` and ``pyproject.toml``, the interrupted-write leftovers, the library and Python
versions, the root, the folders and the options): a validation whose key has an entry returns its
findings without reading anything else. An entry is written only when nothing the key covers changed
while the validation ran (the same sha256 *and* inode, size and times at its end: an edit made and
undone in between shows), when every document's inputs were in its own key (no raw file outside the
listing), and never when the folders hold anything a listing does not describe (a FIFO, a linked
folder, a folder or an entry that cannot be read): those validations run as without the entry.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from coopnum import schema
from coopnum.dataset import cache, pipeline, shards
from coopnum.dataset.manifest import (
    DATASHEET,
    MANIFEST,
    InputSnapshot,
    Listing,
    Paths,
    check,
    leftovers,
    library_versions,
    regular_input_hashes,
    tree_table,
)
from coopnum.dataset.pipeline import gold_digest
from coopnum.dataset.release import PYPROJECT
from coopnum.dataset.run import run
from coopnum.errors import AlignmentError, CoopnumError
from coopnum.quality.findings import Finding, finding, from_error
from coopnum.text import align
from coopnum.util.digests import FileTable
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
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    rows, outputs = manifest.get("rows", {}), manifest.get("outputs", {})
    for config, n in expected_rows.items():
        got = sum(rows.get(config, {}).values())
        if got != n:
            out.append(finding("dataset_counts", f"{config} has {got} rows, the gold gives {n}", field=config))
    tasks = [
        (str(path), i)
        for path in shards.config_files(root / "dataset", "ner")
        for i in range(pq.ParquetFile(path).num_row_groups)
    ]
    found: dict[str, tuple[int, str]] = {}
    current: tuple[str, list[tuple[int, int, str]]] | None = None
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


@dataclass(frozen=True)
class ResultEntry:
    """A whole validation's findings, under the key of what they were found from (:class:`_State`)."""

    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class _State:
    """What a validation's findings are a function of, taken before it reads anything."""

    key: str  # the result's cache key: contents only (a checkout of the same bytes finds it)
    identities: str  # the key with every file's inode, size and times: compared at the end


def _snapshot(root: Path, stat_cache: cache.StatCache) -> tuple[InputSnapshot | None, Listing]:
    """The inputs' snapshot (None: one cannot be read; the caller hashes as before, without a result
    entry) and what else the walk saw in corpus/ and annotations/ (their folders, any odd entry)."""
    seen = Listing()
    try:
        return InputSnapshot.take(Paths(root), stat_cache, seen), seen
    except OSError:
        return None, seen


def _root_files(root: Path, stat_cache: cache.StatCache, seen: Listing) -> FileTable:
    """``pyproject.toml`` (the release version :func:`check` compares) and ``DATASHEET.md`` (the one
    output outside ``dataset/``), those of them that are files; anything else under those names is odd."""
    table = FileTable()
    for name in sorted((DATASHEET, PYPROJECT)):
        path = root / name
        if path.is_file():
            st = os.stat(path)
            table.add(name, stat_cache.sha256(path, st), (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns), True)
        elif os.path.lexists(path):
            seen.odd.append(str(path))
    return table


def _state(
    root: Path, inputs: InputSnapshot | None, listed: Listing, stat_cache: cache.StatCache, options: str
) -> _State | None:
    """The :class:`_State` of ``root``, given the inputs' snapshot and what else their walk saw (None:
    something the key would cover cannot be read or listed wholly, so no entry is read or written)."""
    seen = Listing(list(listed.folders), list(listed.odd))
    try:
        dataset = tree_table(root / "dataset", stat_cache, seen)
        files = _root_files(root, stat_cache, seen)
        interrupted = leftovers(root)
    except OSError:
        return None
    if inputs is None or seen.odd:
        return None
    key = cache.digest(
        "validation result",
        cache.FORMAT,
        sys.version,
        str(root),  # the findings name files under it
        options,
        json.dumps(library_versions(), sort_keys=True),
        json.dumps(interrupted),
        json.dumps(sorted(seen.folders)),  # an empty folder named like a file is read by a glob
        inputs.table.content_digest(),
        dataset.content_digest(),
        files.content_digest(),
    )
    tables = (inputs.table, dataset, files)
    return _State(key, cache.digest(key, *(t.content_digest(identities=True) for t in tables)))


def _repo_outputs(root: Path) -> set[str] | None:
    """The outputs outside ``dataset/`` that the manifest names (:func:`check` hashes them); None when
    it is there but cannot be read."""
    path = root / "dataset" / MANIFEST
    if not path.is_file():
        return set()
    try:
        return set(json.loads(path.read_text(encoding="utf-8")).get("repo_outputs", {}))
    except (OSError, ValueError, AttributeError, TypeError):
        return None


def _keep(
    store: cache.EntryStore,
    root: Path,
    stat_cache: cache.StatCache,
    start: _State,
    end_inputs: tuple[InputSnapshot | None, Listing] | None,
    found: list[Finding],
    options: str,
) -> None:
    """Write the result entry when nothing its key covers changed since ``start`` (``end_inputs``: the
    snapshot :func:`check` compared with the manifest, taken after the documents were read)."""
    named = _repo_outputs(root)  # read before the end state is taken: that state proves it unchanged
    if named is None or not named <= {DATASHEET}:
        return  # an output outside dataset/ that the key does not cover
    end = _state(root, *(end_inputs or _snapshot(root, stat_cache)), stat_cache, options)
    if end is not None and end.identities == start.identities:
        store.put(start.key, cache.dumps(ResultEntry(tuple(found))))


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
    inputs did not change is neither cleaned nor tokenised again; with nothing changed since a
    validation, its findings are read back whole (the module's docstring; ``use_cache=False``: bypassed)."""
    store = cache.EntryStore(cache_dir or root / cache.CACHE_DIR) if use_cache else None
    stat_cache = cache.StatCache(store.folder) if store is not None else None
    chunk_documents = chunk_documents or pipeline.CHUNK_DOCUMENTS
    options = json.dumps([check_dataset, chunk_documents])
    inputs: InputSnapshot | None = None
    start: _State | None = None
    if store is not None and stat_cache is not None:
        inputs, listed = _snapshot(root, stat_cache)
        start = _state(root, inputs, listed, stat_cache, options)
        entry = cache.load_value(store.get(start.key)) if start is not None else None
        if isinstance(entry, ResultEntry):
            return list(entry.findings)  # nothing written: the store is as its last eviction left it
    try:
        hashes: Mapping[str, str] | None = None
        if store is not None:  # the regular files' sha256, for the documents' keys (a dict: looked up per document)
            hashes = (
                dict(inputs.regular.items()) if inputs is not None else regular_input_hashes(Paths(root), stat_cache)
            )
        setup, sources = pipeline.read_setup(root, with_rows=False, store=store, input_hashes=hashes)
    except CoopnumError as e:
        return [from_error("corpus", e)]
    result = run(setup, sources, None, processes, chunk_documents, progress=progress)
    out = result.findings
    end_inputs: tuple[InputSnapshot | None, Listing] | None = None
    if check_dataset and not any(f.check == "corpus" for f in out):
        expected = {
            "documents": len(sources),
            "stance": result.stance_rows,
            "stance_document": result.annotated_documents,
            "topic": result.annotated_documents,
        }
        cached = (store, setup.keys.context) if store is not None and setup.keys is not None else None
        if start is not None and stat_cache is not None:
            end_inputs = _snapshot(root, stat_cache)  # what check() would take; compared with the start's
        stale = check(root, stat_cache, end_inputs[0] if end_inputs is not None else None)
        out += dataset_findings(root, result.gold_digests, expected, stale, processes, cached)
    found = sorted(set(out))
    if store is not None:
        # every document's inputs were hashed into its key (a raw file that is not a regular input is not)
        keyed = setup.keys is not None and all(setup.keys.memo.get(s.doc_id) for s in sources)
        if start is not None and stat_cache is not None and keyed:
            _keep(store, root, stat_cache, start, end_inputs, found, options)
        store.evict()  # the cache stays within its bound
    return found
