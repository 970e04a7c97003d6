"""Stage 4, check (translations): a translated variant shows exactly what its English source
variant shows: the same facts, references, glossary terms, warning signs and sections (by
their ids). What is missing or extra is named at the translation's file and line."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from types import MappingProxyType

from markdown.extensions.toc import slugify

from ..base.problems import Problem
from ..base.sections import heading_title
from ..base.variant import Variant

HEADING = re.compile(r"^#{2,6}\s+(.+?)\s*$", re.M)
EXPLICIT_ID = re.compile(r"\{:[^}]*#([A-Za-z][\w-]*)[^}]*\}\s*$")
SIGN = re.compile(r'data-sign="([a-z][a-z0-9_]*)"')
# where the prose names a fact, a reference or a term: the line a problem points at
USES = MappingProxyType({"facts": r"fact(?:\.|\(\s*\"){key}\b",
                         "references": r"cite\([^)]*\"{key}\"",
                         "glossary terms": r"term\(\s*\"{key}\""})


def section_ids(prose: str) -> list[str]:
    """Each section's id: the one written (`{: #id }`), or the one Markdown makes of the
    heading's words (a translation writes the English id, as its words make another)."""
    ids = []
    for heading in HEADING.findall(prose):
        written = EXPLICIT_ID.search(heading)
        ids.append(written.group(1) if written else slugify(heading_title(heading), "-"))
    return ids


def translation_problems(source: Variant, translated: Variant, source_prose: str,
                         prose: str) -> Iterator[Problem]:
    """What the translation shows that the source does not, or leaves out."""
    compared = (("facts", source.facts_used, translated.facts_used),
                ("references", source.cited, translated.cited),
                ("glossary terms", source.terms, translated.terms),
                ("warning signs", frozenset(SIGN.findall(source.warnings + source.body)),
                 frozenset(SIGN.findall(translated.warnings + translated.body))))
    for what, ours, theirs in compared:
        missing, extra = sorted(ours - theirs), sorted(theirs - ours)
        if missing:
            yield Problem(translated.source, _line_of_first(missing, what, source_prose, prose),
                          "translation-missing",
                          f"the {translated.edition} page leaves out {what} the English page "
                          f"({source.source}) shows: {', '.join(missing)}",
                          f"show each of them where the English does; a translation shows the "
                          "same facts, references, terms and signs as its source")
        if extra:
            yield Problem(translated.source, _use_line(extra[0], what, prose),
                          "translation-extra",
                          f"the {translated.edition} page shows {what} the English page "
                          f"({source.source}) does not: {', '.join(extra)}",
                          "remove them, or add them to the English page first")
    ours_ids, theirs_ids = section_ids(source_prose), section_ids(prose)
    if ours_ids != theirs_ids:
        missing_ids = [i for i in ours_ids if i not in theirs_ids]
        extra_ids = [i for i in theirs_ids if i not in ours_ids]
        detail = "; ".join(part for part in (
            missing_ids and f"missing {', '.join('#' + i for i in missing_ids)}",
            extra_ids and f"extra {', '.join('#' + i for i in extra_ids)}") if part) or \
            "the same ids in another order"
        yield Problem(translated.source, None, "translation-sections",
                      f"the sections differ from the English page's ({detail})",
                      "give the translation the English sections, in order, with the same "
                      "`{: #id }`: " + ", ".join("#" + i for i in ours_ids))


def _use_line(key: str, what: str, prose: str) -> int | None:
    pattern = USES.get(what)
    if pattern is None:
        return None
    found = re.search(pattern.format(key=re.escape(key)), prose)
    return prose.count("\n", 0, found.start()) + 1 if found else None


def _line_of_first(keys: list[str], what: str, source_prose: str, prose: str) -> int | None:
    """The line of the translation's section that matches the English section first showing
    the missing item: where the translator should add it."""
    line = _use_line(keys[0], what, source_prose)
    if line is None:
        return None
    before = "\n".join(source_prose.splitlines()[:line])
    ids = section_ids(before)
    if not ids:
        return 1
    found = re.search(rf"^#{{2,6}}\s.*\{{:[^}}]*#{re.escape(ids[-1])}\b", prose, re.M)
    return prose.count("\n", 0, found.start()) + 1 if found else None


def source_fingerprint(variant: Variant) -> str:
    """What a translation is made from: everything the English page says (its title, short
    answer, warning signs, prose and change log, with the facts' values as they read)."""
    digest = hashlib.sha256()
    for part in (variant.title, variant.short_answer, variant.warnings, variant.body,
                 *variant.changes):
        digest.update(part.encode())
        digest.update(b"\0")
    return f"sha256:{digest.hexdigest()}"
