"""Article relatedness (issue #14, a study: prints figures, asserts nothing), a signal that does not depend on a site's wording (tried after heldout13, not adopted): a
kept line that is not prose and shares no content word with the article (its title and prose lines) would be
furniture — a promo, a headline about another subject, a widget's label. :func:`unrelated_lines` finds them; the
cleaner does not call it: measured on every fixture set (the heldout13 section of the fixtures' README), the lines
it finds are mostly the article's own crossheads, list and fact-box items (they share no word with the title),
and, looked for only after the last prose line, the article's short closing sentences. Kept so that the
measurement can be run again on the next sets.

Every fixture group (the folders under ``tests/fixtures/cleaning``) with and without the signal, applied after
the line veto; ``-v`` lists the lines it removes, ``--footer`` looks only after the last prose line::

    .venv/bin/python benchmarks/relatedness.py [-v] [--footer]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coopnum.corpus.lines import Line
from coopnum.corpus.wrapping import is_prose_line

# Words that any French text holds: they tell nothing of the subject.
_STOP_WORDS = """
    dans pour avec sans sous leur leurs mais plus moins très tout tous toute toutes cette sont être avoir fait
    faire comme aussi elle elles nous vous entre depuis après avant selon contre vers chez dont deux trois même
    autre autres notre votre quel quelle quels quelles ainsi encore donc lors alors bien peut doit était sera
    avait ceux celle celui cela ceci part pendant déjà jusqu quand où tant peu
"""
STOP = frozenset(_STOP_WORDS.split())
STEM = 6  # a crude stem (no lemmas): the first letters, so that a plural or a feminine still matches
MIN_REFERENCE = 8  # content words the article must have before a line is judged against it
_WORD = re.compile(r"\w+")


def content_words(text: str) -> set[str]:
    """Lower-cased words of ≥4 letters outside :data:`STOP` (cut to :data:`STEM`), numbers of ≥2 digits, and
    capitalised acronyms of 2–3 letters (a name: « UE », « BTC »)."""
    out = set()
    for w in _WORD.findall(text):
        if w.isdigit():
            if len(w) >= 2:
                out.add(w)
        elif len(w) >= 4 and w.lower() not in STOP and not any(c.isdigit() for c in w):
            out.add(w.lower()[:STEM])
        elif 2 <= len(w) <= 3 and w.isupper() and w.isalpha():
            out.add(w.lower())
    return out


def unrelated_lines(lines: list[Line], title_line: Line | None) -> list[Line]:
    """The open lines, not prose and not the title, that share no content word with the title and the other
    open prose lines (none when the article has fewer than :data:`MIN_REFERENCE` content words)."""
    open_lines = [ln for ln in lines if ln.open and ln.current]
    prose = [ln for ln in open_lines if ln is title_line or is_prose_line(ln)]
    in_prose = {id(ln) for ln in prose}
    reference: set[str] = set()
    for ln in prose:
        reference |= content_words(ln.current)
    if len(reference) < MIN_REFERENCE:
        return []
    return [
        ln
        for ln in open_lines
        if id(ln) not in in_prose and not ln.box and (words := content_words(ln.current)) and not words & reference
    ]


def _score(cases: list, signal: bool, footer: bool) -> tuple[list[int], dict]:
    from tests.corpus.test_clean import line_scores

    from coopnum.corpus import line_model

    veto = line_model.veto_furniture

    def with_signal(lines: list[Line], title_line: Line | None, model: object = None) -> None:
        veto(lines, title_line, model)
        found = unrelated_lines(lines, title_line)
        if footer:
            last = max((i for i, ln in enumerate(lines) if ln.open and is_prose_line(ln)), default=len(lines))
            found = [ln for ln in found if lines.index(ln) > last]
        for ln in found:
            ln.decide("removed", "unrelated")

    line_model.veto_furniture = with_signal if signal else veto  # type: ignore[assignment]
    try:
        counts, per = [0, 0, 0], {}
        for case in cases:
            kept, wanted = line_scores(case)
            per[case.name] = (kept, wanted, case)
            counts = [counts[0] + len(kept & wanted), counts[1] + len(kept - wanted), counts[2] + len(wanted - kept)]
        return counts, per
    finally:
        line_model.veto_furniture = veto  # type: ignore[assignment]


def _pr(c: list[int]) -> str:
    return f"P={c[0] / max(1, c[0] + c[1]):.3f} R={c[0] / max(1, c[0] + c[2]):.3f}"


def main() -> None:
    from tests.corpus.test_clean import CLEANING, load_cases

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", action="store_true", help="list the lines the signal removes")
    parser.add_argument("--footer", action="store_true", help="only lines after the last prose line")
    args = parser.parse_args()
    groups = sorted((p.name for p in CLEANING.iterdir() if p.is_dir()), key=lambda g: (len(g), g))
    totals = {False: [0, 0, 0], True: [0, 0, 0]}
    for group in groups:
        cases = load_cases(group)
        base, with_ = _score(cases, False, args.footer), _score(cases, True, args.footer)
        furniture, article = [], []
        for name, (kept, wanted, case) in base[1].items():
            raw = case.raw.split("\n")
            for n in sorted(kept - with_[1][name][0]):
                (article if n in wanted else furniture).append(f"{name[:14]}:{n} {raw[n - 1].strip()[:70]}")
        for signal, (counts, _) in ((False, base), (True, with_)):
            totals[signal] = [a + b for a, b in zip(totals[signal], counts, strict=True)]
        print(
            f"{group:10} without {_pr(base[0])}  with {_pr(with_[0])}  removed: furniture {len(furniture)},"
            f" article {len(article)}"
        )
        if args.v:
            print("\n".join([f"     +  {x}" for x in furniture] + [f"     -  {x}" for x in article]))
    print(f"{'all':10} without {_pr(totals[False])}  with {_pr(totals[True])}")


if __name__ == "__main__":
    main()
