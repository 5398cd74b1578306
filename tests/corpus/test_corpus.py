"""The raw corpus: byte-exact seeds, sources metadata, and bad input."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from coopnum.corpus.sources import load_sources, read_corpus
from coopnum.dataset.build import build
from coopnum.errors import CoopnumError, CorpusError
from coopnum.util.hashing import sha256_bytes

from ..conftest import REPO, SHARED_SEEDS, source_records

RAW_DIR = REPO / "corpus" / "raw"


def test_each_raw_file_hashes_to_its_sources_record() -> None:
    # A changed byte in corpus/raw fails here, whatever number of articles the corpus holds.
    records = source_records()  # plain JSON: this check does not trust the loader it tests
    assert records, "corpus/sources.jsonl lists no document"
    assert sorted(p.name for p in RAW_DIR.glob("*.txt")) == sorted(r["file"] for r in records)
    for r in records:
        assert hashlib.sha256((RAW_DIR / r["file"]).read_bytes()).hexdigest() == r["raw_sha256"], r["file"]


@pytest.mark.skipif(
    not SHARED_SEEDS.is_dir() and os.environ.get("CI") != "true",  # under CI the seeds must be there: fail, not skip
    reason="../shared/seeds is not beside this checkout",
)
def test_raw_files_are_byte_exact_copies_of_shared_seeds() -> None:
    seeds = sorted(p.name for p in SHARED_SEEDS.glob("*.txt"))
    assert seeds, f"no seed in {SHARED_SEEDS}"
    raw = {p.name for p in RAW_DIR.glob("*.txt")}
    assert set(seeds) <= raw, "a delivered seed is missing from corpus/raw"
    for name in sorted(raw):
        if (SHARED_SEEDS / name).is_file():  # articles added after the seeds have no copy there
            assert (RAW_DIR / name).read_bytes() == (SHARED_SEEDS / name).read_bytes(), name


def test_sources_records_match_their_files() -> None:
    docs = read_corpus(REPO / "corpus")
    assert [d.source.file for d in docs] == sorted(p.name for p in RAW_DIR.glob("*.txt"))
    for d in docs:
        assert d.source.raw_sha256 == sha256_bytes((RAW_DIR / d.source.file).read_bytes())
        assert d.source.language == "fr"
        for field in ("outlet", "date"):  # stated values carry the raw text that states them
            if getattr(d.source, field) is not None:
                assert getattr(d.source, f"{field}_evidence") in d.text


# ------------------------------------------------------------------ bad input


def _rewrite_sources(root: Path, change) -> None:
    path = root / "corpus" / "sources.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    records = change(records)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def _raw(root: Path, index: int = 0) -> Path:
    return sorted((root / "corpus" / "raw").glob("*.txt"))[index]


def _set_sha(root: Path, index: int = 0) -> None:
    path = _raw(root, index)
    _rewrite_sources(
        root,
        lambda rs: [{**r, "raw_sha256": sha256_bytes(path.read_bytes())} if r["file"] == path.name else r for r in rs],
    )


def missing_raw(root: Path) -> None:
    _raw(root).unlink()


def empty_raw(root: Path) -> None:
    _raw(root).write_bytes(b"")
    _set_sha(root)


def non_utf8(root: Path) -> None:
    path = _raw(root)
    path.write_bytes(path.read_bytes()[:100] + b"\xe9t\xe9" + path.read_bytes()[100:])
    _set_sha(root)


def bom(root: Path) -> None:
    path = _raw(root)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    _set_sha(root)


def sha_mismatch(root: Path) -> None:
    path = _raw(root)
    path.write_bytes(path.read_bytes() + b"\n")


def duplicate_doc_id(root: Path) -> None:
    _rewrite_sources(root, lambda rs: [*rs, rs[0]])


def malformed_doc_id(root: Path) -> None:
    _rewrite_sources(root, lambda rs: [{**rs[0], "doc_id": "DB38-not-hex"}, *rs[1:]])


def malformed_file_name(root: Path) -> None:
    path = _raw(root)
    path.rename(path.with_name("seed.txt"))
    _rewrite_sources(root, lambda rs: [{**r, "file": "seed.txt"} if r["file"] == path.name else r for r in rs])


def _index_stating_nothing(root: Path) -> int:
    """The first raw file (sorted) whose record states no outlet or date: its evidence cannot go missing."""
    records = {r["file"]: r for r in source_records(root)}
    names = [p.name for p in sorted((root / "corpus" / "raw").glob("*.txt"))]
    return next(i for i, n in enumerate(names) if records[n]["outlet"] is None and records[n]["date"] is None)


def cleaned_to_nothing(root: Path) -> None:
    index = _index_stating_nothing(root)
    _raw(root, index).write_bytes(b"Partager\nImprimer\n6220\nLire aussi:\n")
    _set_sha(root, index)


def unlisted_raw_file(root: Path) -> None:
    next_order = len(list((root / "corpus" / "raw").glob("*.txt")))  # a name no record has, however many there are
    (root / "corpus" / "raw" / f"{next_order:03d}_0123456789abcdef.txt").write_bytes(b"Un texte.\n")


def missing_field(root: Path) -> None:
    _rewrite_sources(root, lambda rs: [{k: v for k, v in rs[0].items() if k != "language"}, *rs[1:]])


def evidence_not_in_text(root: Path) -> None:
    stated = {"outlet": "Le Monde", "outlet_evidence": "Le Monde"}
    path = _raw(root, _index_stating_nothing(root))
    assert "Le Monde" not in path.read_text(encoding="utf-8")  # else the damage would be no damage
    _rewrite_sources(root, lambda rs: [{**r, **stated} if r["file"] == path.name else r for r in rs])


def truncated_sources(root: Path) -> None:
    path = root / "corpus" / "sources.jsonl"
    path.write_text(path.read_text(encoding="utf-8")[:150], encoding="utf-8")


def empty_sources(root: Path) -> None:
    (root / "corpus" / "sources.jsonl").write_text("", encoding="utf-8")


BAD_INPUTS = {
    # case: (damage, the field the message must name, a phrase it must contain)
    "missing raw file": (missing_raw, None, "missing"),
    "empty raw file": (empty_raw, "text", "empty"),
    "non-UTF-8 bytes": (non_utf8, "text", "not valid UTF-8"),
    "BOM": (bom, "text", "byte-order mark"),
    "sha256 mismatch": (sha_mismatch, "raw_sha256", "hashes to"),
    "duplicate doc id": (duplicate_doc_id, "doc_id", "duplicate"),
    "malformed doc id": (malformed_doc_id, "doc_id", "hex"),
    "malformed file name": (malformed_file_name, "doc_id", "NNN_"),
    "cleaned to nothing": (cleaned_to_nothing, "text", "removed every line"),
    "raw file without record": (unlisted_raw_file, "doc_id", "no record"),
    "sources field missing": (missing_field, "language", "lacks"),
    "evidence not in text": (evidence_not_in_text, "outlet_evidence", "does not occur"),
    "truncated sources JSON": (truncated_sources, None, "invalid JSON"),
    "empty corpus": (empty_sources, None, "no records"),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_corpus_input_is_reported_and_dataset_untouched(project: Path, case: str) -> None:
    build(project)
    before = {p: p.read_bytes() for p in sorted((project / "dataset").rglob("*")) if p.is_file()}
    damage, field, phrase = BAD_INPUTS[case]
    damage(project)
    with pytest.raises(CoopnumError) as e:
        build(project)
    message = str(e.value)
    assert phrase in message
    assert e.value.file, message  # every message names the file
    if field:
        assert e.value.field == field and f"field={field}" in message
    after = {p: p.read_bytes() for p in sorted((project / "dataset").rglob("*")) if p.is_file()}
    assert after == before
    assert not [p for p in project.iterdir() if p.name.startswith(".dataset.")], "temporary folder left behind"
    print(f"\n{case}: {message}")


def test_sources_must_be_valid_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "sources.jsonl"
    path.write_text('{"doc_id": 1}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match="lacks"):
        load_sources(path)
