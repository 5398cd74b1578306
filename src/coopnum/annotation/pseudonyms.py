"""Pseudonymous annotator ids: ``annotator-<12 random hex digits>``, one per Label Studio account.

The ids are random, not derived from the email (a hash of an email can be
reversed by trying addresses), so the only link between an id and a person is
the mapping file. It lives outside the repository's tracked files: by default
``.labelstudio/annotators.json`` (git-ignored), or the path in
``COOPNUM_LS_ANNOTATOR_MAP``. Lose it and new pulls give new ids; keep it
private, it names people.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import tempfile
from pathlib import Path

from coopnum.errors import CoopnumError
from coopnum.util import jsonio

PSEUDONYM = re.compile(r"annotator-[0-9a-f]{12}")
# A Label Studio account made by `ls restore` for a pseudonym whose email is unknown.
RESTORED_DOMAIN = "restored.coopnum.invalid"


class AnnotatorMap:
    """email ↔ pseudonym, loaded from and saved to one JSON file."""

    def __init__(self, path: Path, by_email: dict[str, str] | None = None) -> None:
        self.path = path
        self.by_email: dict[str, str] = dict(by_email or {})
        self.changed = False

    @classmethod
    def load(cls, path: Path) -> AnnotatorMap:
        if not path.exists():
            return cls(path)
        record = jsonio.read_json(path, CoopnumError, "annotator map")
        try:
            by_email = record["annotators"]
            if not all(isinstance(k, str) and PSEUDONYM.fullmatch(v) for k, v in by_email.items()):
                raise ValueError("an entry is not email → annotator-<12 hex digits>")
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
            raise CoopnumError(f"annotator map is unreadable: {e}", file=str(path)) from None
        return cls(path, by_email)

    def pseudonym(self, email: str) -> str:
        """The pseudonym of ``email``, made up (randomly) on first sight."""
        m = re.fullmatch(rf"(annotator-[0-9a-f]{{12}})@{re.escape(RESTORED_DOMAIN)}", email)
        if m:
            return m.group(1)
        if email not in self.by_email:
            taken = set(self.by_email.values())
            new = f"annotator-{secrets.token_hex(6)}"
            while new in taken:
                new = f"annotator-{secrets.token_hex(6)}"
            self.by_email[email] = new
            self.changed = True
        return self.by_email[email]

    def email(self, pseudonym: str) -> str:
        """The account email for ``pseudonym``: the known one, or a placeholder that maps back to it."""
        for email, p in self.by_email.items():
            if p == pseudonym:
                return email
        return f"{pseudonym}@{RESTORED_DOMAIN}"

    def save(self) -> None:
        """Write atomically, readable by the owner only; nothing to do when unchanged."""
        if not self.changed:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".annotators-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump({"annotators": dict(sorted(self.by_email.items()))}, f, indent=1)
                f.write("\n")
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.changed = False
