"""New annotators, registered by a pull in ``annotations/annotators.json`` (the provenance file).

The build refuses an annotation whose annotator ``annotations/annotators.json``
does not describe; a pull therefore describes each new pseudonym it writes: its
role (``adjudicator`` for an author of ground truth, otherwise the role asked
for), what kind of annotator it is, and a method to be completed by hand. Only
pseudonyms go there, never an email. Label Studio Community has no groups or
roles to read the role from, so it comes from ``coopnum ls pull --role``.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from coopnum.annotation import provenance
from coopnum.annotation.format import DocumentAnnotations
from coopnum.errors import CoopnumError

DEFAULT_KIND = "person"
PASSES = 2  # independent annotations per task
METHOD = "registered by coopnum ls pull: a pass in Label Studio from annotations/GUIDELINES.md; describe how"


@dataclass(frozen=True)
class Registered:
    id: str
    role: str
    kind: str


def register(annotations_dir: Path, files: Iterable[DocumentAnnotations], role: str, kind: str) -> list[Registered]:
    """Describe the annotators of ``files`` that ``annotations/annotators.json`` does not; returns them.

    Nothing happens when the file does not exist (a scratch folder): it is written by people first.
    """
    if role not in provenance.ROLES:
        raise CoopnumError(f"role {role!r} is not one of {provenance.ROLES}", field="role")
    path = annotations_dir / provenance.FILE
    known = provenance.load(annotations_dir)
    if known is None:
        return []
    gold: dict[str, bool] = {}
    for f in files:
        for a in f.annotations:
            gold[a.annotator] = gold.get(a.annotator, False) or a.ground_truth
    new = [
        Registered(who, "adjudicator" if is_gold else role, kind)
        for who, is_gold in sorted(gold.items())
        if not known.describes(who)
    ]
    if new:
        record = json.loads(path.read_text(encoding="utf-8"))
        record["annotators"] += [{"id": r.id, "role": r.role, "kind": r.kind, "method": METHOD} for r in new]
        _write(path, dumps(record))
    return new


def dumps(record: dict[str, object]) -> str:
    """The file's layout: one key per line, one annotator per line (so a new one is a one-line diff)."""
    lines = []
    for key, value in record.items():
        if key == "annotators" and isinstance(value, list):
            rows = ",\n".join("  " + json.dumps(a, ensure_ascii=False) for a in value)
            lines.append(f' "annotators": [\n{rows}\n ]')
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".annotators-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ------------------------------------------------------------------ who does which pass


def assign(doc_ids: Iterable[str], annotators: Sequence[int]) -> dict[str, tuple[int, ...]]:
    """The two annotators (Label Studio user ids) of each document's passes: never one annotator twice.

    Deterministic and stable as the corpus grows: a document's pair depends on its id and the list
    of annotators only (``k`` annotators: the pair starts at the id's hash modulo ``k`` and takes the
    next one), so adding documents moves no earlier assignment and the passes spread evenly.
    """
    people = list(dict.fromkeys(annotators))
    if len(people) < PASSES:
        raise CoopnumError(
            f"--annotators needs at least {PASSES} different annotators, got {len(people)}", field="annotators"
        )
    pairs = {}
    for doc_id in doc_ids:
        first = int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest(), 16) % len(people)
        pairs[doc_id] = tuple(people[(first + k) % len(people)] for k in range(PASSES))
    return pairs


def user_ids(emails: Sequence[str], accounts: Mapping[int, str]) -> list[int]:
    """The Label Studio user ids of ``emails``; one clear line for an email that has no account."""
    by_email = {e.lower(): uid for uid, e in accounts.items()}
    missing = [e for e in emails if e.lower() not in by_email]
    if missing:
        raise CoopnumError(
            f"no Label Studio account for {', '.join(missing)} (coopnum ls add-annotator first)", field="annotators"
        )
    return [by_email[e.lower()] for e in emails]


def view_title(user_id: int) -> str:
    """The data manager tab that lists one annotator's tasks (an id, not an email: every account sees tabs)."""
    return f"passes of user {user_id}"


def view_data(user_id: int) -> dict[str, object]:
    """The tab's filter: the tasks whose ``data.assigned`` names ``user_id``."""
    item = {"filter": "filter:tasks:data.assigned", "operator": "contains", "type": "String", "value": f"|{user_id}|"}
    return {"title": view_title(user_id), "filters": {"conjunction": "and", "items": [item]}}
