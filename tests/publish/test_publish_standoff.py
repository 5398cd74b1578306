"""`coopnum publish --annotations-only`: the stand-off release goes to the hub instead of dataset/."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from coopnum.dataset import standoff

from .test_publish import REPO_ID, published, run  # noqa: F401  (published is a fixture)


@pytest.mark.slow  # a build and a publish round trip in a new process
def test_publish_annotations_only_uploads_the_standoff_release(published) -> None:  # noqa: F811
    root, stub, token = published
    done = run(root, stub, token, "--annotations-only")
    assert done.returncode == 0, done.stderr
    files = stub.hub.repos[REPO_ID].files
    folder = root / standoff.DEFAULT_DIR
    local = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert files == local and "LICENSE" in files and "manifest.json" in files
    for path, data in files.items():
        if path.endswith(".parquet"):
            config = path.split("/")[1]
            names = set(pq.read_schema(pa.BufferReader(data)).names)
            assert not names & set(standoff.TEXT_FIELDS[config]), path  # no text field went up
    assert "reloaded from the hub: annotator_labels" in done.stdout.replace("\n", " ")
