"""site_config/number_names.yml: names that contain a number but are no figure ("SF-36",
"COVID-19"), which topic pages may show outside a fact's markup (site.final_check).

    - text: SF-36
      reason: the name of a questionnaire (Short Form, 36 questions), not a result

Each entry is the exact text as readers see it and why it is not a clinical figure; the file
is optional. A name matches only as a whole ("SF-36" does not pass "SF-360").
"""
from __future__ import annotations

import re
from pathlib import Path

from ..core.read.load import Project
from ..core.base.numerals import has_numeral
from ..core.base.problems import Problem

NAMES_FILE = "site_config/number_names.yml"
FIELDS = frozenset({"text", "reason"})


def load_number_names(root: Path) -> tuple[list[str], list[Problem]]:
    """The allowed names, and what is wrong with the file (each with its line)."""
    path = root / NAMES_FILE
    if not path.exists():
        return [], []
    project = Project(root)
    doc = project.read_yaml(path)
    if doc is None:
        return [], project.problems
    if not isinstance(doc.data, list):
        return [], [*project.problems, _problem(1, "the file must be a list of entries, each "
                                                   "with text and reason")]
    names, problems = [], list(project.problems)
    for index, entry in enumerate(doc.data):
        found = _entry_problem(entry)
        if found:
            problems.append(_problem(doc.line_of((index,)), found))
        else:
            names.append(entry["text"])
    return sorted(set(names), key=lambda name: (-len(name), name)), problems


def _entry_problem(entry: object) -> str | None:
    if not isinstance(entry, dict) or set(entry) != FIELDS:
        return "each entry needs exactly two fields, text and reason"
    text, reason = entry["text"], entry["reason"]
    if not isinstance(text, str) or not has_numeral(text) or text != text.strip():
        return "text must be the exact name as readers see it, with a number in it"
    if not isinstance(reason, str) or not reason.strip():
        return f'the entry "{text}" needs a reason: why it is a name, not a figure'
    return None


def _problem(line: int, message: str) -> Problem:
    return Problem(NAMES_FILE, line, "number-name", message,
                   'write entries as "- text: SF-36" with "reason: a questionnaire\'s name, not '
                   'a result" on the next line')


def names_pattern(names: list[str]) -> re.Pattern[str] | None:
    """Matches every whole occurrence of an allowed name (longest first)."""
    if not names:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(name) for name in names) + r")(?!\w)")
