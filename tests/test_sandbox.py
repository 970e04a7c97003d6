"""Prose runs in Jinja's sandbox: a writer can use fact, cite, term and literal, and nothing else.

Each escape is typed into the patient prose on a line of its own; the real `build` must name that
file and line, exit non-zero, and write nothing: neither site/ nor the Markdown tree changes.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.core.facts.facts import FactBook
from build_tools.core.base.model import Topic
from build_tools.core.render.render import Citer, Literal, render_text
from conftest import run_cli, run_in_process
from projects import english_words
from test_faults import (PATIENT, good_project, line_number,  # noqa: F401 (fixtures)
                         problem_blocks, project_with_site, prose_first, tree_digest)

ESCAPES = [
    "{{ cycler.__init__.__globals__ }}",
    "{{ fact.__class__.__mro__ }}",
    "{{ ''.__class__ }}",
    "{{ fact._facts }}",
    "{{ cite.__globals__ }}",
    "{% for x in ().__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}",
    "{{ fact.min_vas_score.__class__.__init__.__globals__ }}",
    "{{ literal.__globals__['__builtins__'] }}",
    "{{ fact['__class__'] }}",
    "{{ fact | attr('__class__') }}",
    "{{ '{0.__class__}'.format(fact) }}",
    "{% set facts = fact._facts %}{{ facts }}",
]


@pytest.mark.parametrize("escape", ESCAPES)
def test_an_escape_fails_at_its_prose_line_and_writes_nothing(escape: str, project_with_site: Path):
    root = project_with_site
    site, docs = tree_digest(root / "site"), tree_digest(root / "build" / "docs")
    prose_first(f"{escape}\n")(root)  # the small project's patient page (tests/projects.py)
    result = run_in_process(root, "build")
    assert result.code == 1, result.text
    where = f"{PATIENT}:{line_number(root / PATIENT, escape)}"
    block = problem_blocks(result.text).get(where, "")
    assert "[unsafe-template]" in block, result.text
    assert "Traceback" not in result.text
    assert tree_digest(root / "site") == site
    assert tree_digest(root / "build" / "docs") == docs


def test_the_markdown_tree_is_not_written_either(project_with_site: Path, tmp_path: Path):
    prose_first("{{ cite.__globals__ }}")(project_with_site)
    out = tmp_path / "markdown"
    result = run_cli(project_with_site, "markdown", str(out))
    assert result.code == 1 and not out.exists()


def render(source: str) -> tuple[str | None, list]:
    problems: list = []
    names = {"fact": FactBook({}, "plain", english_words().facts), "cite": None, "term": None, "literal": Literal({})}
    return render_text(f"first line\n{source}\n", "p.md", 1, names, problems), problems


@pytest.mark.parametrize("source, code", [
    ("{{ range(10) }}", "unknown-name"),            # Jinja's default globals are gone
    ("{{ lipsum() }}", "unknown-name"),
    ("{{ dict(a=1) }}", "unknown-name"),
    ("{{ fact._used.add('x') }}", "unsafe-template"),
    ("{{ literal.__code__ }}", "unsafe-template"),
])
def test_only_the_writer_names_exist(source: str, code: str):
    rendered, problems = render(source)
    assert rendered is None
    assert [(p.path, p.line, p.code) for p in problems] == [("p.md", 2, code)]


def test_the_message_says_what_was_reached_for():
    _, problems = render("{{ ''.__class__.__mro__ }}")
    assert str(problems[0]) == (
        "p.md:2: error: unsafe template: '__class__' reaches into Python's internals, which "
        "prose may not do [unsafe-template]\n"
        "    fix: use only fact, cite, term, literal, as docs/authoring.md shows")


def test_recorded_citations_cannot_be_changed_from_prose():
    """Else `cite.cited.add("x")` would pass the uncited-reference check without a citation."""
    citer = Citer(Topic.model_construct(references=["a"]))
    problems: list = []
    names = {"fact": FactBook({}, "plain", english_words().facts), "cite": citer, "term": None, "literal": Literal({})}
    assert render_text("{{ cite.cited.add('a') }}", "p.md", 1, names, problems) is None
    assert problems[0].message == ("unsafe template: 'cite.cited.add(...)' reaches into the "
                                   "objects behind cite, which prose may not do")
    assert citer.cited == set()
