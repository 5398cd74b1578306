"""The raw corpus: byte-exact seeds, sources metadata, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coopnum.corpus.sources import load_sources, read_corpus, sha256_bytes
from coopnum.dataset.build import build
from coopnum.errors import CoopnumError, CorpusError

from .conftest import REPO, SHARED_SEEDS

# The five seeds as delivered, pinned: a changed byte in corpus/raw fails here.
SEED_SHA256 = {
    "000_db38e82f54f3c3a1.txt": "54013616e4a0abbf82a2b22d688d79f1c7be483ae0782405bd6dfca2e2e9e33d",
    "001_efbc0e0d779ac531.txt": "a84ca7efb70017813e2dca4ff4a549b87244937bd80894a015393ab3027cb69b",
    "002_21bc0473e3177873.txt": "b0e7ca6810f06cda5b892a1e45cc61db04107e02617d74d060ed311e24aadc81",
    "003_e80b6e8af8c7752b.txt": "57af1fe553bbf3e0d2a022f0a9a78403baa48627b3901722f3b8b2bb08521264",
    "004_bde00153dbec76ec.txt": "20ffb86d1aa258c81507d5cfde18d632d5e207a87f8ba348dc2d2938b1bbe68c",
}


def test_raw_files_are_the_pinned_seeds() -> None:
    on_disk = {p.name: sha256_bytes(p.read_bytes()) for p in (REPO / "corpus" / "raw").glob("*.txt")}
    assert on_disk == SEED_SHA256


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds is not beside this checkout")
def test_raw_files_are_byte_exact_copies_of_shared_seeds() -> None:
    for name in SEED_SHA256:
        assert (REPO / "corpus" / "raw" / name).read_bytes() == (SHARED_SEEDS / name).read_bytes(), name


def test_sources_records_match_their_files() -> None:
    docs = read_corpus(REPO / "corpus")
    assert [d.source.file for d in docs] == sorted(SEED_SHA256)
    for d in docs:
        assert d.source.raw_sha256 == SEED_SHA256[d.source.file]
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
    _rewrite_sources(root, lambda rs: [{**rs[0], "file": "seed.txt"}, *rs[1:]])


def cleaned_to_nothing(root: Path) -> None:
    _raw(root, 2).write_bytes(b"Partager\nImprimer\n6220\nLire aussi:\n")  # a document stating no outlet or date
    _set_sha(root, 2)


def unlisted_raw_file(root: Path) -> None:
    (root / "corpus" / "raw" / "005_0123456789abcdef.txt").write_bytes(b"Un texte.\n")


def missing_field(root: Path) -> None:
    _rewrite_sources(root, lambda rs: [{k: v for k, v in rs[0].items() if k != "language"}, *rs[1:]])


def evidence_not_in_text(root: Path) -> None:
    stated = {"outlet": "Le Monde", "outlet_evidence": "Le Monde"}
    _rewrite_sources(root, lambda rs: [{**r, **stated} if i == 2 else r for i, r in enumerate(rs)])


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
