"""A job posting's header (met first in heldout11): under the job's title come the employer, the place and
the contract's terms, then the posting's sections (« Le projet »), none of which ends a sentence. The header
pass would keep only the title there and take the last of those lines for it; a job title is told by the
gender mark French postings close it with (« (H/F) », « (F/H) »), so it is the title, and the lines between
it and the text are the posting's own: its fields (five words or more) and a section heading right above
prose. They are marked as a box (:attr:`Line.box`): out of the header's labels and of the line veto. Short
lines there that no prose follows are buttons (« Postuler maintenant ») and stay labels.
"""

from __future__ import annotations

import re

from coopnum.corpus.features import words
from coopnum.corpus.lines import Line
from coopnum.corpus.wrapping import is_prose_line

_JOB_TITLE = re.compile(r"\s\(?(?:H/F|F/H|F/H/X|H/F/X|h/f|f/h)\)?$")
FIELD_MIN_WORDS = 5


def mark_posting_header(lines: list[Line]) -> None:
    """Mark the fields and section heading between a job title and the posting's first prose line."""
    texts = [(i, ln) for i, ln in enumerate(lines) if ln.open and ln.text]
    first_prose = next((k for k, (_, ln) in enumerate(texts) if is_prose_line(ln)), None)
    if first_prose is None:
        return
    title = next((k for k, (_, ln) in enumerate(texts[:first_prose]) if _JOB_TITLE.search(ln.current)), None)
    if title is None:
        return
    for k in range(title + 1, first_prose):
        ln = texts[k][1]
        if words(ln.current) >= FIELD_MIN_WORDS or k == first_prose - 1:
            ln.box = True
