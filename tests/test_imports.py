"""No import circle anywhere in the project (issue 11): every module's imports, read with ast from
the source tree (nothing is imported), form a graph without cycles.

Every import counts, wherever it stands: at the top, inside a function (noxfile.py imports lazily)
or under `if TYPE_CHECKING:` (a type-only import that runs back up is still a circle in the design).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_PARTS = {"data", "__pycache__"}  # tests/data holds recorded inputs, not modules


def project_modules(root: Path) -> dict[str, Path]:
    """Dotted name -> file for noxfile.py-like top-level files and every package / tests folder."""
    modules: dict[str, Path] = {}
    for path in sorted(root.glob("*.py")):
        modules[path.stem] = path
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if not (folder / "__init__.py").exists() and folder.name != "tests":
            continue
        for path in sorted(folder.rglob("*.py")):
            rel = path.relative_to(root)
            if SKIP_PARTS & set(rel.parts) or any(p.startswith(".") for p in rel.parts):
                continue
            parts = list(rel.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _imported_names(path: Path, module: str) -> set[tuple[str, ...]]:
    """What each import in the file asks for (relative ones resolved), as alternatives: `from
    pkg import name` is the module pkg.name when there is one, else the package pkg."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[tuple[str, ...]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update((alias.name,) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".") if package else []
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join([*base_parts, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            names.update((f"{base}.{alias.name}", base) for alias in node.names)
    return names


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the project modules it imports (names outside the project are dropped)."""
    modules = project_modules(root)
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        edges = set()
        folder = path.parent.relative_to(root).parts
        for alternatives in _imported_names(path, module):
            for name in alternatives:
                # a test folder without __init__.py: pytest puts it on sys.path, so `import
                # corpus` in tests/ means tests/corpus.py
                local = ".".join([*folder, name]) if folder == ("tests",) else None
                found = name if name in modules else local if local in modules else None
                if found:
                    if found != module:
                        edges.add(found)
                    break
        graph[module] = edges
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each circle once, as the path of modules that closes it (Tarjan's strongly connected
    components; a component of two or more modules, or a module importing itself, is a circle)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:  # recursion depth is bounded by the module count (~100)
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_path_through(graph, component) for component in components]


def _path_through(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """The shortest closed path from the component's first module back to it (breadth first),
    for the failure message."""
    members = set(component)
    start = component[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph[node] & members):
            if nxt == start:
                return [*paths[node], start]
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    raise AssertionError(f"{component} is not a circle")


def test_the_project_has_no_import_circle():
    graph = import_graph(ROOT)
    # the walk really covers the project: the installer, verify, the docs tools and noxfile.py
    for module in ("noxfile", "verify.cli", "scripts.install.cli", "scripts.docs.bench"):
        assert module in graph, f"{module} not found by the walk"
    assert "scripts.install.errors" in graph["scripts.install.options"]
    cycles = find_cycles(graph)
    assert cycles == [], "import circles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_installer_imports_run_one_way():
    """errors <- failures / backends <- options / target <- plan <- execute <- cli: a module
    never imports one that stands after it (shared/layout-sketch.md)."""
    order = [
        "progress",
        "rattler_run",
        "envfile",
        "pipconf",
        "errors",
        "backends",
        "failures",
        "torchwheel",
        "target",
        "options",
        "state",
    ]
    order += ["routing", "lock", "plan", "execute", "cli"]
    graph = import_graph(ROOT)
    rank = {f"scripts.install.{name}": i for i, name in enumerate(order)}
    assert set(rank) == {m for m in graph if m.startswith("scripts.install.")}
    upward = [
        f"{module} -> {target}"
        for module, targets in graph.items()
        if module in rank
        for target in targets
        if target in rank and rank[target] >= rank[module]
    ]
    assert upward == []


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_a_circle_is_found_through_lazy_relative_and_type_only_imports(tmp_path):
    """The walk sees the imports that a plain top-of-file scan would miss."""
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from . import b\n",
            "pkg/b.py": "def f():\n    from pkg.sub import c\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/c.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..a import X\n"
            ),
            "pkg/d.py": "import os\nimport pkg.b\n",
            "tool.py": "from pkg import d\n",
        },
    )
    graph = import_graph(tmp_path)
    assert graph["tool"] == {"pkg.d"}
    assert graph["pkg.sub.c"] == {"pkg.a"}  # `from ..a import X`: the module, not the package
    assert find_cycles(graph) == [["pkg.a", "pkg.b", "pkg.sub.c", "pkg.a"]]


def test_no_circle_in_a_tree_that_only_runs_down(tmp_path):
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/low.py": "import json\n",
            "pkg/mid.py": "from pkg import low\n",
            "pkg/top.py": "from pkg import low, mid\n",
        },
    )
    graph = import_graph(tmp_path)
    assert graph["pkg.top"] == {"pkg.low", "pkg.mid"}
    assert find_cycles(graph) == []
