"""Stage 2, validate (detail): the strings file of the site's language, every problem at its line.

site_config/strings/<language>.yml for `language:` in site.yml; its shape is core/base/strings.py's,
and the keys that name content (kinds of evidence, reference fields) must name each of them.
"""
from __future__ import annotations

from typing import get_args

from .load import Document, Project
from ..base.model import CHECKABLE_FIELDS, Kind, SiteSettings
from ..base.problems import Problem
from ..base.strings import FOLDER, known_locale


def strings_file(project: Project, settings: SiteSettings,
                 translation: str | None = None) -> Document | None:
    """The strings file of the site's language (or of one of its translations), read; None
    (the problem recorded) when the language is unknown or has no file."""
    language = translation or settings.language
    path = project.root / FOLDER / f"{language}.yml"
    site_yml = project.docs.get("site_config/site.yml")
    at = (("translations", settings.translations.index(translation)) if translation
          else ("language",))
    line = (site_yml.line_of(at) if translation else site_yml.key_line(at)) if site_yml else 1
    if not known_locale(language):
        project.problems.append(Problem(
            "site_config/site.yml", line, "unknown-language",
            f"'{language}' is not a language code dates and plurals can be written in",
            "write a language code such as en, de, fr or pt-BR"))
        return None
    if not path.is_file():
        project.problems.append(Problem(
            "site_config/site.yml", line, "no-strings-file",
            f"there is no strings file for language '{language}' ({FOLDER}/{language}.yml)",
            f"copy {FOLDER}/en.yml to {FOLDER}/{language}.yml and translate its texts, or "
            "set `language:` to a language that has one"))
        return None
    return project.read_yaml(path)


def key_problems(doc: Document) -> list[Problem]:
    """The maps whose keys name content must name each of its kinds or fields; read from the
    file as written, so that they are reported with the file's other problems."""
    data = doc.data if isinstance(doc.data, dict) else {}
    references = data.get("references")
    found = references if isinstance(references, dict) else {}
    return [*_every_key(doc, ("references", "kinds"), found.get("kinds"), get_args(Kind)),
            *_every_key(doc, ("references", "fields"), found.get("fields"), CHECKABLE_FIELDS)]


def _every_key(doc: Document, at: tuple[str, ...], given: object,
               wanted: tuple[str, ...]) -> list[Problem]:
    if not isinstance(given, dict):
        return []  # missing, or not a mapping: the model's check says so
    where = ".".join(at)
    problems = [Problem(doc.path, doc.key_line(at + (key,)), "unknown-field",
                        f"unknown key '{key}' under '{where}'",
                        f"use one of: {', '.join(wanted)}")
                for key in given if key not in wanted]
    missing = [key for key in wanted if key not in given]
    if missing:
        problems.append(Problem(doc.path, doc.key_line(at), "missing-field",
                                f"'{where}' has no words for: {', '.join(missing)}",
                                f"add a line `{missing[0]}: ...` for each under `{where}:`"))
    return problems
