"""The language check of `coopnum add`, measured on every French text we have and on non-French ones."""

from __future__ import annotations

from pathlib import Path

from coopnum.corpus.clean import clean_document
from coopnum.corpus.language import detect

ROOT = Path(__file__).resolve().parents[2]
FRENCH = sorted((ROOT / "corpus/raw").glob("*.txt")) + sorted((ROOT / "tests/fixtures/cleaning").glob("*/*.txt"))
FRENCH += sorted((ROOT / "tests/fixtures/growth/french").glob("*.txt"))
NOT_FRENCH = sorted((ROOT / "tests/fixtures/growth/not_french").glob("*.txt"))


def _clean(p: Path) -> str:
    return clean_document(p.read_text(encoding="utf-8"), "0" * 16).text


def test_every_french_text_is_accepted_and_every_other_refused() -> None:
    false_refusals = [p.name for p in FRENCH if not detect(_clean(p)).french]
    false_accepts = [p.name for p in NOT_FRENCH if detect(_clean(p)).french]
    print(
        f"\nlanguage: {len(false_refusals)}/{len(FRENCH)} French refused, {len(false_accepts)}/{len(NOT_FRENCH)} other accepted"
    )
    assert len(FRENCH) > 5 and len(NOT_FRENCH) > 5
    assert false_refusals == [] and false_accepts == []


def test_the_language_found_is_named() -> None:
    assert {detect(_clean(p)).language for p in NOT_FRENCH} >= {"en", "es", "de", "ru"}
