"""The layering of ``src/coopnum``: stage packages, each importing only from layers below it.

Every import counts, also one inside a function or under ``TYPE_CHECKING``: an import circle
closed by a function-level import is still a circle for a reader.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "coopnum"

# Bottom to top; a module may import from its own layer or any layer below.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("schema", "errors"),
    ("util",),
    ("text",),
    ("corpus",),
    ("annotation",),
    ("quality",),
    ("dataset",),
    ("benchmark",),
    ("publish",),
    ("labelstudio",),
    ("report",),
    ("cli", "__main__"),
)
LAYER_OF = {name: i for i, names in enumerate(LAYERS) for name in names}
FORBIDDEN = {  # spelled out, so that a change of LAYERS cannot quietly allow them
    "quality": {"dataset", "labelstudio", "benchmark", "publish", "cli"},
    "dataset": {"labelstudio", "benchmark", "publish", "cli"},
}
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, path: Path) -> set[str]:
    """The coopnum modules that ``name`` imports (a ``from package import module`` names the module)."""
    out: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "coopnum")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    [*package.split(".")[: len(package.split(".")) - node.level + 1], *filter(None, [base])]
                )
            if base.split(".")[0] != "coopnum":
                continue
            for a in node.names:
                candidate = f"{base}.{a.name}"
                out.add(candidate if candidate in MODULES else base)
    out.discard(name)
    return out


GRAPH = {name: imported(name, path) for name, path in MODULES.items()}


def stage(module: str) -> str | None:
    """The stage package (or bottom module) a module belongs to; None for the package itself."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_every_module_belongs_to_a_layer() -> None:
    assert {stage(m) for m in MODULES} - {None} <= set(LAYER_OF), "add the new package to LAYERS (and CONTRIBUTING)"


def test_imports_go_down_the_layers_only() -> None:
    wrong = []
    for module, targets in GRAPH.items():
        here = stage(module)
        for target in targets:
            there = stage(target)
            if here is None or there is None or here == there:
                continue
            if LAYER_OF[there] > LAYER_OF[here]:
                wrong.append(f"{module} imports {target} (layer {there} is above {here})")
    assert wrong == []


def test_named_rules_hold() -> None:
    wrong = []
    for module, targets in GRAPH.items():
        here = stage(module)
        for target in targets:
            there = stage(target)
            if here == "schema":
                wrong.append(f"schema imports {target}: schema depends on nothing")
            if there in FORBIDDEN.get(here or "", set()):
                wrong.append(f"{module} imports {target}")
            if there == "labelstudio" and here not in ("labelstudio", "cli"):
                wrong.append(f"{module} imports {target}: labelstudio is a leaf only the cli imports")
    assert wrong == []


def test_schema_imports_only_the_standard_library() -> None:
    tree = ast.parse((PACKAGE / "schema.py").read_text(encoding="utf-8"))
    names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert names <= set(sys.stdlib_module_names) | {"__future__"}, names


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the components of more than one module are the import circles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph.get(v, ()):
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_strongly_connected_finds_a_circle_and_only_circles() -> None:
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert strongly_connected({"a": {"b"}, "b": set()}) == []


def test_no_import_circle() -> None:
    assert strongly_connected(GRAPH) == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_size(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, f"{module} has {lines} lines: split it"


def test_function_size() -> None:
    long = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long.append(f"{module}.{node.name}: {n} lines")
    assert long == []


def test_the_rules_see_a_function_level_import(tmp_path: Path) -> None:
    """The import scan must not miss an import hidden in a function (how the old circle was closed)."""
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from coopnum.dataset import build\n", encoding="utf-8")
    assert imported("coopnum.quality.m", source) == {"coopnum.dataset.build"}
