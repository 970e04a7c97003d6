"""Allow-list sanitising of page HTML: whatever prose slipped past the checks cannot run code."""
from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType

import nh3

TAGS = frozenset(nh3.ALLOWED_TAGS) | {
    "section", "nav", "aside", "abbr", "sup", "sub", "dl", "dt", "dd", "figure", "figcaption",
    "mark", "small", "details", "summary", "table", "thead", "tbody", "tr", "th", "td", "caption",
    "hr", "br", "img", "span", "div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "time"}
COMMON = frozenset({"id", "class", "title", "lang", "dir", "role", "value", "start", "align",
                    "datetime"})
ATTRIBUTES = MappingProxyType({"*": COMMON, "a": COMMON | {"href"},
                               "img": COMMON | {"src", "alt", "width", "height", "loading"}})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def sanitize_html(html: str,
                  attribute_filter: Callable[[str, str, str], str | None] | None = None) -> str:
    return nh3.clean(html, tags=TAGS, attributes=dict(ATTRIBUTES), url_schemes=URL_SCHEMES,
                     generic_attribute_prefixes={"data-", "aria-"}, link_rel=None,
                     strip_comments=True, attribute_filter=attribute_filter)
