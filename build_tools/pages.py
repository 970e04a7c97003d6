"""Stage 3, render (continued): assemble the site's Markdown pages from rendered variants."""
from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from .check import plain_text
from .jsonld import medical_web_page
from .model import Audience, Library, Topic
from .references import reference_item
from .render import Variant
from .safety import safety_link

STATUS_LABELS = {"submitted": "Submitted", "under_review": "Under review", "approved": "Approved"}
SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?)])")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?<!\.)")
NavItem = Any


@dataclass(frozen=True)
class Page:
    """One file of the plain Markdown tree."""

    path: str
    text: str


def longdate(value: datetime.date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def summary_text(markdown: str) -> str:
    """A short answer as plain text for descriptions and PDF metadata: its citations go, and
    with them the space they leave before a full stop ("ease pain .")."""
    return SPACE_BEFORE_PUNCTUATION.sub(r"\1", plain_text(markdown))


def mailto_links(text: str) -> Markup:
    """Text with its e-mail addresses as mailto: links, so a reader can write with one tap."""
    return Markup(EMAIL.sub(lambda m: f'<a href="mailto:{m.group(0)}">{m.group(0)}</a>',
                            str(escape(text))))


def template_env(root: Path) -> SandboxedEnvironment:
    env = SandboxedEnvironment(loader=FileSystemLoader(root / "templates"),
                               undefined=StrictUndefined, trim_blocks=True,
                               keep_trailing_newline=True)
    env.filters["yaml"] = lambda text: json.dumps(str(text), ensure_ascii=False)
    env.filters["longdate"] = longdate
    env.filters["mailto"] = mailto_links
    return env


class Assembler:
    """Fills the page templates; one per build, shared by every page."""

    def __init__(self, root: Path, library: Library, banners: dict[str, str]) -> None:
        self.env = template_env(root)
        self.library = library
        self.site = library.site.settings
        self.banners = banners

    def audiences(self) -> list[Audience]:
        return sorted(self.library.audiences.values(), key=lambda a: (a.order, a.key))

    def render(self, template: str, **context: Any) -> str:
        general = self.library.site.disclaimers["general"]
        context = {"site": self.site, "disclaimer": general, **context}
        return self.env.get_template(template).render(context)

    def topic_page(self, variant: Variant) -> Page:
        topic, audience = variant.topic, variant.audience
        summary = summary_text(variant.short_answer)
        jsonld = medical_web_page(self.library, variant, summary)
        refs = [reference_item(i, self.library.references[key])
                for i, key in enumerate(topic.references, 1)]
        text = self.render(
            "topic.md.j2", variant=variant, topic=topic, audience=audience,
            others=[a for a in self.audiences() if a.key != audience.key],
            banner=self.banners.get(topic.key, ""), status_label=STATUS_LABELS[topic.status],
            references=refs, up="../",
            safety=safety_link(variant.body, audience.safety_section),
            disclaimer=self.library.site.disclaimers[audience.disclaimer],
            summary=summary, jsonld=json.dumps(jsonld, ensure_ascii=False, sort_keys=True))
        return Page(variant.path, text)

    def listing(self, topics: Iterable[Topic], audience: str | None) -> list[tuple[str, list[dict[str, str]]]]:
        rows = [{"key": t.key, "question": t.question, "status": t.status,
                 "title": t.audiences[audience].title if audience else t.question,
                 "category": t.category, "banner": self.banners.get(t.key, ""),
                 "banner_label": STATUS_LABELS[t.status]} for t in topics]
        rows.sort(key=lambda r: (r["category"], r["title"]))
        return [(c, list(group)) for c, group in groupby(rows, key=lambda r: r["category"])]

    def site_description(self) -> str:
        labels = ", ".join(a.label.lower() for a in self.audiences())
        return self.site.description or f"{self.site.site_name}: health topics explained for {labels}."

    def site_pages(self, topics: list[Topic]) -> list[Page]:
        name = self.site.site_name
        pages = [Page("index.md", self.render("home.md.j2", audiences=self.audiences(),
                                              categories=self.listing(topics, None),
                                              description=self.site_description()))]
        for audience in self.audiences():
            pages.append(Page(f"{audience.key}/index.md", self.render(
                "audience.md.j2", audience=audience,
                categories=self.listing(topics, audience.key))))
        policy = self.library.site
        pages.append(Page("editorial-policy.md", self.render(
            "page.md.j2", title="Editorial policy", body=policy.editorial_policy,
            description=f"How {name} chooses sources, writes and reviews its pages.")))
        pages.append(Page("advisory-board.md", self.render(
            "page.md.j2", title=self.site.advisory_board, body=policy.advisory_board_page,
            description=f"Who reviews the pages of {name}, and how.")))
        pages.append(Page("glossary.md", self.render(
            "glossary.md.j2", entries=sorted(self.library.glossary.items()),
            description=f"Plain-language meanings of the medical words used on {name}.")))
        return pages

    def nav(self, topics: list[Topic]) -> list[NavItem]:
        """MkDocs-style navigation: one section per audience, grouped by topic category."""
        nav: list[NavItem] = [{"Home": "index.md"}]
        for audience in self.audiences():
            section: list[NavItem] = [f"{audience.key}/index.md"]
            for category, rows in self.listing(topics, audience.key):
                section.append({category: [{r["title"]: f"{audience.key}/{r['key']}.md"}
                                           for r in rows]})
            nav.append({audience.label: section})
        nav.append({"About": [{"Editorial policy": "editorial-policy.md"},
                              {self.site.advisory_board: "advisory-board.md"},
                              {"Glossary": "glossary.md"}]})
        return nav
