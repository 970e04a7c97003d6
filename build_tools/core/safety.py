"""The safety section in reach: an audience's `safety_section` (patients: "When to call your
care team") is linked from the top of every page for that audience, and in the PDF handout it
stands whole on page 1, in a box with lines to write the care team's name and phone number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import html as lxml_html
from markdown.extensions.toc import slugify
from markupsafe import Markup

HEADING = re.compile(r"^##\s+(?P<text>.+?)\s*(?:\{:(?P<attrs>[^}]*)\})?\s*$", re.M)
ID_ATTR = re.compile(r"#([\w-]+)")


@dataclass(frozen=True)
class SafetyLink:
    title: str
    anchor: str


def section_anchor(body: str, title: str) -> str | None:
    """The id the page gives the `## title` section: its own `{: #id }`, or the one the toc
    extension makes from the heading (as MkDocs and the handout render it)."""
    for match in HEADING.finditer(body):
        if match.group("text").strip().lower() == title.lower():
            own = ID_ATTR.search(match.group("attrs") or "")
            return own.group(1) if own else slugify(match.group("text").strip(), "-")
    return None


def safety_link(body: str, title: str | None) -> SafetyLink | None:
    if not title:
        return None
    anchor = section_anchor(body, title)
    return SafetyLink(title, anchor) if anchor else None


def split_section(body_html: str, anchor: str) -> tuple[Markup, Markup]:
    """(the section whose h2 has this id, with everything up to the next h2; the rest)."""
    root = lxml_html.fragment_fromstring(body_html, create_parent="div")
    heading = root.find(f"h2[@id='{anchor}']")
    if heading is None:
        return Markup(""), Markup(body_html)
    section = [heading]
    for sibling in heading.itersiblings():
        if sibling.tag == "h2":
            break
        section.append(sibling)
    box = "".join(lxml_html.tostring(el, encoding="unicode") for el in section)
    for element in section:
        _remove_keeping_tail(element)
    rest = (root.text or "") + "".join(lxml_html.tostring(el, encoding="unicode") for el in root)
    return Markup(box), Markup(rest)


def _remove_keeping_tail(element: lxml_html.HtmlElement) -> None:
    parent = element.getparent()
    previous = element.getprevious()
    if element.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
