"""The `## ` sections of a variant, with the line of each heading in its prose file.

The reading level is scored per section as well as per page (check.py): one section of academic
prose would otherwise pass inside an easy page. The review view (review_view.py) uses the same
sections to set the audiences' versions side by side by their shared section ids.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

HEADING = re.compile(r"^##(?!#)\s+(.+?)\s*$")
SECTION_ID = re.compile(r"\{:[^}]*#([A-Za-z][\w-]*)[^}]*\}")
ATTR_LIST = re.compile(r"\s*\{:[^}]*\}\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Section:
    """One `## ` section: its heading as readers see it, its id, where it starts, its text."""

    heading: str
    id: str
    line: int  # the heading's line in the prose file
    text: str  # the rendered Markdown below the heading


def headings(markdown: str) -> list[tuple[int, str]]:
    """(line, heading) of every `## ` heading, outside fenced code."""
    found, fenced = [], False
    for number, line in enumerate(markdown.splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
        match = None if fenced else HEADING.match(line)
        if match:
            found.append((number, match.group(1)))
    return found


def heading_title(raw: str) -> str:
    """A heading as readers see it: without its `{: #id .class}` attribute list."""
    return ATTR_LIST.sub("", raw).strip()


def split_sections(body: str, prose: str) -> list[Section]:
    """The rendered body cut at its `## ` headings; lines are those of the prose file, whose
    headings come in the same order (prose cannot make a heading from a template)."""
    source = headings(prose)
    lines = body.splitlines()
    rendered = headings(body)
    out = []
    for i, (start, raw) in enumerate(rendered):
        end = rendered[i + 1][0] - 1 if i + 1 < len(rendered) else len(lines)
        found = SECTION_ID.search(raw)
        title = heading_title(raw)
        line = source[i][0] if i < len(source) else start
        out.append(Section(title, found.group(1) if found else _slug(title), line,
                           "\n".join(lines[start:end])))
    return out


def _slug(title: str) -> str:
    """The id Python-Markdown's toc gives a heading without one (for matching, not linking)."""
    return re.sub(r"[\s-]+", "-", re.sub(r"[^\w\s-]", "", title).strip().lower())
