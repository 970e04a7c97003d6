"""Stage 2, validate: turn loaded YAML into the typed content model, collecting every problem."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from .load import Document, Project, Reads, YamlPath
from .modelling import build_model, kind_of as _kind
from .strict_yaml import decimals_typed
from ..base.strings import Strings
from ..base.model import (CHECKABLE_FIELDS, KEY_RE, Audience, BoardMember, Fact, GlossaryEntry,
                    Library, PublicationPolicy, Reference, SignOff, Site, SiteSettings, Topic,
                    WarningSign)
from .unsafe_html import unsafe_html
from .crosscheck import crosscheck
from ..base.suggest import suggest
from ..facts.facts import number
from .reading_rules import reading_rule_problems
from .field_problems import field_problems
from .site_strings import key_problems, strings_file
from .policy_promises import promise_problems
from ..base.problems import Problem, errors
from ..base.timing import Timing
from .translations import is_translation, translated_editions
from .warning_signs import FOLDER as WARNING_LISTS, sign_problems, two_urgencies_in_one

M = TypeVar("M", bound=BaseModel)
MAX_DECIMALS = 6  # Fact.decimals
RANGE_ENDS = ("min", "max")
SOURCE_FOLDERS = ("content", "audiences", "site_config", "templates")
# A topic's folder name is its key, its web address and part of file names and JSON
TOPIC_KEY = re.compile(r"[a-z0-9][a-z0-9_-]*")


# a topic as validated: the parsed files it came from (topic, facts, sign-offs), what they gave
ValidatedTopic = tuple[tuple[Document | None, ...], Topic | None, list[Problem]]


@dataclass
class ReadMemory:
    """What load and validate remember, for one build or a preview between saves: the files
    read and parsed (load.Reads), and each topic validated, by its folder, with the parsed files
    it came from. A preview validates again only the topics whose files were saved."""

    reads: Reads = field(default_factory=Reads)
    topics: dict[str, ValidatedTopic] = field(default_factory=dict)


def load_library(root: Path, memory: ReadMemory | None = None, timing: Timing | None = None
                 ) -> tuple[Library | None, list[Problem]]:
    """Read and validate the whole project; a Library only when every part is readable."""
    memory = memory or ReadMemory()
    project = Project(root, memory.reads, timing)
    try:
        return _validated_library(project, memory.topics)
    finally:
        memory.reads.parsed.end_round()  # texts no longer in the project, or saved since


def _validated_library(project: Project, validated: dict[str, ValidatedTopic]
                       ) -> tuple[Library | None, list[Problem]]:
    problems = project.problems
    site = _site(project)
    audiences = _keyed(project, "audiences", "*.yml", Audience)
    references = _references(project)
    glossary = _glossary(project)
    shared_facts = _shared_facts(project)
    warning_lists = _warning_lists(project)
    topics = {t.key: t for t in (_topic(project, d, validated) for d in _topic_dirs(project))
              if t}
    prose = _prose(project, audiences, topics)
    editions = (translated_editions(project, Library(
        site=site, audiences=audiences, references=references, glossary=glossary, topics=topics,
        prose=prose, shared_facts=shared_facts, warning_lists=warning_lists))
        if site is not None and not errors(problems) else {})
    for path, text in project.texts.items():
        problems.extend(unsafe_html(text, path))
    for folder in SOURCE_FOLDERS:
        problems.extend(p for p in project.links_leaving(folder) if p not in problems)
    problems.extend(project.unreadable_templates())
    if site is None:
        return None, problems
    # What loaded is still checked (one pass: an editor sees every problem at once); topics
    # whose files could not be read are left out of it, and pipeline.generate publishes nothing.
    library = Library(site=site, audiences=audiences, references=references,
                      glossary=glossary, topics=topics, prose=prose, shared_facts=shared_facts,
                      warning_lists=warning_lists, translations=editions)
    # the languages of the pages: the site's, and each translated edition's for its audiences
    problems.extend(reading_rule_problems(audiences, [site.settings.language], project))
    for language, edition in editions.items():
        problems.extend(reading_rule_problems(edition.audiences, [language], project))
    if not any(is_shared_file(p.path) for p in errors(problems)):
        problems.extend(crosscheck(library, project))
        problems.extend(sign_problems(library, project))
        problems.extend(promise_problems(library, project))
    return library, problems


def is_shared_file(path: str) -> bool:
    """Files every topic depends on: with an error in one, no topic can be checked further."""
    return not path.startswith(("content/topics/", "audiences/")) or (
        path.startswith("audiences/") and path.count("/") == 1)


def topic_files(topic: Topic, audiences: list[str]) -> set[str]:
    return {topic.source, topic.source.replace("topic.yml", "facts.yml"),
            *(f"audiences/{audience}/{topic.key}.md" for audience in audiences)}


def _site(project: Project) -> Site | None:
    problems = project.problems
    parts: dict[str, Any] = {}
    for name, cls in (("site.yml", SiteSettings), ("policy.yml", PublicationPolicy)):
        doc = project.read_yaml(project.root / "site_config" / name)
        parts[name] = doc and build_model(cls, doc.data, doc, (), problems)
    doc = project.read_yaml(project.root / "site_config" / "disclaimers.yml")
    disclaimers = doc.data if doc and _is_text_map(doc, problems) else None
    editorial = project.read_text(project.root / "site_config" / "editorial_policy.md")
    board = project.read_text(project.root / "site_config" / "advisory_board.md")
    members = _board(project)
    strings = parts["site.yml"] and _strings(project, parts["site.yml"])
    if None in (parts["site.yml"], parts["policy.yml"], disclaimers, editorial, board, members,
                strings):
        return None
    return Site(settings=parts["site.yml"], policy=parts["policy.yml"], disclaimers=disclaimers,
                editorial_policy=editorial, advisory_board_page=board, board=members,
                strings=strings)


def _strings(project: Project, settings: SiteSettings) -> Strings | None:
    """site_config/strings/<language>.yml, validated (core/base/strings.py, core/read/site_strings.py)."""
    doc = strings_file(project, settings)
    if doc is None:
        return None
    strings = build_model(Strings, doc.data, doc, (), project.problems)
    found = key_problems(doc)
    project.problems.extend(found)
    return None if found else strings


def _board(project: Project) -> list[BoardMember] | None:
    """The reviewers (site_config/advisory_board.yml); no file is a board with no members."""
    path = project.root / "site_config" / "advisory_board.yml"
    if not path.exists():
        return []
    doc = project.read_yaml(path)
    return _listed(project, doc, BoardMember, "- name: ...\n  credentials: ...\n  role: ...")


def _listed(project: Project, doc: Document | None, cls: type[M], example: str) -> list[M] | None:
    """A file that is a YAML list of cls mappings; None when it cannot be used."""
    if doc is None:
        return None
    if not isinstance(doc.data, list):
        project.problems.append(Problem(doc.path, 1, "wrong-type",
                                        f"{doc.path} must be a YAML list (`- ` items), "
                                        f"found {_kind(doc.data)}",
                                        f"write each entry as {example}, or `[]` for none"))
        return None
    extra = (lambda i: {"line": doc.line_of((i,))}) if "line" in cls.model_fields else (lambda i: {})
    items = [build_model(cls, item, doc, (i,), project.problems, extra(i))
             for i, item in enumerate(doc.data)]
    return None if None in items else [item for item in items if item is not None]


def _is_text_map(doc: Document, problems: list[Problem]) -> bool:
    if isinstance(doc.data, dict) and all(isinstance(v, str) for v in doc.data.values()):
        return True
    problems.append(Problem(doc.path, 1, "wrong-type", "expected `name: text` lines",
                            "write each disclaimer as `audience: text`"))
    return False


def _keyed(project: Project, folder: str, pattern: str, cls: type[M]) -> dict[str, M]:
    out: dict[str, M] = {}
    for path in project.files(folder, pattern):
        if is_translation(path):
            continue
        if not TOPIC_KEY.fullmatch(path.stem):
            project.problems.append(Problem(
                project.rel(path), None, "bad-audience-name",
                f"the file name '{path.stem}' cannot be an audience's key and web address",
                f"rename it with lower-case letters, digits, - and _ only, such as {folder}/"
                "carer.yml (and its folder of prose with it)"))
            continue
        doc = project.read_yaml(path)
        model = doc and build_model(cls, doc.data, doc, (), project.problems, {"key": path.stem})
        if model:
            out[path.stem] = model
    return out


def _references(project: Project) -> dict[str, Reference]:
    doc = project.read_yaml(project.root / "content" / "references.yml")
    if doc is None:
        return {}
    if not isinstance(doc.data, list):
        project.problems.append(Problem(doc.path, 1, "wrong-type",
                                        "references.yml must be a list of CSL items (`- id: ...`)",
                                        "start each reference with `- id: key`"))
        return {}
    out: dict[str, Reference] = {}
    for i, item in enumerate(doc.data):
        ref = build_model(Reference, item, doc, (i,), project.problems)
        if ref and ref.id in out:
            project.problems.append(Problem(doc.path, doc.line_of((i,)), "duplicate-reference",
                                            f"the reference id '{ref.id}' is used twice",
                                            "give each reference its own id, or delete the copy"))
        elif ref:
            out[ref.id] = ref
            project.problems.extend(_unchecked_fields(ref, doc, i))
    return out


def _unchecked_fields(ref: Reference, doc: Document, index: int) -> list[Problem]:
    """`unchecked:` names printed CSL fields this entry has: a reader is told each one is not
    yet checked, so a misspelt or absent field would mark nothing and mislead."""
    problems = []
    present = ref.printed_fields()
    for j, name in enumerate(ref.unchecked or []):
        line = doc.line_of((index, "unchecked", j))
        if name not in CHECKABLE_FIELDS:
            problems.append(Problem(
                doc.path, line, "unknown-unchecked-field",
                f"'{name}' under `unchecked` of '{ref.id}' is not a field a reference prints",
                suggest(name, CHECKABLE_FIELDS) or
                f"use the field's CSL name, one of: {', '.join(CHECKABLE_FIELDS)}"))
        elif name not in present:
            problems.append(Problem(
                doc.path, line, "unknown-unchecked-field",
                f"'{ref.id}' lists '{name}' under `unchecked`, but has no `{name}:` field",
                f"delete '{name}' from `unchecked`, or add the `{name}:` field it means"))
    return problems


def _glossary(project: Project) -> dict[str, GlossaryEntry]:
    path = project.root / "content" / "glossary.yml"
    doc = project.read_yaml(path) if path.exists() else None
    if doc is None:
        return {}
    if not isinstance(doc.data, dict):
        project.problems.append(Problem(doc.path, 1, "wrong-type",
                                        f"the glossary holds `key: {{term: ..., definition: ...}}` "
                                        f"entries, found {_kind(doc.data)}",
                                        "write each entry as `key:` with `term:` and `definition:` "
                                        "indented under it"))
        return {}
    entries = {k: build_model(GlossaryEntry, v, doc, (k,), project.problems)
               for k, v in doc.data.items()}
    return {k: v for k, v in entries.items() if v}


def _topic_dirs(project: Project) -> list[Path]:
    """The topic folders whose names can be a key; the others are refused, by name."""
    folders = []
    for path in project.files("content/topics", "*"):
        if not path.is_dir():
            continue
        if TOPIC_KEY.fullmatch(path.name):
            folders.append(path)
        else:
            project.problems.append(Problem(
                project.rel(path), None, "bad-topic-name",
                f"the topic folder name '{path.name}' cannot be a topic's key and web address",
                "rename the folder with lower-case letters, digits, - and _ only, such as "
                "content/topics/back-pain (and its audiences/<audience>/<topic>.md files)"))
    return folders


def _facts(project: Project, doc: Document) -> dict[str, Fact | None]:
    out: dict[str, Fact | None] = {}
    for key, data in doc.data.items():
        typed = _decimals_as_written(doc, key, data)
        if typed > MAX_DECIMALS:
            project.problems.append(Problem(
                doc.path, doc.line_of((key, "value")), "invalid-value",
                f"'{key}.value' is typed with {typed} digits after the point; a page shows at "
                f"most {MAX_DECIMALS}", "round the value to the digits the source reports"))
            out[key] = None
            continue
        extra = {"decimals": typed} if typed else {}
        out[key] = build_model(Fact, data, doc, (key,), project.problems, {"key": key, **extra})
    return out


def _mapping_files(project: Project, folder: str, named: str, example: str, holds: str,
                   fix: str) -> Iterator[tuple[str, Document]]:
    """(name, document) of each folder/<name>.yml whose name can be a key and which holds a
    mapping by key; the others are refused, each at its file."""
    for path in project.files(folder, "*.yml"):
        if is_translation(path):
            continue
        doc = project.read_yaml(path)
        if doc is None:
            continue
        if not re.match(KEY_RE, path.stem):
            project.problems.append(Problem(
                doc.path, None, "invalid-value",
                f"'{path.stem}' cannot name {named}: use lower-case letters, digits and _",
                f"rename the file, such as {folder}/{example}.yml"))
        elif not isinstance(doc.data, dict):
            project.problems.append(Problem(doc.path, 1, "wrong-type", holds, fix))
        else:
            yield path.stem, doc


def _shared_facts(project: Project) -> dict[str, Fact]:
    """content/facts/<source>.yml: facts defined once, known everywhere as "<source>.<key>"."""
    out: dict[str, Fact] = {}
    for name, doc in _mapping_files(
            project, "content/facts", "shared facts (after its source's reference id)", "liu2011",
            "a shared fact file holds `key: {label: ..., ...}` facts",
            "write one fact per key, as in a topic's facts.yml"):
        for key, fact in _facts(project, doc).items():
            if fact is not None:
                out[f"{name}.{key}"] = fact.model_copy(update={"key": f"{name}.{key}"})
    return out


def _warning_lists(project: Project) -> dict[str, dict[str, WarningSign]]:
    """content/warning_signs/<list>.yml: signs by key, each defined once (warning_signs.py)."""
    out: dict[str, dict[str, WarningSign]] = {}
    for name, doc in _mapping_files(
            project, WARNING_LISTS, "a list of warning signs", "cement_procedure",
            "a list of warning signs holds `key: {urgency: ..., ...}` signs",
            "write one sign per key, with its fields indented under it"):
        signs = {}
        for key, data in doc.data.items():
            if isinstance(data, dict) and isinstance(data.get("urgency"), (dict, list)):
                project.problems.append(two_urgencies_in_one(doc, key))
                continue
            sign = build_model(WarningSign, data, doc, (key,), project.problems,
                               {"key": key, "line": doc.key_line((key,))})
            if sign:
                signs[key] = sign
        out[name] = signs
    return out


def _topic(project: Project, folder: Path, validated: dict[str, ValidatedTopic]) -> Topic | None:
    doc = project.read_yaml(folder / "topic.yml")
    facts_doc = project.read_yaml(folder / "facts.yml")
    signoffs_path = folder / "signoffs.yml"
    signoffs_doc = project.read_yaml(signoffs_path) if signoffs_path.exists() else None
    if facts_doc is not None and not isinstance(facts_doc.data, dict):
        project.problems.append(Problem(
            facts_doc.path, 1, "wrong-type",
            f"facts.yml holds `key: {{label: ..., ...}}` facts, found {_kind(facts_doc.data)}",
            "write one fact per key, with its fields indented under it"))
        return None
    if doc is None or facts_doc is None:
        return None
    if signoffs_path.exists() and signoffs_doc is None:
        return None
    docs = (doc, facts_doc, signoffs_doc)
    known = validated.get(str(folder))  # unchanged files parse to the very same Documents
    if known is not None and all(a is b for a, b in zip(known[0], docs)):
        project.problems.extend(known[2])
        return known[1]
    before = len(project.problems)
    topic = _validate_topic(project, folder, doc, facts_doc, signoffs_doc)
    validated[str(folder)] = (docs, topic, project.problems[before:])
    return topic


def _validate_topic(project: Project, folder: Path, doc: Document, facts_doc: Document,
                    signoffs_doc: Document | None) -> Topic | None:
    facts = _facts(project, facts_doc)
    if any(f is None for f in facts.values()):
        return None
    audiences = doc.data.get("audiences") if isinstance(doc.data, dict) else None
    lines = {a: doc.line_of(("audiences", a, "short_answer"))
             for a in (audiences if isinstance(audiences, dict) else {})}
    signoffs_path = folder / "signoffs.yml"
    signoffs = (_listed(project, signoffs_doc, SignOff, "`make approve`")
                if signoffs_doc is not None else [])
    if signoffs is None:
        return None
    return build_model(Topic, doc.data, doc, (), project.problems,
                       {"key": folder.name, "facts": facts, "source": doc.path,
                        "short_answer_lines": lines, "change_lines": _change_lines(doc),
                        "signoffs": signoffs,
                        "signoffs_source": project.rel(signoffs_path)})


def _change_lines(doc: Document) -> dict[str, int]:
    """The line of each change summary, keyed "0" (summary) and "0.patient" (summaries)."""
    changes = doc.data.get("changes") if isinstance(doc.data, dict) else None
    lines = {}
    for i, change in enumerate(changes if isinstance(changes, list) else []):
        lines[str(i)] = doc.line_of(("changes", i, "summary"))
        summaries = change.get("summaries") if isinstance(change, dict) else None
        for key in summaries if isinstance(summaries, dict) else {}:
            lines[f"{i}.{key}"] = doc.line_of(("changes", i, "summaries", key))
    return lines


def _decimals_as_written(doc: Document, key: str, data: Any) -> int:
    """2.50 stays "2.50" and a range 2.5 to 4.0 "2.5-4.0": the digits after the point the editor
    typed (the most of a range's two ends), unless `decimals:` says otherwise; 0 for none."""
    if not isinstance(data, dict) or "decimals" in data:
        return 0
    value = data.get("value")
    if isinstance(value, float):
        return decimals_typed(doc.raw.get((key, "value"), ""))
    if not (isinstance(value, dict) and
            all(isinstance(value.get(end), (int, float)) for end in RANGE_ENDS)):
        return 0
    typed = max(decimals_typed(doc.raw.get((key, "value", end), "")) for end in RANGE_ENDS)
    # Only where it shows (2.5 to 4.0): a range that prints as typed anyway keeps the snapshot,
    # and so the sign-off, it had before ranges kept their typed decimals.
    shows = any(number(value[end], typed) != number(value[end]) for end in RANGE_ENDS)
    return typed if shows else 0


def _prose(project: Project, audiences: dict[str, Audience],
           topics: dict[str, Topic]) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for audience in audiences:
        for topic in topics:
            path = project.root / "audiences" / audience / f"{topic}.md"
            if not path.exists():
                project.problems.append(Problem(
                    project.rel(path), None, "missing-variant",
                    f"topic '{topic}' has no prose for the {audience} audience",
                    f"write audiences/{audience}/{topic}.md"))
                continue
            text = project.read_text(path)
            if text is not None:
                out[(audience, topic)] = text
    return out
