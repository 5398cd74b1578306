"""`coopnum add`: byte-exact copies, stable ids, records with evidence, one clear refusal, all or nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coopnum.corpus import intake
from coopnum.corpus.sources import list_corpus, read_corpus
from coopnum.errors import CoopnumError, CorpusError

ROOT = Path(__file__).resolve().parents[2]
GROWTH = ROOT / "tests/fixtures/growth"
FRENCH = sorted((GROWTH / "french").glob("*.txt"))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    return tmp_path


def _snapshot(repo: Path) -> dict[str, bytes]:
    return {str(p.relative_to(repo)): p.read_bytes() for p in sorted((repo / "corpus").rglob("*")) if p.is_file()}


def test_add_copies_bytes_and_writes_records(repo: Path) -> None:
    before = list_corpus(repo / "corpus")
    added = intake.add_articles(repo, [GROWTH / "french"])
    assert len(added) == len(FRENCH)
    after = read_corpus(repo / "corpus")  # every record reads back, hashes and evidence checked
    assert [d.source for d in after[: len(before)]] == before
    by_id = {d.source.doc_id: d for d in after}
    for src, s in zip(FRENCH, added, strict=True):
        assert s.doc_id == intake.doc_id_for(src.read_bytes())
        assert by_id[s.doc_id].data == src.read_bytes()
    orders = [int(s.file.split("_")[0]) for s in added]
    assert orders == list(range(len(before), len(before) + len(added)))
    dated = [s for s in added if s.date]
    assert dated and all(s.date_evidence and s.date_evidence in by_id[s.doc_id].text for s in dated)


def test_the_id_does_not_depend_on_order_or_company(repo: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(ROOT / "corpus", other / "corpus")
    one = intake.add_articles(repo, list(reversed(FRENCH)))
    two = intake.add_articles(other, [FRENCH[-1]])
    assert two[0].doc_id == one[0].doc_id


@pytest.mark.parametrize(
    ("make", "kind", "says"),
    [
        (lambda d: (ROOT / "corpus/raw").glob("000_*.txt").__next__().read_bytes(), intake.DuplicateError, "same raw"),
        (lambda d: FRENCH[0].read_bytes() + b"\n\n", intake.DuplicateError, "same clean text"),
        (lambda d: (GROWTH / "not_french/en_kenya_satellites.txt").read_bytes(), intake.LanguageError, "not French"),
        (lambda d: b"Accueil\n", CoopnumError, "removed every line"),
        (lambda d: "é".encode("latin-1") * 40, CorpusError, "UTF-8"),
    ],
)
def test_a_bad_file_among_good_ones_adds_nothing(repo: Path, tmp_path: Path, make, kind, says) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    for p in FRENCH:
        shutil.copy(p, folder / p.name)
    (folder / "zz_bad.txt").write_bytes(make(folder))
    before = _snapshot(repo)
    with pytest.raises(kind, match=says) as e:
        intake.add_articles(repo, [folder])
    assert "zz_bad.txt" in str(e.value) and "\n" not in str(e.value)
    assert _snapshot(repo) == before
    assert not [p.name for p in repo.iterdir() if p.name.startswith(".corpus")]  # no staging folder left


def test_near_duplicate_names_the_closest_and_can_be_allowed(repo: Path, tmp_path: Path) -> None:
    (first,) = intake.add_articles(repo, [FRENCH[0]])
    text = FRENCH[0].read_text(encoding="utf-8").replace("mardi", "lundi").replace("trentaine", "vingtaine")
    edited = tmp_path / "edited.txt"
    edited.write_text(text + "Une phrase ajoutée à la fin de l'article pour le modifier un peu.\n", encoding="utf-8")
    with pytest.raises(
        intake.NearDuplicateError, match=f"near-duplicate of document {first.doc_id}.*Jaccard 0\\.\\d\\d"
    ):
        intake.add_articles(repo, [edited])
    (added,) = intake.add_articles(repo, [edited], intake.Options(allow_near_duplicate=True))
    assert added.doc_id != first.doc_id


def test_an_outlet_not_stated_in_the_text_is_refused(repo: Path) -> None:
    with pytest.raises(CorpusError, match="not stated in the text"):
        intake.add_articles(repo, [FRENCH[1]], intake.Options(outlet="Agence Imaginaire"))


def test_a_thousand_files_all_or_nothing_with_progress(repo: Path, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    base = FRENCH[1].read_text(encoding="utf-8")
    for i in range(1000):  # distinct bytes, same clean text: the 2nd is refused as an exact duplicate
        (folder / f"{i:04d}.txt").write_text(base + "\n" * (i + 1), encoding="utf-8")
    before = _snapshot(repo)
    calls: list[tuple[str, int, int]] = []
    with pytest.raises(intake.DuplicateError):
        intake.add_articles(repo, [folder], progress=lambda *a: calls.append(a))
    assert _snapshot(repo) == before and calls
