"""Titles of cleaning fixture sets: how many the cleaner gets wrong, page by page and with each set's evidence (the
comparison of ``tests/corpus/test_clean.py::test_title_matches_fixture``). For the blind sets' first-contact figures
in ``tests/fixtures/cleaning/README.md``: run it with the cleaner of that moment on the path (``git archive <commit>
src``). Prints figures; asserts nothing.

    PYTHONPATH=src:. .venv/bin/python benchmarks/titles_first_contact.py heldout23 heldout24
"""

from __future__ import annotations

import sys

from tests.corpus.test_clean import load_cases, norm
from tests.corpus.test_clean_evidence import set_evidence, source_of

from coopnum.corpus.clean import clean_document


def main(groups: list[str]) -> None:
    for group in groups:
        cases = load_cases(group)
        evidence = set_evidence(cases)
        alone: list[str] = []
        with_evidence: list[str] = []
        for case in cases:
            want = norm(case.expected["title"]) if case.expected["title"] else None
            if clean_document(case.raw, case.name).title != want:
                alone.append(case.name)
            if clean_document(case.raw, case.name, evidence.view(source_of(case))).title != want:
                with_evidence.append(case.name)
        print(f"{group}: titles wrong {len(alone)}/{len(cases)} page by page: {' '.join(alone) or '-'}")
        print(
            f"{group}: titles wrong {len(with_evidence)}/{len(cases)} with the set's evidence: {' '.join(with_evidence) or '-'}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
