"""The whole core: load -> validate -> render -> check, giving pages or problems."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from jinja2 import TemplateError

from .listing import related_topics
from .model import Library, Topic
from .pages import Assembler, NavItem, Page
from .problems import Problem, apply_strict, errors
from .render import Variant, template_problem
from .render_cache import render_all, topic_pages
from .timing import stage
from .validate import load_library

Mode = Literal["publish", "preview"]


@dataclass
class Result:
    """What one run of the core produced."""

    problems: list[Problem]
    library: Library | None = None
    variants: list[Variant] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    nav: list[NavItem] = field(default_factory=list)
    left_out: list[Topic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


def banners(library: Library, shown: list[Topic]) -> dict[str, str]:
    policy = library.site.policy
    out: dict[str, str] = {}
    for topic in shown:
        text = policy.banners.get(topic.status, "")
        if topic.status not in policy.published_states:
            text = f"{policy.draft_banner}. {text}".strip()
        if text:
            out[topic.key] = text
    return out


def content_epoch(library: Library) -> int:
    """The newest date in the content: a build timestamp that only changes with the inputs."""
    dates = [c.date for t in library.topics.values() for c in t.changes]
    dates += [t.last_reviewed for t in library.topics.values() if t.last_reviewed]
    newest = max(dates, default=datetime.date(2000, 1, 1))
    return int(datetime.datetime(newest.year, newest.month, newest.day,
                                 tzinfo=datetime.timezone.utc).timestamp())


def generate(root: Path, mode: Mode = "publish", strict: bool = False) -> Result:
    with stage("validate"):
        library, problems = load_library(root)
    if library is None or errors(problems):
        return Result(apply_strict(problems, strict))
    published = library.site.policy.published_states
    topics = sorted(library.topics.values(), key=lambda t: t.key)
    shown = [t for t in topics if mode == "preview" or t.status in published]
    shown_keys = {t.key for t in shown}  # by key: comparing whole topics is slow at scale
    result = Result(problems, library, left_out=[t for t in topics if t.key not in shown_keys])
    with stage("render"):
        result.variants, found = render_all(root, library, topics)
    problems.extend(found)
    result.problems = apply_strict(problems, strict)
    if result.ok:
        with stage("pages"):
            assemble(root, result, shown, mode)
    return result


def assemble(root: Path, result: Result, shown: list[Topic], mode: Mode) -> None:
    """Fill the page templates; a broken template is a problem at its line, not a traceback."""
    assert result.library is not None
    shown_keys = {t.key for t in shown}  # by key: comparing whole topics is slow at scale
    variants = [v for v in result.variants if v.topic.key in shown_keys]
    assembler = Assembler(root, result.library, banners(result.library, shown),
                          related_topics(shown, variants), variants)
    try:
        result.pages = topic_pages(root, assembler, variants)
        result.pages += assembler.site_pages(shown)
        result.nav = assembler.nav(shown)
    except TemplateError as exc:
        result.pages, result.nav = [], []
        result.problems.append(template_problem(exc, root, "page-template"))


