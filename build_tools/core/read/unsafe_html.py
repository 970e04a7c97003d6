"""HTML in content that could run code in a reader's browser: refused where it is typed."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..base.problems import Problem

UNSAFE = (
    (re.compile(r"<\s*(script|iframe|object|embed|form|style|base|meta|link|svg|math)\b", re.I),
     "a <{0}> element, which could run code"),
    (re.compile(r"<[^>]*\son[a-z]+\s*=", re.I), "an on...= event attribute, which runs code"),
    (re.compile(r"\b(javascript|vbscript)\s*:", re.I), "a {0}: address, which runs code"),
    (re.compile(r"\bdata\s*:\s*text/html", re.I), "a data:text/html address, which runs code"),
)


def unsafe_html(text: str, path: str) -> Iterator[Problem]:
    if not _may_be_unsafe(text):
        return
    for number, line in enumerate(text.splitlines(), 1):
        for pattern, what in UNSAFE:
            match = pattern.search(line)
            if match:
                name = match.group(1).lower() if match.groups() else ""
                yield Problem(path, number, "unsafe-html", f"the text contains {what.format(name)}",
                              "remove it; only plain formatting HTML is allowed")
                break


def _may_be_unsafe(text: str) -> bool:
    """Every UNSAFE pattern needs "<", "script" or "text/html": most files are cleared by these
    three substring tests instead of four case-blind regex scans of every line."""
    lowered = text.lower()
    return "<" in text or "script" in lowered or "text/html" in lowered
