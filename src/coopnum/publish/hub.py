"""Publish ``dataset/`` to a Hugging Face hub repository, and check what arrived.

The folder that the tests load is the artifact: it is uploaded as it is, in one
commit, and only the files whose bytes differ from the hub's. A stale or
invalid build is refused. After the commit the published files are downloaded
again into an empty folder and loaded config by config; their rows and features
must equal the local build's.

The token comes from the ``HF_TOKEN`` environment variable only, and no message
of this module ever contains it (nor the user-info of ``HF_ENDPOINT``, which
selects another hub: tests use a stand-in on 127.0.0.1). Every failure of the hub
or of the way to it (refused connection, an answer that is not HTTP, not JSON or
an HTTP error) is one :class:`PublishError` line, after the hub client's own
retries, whose log lines are redacted too (:mod:`coopnum.util.secrets`).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from coopnum.dataset import standoff
from coopnum.dataset.build import MANIFEST, Paths, check
from coopnum.dataset.release import TAG_PREFIX, release_version
from coopnum.errors import CoopnumError
from coopnum.util import secrets
from coopnum.util.hashing import git_blob_sha1, sha256_file

KEEP_REMOTE = frozenset({".gitattributes"})  # the hub's own file; never deleted


class PublishError(CoopnumError):
    """The build cannot be published, or the hub refused or lost it."""


@dataclass(frozen=True)
class LocalFile:
    path: str
    sha256: str
    git_oid: str


@dataclass(frozen=True)
class RemoteFile:
    path: str
    git_oid: str | None
    lfs_sha256: str | None

    def same_as(self, local: LocalFile) -> bool:
        return local.sha256 == self.lfs_sha256 or local.git_oid == self.git_oid


@dataclass(frozen=True)
class Plan:
    add: tuple[str, ...]
    update: tuple[str, ...]
    delete: tuple[str, ...]
    unchanged: tuple[str, ...]

    @property
    def changes(self) -> int:
        return len(self.add) + len(self.update) + len(self.delete)


def plan(local: dict[str, LocalFile], remote: dict[str, RemoteFile]) -> Plan:
    """What one commit must do to make the remote tree equal the local one (pure)."""
    return Plan(
        add=tuple(sorted(p for p in local if p not in remote)),
        update=tuple(sorted(p for p in local if p in remote and not remote[p].same_as(local[p]))),
        delete=tuple(sorted(p for p in remote if p not in local and p not in KEEP_REMOTE)),
        unchanged=tuple(sorted(p for p in local if p in remote and remote[p].same_as(local[p]))),
    )


def local_files(dataset: Path) -> dict[str, LocalFile]:
    out = {}
    for p in sorted(dataset.rglob("*")):
        if p.is_file():
            data = p.read_bytes()
            rel = p.relative_to(dataset).as_posix()
            out[rel] = LocalFile(rel, hashlib.sha256(data).hexdigest(), git_blob_sha1(data))
    return out


@dataclass
class Result:
    repo_id: str
    plan: Plan
    commit: str | None = None
    verified: dict[str, dict[str, int]] = field(default_factory=dict)  # config -> split -> rows reloaded
    tag: str | None = None  # the hub tag of this release, when asked for (``tag=True``)


def _hub_error(e: Exception, what: str, endpoint: str | None) -> PublishError:
    status = getattr(getattr(e, "response", None), "status_code", None)
    if isinstance(status, int) and status >= 400:
        return PublishError(f"the hub refused to {what} (HTTP {status}: {type(e).__name__})")
    where = secrets.redact_url(endpoint or "the public hub")
    return PublishError(secrets.redact(f"cannot {what}: the hub at {where} failed ({secrets.one_line(e, 200)})"))


@contextmanager
def _talking_to_hub(what: str, endpoint: str | None) -> Iterator[None]:
    """Whatever goes wrong between here and the hub (the network, HTTP, JSON, an answer the client
    cannot parse) as one line; our own errors pass as they are."""
    try:
        yield
    except CoopnumError:
        raise
    except Exception as e:  # the hub client raises httpx, OSError, ValueError, KeyError… subclasses alike
        raise _hub_error(e, what, endpoint) from None


def _remote_files(api: object, repo_id: str) -> dict[str, RemoteFile]:
    from huggingface_hub.errors import RepositoryNotFoundError

    try:
        entries = api.list_repo_tree(repo_id, repo_type="dataset", recursive=True)  # type: ignore[attr-defined]
        files = {}
        for e in entries:
            if getattr(e, "blob_id", None) is None and not hasattr(e, "lfs"):
                continue  # a folder
            lfs = getattr(e, "lfs", None)
            files[e.path] = RemoteFile(e.path, getattr(e, "blob_id", None), lfs.sha256 if lfs else None)
        return files
    except RepositoryNotFoundError:
        return {}


def validate_local(root: Path) -> dict[str, dict[str, int]]:
    """Refuse a stale build, and one whose folder does not load into its manifest's rows."""
    problems = check(root)
    if problems:
        raise PublishError("the build is stale, run `coopnum build` first: " + "; ".join(problems[:5]))
    dataset = Paths(root).dataset
    manifest = json.loads((dataset / MANIFEST).read_text(encoding="utf-8"))
    loaded = load_counts(dataset)
    if loaded != manifest["rows"]:
        raise PublishError(f"dataset/ loads as {loaded} rows but its manifest says {manifest['rows']}")
    return loaded


def load_counts(folder: Path) -> dict[str, dict[str, int]]:
    """Rows per config and split, loading ``folder`` with ``datasets`` in a fresh cache."""
    from datasets import disable_progress_bars, get_dataset_config_names, load_dataset

    disable_progress_bars()
    counts: dict[str, dict[str, int]] = {}
    with tempfile.TemporaryDirectory(prefix="coopnum-load-") as cache:
        for config in sorted(get_dataset_config_names(str(folder))):
            ds = load_dataset(str(folder), config, cache_dir=cache)
            counts[config] = {split: ds[split].num_rows for split in ds}
    return counts


def _read_back(
    repo_id: str, revision: str, local: dict[str, LocalFile], endpoint: str | None, token: str
) -> dict[str, dict[str, int]]:
    """Download what the hub now serves at ``revision`` into an empty folder, check every file's
    bytes, and load it: rows per config and split."""
    from huggingface_hub import hf_hub_download

    with tempfile.TemporaryDirectory(prefix="coopnum-published-") as tmp:
        for path, f in local.items():
            with _talking_to_hub(f"serve {path} back", endpoint):
                got = Path(
                    hf_hub_download(
                        repo_id,
                        path,
                        repo_type="dataset",
                        revision=revision,
                        endpoint=endpoint,
                        token=token,
                        cache_dir=os.path.join(tmp, ".cache"),
                        local_dir=os.path.join(tmp, "repo"),
                    )
                )
            if sha256_file(got) != f.sha256:
                raise PublishError(f"the hub serves {path} with other bytes than were uploaded", file=path)
        return load_counts(Path(tmp) / "repo")


def release_tag(root: Path) -> str:
    """The tag of the build's release on the hub and in git: ``v`` + the release version."""
    return TAG_PREFIX + release_version(root)


def _tag_revision(api: object, repo_id: str, tag: str, revision: str) -> None:
    """Tag ``revision`` as ``tag`` on the hub; a tag already there must name that commit (a
    release is never moved)."""
    refs = api.list_repo_refs(repo_id, repo_type="dataset")  # type: ignore[attr-defined]
    existing = {t.name: t.target_commit for t in refs.tags}
    if tag in existing:
        if existing[tag] != revision:
            raise PublishError(
                f"the hub tag {tag} names commit {existing[tag][:12]}, not this build's {revision[:12]}: "
                "a released version is never moved; release a new version",
                field="tag",
            )
        return
    api.create_tag(repo_id, tag=tag, revision=revision, repo_type="dataset", tag_message=f"coopnum {tag}")  # type: ignore[attr-defined]


def publish(
    root: Path,
    repo_id: str,
    *,
    token: str | None,
    endpoint: str | None,
    dry_run: bool = False,
    annotations_only: bool = False,
    tag: bool = False,
) -> Result:
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi
    from huggingface_hub.utils import disable_progress_bars

    if "/" not in repo_id or repo_id.count("/") != 1:
        raise PublishError(f"repo id {repo_id!r} is not ORG/NAME", field="repo_id")
    expected = validate_local(root)
    dataset = Paths(root).dataset
    if annotations_only:  # the stand-off release (no text, same rows), written from dataset/ to build/standoff/
        dataset = standoff.write_standoff(dataset, root / standoff.DEFAULT_DIR).folder
    local = local_files(dataset)
    if not token:
        raise PublishError("HF_TOKEN is not set: export a hub token with write access to publish")
    secrets.register(token)
    secrets.install_log_redaction()  # the hub client logs each retry with its URL
    disable_progress_bars()
    api = HfApi(endpoint=endpoint, token=token)
    with _talking_to_hub(f"list {repo_id}", endpoint):
        remote = _remote_files(api, repo_id)
    result = Result(repo_id, plan(local, remote), tag=release_tag(root) if tag else None)
    if dry_run or (result.plan.changes == 0 and result.tag is None):
        return result
    if result.plan.changes == 0:  # already published: only the tag is new
        with _talking_to_hub(f"read {repo_id}", endpoint):
            head = api.repo_info(repo_id, repo_type="dataset").sha
        return _tagged(api, result, str(head), local, expected, endpoint, token)
    operations: list[CommitOperationAdd | CommitOperationDelete] = [
        *(
            CommitOperationAdd(path_in_repo=p, path_or_fileobj=str(dataset / p))
            for p in (*result.plan.add, *result.plan.update)
        ),
        *(CommitOperationDelete(path_in_repo=p) for p in result.plan.delete),
    ]
    manifest_sha = sha256_file(dataset / MANIFEST)[:12]
    with _talking_to_hub(f"commit to {repo_id}", endpoint):
        api.create_repo(repo_id, repo_type="dataset", exist_ok=True)
        info = api.create_commit(
            repo_id,
            operations=operations,
            commit_message=f"coopnum build {manifest_sha}",
            commit_description=f"{len(result.plan.add)} added, {len(result.plan.update)} updated, "
            f"{len(result.plan.delete)} deleted; manifest sha256 {manifest_sha}…",
            repo_type="dataset",
        )
    result.commit = info.oid
    result.verified = _read_back(repo_id, info.oid, local, endpoint, token)
    if result.verified != expected:
        raise PublishError(f"the published dataset loads as {result.verified}, the build has {expected}")
    return _tagged(api, result, info.oid, local, expected, endpoint, token) if result.tag else result


def _tagged(
    api: object,
    result: Result,
    revision: str,
    local: dict[str, LocalFile],
    expected: dict[str, dict[str, int]],
    endpoint: str | None,
    token: str,
) -> Result:
    """Tag ``revision`` with the release tag, then read the release back by its tag."""
    assert result.tag is not None
    with _talking_to_hub(f"tag {result.repo_id}", endpoint):
        _tag_revision(api, result.repo_id, result.tag, revision)
    result.verified = _read_back(result.repo_id, result.tag, local, endpoint, token)
    if result.verified != expected:
        raise PublishError(f"the hub's {result.tag} loads as {result.verified}, the build has {expected}")
    return result
