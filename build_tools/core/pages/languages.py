"""Which pages are the same page in another language: for the language switch, `hreflang`
alternates and the sitemap. A topic page's alternate is its translated variant; the home,
glossary, policy, audience and category pages have one in every edition."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from babel import Locale

from ..base.model import Library
from ..base.names import category_slug, relative_url, url_of
from ..base.variant import Variant
from .pages import Page

SITE_PAGES = ("index.md", "glossary.md", "editorial-policy.md", "advisory-board.md")


@dataclass
class Languages:
    """source: the site's language; pages: each page path -> {language: its page path}, for
    the pages that exist in more than one language; homes: each language's home page."""

    source: str
    pages: dict[str, dict[str, str]] = field(default_factory=dict)
    homes: dict[str, str] = field(default_factory=dict)

    def add(self, group: dict[str, str]) -> None:
        for path in group.values():
            self.pages[path] = group

    def entries(self, path: str, language: str) -> list[dict[str, str]]:
        """The page's other languages as links from it: the same page where it exists, else
        that language's home (same: "true" or "false"); one entry per language but its own."""
        group = self.pages.get(path, {})
        out = []
        for other, home in sorted(self.homes.items()):
            if other == language:
                continue
            target = group.get(other)
            out.append({"lang": other, "name": language_name(other),
                        "href": relative_url(path, target or home),
                        "same": "true" if target else "false"})
        return out

    def alternates(self, path: str) -> dict[str, str]:
        """{language: page path} of the page in every language it exists in, itself too."""
        return dict(self.pages.get(path, {}))


def language_name(code: str) -> str:
    """A language's name in itself, as a reader looks for it: "Español", "English"."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def languages(source: Library, shown: set[str], variants: dict[str, list[Variant]]) -> Languages:
    """The pages of every edition and their alternates. variants: each edition's variants by
    language ("" for the source language's)."""
    found = Languages(source.site.settings.language, homes={source.site.settings.language:
                                                            "index.md"})
    for language, edition in source.translations.items():
        if not variants.get(language):
            continue
        found.homes[language] = f"{language}/index.md"
        for page in SITE_PAGES:
            found.add({found.source: page, language: f"{language}/{page}"})
        for audience in edition.audiences:
            found.add({found.source: f"{audience}/index.md",
                       language: f"{language}/{audience}/index.md"})
        for variant in variants[language]:
            topic, audience = variant.topic.key, variant.audience.key
            if topic not in shown:
                continue
            found.add({found.source: f"{audience}/{topic}.md", language: variant.path})
            english = category_slug(source.topics[topic].category)
            translated = category_slug(variant.topic.category)
            found.add({found.source: f"{audience}/categories/{english}/index.md",
                       language: f"{language}/{audience}/categories/{translated}/index.md"})
    return found


def with_languages(page: Page, languages: Languages, language: str) -> Page:
    """The page with its other languages in its front matter (`edu_languages`, read by the
    theme's language switch and alternates), when the site has more than one."""
    if len(languages.homes) < 2 or not page.text.startswith("---\n"):
        return page
    entries = languages.entries(page.path, language)
    alternates = [{"lang": lang, "path": url_of(path)}
                  for lang, path in sorted(languages.alternates(page.path).items())]
    meta = json.dumps({"language": language, "switch": entries, "alternates": alternates},
                      ensure_ascii=False)
    return Page(page.path, f"---\nedu_languages: {meta}\n{page.text[4:]}")
