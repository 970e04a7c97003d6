"""Stage 1, load: read project files safely and parse YAML keeping line numbers."""
from __future__ import annotations

import datetime
import functools
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Problem, relpath
from .timing import stage

MAX_FILE_BYTES = 1_000_000
FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
YamlPath = tuple[Any, ...]


@dataclass
class Document:
    """A parsed YAML file: its data, and the line of every node by its path."""

    path: str
    data: Any
    lines: dict[YamlPath, int] = field(default_factory=dict)
    raw: dict[YamlPath, str] = field(default_factory=dict)

    def line_of(self, path: YamlPath) -> int:
        """The line of the node at path, or of its nearest parent that has one."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1

    def key_line(self, path: YamlPath) -> int:
        """The line of a mapping key (its value may start on a later line)."""
        return self.lines.get(("key",) + path, self.line_of(path))


class Project:
    """Reads files under one root and records what is wrong with them."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.problems: list[Problem] = []
        self.docs: dict[str, Document] = {}
        self.texts: dict[str, str] = {}
        self._folders: dict[Path, Path] = {}

    def rel(self, path: Path) -> str:
        absolute = path.absolute()
        if absolute.is_relative_to(self.root):  # the usual case, without resolving links
            return absolute.relative_to(self.root).as_posix()
        return relpath(path, self.root)

    def resolve(self, path: Path) -> Path:
        """path.resolve(), resolving each folder once per load: 3,500 files share 500 folders."""
        if path.is_symlink():
            return path.resolve()
        if path.parent not in self._folders:
            self._folders[path.parent] = path.parent.resolve()
        return self._folders[path.parent] / path.name

    def read_text(self, path: Path) -> str | None:
        """The file's text, or None after recording why it cannot be used."""
        rel = self.rel(path)
        resolved = self.resolve(path)
        identity = _identity(path, resolved)
        known = _accepted.get(path)
        if identity is not None and known is not None and known[0] == identity:
            self.texts[rel] = known[1]  # make serve: read and accepted before, unchanged since
            return known[1]
        refusal = _refusal(path, self.root, resolved)
        if refusal:
            self.problems.append(Problem(rel, None, refusal[0], refusal[1], refusal[2]))
            return None
        with stage("load"):
            raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.problems.append(Problem(
                rel, line, "not-utf8", f"the file is not UTF-8 text (byte {exc.start})",
                "save the file with UTF-8 encoding"))
            return None
        self.texts[rel] = text.removeprefix("\ufeff")
        if identity is not None:
            _accepted[path] = (identity, self.texts[rel])
        return self.texts[rel]

    def read_yaml(self, path: Path) -> Document | None:
        text = self.read_text(path)
        if text is None:
            return None
        doc, problems = parse_yaml(text, self.rel(path))
        self.problems.extend(problems)
        if doc:
            self.docs[doc.path] = doc
        return doc

    def links_leaving(self, folder: str) -> list[Problem]:
        """Links under folder that lead outside the project.

        Templates and theme files are read by Jinja and copied by MkDocs, not through
        read_text, and a link there would publish whatever file it points to.
        """
        found = []
        for path in _walk(self.root / folder):
            if not path.resolve().is_relative_to(self.root):
                found.append(Problem(self.rel(path), None, *_outside(path)))
        return found

    def files(self, folder: str, pattern: str) -> list[Path]:
        base = self.root / folder
        return sorted(base.glob(pattern)) if base.is_dir() else []


# Files read and accepted in this process, by what identifies their content without reading
# it: a preview re-reads only what was saved (2,500 files at 500 topics).
_accepted: dict[Path, tuple[tuple[object, ...], str]] = {}


def _identity(path: Path, resolved: Path) -> tuple[object, ...] | None:
    """Where the file leads and its inode, size and time; None for a link or a missing file."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (resolved, info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _refusal(path: Path, root: Path, resolved: Path) -> tuple[str, str, str] | None:
    if not resolved.is_relative_to(root):
        return _outside(path)
    if not path.is_file():
        return ("missing-file", "the file does not exist", "create it or fix the name")
    size = path.stat().st_size
    if size == 0:
        return ("empty-file", "the file is empty", "write its content or delete it")
    if size > MAX_FILE_BYTES:
        return ("file-too-large", f"the file is {size} bytes; the limit is {MAX_FILE_BYTES}",
                "split it into smaller files")
    return None


def _outside(path: Path) -> tuple[str, str, str]:
    return ("outside-project", f"the path leads outside the project (to {path.resolve()})",
            "replace the link with a real file inside the project")


def _walk(folder: Path) -> list[Path]:
    """Every file and folder under folder, without entering linked folders."""
    found: list[Path] = []
    for parent, dirs, files in os.walk(folder):
        found += [Path(parent) / name for name in sorted(dirs + files)]
    return found


# `make serve` runs the core again on every save: a file whose text is unchanged is not parsed
# again. The Document and problems are shared between runs, so no caller may change them.
@functools.lru_cache(maxsize=8192)
def parse_yaml(text: str, rel: str) -> tuple[Document | None, list[Problem]]:
    try:
        loader, node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, rel)]
    if node is None:
        return None, [Problem(rel, 1, "empty-file", "the file holds no YAML data",
                              "write its content or delete it")]
    builder = _Builder(rel, loader)
    data = builder.build(node, ())
    return Document(rel, data, builder.lines, builder.raw), builder.problems


def _compose(text: str) -> tuple[yaml.SafeLoader, Node | None]:
    """The document's node tree. libyaml composes about ten times faster than Python's parser;
    a document libyaml rejects is composed again by Python's, whose messages editors are shown."""
    with stage("load"):
        for loader_class in (FAST_LOADER, yaml.SafeLoader):
            loader = loader_class(text)
            try:
                return loader, loader.get_single_node()
            except yaml.YAMLError:
                if loader_class is yaml.SafeLoader:
                    raise
            finally:
                loader.dispose()
    raise AssertionError("unreachable: Python's loader returns or raises")


def _syntax_problem(exc: yaml.MarkedYAMLError, rel: str) -> Problem:
    """Where YAML gave up, and where the bracket or quote it was reading was opened."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    message = f"YAML syntax error: {exc.problem}"
    if exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
        message += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
    hint = ("a value that contains ': ' or starts with [ { \" ' needs quotes; "
            "check indentation, colons and quotes on this line")
    return Problem(rel, line, "yaml-syntax", message, hint)


class _Builder:
    """Turns a YAML node tree into plain data, recording lines and duplicate keys."""

    def __init__(self, rel: str, loader: yaml.SafeLoader) -> None:
        self.rel = rel
        self.loader = loader
        self.lines: dict[YamlPath, int] = {}
        self.raw: dict[YamlPath, str] = {}
        self.problems: list[Problem] = []

    def build(self, node: Node, path: YamlPath) -> Any:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        self.raw[path] = node.value
        return self._scalar(node, path)

    def _mapping(self, node: MappingNode, path: YamlPath) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node, path)
            line = key_node.start_mark.line + 1
            if key in out:
                self.problems.append(Problem(
                    self.rel, line, "duplicate-key",
                    f"the key '{key}' appears twice in one mapping (first on line {first_line[key]})",
                    "keep one of them; YAML would silently use the last"))
            first_line.setdefault(key, line)
            self.lines[("key",) + path + (key,)] = line
            out[key] = self.build(value_node, path + (key,))
        return out

    def _scalar(self, node: Node, path: YamlPath) -> Any:
        if not isinstance(node, ScalarNode):
            return None
        try:
            value = self.loader.construct_object(node)
        except (ValueError, yaml.YAMLError) as exc:
            if node.tag == TIMESTAMP_TAG:  # 2025-13-45: shaped like a date, but no date
                return node.value  # validate names the field that wanted a date, and says why
            self.problems.append(Problem(
                self.rel, node.start_mark.line + 1, "bad-value", f"cannot read '{node.value}': {exc}",
                "write a plain value; YAML tags such as !!binary or !python are not allowed"))
            return node.value
        if isinstance(value, datetime.datetime):
            return value.date()
        return value

