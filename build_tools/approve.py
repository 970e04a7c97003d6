"""`python -m build_tools approve TOPIC --reviewer NAME`: record a reviewer's sign-off.

The record goes at the end of content/topics/<topic>/signoffs.yml; nothing already in the file
is changed. It holds the reviewer (a member of site_config/advisory_board.yml), the date, the
fingerprint of everything a reader sees from the topic, the facts accepted while not yet
verified, and the snapshot the fingerprint was made from (build_tools/signoff.py).
"""
from __future__ import annotations

import argparse
import datetime
from pathlib import Path
from typing import Any

import yaml

from .core.base.suggest import suggest
from .core.facts.fact_base import topic_facts
from .core.base.model import Library, Topic
from .core.base.variant import Variant
from .core.pipeline import generate
from .core.base.problems import Problem, errors
from .core.review.review import member
from .core.review.signoff import fingerprint, snapshot
from .core.read.strict_yaml import CoreSafeDumper

HEADER = ("# Sign-offs of this topic, oldest first, appended by `make approve`. Do not edit: a\n"
          "# record whose snapshot no longer matches its fingerprint stops the build.\n")


class Refusal(Exception):
    """Why the sign-off cannot be recorded, in words an editor can act on."""


def add_command(sub: Any) -> None:
    """Register `approve` with the command line (build_tools/cli.py)."""
    command = sub.add_parser("approve", help="record a board member's sign-off of a topic")
    command.add_argument("topic", help="the topic's key (its folder under content/topics/)")
    command.add_argument("--reviewer", required=True,
                         help="the reviewer's name, as in site_config/advisory_board.yml")
    command.add_argument("--date", type=datetime.date.fromisoformat,
                         help="the date of the review, YYYY-MM-DD (default: today)")
    command.add_argument("--lang",
                         help="sign off the topic's translation into this language (such as "
                              "es): only a member who lists it under `languages:` may")
    command.add_argument("--fingerprint",
                         help="the fingerprint the review view showed: refuse if the topic has "
                              "changed since the reviewer read it")
    command.set_defaults(run=run_approve)


def run_approve(args: argparse.Namespace) -> int:
    try:
        print(approve(args.root.resolve(), args.topic, args.reviewer, args.date,
                      expected=args.fingerprint, language=args.lang))
    except Refusal as exc:
        print(f"approve: not recorded: {exc}")
        return 1
    return 0


def approve(root: Path, key: str, reviewer: str, date: datetime.date | None = None,
            today: datetime.date | None = None, expected: str | None = None,
            language: str | None = None) -> str:
    """Append the sign-off and say what was recorded; Refusal when it may not be. language:
    sign off the topic's translation (signoffs.<language>.yml), read in that language."""
    today = today or datetime.date.today()
    date = date or today
    result = generate(root, "preview")
    library = result.library
    if library is None:
        raise Refusal(_listed("the project has errors; fix them first:", errors(result.problems)))
    topic = library.topics.get(key)
    if topic is None:
        raise Refusal(f"there is no topic '{key}' under content/topics/. "
                      + (suggest(key, library.topics) or "Give the folder name of the topic."))
    found = [p for p in errors(result.problems) if _concerns(p, topic, library)]
    if found:
        raise Refusal(_listed(f"topic '{key}' has errors; fix them first:", found))
    signer = member(library, reviewer)
    if signer is None:
        raise Refusal(_not_on_board(library, reviewer))
    variants = result.variants
    if language:
        edition = result.editions.get(language)
        if edition is None or key not in edition.library.topics:
            raise Refusal(f"topic '{key}' has no '{language}' translation to sign off")
        if language not in signer.languages:
            raise Refusal(f"{signer.name} does not review '{language}' pages: list '{language}' "
                          "under their `languages:` in site_config/advisory_board.yml if they do")
        library, topic, variants = edition.library, edition.library.topics[key], edition.variants
    if date > today:
        raise Refusal(f"the date {date} is in the future; give the date of the review")
    record = _record(library, topic, variants, signer.name, signer.credentials, date)
    if expected and expected != record["fingerprint"]:
        raise Refusal(f"topic '{key}' has changed since the review view showed fingerprint "
                      f"{expected}; reload /_review/{key}/, read the changes, and approve again")
    latest = topic.signoffs[-1] if topic.signoffs else None
    if latest and (latest.reviewer, latest.fingerprint) == (signer.name, record["fingerprint"]):
        return (f"approve: {signer.name} signed topic '{key}' off on {latest.date} already, and it "
                "has not changed since; nothing recorded")
    path = root / "content" / "topics" / key / (
        f"signoffs.{language}.yml" if language else "signoffs.yml")
    _append(path, record)
    return _recorded(topic, record, path.relative_to(root).as_posix())


def _record(library: Library, topic: Topic, variants: list[Variant], name: str,
            credentials: str, date: datetime.date) -> dict[str, Any]:
    data = snapshot(library, topic, variants)
    return {"reviewer": name, "credentials": credentials, "date": date,
            "fingerprint": fingerprint(data),
            "unverified": sorted(k for k, f in topic_facts(library, topic, variants).items()
                                 if not f.verified),
            "snapshot": data}


def _append(path: Path, record: dict[str, Any], header: str = HEADER) -> None:
    """Add the record at the end; what the file held stays byte for byte."""
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    if existing.strip() and not existing.lstrip().startswith(("-", "#")):
        raise Refusal(f"{path.name} is not a list of `- {next(iter(record))}: ...` records; "
                      "restore it from version control")
    text = yaml.dump([record], Dumper=CoreSafeDumper, sort_keys=False, allow_unicode=True,
                     width=100)
    with path.open("a", encoding="utf-8") as out:
        if not existing:
            out.write(header)
        elif not existing.endswith("\n"):
            out.write("\n")
        out.write(text)


def _concerns(problem: Problem, topic: Topic, library: Library) -> bool:
    folder = topic.source.rsplit("/", 1)[0] + "/"
    prose = {f"audiences/{a}/{topic.key}.md" for a in library.audiences}
    return problem.path.startswith(folder) or problem.path in prose


def _not_on_board(library: Library, reviewer: str) -> str:
    if not library.site.board:
        return (f"'{reviewer}' is not on the advisory board, which has no members yet; only a "
                "member listed in site_config/advisory_board.yml may sign a topic off")
    names = [m.name for m in library.site.board]
    return (f"'{reviewer}' is not on the advisory board (site_config/advisory_board.yml). "
            + (suggest(reviewer, names) or f"Members: {', '.join(names)}."))


def _listed(head: str, problems: list[Problem]) -> str:
    return "\n".join([head, *(str(p) for p in sorted(problems))])


def _recorded(topic: Topic, record: dict[str, Any], where: str) -> str:
    unverified = ", ".join(record["unverified"]) or "none"
    lines = [f"approve: recorded the sign-off of topic '{topic.key}' by {record['reviewer']}, "
             f"{record['credentials']} on {record['date']} in {where}",
             f"  fingerprint {record['fingerprint']}",
             f"  facts accepted while not yet verified: {unverified}"]
    if topic.status != "approved":
        lines.append(f"  the topic now counts as approved; set `status: approved` in "
                     f"{topic.source} to say so there too")
    return "\n".join(lines)
