"""`python -m build_tools translated TOPIC --lang es`: record that a translation now says what
the English page says today.

The record goes at the end of content/topics/<topic>/translations.yml; nothing already in the
file is changed. It holds the language, the audience, the date and the fingerprint of the
English page (check/same_facts.py source_fingerprint). When the English page changes after
that, the translated page says so in its language and links to the English page, and
`make check` lists it (pipeline.staleness).
"""
from __future__ import annotations

import argparse
import datetime
from pathlib import Path
from typing import Any

from .approve import Refusal, _append, _listed
from .core.base.problems import errors
from .core.base.suggest import suggest
from .core.check.same_facts import source_fingerprint
from .core.pipeline import generate

HEADER = ("# What each translation of this topic was made from, oldest first, appended by\n"
          "# `make translated`: the fingerprint of the English page it translates.\n")


def add_command(sub: Any) -> None:
    """Register `translated` with the command line (build_tools/cli.py)."""
    command = sub.add_parser("translated",
                             help="record that a translation is up to date with its English page")
    command.add_argument("topic", help="the topic's key (its folder under content/topics/)")
    command.add_argument("--lang", required=True, help="the translation's language, such as es")
    command.add_argument("--audience", default="patient",
                         help="the audience of the translated page (default: patient)")
    command.add_argument("--date", type=datetime.date.fromisoformat,
                         help="the date of the translation, YYYY-MM-DD (default: today)")
    command.set_defaults(run=run_translated)


def run_translated(args: argparse.Namespace) -> int:
    try:
        print(record_translation(args.root.resolve(), args.topic, args.lang, args.audience,
                                 args.date))
    except Refusal as exc:
        print(f"translated: not recorded: {exc}")
        return 1
    return 0


def record_translation(root: Path, key: str, language: str, audience: str,
                       date: datetime.date | None = None) -> str:
    """Append the record and say what was recorded; Refusal when it may not be."""
    date = date or datetime.date.today()
    result = generate(root, "preview")
    if result.library is None or errors(result.problems):
        raise Refusal(_listed("the project has errors; fix them first:", errors(result.problems)))
    if key not in result.library.topics:
        raise Refusal(f"there is no topic '{key}' under content/topics/. "
                      + (suggest(key, result.library.topics) or "Give its folder name."))
    edition = result.editions.get(language)
    if edition is None:
        raise Refusal(f"the site publishes no '{language}' translation: list it under "
                      "`translations:` in site_config/site.yml and write its files")
    source = next((v for v in result.variants
                   if (v.topic.key, v.audience.key) == (key, audience)), None)
    translated = any((v.topic.key, v.audience.key) == (key, audience) for v in edition.variants)
    if source is None or not translated:
        raise Refusal(f"there is no {language} translation of the {audience} page of '{key}' "
                      f"(audiences/{audience}/{key}.{language}.md)")
    fingerprint = source_fingerprint(source)
    latest = edition.library.topics[key].translated_from.get(audience)
    if latest is not None and latest.fingerprint == fingerprint:
        return (f"translated: the {language} {audience} page of '{key}' was recorded as up to "
                f"date on {latest.date}, and the English page has not changed since")
    path = root / "content" / "topics" / key / "translations.yml"
    _append(path, {"language": language, "audience": audience, "date": date,
                   "fingerprint": fingerprint}, HEADER)
    return (f"translated: recorded that the {language} {audience} page of '{key}' translates "
            f"the English page as of {date} in {path.relative_to(root).as_posix()}\n"
            f"  fingerprint {fingerprint}")
