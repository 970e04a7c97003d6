"""The package's shape: imports run one way, from the later stages down to the earlier ones.

An import circle (even one for typing only) means two modules cannot be read, tested or moved
apart; the pipeline's stages would blur. Imports are read from the source with `ast`, the ones
under `if TYPE_CHECKING:` and inside functions included.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "build_tools"


def module_name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.AST, name: str, is_package: bool, known: set[str]) -> set[str]:
    """The package's own modules a module imports, by full name."""
    found: set[str] = set()
    here = name.split(".") if is_package else name.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = here[:len(here) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {m for m in found if m in known}


def import_graph(package: Path) -> dict[str, set[str]]:
    paths = {module_name(p, package): p for p in package.rglob("*.py")}
    known = set(paths)
    return {name: imported(ast.parse(path.read_text(encoding="utf-8")), name,
                           path.name == "__init__.py", known) - {name}
            for name, path in paths.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_build_tools_has_no_import_circle():
    graph = {name: {t for t in targets if not _empty_package(t)}
             for name, targets in import_graph(PACKAGE).items()}
    assert circles(graph) == [], "modules that import each other, directly or through others"


def _empty_package(name: str) -> bool:
    """`from . import x` names the package too; an empty __init__ runs no code of its own, so
    such a package is not an arrow back up."""
    path = PACKAGE.parent.joinpath(*name.split("."), "__init__.py")
    return path.is_file() and not path.read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("files, expected", [
    ({"a.py": "from . import b\n", "b.py": "from typing import TYPE_CHECKING\n"
      "if TYPE_CHECKING:\n    from .a import X\n"}, [["pkg.a", "pkg.b"]]),
    ({"a.py": "from .b import Y\n", "b.py": "import os\n"}, []),
    ({"a.py": "from .b import Y\n", "b.py": "from .c import Z\n",
      "c.py": "def f():\n    from .a import W\n"}, [["pkg.a", "pkg.b", "pkg.c"]]),
])
def test_the_circle_finder_sees_circles_through_typing_and_function_imports(tmp_path: Path,
                                                                           files, expected):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, text in files.items():
        (package / name).write_text(text)
    graph = {name: targets - {"pkg"} for name, targets in import_graph(package).items()}
    assert circles(graph) == expected


def test_every_module_of_the_package_is_in_the_code_digest():
    # a cache key misses when any stage's code changes: the digest must read the whole package
    from build_tools.core.base import inputs

    assert inputs.PACKAGE == PACKAGE
