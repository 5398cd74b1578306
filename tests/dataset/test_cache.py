"""The per-document cache: a rebuild after edits gives the bytes of a build from scratch."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coopnum.annotation import format as ann
from coopnum.cli import app
from coopnum.dataset import cache, croissant, pipeline, plots
from coopnum.dataset.build import build
from coopnum.dataset.manifest import InputSnapshot, Paths
from coopnum.dataset.validation import validate
from coopnum.errors import CheckFailed
from coopnum.quality.findings import finding
from coopnum.text import align
from coopnum.util.executor import parallel_map

from ..conftest import copy_project

DOCUMENTS = 10  # two chunks at the small chunk size below; every seed twice (a seed thrice: its prose recurs)
CHUNK = 5


@pytest.fixture(scope="module")
def synthetic(synthetic_project: Callable[[int], Path]) -> Path:
    return synthetic_project(DOCUMENTS)


def _outputs(root: Path) -> dict[str, str]:
    found = {p.relative_to(root).as_posix(): p for p in sorted((root / "dataset").rglob("*")) if p.is_file()}
    found["DATASHEET.md"] = root / "DATASHEET.md"
    return {name: hashlib.sha256(p.read_bytes()).hexdigest() for name, p in found.items()}


def _from_scratch(root: Path, folder: Path, chunk_documents: int = CHUNK) -> dict[str, str]:
    """The outputs of a build without any cache, of a copy of ``root``'s inputs."""
    fresh = folder / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    for name in ("corpus", "annotations"):
        shutil.copytree(root / name, fresh / name)
    build(fresh, processes=1, chunk_documents=chunk_documents, use_cache=False)
    assert not (fresh / cache.CACHE_DIR).exists()
    return _outputs(fresh)


def _sources(root: Path) -> list[dict]:
    return [json.loads(line) for line in (root / "corpus" / "sources.jsonl").read_text(encoding="utf-8").splitlines()]


def _write_sources(root: Path, records: list[dict]) -> None:
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    (root / "corpus" / "sources.jsonl").write_text(text, encoding="utf-8")


def _edit_raw(root: Path, doc_id: str, change) -> None:
    """Rewrite one raw file with ``change(text)`` and its sources record's raw_sha256 to match."""
    records = _sources(root)
    record = next(r for r in records if r["doc_id"] == doc_id)
    path = root / "corpus" / "raw" / record["file"]
    data = change(path.read_text(encoding="utf-8")).encode("utf-8")
    path.write_bytes(data)
    record["raw_sha256"] = hashlib.sha256(data).hexdigest()
    _write_sources(root, records)


def _raw_headlines(text: str, rng: random.Random) -> str:
    # the generator's appended "Lire aussi" headlines: boilerplate the cleaner drops, so the gold stays valid
    return text.rstrip("\n") + "\n" + " ".join(rng.choice(["Marché", "Forum", "Réseau"]) for _ in range(5)) + "\n"


def _edit_annotation(root: Path, doc_id: str, rng: random.Random) -> None:
    path = root / "annotations" / ann.SUBDIR / f"{doc_id}.json"
    obj = json.loads(path.read_text(encoding="utf-8"))
    gold = next(a for a in obj["annotations"] if a["ground_truth"])
    gold["topics"] = sorted(set(gold["topics"]) ^ {rng.choice(["health", "education_research"])})
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")


def _edit_record(root: Path, doc_id: str, rng: random.Random) -> None:
    records = _sources(root)
    record = next(r for r in records if r["doc_id"] == doc_id)
    record["url"] = f"https://example.org/article-{rng.randrange(10**6)}"
    _write_sources(root, records)


def test_random_edits_then_a_rebuild_gives_the_bytes_of_a_build_from_scratch(synthetic: Path, tmp_path: Path) -> None:
    root = copy_project(synthetic, tmp_path)
    assert sum(build(root, processes=2, chunk_documents=CHUNK).rows["documents"].values()) == DOCUMENTS
    assert_random_edits_rebuild_as_from_scratch(root, tmp_path, seed=17)


def assert_random_edits_rebuild_as_from_scratch(
    root: Path, tmp_path: Path, seed: int, scratch_chunk_documents: int = CHUNK
) -> None:
    """Two rounds of two random edits (a raw text, an annotation file, a sources record), each rebuilt with the
    cache: the outputs change, and are byte for byte those of a build from scratch without one."""
    rng = random.Random(seed)
    ids = sorted(r["doc_id"] for r in _sources(root))
    edits = [
        lambda d: _edit_raw(root, d, lambda t: _raw_headlines(t, rng)),
        lambda d: _edit_annotation(root, d, rng),
        lambda d: _edit_record(root, d, rng),
    ]
    for round_ in range(2):
        for edit in rng.sample(edits, 2):
            edit(rng.choice(ids))
        before = _outputs(root)
        build(root, processes=2, chunk_documents=CHUNK)
        after = _outputs(root)
        assert after != before, f"round {round_}: the edits changed nothing the build writes"
        assert after == _from_scratch(root, tmp_path, scratch_chunk_documents), f"round {round_}"


def _three_outlets(root: Path) -> list[str]:
    """A document of each of three outlets, made not annotated (their clean text is in `documents`
    only, so a change of it is a change of the build's bytes, not a stale annotation)."""
    first_of: dict[str, str] = {}
    for r in sorted(_sources(root), key=lambda r: r["doc_id"]):
        if r["outlet"]:
            first_of.setdefault(r["outlet"], r["doc_id"])
    three = sorted(first_of.values())[:3]
    for doc_id in three:
        (root / "annotations" / ann.SUBDIR / f"{doc_id}.json").unlink()
    lines = (root / "annotations" / "adjudication.jsonl").read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not any(d in line for d in three)]
    (root / "annotations" / "adjudication.jsonl").write_text("\n".join(kept) + "\n", encoding="utf-8")
    return three


# lines that are not prose: removed once documents of three outlets hold them (the cleaner changes
# as its rules grow: the test takes the first that each of its documents keeps while it is alone)
FURNITURE = ("Forum de Kazan 2024", "Sommet numérique 2024", "Les chiffres clés du forum", "Économie et numérique")


def _with_furniture(text: str, line: str) -> str:
    blocks = text.split("\n\n")  # after the second block: inside the article, not in its header or end
    return "\n\n".join([*blocks[:2], line, *blocks[2:]])


def _furniture_for(root: Path, three: list[str]) -> str:
    from coopnum.corpus import recurring
    from coopnum.corpus.clean import clean_document
    from coopnum.corpus.sources import list_corpus

    sources = {s.doc_id: s for s in list_corpus(root / "corpus")}
    raws = {d: (root / "corpus" / "raw" / sources[d].file).read_text(encoding="utf-8") for d in three}
    for line in FURNITURE:
        texts = {d: _with_furniture(raws[d], line) for d in three}
        evidence = recurring.texts_evidence([(recurring.outlet_of(sources[d]), texts[d]) for d in three])
        alone = all(line in clean_document(texts[d], d).text for d in three)
        if alone and all(line not in clean_document(texts[d], d, evidence.view(sources[d])).text for d in three):
            return line
    raise AssertionError("the cleaner removes every candidate line even alone: add one to FURNITURE")


def _clean_text_holds(root: Path, doc_id: str, line: str) -> bool:
    from coopnum.dataset.build import clean_corpus

    return line in next(d for d in clean_corpus(root / "corpus") if d.doc_id == doc_id).clean.text


def test_a_line_that_starts_to_recur_elsewhere_invalidates_documents_whose_files_did_not_change(
    synthetic: Path, tmp_path: Path
) -> None:
    root = copy_project(synthetic, tmp_path)
    first, second, third = _three_outlets(root)
    line = _furniture_for(root, [first, second, third])
    for doc_id in (first, second):
        _edit_raw(root, doc_id, lambda text: _with_furniture(text, line))
    build(root, processes=1, chunk_documents=CHUNK)
    assert _clean_text_holds(root, first, line)  # held by documents of two outlets: kept
    _edit_raw(root, third, lambda text: _with_furniture(text, line))  # the first two files are untouched
    assert not _clean_text_holds(root, first, line)  # now three outlets: removed as furniture
    build(root, processes=1, chunk_documents=CHUNK)
    assert _outputs(root) == _from_scratch(root, tmp_path)


def _entries(root: Path) -> list[Path]:
    return sorted(p for p in (root / cache.CACHE_DIR / "entries").rglob("*") if p.is_file())


def test_a_torn_or_corrupt_entry_is_ignored_and_rewritten(synthetic: Path, tmp_path: Path) -> None:
    root = copy_project(synthetic, tmp_path)
    build(root, processes=1, chunk_documents=CHUNK)
    expected = _outputs(root)
    entries = _entries(root)
    assert len(entries) > DOCUMENTS  # each document's results, each chunk's, the line hashes, the plots
    for i, path in enumerate(entries):
        data = path.read_bytes()
        if i % 3 == 0:
            path.write_bytes(data[: len(data) // 2])  # torn
        elif i % 3 == 1:
            path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # one bit flipped
        else:
            path.write_bytes(b"")
    build(root, processes=1, chunk_documents=CHUNK)
    assert _outputs(root) == expected
    store = cache.EntryStore(root / cache.CACHE_DIR)
    assert all(store.get(store.key_of(p)) is not None for p in _entries(root))


def _poison(root: Path) -> None:
    """Every document entry replaced by a well-formed entry that says the document has an error."""
    store = cache.EntryStore(root / cache.CACHE_DIR)
    for path in _entries(root):
        value = cache.load_value(store.get(store.key_of(path)))
        if isinstance(value, cache.ChunkEntry):
            path.unlink()  # the chunks' entries go: each document is looked up alone
        part = cache.loads(store.get(store.key_of(path)))
        if part is not None:
            part.findings = [finding("gold", "poisoned cache entry", part.doc_id, None, "annotations")]
            part.errored = True
            store.put(store.key_of(path), cache.dumps(part))


def test_the_build_reads_the_cache_and_no_cache_bypasses_it(synthetic: Path, tmp_path: Path) -> None:
    root = copy_project(synthetic, tmp_path)
    build(root, processes=1, chunk_documents=CHUNK)
    expected = _outputs(root)
    _poison(root)
    with pytest.raises(CheckFailed, match="poisoned"):
        build(root, processes=1, chunk_documents=CHUNK)  # the cached results are used
    runner = CliRunner()
    result = runner.invoke(app, ["build", "--root", str(root), "--no-cache", "--quiet"])
    assert result.exit_code == 0, result.output
    assert _outputs(root) == expected
    result = runner.invoke(app, ["validate", "--root", str(root), "--no-cache", "--quiet"])
    assert result.exit_code == 0 and "poisoned" not in result.output, result.output
    result = runner.invoke(app, ["validate", "--root", str(root), "--quiet"])
    assert result.exit_code == 1 and "poisoned" in result.output, result.output


def test_validation_after_a_build_cleans_no_document_and_finds_the_same(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(synthetic, tmp_path)
    _edit_annotation(root, sorted(r["doc_id"] for r in _sources(root))[0], random.Random(3))  # a warning or two
    build(root, processes=1, chunk_documents=CHUNK)
    expected = validate(root, processes=1, use_cache=False)
    cleaned: list[str] = []
    original = pipeline.clean_source

    def counting(corpus_dir: Path, source, fold, evidence=None):  # type: ignore[no-untyped-def]
        cleaned.append(source.doc_id)
        return original(corpus_dir, source, fold, evidence)

    monkeypatch.setattr(pipeline, "clean_source", counting)
    assert validate(root, processes=1) == expected
    assert cleaned == []
    validate(root, processes=1, use_cache=False)
    assert len(cleaned) == DOCUMENTS


def test_an_edit_that_leaves_the_clean_text_as_it_was_tokenises_nothing(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document's tokens are cached by its clean text and paragraphs: a rebuild after an edit of its
    annotation or of its raw file's boilerplate needs no tokenizer, and gives the bytes from scratch."""
    root = copy_project(synthetic, tmp_path)
    build(root, processes=1, chunk_documents=CHUNK)
    tokenised: list[str] = []
    original = align.sentences

    def counting(text: str, paragraphs):  # type: ignore[no-untyped-def]
        tokenised.append(text)
        return original(text, paragraphs)

    monkeypatch.setattr(align, "sentences", counting)
    rng = random.Random(5)
    first, second = sorted(r["doc_id"] for r in _sources(root))[:2]
    _edit_annotation(root, first, rng)
    _edit_raw(root, second, lambda t: _raw_headlines(t, rng))
    build(root, processes=1, chunk_documents=CHUNK)
    assert tokenised == []
    assert _outputs(root) == _from_scratch(root, tmp_path)
    tokenised.clear()
    build(root, processes=1, chunk_documents=CHUNK, use_cache=False)
    assert len(tokenised) == DOCUMENTS  # without the cache every adjudicated document is tokenised


def test_chunks_whose_entries_serve_are_read_in_the_main_process_and_only_the_others_mapped(
    synthetic: Path, tmp_path: Path
) -> None:
    """A rebuild maps (sends to workers) only the chunks whose entries do not serve: none when nothing
    changed, the edited document's chunk alone after an edit; the bytes are those from scratch."""
    root = copy_project(synthetic, tmp_path)
    build(root, processes=2, chunk_documents=CHUNK)
    mapped: list[list[str]] = []

    def recording(step, items, processes):  # type: ignore[no-untyped-def]
        if isinstance(step, pipeline.ChunkStep):
            mapped.append([s.doc_id for chunk in items for s, _ in chunk])
        return parallel_map(step, items, processes)

    build(root, processes=2, chunk_documents=CHUNK, mapper=recording)
    assert mapped == []
    ids = sorted(r["doc_id"] for r in _sources(root))
    _edit_annotation(root, ids[-1], random.Random(13))
    build(root, processes=2, chunk_documents=CHUNK, mapper=recording)
    assert mapped == [ids[-CHUNK:]]
    assert _outputs(root) == _from_scratch(root, tmp_path)


def test_an_edit_redraws_only_the_plots_whose_figures_moved(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One cache entry per plot: a gold's topics edited, only ``topics.svg`` is drawn again (the other
    plots come from the cache), nothing at all when nothing changed, and the bytes are those from scratch."""
    root = copy_project(synthetic, tmp_path)
    build(root, processes=1, chunk_documents=CHUNK)
    drawn: list[list[str]] = []
    original = plots.render

    def recording(data, out_dir, names=None):  # type: ignore[no-untyped-def]
        written = original(data, out_dir, names)
        drawn.append([p.name for p in written])
        return written

    monkeypatch.setattr(plots, "render", recording)
    build(root, processes=1, chunk_documents=CHUNK)
    assert drawn == [[]]
    _edit_annotation(root, sorted(r["doc_id"] for r in _sources(root))[0], random.Random(11))
    build(root, processes=1, chunk_documents=CHUNK)
    assert drawn[-1] == ["topics.svg"]
    assert len(list((root / "dataset" / plots.PLOTS_DIR).glob("*.svg"))) == len(plots.PLOTS)
    assert _outputs(root) == _from_scratch(root, tmp_path)


def test_a_rebuild_after_an_edit_fills_the_sha256_into_the_cached_croissant_text(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Croissant's text is made by mlcroissant once (with stand-ins for the Parquet sha256); a rebuild
    after an edit, whose Parquet files are new bytes, fills the new sha256 in: the text from scratch."""
    root = copy_project(synthetic, tmp_path)
    build(root, processes=1, chunk_documents=CHUNK)
    made: list[int] = []
    original = croissant.croissant_json

    def recording(*args):  # type: ignore[no-untyped-def]
        made.append(1)
        return original(*args)

    monkeypatch.setattr(croissant, "croissant_json", recording)
    before = (root / "dataset" / "croissant.json").read_text(encoding="utf-8")
    _edit_annotation(root, sorted(r["doc_id"] for r in _sources(root))[0], random.Random(11))
    build(root, processes=1, chunk_documents=CHUNK)
    assert not made
    assert (root / "dataset" / "croissant.json").read_text(encoding="utf-8") != before  # new sha256
    assert _outputs(root) == _from_scratch(root, tmp_path)
    assert made  # from scratch, without a cache: made with the real sha256


BUILD_SCRIPT = """
import sys
from pathlib import Path
from coopnum.dataset.build import build
build(Path(sys.argv[1]), processes=1, chunk_documents={chunk}, cache_dir=Path(sys.argv[2]))
"""


def test_two_builds_sharing_one_cache_at_once_both_give_the_bytes_from_scratch(synthetic: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared-cache"
    roots = [copy_project(synthetic, tmp_path / name) for name in ("one", "two")]
    script = BUILD_SCRIPT.format(chunk=CHUNK)
    runs = [
        subprocess.Popen([sys.executable, "-c", script, str(r), str(shared)], stderr=subprocess.PIPE, text=True)
        for r in roots
    ]
    for run in runs:
        _, err = run.communicate()
        assert run.returncode == 0, err
    expected = _from_scratch(roots[0], tmp_path)
    assert _outputs(roots[0]) == _outputs(roots[1]) == expected
    assert not list((shared / "tmp").iterdir())  # every entry renamed into place
    build(roots[0], processes=1, chunk_documents=CHUNK, cache_dir=shared)  # reads what the two wrote
    assert _outputs(roots[0]) == expected


def test_the_store_keeps_within_its_bound_removing_the_least_recently_used(tmp_path: Path) -> None:
    store = cache.EntryStore(tmp_path / "c", limit_bytes=10_000)
    keys = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(10)]
    for i, key in enumerate(keys):
        store.put(key, bytes(2_000))
        os.utime(store._path(key), ns=(i * 10**9, i * 10**9))  # key i last used at second i
    assert store.get(keys[0]) is not None  # a hit: now the most recently used
    store.evict()
    kept = [k for k in keys if store._path(k).exists()]
    assert sum(store._path(k).stat().st_size for k in kept) <= 10_000
    assert keys[0] in kept and keys[-1] in kept and keys[1] not in kept


def test_a_build_under_a_small_bound_stays_within_it_and_still_gives_the_same_bytes(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(synthetic, tmp_path)
    monkeypatch.setenv(cache.LIMIT_VARIABLE, "20000")
    build(root, processes=1, chunk_documents=CHUNK)
    assert sum(p.stat().st_size for p in _entries(root)) <= 20_000
    assert _outputs(root) == _from_scratch(root, tmp_path)


def test_the_stat_cache_gives_the_hashes_of_reading_every_file(synthetic: Path, tmp_path: Path) -> None:
    root = copy_project(synthetic, tmp_path)
    stat_cache = cache.StatCache(tmp_path / "c")
    stat_cache.settled_ns = 0  # record files however recently written (the rule is tested below)
    first = InputSnapshot.take(Paths(root), stat_cache)
    assert first.hashes == InputSnapshot.take(Paths(root)).hashes and stat_cache.known
    raw = next((root / "corpus" / "raw").iterdir())
    data = raw.read_bytes()
    raw.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # the same size: only mtime and ctime tell
    again = cache.StatCache(tmp_path / "c")
    again.settled_ns = 0
    assert InputSnapshot.take(Paths(root), again).hashes == InputSnapshot.take(Paths(root)).hashes
    fresh = cache.StatCache(tmp_path / "d")  # the default rule: a file written just now is not recorded
    InputSnapshot.take(Paths(root), fresh)
    assert not any(v == hashlib.sha256(raw.read_bytes()).hexdigest() for v in fresh.known.values())


def test_the_local_engine_takes_no_address(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["build", "--root", str(tmp_path), "--engine", "local", "--address", "auto"])
    assert result.exit_code != 0 and "--address" in result.output  # refused before anything is read
    assert not (tmp_path / "dataset").exists()


def test_the_keys_worked_out_at_once_are_those_worked_out_one_by_one() -> None:
    from coopnum.annotation import format as ann_format
    from coopnum.corpus.sources import Source
    from coopnum.util.digests import FileTable

    def source(doc_id: str, file: str) -> Source:
        return Source(doc_id, file, "0" * 64, None, None, None, None, None, "fr", "rights")

    table = FileTable()
    rows = [
        (f"annotations/{ann_format.SUBDIR}/a.json", True),
        (f"annotations/{ann_format.SUBDIR}/c.json", False),  # a link: no key
        ("corpus/raw/a.txt", True),
        ("corpus/raw/b.txt", True),
        ("corpus/raw/c.txt", True),
        ("corpus/raw/d.txt", False),
    ]
    for n, (path, regular) in enumerate(rows):
        table.add(path, f"{n:064x}", (n, n, n, n), regular)
    documents = [(source(d, f"{d}.txt"), n % 5) for n, d in enumerate("abcde")] + [(source("f", "../a.txt"), 0)]
    made = [cache.DocumentKeys("context", table.regular(), frozenset({"a", "b", "c"}), {"a": "reasons"}) for _ in "12"]
    made[0].prime(documents)
    assert made[0].memo and [made[0].of(s, f) for s, f in documents] == [made[1].of(s, f) for s, f in documents]
    assert [k is None for k in made[0].memo.values()] == [False, True, True, True, True, True]
