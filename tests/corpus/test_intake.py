"""`coopnum add`: byte-exact copies, stable ids, records with evidence, one clear refusal, all or nothing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from coopnum.corpus import intake, recurring
from coopnum.corpus.clean import clean_source_file
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


def test_one_pass_language_detection_answers_as_lingua_s_two_calls() -> None:
    """``language.detect`` reads lingua's ranking once; its answer must be ``detect_language_of`` and
    ``compute_language_confidence``'s (which rank twice), ties and short or letterless texts included."""
    from lingua import Language

    from coopnum.corpus import language

    detector = language._detector()
    texts = ["", "2025 — 14:30", "a", "Le", "Bonjour", "the", "Москва", "東京", "Partager sur Facebook"]
    for path in sorted((GROWTH).rglob("*.txt")) + sorted((ROOT / "corpus/raw").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        texts += [text, *text.splitlines()]
    ties = 0
    for text in texts:
        found = language.detect(text)
        expected = detector.detect_language_of(text)
        assert found.language == (expected.iso_code_639_1.name.lower() if expected else None), text
        # the same value up to the last bit (lingua normalises the single language apart)
        assert found.french_confidence == pytest.approx(detector.compute_language_confidence(text, Language.FRENCH))
        ties += expected is None and bool(detector.compute_language_confidence_values(text))
    assert ties  # the tie rule was exercised


@pytest.mark.parametrize("cleaning_first", [True, False])
def test_the_first_refusal_in_file_order_wins_with_the_work_in_parallel(
    repo: Path, tmp_path: Path, cleaning_first: bool
) -> None:
    """Each file's own work runs over worker processes, its checks in order: the refusal raised is the
    first file's, whichever check (duplicate bytes, checked before cleaning; cleaning that empties) it is."""
    folder = tmp_path / "two"
    folder.mkdir()
    duplicate = next((ROOT / "corpus/raw").glob("000_*.txt")).read_bytes()
    emptied = b"Accueil\n"
    first, second = (emptied, duplicate) if cleaning_first else (duplicate, emptied)
    (folder / "a.txt").write_bytes(first)
    (folder / "b.txt").write_bytes(second)
    for i, article in enumerate(FRENCH):  # good files after them, prepared while the first are checked
        shutil.copyfile(article, folder / f"c{i}.txt")
    with pytest.raises(CoopnumError) as refused:
        intake.add_articles(repo, [folder])
    assert refused.value.file == str((folder / "a.txt").resolve())
    if cleaning_first:
        assert "removed every line" in str(refused.value)
    else:
        assert isinstance(refused.value, intake.DuplicateError)


# A masthead tagline three articles of one site share, placed right under the date line: cleaned on
# its own an article takes it for text near its title; with the corpus's recurring lines (what the
# build uses) it is furniture. The record `add` writes must be the build's reading.
TAGLINE = "Le Courrier des Deux Rives, toute l'actualité numérique du Sud"


def _with_tagline(folder: Path, after_line: int) -> list[Path]:
    folder.mkdir()
    out = []
    for article in FRENCH:
        text = re.sub(r"^Publié dans .+? le ", "Publié le ", article.read_text(encoding="utf-8"), flags=re.M)
        lines = text.splitlines(keepends=True)
        lines.insert(after_line, TAGLINE + "\n")
        (folder / article.name).write_text("".join(lines), encoding="utf-8")
        out.append(folder / article.name)
    return out


def _as_the_build_reads(repo: Path) -> dict[str, tuple[str | None, str | None, str]]:
    listed = list_corpus(repo / "corpus")
    evidence = recurring.of_corpus(repo / "corpus", listed)
    out = {}
    for s in listed:
        clean = clean_source_file(repo / "corpus", s, evidence)
        out[s.doc_id] = (clean.outlet, clean.date, clean.text)
    return out


@pytest.mark.parametrize("after_line", [1, 3, 5])
def test_records_are_what_the_build_reads_once_the_added_lines_recur(
    repo: Path, tmp_path: Path, after_line: int
) -> None:
    files = _with_tagline(tmp_path / "added", after_line)
    url = "https://www.deux-rives.example/article"
    addition = intake.add(repo, files, intake.Options(url=url))
    read = _as_the_build_reads(repo)
    assert len(addition.added) == len(files) >= recurring.OUTLET_MIN_DOCUMENTS
    for s in addition.added:
        outlet, date, text = read[s.doc_id]
        assert TAGLINE not in text  # the build removes it by recurrence
        # the build refuses a record that disagrees with what the cleaner reads (pipeline.clean_source)
        assert outlet in (None, s.outlet) and date in (None, s.date), (after_line, s)
    assert addition.recleaned == []  # no existing document shares the line


def test_an_addition_that_makes_existing_lines_recur_names_the_documents_it_changes(repo: Path, tmp_path: Path) -> None:
    files = _with_tagline(tmp_path / "added", 5)
    url = "https://www.deux-rives.example/article"
    first = intake.add(repo, files[:-1], intake.Options(url=url))  # two documents of the site: no recurrence yet
    assert first.recleaned == []
    before = {
        s.doc_id: t
        for s, (_, _, t) in zip(first.added, [_as_the_build_reads(repo)[s.doc_id] for s in first.added], strict=True)
    }
    assert all(TAGLINE in t for t in before.values())
    last = intake.add(repo, files[-1:], intake.Options(url=url))  # the third: the tagline now recurs
    assert sorted(last.recleaned) == sorted(before)
    after = _as_the_build_reads(repo)
    assert all(TAGLINE not in after[d][2] for d in before)
