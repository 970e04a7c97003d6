"""Names that become parts of web addresses."""
from __future__ import annotations

import posixpath
import re

SLUG_MAX = 60  # a file name has at most 255 bytes; a web address should stay readable


def category_slug(name: str) -> str:
    """The category's part of a web address: "Spine and bones" -> "spine-and-bones"; a long
    name is cut (crosscheck reports two names that come to the same address)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")
    return slug[:SLUG_MAX].strip("-") or "topics"


def url_of(path: str) -> str:
    """A Markdown page's address below the site root, as directory URLs give it."""
    stem = path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def relative_url(source: str, target: str) -> str:
    rel = posixpath.relpath("/" + url_of(target), "/" + url_of(source))
    return "./" if rel == "." else rel + "/"
