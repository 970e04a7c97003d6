"""No module of build_tools keeps build data of its own (issue 19, item 1).

What a build remembers travels in one object passed explicitly (core/memory.BuildMemory), so two
builds in one process (the preview's saves, the tests) share only what they are given. This
scans every module for what would hold data behind the arguments' back: a module-level name bound
to a mutable value (a dict, list or set, a cache object), a `global` statement, or a function
cache (`functools.lru_cache`, `functools.cache`). A constant is written immutable: a tuple, a
frozenset, a types.MappingProxyType.
"""
from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "build_tools"

# calls whose result is a container or store that can change after it is made
MUTABLE_CALLS = frozenset({
    "dict", "list", "set", "bytearray", "defaultdict", "OrderedDict", "Counter", "deque",
    "ChainMap", "local", "WeakKeyDictionary", "WeakValueDictionary", "WeakSet",
    "Kept", "Memo", "Timing", "Inputs", "BuildMemory", "ReadMemory", "RenderMemory", "Reads",
})
CACHES = frozenset({"lru_cache", "cache"})
MUTABLE_NODES = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)


class Finding(NamedTuple):
    path: str
    line: int
    name: str  # the module-level name, the function cached, or the names made global
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def hidden_state(source: str, path: str) -> Iterator[Finding]:
    """Each place in the module that would keep data between calls."""
    tree = ast.parse(source)
    for node in _module_level(tree.body):
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else [])
        value = getattr(node, "value", None)
        if value is not None and _mutable(value):
            for name in _names(targets):
                yield Finding(path, node.lineno, name,
                              f"module-level {name} holds a mutable value")
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            names = ", ".join(node.names)
            yield Finding(path, node.lineno, names, f"global {names}")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                cache = _called_name(decorator)
                if cache in CACHES:
                    yield Finding(path, decorator.lineno, node.name,
                                  f"functools.{cache} on {node.name}")


def _module_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements run at import, inside module-level if/try/with/for blocks too (not functions
    or classes: a class body's defaults belong to its instances, pydantic's and dataclasses')."""
    for node in body:
        yield node
        for field in ("body", "orelse", "finalbody", "handlers"):
            inner = getattr(node, field, None)
            if isinstance(inner, list) and not isinstance(
                    node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                yield from _module_level([n for n in inner if isinstance(n, ast.AST)])


def _mutable(value: ast.expr) -> bool:
    if isinstance(value, MUTABLE_NODES):
        return True
    if isinstance(value, ast.Call):
        return _called_name(value) in MUTABLE_CALLS
    if isinstance(value, ast.BinOp):  # [..] + [..]; frozenset(..) | {..} is a frozenset
        return _mutable(value.left)
    return False


def _called_name(node: ast.expr) -> str:
    """lru_cache for lru_cache, functools.lru_cache, functools.lru_cache(maxsize=1)."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _names(targets: list[ast.expr]) -> Iterator[str]:
    for target in targets:
        if isinstance(target, ast.Name):
            yield target.id
        elif isinstance(target, (ast.Tuple, ast.List)):
            yield from _names(list(target.elts))
        else:
            yield ast.unparse(target)


def _found() -> list[Finding]:
    return [found for path in sorted(PACKAGE.rglob("*.py"))
            for found in hidden_state(path.read_text(encoding="utf-8"),
                                      path.relative_to(PACKAGE).as_posix())]


def test_no_module_keeps_build_data_of_its_own() -> None:
    found = [str(f) for f in _found()]
    assert not found, ("module-level state outside memory.BuildMemory; pass it explicitly, or "
                       "make a constant immutable (tuple, frozenset, MappingProxyType):\n"
                       + "\n".join(found))


@pytest.mark.parametrize(("snippet", "expected"), [
    ("CACHE: dict[str, int] = {}\n", "x.py:1: module-level CACHE holds a mutable value"),
    ("import collections\nSEEN = collections.defaultdict(list)\n",
     "x.py:2: module-level SEEN holds a mutable value"),
    ("try:\n    import yaml\nexcept ImportError:\n    LOADERS = [1]\n",
     "x.py:4: module-level LOADERS holds a mutable value"),
    ("STORE = Kept('.pickle', dump, load)\n", "x.py:1: module-level STORE holds a mutable value"),
    ("N = 0\ndef bump():\n    global N\n    N += 1\n", "x.py:3: global N"),
    ("import functools\n@functools.lru_cache(maxsize=8)\ndef parse(text): ...\n",
     "x.py:2: functools.lru_cache on parse"),
    ("from functools import cache\n@cache\ndef style(): ...\n", "x.py:2: functools.cache on style"),
])
def test_the_scan_reports_hidden_state_at_its_line(snippet: str, expected: str) -> None:
    assert [str(found) for found in hidden_state(snippet, "x.py")] == [expected]


def test_constants_and_instance_defaults_are_not_reported() -> None:
    snippet = ("from types import MappingProxyType\n"
               "NAMES = ('a', 'b')\nFIRST = frozenset('ab')\nLABELS = MappingProxyType({'a': 1})\n"
               "Alias = dict[str, int]\n"
               "class Model:\n    tags: list[str] = []\n"
               "def fresh() -> dict:\n    made = {}\n    return made\n")
    assert list(hidden_state(snippet, "x.py")) == []


def test_what_one_build_was_given_stays_with_it(two_topic_project: Path) -> None:
    """Library versions given to one build (as a test fakes an upgrade) change that build's
    keys only: the next build, with a memory of its own, is made from the installed ones."""
    from build_tools.core.base.inputs import Inputs
    from build_tools.core.memory import BuildMemory
    from build_tools.core.pipeline import generate

    def keys(memory: BuildMemory | None = None) -> list[str]:
        return [v.made_from for v in generate(two_topic_project, "preview", memory=memory).variants]

    installed = keys()
    upgraded = keys(BuildMemory(inputs=Inputs(lambda package: "99")))
    assert installed and not set(installed) & set(upgraded)
    assert keys() == installed
