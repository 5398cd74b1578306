"""One base error for everything coopnum reports about its inputs.

Each error names where the problem is (file, document, annotation, field) so a
person can find it; the CLI prints ``str(error)`` and exits non-zero.
"""

from __future__ import annotations


class CoopnumError(Exception):
    """Bad input or state, described for a person. Never carries a secret."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        doc_id: str | None = None,
        annotation: str | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.doc_id = doc_id
        self.annotation = annotation
        self.field = field
        super().__init__(str(self))

    def where(self) -> str:
        parts = [
            f"{k}={v}"
            for k, v in (
                ("file", self.file),
                ("document", self.doc_id),
                ("annotation", self.annotation),
                ("field", self.field),
            )
            if v is not None
        ]
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{self.message} [{where}]" if where else self.message


class CorpusError(CoopnumError):
    """A raw file or a sources record is missing, unreadable or inconsistent."""


class CleaningError(CoopnumError):
    """Cleaning cannot produce a document (it would be empty)."""


class BuildError(CoopnumError):
    """The dataset cannot be built or is stale."""


class CheckFailed(BuildError):
    """A named validation check found an error; the build stops on the first one."""

    def __init__(self, check: str, message: str, **where: str | None) -> None:
        self.check = check
        super().__init__(f"{message} ({check})", **where)


class AnnotationError(CoopnumError):
    """An annotation file, record or value is malformed or does not fit its text."""


class AlignmentError(CoopnumError):
    """An entity span does not fit the tokenisation (or tags are not valid IOB2)."""
