"""``coopnum export``: the built dataset in the formats NLP tools read, each with its reader for the round trip.

* ``conll``: the ``ner`` config as CoNLL-2003 files, ``<split>.conll``: a ``-DOCSTART- -X- -X- O``
  line before each document, one ``token _ _ TAG`` line per token (the POS and chunk columns are
  empty: the dataset has none), IOB2 tags (CoNLL-4 by default, or the five fine types), a blank
  line after each sentence.
* ``spacy``: the ``ner`` config as spaCy ``DocBin`` files, ``<split>.spacy``: one ``Doc`` per
  document, its sentences as sentence starts, its entities from the IOB2 tags, the row ids in
  ``doc.user_data["rows"]`` and the document id in ``doc.user_data["doc_id"]``.
* ``jsonl``: every config (or the ones asked for) as JSON Lines, ``<config>/<split>.jsonl``, one row
  a line with ClassLabel ids written as their label names.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from coopnum import schema
from coopnum.benchmark.evaluate import load_splits
from coopnum.errors import CoopnumError
from coopnum.util.progress import Progress, silent, track

FORMATS = ("conll", "spacy", "jsonl")
TAG_COLUMNS = {"conll4": "ner_tags", "fine": "fine_ner_tags"}  # --tags -> the ner column
DOCSTART = "-DOCSTART- -X- -X- O"


class ExportError(CoopnumError):
    """The dataset cannot be written in the asked format as it is."""


def _tagged_rows(ds: Any, tags: str) -> Iterator[dict[str, Any]]:
    """The ``ner`` rows of one split, with the chosen tag column as names."""
    column = TAG_COLUMNS[tags]
    names = ds.features[column].feature.names
    for r in ds:
        yield {**r, "tags": [names[t] for t in r[column]]}


def _by_document(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Consecutive rows of one document (rows are written document by document)."""
    current: list[dict[str, Any]] = []
    for r in rows:
        if current and r["doc_id"] != current[0]["doc_id"]:
            yield current
            current = []
        current.append(r)
    if current:
        yield current


# ------------------------------------------------------------------ CoNLL-2003


def write_conll(ds: Any, path: Path, tags: str) -> None:
    lines: list[str] = []
    for doc in _by_document(_tagged_rows(ds, tags)):
        lines += [DOCSTART, ""]
        for r in doc:
            for token, tag in zip(r["tokens"], r["tags"], strict=True):
                if not token or any(c.isspace() for c in token):
                    raise ExportError(f"token {token!r} holds whitespace: a CoNLL line cannot", doc_id=r["id"])
                lines.append(f"{token} _ _ {tag}")
            lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_conll(path: Path) -> list[list[tuple[list[str], list[str]]]]:
    """Documents, each a list of sentences ``(tokens, tags)``, from a CoNLL-2003 file."""
    docs: list[list[tuple[list[str], list[str]]]] = []
    tokens: list[str] = []
    tags: list[str] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("-DOCSTART-"):
            docs.append([])
        elif not line.strip():
            if tokens:
                docs[-1].append((tokens, tags))
            tokens, tags = [], []
        else:
            columns = line.split(" ")
            tokens.append(columns[0])
            tags.append(columns[-1])
    return docs


# ------------------------------------------------------------------ spaCy DocBin


def write_spacy(ds: Any, path: Path, tags: str) -> None:
    import spacy
    from spacy.tokens import Doc, DocBin

    vocab = spacy.blank("fr").vocab  # a tokenizer-free vocabulary: the tokens are the dataset's
    bin_ = DocBin(store_user_data=True)
    for rows in _by_document(_tagged_rows(ds, tags)):
        words = [t for r in rows for t in r["tokens"]]
        starts = [s for r in rows for s in r["token_starts"]]
        ends = [e for r in rows for e in r["token_ends"]]
        spaces = [end < start for end, start in zip(ends, starts[1:], strict=False)] + [False]
        sent_starts: list[bool | int | None] = [i == 0 for r in rows for i in range(len(r["tokens"]))]
        doc = Doc(vocab, words=words, spaces=spaces, sent_starts=sent_starts, ents=[t for r in rows for t in r["tags"]])
        doc.user_data["doc_id"] = rows[0]["doc_id"]
        doc.user_data["rows"] = [r["id"] for r in rows]
        bin_.add(doc)
    bin_.to_disk(path)


def read_spacy(path: Path) -> list[tuple[str, list[str], list[tuple[list[str], list[str]]]]]:
    """Documents ``(doc_id, row ids, sentences (tokens, IOB2 tags))`` from a DocBin file."""
    import spacy
    from spacy.tokens import DocBin

    vocab = spacy.blank("fr").vocab
    out = []
    for doc in DocBin().from_disk(path).get_docs(vocab):
        sentences = [
            ([t.text for t in s], [f"{t.ent_iob_}-{t.ent_type_}" if t.ent_iob_ != "O" else "O" for t in s])
            for s in doc.sents
        ]
        out.append((doc.user_data["doc_id"], list(doc.user_data["rows"]), sentences))
    return out


# ------------------------------------------------------------------ JSON Lines


def named(value: Any, feature: Any) -> Any:
    """A row value with every ClassLabel id replaced by its label name (lists and structs walked)."""
    from datasets import ClassLabel, LargeList, List

    if value is None:
        return None
    if isinstance(feature, ClassLabel):
        return feature.int2str(value)
    if isinstance(feature, List | LargeList):
        return [named(v, feature.feature) for v in value]
    if isinstance(feature, dict):
        return {k: named(value[k], f) for k, f in feature.items()}
    return value


def write_jsonl(ds: Any, path: Path) -> None:
    feats = ds.features
    with path.open("w", encoding="utf-8") as f:
        for r in ds:
            f.write(json.dumps({k: named(v, feats[k]) for k, v in r.items()}, ensure_ascii=False) + "\n")


# ------------------------------------------------------------------ the command


def export(
    dataset: Path,
    fmt: str,
    out: Path,
    *,
    splits: Sequence[str] = schema.SPLITS,
    tags: str = "conll4",
    configs: Sequence[str] | None = None,
    progress: Progress = silent,
) -> list[Path]:
    """Write ``splits`` of the dataset in ``fmt`` under ``out``; the paths written, in order."""
    from datasets import get_dataset_config_names

    if fmt not in FORMATS:
        raise ExportError(f"format {fmt!r} is not one of {FORMATS}", field="format")
    if tags not in TAG_COLUMNS:
        raise ExportError(f"tags {tags!r} is not one of {tuple(TAG_COLUMNS)}", field="tags")
    unknown = [s for s in splits if s not in schema.SPLITS]
    if unknown:
        raise ExportError(f"split {unknown[0]!r} is not one of {schema.SPLITS}", field="split")
    if not (dataset / "README.md").is_file():
        raise ExportError(f"{dataset} is not a built dataset folder (no README.md card)", file=str(dataset))
    chosen = ["ner"] if fmt != "jsonl" else list(configs or get_dataset_config_names(str(dataset)))
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="coopnum-export-") as cache:
        for config in track(chosen, progress, "configs"):
            by_split = load_splits(dataset, config, splits, cache)
            folder = out / config if fmt == "jsonl" else out
            folder.mkdir(parents=True, exist_ok=True)
            for split, ds in by_split.items():
                path = folder / f"{split}.{fmt}"
                if fmt == "conll":
                    write_conll(ds, path, tags)
                elif fmt == "spacy":
                    write_spacy(ds, path, tags)
                else:
                    write_jsonl(ds, path)
                written.append(path)
    return written
