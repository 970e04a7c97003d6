"""Stage 2, validate: the warning signs, defined once for every reader.

A list in content/warning_signs/<list>.yml holds signs by key, each with one urgency; a topic
names the lists its pages show (`warning_signs:` in topic.yml), and each audience says how its
pages show them (`warning_signs:` in audiences/<audience>.yml). The rules checked here are what
keeps advice from drifting between readers: a sign has one urgency, is defined in one place, and
a sign any reader is shown is shown to every reader the audiences name, unless a reason for
leaving it out is recorded.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..base.suggest import suggest
from .load import Document, Project
from ..base.model import URGENCIES, Audience, Library, Topic, WarningSign
from ..base.problems import Problem, warning
from ..base.numerals import has_numeral
from ..base.sections import heading_title, headings

FOLDER = "content/warning_signs"
PLACEHOLDER = "{emergency_number}"
BRACES = re.compile(r"[{}]")


def two_urgencies_in_one(doc: Document, key: str) -> Problem:
    return Problem(doc.path, doc.line_of((key, "urgency")), "two-urgencies",
                   f"sign '{key}' gives an urgency per reader; a sign has one urgency for every "
                   "reader, so that nobody is told to wait for what others are told is an "
                   "emergency", "write one of emergency, same_day or next_visit; word the sign "
                   "for each reader under `notice:` instead")


def sign_problems(library: Library, project: Project) -> list[Problem]:
    shown_to = [a for a in library.audiences.values() if a.warning_signs]
    problems = list(_defined_once(library))
    for name, signs in library.warning_lists.items():
        doc = project.docs[f"{FOLDER}/{name}.yml"]
        for sign in signs.values():
            problems += _sign(library, sign, doc, shown_to)
    for audience in shown_to:
        problems += _actions(library, audience, project.docs[f"audiences/{audience.key}.yml"])
    for topic in library.topics.values():
        problems += _topic(library, topic, project.docs[topic.source], shown_to)
    return problems


def _defined_once(library: Library) -> Iterator[Problem]:
    """A sign key, or a reader's wording of a sign, in two places: with two urgencies if those
    differ, or a copy that would drift."""
    first: dict[str, tuple[str, WarningSign]] = {}
    worded: dict[str, tuple[str, WarningSign]] = {}
    for name, signs in library.warning_lists.items():
        for sign in signs.values():
            path = f"{FOLDER}/{name}.yml"
            earlier = first.setdefault(sign.key, (path, sign))
            if earlier[1] is not sign:
                yield _again(path, sign, earlier, f"sign '{sign.key}' is defined again")
                continue
            for text in _wordings(sign):
                same = worded.setdefault(" ".join(text.casefold().split()), (path, sign))
                if same[1] is not sign and same[1].urgency != sign.urgency:
                    yield _again(path, sign, same, f"sign '{sign.key}' has the words of sign "
                                                   f"'{same[1].key}'")


def _again(path: str, sign: WarningSign, earlier: tuple[str, WarningSign], what: str) -> Problem:
    where = f"{earlier[0]}:{earlier[1].line}"
    if earlier[1].urgency != sign.urgency:
        return Problem(path, sign.line, "two-urgencies",
                       f"{what}, as {sign.urgency} here and as {earlier[1].urgency} in {where}: "
                       "one sign has one urgency for every reader",
                       f"keep one definition, with the urgency the sources support, in {where}")
    return Problem(path, sign.line, "duplicate-sign", f"{what} (first in {where})",
                   "define each sign once; a topic that needs it names its list in topic.yml")


def _wordings(sign: WarningSign) -> list[str]:
    return [sign.notice] if isinstance(sign.notice, str) else list(sign.notice.values())


def _sign(library: Library, sign: WarningSign, doc: Document,
          shown_to: list[Audience]) -> Iterator[Problem]:
    key = sign.key
    named = [*([] if isinstance(sign.notice, str) else sign.notice), *sign.not_for]
    for name in named:
        if name not in library.audiences:
            field = "not_for" if name in sign.not_for else "notice"
            yield Problem(doc.path, doc.key_line((key, field, name)), "unknown-audience",
                          f"sign '{key}' names '{name}', which is not an audience",
                          suggest(name, library.audiences) or "remove it")
    for name, reason in sign.not_for.items():
        if not reason.strip():
            yield Problem(doc.path, doc.line_of((key, "not_for", name)),
                          "sign-missing-for-audience",
                          f"sign '{key}' leaves out the {name} reader without a reason",
                          "write why this reader is not shown the sign, or remove the line")
    for audience in shown_to:
        if sign.wording(audience.key) is None and audience.key not in sign.not_for:
            others = [a.key for a in shown_to if sign.wording(a.key)]
            yield Problem(doc.path, doc.key_line((key, "notice")), "sign-missing-for-audience",
                          f"sign '{key}' is worded for {', '.join(others)} but not for the "
                          f"{audience.key} reader, who would not be told of it",
                          f"add `{audience.key}: <words>` under `notice:`, or record why the "
                          f"{audience.key} reader is not shown it (`not_for: {{{audience.key}: "
                          "<reason>}`)")
    for where, text in _texts(sign):
        if has_numeral(text):
            yield Problem(doc.path, doc.line_of((key, *where)), "bare-number",
                          f"sign '{key}' holds a number ('{text}'); a figure in advice is not "
                          "checked against the fact base", "say it without the number")
    for i, ref in enumerate(sign.source):
        if ref not in library.references:
            yield Problem(doc.path, doc.line_of((key, "source", i)), "unknown-reference",
                          f"sign '{key}' cites '{ref}', which is not a known reference",
                          suggest(ref, library.references) or "add it to content/references.yml")


def _texts(sign: WarningSign) -> list[tuple[tuple[str, ...], str]]:
    if isinstance(sign.notice, str):
        return [(("notice",), sign.notice)]
    return [(("notice", k), v) for k, v in sign.notice.items()]


def _actions(library: Library, audience: Audience, doc: Document) -> Iterator[Problem]:
    section = audience.warning_signs
    assert section is not None
    for urgency, text in section.actions.items():
        line = doc.line_of(("warning_signs", "actions", urgency))
        rest = text.replace(PLACEHOLDER, "")
        if BRACES.search(rest):
            yield Problem(doc.path, line, "bad-placeholder",
                          f"the {urgency} action holds braces other than {PLACEHOLDER}",
                          f"write {PLACEHOLDER} where the number goes, and no other braces")
        elif has_numeral(rest):
            yield Problem(doc.path, line, "bare-number",
                          f"the {urgency} action holds a number ('{text}')",
                          f"write {PLACEHOLDER} for the emergency number (site_config/site.yml)")
        elif PLACEHOLDER in text and not library.site.settings.emergency_number:
            yield Problem(doc.path, line, "missing-emergency-number",
                          f"the {urgency} action shows {PLACEHOLDER}, but site_config/site.yml "
                          "gives none", 'add `emergency_number: "911"` (the number your '
                          "readers call) to site_config/site.yml")


def _topic(library: Library, topic: Topic, doc: Document,
           shown_to: list[Audience]) -> Iterator[Problem]:
    for i, name in enumerate(topic.warning_signs):
        line = doc.line_of(("warning_signs", i))
        if name not in library.warning_lists:
            yield Problem(doc.path, line, "unknown-warning-list",
                          f"there is no list of warning signs '{name}' ({FOLDER}/{name}.yml)",
                          suggest(name, library.warning_lists) or
                          f"write {FOLDER}/{name}.yml, or remove the name")
            continue
        for sign in library.warning_lists[name].values():
            for ref in sign.source:
                if ref in library.references and ref not in topic.references:
                    yield Problem(doc.path, line, "unknown-reference",
                                  f"sign '{sign.key}' of the list '{name}' ({FOLDER}/{name}.yml:"
                                  f"{sign.line}) cites '{ref}', which is not in this topic's "
                                  "`references`", f"add '{ref}' to the topic's references")
    if shown_to and not topic.warning_signs:
        yield warning(doc.path, doc.key_line(("question",)), "no-warning-signs",
                      f"topic '{topic.key}' names no warning signs: its pages cannot say when "
                      "to get help", f"name a list of {FOLDER}/ under `warning_signs:`")
    for audience in shown_to:
        section = audience.warning_signs
        assert section is not None
        prose = library.prose.get((audience.key, topic.key), "")
        written = _heading_line(prose, section.title)
        if section.place == "after_short_answer" and written:
            yield Problem(f"audiences/{audience.key}/{topic.key}.md", written,
                          "warning-section-written",
                          f"the page writes its own '{section.title}' section, which is made "
                          "from the topic's warning signs", "delete the section; change the "
                          f"signs in {FOLDER}/ so that every reader is told the same")


def _heading_line(prose: str, title: str) -> int | None:
    return next((line for line, text in headings(prose)
                 if heading_title(text).casefold() == title.casefold()), None)


def used_signs(library: Library, topic: Topic) -> list[WarningSign]:
    """The topic's signs, most urgent first, each list's in the order it is written."""
    signs: dict[str, WarningSign] = {}
    for name in topic.warning_signs:
        signs.update(library.warning_lists.get(name, {}))
    return sorted(signs.values(), key=lambda s: URGENCIES.index(s.urgency))

