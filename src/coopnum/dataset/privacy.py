"""No email address and no token-like string in what a build publishes.

The annotator checks (:mod:`coopnum.quality.checks`) keep people out of the
annotations; this scan makes the card's promise ("no email, name or account of
an annotator is in the dataset") true by construction, whatever the path by
which one got in (an article's text, a provenance summary, a template): every
string of every Parquet file (nested lists and structs too) and every line of
every other file is searched. Token-like means a credential with a recognisable
shape (hub, GitHub, cloud and chat tokens, JWTs, an ``Authorization`` value, a
URL with a password: the *shape rules*) or any secret this process was given
(:mod:`coopnum.util.secrets`) in any form. A plain hex string is not one: the
manifest and the Croissant file are full of hashes.

The build searches the Parquet rows where they are made, so that a rebuild searches only
what changed: each document's rows in every config (:func:`table_problems` on the Arrow
table of that document alone, the same strings the config's file gets) by the shape rules,
in the per-document step, whose result is cached with the document; the process's known
secrets, which no cache entry may depend on (an entry would have to hold the secret or its
hash), over every row of every Parquet file, every build (:func:`scan`;
nothing to read when the process knows none), before the swap, with every other file and each
Parquet file's schema and key-value metadata (:func:`refuse_personal_data` with
``row_shapes_searched=True``). :func:`scan` is the whole search of a folder in one go.

Findings never repeat what they found (it is what must not be shown): an email
is shown as its first character and its domain, a token by its kind only.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterable, Iterator, Sequence
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
BATCH_ROWS = 4096


def _masked_email(email: str) -> str:
    return f"{email[0]}…@{email.rsplit('@', 1)[1]}"


KNOWN_SECRET = "a secret this process was given (a token or password from the environment)"


def known_forms() -> tuple[str, ...]:
    """Every form of every secret this process knows (:func:`secrets.forms`), sorted; empty when none."""
    return tuple(sorted({f for s in secrets.known_secrets() for f in secrets.forms(s)}))


def shape_problems(text: str) -> list[str]:
    """What of ``text`` the shape rules refuse (an email, a token of a known shape), without repeating it."""
    found = [f"an email address ({_masked_email(m[0])})" for m in EMAIL.finditer(text)]
    found += [kind for kind, pattern in TOKEN_SHAPES if pattern.search(text)]
    return list(dict.fromkeys(found))


def problems(text: str, known: Sequence[str] | None = None) -> list[str]:
    """What of ``text`` must not be published, described without repeating it (``known``: the
    :func:`known_forms` when the caller has them)."""
    found = shape_problems(text)
    if any(f in text for f in (known_forms() if known is None else known)):
        found.append(KNOWN_SECRET)
    return found


def _finding(file: Path, where: str, problem: str, doc_id: str | None = None, field: str | None = None) -> Finding:
    message = f"{where}: {problem}; the dataset must hold no email address or credential"
    return dataclasses.replace(finding(CHECK, message, doc_id, None, field), file=str(file))


def row_finding(file: Path, doc_id: str, row: int, column: str, problem: str) -> Finding:
    """The finding of ``problem`` in ``column`` of the document's ``row``-th row in Parquet ``file``."""
    return _finding(file, f"row {row} of the document's rows, column {column}", problem, doc_id, column)


def _prefilter(shapes: bool, known: Sequence[str]) -> str:
    """What any string with a problem contains, in RE2 syntax (pyarrow's): strings without it are skipped."""
    return "|".join([*([_PREFILTER] if shapes else []), *(re.escape(f) for f in known)])


def _text_findings(path: Path, known: Sequence[str]) -> list[Finding]:
    text = path.read_text(encoding="utf-8", errors="replace")
    if not re.search(_prefilter(True, known), text):
        return []  # the usual case: no line can hold one
    return [
        _finding(path, f"line {number}", p)
        for number, line in enumerate(io.StringIO(text), 1)  # lines as reading the file gives them
        for p in problems(line, known)
    ]


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


def _leaves(columns: Iterable[pa.Array | pa.ChunkedArray]) -> list[pa.Array]:
    """Every non-empty string array inside ``columns``, concatenated by type (string, large string)."""
    by_type: dict[pa.DataType, list[pa.Array]] = {}
    for column in columns:
        for chunk in column.chunks if isinstance(column, pa.ChunkedArray) else [column]:
            for leaf in _string_leaves(chunk):
                if len(leaf):
                    by_type.setdefault(leaf.type, []).append(leaf)
    return [pa.concat_arrays(leaves) for leaves in by_type.values()]


def _may_hold(columns: Iterable[pa.Array | pa.ChunkedArray], prefilter: str) -> bool:
    """Whether any string inside ``columns`` matches ``prefilter``: one search per string type over them
    all (pyarrow compiles the expression at each call, which costs more than searching a document's strings)."""
    return any(bool(pc.any(pc.match_substring_regex(leaf, prefilter)).as_py()) for leaf in _leaves(columns))


def tables_may_hold(tables: Iterable[pa.Table]) -> bool:
    """Whether :func:`table_problems` (shape rules) can find anything in any of ``tables``: the usual
    answer, no, from one search of all their strings."""
    return _may_hold((c for t in tables for c in t.columns), _PREFILTER)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def table_problems(
    table: pa.Table | pa.RecordBatch, *, shapes: bool = True, known: Sequence[str] = ()
) -> list[tuple[int, str, str]]:
    """(row, column, problem) of every string of ``table`` that the shape rules (``shapes``) or a
    ``known`` secret form refuse, in row order within each column, columns in schema order."""
    if not shapes and not known:
        return []
    prefilter = _prefilter(shapes, known)
    out = []
    for name, column in zip(table.schema.names, table.columns, strict=True):
        if not _may_hold([column], prefilter):
            continue  # the usual case: the slow search below only for a column that may hold one
        for i, value in enumerate(column.to_pylist()):
            texts = list(_strings(value))
            found = [p for s in texts for p in shape_problems(s)] if shapes else []
            if any(f in s for s in texts for f in known):
                found.append(KNOWN_SECRET)
            out += [(i, name, p) for p in dict.fromkeys(found)]
    return out


def _doc_ids(batch: pa.RecordBatch) -> list[str] | None:
    """Each row's document: its ``doc_id`` column, or ``id`` where that is the document's (``documents``)."""
    for name in ("doc_id", "id"):
        if name in batch.schema.names:
            ids: list[str] = batch.column(name).to_pylist()
            return ids
    return None


def _parquet_findings(path: Path, *, shapes: bool, known: Sequence[str]) -> list[Finding]:
    """The findings of :func:`table_problems` in every row group of Parquet file ``path``, each row
    named by its index in the file."""
    out = []
    first_row = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH_ROWS):
        found = table_problems(batch, shapes=shapes, known=known)
        ids = _doc_ids(batch) if found else None
        for i, name, p in found:
            doc_id = ids[i] if ids else None
            out.append(_finding(path, f"row {first_row + i}, column {name}", p, doc_id))
        first_row += batch.num_rows
    return out


def _parquet_metadata_findings(path: Path, known: Sequence[str]) -> list[Finding]:
    """The findings in a Parquet file's footer: its schema's names and its key-value metadata (the
    features ``datasets`` stores there), where no row search looks."""
    arrow_schema = pq.read_schema(path)
    texts = [("schema", arrow_schema.to_string(show_field_metadata=True, show_schema_metadata=False))]
    texts += [
        (
            f"metadata {key.decode('utf-8', 'replace')!r}",
            f"{key.decode('utf-8', 'replace')}\n{value.decode('utf-8', 'replace')}",
        )
        for key, value in sorted((arrow_schema.metadata or {}).items())
    ]
    return [_finding(path, where, p) for where, text in texts for p in problems(text, known)]


def scan(folder: Path, extra_files: Sequence[Path] = (), *, row_shapes_searched: bool = False) -> list[Finding]:
    """Every email address and token-like string in the files under ``folder`` and ``extra_files``:
    every line of every file but the Parquet files, whose schema and key-value metadata are searched,
    and every string of their rows. With ``row_shapes_searched`` (the build applied the shape rules
    to each document's rows where it made them) the rows are searched only for the known secrets:
    nothing to read when this process knows none."""
    known = known_forms()
    out = []
    for path in [*sorted(p for p in folder.rglob("*") if p.is_file()), *extra_files]:
        if path.suffix == ".parquet":
            out += _parquet_metadata_findings(path, known)
            if known or not row_shapes_searched:
                out += _parquet_findings(path, shapes=not row_shapes_searched, known=known)
        else:
            out += _text_findings(path, known)
    return out


def refuse_personal_data(
    folder: Path, extra_files: Sequence[Path] = (), *, shown_as: Path | None = None, row_shapes_searched: bool = False
) -> None:
    """Raise :class:`CheckFailed` on the first finding of :func:`scan`, naming the file as it will be
    called once swapped in (``shown_as`` for ``folder``)."""
    found = scan(folder, extra_files, row_shapes_searched=row_shapes_searched)
    if not found:
        return
    f = found[0]
    file = f.file or str(folder)
    if shown_as is not None and Path(file).is_relative_to(folder):
        file = str(shown_as / Path(file).relative_to(folder))
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    raise CheckFailed(CHECK, f.message + more, file=file, doc_id=f.document, field=f.field)
