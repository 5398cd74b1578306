"""The last look before a build is swapped in: no email address and no token-like string in what it wrote.

The annotator checks (:mod:`coopnum.quality.checks`) keep people out of the
annotations; this scan makes the card's promise ("no email, name or account of
an annotator is in the dataset") true by construction, whatever the path by
which one got in (an article's text, a provenance summary, a template): every
text file is read line by line and every string of every Parquet file (nested
lists and structs too) is searched. Token-like means a credential with a
recognisable shape (hub, GitHub, cloud and chat tokens, JWTs, an ``Authorization``
value, a URL with a password) or any secret this process was given
(:mod:`coopnum.util.secrets`) in any form. A plain hex string is not one: the
manifest and the Croissant file are full of hashes.

Findings never repeat what they found (it is what must not be shown): an email
is shown as its first character and its domain, a token by its kind only.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from coopnum.errors import CheckFailed
from coopnum.quality.findings import Finding, finding
from coopnum.util import secrets

CHECK = "personal_data"
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
TOKEN_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a Hugging Face token", re.compile(r"\bhf_[A-Za-z0-9]{30,}")),
    ("a GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_\w{30,})")),
    ("an API key", re.compile(r"\bsk-[A-Za-z0-9_\-]{20,}")),
    ("an AWS access key", re.compile(r"\bAKIA[0-9A-Z]{16}\b")),
    ("a Slack token", re.compile(r"\bxox[abprs]-[A-Za-z0-9\-]{10,}")),
    ("a JSON web token", re.compile(r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.")),
    ("an Authorization value", re.compile(r"\b(?:Token|Bearer|Basic)\s+(?=\S*\d)[A-Za-z0-9._~+/=\-]{16,}")),
    ("a URL with a password", re.compile(r"\b[A-Za-z][A-Za-z0-9+.\-]*://[^/\s:@]+:[^/\s@]+@")),
)
# What any match above contains, in RE2 syntax (pyarrow's): Parquet strings without it are skipped.
_PREFILTER = r"@|hf_|gh[pousr]_|github_pat_|sk-|AKIA|xox|eyJ|Token|Bearer|Basic"
TEXT_SUFFIXES = (".md", ".json", ".jsonl", ".txt", ".csv", ".yaml", ".yml", ".html")
BATCH_ROWS = 4096


def _masked_email(email: str) -> str:
    return f"{email[0]}…@{email.rsplit('@', 1)[1]}"


def problems(text: str) -> list[str]:
    """What of ``text`` must not be published, described without repeating it."""
    found = [f"an email address ({_masked_email(m[0])})" for m in EMAIL.finditer(text)]
    found += [kind for kind, pattern in TOKEN_SHAPES if pattern.search(text)]
    known = {f for s in secrets.known_secrets() for f in secrets.forms(s)}
    if any(f in text for f in known):
        found.append("a secret this process was given (a token or password from the environment)")
    return list(dict.fromkeys(found))


def _finding(file: Path, where: str, problem: str, doc_id: str | None = None) -> Finding:
    message = f"{where}: {problem}; the dataset must hold no email address or credential"
    return dataclasses.replace(finding(CHECK, message, doc_id, None, None), file=str(file))


def _text_findings(path: Path) -> list[Finding]:
    out = []
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, 1):
            out += [_finding(path, f"line {number}", p) for p in problems(line)]
    return out


def _string_leaves(array: pa.Array) -> Iterator[pa.Array]:
    """Every string array inside ``array`` (through lists, structs and dictionaries)."""
    kind = array.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        yield array
    elif pa.types.is_dictionary(kind):
        yield from _string_leaves(array.dictionary)
    elif pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_fixed_size_list(kind):
        yield from _string_leaves(array.flatten())
    elif pa.types.is_struct(kind):
        for i in range(kind.num_fields):
            yield from _string_leaves(array.field(i))


def _may_hold(array: pa.Array, prefilter: str) -> bool:
    return any(
        bool(pc.any(pc.match_substring_regex(leaf, prefilter)).as_py()) for leaf in _string_leaves(array) if len(leaf)
    )


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def _parquet_findings(path: Path) -> list[Finding]:
    known = sorted({f for s in secrets.known_secrets() for f in secrets.forms(s)})
    prefilter = "|".join([_PREFILTER, *(re.escape(f) for f in known)])
    out = []
    first_row = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH_ROWS):
        ids = batch.column("doc_id").to_pylist() if "doc_id" in batch.schema.names else None
        for name, column in zip(batch.schema.names, batch.columns, strict=True):
            if not _may_hold(column, prefilter):
                continue  # the usual case: the slow search below only for a column that may hold one
            for i, value in enumerate(column.to_pylist()):
                for p in dict.fromkeys(p for s in _strings(value) for p in problems(s)):
                    doc_id = ids[i] if ids else None
                    out.append(_finding(path, f"row {first_row + i}, column {name}", p, doc_id))
        first_row += batch.num_rows
    return out


def scan(folder: Path, extra_files: Sequence[Path] = ()) -> list[Finding]:
    """Every email address and token-like string in the files under ``folder`` and ``extra_files``."""
    out = []
    for path in [*sorted(p for p in folder.rglob("*") if p.is_file()), *extra_files]:
        if path.suffix == ".parquet":
            out += _parquet_findings(path)
        elif path.suffix in TEXT_SUFFIXES:
            out += _text_findings(path)
    return out


def refuse_personal_data(folder: Path, extra_files: Sequence[Path] = (), *, shown_as: Path | None = None) -> None:
    """Raise :class:`CheckFailed` on the first finding of :func:`scan`, naming the file as it will be
    called once swapped in (``shown_as`` for ``folder``)."""
    found = scan(folder, extra_files)
    if not found:
        return
    f = found[0]
    file = f.file or str(folder)
    if shown_as is not None and Path(file).is_relative_to(folder):
        file = str(shown_as / Path(file).relative_to(folder))
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    raise CheckFailed(CHECK, f.message + more, file=file, doc_id=f.document)
