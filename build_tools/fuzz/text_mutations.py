"""Jinja- and Markdown-aware mutations of prose: what a writer could type around the calls.

Prose lives in audiences/<audience>/<topic>.md and in topic.yml (titles, short answers,
change summaries); a mutation either inserts a snippet at the start or end of a line of a
prose file, replaces one of its `{{ ... }}` calls, or edits a prose value of topic.yml.
"""
from __future__ import annotations

import json
import random
import re

from .mutations import Mutation, Tree
from .yaml_mutations import dotted, replace, scalars

JINJA = (
    "{{ 150 * 2 }}", "{{ 1 + 1 }}", "{{ 10 // 3 }}", "{{ 2 ** 10 }}", "{{ 9 ** 9 ** 9 }}",
    "{{ 'ab' * 100000000 }}", "{{ 'x' * 1000 }}", "{{ 'x' * 10000000 }}", "{{ '3' ~ '00' }}",
    "{{ 'abc' | upper }}", "{{ fact.KEY | string }}", "{{ fact.KEY | replace('2', '3') }}",
    "{{ fact.KEY | length }}", "{{ 300 | string }}", "{{ fact.KEY | e }}", "{{ fact.KEY | safe }}",
    "{{ fact.KEY | wordcount }}", "{{ 'a' | center(100000000) }}", "{{ fact.KEY | format }}",
    "{{ fact.KEY | int }}", "{{ fact.KEY | list }}", "{{ fact.KEY | attr('fact') }}",
    "{% set x = 300 %}{{ x }}", "{% set x = fact.KEY %}{{ x }}",
    "{% for i in [1, 2, 3] %}{{ i }}{% endfor %}", "{% for i in range(10) %}x{% endfor %}",
    "{% for a in 'x' * 1000 %}{% for b in 'x' * 1000 %}{% for c in 'x' * 1000 %}y"
    "{% endfor %}{% endfor %}{% endfor %}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "{{ fact.KEY.fact }}", "{{ fact.KEY.fact.value }}", "{{ fact.KEY.fact.model_dump() }}",
    "{{ fact.KEY.style }}", "{{ fact._facts }}", "{{ fact.__class__ }}", "{{ cite.__globals__ }}",
    "{{ cite.numbers }}", "{{ cite.cited }}", "{{ term.entries }}", "{{ literal.facts }}",
    "{{ fact.KEY.fact.model_fields }}", "{{ fact.KEY.fact.__dict__ }}",
    "{{ fact.KEY.fact.model_json_schema() }}", "{{ fact.KEY.fact.verified }}",
    "{{ fact.KEY.fact.fact }}", "{{ fact.KEY.fact.refs }}", "{{ fact.KEY.exact.upper() }}",
    "{{ 300 }}", "{{ '300' }}", "{{ '3' '00' }}", "{{ 3.0e2 }}", "{{ [300] }}",
    "{{ {'a': 300} }}", "{{ none }}", "{{ true }}", "{{ foo }}", "{{ fact.nope }}",
    "{{ fact('nope.x') }}", "{{ cite('nope') }}", "{{ cite() }}", "{{ term('nope') }}",
    "{{ literal(300) }}", "{{ literal('2.6') }}", "{{ literal() }}", "{{ term('brace', 300) }}",
    "{{ term('brace', '300 adults') }}", "{{ fact(300) }}", "{{ cite(1) }}",
    "{{ fact['KEY'] }}", "{{ fact[0] }}", "{{ fact.KEY() }}", "{{ fact }}", "{{ cite }}",
    "{{ fact.KEY.grade }}", "{{ fact.KEY.value.value }}", "{{ fact.KEY ", "{% if %}",
    "{% for x in y %}", "{{", "{#", "{% endfor %}", "{% raw %}", "{% include 'page.md.j2' %}",
    "{% extends 'x' %}", "{% import 'x' as y %}", "{% filter upper %}x{% endfilter %}",
    "{% call %}", "{% block b %}{% endblock %}", "{% with x = 1 %}{{ x }}{% endwith %}",
    "{% do x %}", "{{ self }}", "{{ loop }}", "{{ caller() }}", "{{ varargs }}",
    "{{ lipsum() }}", "{{ namespace() }}", "{{ config }}", "{{ request }}",
    "{{ ''.__class__.__mro__ }}", "{{ fact.KEY | map('upper') | list }}",
    "{{ fact.KEY | batch(100000000) | list }}", "{{ 'x' | indent(100000000) }}",
    "{{ fact.KEY | default('300') }}", "{{ cite('smith2020') * 100 }}",
)
MARKDOWN = (
    "<b>bold</b>", "<script>alert(1)</script>", "<SCRIPT SRC=//x.example/a.js></SCRIPT>",
    "<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))", "[click](JaVaScRiPt:alert(1))", "[x](java\tscript:alert(1))",
    "[x](//evil.example/)", "[x](https://evil.example/)", "<iframe src=//x></iframe>",
    "<!-- comment -->", "<style>body{display:none}</style>", "&#51;&#48;&#48; adults",
    "&#x33;00 adults", "\u00b3\u2070\u2070 adults", "\uff13\uff10\uff10 adults",
    "\u0663\u0660\u0660 adults", "300 adults", "1. item", "<details open>", "<svg onload=alert(1)>",
    "<math><mi>x</mi></math>", "<form action=//x><input></form>", "<object data=x></object>",
    "<embed src=x>", "<base href=//x/>", '<meta http-equiv="refresh" content="0;url=//x">',
    "<div markdown>**x**</div>", '{: onclick="alert(1)" }', "## Heading {: #edu-references }",
    "```\ncode 300\n```", "| a | b |\n|---|---|\n| x | y |", "> quote", "\\{{ x }}", "***",
    " ".join(["long"] * 3000) + ".", "<p style=\"background:url(//x)\">x</p>",
    "![img](//x.example/a.png)", "<https://evil.example/>", "[x]: javascript:alert(1)\n\n[y][x]",
    "<a href=\"&#106;avascript:alert(1)\">x</a>", "Supercalifragilisticexpialidocious " * 40,
)


def prose_targets(tree: Tree) -> list[str]:
    return tree.prose() + [p for p in tree.sources("topic.yml")]


def jinja_mutation(tree: Tree, rng: random.Random) -> Mutation:
    rel = rng.choice(prose_targets(tree))
    snippet = rng.choice(JINJA).replace("KEY", _fact_key(tree, rel, rng))
    if rng.random() < 0.15:  # two independent errors: both must be reported
        snippet = snippet + "\n\n" + rng.choice(JINJA).replace("KEY", "nope")
    return _insert(tree, rel, snippet, rng, "jinja")


def markdown_mutation(tree: Tree, rng: random.Random) -> Mutation:
    rel = rng.choice(prose_targets(tree) + tree.sources(".md"))
    if rel.endswith(".md") and rng.random() < 0.25:
        return _headings(tree, rel, rng)
    return _insert(tree, rel, rng.choice(MARKDOWN), rng, "markdown")


def _fact_key(tree: Tree, rel: str, rng: random.Random) -> str:
    topic = rel.removesuffix(".md").split("/")[-1] if rel.endswith(".md") else rel.split("/")[2]
    sites, _ = scalars(_text(tree, f"content/topics/{topic}/facts.yml"))
    keys = sorted({str(s.path[0]) for s in sites if s.is_key and len(s.path) == 1})
    return rng.choice(keys) if keys else "nope"


def _text(tree: Tree, rel: str) -> str:
    try:
        return tree.read(rel).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _insert(tree: Tree, rel: str, snippet: str, rng: random.Random, family: str) -> Mutation:
    text = tree.read(rel).decode("utf-8")
    if rel.endswith(".yml"):
        sites, _ = scalars(text)
        prose = [s for s in sites if not s.is_key and s.path[-1] in ("title", "short_answer",
                                                                     "summary", "question")]
        site = rng.choice(prose)
        new = json.dumps(site.value + " " + snippet, ensure_ascii=False)
        tree.write(rel, replace(text, site, new))
        return Mutation(family, rel, f"append {snippet[:60]!r} to {dotted(site.path)}")
    calls = list(re.finditer(r"\{\{.*?\}\}", text))
    if calls and rng.random() < 0.4:
        call = rng.choice(calls)
        tree.write(rel, text[:call.start()] + snippet + text[call.end():])
        line = text.count("\n", 0, call.start()) + 1
        return Mutation(family, rel,
                        f"replace {call.group(0)!r} on line {line} by {snippet[:60]!r}")
    lines = text.splitlines(keepends=True)
    i = rng.randrange(len(lines) + 1)
    if i == len(lines) or rng.random() < 0.5:
        lines.insert(i, snippet + "\n")
        what = f"insert line {i + 1}: {snippet[:60]!r}"
    else:
        lines[i] = lines[i].rstrip("\n") + " " + snippet + "\n"
        what = f"append {snippet[:60]!r} to line {i + 1}"
    tree.write(rel, "".join(lines))
    return Mutation(family, rel, what)


def _headings(tree: Tree, rel: str, rng: random.Random) -> Mutation:
    text = tree.read(rel).decode("utf-8")
    how = rng.choice(["remove", "demote", "rename", "only"])
    if how == "remove":
        new = re.sub(r"(?m)^## .*\n", "", text)
    elif how == "demote":
        new = re.sub(r"(?m)^## ", "### ", text)
    elif how == "rename":
        new = re.sub(r"(?m)^## (.*)$", r"## \1 again", text)
    else:
        new = "".join(line for line in text.splitlines(keepends=True) if line.startswith("## "))
    tree.write(rel, new)
    return Mutation("markdown", rel, f"{how} the ## headings")
