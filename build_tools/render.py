"""Stage 3, render: each topic x audience prose through a sandboxed Jinja environment."""
from __future__ import annotations

import traceback
from dataclasses import dataclass

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from .crosscheck import suggest
from .facts import FactBook
from .model import Audience, GlossaryEntry, Library, Topic
from .problems import ContentError, Problem

WRITER_NAMES = "fact, cite, term, literal"


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


class Glossary:
    """The `term(...)` function: a glossary term with its definition as a tooltip."""

    def __init__(self, entries: dict[str, GlossaryEntry], tooltips: bool) -> None:
        self.entries = entries
        self.tooltips = tooltips
        self.used: set[str] = set()

    def __call__(self, key: str, text: str | None = None) -> Markup:
        if key not in self.entries:
            raise ContentError("unknown-term", f"'{key}' is not in content/glossary.yml",
                               suggest(key, self.entries) or "add the term to the glossary")
        self.used.add(key)
        entry = self.entries[key]
        shown = escape(text or entry.term)
        if not self.tooltips:
            return Markup(shown)
        return Markup('<abbr class="edu-term" title="{}">{}</abbr>').format(entry.definition, shown)


def literal(text: object) -> str:
    """A number that is not clinical (a phone number, a count): exempt from the drift guard."""
    return str(text)


def sandbox() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False,
                               keep_trailing_newline=True)
    env.globals.clear()  # writers get exactly the names in WRITER_NAMES, not range/cycler/...
    return env


def render_variant(library: Library, topic: Topic, audience: Audience
                   ) -> tuple[Variant | None, list[Problem]]:
    facts = FactBook(topic.facts, audience.numbers)
    citer = Citer(topic)
    glossary = Glossary(library.glossary, tooltips=audience.key != "physician")
    names = {"fact": facts, "cite": citer, "term": glossary, "literal": literal}
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
                   frozenset(glossary.used)), problems


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
                                f"the template tried to reach something it may not: {exc}",
                                f"use only {WRITER_NAMES}"))
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
