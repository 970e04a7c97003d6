"""Stage 2, validate (detail): every audience has a reading-level rule for each language its
pages are written in (audiences/<audience>.yml: `reading_level:`, or `reading_grade_max:` for
English; the formulas are core/base/readability.py's)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from .load import Project
from ..base.model import Audience
from ..base.problems import Problem, warning
from ..base.readability import FORMULAS, formulas_for


def reading_rule_problems(audiences: dict[str, Audience], languages: Iterable[str],
                          project: Project) -> Iterator[Problem]:
    """languages: those the pages are written in (for now the site's `language:`)."""
    for language in dict.fromkeys(languages):
        base = language.split("-")[0]
        formulas = formulas_for(base)
        if not formulas:
            site = project.docs.get("site_config/site.yml")
            yield warning("site_config/site.yml", site.key_line(("language",)) if site else 1,
                          "no-reading-formula",
                          f"the reading level of pages in '{language}' is not checked: no "
                          "formula is known for that language",
                          "check it by hand; the languages with a formula are: "
                          + ", ".join(dict.fromkeys(f.language for f in FORMULAS.values())))
            continue
        for key, audience in sorted(audiences.items()):
            if audience.reading_rule(language) is None:
                yield _no_rule(project, key, base, formulas)


def _no_rule(project: Project, key: str, language: str, formulas: list[str]) -> Problem:
    path = f"audiences/{key}.yml"
    doc = project.docs.get(path)
    line = doc.key_line(("reading_level",)) if doc else 1
    example = f"`reading_level:` with `{language}: {{formula: {formulas[0]}, limit: ...}}`"
    if language == "en":
        example += " (or `reading_grade_max: 8`)"
    return Problem(path, line, "no-reading-level",
                   f"the {key} audience sets no reading-level limit for its pages in "
                   f"'{language}'",
                   f"add {example}; formulas for '{language}': {', '.join(formulas)} "
                   "(docs/authoring.md, section 5)")
