"""Stage 3, render (continued): assemble the site's Markdown pages from rendered variants."""
from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from ..check.check import description_text
from ..base.escaping import md_text
from ..base.names import relative_url
from ..facts.fact_base import usable_facts
from .jsonld import json_in_html, medical_web_page
from .listing import Category, categories, glossary_entries, title_for
from ..base.model import Audience, Library, Topic
from ..facts.references import reference_item
from ..base.variant import Variant
from ..review.review import Review
from ..base.wording import Wording, language_filters

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?<!\.)")
NavItem = Any
SHOWN_PER_CATEGORY = 5  # an audience's index names a few topics per category, then links to all


@dataclass(frozen=True)
class Page:
    """One file of the plain Markdown tree."""

    path: str
    text: str


def mailto_links(text: str) -> Markup:
    """Text with its e-mail addresses as mailto: links, so a reader can write with one tap."""
    return Markup(EMAIL.sub(lambda m: f'<a href="mailto:{m.group(0)}">{m.group(0)}</a>',
                            str(escape(text))))


def yaml_text(value: object) -> Markup:
    """A front matter value: JSON is YAML, and the plain text is what the engine reads (the
    site engine's hooks escape it for the theme, build_tools/site/mkdocs_hooks.py)."""
    return Markup(json.dumps(str(value), ensure_ascii=False))


def template_env(root: Path, wording: Wording | None = None) -> SandboxedEnvironment:
    """The page templates: every field is escaped unless it is Markup (finished markup:
    rendered prose, reference items); Markdown contexts use `| md` (md_text). The filters
    that print in the site's language come with its wording (parsing alone needs none)."""
    env = SandboxedEnvironment(loader=FileSystemLoader(root / "templates"),
                               undefined=StrictUndefined, trim_blocks=True,
                               keep_trailing_newline=True, autoescape=True)
    env.filters["yaml"] = yaml_text
    env.filters["md"] = md_text
    env.filters["mailto"] = mailto_links
    if wording is not None:
        env.filters.update(language_filters(wording, md_text))
    return env


def prose(markdown: str) -> Markup:
    """Markdown the templates print as it is: rendered prose and the policy pages, the markup
    their authors intend; the engine's hook sanitises the page's HTML (core/base/sanitize.py)."""
    return Markup(markdown.strip())


def unverified_used(library: Library, variant: Variant) -> list[str]:
    """The keys of the not yet checked facts the variant shows, for the note that explains them."""
    facts = usable_facts(library, variant.topic)
    return sorted(k for k in variant.facts_used if not facts[k].verified)


def change_log(variant: Variant) -> list[tuple[datetime.date, Markup]]:
    """The "What changed" list: each date with its summary, rendered for the page's reader
    like the prose (render.render_changes), so finished markup, printed as it stands."""
    return [(change.date, Markup(summary))
            for change, summary in zip(variant.topic.changes, variant.changes)]


class TemplateTooDeep(Exception):
    """A page template nested past what Jinja's parser can read: the caller reports it."""

    def __init__(self, template: str) -> None:
        super().__init__(template)
        self.template = template


class Assembler:
    """Fills the page templates; one per build, shared by every page."""

    def __init__(self, root: Path, library: Library, banners: dict[str, str],
                 reviews: dict[str, Review],
                 related: dict[str, list[Topic]] | None = None,
                 variants: Iterable[Variant] = (),
                 stale: dict[tuple[str, str], datetime.date] | None = None,
                 source_language: str = "") -> None:
        self.library = library
        self.site = library.site.settings
        self.words = library.site.strings
        self.env = template_env(root, Wording(self.words, self.site.language))
        self.banners = banners
        self.reviews = reviews
        self.related = related or {}
        self.variants = list(variants)
        # a translated edition's pages whose English page changed since (pipeline.staleness)
        self.stale = stale or {}
        self.source_language = source_language

    def related_links(self, variant: Variant) -> list[dict[str, str]]:
        """The topic's related topics, titled for the page's reader."""
        return [{"key": t.key, "title": title_for(t, variant.audience.key)}
                for t in self.related.get(variant.topic.key, [])]

    def audiences(self) -> list[Audience]:
        return sorted(self.library.audiences.values(), key=lambda a: (a.order, a.key))

    def render(self, template: str, **context: Any) -> str:
        general = self.library.site.disclaimers["general"]
        context = {"site": self.site, "words": self.words, "disclaimer": general, **context}
        try:
            return self.env.get_template(template).render(context)
        except RecursionError:  # Jinja's parser recurses as deep as the template nests
            raise TemplateTooDeep(template) from None

    def topic_page(self, variant: Variant) -> Page:
        topic, audience = variant.topic, variant.audience
        summary = description_text(variant.short_answer, self.words.facts.unverified)
        review = self.reviews[topic.key]
        jsonld = json_in_html(medical_web_page(self.library, variant, summary, review))
        refs = [reference_item(i, self.library.references[key], self.words)
                for i, key in enumerate(topic.references, 1)]
        text = self.render(
            "topic.md.j2", variant=variant, body=prose(variant.body),
            short_answer=prose(variant.short_answer), topic=topic, audience=audience,
            others=[a for a in self.audiences() if a.key != audience.key],
            banner=self.banners.get(topic.key, ""), review=review,
            draft="" if review.published else self.library.site.draft_banner,
            unverified=unverified_used(self.library, variant), references=refs, up="../",
            warnings=prose(variant.warnings),
            disclaimer=self.library.site.disclaimers[audience.disclaimer],
            summary=summary, jsonld=jsonld,
            related=self.related_links(variant), changes=change_log(variant),
            stale=self.stale_note(variant))
        return Page(variant.path, text)

    def stale_note(self, variant: Variant) -> dict[str, Any] | None:
        """What a translated page says when its English page changed after the translation:
        the date, and a link to the English page (the source language named in the page's)."""
        updated = self.stale.get((variant.audience.key, variant.topic.key))
        if updated is None:
            return None
        source = f"{variant.audience.key}/{variant.topic.key}.md"
        return {"date": updated, "lang": self.source_language,
                "language": Locale.parse(self.source_language).get_display_name(
                    self.site.language),
                "href": relative_url(variant.path, source)}

    def listing(self, topics: Iterable[Topic], audience: str | None) -> list[Category]:
        return categories(topics, audience, self.banners, self.reviews)

    def site_description(self) -> str:
        labels = self.words.lists.comma.join(a.label.lower() for a in self.audiences())
        return self.site.description or self.words.pages.site_description.format(
            site_name=self.site.site_name, audiences=labels)

    def site_pages(self, topics: list[Topic]) -> list[Page]:
        name, words = self.site.site_name, self.words.pages
        pages = [Page("index.md", self.render("home.md.j2", audiences=self.audiences(),
                                              categories=self.listing(topics, None),
                                              topic_count=len(topics),
                                              description=self.site_description()))]
        for audience in self.audiences():
            listed = self.listing(topics, audience.key)
            pages.append(Page(f"{audience.key}/index.md", self.render(
                "audience.md.j2", audience=audience, categories=listed,
                shown=SHOWN_PER_CATEGORY)))
            pages += [Page(f"{audience.key}/categories/{c.slug}/index.md", self.render(
                "category.md.j2", audience=audience, category=c))
                for c in listed]
        policy = self.library.site
        pages.append(Page("editorial-policy.md", self.render(
            "page.md.j2", title=words.editorial_policy, body=prose(policy.editorial_policy),
            description=words.editorial_policy_description.format(site_name=name))))
        pages.append(Page("advisory-board.md", self.render(
            "board.md.j2", title=self.site.advisory_board, body=prose(policy.advisory_board_page),
            members=policy.board,
            description=words.board_description.format(site_name=name))))
        pages.append(Page("glossary.md", self.render(
            "glossary.md.j2", entries=glossary_entries(self.library, self.variants),
            description=words.glossary_description.format(site_name=name))))
        return pages

    def nav(self, topics: list[Topic]) -> list[NavItem]:
        """MkDocs-style navigation: one section per audience, grouped by topic category."""
        words = self.words
        nav: list[NavItem] = [{words.nav.home: "index.md"}]
        for audience in self.audiences():
            section: list[NavItem] = [f"{audience.key}/index.md"]
            for category in self.listing(topics, audience.key):
                index = f"{audience.key}/categories/{category.slug}/index.md"
                section.append({category.name: [index] + [
                    {row.title: f"{audience.key}/{row.key}.md"} for row in category.rows]})
            nav.append({audience.label: section})
        nav.append({words.nav.about: [{words.pages.editorial_policy: "editorial-policy.md"},
                                      {self.site.advisory_board: "advisory-board.md"},
                                      {words.pages.glossary: "glossary.md"}]})
        return nav
