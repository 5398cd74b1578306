"""The one way coopnum replaces a folder it owns: write beside it, then swap it in."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with two renames; on failure the old folder comes back."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=".dataset.old-", dir=target.parent))
        os.rmdir(old)
        os.rename(target, old)
    try:
        os.rename(new, target)
    except BaseException:
        if old is not None:
            os.rename(old, target)
        raise
    if old is not None:
        shutil.rmtree(old)
