"""A small project in Spanish (`language: es`): the repository's es.yml, and each audience's
reading-level rule for Spanish pages (issue 20)."""
from __future__ import annotations

import re

from projects import REPO, STRINGS, small_project

ES_STRINGS = "site_config/strings/es.yml"
# the limits of each audience's Spanish pages, on the Szigriszt-Pazos (INFLESZ) scale
ES_LIMITS = {"patient": 55, "nurse": 40, "physician": 30}


def spanish_strings() -> str:
    return (REPO / ES_STRINGS).read_text(encoding="utf-8")


def spanish_rule(text: str, limit: float, formula: str = "szigriszt_pazos") -> str:
    """An audience file whose `reading_grade_max:` becomes a Spanish `reading_level:`."""
    return re.sub(r"^(\s*)reading_grade_max: \d+$",
                  lambda m: f"{m[1]}reading_level:\n{m[1]}  es: {{formula: {formula}, "
                            f"limit: {limit:g}}}", text, count=1, flags=re.M)


def spanish_project(changed: dict[str, str | None] | None = None) -> dict[str, str]:
    """small_project() with `language: es`, the Spanish strings, Spanish reading rules."""
    files = small_project()
    files["site_config/site.yml"] += "language: es\n"
    del files[STRINGS]
    files[ES_STRINGS] = spanish_strings()
    for audience, limit in ES_LIMITS.items():
        path = f"audiences/{audience}.yml"
        files[path] = spanish_rule(files[path], limit)
    for path, text in (changed or {}).items():
        if text is None:
            files.pop(path, None)
        else:
            files[path] = text
    return files
