"""The prose language: what a writer may put between {{ and }}, checked before anything runs.

Prose (audiences/<audience>/<topic>.md), short answers and change summaries are parsed with
Jinja, and the parse tree is held against an allow-list: text, comments, and output expressions
of exactly these shapes, every argument quoted text:

    fact.KEY   fact.KEY.value|exact|grade   fact("source.key")   fact("source.key").value|...
    cite("k1", "k2", ...)   term("key")   term("key", "shown words")   literal("text")

Everything else is refused at its line, all of it in one pass, with the call to use instead.
What passes is evaluated here, node by node, calling the four writer functions and nothing
else, so no prose can run code, read a file, or take more time and memory than its own size.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from types import MappingProxyType
from typing import NamedTuple

from jinja2 import Environment, TemplateSyntaxError, nodes

from ..facts.fact_base import fact_expression, facts_with_value, numbers_in
from ..base.numerals import is_numeral
from ..base.model import Fact
from ..base.problems import ContentError, Problem

WRITER_NAMES = "fact, cite, term, literal"
FACT_PARTS = ("value", "exact", "grade")
CALL_ARGUMENTS = MappingProxyType({"fact": (1, 1), "cite": (0, None), "term": (1, 2),
                                   "literal": (1, 1)})
FIX = MappingProxyType({
    "fact": "write {{ fact.KEY }}, {{ fact.KEY.value }}, {{ fact.KEY.exact }} or "
            '{{ fact.KEY.grade }}; a shared fact: {{ fact("source.key") }}',
    "cite": 'write {{ cite("key") }} or {{ cite("key1", "key2") }}',
    "term": 'write {{ term("key") }} or {{ term("key", "shown words") }}',
    "literal": 'write {{ literal("text") }}, the text in quotes',
})
USE_THE_NAMES = f"use only {WRITER_NAMES}, as docs/authoring.md shows"
FIGURE_FIX = "put the figure in facts.yml and insert it with {{ fact.KEY }}"
CONSTANT_FIX = ('use {{ literal("...") }} for a number that is not clinical, '
                "or {{ fact.KEY }}")
TEXT_FIX = "write the text itself, outside {{ }}"
STATEMENT_FIX = MappingProxyType({
    "set": "write the text itself; a figure belongs in facts.yml, inserted with {{ fact.KEY }}",
    "if": "write one text: each audience has its own file",
    "for": "write the text itself, once for each item",
    "include": "write the text here; prose may not use other files",
    "import": "write the text here; prose may not use other files",
    "from": "write the text here; prose may not use other files",
    "extends": "write the text here; prose may not use other files",
})
OTHER_STATEMENT_FIX = ("write the text itself; between {{ }} prose may only insert a fact, a "
                       "citation, a term or a literal")
STATEMENT_TAGS = MappingProxyType({
    nodes.For: "for", nodes.If: "if", nodes.Macro: "macro", nodes.CallBlock: "call",
    nodes.FilterBlock: "filter", nodes.With: "with", nodes.Assign: "set",
    nodes.AssignBlock: "set", nodes.Include: "include", nodes.Import: "import",
    nodes.FromImport: "from", nodes.Extends: "extends", nodes.Block: "block",
    nodes.ScopedEvalContextModifier: "autoescape", nodes.EvalContextModifier: "autoescape",
})
INTERNAL = re.compile(r"_\w*")
LIST_MARKER = re.compile(r"^\s*[0-9]+[.)]\s")  # Markdown numbers only ASCII digits as lists
LINK_TARGET = re.compile(r"\]\([^)]*\)|\{:[^}]*\}")  # link targets and `{: #id }`: not prose
RAW = re.compile(r"\{%[-+]?\s*raw\b")
SHOWN_CHARS = 40  # of a constant named in a message
GAP = "\x1a"  # where an expression or comment was: text on either side does not join


class Refusal(NamedTuple):
    code: str
    message: str
    hint: str


def environment() -> Environment:
    """Only to parse and lex: nothing is ever rendered through it."""
    return Environment(keep_trailing_newline=True, autoescape=False)


_ENV = environment()


# --- What a reader would read as a number ------------------------------------------------

ASCII_NUMBER = re.compile(r"[0-9][0-9,.]*")


def numbers_shown(text: str) -> list[str]:
    """The runs of numerals in text, each with the commas and points inside it ("2,463.5")."""
    if text.isascii():  # most prose: one regex instead of a lookup per character
        return [run.rstrip(".,") for run in ASCII_NUMBER.findall(text)]
    found, current = [], ""
    for char in text:
        if is_numeral(char) or (current and char in ",."):
            current += char
        elif current:
            found.append(current)
            current = ""
    if current:
        found.append(current)
    return [run.rstrip(".,") for run in found]


def printed_lines(text: str, first_line: int = 1) -> list[tuple[int, str]]:
    """The text a template prints as it stands, line by line with the file's line numbers:
    every expression, statement and comment is left out (a GAP marks where it was)."""
    try:
        tokens = list(_ENV.lex(text))
    except TemplateSyntaxError:  # the render reports it; read the text as it stands
        return list(enumerate(text.splitlines(), first_line))
    lines: dict[int, list[str]] = {}
    for lineno, kind, value in tokens:
        if kind == "data":
            for offset, piece in enumerate(value.split("\n")):
                lines.setdefault(lineno + offset, []).append(piece)
        elif lines.get(lineno, [""])[-1:] != [GAP]:
            lines.setdefault(lineno, []).append(GAP)
    return [(lineno + first_line - 1, "".join(parts)) for lineno, parts in sorted(lines.items())]


def visible_numbers(line: str) -> list[str]:
    """The numbers a reader sees on one printed line: list markers and link targets are not
    read; character references (&#51; &sup3; &frac12;) are read as what they show."""
    read = LINK_TARGET.sub("", LIST_MARKER.sub("", line))
    return numbers_shown(html.unescape(read) if "&" in read else read)


def bare_numbers(text: str, path: str, first_line: int = 1,
                 facts: dict[str, Fact] | None = None) -> Iterator[Problem]:
    """The drift guard: a number printed as typed instead of coming from the fact base. It
    reads what the template prints, as a reader would: any numeral (³, ½, Ⅲ, ３) and any
    character reference that shows one (&#51;, &sup3;)."""
    for number, line in printed_lines(text, first_line):
        found = visible_numbers(line)
        if found:
            shown = ", ".join(f"'{n}'" for n in found)
            yield Problem(path, number, "bare-number",
                          f"number {shown} typed into the prose instead of taken from the fact base",
                          bare_number_hint(found, facts or {}))


def bare_number_hint(found: list[str], facts: dict[str, Fact]) -> str:
    """Name the fact that has the typed value, when one has: the likely intent."""
    for text in found:
        matching = [key for number in numbers_in(text) for key in facts_with_value(number, facts)]
        if matching:
            return (f"'{text}' is the value of fact '{matching[0]}': insert it with "
                    f"{fact_expression(matching[0])}")
    return ("insert it with {{ fact.KEY }}; for a number that is not clinical "
            '(a phone number, a count) write {{ literal("...") }}')


# --- The allow-list ----------------------------------------------------------------------

def _strings(node: nodes.Node) -> list[str]:
    return [arg.value for arg in getattr(node, "args", [])
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str)]


def _plain_call(node: nodes.Node, name: str | None = None) -> bool:
    """name("quoted", "text"): a writer function, quoted text only, the right number of it."""
    if not (isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name)):
        return False
    called = node.node.name
    if called not in CALL_ARGUMENTS or (name and called != name):
        return False
    least, most = CALL_ARGUMENTS[called]
    count = len(node.args)
    return (not node.kwargs and node.dyn_args is None and node.dyn_kwargs is None
            and len(_strings(node)) == count and count >= least
            and (most is None or count <= most))


def _a_fact(node: nodes.Node) -> bool:
    """fact.KEY or fact("source.key")."""
    if isinstance(node, nodes.Getattr):
        return (isinstance(node.node, nodes.Name) and node.node.name == "fact"
                and not node.attr.startswith("_"))
    return _plain_call(node, "fact")


def allowed(node: nodes.Node) -> bool:
    if _a_fact(node):
        return True
    if isinstance(node, nodes.Getattr) and node.attr in FACT_PARTS and _a_fact(node.node):
        return True
    return _plain_call(node) and not _plain_call(node, "fact")


def _post_order(node: nodes.Node) -> Iterator[nodes.Node]:
    """Children first: `a.b.c` gives a, a.b, a.b.c, the order they are written in."""
    for child in node.iter_child_nodes():
        yield from _post_order(child)
    yield node


def _internal(node: nodes.Node) -> str | None:
    """The first name in node that reaches for Python's internals ("__class__", "_facts")."""
    for part in _post_order(node):
        for name in _names_of(part):
            match = INTERNAL.search(name) if name.startswith("_") or "__" in name else None
            if match:
                return _short(match.group())
    return None


def _names_of(node: nodes.Node) -> list[str]:
    if isinstance(node, nodes.Getattr):
        return [node.attr]
    if isinstance(node, nodes.Name):
        return [node.name]
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, nodes.Keyword):
        return [node.key]
    return []


def _unknown_name(node: nodes.Node) -> str | None:
    for part in _post_order(node):
        if isinstance(part, nodes.Name) and part.name not in CALL_ARGUMENTS:
            return _short(part.name)
    return None


def _root(node: nodes.Node) -> str | None:
    """The writer name a chain of calls, attributes and subscripts starts from, if any."""
    while isinstance(node, (nodes.Getattr, nodes.Getitem, nodes.Call)):
        node = node.node
    return node.name if isinstance(node, nodes.Name) else None


def _shown(node: nodes.Node) -> str:
    """The expression as a writer would recognise it, in short."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_shown(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        return f"{_shown(node.node)}[...]"
    if isinstance(node, nodes.Call):
        return f"{_shown(node.node)}(...)"
    if isinstance(node, nodes.Const):
        text = _short(str(node.value))
        return f'"{text}"' if isinstance(node.value, str) else text
    return "..."


def _short(text: str) -> str:
    """Typed text in a message: on one line, however typed, and not too long."""
    text = " ".join(text.split())
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 3] + "..."


def _refuse_writer_use(node: nodes.Node, name: str) -> Refusal:
    """fact, cite, term or literal, used otherwise than documented."""
    if isinstance(node, nodes.Name):
        return Refusal("prose-not-allowed", f"'{name}' alone is not a complete call", FIX[name])
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
        return Refusal("prose-not-allowed",
                       f"{name}() takes only text in quotes, as many as documented "
                       f"(not {_arguments(node)})", FIX[name])
    if isinstance(node, nodes.Getitem) or any(
            isinstance(part, nodes.Getitem) for part in _post_order(node)):
        return Refusal("prose-not-allowed", f"prose may not use [...] on '{name}'", FIX[name])
    return Refusal("unsafe-template",
                   f"unsafe template: '{_shown(node)}' reaches into the objects behind "
                   f"{name}, which prose may not do", FIX[name])


def _arguments(node: nodes.Call) -> str:
    if node.kwargs or node.dyn_args or node.dyn_kwargs:
        return "named or starred arguments"
    if len(_strings(node)) != len(node.args):
        return "a number, a name or a calculation"
    return f"{len(node.args)} of them"


OPERATORS: MappingProxyType[type, str] = MappingProxyType({
    nodes.Add: "+", nodes.Sub: "-", nodes.Mul: "*", nodes.Div: "/", nodes.FloorDiv: "//",
    nodes.Mod: "%", nodes.Pow: "**", nodes.Neg: "-", nodes.Pos: "+", nodes.Not: "not",
    nodes.And: "and", nodes.Or: "or", nodes.Compare: "a comparison"})


def _reaches_internals(internal: str) -> Refusal:
    return Refusal("unsafe-template", f"unsafe template: '{internal}' reaches into Python's "
                   "internals, which prose may not do", USE_THE_NAMES)


def _refuse_expression(node: nodes.Node) -> Refusal:
    internal = _internal(node)
    if internal:
        return _reaches_internals(internal)
    unknown = _unknown_name(node)
    if unknown:
        return Refusal("unknown-name", f"'{unknown}' is not a name prose can use",
                       f"the names you can use are {WRITER_NAMES}")
    if type(node) in OPERATORS:
        return Refusal("prose-not-allowed",
                       f"prose may not calculate ('{OPERATORS[type(node)]}')", FIGURE_FIX)
    if isinstance(node, nodes.Concat):
        return Refusal("prose-not-allowed", "prose may not join texts with '~'",
                       "write the text itself, and insert each figure with {{ fact.KEY }}")
    if isinstance(node, nodes.Filter):
        return Refusal("prose-not-allowed", f"prose may not use filters ('| {node.name}')",
                       "write the text itself; prose may not use filters")
    if isinstance(node, nodes.Test):
        return Refusal("prose-not-allowed", f"prose may not use tests ('is {node.name}')",
                       "write the text itself; prose may not test values")
    if isinstance(node, nodes.CondExpr):
        return Refusal("prose-not-allowed", "prose may not choose between texts ('if ... else')",
                       "write one text: each audience has its own file")
    if isinstance(node, (nodes.Const, nodes.Literal)):
        return _refuse_constant(node)
    name = _root(node)
    if name:
        return _refuse_writer_use(node, name)
    return Refusal("prose-not-allowed", "this expression is not part of the prose language",
                   USE_THE_NAMES)


def _refuse_constant(node: nodes.Node) -> Refusal:
    """{{ "300" }}, {{ 300 }}, {{ [3] }}: printed as it stands, past every check."""
    digits = any(numbers_shown(str(part.value)) for part in _post_order(node)
                 if isinstance(part, nodes.Const))
    return Refusal("prose-not-allowed", f"prose may not print a constant ({_shown(node)})",
                   CONSTANT_FIX if digits else TEXT_FIX)


def _refuse_statement(node: nodes.Node) -> Refusal:
    tag = next((t for cls, t in STATEMENT_TAGS.items() if isinstance(node, cls)),
               type(node).__name__.lower())
    internal = _internal_in_statement(node)
    if internal:
        return _reaches_internals(internal)
    return Refusal("prose-not-allowed", f"prose may not use {{% {tag} %}}",
                   STATEMENT_FIX.get(tag, OTHER_STATEMENT_FIX))


def _internal_in_statement(node: nodes.Node) -> str | None:
    """Internals in the statement's own expressions; its body is checked as prose."""
    for child in node.iter_child_nodes():
        if isinstance(child, nodes.Expr):
            found = _internal(child)
            if found:
                return found
    return None


# --- Checking and evaluating a text ------------------------------------------------------

Report = Callable[[int, Refusal], None]


def check_language(template: nodes.Template, report: Report,
                   words_fix: Callable[[list[str]], str]) -> list[nodes.Output]:
    """Report every construct outside the allow-list; return the output nodes to evaluate."""
    outputs: list[nodes.Output] = []
    _check_body(template.body, report, words_fix, outputs, refused=False)
    return outputs


def _check_body(body: list[nodes.Node], report: Report, words_fix: Callable[[list[str]], str],
                outputs: list[nodes.Output], refused: bool) -> None:
    for node in body:
        if isinstance(node, nodes.Output):
            for expr in node.nodes:
                if isinstance(expr, nodes.TemplateData):
                    continue
                if not allowed(expr):
                    report(expr.lineno, _refuse_expression(expr))
                else:
                    _check_words(expr, report, words_fix)
            if not refused:
                outputs.append(node)
            continue
        report(node.lineno, _refuse_statement(node))
        # what the statement holds is prose too: report its problems in the same pass
        elifs = getattr(node, "elif_", [])
        for child in _statements(node):
            inner = _statements(child) if child in elifs else [child]  # not another {% if %}
            _check_body(inner, report, words_fix, outputs, True)


def _statements(node: nodes.Node) -> list[nodes.Node]:
    return [child for child in node.iter_child_nodes() if isinstance(child, nodes.Stmt)]


def _check_words(node: nodes.Node, report: Report, words_fix: Callable[[list[str]], str]) -> None:
    """term("key", "shown words"): the words are printed, so they may hold no number."""
    words = _strings(node)[1:] if _plain_call(node, "term") else []
    if words:
        found = numbers_shown(html.unescape(words[0]))
        if found:
            shown = ", ".join(f"'{n}'" for n in found)
            report(node.lineno, Refusal(
                "bare-number", f"number {shown} typed into the words of term() instead of "
                "taken from the fact base", words_fix(found)))


def parse(text: str) -> nodes.Template:
    """Raises TemplateSyntaxError."""
    return _ENV.parse(text)


TOO_DEEP = Refusal("prose-not-allowed", "the template nests too deeply to be read",
                   "write the text itself; between {{ }} prose may only insert a fact, a "
                   "citation, a term or a literal, which nest nothing")
OPENING = MappingProxyType({"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1})


def deepest_line(text: str) -> int:
    """Where a text that is too deep to parse nests deepest (brackets, blocks), or else holds
    the longest expression: the line to name when the parser gives up."""
    depth, deepest, at = 0, -1, 1
    count: dict[int, int] = {}
    previous = ""
    for lineno, kind, value in _tokens(text):
        if kind == "operator":
            depth += OPENING.get(value, 0)
        elif kind == "name" and previous == "block_begin":
            depth += -1 if value.startswith("end") else 1
        count[lineno] = count.get(lineno, 0) + 1
        if depth > deepest:
            deepest, at = depth, lineno
        previous = kind if kind != "whitespace" else previous
    return at if deepest > 1 else max(count, key=count.__getitem__, default=1)


def _tokens(text: str) -> Iterator[tuple[int, str, str]]:
    """The lexer's tokens up to the first syntax error, if any."""
    try:
        yield from _ENV.lex(text)
    except TemplateSyntaxError:
        return


def raw_blocks(text: str) -> list[int]:
    """The lines of {% raw %}: its text is printed as it stands, past the parse tree."""
    if not RAW.search(text):  # lexing again costs as much as a third of the parse
        return []
    return [lineno for lineno, kind, _ in _tokens(text) if kind == "raw_begin"]


def evaluate(expr: nodes.Node, names: dict[str, object]) -> str:
    """One allowed expression: a fact, a citation, a term or a literal. Raises ContentError."""
    if isinstance(expr, nodes.TemplateData):
        return expr.data
    if isinstance(expr, nodes.Getattr) and expr.attr in FACT_PARTS and _a_fact(expr.node):
        return str(getattr(_fact(expr.node, names), expr.attr))
    if _a_fact(expr):
        return str(_fact(expr, names))
    assert isinstance(expr, nodes.Call) and isinstance(expr.node, nodes.Name)
    function = names[expr.node.name]
    assert callable(function)
    return str(function(*_strings(expr)))


def _fact(node: nodes.Node, names: dict[str, object]) -> object:
    book = names["fact"]
    if isinstance(node, nodes.Getattr):
        return book[node.attr]  # type: ignore[index]
    assert callable(book)
    return book(*_strings(node))


def render(outputs: list[nodes.Output], names: dict[str, object],
           report: Callable[[int, ContentError], None]) -> str | None:
    """The text with every allowed expression replaced by its markup; None after any failure
    (each one reported at its line)."""
    pieces: list[str] = []
    failed = False
    for output in outputs:
        for expr in output.nodes:
            if not isinstance(expr, nodes.TemplateData) and not allowed(expr):
                continue  # reported by check_language
            try:
                pieces.append(evaluate(expr, names))
            except ContentError as exc:
                report(expr.lineno, exc)
                failed = True
    return None if failed else "".join(pieces)


def problem(path: str, line: int, refusal: Refusal) -> Problem:
    return Problem(path, line, refusal.code, refusal.message, refusal.hint)
