"""Text from the content as it is printed into Markdown pages: literally, never as markup."""
from __future__ import annotations

import re

from markupsafe import Markup

# What md_text writes as character references: HTML's specials and Markdown's syntax
# characters; and the characters that start a block (list, rule, heading) where they start it.
MD_SPECIAL = re.compile(r"[&<>\"'\\`*_{}\[\]|!#]")
BLOCK_START = re.compile(r"^(?:[-+=]|\d(?=\d*[.)]))")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def md_text(value: object) -> Markup:
    """A field as literal text in Markdown, in Markdown's raw HTML blocks and in attributes.

    HTML is escaped, and every character Markdown or its extensions read as syntax (links,
    images, emphasis, code, attr_list's `{: }`, abbr's `*[ ]:`, a heading, list or rule at a
    line's start) is written as a numeric character reference, which Markdown keeps as it is
    and the browser shows as the character. One line: a field cannot start a new block.
    Markup (already finished markup, such as the mailto links) is kept as it is."""
    if hasattr(value, "__html__"):
        return Markup(value)
    text = " ".join(CONTROL.sub(" ", str(value)).split())
    text = BLOCK_START.sub(_reference, MD_SPECIAL.sub(_reference, text), count=1)
    return Markup(text)


def _reference(found: re.Match[str]) -> str:
    return f"&#{ord(found.group(0))};"
