"""coopnum: an annotated French news dataset on Russia's international digital cooperation."""


def _version() -> str:
    """The one version literal is ``[project] version`` in ``pyproject.toml``: read it from the
    checkout when the package runs from one (an editable install, whose metadata would lag behind a
    ``coopnum release``), else from the installed metadata (see :mod:`coopnum.dataset.release`)."""
    import importlib.metadata
    import tomllib
    from pathlib import Path

    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        if project.get("name") == "coopnum" and isinstance(project.get("version"), str):
            return str(project["version"])
    except (OSError, ValueError):
        pass
    try:
        return importlib.metadata.version("coopnum")
    except importlib.metadata.PackageNotFoundError:
        return "0.0.0"  # neither a checkout nor installed: no version to state


__version__ = _version()
