"""The annotations-only (stand-off) release and `coopnum rehydrate`, end to end on the committed dataset/.

Stand-off from dataset/ → rehydrate from corpus/raw → the same rows as dataset/ (and, with the pinned
library versions this checkout installs, the same bytes); a changed byte or a missing raw file stops
with one line naming the file and the document, and writes nothing. A corpus whose documents share
an outlet's furniture line (removed only by the corpus's recurring-line evidence) rehydrates too.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from datasets import Features, Value

from coopnum.corpus import intake, recurring
from coopnum.corpus.clean import clean_document
from coopnum.dataset import registry, standoff
from coopnum.dataset.build import build
from coopnum.dataset.rehydrate import rehydrate
from coopnum.errors import BuildError, CorpusError
from coopnum.util import lock

from ..conftest import FIXTURES, REPO, first_doc_id

DATASET = REPO / "dataset"


def release_files() -> list[str]:
    manifest = json.loads((DATASET / "manifest.json").read_text(encoding="utf-8"))
    return sorted(p for p in manifest["outputs"] if p.startswith("data/"))


@pytest.fixture(scope="module")
def standoff_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("standoff") / "standoff"
    standoff.write_standoff(DATASET, folder)
    return folder


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def test_every_string_field_of_every_config_is_text_or_known_metadata() -> None:
    for name, config in registry.CONFIGS.items():
        for features in {id(f): f for f in (config.features, config.features_for(False))}.values():
            kept = standoff.string_fields(standoff.standoff_features(name, features))
            assert not kept & set(standoff.TEXT_FIELDS[name]), name
            assert kept <= standoff.KEPT_STRINGS, name
    leaky = Features({**registry.CONFIGS["topic"].features, "summary": Value("string")})
    with pytest.raises(BuildError, match="summary"):
        standoff.standoff_features("topic", leaky)


def test_standoff_holds_every_annotation_and_no_text(standoff_dir: Path) -> None:
    manifest = standoff.read_manifest(standoff_dir)
    paragraphs: list[str] = []
    for rel in release_files():
        config = rel.split("/")[1]
        full = pq.read_table(DATASET / rel).to_pylist()
        stripped = pq.read_table(standoff_dir / rel).to_pylist()
        assert len(stripped) == len(full) == manifest["rows"][config][rel.split("/")[2].removesuffix(".parquet")]
        assert stripped == [standoff.strip_row(config, r) for r in full], rel  # every label, offset, span
        if config == "documents":
            paragraphs += [r["text"][p["start"] : p["end"]] for r in full for p in r["paragraphs"]]
    for key in ("entities",):  # counts in = counts out, layer by layer
        full = sum(
            len(r[key])
            for rel in release_files()
            if "/documents/" in rel
            for r in pq.read_table(DATASET / rel).to_pylist()
        )
        kept = sum(
            len(r[key])
            for rel in release_files()
            if "/documents/" in rel
            for r in pq.read_table(standoff_dir / rel).to_pylist()
        )
        assert kept == full > 0
    long_paragraphs = [p for p in paragraphs if len(p) >= 30]
    assert long_paragraphs
    found = [s for rel in release_files() for s in strings(pq.read_table(standoff_dir / rel).to_pylist())]
    assert not [p for p in long_paragraphs if any(p in s for s in found)]
    assert {d["doc_id"] for d in manifest["documents"]} == {
        r["id"] for rel in release_files() if "/documents/" in rel for r in pq.read_table(DATASET / rel).to_pylist()
    }
    assert "Creative Commons Attribution 4.0" in (standoff_dir / "LICENSE").read_text(encoding="utf-8")
    assert "coopnum rehydrate" in (standoff_dir / "README.md").read_text(encoding="utf-8")


def test_rehydrate_gives_the_release_rows_and_bytes(standoff_dir: Path, tmp_path: Path) -> None:
    result = rehydrate(REPO / "corpus" / "raw", standoff_dir, tmp_path / "out")
    for rel in release_files():
        assert pq.read_table(tmp_path / "out" / rel).to_pylist() == pq.read_table(DATASET / rel).to_pylist(), rel
    # byte-identical with the pinned pyarrow/datasets this checkout installs
    assert result.different_bytes == () and list(result.byte_identical) == release_files()
    for rel in release_files():
        assert (tmp_path / "out" / rel).read_bytes() == (DATASET / rel).read_bytes(), rel


@pytest.mark.parametrize("damage", ["changed byte", "missing file"])
def test_rehydrate_refuses_a_different_or_missing_scrape(standoff_dir: Path, tmp_path: Path, damage: str) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(REPO / "corpus" / "raw", raw)
    doc_id = first_doc_id()
    (path,) = raw.glob(f"*_{doc_id}.txt")
    if damage == "changed byte":
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(data))
    else:
        path.unlink()
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(CorpusError) as e:
        rehydrate(raw, standoff_dir, out)
    line = str(e.value)
    assert "\n" not in line and f"file={path}" in line and f"document={doc_id}" in line
    assert list(out.iterdir()) == []  # nothing half-written
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]  # no temporary folder left


def test_standoff_refuses_a_release_file_its_manifest_does_not_hash(tmp_path: Path) -> None:
    copy = tmp_path / "dataset"
    shutil.copytree(DATASET, copy)
    victim = copy / release_files()[0]
    victim.write_bytes(victim.read_bytes() + b"\0")
    with pytest.raises(BuildError, match="differs from the build's manifest"):
        standoff.write_standoff(copy, tmp_path / "standoff")
    assert not (tmp_path / "standoff").exists()


# A line that three articles of one outlet hold (its masthead's tagline): page furniture that only the
# corpus's recurring-line evidence removes (checked below), written between body paragraphs (placed
# higher, a lone cleaning takes it for the title: tests/corpus/test_intake.py checks `add`'s records there).
FURNITURE = "Le Courrier des Deux Rives, toute l'actualité numérique du Sud"
FURNITURE_AFTER_LINE = 5


@pytest.mark.slow  # a full build of a copy of the repository with three articles added
def test_rehydrate_cleans_with_the_recurring_lines_of_the_release(project: Path, tmp_path: Path) -> None:
    added = tmp_path / "added"
    added.mkdir()
    groups = set()
    for article in sorted((FIXTURES / "growth" / "french").glob("*.txt")):
        # the outlet is the URL's host: a byline naming another outlet would make the article its own group
        text = re.sub(r"^Publié dans .+? le ", "Publié le ", article.read_text(encoding="utf-8"), flags=re.M)
        lines = text.splitlines(keepends=True)
        lines.insert(FURNITURE_AFTER_LINE, FURNITURE + "\n")
        (added / article.name).write_text("".join(lines), encoding="utf-8")
        url = f"https://www.deux-rives.example/{article.stem}"
        (source,) = intake.add_articles(project, [added / article.name], intake.Options(url=url))
        groups.add(recurring.outlet_of(source))
    assert groups == {"host:deux-rives.example"}
    with lock.checkout_lock(project, "build"):
        build(project, processes=1)
    dataset = project / "dataset"
    rows = [r for p in sorted((dataset / "data" / "documents").glob("*.parquet")) for r in pq.read_table(p).to_pylist()]
    ours = [r for r in rows if r["url"] and "deux-rives.example" in r["url"]]
    assert len(ours) == 3
    for row in ours:  # the line matters: the build removed it by recurrence, a lone cleaning keeps it
        assert FURNITURE not in row["text"]
        assert [a["rule"] for a in row["audit"]].count(recurring.RULE) == 1
        raw = (project / row["raw_file"]).read_text(encoding="utf-8")
        assert FURNITURE in clean_document(raw, row["id"]).text
    folder = tmp_path / "standoff"
    standoff.write_standoff(dataset, folder)
    result = rehydrate(project / "corpus" / "raw", folder, tmp_path / "out")
    written = sorted(p.relative_to(dataset).as_posix() for p in (dataset / "data").rglob("*.parquet"))
    assert result.different_bytes == () and list(result.byte_identical) == written
    for rel in written:
        assert (tmp_path / "out" / rel).read_bytes() == (dataset / rel).read_bytes(), rel
