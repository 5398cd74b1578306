"""What a build read and wrote: ``manifest.json``, and :func:`check`, which says what is stale.

``manifest.json`` records the hash of every input (corpus, annotations, code, library versions,
the baseline results the card shows) and output, so :func:`check` can say what changed since.
"""

from __future__ import annotations

import hashlib
import heapq
import importlib.metadata
import json
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pyarrow as pa

import coopnum
from coopnum import schema
from coopnum.dataset.cache import StatCache
from coopnum.dataset.release import release_version
from coopnum.dataset.stats import BaselineResults
from coopnum.errors import BuildError
from coopnum.util import jsonio, swap
from coopnum.util.digests import FileTable, Identity, RegularFiles
from coopnum.util.hashing import sha256_file

MANIFEST = "manifest.json"
DATASHEET = "DATASHEET.md"  # at the repository root, beside dataset/
BASELINE_RESULTS = Path("benchmarks") / "baselines.json"  # written by `coopnum baselines`, shown by the card
LEGACY_DATASHEET_TMP = f".{DATASHEET}.tmp"  # what builds before the companion swap left on a failure


@dataclass(frozen=True)
class Paths:
    root: Path

    @property
    def corpus(self) -> Path:
        return self.root / "corpus"

    @property
    def annotations(self) -> Path:
        return self.root / "annotations"

    @property
    def dataset(self) -> Path:
        return self.root / "dataset"

    @property
    def datasheet(self) -> Path:
        return self.root / "DATASHEET.md"


@dataclass
class Listing:
    """What a walk saw besides the files it lists: every folder it entered, and every entry it left out
    (``odd``: a FIFO, a linked folder, a dangling link, anything named ``__pycache__``, an entry or a
    folder that cannot be read; a folder that does not exist is not one), by path."""

    folders: list[str] = field(default_factory=list)
    odd: list[str] = field(default_factory=list)


def _folder_entries(directory: str, seen: Listing | None = None) -> tuple[list[str], list[str]]:
    """The names of the folders (a linked folder is not one: it is not entered) and of the files (a link
    to a file counts) in one folder, nothing named ``__pycache__``; an entry or a folder that cannot be
    read is left out (the inputs' check reports what the build cannot read). ``seen`` gets the rest."""
    folders: list[str] = []
    files: list[str] = []
    try:
        with os.scandir(directory) as entries:
            for e in entries:
                try:
                    if e.name == "__pycache__":
                        if seen is not None:
                            seen.odd.append(e.path)
                    elif e.is_dir() and not e.is_symlink():
                        folders.append(e.name)
                        if seen is not None:
                            seen.folders.append(e.path)
                    elif e.is_file():
                        files.append(e.name)
                    elif seen is not None:
                        seen.odd.append(e.path)
                except OSError:
                    if seen is not None:
                        seen.odd.append(e.path)
    except FileNotFoundError:
        pass
    except OSError:
        if seen is not None:
            seen.odd.append(directory)
    return folders, files


def _relative_files(folder: Path) -> list[str]:
    """The files under ``folder`` (a link to a file counts; a linked folder is not entered), as POSIX
    paths relative to it, in the order of their :class:`Path` (component by component): one ``scandir``
    per folder instead of a ``stat`` per file, and strings, not paths, to sort (making and comparing a
    ``Path`` per file was most of listing the inputs, twice a build)."""
    found: list[str] = []
    todo = [(str(folder), "")]
    while todo:
        directory, prefix = todo.pop()
        folders, files = _folder_entries(directory)
        todo.extend((os.path.join(directory, name), f"{prefix}{name}/") for name in folders)
        found.extend(prefix + name for name in files)
    if "__pycache__" in folder.parts:
        return []
    return sorted(found, key=lambda rel: rel.split("/"))


def files_under(folder: Path) -> Iterable[Path]:
    """Every file under ``folder`` (a link to a file counts; a linked folder is not entered), sorted:
    what ``sorted(folder.rglob("*"))`` filtered by ``is_file()`` gives (none inside ``__pycache__``)."""
    return [folder / rel for rel in _relative_files(folder)]


def input_files(paths: Paths) -> dict[str, Path]:
    """What the build reads, by path relative to the root (code under ``code/``), in path order: the
    listing :class:`InputSnapshot` walks (:func:`_input_walk`), so validation's keys and the build's agree."""
    return {rel: Path(path) for rel, path in _input_walk(paths)}


def input_hashes(paths: Paths, stat_cache: StatCache | None = None) -> dict[str, str]:
    """The sha256 of every input, by path relative to the root (code under ``code/``)."""
    return InputSnapshot.take(paths, stat_cache).hashes


def regular_input_hashes(paths: Paths, stat_cache: StatCache | None = None) -> dict[str, str]:
    """The sha256 of every input that is a readable regular file (the cache keys of validation,
    which must report a FIFO or an unreadable file as a finding, not block on it or raise)."""
    out = {}
    for rel, p in input_files(paths).items():
        try:
            st = os.lstat(p)
            if stat.S_ISREG(st.st_mode):
                out[rel] = stat_cache.sha256(p, st) if stat_cache is not None else sha256_file(p)
        except OSError:
            continue
    if stat_cache is not None:
        stat_cache.save()
    return out


def _sorted_files(directory: str, prefix: str, seen: Listing | None = None) -> Iterator[tuple[str, str]]:
    """(``prefix`` + relative path, file path) of every file under ``directory`` (a link to a file
    counts; a linked folder is not entered; nothing named ``__pycache__``), in the order of the
    relative paths as strings, one folder at a time: a folder's entries are sorted with a ``/`` after
    each folder's name, which puts a folder's files exactly where the paths' string order does. Only
    one folder's names are held at once (``corpus/raw`` is the largest), never a ``Path`` per file.
    ``seen``: as :func:`_folder_entries`."""
    folders, files = _folder_entries(directory, seen)
    names = sorted([name + "/" for name in folders] + files)
    for name in names:
        if name.endswith("/"):
            yield from _sorted_files(os.path.join(directory, name[:-1]), prefix + name, seen)
        else:
            yield prefix + name, os.path.join(directory, name)


def _input_walk(paths: Paths, seen: Listing | None = None) -> Iterator[tuple[str, str]]:
    """Every input, as (relative path, file path), in the relative paths' order, streamed (the build walks
    it twice: :class:`InputSnapshot`): corpus/ and annotations/, the baseline results the card shows, and
    the code and the templates of the generated documents (``.py`` and ``.md`` under ``code/coopnum/``).
    ``seen`` (:func:`_folder_entries`): the folders of corpus/ and annotations/ and what else they hold."""
    groups: list[Iterator[tuple[str, str]]] = []
    for name, folder in (("corpus", paths.corpus), ("annotations", paths.annotations)):
        if "__pycache__" not in folder.parts:
            groups.append(_sorted_files(str(folder), f"{name}/", seen))
    results = paths.root / BASELINE_RESULTS
    if results.is_file():  # the card shows them
        groups.append(iter([(BASELINE_RESULTS.as_posix(), str(results))]))
    package = Path(coopnum.__file__).parent
    code = _sorted_files(str(package), "code/coopnum/")
    groups.append((rel, p) for rel, p in code if PurePosixPath(rel).suffix in (".py", ".md"))
    return heapq.merge(*groups, key=lambda entry: entry[0])


def _file_state(path: str, stat_cache: StatCache | None) -> tuple[str, Identity, bool]:
    """A file's sha256, identity (inode, size, mtime, ctime) and whether it is a regular file."""
    st = os.lstat(path)
    regular = stat.S_ISREG(st.st_mode)
    if not regular:
        st = os.stat(path)  # a link: its target's identity, as before
    digest = stat_cache.sha256(path, st) if stat_cache is not None else sha256_file(Path(path))
    return digest, (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns), regular


@dataclass(frozen=True)
class InputSnapshot:
    """Every input's sha256 and identity (inode, size, mtime, ctime), taken before the build reads
    any, in a compact :class:`~coopnum.util.digests.FileTable` (≈ 110 bytes a file, held for the
    whole build)."""

    table: FileTable

    @property
    def hashes(self) -> dict[str, str]:
        """The sha256 of every input by path, as a new dict (the manifest's ``inputs``, which
        :func:`json.dumps` writes only from a dict); :attr:`digests` reads the table itself."""
        return dict(self.table.items())

    @property
    def digests(self) -> FileTable:
        return self.table

    @property
    def regular(self) -> RegularFiles:
        """The inputs that are regular files, not links (path -> sha256; ``in`` asks whether one is)."""
        return self.table.regular()

    @classmethod
    def take(cls, paths: Paths, stat_cache: StatCache | None = None, seen: Listing | None = None) -> InputSnapshot:
        """With a ``stat_cache`` (:class:`coopnum.dataset.cache.StatCache`), a file whose identity
        and times are those recorded is not read again: its sha256 is the recorded one. ``seen``: as
        :func:`_input_walk`."""
        table = FileTable()
        for rel, path in _input_walk(paths, seen):
            table.add(rel, *_file_state(path, stat_cache))
        if stat_cache is not None:
            stat_cache.save()
        return cls(table)

    def changed(self, paths: Paths, stat_cache: StatCache | None = None) -> list[str]:
        """The inputs added, removed or written since the snapshot, in path order.

        Why this proves the manifest holds the hashes of the bytes the build read: every read of an
        input happens between this snapshot (taken first) and this check (before the swap). A file
        whose sha256 is the same at both ends and whose inode and ctime did not change was not
        written in between: any write, truncation or chmod sets the ctime, which no program can set
        back, and a file replaced by a rename has another inode. So each file read held the hashed
        bytes the whole time, and an edit made and undone during the build is caught too. (The one
        gap: ctime has the kernel's clock tick, a few ms; a same-size edit undone within one tick
        right after the snapshot's stat escapes the stat test, though never the hash one; with a
        ``stat_cache`` too, since it never serves a file written less than a second before.)

        The inputs are walked again in the snapshot's order and compared with it file by file, so no
        second snapshot is held."""
        table, out, i = self.table, [], 0
        for rel, path in _input_walk(paths):
            while i < len(table) and table.path(i) < rel:
                out.append(table.path(i))  # removed
                i += 1
            digest, identity, _ = _file_state(path, stat_cache)
            if i < len(table) and table.path(i) == rel:
                if table.digest(i) != digest or table.identity(i) != identity:
                    out.append(rel)
                i += 1
            else:
                out.append(rel)  # added
        out += [table.path(j) for j in range(i, len(table))]
        if stat_cache is not None:
            stat_cache.save()
        return out


def tree_table(folder: Path, stat_cache: StatCache | None = None, seen: Listing | None = None) -> FileTable:
    """Every file under ``folder`` (as :func:`files_under` lists them, by relative path), with its sha256,
    identity and whether it is a regular file; ``seen``: as :func:`_folder_entries`."""
    table = FileTable()
    for rel, path in _sorted_files(str(folder), "", seen):
        table.add(rel, *_file_state(path, stat_cache))
    return table


def write_manifest(path: Path, manifest: Mapping[str, object]) -> None:
    """Write ``manifest`` as ``json.dumps(manifest, indent=2, sort_keys=True) + "\\n"`` would, with
    a :class:`~coopnum.util.digests.FileTable` value (``inputs``: two lines per document) streamed
    line by line instead of made into a dict and one string first."""
    keys = sorted(manifest)
    with path.open("w", encoding="utf-8") as f:
        f.write("{\n" if keys else "{}")
        for n, key in enumerate(keys):
            value = manifest[key]
            f.write(f"  {json.dumps(key)}: ")
            if isinstance(value, FileTable) and len(value):
                f.write("{\n")
                rows = value.items()
                for m, (k, v) in enumerate(rows):
                    f.write(f"    {json.dumps(k)}: {json.dumps(v)}{',' if m < len(value) - 1 else ''}\n")
                f.write("  }")
            else:  # JSON strings hold no raw newline: every newline is a line break to indent
                f.write(
                    json.dumps(
                        dict(value) if isinstance(value, FileTable) else value, indent=2, sort_keys=True
                    ).replace("\n", "\n  ")
                )
            f.write(",\n" if n < len(keys) - 1 else "\n}")
        f.write("\n")


@dataclass(frozen=True)
class BuildOwner:
    """``dataset/`` is the build's own when its ``manifest.json`` lists every file in it (no marker
    file: everything in ``dataset/`` is published)."""

    command: str = "coopnum build"

    def written(self, folder: Path) -> set[str] | None:
        try:
            outputs = jsonio.read_json(folder / MANIFEST, BuildError, "manifest")["outputs"]
            return {str(k) for k in outputs} | {MANIFEST}
        except (BuildError, OSError, KeyError, TypeError):
            return None


def recover(root: Path) -> list[str]:
    """Finish or undo an interrupted swap of ``dataset/`` (and its ``DATASHEET.md``) and remove the
    temporary folders builds left; one line per thing done. Call it holding the checkout lock."""
    done = swap.recover(Paths(root).dataset)
    legacy = root / LEGACY_DATASHEET_TMP
    if legacy.is_file():
        legacy.unlink()
        done.append(f"removed {LEGACY_DATASHEET_TMP} (left by an interrupted build)")
    return done


def leftovers(root: Path) -> list[str]:
    """What an interrupted build left (what :func:`recover` would clean up), one line each."""
    found = swap.leftovers(Paths(root).dataset)
    if (root / LEGACY_DATASHEET_TMP).is_file():
        found.append(f"{LEGACY_DATASHEET_TMP}: left by an interrupted build")
    return found


def library_versions() -> dict[str, str]:
    # Parquet bytes depend on datasets, huggingface_hub and pyarrow (footer, page index); the ner
    # tokens and sentences on spaCy's French rules: all part of the inputs. A library not imported
    # yet is asked for its installed distribution's version (the same string) instead of being
    # imported: importing spaCy and matplotlib only to read it was a second of every rebuild.
    # coopnum's own code is hashed file by file and its release is pyproject.toml's version; the
    # installed distribution's version is not an input (an editable install keeps the version it had
    # when installed, so `coopnum release` would leave a build that looks stale after a reinstall).
    return {
        "datasets": _version("datasets"),
        "huggingface_hub": _version("huggingface_hub"),
        "matplotlib": _version("matplotlib"),  # the plots' SVG bytes
        "mlcroissant": _version("mlcroissant"),  # croissant.json's bytes (cached by the build since #17)
        "pyarrow": pa.__version__,
        "schema": schema.SCHEMA_VERSION,
        "spacy": _version("spacy"),
    }


def _version(module: str) -> str:
    loaded = getattr(sys.modules.get(module), "__version__", None)  # mlcroissant has none: its distribution's
    return str(loaded) if loaded is not None else importlib.metadata.version(module)


def parquet_sha256(dataset: Path, known: Mapping[str, str] | None = None) -> dict[str, str]:
    """The sha256 of every Parquet file under ``dataset/data``, by path relative to ``dataset``, in
    path order: read once by a build, for the data hash, Croissant and the manifest alike; ``known``: those
    the caller has already (a shard copied from the cache, by its entry's checksum), not read again."""
    known = known or {}
    return {
        rel: known.get(rel) or sha256_file(p)
        for p in sorted((dataset / "data").rglob("*.parquet"))
        for rel in [p.relative_to(dataset).as_posix()]
    }


def data_sha256(dataset: Path, file_sha256: Mapping[str, str] | None = None) -> str:
    """One hash over the Parquet files the scores were computed on (the card is not data);
    ``file_sha256``: their :func:`parquet_sha256`, when the caller has it already."""
    hashes = parquet_sha256(dataset) if file_sha256 is None else file_sha256
    h = hashlib.sha256()
    for rel in sorted(hashes, key=PurePosixPath):  # the order of the sorted paths, as ever
        h.update(rel.encode() + b"\0" + bytes.fromhex(hashes[rel]))
    return h.hexdigest()


def load_baselines(root: Path, data_sha256: str) -> BaselineResults | None:
    """``benchmarks/baselines.json``, and whether it was computed on this build's data."""
    path = root / BASELINE_RESULTS
    if not path.is_file():
        return None
    obj = jsonio.read_json(path, BuildError, "baseline results")
    try:
        return BaselineResults(obj["baselines"], obj["data_sha256"] == data_sha256)
    except (KeyError, TypeError) as e:
        raise BuildError(f"unreadable baseline results: {e}", file=str(path)) from None


def check(root: Path, stat_cache: StatCache | None = None, inputs: InputSnapshot | None = None) -> list[str]:
    """What is stale in ``root/dataset``: one line per changed input or output, or per temporary
    folder an interrupted build left (``coopnum build --check`` recovers those first); empty when current.
    ``inputs``: the inputs' snapshot, when the caller has just taken it (else taken here)."""
    paths = Paths(root)
    interrupted = [f"interrupted write: {line}" for line in leftovers(root)]
    manifest_path = paths.dataset / MANIFEST
    if not manifest_path.is_file():
        return [*interrupted, f"{manifest_path} is missing: run `coopnum build`"]
    try:
        manifest = jsonio.read_json(manifest_path, BuildError, "manifest")
        recorded_inputs, recorded_versions, recorded_outputs = (
            manifest["inputs"],
            manifest["versions"],
            manifest["outputs"],
        )
    except (BuildError, KeyError, TypeError) as e:
        return [*interrupted, f"{manifest_path} is unreadable ({e}): run `coopnum build`"]
    problems = interrupted
    if inputs is not None:
        current = inputs.hashes
    else:
        current = input_hashes(paths, stat_cache) if stat_cache is not None else input_hashes(paths)
    for path in sorted(set(current) | set(recorded_inputs)):
        if path not in recorded_inputs:
            problems.append(f"input added since the build: {path}")
        elif path not in current:
            problems.append(f"input removed since the build: {path}")
        elif current[path] != recorded_inputs[path]:
            problems.append(f"input changed since the build: {path}")
    if manifest.get("release") != (release := release_version(root)):
        problems.append(f"release version is {release}, the build was of {manifest.get('release')}")
    for name, version in library_versions().items():
        if recorded_versions.get(name) != version:
            problems.append(f"{name} version is {version}, the build used {recorded_versions.get(name)}")
    for name, digest in manifest.get("repo_outputs", {}).items():
        path = root / name
        if not path.is_file():
            problems.append(f"output missing: {name}")
        elif sha256_file(path) != digest:
            problems.append(f"output edited since the build: {name}")
    on_disk = {p.relative_to(paths.dataset).as_posix() for p in files_under(paths.dataset)} - {MANIFEST}
    on_disk = {p for p in on_disk if not p.startswith(f"{swap.PENDING}/")}  # named above
    for path in sorted(on_disk | set(recorded_outputs)):
        if path not in recorded_outputs:
            problems.append(f"output not written by the build: dataset/{path}")
        elif path not in on_disk:
            problems.append(f"output missing: dataset/{path}")
        elif sha256_file(paths.dataset / path) != recorded_outputs[path]:
            problems.append(f"output edited since the build: dataset/{path}")
    return problems
