"""Stage 1, load (detail): YAML read with YAML 1.2 core-schema meaning, refusing what is ambiguous.

PyYAML follows YAML 1.1, where `010` is 8, `1:30` is 90 and `no` is false: a value an editor
typed could reach the page changed. Here a plain scalar means what YAML 1.2's core schema says
(null, true/false, decimal numbers, everything else text), and whatever YAML tools disagree on
or could use to hide work (leading zeros, octal and hex forms, infinities, tags, anchors and
aliases, keys that are not text, deep nesting) is refused at its line with a fix.

The document is built from the parser's events, one at a time, without recursion and without
ever expanding an alias: a file costs time in proportion to its size, however it is nested.
"""
from __future__ import annotations

import decimal
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import yaml
from yaml.events import (AliasEvent, CollectionEndEvent, CollectionStartEvent,
                         DocumentStartEvent, Event, MappingStartEvent, NodeEvent, ScalarEvent,
                         SequenceStartEvent)
from yaml.nodes import ScalarNode

from ..base.problems import Problem

YamlPath = tuple[Any, ...]
MAX_DEPTH = 20  # no file of the project needs more than 6 levels
MAX_NUMBER = 1e9  # no figure a reader sees is larger; 1e30 printed 31 digits of float noise
CORE = "tag:yaml.org,2002:"
NULL, BOOL, INT, FLOAT, STR = (CORE + name for name in ("null", "bool", "int", "float", "str"))

# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1023-core-schema), with the first
# characters each form can start with, as PyYAML's resolver tables are keyed.
CORE_RESOLVERS = (
    (NULL, r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    (BOOL, r"true|True|TRUE|false|False|FALSE", list("tTfF")),
    (INT, r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", list("-+0123456789")),
    (FLOAT, r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)", list("-+.0123456789")),
)
RESOLVED_FIRST = frozenset(c for _, _, first in CORE_RESOLVERS for c in first if c)
LEADING_ZERO = re.compile(r"[-+]?0[0-9]+")
OCTAL_DIGITS = re.compile(r"[-+]?0[0-7]+")
BASE_FORMS = MappingProxyType({"0o": ("an octal number", 8), "0x": ("a hexadecimal number", 16)})


def _with_core_schema(cls: type[Any]) -> type[Any]:
    """The loader class with exactly the YAML 1.2 core resolvers, and decimal constructors."""
    cls.yaml_implicit_resolvers = {}
    for tag, pattern, first in CORE_RESOLVERS:
        cls.add_implicit_resolver(tag, re.compile(rf"(?:{pattern})\Z"), first)
    cls.add_constructor(INT, lambda loader, node: _core_int(node.value))
    cls.add_constructor(FLOAT, lambda loader, node: _core_float(node.value))
    return cls


@_with_core_schema
class CoreSafeLoader(yaml.SafeLoader):
    """PyYAML's safe loader in Python, reading plain scalars as YAML 1.2 does."""


CoreFastLoader: type[Any] = CoreSafeLoader
if hasattr(yaml, "CSafeLoader"):
    @_with_core_schema
    class CoreCSafeLoader(yaml.CSafeLoader):  # type: ignore[name-defined, misc]
        """The same on libyaml, which parses about ten times faster."""

    CoreFastLoader = CoreCSafeLoader


class CoreSafeDumper(yaml.SafeDumper):
    """PyYAML's safe dumper, quoting every string that YAML 1.1 or 1.2 would read as something
    else ('1e3', '0o17', 'yes'): a sign-off record written by `make approve` reads back as it was
    written, and its snapshot still hashes to its fingerprint."""


for _tag, _pattern, _first in CORE_RESOLVERS:
    CoreSafeDumper.add_implicit_resolver(_tag, re.compile(rf"(?:{_pattern})\Z"), _first)


def _core_int(text: str) -> int:
    base = BASE_FORMS.get(text[:2], ("", 10))[1]
    return int(text[2:] if base != 10 else text, base)


def _core_float(text: str) -> float:
    lowered = text.lower()
    if lowered.endswith(".nan"):
        return math.nan
    if lowered.endswith(".inf"):
        return -math.inf if lowered.startswith("-") else math.inf
    return float(text)


@dataclass
class Document:
    """A parsed YAML file: its data, and the line of every node by its path."""

    path: str
    data: Any
    lines: dict[YamlPath, int] = field(default_factory=dict)
    raw: dict[YamlPath, str] = field(default_factory=dict)
    refused: frozenset[int] = frozenset()  # lines whose value load refused: validate is quiet there

    def line_of(self, path: YamlPath) -> int:
        """The line of the node at path, or of its nearest parent that has one."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1

    def key_line(self, path: YamlPath) -> int:
        """The line of a mapping key (its value may start on a later line)."""
        return self.lines.get(("key",) + path, self.line_of(path))


def parse_yaml(text: str, rel: str) -> tuple[Document | None, list[Problem]]:
    """The file's data, or None when it cannot be read; with every problem of its values.
    (A preview remembers what each text parsed to, load.Reads: no caller may change either.)"""
    try:
        return _build(CoreFastLoader, text, rel)
    except yaml.YAMLError:
        pass
    # libyaml rejected it: Python's parser finds the same fault and says it more clearly
    try:
        return _build(CoreSafeLoader, text, rel)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, rel)]
    except yaml.YAMLError as exc:  # the reader's: a character YAML does not allow
        return None, [_reader_problem(exc, text, rel)]


def _build(loader_class: type[Any], text: str, rel: str) -> tuple[Document | None, list[Problem]]:
    loader = loader_class(text)
    try:
        return _Builder(rel, loader).document(_events(loader))
    finally:
        loader.dispose()


def _events(loader: Any) -> Iterator[Event]:
    while loader.check_event():
        yield loader.get_event()


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


def _reader_problem(exc: yaml.YAMLError, text: str, rel: str) -> Problem:
    """A character YAML refuses to read (Project.read_text refuses them first, with a column)."""
    position = getattr(exc, "position", None)
    line = text.count("\n", 0, position) + 1 if isinstance(position, int) else None
    character = getattr(exc, "character", None)
    named = f" (U+{character:04X})" if isinstance(character, int) else ""
    return Problem(rel, line, "control-character",
                   f"the file holds a character YAML does not allow{named}",
                   "delete it (comments too): such characters come with text pasted from PDFs "
                   "or word processors, and some editors show them as a space or nothing")


class _Unreadable(Exception):
    """The file cannot be read further: the problem saying why is recorded."""


_REFUSED_KEY = object()  # a key that is not text: its value is read, checked and dropped


@dataclass
class _Open:
    """A sequence or mapping being built; path None: inside a refused key, checked, not kept."""

    path: YamlPath | None
    data: list[Any] | dict[Any, Any]
    key: Any = None
    has_key: bool = False
    first_line: dict[Any, int] = field(default_factory=dict)


class _Builder:
    """Turns parser events into plain data, recording lines, raw text and every refusal."""

    def __init__(self, rel: str, loader: Any) -> None:
        self.rel = rel
        self.loader = loader
        self.lines: dict[YamlPath, int] = {}
        self.raw: dict[YamlPath, str] = {}
        self.problems: list[Problem] = []
        self.refused: set[int] = set()
        self.reported: set[tuple[int, str]] = set()
        self.stack: list[_Open] = []
        self.root: Any = None
        self.documents = 0

    def document(self, events: Iterator[Event]) -> tuple[Document | None, list[Problem]]:
        try:
            for event in events:
                self._event(event)
        except _Unreadable:
            return None, self.problems
        if self.documents == 0:
            return None, [Problem(self.rel, 1, "empty-file", "the file holds no YAML data",
                                  "write its content or delete it")]
        doc = Document(self.rel, self.root, self.lines, self.raw, frozenset(self.refused))
        return doc, self.problems

    def _event(self, event: Event) -> None:
        if isinstance(event, DocumentStartEvent):
            self.documents += 1
            if self.documents == 2:
                self._refuse(event, "yaml-syntax", "YAML syntax error: expected a single "
                             "document in the stream, but found another document",
                             "delete the `---` line and what follows it, or move it to its own file")
                raise _Unreadable
        elif isinstance(event, NodeEvent):
            self._check_node(event)
            if isinstance(event, CollectionStartEvent):
                self._open(event)
            elif isinstance(event, ScalarEvent):
                self._close_node(self._scalar(event), event)
            else:
                self._close_node(None, event)
        elif isinstance(event, CollectionEndEvent) and self.stack:
            finished = self.stack.pop()
            self._place(finished.data, finished.path)

    def _check_node(self, event: NodeEvent) -> None:
        if isinstance(event, AliasEvent):
            self._refuse(event, "yaml-alias", f"the YAML alias *{event.anchor} is not allowed",
                         ALIAS_HINT)
        elif event.anchor is not None:
            self._refuse(event, "yaml-alias", f"the YAML anchor &{event.anchor} is not allowed",
                         ALIAS_HINT)
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = "!!" + tag.removeprefix(CORE) if tag.startswith(CORE) else tag
            self._refuse(event, "yaml-tag", f"the YAML tag {shown} is not allowed",
                         f"write a plain value: delete {shown}, and put the value in quotes "
                         "if it is text")

    def _child_path(self) -> YamlPath | None:
        """Where the node that starts now goes; None inside a key or a refused key's value."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if top.path is None:
            return None
        if isinstance(top.data, list):
            return top.path + (len(top.data),)
        if not top.has_key or top.key is _REFUSED_KEY:
            return None
        return top.path + (top.key,)

    def _open(self, event: CollectionStartEvent) -> None:
        if len(self.stack) >= MAX_DEPTH:
            self._refuse(event, "yaml-depth", f"the YAML is nested more than {MAX_DEPTH} levels "
                         "deep", "no file of this project needs more than a few levels: check "
                         "for brackets [ { that are not closed, or indentation that runs away")
            raise _Unreadable
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.data, dict) and not top.has_key:
            kind = "a list" if isinstance(event, SequenceStartEvent) else "a mapping"
            self._key_problem(event, f"a key is {kind}, not text")
        path = self._child_path()
        if path is not None:
            self.lines[path] = _line(event)
        data: list[Any] | dict[Any, Any] = {} if isinstance(event, MappingStartEvent) else []
        self.stack.append(_Open(path, data))

    def _close_node(self, value: Any, event: NodeEvent) -> None:
        path = self._child_path()
        if path is not None:
            self.lines[path] = _line(event)
            if isinstance(event, ScalarEvent):
                self.raw[path] = event.value
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.data, dict) and not top.has_key:
            self._key(value, event)
        else:
            self._place(value, path)

    def _place(self, value: Any, path: YamlPath | None) -> None:
        """A finished node becomes the root, a list item, a mapping's key or its value."""
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if isinstance(top.data, list):
            top.data.append(value)
        elif not top.has_key:
            top.key, top.has_key = _REFUSED_KEY, True  # a list or mapping as key: refused
        else:
            if top.key is not _REFUSED_KEY and top.path is not None:
                top.data[top.key] = value
            top.key, top.has_key = None, False

    def _key(self, value: Any, event: NodeEvent) -> None:
        top = self.stack[-1]
        top.has_key = True
        if not isinstance(value, str):
            if not isinstance(event, AliasEvent):
                self._key_problem(event, _key_described(value, event))
            top.key = _REFUSED_KEY
            return
        line = _line(event)
        if value in top.data:
            self._refuse(event, "duplicate-key", f"the key '{value}' appears twice in one mapping "
                         f"(first on line {top.first_line[value]})",
                         "keep one of them; YAML would silently use the last", refused=False)
        top.first_line.setdefault(value, line)
        top.key = value
        if top.path is not None:
            self.lines[("key",) + top.path + (value,)] = line

    def _key_problem(self, event: NodeEvent, what: str) -> None:
        self._refuse(event, "yaml-key", f"{what}: a mapping key must be a name",
                     "write the key as a name (put it in quotes if it is a number, such as "
                     "'2024':), or check the indentation and the `- ` of the lines above")

    def _scalar(self, event: ScalarEvent) -> Any:
        text = event.value
        if event.style == '"' and ESCAPED_REFUSED.search(text):
            self._refuse(event, "control-character", _escaped_message(text),
                         "delete the escape (\\x.., \\u....): such characters cannot be "
                         "shown or written out, and half of a surrogate pair is not a character")
            return text.encode("utf-8", "backslashreplace").decode("utf-8")
        if event.tag is not None:
            return text  # refused by _check_node; the text keeps validate quiet
        if not event.implicit[0] or (text and text[0] not in RESOLVED_FIRST):
            return text  # quoted, or plain words: most scalars, so no resolver is asked
        tag = self.loader.resolve(ScalarNode, text, event.implicit)
        if tag == NULL:
            return None
        if tag == BOOL:
            return text.lower() == "true"
        if tag in (INT, FLOAT):
            return self._number(text, tag, event)
        return text

    def _number(self, text: str, tag: str, event: ScalarEvent) -> Any:
        problem = number_problem(text)
        if problem:
            self._refuse(event, problem[0], problem[1], problem[2])
            return text
        return _core_int(text) if tag == INT else _core_float(text)

    def _refuse(self, event: Event, code: str, message: str, hint: str,
                refused: bool = True) -> None:
        """One problem per line and code: an alias bomb is one line, not a million."""
        line = _line(event)
        if refused:
            if (line, code) in self.reported:
                return
            self.reported.add((line, code))
            self.refused.add(line)
        self.problems.append(Problem(self.rel, line, code, message, hint))


# what a double-quoted escape can make that no reader may get: control characters, and lone
# UTF-16 surrogates, which no encoder can write out (the page, the cache and the PDF all fail)
ESCAPED_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def _escaped_message(text: str) -> str:
    found = ESCAPED_REFUSED.search(text)
    assert found is not None
    return (f"an escape in this quoted value makes the character U+{ord(found.group()):04X}, "
            "which cannot be published")


ALIAS_HINT = ("write the value out in full where it is used: anchors (&name) and aliases (*name) "
              "are not allowed, since a few lines of them can stand for billions of values")


def _line(event: Event) -> int:
    return event.start_mark.line + 1 if event.start_mark else 1


def number_problem(text: str) -> tuple[str, str, str] | None:
    """(code, message, fix) for a number YAML tools read differently, or one no page can show."""
    bare = text.lstrip("+-")
    if text[:2] in BASE_FORMS:
        name, base = BASE_FORMS[text[:2]]
        return ("ambiguous-number", f"'{text}' is {name}",
                f"YAML tools disagree on this form; write {int(text[2:], base)}, "
                "or quote it if it is a code")
    if LEADING_ZERO.fullmatch(text):
        old = f"{int(text, 8)}" if OCTAL_DIGITS.fullmatch(text) else "text"
        return ("ambiguous-number", f"the number '{text}' starts with 0",
                f"YAML 1.1 tools read this as {old}; write {int(text)}, or quote it if it is a code")
    if bare.lower() in (".inf", ".nan"):
        return ("bad-number", f"'{text}' is not a finite number",
                "write a number, or put the value in quotes if it is text")
    if not abs(_core_float(text)) <= MAX_NUMBER:  # 1e400 is inf
        return ("bad-number", f"the number '{text}' is larger than this site shows "
                f"(at most {MAX_NUMBER:,.0f} either way)",
                "check the number; give large amounts in a bigger unit (`unit: million EUR`), "
                "or quote the value if it is text")
    return None


def decimals_typed(text: str) -> int:
    """Digits after the point as typed: '2.50' -> 2, '26.0' -> 1, '3' -> 0, '2.5e3' -> 0."""
    try:
        exponent = decimal.Decimal(text).as_tuple().exponent
    except decimal.InvalidOperation:
        return 0
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _key_described(value: Any, event: NodeEvent) -> str:
    text = getattr(event, "value", "")
    if value is None:
        return f"the key '{text}' means nothing (null)" if text else "a key is empty"
    if isinstance(value, bool):
        return f"the key '{text}' is true or false, not text"
    return f"the key '{text}' is a number, not text"
