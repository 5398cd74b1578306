"""The annotations-only (stand-off) release: every config's rows without a character of the articles.

The article texts are third-party copyright (:data:`coopnum.dataset.settings.TEXTS`); the annotations
are CC BY 4.0. Following CleanCoNLL, the stand-off release holds, for every config and split, the rows
of the full release with every text field taken out (:data:`TEXT_FIELDS`), and for every document its
raw file name, the sha256 of the raw scrape and of the clean text, and the recipe that turns the one
into the other (the coopnum version and a hash of its code). Offsets, labels, paragraph spans, stances,
topics, folds, the offset map and the cleaning audit stay. ``coopnum rehydrate``
(:mod:`coopnum.dataset.rehydrate`) puts the texts back from a user's own copy of the scrapes.

The writer proves the round trip before it writes: each stripped row, refilled from the release's own
texts by :func:`fill_row`, must equal the full row, or nothing is written.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features, List, Value

from coopnum import schema
from coopnum.dataset import settings, shards
from coopnum.dataset.manifest import MANIFEST, Paths, input_hashes
from coopnum.dataset.parquet import PARQUET_OPTIONS
from coopnum.errors import BuildError
from coopnum.util import jsonio, swap
from coopnum.util.hashing import sha256_file

FORMAT = "coopnum-standoff/1"
DEFAULT_DIR = Path("build") / "standoff"  # where `coopnum standoff` writes and `coopnum rehydrate` reads
LICENSE_FILE = "LICENSE"
CARD = "README.md"
_TITLE = schema.PARAGRAPH_KINDS.index("title")


@dataclass(frozen=True)
class Texts:
    """What the text fields of one document's rows are made from: its clean text and paragraph spans."""

    text: str
    paragraphs: tuple[tuple[int, int, int], ...]  # (start, end, kind id)

    @classmethod
    def of(cls, text: str, paragraphs: list[dict]) -> Texts:
        return cls(text, tuple((p["start"], p["end"], p["kind"]) for p in paragraphs))

    def title(self) -> str | None:
        """The title is the first paragraph when its kind is ``title`` (the cleaner's rule), else None."""
        if self.paragraphs and self.paragraphs[0][2] == _TITLE:
            start, end, _ = self.paragraphs[0]
            return self.text[start:end]
        return None


Filler = Callable[[dict, Texts], object]


def _whole(_row: dict, t: Texts) -> object:
    return t.text


def _paragraph(row: dict, t: Texts) -> object:
    start, end, _ = t.paragraphs[row["paragraph"]]
    return t.text[start:end]


def _span(row: dict, t: Texts) -> object:
    return t.text[row["start"] : row["end"]]


def _tokens(row: dict, t: Texts) -> object:
    return [t.text[s:e] for s, e in zip(row["token_starts"], row["token_ends"], strict=True)]


# Every field that holds article text, by config: `outer.inner` is a field of each item of a list.
# Each is rebuilt from the clean text and the offsets the row keeps.
TEXT_FIELDS: dict[str, dict[str, Filler]] = {
    "documents": {"title": lambda _r, t: t.title(), "text": _whole, "entities.text": _span},
    "ner": {"tokens": _tokens},
    "stance": {"text": _paragraph},
    "stance_document": {"text": _whole},
    "topic": {"text": _whole},
    "annotator_labels": {"entities.text": _span},
}
# Every other string field, which holds no article text (ids, hashes, metadata, rule names, label codes).
KEPT_STRINGS = frozenset(
    {
        "id",
        "doc_id",
        "raw_file",
        "outlet",
        "date",
        "url",
        "language",
        "rights",
        "text_sha256",
        "raw_sha256",
        "audit.action",
        "audit.rule",
        "target",
        "iptc_codes",
        "annotation_id",
        "annotator",
    }
)


def string_fields(features: Features) -> set[str]:
    """The string fields of a config (``outer.inner`` inside lists of records; a list of strings by its name)."""
    found = set()
    for name, f in features.items():
        inner = f.feature if isinstance(f, List) else f
        if isinstance(inner, dict):
            found |= {f"{name}.{k}" for k, v in inner.items() if isinstance(v, Value) and v.dtype == "string"}
        elif isinstance(inner, Value) and inner.dtype == "string":
            found.add(name)
    return found


def standoff_features(config: str, features: Features) -> Features:
    """The features of a config without its text fields; a string field that is neither text nor
    known metadata is an error, so a new config cannot leak text into the stand-off release."""
    unknown = string_fields(features) - set(TEXT_FIELDS.get(config, {})) - KEPT_STRINGS
    if unknown:
        raise BuildError(
            f"config {config!r} has string fields the stand-off release does not classify: {sorted(unknown)}"
        )
    removed = set(TEXT_FIELDS.get(config, {}))
    out: dict[str, object] = {}
    for name, f in features.items():
        if name in removed:
            continue
        if isinstance(f, List) and isinstance(f.feature, dict):
            f = List({k: v for k, v in f.feature.items() if f"{name}.{k}" not in removed})
        out[name] = f
    return Features(out)


def strip_row(config: str, row: dict) -> dict:
    out = dict(row)
    for path in TEXT_FIELDS[config]:
        outer, _, inner = path.partition(".")
        if inner:
            out[outer] = [{k: v for k, v in item.items() if k != inner} for item in out[outer]]
        else:
            del out[outer]
    return out


def fill_row(config: str, row: dict, texts: Texts) -> dict:
    """A stand-off row with its text fields put back from ``texts`` (pure)."""
    out = dict(row)
    for path, filler in TEXT_FIELDS[config].items():
        outer, _, inner = path.partition(".")
        if inner:
            out[outer] = [{**item, inner: filler(item, texts)} for item in out[outer]]
        else:
            out[outer] = filler(out, texts)
    return out


def row_doc_id(config: str, row: dict) -> str:
    return str(row["id"] if config == "documents" else row["doc_id"])


def code_sha256(hashes: dict[str, str]) -> str:
    """One digest of the package's code, from the ``code/`` entries of a build manifest's inputs."""
    lines = "".join(f"{k} {v}\n" for k, v in sorted(hashes.items()) if k.startswith("code/"))
    return hashlib.sha256(lines.encode()).hexdigest()


def installed_code_sha256() -> str:
    with tempfile.TemporaryDirectory(prefix="coopnum-code-") as empty:  # a root with no corpus: code only
        return code_sha256(input_hashes(Paths(Path(empty))))


@dataclass(frozen=True)
class StandoffOwner:
    """The stand-off folder is the writer's own when its manifest lists every file in it."""

    command: str = "coopnum standoff"

    def written(self, folder: Path) -> set[str] | None:
        try:
            record = jsonio.read_json(folder / MANIFEST, BuildError, "stand-off manifest")
            if record.get("format") != FORMAT:
                return None
            return {str(k) for k in record["files"]} | {MANIFEST}
        except (BuildError, OSError, KeyError, TypeError, AttributeError):
            return None


@dataclass(frozen=True)
class StandoffResult:
    folder: Path
    rows: dict[str, dict[str, int]]
    documents: int


def read_release_manifest(dataset: Path) -> dict:
    manifest = jsonio.read_json(dataset / MANIFEST, BuildError, "manifest")
    for key in ("rows", "outputs", "inputs", "versions"):
        if not isinstance(manifest, dict) or not isinstance(manifest.get(key), dict):
            raise BuildError(f"the manifest has no {key!r}: not a coopnum build", file=str(dataset / MANIFEST))
    return manifest


def _check_release(dataset: Path, manifest: dict) -> dict[str, Features]:
    """The configs of the release with the features its Parquet files declare, each file as its
    manifest hashed it."""
    config_features: dict[str, Features] = {}
    on_disk = shards.listing(dataset)
    for config in manifest["rows"]:
        for split in schema.SPLITS:
            # the manifest's files and the folder's, both ways: a shard missing or added is a difference too
            for rel in sorted(
                set(shards.select(manifest["outputs"], config, split)) | set(shards.select(on_disk, config, split))
            ):
                if manifest["outputs"].get(rel) != (sha256_file(dataset / rel) if (dataset / rel).is_file() else None):
                    raise BuildError("the file differs from the build's manifest: rebuild", file=str(dataset / rel))
        first = shards.config_files(dataset, config)
        if not first:
            raise BuildError("the build has no file of this config", file=str(dataset / shards.DATA / config))
        config_features[config] = Features.from_arrow_schema(pq.read_schema(first[0]))
    if "documents" not in config_features:
        raise BuildError("the build has no documents config", file=str(dataset / MANIFEST))
    return config_features


def _strip_file(path: Path, config: str, texts: dict[str, Texts]) -> list[dict]:
    """The stand-off rows of one Parquet file, each proved to refill to the full row."""
    out = []
    for row in pq.read_table(path).to_pylist():
        stripped = strip_row(config, row)
        doc_id = row_doc_id(config, row)
        if fill_row(config, stripped, texts[doc_id]) != row:
            raise BuildError(
                "a text field of this row is not the slice of the clean text its offsets give: "
                "the stand-off release could not rebuild it",
                file=str(path),
                doc_id=doc_id,
                annotation=str(row["id"]),
            )
        out.append(stripped)
    return out


def _document_record(row: dict, split: str) -> dict[str, object]:
    return {k: row[k] for k in ("raw_file", "raw_sha256", "text_sha256")} | {"doc_id": row["id"], "split": split}


def write_files(dataset: Path, folder: Path) -> StandoffResult:
    """Write the stand-off release of the build in ``dataset`` into the empty ``folder``."""
    manifest = read_release_manifest(dataset)
    config_features = _check_release(dataset, manifest)
    counts: dict[str, dict[str, int]] = {c: {} for c in config_features}
    documents: list[dict[str, object]] = []
    for split in schema.SPLITS:  # one split's texts at a time: splits are by document
        doc_rows = [r for p in shards.files(dataset, "documents", split) for r in pq.read_table(p).to_pylist()]
        texts = {r["id"]: Texts.of(r["text"], r["paragraphs"]) for r in doc_rows}
        documents += [_document_record(r, split) for r in doc_rows]
        for config, features in config_features.items():
            counts[config][split] = 0
            for source in shards.files(dataset, config, split):  # one stand-off file per file, of the same name
                rows = _strip_file(source, config, texts)
                counts[config][split] += len(rows)
                path = folder / source.relative_to(dataset)
                path.parent.mkdir(parents=True, exist_ok=True)
                table = pa.Table.from_pylist(rows, schema=standoff_features(config, features).arrow_schema)
                pq.write_table(table, path, row_group_size=max(1, table.num_rows), **PARQUET_OPTIONS)
    if counts != manifest["rows"]:
        raise BuildError(f"the stand-off release has {counts} rows, the build {manifest['rows']}")
    documents.sort(key=lambda d: str(d["doc_id"]))
    (folder / LICENSE_FILE).write_text(licence_text(), encoding="utf-8")
    card = card_text(list(config_features), counts, len(documents), shards.listing(folder))
    (folder / CARD).write_text(card, encoding="utf-8")
    record = _manifest(manifest, config_features, counts, documents)
    record["files"] = {
        p.relative_to(folder).as_posix(): sha256_file(p) for p in sorted(folder.rglob("*")) if p.is_file()
    }
    (folder / MANIFEST).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return StandoffResult(folder, counts, len(documents))


def _manifest(
    release: dict, config_features: dict[str, Features], counts: dict[str, dict[str, int]], documents: list
) -> dict:
    data = {k: v for k, v in release["outputs"].items() if k.startswith("data/")}
    return {
        "format": FORMAT,
        "licence": settings.ANNOTATIONS.spdx,
        "recipe": {
            "coopnum": release["versions"].get("coopnum"),
            "code_sha256": code_sha256(release["inputs"]),
            "decode": "strict UTF-8 (coopnum.corpus.sources.decode_raw)",
            "clean": "coopnum.corpus.clean.clean_document(raw_text, doc_id)",
            "versions": release["versions"],
        },
        "configs": list(config_features),
        # the full release's, for rehydrate; JSON text, so that sorting the manifest's keys keeps field order
        "features": {c: json.dumps(f.to_dict()) for c, f in config_features.items()},
        "rows": counts,
        "documents": documents,
        "release": {"data_sha256": data},  # the full release's Parquet files, for `coopnum rehydrate` to compare
    }


def write_standoff(dataset: Path, target: Path) -> StandoffResult:
    """Write the stand-off release of ``dataset`` to ``target`` through a temporary folder and a swap:
    ``target`` is replaced only when the whole release is written (and only if it is its own)."""
    tmp = swap.staging(target, StandoffOwner(), reserved=(dataset,))
    try:
        result = write_files(dataset, tmp)
        swap.swap_in(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return StandoffResult(target, result.rows, result.documents)


def read_manifest(folder: Path) -> dict:
    """The manifest of a stand-off release, checked for its format."""
    record = jsonio.read_json(folder / MANIFEST, BuildError, "stand-off manifest")
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise BuildError(f"not a stand-off release ({FORMAT})", file=str(folder / MANIFEST), field="format")
    keys = (
        ("documents", list),
        ("rows", dict),
        ("configs", list),
        ("features", dict),
        ("recipe", dict),
        ("release", dict),
    )
    for key, kind in keys:
        if not isinstance(record.get(key), kind):
            raise BuildError(f"the stand-off manifest has no {key!r}", file=str(folder / MANIFEST), field=key)
    return record


def licence_text() -> str:
    a = settings.ANNOTATIONS
    return (
        f"The coopnum annotations (stand-off release)\n\nCopyright (c) {settings.RELEASE_YEAR} the coopnum authors\n\n"
        f"Licensed under the Creative Commons Attribution 4.0 International licence ({a.name}).\n"
        f"The full legal code: {a.url}legalcode\n\n"
        f"It covers every file of this folder: {a.covers}, with the paragraph spans, offset maps, cleaning\n"
        "audits and hashes. This folder holds no article text; the texts are third-party copyright and\n"
        "under no licence of the project.\n"
    )


def configs_yaml(counts: dict[str, dict[str, int]], paths: Iterable[str] | None = None) -> str:
    """The card's ``configs:`` block, so ``load_dataset(folder, config)`` finds each config's splits
    (a split with no rows has no file); ``paths``: the folder's data files (relative paths), whose names
    say which splits are sharded (None: one file per split)."""
    listed = list(paths) if paths is not None else None
    lines = ["configs:"]
    for config in sorted(counts):
        lines += [f"- config_name: {config}", "  data_files:"]
        for split in (s for s in schema.SPLITS if counts[config].get(s)):
            files = shards.select(listed, config, split) if listed is not None else []
            path = shards.data_files(config, split, files or [shards.shard_path(config, split)])
            lines += [f"  - split: {split}", f"    path: {path}"]
    return "\n".join(lines) + "\n"


def card_text(
    configs: list[str], counts: dict[str, dict[str, int]], documents: int, paths: Iterable[str] | None = None
) -> str:
    table = "\n".join(
        f"| `{c}` | {', '.join(sorted(TEXT_FIELDS.get(c, {})))} | {sum(counts[c].values())} |" for c in configs
    )
    return (
        f"---\nlicense: cc-by-4.0\npretty_name: '{settings.PRETTY_NAME.replace(chr(39), chr(39) * 2)} (annotations only)'\n"
        f"language:\n- fr\n{configs_yaml(counts, paths)}---\n\n"
        f"# {settings.PRETTY_NAME}: annotations only\n\n"
        f"The stand-off release of {documents} documents: every config of the full release ({settings.hub_url()}),"
        " every row, with no article text. The texts are third-party copyright; the annotations are under"
        f" {settings.ANNOTATIONS.name} (`{LICENSE_FILE}`).\n\n"
        "## What it holds\n\n"
        "| config | fields taken out (rebuilt by `coopnum rehydrate`) | rows |\n|---|---|---|\n"
        f"{table}\n\n"
        "Everything else is kept: ids, offsets (half-open code-point offsets into the clean text), labels,"
        " paragraph spans, stances, topics, folds, the offset map to the raw file and the cleaning audit."
        f" `{MANIFEST}` lists each document's raw file, the sha256 of the raw file and of the clean text,"
        " and the recipe (the coopnum version and the sha256 of its code) that cleans the one into the other.\n\n"
        "## Rehydrating\n\n"
        "With your own copy of the scrapes (the files named in `manifest.json`, byte for byte) and coopnum at"
        " the recipe's version:\n\n"
        "```bash\npip install coopnum==<recipe.coopnum>\ncoopnum rehydrate RAW_DIR --standoff THIS_FOLDER --out rehydrated\n```\n\n"
        "Each raw file is checked by its sha256, cleaned, and the clean text checked by its sha256; a missing"
        " or different file stops the command with one line naming it and its document, and writes nothing."
        " The rebuilt Parquet files have the full release's rows; with the library versions of the recipe they"
        " are byte-identical to it (the command says which files are).\n"
    )
