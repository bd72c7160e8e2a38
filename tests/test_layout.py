"""The layout of ``pipeline/``: no import cycles between its modules, a docstring on each.

The imports are read with :mod:`ast` from every ``pipeline/**/*.py``, wherever they are in a
module: at module level and inside functions. A function-level import counts: it ties the two
modules together all the same, and the cycle only waits for the function to run. Imports under
``if TYPE_CHECKING:`` do not count: they never run, so they cannot make a cycle at run time;
they only name types for mypy.

``from pipeline.site import urls`` is an import of the module ``pipeline.site.urls``;
``from pipeline.site.urls import home`` of the same module; relative imports are resolved
against the importing module's package. Importing ``pipeline.site.urls`` also runs
``pipeline/site/__init__.py``; that implicit import of the package is not counted.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PIPELINE = ROOT / "pipeline"

Graph = Mapping[str, set[str]]
"""Module name -> the names of the modules of the same package it imports."""


def module_name(path: Path, package_dir: Path) -> str:
    """``pipeline/site/render.py`` -> ``pipeline.site.render``; a package's ``__init__.py`` is the
    package itself."""
    parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(package_dir: Path) -> dict[str, Path]:
    """Every module of a package folder, by name."""
    return {module_name(p, package_dir): p for p in sorted(package_dir.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    """``if TYPE_CHECKING:`` or ``if typing.TYPE_CHECKING:``."""
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement in ``node``, leaving out the bodies of ``if TYPE_CHECKING:``."""
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    elif isinstance(node, ast.If) and _is_type_checking(node.test):
        for other in node.orelse:
            yield from _imports(other)
    else:
        for child in ast.iter_child_nodes(node):
            yield from _imports(child)


def _known(name: str, known: set[str]) -> str | None:
    """The module ``name`` names, or the longest known package above it (None: not ours)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
        parts.pop()
    return None


def imported_modules(name: str, path: Path, known: set[str], is_package: bool = False) -> set[str]:
    """The modules of ``known`` that the module ``name`` (at ``path``) imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _imports(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            if node.level:
                parts = package.split(".")
                base_parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            # ``from a import b``: b is the submodule a.b when there is one, else a name in a.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        for target in targets:
            resolved = _known(target, known)
            if resolved is not None and resolved != name:
                found.add(resolved)
    return found


def import_graph(package_dir: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports, for a whole package folder."""
    found = modules(package_dir)
    known = set(found)
    return {
        name: imported_modules(name, path, known, is_package=path.name == "__init__.py")
        for name, path in found.items()
    }


def find_cycles(graph: Graph) -> list[list[str]]:
    """One cycle (``[a, b, a]``) per group of modules that import each other (a strongly
    connected component of more than one module), Tarjan's algorithm."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_cycle_in(graph, component) for component in components]


def _cycle_in(graph: Graph, component: set[str]) -> list[str]:
    """A shortest cycle through the first module (by name) of a strongly connected group."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for other in sorted(graph.get(node, set()) & component):
            if other == start:
                return [*paths[node], start]
            if other not in paths:
                paths[other] = [*paths[node], other]
                queue.append(other)
    raise AssertionError(f"no cycle through {start} in {sorted(component)}")  # unreachable


def describe(cycles: list[list[str]]) -> str:
    return "\n".join(" -> ".join(cycle) for cycle in cycles)


# --- the project ----------------------------------------------------------------------------


def test_no_import_cycles_in_the_pipeline() -> None:
    graph = import_graph(PIPELINE)
    assert len(graph) > 20 and "pipeline.site.render" in graph["pipeline.site.specialise"]
    cycles = find_cycles(graph)
    assert not cycles, "import cycles in pipeline/:\n" + describe(cycles)


def test_every_module_has_a_docstring() -> None:
    missing = [
        name
        for name, path in modules(PIPELINE).items()
        if not (ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or "").strip()
    ]
    assert not missing, "modules without a docstring: " + ", ".join(missing)


# --- the cycle finder -----------------------------------------------------------------------


def test_find_cycles_on_a_synthetic_graph() -> None:
    graph = {
        "a": {"b"},
        "b": {"c", "d"},
        "c": {"a"},
        "d": set(),
        "e": {"a", "f"},
        "f": {"e"},
        "g": {"g"},  # a module naming itself is not a cycle between modules
    }
    assert find_cycles(graph) == [["a", "b", "c", "a"], ["e", "f", "e"]]
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_a_fake_package_with_a_cycle_through_a_function_level_import(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "pkg/__init__.py": '"""A package."""\n',
            "pkg/sub/__init__.py": "",
            # ``from pkg.sub import b``: b is a submodule.
            "pkg/a.py": "from pkg.sub import b\n",
            # A relative import inside a function still counts.
            "pkg/sub/b.py": "def f():\n    from ..c import thing\n    return thing\n",
            "pkg/c.py": "import pkg.a as a\nthing = 1\n",
            # Only for the type checker: d -> e -> d is no cycle.
            "pkg/d.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from pkg import e\nelse:\n    import json\n"
            ),
            "pkg/e.py": "from . import d\n",
        },
    )
    graph = import_graph(tmp_path / "pkg")
    assert graph["pkg.a"] == {"pkg.sub.b"}
    assert graph["pkg.sub.b"] == {"pkg.c"}
    assert graph["pkg.c"] == {"pkg.a"}
    assert graph["pkg.d"] == set()
    assert graph["pkg.e"] == {"pkg.d"}
    cycles = find_cycles(graph)
    assert cycles == [["pkg.a", "pkg.sub.b", "pkg.c", "pkg.a"]]
    assert describe(cycles) == "pkg.a -> pkg.sub.b -> pkg.c -> pkg.a"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from . import b\n", {"pkg.b"}),
        ("from .b import name\n", {"pkg.b"}),
        ("from pkg import name\n", {"pkg"}),
        ("from pkg.b import name\n", {"pkg.b"}),
        ("import pkg.b.missing\n", {"pkg.b"}),
        ("import os\nfrom json import dumps\n", set()),
        ("import typing\nif typing.TYPE_CHECKING:\n    import pkg.b\n", set()),
    ],
)
def test_how_imports_resolve(tmp_path: Path, source: str, expected: set[str]) -> None:
    _write(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": source, "pkg/b.py": ""})
    assert import_graph(tmp_path / "pkg")["pkg.a"] == expected
