"""Names that become parts of web addresses."""
from __future__ import annotations

import re

SLUG_MAX = 60  # a file name has at most 255 bytes; a web address should stay readable


def category_slug(name: str) -> str:
    """The category's part of a web address: "Spine and bones" -> "spine-and-bones"; a long
    name is cut (crosscheck reports two names that come to the same address)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")
    return slug[:SLUG_MAX].strip("-") or "topics"
