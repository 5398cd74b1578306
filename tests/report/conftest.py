"""The site the report tests read: written once per session from the repository's committed
``dataset/`` and ``annotations/``, with a findings file that points at real places in it.

Expectations are read from the Parquet files with pyarrow here, not through
``coopnum.report.data``, so the tests do not check the report's reading with itself.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from coopnum.quality.findings import finding, report_json
from coopnum.report.site import ReportResult, write_report

from ..conftest import REPO

PAGE_SIZE = 2  # small, so that the five-document corpus spans several index pages


@dataclass(frozen=True)
class Expected:
    """What the committed dataset says a document page must show."""

    id: str
    gold_entities: list[tuple[int, int]]
    removed_lines: int
    text: str
    paragraphs: list[tuple[int, int]]


def expected_documents(root: Path = REPO) -> list[Expected]:
    out = []
    for path in sorted((root / "dataset" / "data" / "documents").glob("*.parquet")):
        for row in pq.read_table(path, columns=["id", "entities", "audit", "text", "paragraphs"]).to_pylist():
            out.append(
                Expected(
                    row["id"],
                    sorted((e["start"], e["end"]) for e in row["entities"]),
                    sum(a["action"] == "removed" for a in row["audit"]),
                    row["text"],
                    [(p["start"], p["end"]) for p in row["paragraphs"]],
                )
            )
    return out


def free_word(doc: Expected) -> tuple[int, int]:
    """A word of the text that no gold entity touches (an occurrence a finding may call unlabelled)."""
    for m in re.finditer(r"\w{4,}", doc.text):
        if not any(s < m.end() and m.start() < e for s, e in doc.gold_entities):
            return m.start(), m.end()
    raise AssertionError(f"{doc.id}: every word is in an entity")


@dataclass(frozen=True)
class Planted:
    """The findings written into the test's validation report, and where each must link."""

    document: str
    entity: tuple[int, int]  # a gold span a span finding names
    flagged: tuple[int, int]  # a range no entity covers
    path: Path


def plant_findings(directory: Path) -> Planted:
    """A `coopnum validate --report` file (the real writer) naming a gold span, an unlabelled
    range and a paragraph of the first document, and one finding about no document."""
    doc = min(expected_documents(), key=lambda d: d.id)
    s, e = doc.gold_entities[0]
    a, b = free_word(doc)
    found = [
        finding(
            "span_determiner", f"[{s}, {e}) X {doc.text[s:e]!r}: starts with a determiner", doc.id, "ls-1", "start"
        ),
        finding("unlabelled_occurrence", f"{doc.text[a:b]!r} at [{a}, {b}) is unlabelled", doc.id, "ls-1", "entities"),
        finding("adjudication_reason", "paragraph_stance 0 (a: FAVOR, b: NONE) has no recorded reason", doc.id),
        finding("agreement", "entity F1 a vs b is 0.50 < 0.85"),
    ]
    path = directory / "validation.json"
    path.write_text(report_json(found), encoding="utf-8")
    return Planted(doc.id, (s, e), (a, b), path)


@dataclass(frozen=True)
class Site:
    out: Path
    result: ReportResult
    planted: Planted


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    scratch = tmp_path_factory.mktemp("report")
    planted = plant_findings(scratch)
    out = scratch / "site"
    result = write_report(REPO, out, planted.path, page_size=PAGE_SIZE, processes=2)
    return Site(out, result, planted)


def pages(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html"))


def load(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def audit_rules(root: Path = REPO) -> dict[str, list[str | None]]:
    """Each document's rules of its removed lines, in line order."""
    out = {}
    for path in sorted((root / "dataset" / "data" / "documents").glob("*.parquet")):
        for row in pq.read_table(path, columns=["id", "audit"]).to_pylist():
            out[row["id"]] = [a["rule"] for a in row["audit"] if a["action"] == "removed"]
    return out


def adjudication_records(root: Path = REPO) -> list[dict]:
    lines = (root / "annotations" / "adjudication.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]
