"""Stage 3, render: each topic x audience prose through a sandboxed Jinja environment."""
from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (StrictUndefined, TemplateError, TemplateSyntaxError, Undefined,
                    UndefinedError)
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from .crosscheck import suggest
from .escaping import md_text
from .fact_base import fact_expression, facts_with_value, numbers_in, usable_facts
from .facts import FactBook
from .model import Audience, Fact, GlossaryEntry, Library, Topic
from .problems import ContentError, Problem, relpath

WRITER_NAMES = "fact, cite, term, literal"
MEMORY_ADDRESS = re.compile(r" at 0x[0-9a-f]+")  # would make the message differ run to run


@dataclass(frozen=True)
class Variant:
    """One topic written for one audience, rendered to Markdown."""

    topic: Topic
    audience: Audience
    source: str
    title: str
    short_answer: str
    body: str
    facts_used: frozenset[str]
    cited: frozenset[str]
    terms: frozenset[str]
    # (key, word) where the prose shows a term in other words than its headword
    term_words: frozenset[tuple[str, str]] = frozenset()

    @property
    def path(self) -> str:
        return f"{self.audience.key}/{self.topic.key}.md"


class Citer:
    """The `cite(...)` function: numbered links into the topic's reference list."""

    def __init__(self, topic: Topic) -> None:
        self.numbers = {key: i + 1 for i, key in enumerate(topic.references)}
        self.cited: set[str] = set()

    def __call__(self, *keys: str) -> Markup:
        if not keys:
            raise ContentError("empty-citation", "cite() needs at least one reference key",
                               'write cite("key")')
        for key in keys:
            if key not in self.numbers:
                raise ContentError("unknown-reference",
                                   f"'{key}' is not in this topic's reference list",
                                   suggest(key, self.numbers) or "add it to `references` in topic.yml")
        self.cited.update(keys)
        links = ", ".join(
            f'<a class="edu-cite" href="#ref-{k}">{self.numbers[k]}</a>'
            for k in sorted(set(keys), key=self.numbers.__getitem__))
        return Markup(f'<sup class="edu-cites">[{links}]</sup>')


# From a topic page (<audience>/<topic>/) to the glossary; raw HTML, which MkDocs leaves alone.
GLOSSARY_FROM_TOPIC = "../../glossary/"


class Glossary:
    """The `term(...)` function: a glossary term with its definition as a tooltip, linked to
    its glossary entry, so that touch, keyboard and no-JavaScript readers reach it too."""

    def __init__(self, entries: dict[str, GlossaryEntry], tooltips: bool) -> None:
        self.entries = entries
        self.tooltips = tooltips
        self.used: set[str] = set()
        self.words: set[tuple[str, str]] = set()

    def __call__(self, key: str, text: str | None = None) -> Markup:
        if key not in self.entries:
            raise ContentError("unknown-term", f"'{key}' is not in content/glossary.yml",
                               suggest(key, self.entries) or "add the term to the glossary")
        self.used.add(key)
        entry = self.entries[key]
        shown = escape(text or entry.term)
        other_words = text is not None and text.casefold() != entry.term.casefold()
        if other_words:
            self.words.add((key, str(text)))
        if not self.tooltips:
            return Markup(shown)
        # A reader who taps "usual care" learns it is the glossary's "Conservative treatment".
        # md_text: Markdown reads inline HTML's attributes too (a "[x](y)" in one broke the tag).
        title = f"{entry.term}: {entry.definition}" if other_words else entry.definition
        return Markup('<abbr class="edu-term" title="{}" data-term="{}"><a href="{}#term-{}">{}</a>'
                      '</abbr>').format(md_text(title), key, GLOSSARY_FROM_TOPIC, key, shown)


class Literal:
    """The `literal(...)` function: a number that is not clinical (a phone number, a count),
    exempt from the drift guard, unless it is the value of a fact the topic can show."""

    def __init__(self, facts: dict[str, Fact]) -> None:
        self.facts = facts

    def __call__(self, text: object) -> str:
        for number in numbers_in(str(text)):
            matching = facts_with_value(number, self.facts)
            if matching:
                names = ", ".join(f"'{key}'" for key in matching)
                raise ContentError(
                    "literal-is-a-fact",
                    f'literal("{text}") gives the value of fact {names}, a clinical figure',
                    f"insert it with {fact_expression(matching[0])}, so that it changes with the fact")
        return str(text)


class WriterSandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox with no name that starts with "_", whether or not the object has it.

    Jinja refuses such an attribute only when it exists, so `cite.__globals__` would pass for
    a typo ("no attribute"); an attempt to reach Python's internals is reported as what it is.
    Immutable: prose cannot change what cite() and term() have recorded (`cite.cited.add`).
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if attribute.startswith("_") and not isinstance(obj, Undefined):
            return self.unsafe_undefined(obj, attribute)
        return super().getattr(obj, attribute)  # an Undefined fails with its own, first, reason

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(argument, str) and argument.startswith("_") \
                and not isinstance(obj, Undefined):
            return self.unsafe_undefined(obj, argument)
        return super().getitem(obj, argument)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Undefined:
        why = ("reaches into Python's internals" if attribute.startswith("_")
               else "would change what the build records")
        return self.undefined(f"'{attribute}' {why}, which prose may not do",
                              name=attribute, obj=obj, exc=SecurityError)


def sandbox() -> SandboxedEnvironment:
    env = WriterSandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.globals.clear()  # writers get exactly the names in WRITER_NAMES, not range/cycler/...
    return env


def render_variant(library: Library, topic: Topic, audience: Audience
                   ) -> tuple[Variant | None, list[Problem]]:
    facts = FactBook(topic.facts, audience.numbers, library.shared_facts, topic)
    citer = Citer(topic)
    glossary = Glossary(library.glossary, tooltips=audience.key != "physician")
    names = {"fact": facts, "cite": citer, "term": glossary,
             "literal": Literal(usable_facts(library, topic))}
    source = f"audiences/{audience.key}/{topic.key}.md"
    text = topic.audiences[audience.key]
    answer_line = topic.short_answer_lines.get(audience.key, 1)
    problems: list[Problem] = []
    body = render_text(library.prose[(audience.key, topic.key)], source, 1, names, problems)
    answer = render_text(text.short_answer, topic.source, answer_line, names, problems)
    if body is None or answer is None:
        return None, problems
    return Variant(topic, audience, source, text.title, answer, body,
                   frozenset(facts._used), frozenset(citer.cited),
                   frozenset(glossary.used), frozenset(glossary.words)), problems


def render_text(text: str, path: str, first_line: int, names: dict[str, object],
                problems: list[Problem]) -> str | None:
    """Render one piece of prose; on failure record a problem at its file and line."""
    padded = "\n" * (first_line - 1) + text  # so Jinja's line numbers are the file's
    env = sandbox()
    try:
        rendered = env.from_string(padded).render(names)
    except TemplateSyntaxError as exc:
        problems.append(Problem(path, exc.lineno, "template-syntax",
                                f"template syntax error: {exc.message}",
                                "check the {{ ... }} expressions on this line"))
        return None
    except ContentError as exc:
        problems.append(Problem(path, _line(exc), exc.code, exc.message, exc.hint))
        return None
    except SecurityError as exc:
        problems.append(Problem(path, _line(exc), "unsafe-template",
                                f"unsafe template: {MEMORY_ADDRESS.sub('', str(exc))}",
                                f"use only {WRITER_NAMES}, as docs/authoring.md shows"))
        return None
    except UndefinedError as exc:
        problems.append(Problem(path, _line(exc), "unknown-name", str(exc.message),
                                f"the names you can use are {WRITER_NAMES}"))
        return None
    except Exception as exc:  # any other template failure is still the writer's to fix
        problems.append(Problem(path, _line(exc), "template-error", f"{type(exc).__name__}: {exc}",
                                f"use only {WRITER_NAMES} as documented"))
        return None
    return rendered[first_line - 1:]


def _line(exc: BaseException) -> int | None:
    """The template line that raised: Jinja rewrites tracebacks to point into the template."""
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__)
             if f.filename == "<template>"]
    return lines[-1] if lines else None


def template_problem(exc: TemplateError, root: Path, code: str) -> Problem:
    """A page or theme template that fails: its file and line in templates/, not a traceback."""
    where, line = _template_frame(exc, root.resolve() / "templates")
    if isinstance(exc, TemplateSyntaxError):
        message = f"template syntax error: {exc.message}"
    elif isinstance(exc, UndefinedError):
        message = str(exc.message)
    else:
        message = f"{type(exc).__name__}: {exc}"
    return Problem(relpath(where, root) if where else "templates", line, code, message,
                   "check the {{ ... }} and {% ... %} on this line against the names the "
                   "template is given")


def _template_frame(exc: TemplateError, templates: Path) -> tuple[Path | None, int | None]:
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return Path(exc.filename), exc.lineno
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if Path(f.filename).is_relative_to(templates)]
    return (Path(frames[-1].filename), frames[-1].lineno) if frames else (None, None)
