"""The disk cache of compiled regular expressions: the same program as CPython compiles, and any bad file
only means compiling as usual."""

from __future__ import annotations

import json
import re

import pytest

from coopnum.text import regex_cache

pytestmark = pytest.mark.skipif(not regex_cache.SUPPORTED, reason="CPython 3.11-3.13 only")

PATTERN = r"(?iu)^(?:[a-zà-ÿ]+[-‐][a-zà-ÿ]+|qu['’]\w+|\d+(?:[.,]\d+)?)$"
WORDS = ["Saint-Denis", "qu’il", "QU'ELLE", "3,14", "abc", "a-b-c", "", "Élysée-Ville", "12."]


def _fresh_code(pattern: str, flags: int) -> list[int]:
    compiler, parser = re._compiler, re._parser  # type: ignore[attr-defined]
    return list(compiler._code(parser.parse(pattern, flags), flags))


def test_a_recorded_program_is_cpythons_and_seeding_serves_it(tmp_path, monkeypatch) -> None:
    path = tmp_path / "p.json"
    re.purge()
    with regex_cache.recording() as save:
        compiled = re.compile(PATTERN)
    assert regex_cache.flags_given(compiled) == 0
    assert save(compiled, 0, path)
    assert json.loads(path.read_text())[0]["code"] == _fresh_code(PATTERN, 0)
    re.purge()
    seeded = regex_cache.seed(path)
    assert len(seeded) == 1 and re.compile(PATTERN) is seeded[0]
    fresh = re.compile(PATTERN + "(?:)")  # the same language, compiled anew
    assert [bool(seeded[0].match(w)) for w in WORDS] == [bool(fresh.match(w)) for w in WORDS]
    assert seeded[0].flags == compiled.flags and seeded[0].groups == compiled.groups
    re.purge()


@pytest.mark.parametrize(
    "content",
    [
        "",
        "not json",
        "[{}]",
        '[{"pattern": "a", "flags": 0, "final_flags": 32, '
        '"code": [1, 2, 3], "groups": 0, "groupindex": {}, "indexgroup": [null]}]',
    ],
)
def test_a_bad_file_seeds_nothing(tmp_path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert regex_cache.seed(path) == []
    assert regex_cache.seed(tmp_path / "missing.json") == []


def test_the_cache_folder_follows_the_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("COOPNUM_CACHE_DIR", str(tmp_path))
    assert regex_cache.cache_file("x", "1.0").parent == tmp_path
    assert regex_cache.cache_file("x", "1.0") != regex_cache.cache_file("x", "2.0")  # keyed by versions


@pytest.mark.slow
def test_the_french_tokenizers_cached_program_is_the_one_cpython_compiles() -> None:
    """After a load (which writes the file when it was not there), the file holds the program CPython
    makes for spaCy's French TOKEN_MATCH, and the tokenizer uses that very pattern."""
    import spacy

    from coopnum.text import align

    token_match = align.french().tokenizer.token_match.__self__  # type: ignore[attr-defined]
    entries = json.loads(regex_cache.cache_file("spacy-fr-token-match", spacy.__version__).read_text())
    assert [e["pattern"] for e in entries] == [token_match.pattern]
    assert entries[0]["code"] == _fresh_code(token_match.pattern, entries[0]["flags"])
