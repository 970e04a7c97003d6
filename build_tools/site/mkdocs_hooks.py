"""The thin MkDocs glue: only what must happen inside the engine (see `hooks:` in mkdocs.yml).

The build itself is run by build_tools.site.build, which gives the engine its navigation and
options (build_tools.site.engine). Here each page's HTML is sanitised and compacted as the engine
writes it, and the theme's templates are compiled once for every build. Nothing here keeps state
between calls, so any number of engine processes may run these hooks side by side. The same
file serves ProperDocs, the maintained fork of MkDocs 1.6.

Every value of the content the theme prints reaches it here as escaped HTML (Markup), because
that is how MkDocs and Material read them: the theme's Jinja environment does not autoescape,
and Material prints config.site_name, navigation titles and page titles as they are (in text
and in attributes). MkDocs itself makes page titles from headings as HTML with character
references, so a title is HTML to Material, not text. Where Material escapes such a value
again (`| e` in an attribute) a Markup value is not escaped twice. Material's
`page.title | striptags` in <title> turns character references back into characters; our
`htmltitle` block escapes after it (templates/theme/main.html).
The alternative, turning autoescape on for the theme, would escape the HTML MkDocs hands to
it as plain strings (page.content, toc titles) and change every Material partial we use.
Material's script also reads some text as HTML: with content.tooltips it shows a [title] by
adding it to innerHTML, hence tooltip_title below and the overrides of header.html, nav.html,
nav-item.html and toc-item.html (each says why).
"""
from __future__ import annotations

import sys
from html import escape as escape_text
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from markupsafe import Markup, escape

# The engine loads this file by path: make the package beside it importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from build_tools.core.base.sanitize import sanitize_html  # noqa: E402
from build_tools.site.compact import compact_html  # noqa: E402
from build_tools.site.toggle_autocomplete import drop_toggle_autocomplete  # noqa: E402


# The front matter values the theme prints (templates/*.md.j2 write them as plain text).
PRINTED_META = ("title", "description")


def as_html(value: Any) -> Any:
    """Text, and the text inside lists and mapping values, as escaped HTML (Markup stays as it
    is); mapping keys are names the templates look up (audience keys), not printed text."""
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list):
        return [as_html(item) for item in value]
    if isinstance(value, dict):
        return {key: as_html(item) for key, item in value.items()}
    return value


def on_config(config: Any) -> Any:
    """The site's name, the navigation's titles and the theme's extra data, escaped."""
    config.site_name = escape(config.site_name)
    if config.nav is not None:
        config.nav = [nav_item(item) for item in config.nav]
    for key in ("edu_general_disclaimer", "edu_audiences", "edu_words"):
        if key in config.extra:
            config.extra[key] = as_html(config.extra[key])
    return config


def nav_item(item: Any) -> Any:
    """A nav entry is a path, or {title: path or [entries]}: the titles are escaped, not the
    paths (the engine finds its files by them)."""
    if isinstance(item, dict):
        return {escape(title): [nav_item(i) for i in value] if isinstance(value, list) else value
                for title, value in item.items()}
    return item


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """The page's front matter title and description, escaped (the front matter is text)."""
    for key in PRINTED_META:
        if isinstance(page.meta.get(key), str) and not isinstance(page.meta[key], Markup):
            page.meta[key] = escape(page.meta[key])
    return markdown


def on_page_content(html: str, **_: Any) -> str:
    return sanitize_html(html, attribute_filter=tooltip_title)


def tooltip_title(element: str, attribute: str, value: str) -> str:
    """With content.tooltips, Material's script shows a title attribute (a glossary term's
    definition) by adding its text to innerHTML: the text is escaped once more, so that the
    tooltip shows it as text (a <, & or > then reads as an entity only where script is off)."""
    return escape_text(value, quote=False) if attribute == "title" else value


def on_post_page(output: str, **_: Any) -> str:
    return compact_html(drop_toggle_autocomplete(output))


def on_post_template(output: str, **_: Any) -> str:
    """The theme's pages that are no content page (404.html, and sitemap.xml where nothing
    matches): they do not pass through on_post_page."""
    return drop_toggle_autocomplete(output)


def on_env(env: Any, config: Any, files: Any) -> Any:
    """Theme templates compiled once and kept beside the build's Markdown tree."""
    cache = Path(config.docs_dir).parent / "theme-cache"
    cache.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(cache))
    return env
