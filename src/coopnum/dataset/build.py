"""Build ``dataset/``: the hub-ready folder (card, Parquet, manifest).

The build is all-or-nothing: it writes into a temporary folder beside the
target (the new ``DATASHEET.md`` inside it) and swaps it in with
:mod:`coopnum.util.swap` only when every file is written, so a failure or a kill
leaves the previous ``dataset/`` and ``DATASHEET.md`` (or, after the swap, the
new ones). It replaces only a ``dataset/`` whose manifest lists every file in it,
and certifies only inputs that did not change while it ran. Same inputs give byte-identical files: rows are
sorted by id, labels come from literal tuples in the schema, Parquet options
are fixed, and no clock or random state is read. ``manifest.json`` records the
hash of every input (corpus, annotations, code, library versions) and output,
so :func:`check` can say what is stale.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import json
import pickle
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from coopnum.annotation.document import Document
from coopnum.corpus import recurring, splits
from coopnum.corpus.sources import list_corpus
from coopnum.dataset import cache, card, croissant, datasheet, pipeline, plots, privacy, registry
from coopnum.dataset.manifest import (
    DATASHEET,
    MANIFEST,
    BuildOwner,
    InputSnapshot,
    Paths,
    check,
    data_sha256,
    files_under,
    library_versions,
    load_baselines,
    parquet_sha256,
    recover,
    write_manifest,
)
from coopnum.dataset.release import release_version
from coopnum.dataset.run import CorpusResult, run
from coopnum.errors import BuildError
from coopnum.quality import agreement
from coopnum.quality.findings import ERROR
from coopnum.util import swap
from coopnum.util.executor import Mapper
from coopnum.util.hashing import sha256_file
from coopnum.util.progress import Progress, silent

__all__ = [
    "DATASHEET",
    "MANIFEST",
    "BuildResult",
    "Paths",
    "annotated_documents",
    "build",
    "check",
    "clean_corpus",
    "recover",
]


def clean_corpus(corpus_dir: Path) -> list[Document]:
    """Read and clean every document, in memory (for tools and tests; the build streams)."""
    sources = list_corpus(corpus_dir)
    fold_of = splits.folds(s.doc_id for s in sources)
    evidence = recurring.of_corpus(corpus_dir, sources)
    return [pipeline.clean_source(corpus_dir, s, fold_of[s.doc_id], evidence) for s in sources]


def annotated_documents(root: Path, *, require_gold: bool = True) -> list[Document]:
    """Every corpus document with its annotations, in memory (for tools and tests; the build
    streams), checked by the build's rule set: the first finding of severity error raises. With
    ``require_gold=False`` (agreement before adjudication) a document without a gold is kept as
    it is, and so are the checks that need one."""
    setup, sources = pipeline.read_setup(root, with_rows=False)
    first = next((f for f in setup.setup_findings if f.severity == ERROR), None)
    if first is not None:
        raise pipeline.error_of(first, setup.annotations_dir)
    out = []
    for s in sources:
        d, found = pipeline.check_document(
            setup, pipeline.clean_source(setup.corpus_dir, s, setup.folds[s.doc_id], setup.evidence)
        )
        if not require_gold:
            found = [f for f in found if f.check not in GOLD_CHECKS]
        first = next((f for f in found if f.severity == ERROR), None)
        if first is not None:
            raise pipeline.error_of(first, setup.annotations_dir)
        out.append(d)
    return out


GOLD_CHECKS = frozenset({"gold_complete", "round_trip", "provenance"})


@dataclass(frozen=True)
class BuildResult:
    dataset: Path
    files: dict[str, str]
    rows: dict[str, dict[str, int]]  # config -> split -> rows
    seconds: dict[str, float] = dataclasses.field(default_factory=dict)  # wall time per step (benchmarks)
    encoded: tuple[str, ...] = ()  # the Parquet files encoded by this build (the others copied from the cache)


def build(
    root: Path,
    processes: int | None = None,
    *,
    chunk_documents: int = pipeline.CHUNK_DOCUMENTS,
    mapper: Mapper | None = None,
    progress: Progress = silent,
    use_cache: bool = True,
    cache_dir: Path | None = None,
) -> BuildResult:
    """Build ``root/dataset`` from ``root/corpus`` and ``root/annotations``, streaming the corpus
    a chunk at a time across ``processes`` (default: every core) with :mod:`coopnum.dataset.run`;
    the first finding of severity error stops it, and the previous ``dataset/`` stays.

    Call it holding the checkout lock (:mod:`coopnum.util.lock`, as ``coopnum build`` does): it
    first recovers what an interrupted build left, which must not be a build under way.

    Documents whose inputs did not change reuse their results from the per-document cache
    (:mod:`coopnum.dataset.cache`, in ``cache_dir``, default ``root/.coopnum-cache``); the output is
    the same bytes. ``use_cache=False`` (``--no-cache``) neither reads nor writes it."""
    started = time.perf_counter()
    paths = Paths(root)
    recover(root)
    store = cache.EntryStore(cache_dir or root / cache.CACHE_DIR) if use_cache else None
    stat_cache = cache.StatCache(store.folder) if store is not None else None
    inputs = InputSnapshot.take(paths, stat_cache)  # before anything is read: see InputSnapshot.changed
    setup, sources = pipeline.read_setup(
        root, with_rows=True, store=store, input_hashes=inputs.digests, regular=inputs.regular
    )
    tmp = swap.staging(paths.dataset, BuildOwner())
    try:
        result = run(setup, sources, tmp, processes, chunk_documents, mapper, progress)
        outputs = _write_documents(root, tmp, setup, result, inputs.digests)
        changed = inputs.changed(paths, stat_cache)
        if changed:
            shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
            raise BuildError(f"inputs changed while the build ran ({shown}): nothing was written; build again")
        # no email or credential is published: the shape rules searched each document's rows where they
        # were made (pipeline.document_part, cached with it); here the rest, and the rows for known secrets
        privacy.refuse_personal_data(tmp, shown_as=paths.dataset, row_shapes_searched=True)
        swap.swap_in(tmp, paths.dataset)  # dataset/ and DATASHEET.md
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if store is not None:
        store.evict()  # the cache stays within its bound
    total = time.perf_counter() - started
    seconds = {**result.seconds, "card, hashes and swap": total - sum(result.seconds.values()), "total": total}
    return BuildResult(paths.dataset, outputs, result.rows, seconds, result.encoded)


def _plots(tmp: Path, setup: pipeline.Setup) -> list[str]:
    """The plots of the build (SVG), one cache entry per plot: a plot is drawn again only when the
    figures it draws (:func:`plots.figures_of` of ``plot_data``, what :func:`plots.render_plots` reads
    of ``tmp``) or the code changed, so an edit of one document's topics redraws ``topics.svg`` alone."""
    out_dir = tmp / plots.PLOTS_DIR
    data = plots.plot_data(tmp)
    if setup.store is None or setup.keys is None:
        return [p.name for p in plots.render(data, out_dir)]
    names = plots.drawable(data)
    keys = {
        name: cache.digest(
            "plot",
            setup.keys.context,
            name,
            pickle.dumps(plots.figures_of(data, name), protocol=pickle.HIGHEST_PROTOCOL),
        )
        for name in names
    }
    svgs: dict[str, bytes] = {}
    for name, key in keys.items():
        value = cache.load_value(setup.store.get(key))
        if isinstance(value, bytes):
            svgs[name] = value
    missing = [name for name in names if name not in svgs]
    for path in plots.render(data, out_dir, missing):
        setup.store.put(keys[path.name], cache.dumps(path.read_bytes()))
    for name, svg in svgs.items():
        (out_dir / name).write_bytes(svg)
    return names


def _croissant(setup: pipeline.Setup, stats: card.Stats, parquet: Mapping[str, str]) -> str:
    """``croissant.json``'s text. With a cache, the text made with stand-ins for the Parquet files'
    sha256 (:func:`croissant.stand_in_sha256`) is kept under a key of everything else it is made of
    (the code and library versions, mlcroissant's, the RAI fields, the release, which files exist), and a
    rebuild puts the real sha256 in (:func:`croissant.with_sha256`) without importing mlcroissant."""
    features = registry.configs(setup.annotated)
    rai = croissant.rai_fields(stats)
    if setup.store is None or setup.keys is None:
        return croissant.croissant_json(features, rai, card.PRETTY_NAME, stats.release, parquet)
    key = cache.digest(
        "croissant",
        setup.keys.context,  # the code (features, fields, settings) and the other libraries
        importlib.metadata.version("mlcroissant"),  # not among the manifest's versions, yet it writes the text
        json.dumps(rai, sort_keys=True, default=repr),
        card.PRETTY_NAME,
        stats.release,
        json.dumps(sorted(parquet)),
    )
    stand_ins = croissant.stand_in_sha256(parquet)
    template = cache.load_value(setup.store.get(key))
    if isinstance(template, str) and (text := croissant.with_sha256(template, features, stand_ins, parquet)):
        return text
    template = croissant.croissant_json(features, rai, card.PRETTY_NAME, stats.release, stand_ins)
    text = croissant.with_sha256(template, features, stand_ins, parquet)
    if text is None:  # a stand-in that is not where the sha256 go: made with the real ones, not cached
        return croissant.croissant_json(features, rai, card.PRETTY_NAME, stats.release, parquet)
    setup.store.put(key, cache.dumps(template))
    return text


def _ship_documents(root: Path, tmp: Path) -> None:
    """Copy into ``tmp`` the repository files the card links (guidelines, the annotations' licence)."""
    for name, source in card.SHIPPED.items():
        if (root / source).is_file():
            shutil.copyfile(root / source, tmp / name)


def _write_documents(
    root: Path, tmp: Path, setup: pipeline.Setup, result: CorpusResult, inputs: Mapping[str, str]
) -> dict[str, str]:
    """The card, Croissant, agreement and manifest beside the Parquet files in ``tmp``, and the
    datasheet staged in it to go beside ``dataset/`` with the swap; the hashes of the outputs."""
    stats = card.Stats.from_tally(result.tally, setup.provenance, result.agreement, result.findings)
    parquet = parquet_sha256(tmp, result.parquet_sha256)  # each read once at most: data hash, Croissant, manifest
    stats = dataclasses.replace(
        stats, baselines=load_baselines(root, data_sha256(tmp, parquet)), release=release_version(root)
    )
    if stats.agreement is not None:  # before the plots, which draw it
        (tmp / "agreement.json").write_text(
            json.dumps(agreement.report_dict(stats.agreement), indent=1, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
    drawn = _plots(tmp, setup)
    _ship_documents(root, tmp)
    (tmp / "README.md").write_text(card.card_text(stats, tmp, drawn), encoding="utf-8")
    (tmp / "croissant.json").write_text(_croissant(setup, stats, parquet), encoding="utf-8")
    sheet = datasheet.render(stats).encode("utf-8")
    (tmp / DATASHEET).write_bytes(sheet)  # the card links it: a hub repository holds only dataset/
    outputs = {
        rel: parquet.get(rel) or sha256_file(p) for p in files_under(tmp) for rel in [p.relative_to(tmp).as_posix()]
    }
    manifest = {
        "inputs": inputs,  # as they were before the build read them, checked unchanged after
        "versions": library_versions(),
        "outputs": outputs,
        "repo_outputs": {DATASHEET: hashlib.sha256(sheet).hexdigest()},
        "rows": result.rows,
        "release": stats.release,
    }
    write_manifest(tmp / MANIFEST, manifest)  # the inputs streamed: two lines per document
    swap.companion(tmp, DATASHEET, sheet)  # after the hashes: it is not a file of dataset/
    return outputs
