"""Stage 3, render: each topic x audience prose, in the closed prose language (prose.py)."""
from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError, nodes
from markupsafe import Markup, escape

from . import prose
from ..base.suggest import suggest
from ..base.escaping import md_text
from ..facts.fact_base import fact_expression, facts_with_value, numbers_in, usable_facts
from ..facts.facts import FactBook
from ..base.faults import ToolFault
from ..base.model import Audience, Change, Fact, GlossaryEntry, Library, Topic
from ..base.problems import ContentError, Problem, relpath
from ..base.variant import Variant
from .warning_render import in_section, warning_block


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
    exempt from the drift guard, unless it is the value of a fact the topic can show. Marked as
    such in the page (span.edu-literal), so that a check of the published bytes can tell it
    from a number typed by accident."""

    def __init__(self, facts: dict[str, Fact]) -> None:
        self.facts = facts

    def __call__(self, text: str) -> Markup:
        for number in numbers_in(text):
            matching = facts_with_value(number, self.facts)
            if matching:
                names = ", ".join(f"'{key}'" for key in matching)
                raise ContentError(
                    "literal-is-a-fact",
                    f'literal("{text}") gives the value of fact {names}, a clinical figure',
                    f"insert it with {fact_expression(matching[0])}, so that it changes with the fact")
        return Markup('<span class="edu-literal">{}</span>').format(text)


@dataclass
class Writer:
    """The four functions one variant's prose may call, and what they record."""

    facts: FactBook
    citer: Citer
    glossary: Glossary
    literal: Literal

    @classmethod
    def of(cls, library: Library, topic: Topic, audience: Audience) -> "Writer":
        return cls(FactBook(topic.facts, audience.numbers, library.site.strings.facts,
                            library.shared_facts, topic),
                   Citer(topic), Glossary(library.glossary, tooltips=audience.glossary_tooltips),
                   Literal(usable_facts(library, topic)))

    def names(self) -> dict[str, object]:
        return {"fact": self.facts, "cite": self.citer, "term": self.glossary,
                "literal": self.literal}


def render_variant(library: Library, topic: Topic, audience: Audience
                   ) -> tuple[Variant | None, list[Problem]]:
    writer = Writer.of(library, topic, audience)
    names, facts = writer.names(), writer.literal.facts
    source = library.prose_file(audience.key, topic.key)
    text = topic.audiences[audience.key]
    answer_line = topic.short_answer_lines.get(audience.key, 1)
    problems: list[Problem] = []
    body = render_text(library.prose[(audience.key, topic.key)], source, 1, names, problems, facts)
    answer = render_text(text.short_answer, topic.source, answer_line, names, problems, facts)
    changes = render_changes(library, topic, audience, writer, problems)
    if body is None or answer is None or changes is None:
        # the drift guard, which check.py runs on what renders, reads the text as it stands
        # here, so that an editor sees every problem of the file in one pass
        problems += [problem for text, path, line in guarded_texts(library, topic, audience)
                     for problem in prose.bare_numbers(text, path, line, facts)]
        return None, problems
    warnings = warning_block(library, topic, audience, writer.citer)
    section = audience.warning_signs
    if section and section.place == "end_of_section":
        body, warnings = in_section(body, section.title, warnings), ""
    return Variant(topic, audience, source, text.title, answer, body,
                   frozenset(writer.facts._used), frozenset(writer.citer.cited),
                   frozenset(writer.glossary.used), frozenset(writer.glossary.words),
                   tuple(changes), warnings, edition=library.edition), problems


def render_changes(library: Library, topic: Topic, audience: Audience, writer: Writer,
                   problems: list[Problem]) -> list[str] | None:
    """The variant's "What changed" entries, in the prose language. Of the summaries several
    audiences show, one variant reports the problems (owned_summaries), not each of them."""
    owned = owned_summaries(topic, audience.key)
    shown: list[str] = []
    for i, change in enumerate(topic.changes):
        where = _summary_key(change, i, audience.key)
        scratch: list[Problem] = []
        rendered = render_text(change.summary_for(audience.key), topic.source,
                               topic.change_lines.get(where, 1), writer.names(),
                               problems if where in owned else scratch, writer.literal.facts)
        if rendered is None:
            return None
        shown.append(rendered)
    for text, line in _unshown(topic, audience.key, owned).values():  # shown by no audience
        spare = Writer.of(library, topic, audience)  # records nothing this variant shows
        render_text(text, topic.source, line, spare.names(), problems, spare.literal.facts)
    return shown


def guarded_texts(library: Library, topic: Topic, audience: Audience
                  ) -> list[tuple[str, str, int]]:
    """(text, path, first line) of what the drift guard reads for one variant: its prose, its
    short answer, and the change summaries it reports for (owned_summaries)."""
    prose_file = library.prose_file(audience.key, topic.key)
    return [(library.prose[(audience.key, topic.key)], prose_file, 1),
            (topic.audiences[audience.key].short_answer, topic.source,
             topic.short_answer_lines.get(audience.key, 1)),
            *((text, topic.source, line)
              for text, line in owned_summaries(topic, audience.key).values())]


def _summary_key(change: Change, index: int, audience: str) -> str:
    """The key of change_lines for the summary an audience reads: "0", or "0.patient"."""
    return f"{index}.{audience}" if audience in change.summaries else str(index)


def owned_summaries(topic: Topic, audience: str) -> dict[str, tuple[str, int]]:
    """The change summaries whose problems this audience's variant reports, by change_lines
    key: each summary is reported once, by the first audience (by key) that shows it, or by
    the topic's first audience when none does."""
    readers = sorted(topic.audiences)
    owned = {}
    for i, change in enumerate(topic.changes):
        texts = {str(i): change.summary, **{f"{i}.{k}": t for k, t in change.summaries.items()}}
        for where, text in texts.items():
            shown_by = [a for a in readers if _summary_key(change, i, a) == where]
            owner = (shown_by or readers or [audience])[0]
            if owner == audience:
                owned[where] = (text, topic.change_lines.get(where, 1))
    return owned


def _unshown(topic: Topic, audience: str, owned: dict[str, tuple[str, int]]
             ) -> dict[str, tuple[str, int]]:
    shown = {_summary_key(change, i, audience) for i, change in enumerate(topic.changes)}
    return {where: found for where, found in owned.items() if where not in shown}


def render_text(text: str, path: str, first_line: int, names: dict[str, object],
                problems: list[Problem], facts: dict[str, Fact] | None = None) -> str | None:
    """Check one piece of prose against the prose language, then render it; every problem is
    recorded at its file and line, and any problem gives None. Only what the writer's text
    caused is a problem: an exception of this tool's own while rendering is a ToolFault."""
    before = len(problems)
    outputs = _checked(text, path, first_line - 1, problems, facts)
    if outputs is None:
        return None

    def failed(line: int, exc: ContentError) -> None:
        problems.append(Problem(path, line + first_line - 1, exc.code, exc.message, exc.hint))

    try:
        rendered = prose.render(outputs, names, failed)
    except MemoryError:  # the machine's limit, not a bug: it stays what it is
        raise
    except Exception as exc:  # the writer's ContentErrors are reported through failed
        raise ToolFault(f"the build tool failed while rendering the prose of {path} (from "
                        f"line {first_line})", traceback.format_exc()) from exc
    return rendered if len(problems) == before else None


def _checked(text: str, path: str, offset: int, problems: list[Problem],
             facts: dict[str, Fact] | None) -> list[nodes.Output] | None:
    """The text's output expressions, parsed and held against the prose language, each
    refusal recorded; None when it cannot be parsed. Jinja's parser and the checks recurse as
    deep as the writer's text nests, so here (and only here) a RecursionError is the text's."""
    try:
        template = prose.parse(text)
    except TemplateSyntaxError as exc:
        problems.append(Problem(path, (exc.lineno or 1) + offset, "template-syntax",
                                f"template syntax error: {exc.message}",
                                "check the {{ ... }} expressions on this line"))
        return None
    except RecursionError:
        problems.append(prose.problem(path, prose.deepest_line(text) + offset, prose.TOO_DEEP))
        return None

    def refused(line: int, refusal: prose.Refusal) -> None:
        problems.append(prose.problem(path, line + offset, refusal))

    for line in prose.raw_blocks(text):
        refused(line, prose.Refusal("prose-not-allowed", "prose may not use {% raw %}",
                                    prose.OTHER_STATEMENT_FIX))
    try:
        return prose.check_language(template, refused, lambda found: (
            "keep numbers out of the shown words; " + prose.bare_number_hint(found, facts or {})))
    except RecursionError:
        problems.append(prose.problem(path, prose.deepest_line(text) + offset, prose.TOO_DEEP))
        return None


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
