"""Stage 2, validate (continued): the translated editions, each a whole Library in its language.

A translation gives words only, in a file beside each English one with the language before the
suffix (`patient.es.yml`, `vertebroplasty.es.md`); the values, references, keys and rules stay
the English files'. A topic and audience are translated when their prose is
(`audiences/<audience>/<topic>.<language>.md`); everything those pages show must then be
given in the language, and nothing else may be (docs/authoring.md, 6b).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from ..base.model import (Audience, Change, Fact, GlossaryEntry, Library, SignOff, Site,
                          Topic, TranslationRecord, WarningSection, WarningSign, board_member)
from ..base.problems import Problem
from ..base.strings import Strings
from ..base.translation_model import (AudienceWords, FactWords, SignWords, SiteWords,
                                      TopicWords)
from ..check.same_facts import section_ids
from ..facts.fact_base import ascii_digits
from .load import Document, Project
from .modelling import build_model
from .site_strings import key_problems, strings_file
from .warning_signs import FOLDER as WARNING_LISTS

M = TypeVar("M", bound=BaseModel)


def is_translation(path: Path) -> bool:
    """`name.xx.yml` or `name.xx.md`: a translation's file, not a source file of its own."""
    parts = path.name.split(".")
    return len(parts) == 3 and 2 <= len(parts[1]) <= 3 and parts[1].isalpha() \
        and parts[1].islower()


class Translator:
    """Reads one language's files and makes the translated Library; every problem is recorded
    in the project, at its file and line."""

    def __init__(self, project: Project, source: Library, language: str) -> None:
        self.project = project
        self.source = source
        self.language = language
        self.problems = project.problems
        self.marks: tuple[str, str] | None = None  # the language's decimal mark and separator

    # -- reading ---------------------------------------------------------------------------

    def path(self, english: str) -> Path:
        """The translation's file beside an English one: audiences/patient.yml -> .es.yml."""
        stem, _, suffix = english.rpartition(".")
        return self.project.root / f"{stem}.{self.language}.{suffix}"

    def rel(self, english: str) -> str:
        return self.project.rel(self.path(english))

    def doc(self, english: str, why: str) -> Document | None:
        """The translation of an English YAML file; a missing one is an error saying why the
        language needs it."""
        path = self.path(english)
        if not self.exists(path, english, why, "its words"):
            return None
        return self.project.read_yaml(path)

    def exists(self, path: Path, english: str, why: str, what: str) -> bool:
        """Whether the translation's file is there; a missing one is an error saying why the
        language needs it."""
        if path.exists():
            return True
        self.problems.append(Problem(
            self.project.rel(path), None, "missing-translation",
            f"there is no {self.language} translation of {english}, which {why}",
            f"copy {english} to {self.project.rel(path)} and translate {what} "
            "(docs/authoring.md, 6b)"))
        return False

    def model(self, cls: type[M], data: Any, doc: Document, at: tuple[Any, ...]) -> M | None:
        return build_model(cls, data, doc, at, self.problems)

    def mapping(self, doc: Document, english_keys: list[str], what: str) -> dict[str, Any] | None:
        """doc's mapping, which must translate exactly english_keys."""
        if not isinstance(doc.data, dict):
            self.problems.append(Problem(doc.path, 1, "wrong-type",
                                         f"expected `key:` entries for {what}",
                                         "give each key of the English file with its words"))
            return None
        missing = [k for k in english_keys if k not in doc.data]
        if missing:
            self.problems.append(Problem(
                doc.path, 1, "missing-translation",
                f"no {self.language} words for {what} {', '.join(repr(k) for k in missing)}",
                "add each of them, translated from the English file"))
        for key in doc.data:
            if key not in english_keys:
                self.problems.append(Problem(
                    doc.path, doc.key_line((key,)), "unknown-translation",
                    f"'{key}' is not one of the English file's {what}",
                    "a translation gives words for the English keys only: fix the key or "
                    "delete the entry"))
        return doc.data if not missing else None

    # -- the edition -----------------------------------------------------------------------

    def prose(self) -> dict[tuple[str, str], str]:
        found: dict[tuple[str, str], str] = {}
        for audience in self.source.audiences:
            for path in self.project.files(f"audiences/{audience}", f"*.{self.language}.md"):
                topic = path.name.split(".")[0]
                if topic not in self.source.topics:
                    self.problems.append(Problem(
                        self.project.rel(path), None, "unknown-translation",
                        f"there is no topic '{topic}' to translate",
                        f"name the file after a topic folder of content/topics/, as "
                        f"<topic>.{self.language}.md"))
                    continue
                text = self.project.read_text(path)
                if text is not None:
                    found[(audience, topic)] = text
        return found

    def library(self) -> Library | None:
        prose = self.prose()
        if not prose:
            return None
        before = len(self.problems)
        strings = self.strings()
        self.marks = ((strings.facts.decimal_mark, strings.facts.thousands_separator)
                      if strings else None)
        audiences = {key: self.audience(self.source.audiences[key])
                     for key in sorted({a for a, _ in prose})}
        topics = {key: self.topic(self.source.topics[key], sorted(a for a, t in prose if t == key))
                  for key in sorted({t for _, t in prose})}
        site = self.site(list(audiences), strings)
        glossary = self.glossary()
        shared = self.shared_facts()
        signs = self.warning_lists(list(audiences))
        if len(self.problems) > before or site is None:
            return None
        return self.source.model_copy(update={
            "site": site, "audiences": audiences, "topics": topics, "glossary": glossary,
            "prose": prose, "shared_facts": shared, "warning_lists": signs,
            "edition": self.language, "translations": {}})

    def site(self, audiences: list[str], strings: Strings | None) -> Site | None:
        source = self.source.site
        settings = source.settings
        words_doc = self.doc("site_config/site.yml", "names the site on every page")
        words = (self.model(SiteWords, words_doc.data, words_doc, ())
                 if words_doc is not None else None)
        wanted = ["general", *sorted({self.source.audiences[a].disclaimer for a in audiences})]
        disclaimers_doc = self.doc("site_config/disclaimers.yml",
                                   "gives the disclaimer every translated page carries")
        disclaimers = (self.texts(disclaimers_doc, wanted, "disclaimers")
                       if disclaimers_doc is not None else None)
        editorial = self.text("site_config/editorial_policy.md",
                              "is the policy every translated page links to")
        board = self.text("site_config/advisory_board.md", "is the board page translated pages "
                          "link to")
        if None in (strings, words, disclaimers, editorial, board):
            return None
        assert words is not None
        return source.model_copy(update={
            "editorial_policy": editorial, "advisory_board_page": board,
            "settings": settings.model_copy(update={**words.model_dump(exclude_none=True),
                                                    "language": self.language,
                                                    "translations": []}),
            "disclaimers": disclaimers, "strings": strings})

    def text(self, english: str, why: str) -> str | None:
        """The translation of an English Markdown file."""
        path = self.path(english)
        if not self.exists(path, english, why, "it"):
            return None
        text = self.project.read_text(path)
        english_text = self.project.read_text(self.project.root / english)
        if text is not None and english_text is not None:
            ours, theirs = section_ids(english_text), section_ids(text)
            if ours != theirs:
                self.problems.append(Problem(
                    self.project.rel(path), None, "translation-sections",
                    f"the sections differ from {english}'s",
                    "give the translation the English sections, in order, each with the "
                    "English id: " + ", ".join(f"{{: #{i} }}" for i in ours)))
        return text

    def texts(self, doc: Document, wanted: list[str], what: str) -> dict[str, str] | None:
        data = self.mapping(doc, wanted, what)
        if data is None:
            return None
        bad = [k for k, v in data.items() if not isinstance(v, str) or not v.strip()]
        for key in bad:
            self.problems.append(Problem(doc.path, doc.line_of((key,)), "wrong-type",
                                         f"'{key}' must be a text", "write it as `key: text`"))
        return None if bad else dict(data)

    def strings(self) -> Strings | None:
        doc = strings_file(self.project, self.source.site.settings, self.language)
        if doc is None:
            return None
        strings = self.model(Strings, doc.data, doc, ())
        found = key_problems(doc)
        self.problems.extend(found)
        return None if found else strings

    def audience(self, audience: Audience) -> Audience:
        english = f"audiences/{audience.key}.yml"
        doc = self.doc(english, f"says how {audience.key} pages read")
        words = self.model(AudienceWords, doc.data, doc, ()) if doc is not None else None
        if doc is None or words is None:
            return audience
        if len(words.required_sections) != len(audience.required_sections):
            self.problems.append(Problem(
                doc.path, doc.key_line(("required_sections",)), "translation-differs",
                f"{len(words.required_sections)} required section(s), but the English file "
                f"has {len(audience.required_sections)}",
                "give the translated heading of each English required section, in order"))
        if (words.warning_signs is None) != (audience.warning_signs is None):
            self.problems.append(Problem(
                doc.path, 1, "translation-differs",
                "`warning_signs:` must be translated exactly when the English file has it",
                f"translate the English `warning_signs:` section of {english}"))
        section = audience.warning_signs
        if words.warning_signs is not None and section is not None:
            # validated as a whole: an action left out is named like the English file's
            section = self.model(WarningSection, {
                **section.model_dump(), **words.warning_signs.model_dump(exclude_none=True)},
                doc, ("warning_signs",))
        return audience.model_copy(update=words.model_dump(exclude_none=True) | {
            "warning_signs": section})

    def topic(self, topic: Topic, audiences: list[str]) -> Topic:
        doc = self.doc(topic.source, "gives the title and short answer of its translated pages")
        words = self.model(TopicWords, doc.data, doc, ()) if doc is not None else None
        facts = self.facts(topic.source.replace("topic.yml", "facts.yml"), topic.facts)
        if doc is None or words is None:
            return topic
        for audience in audiences:
            if audience not in words.audiences:
                self.problems.append(Problem(
                    doc.path, doc.key_line(("audiences",)), "missing-translation",
                    f"no {self.language} title and short answer for the {audience} page",
                    f"add `{audience}:` with `title:` and `short_answer:` under `audiences:`"))
        for extra in sorted(set(words.audiences) - set(audiences)):
            self.problems.append(Problem(
                doc.path, doc.key_line(("audiences", extra)), "unknown-translation",
                f"there is no {self.language} prose for the {extra} page "
                f"({self.source.prose_file(extra, topic.key).replace('.md', '')}"
                f".{self.language}.md)", "write the prose, or delete this entry"))
        dates = [c.date for c in topic.changes]
        if [c.date for c in words.changes] != dates:
            self.problems.append(Problem(
                doc.path, doc.key_line(("changes",)), "translation-differs",
                "`changes:` must translate each entry of the English `changes:`, in order, with "
                "the same dates", "English dates: " + ", ".join(d.isoformat() for d in dates)))
        lines = {a: doc.line_of(("audiences", a, "short_answer")) for a in words.audiences}
        return topic.model_copy(update={
            "question": words.question, "category": words.category,
            "audiences": {a: t for a, t in words.audiences.items() if a in audiences},
            "changes": [Change(date=c.date, summary=c.summary) for c in words.changes],
            "facts": facts, "source": doc.path, "short_answer_lines": lines,
            "change_lines": {str(i): doc.line_of(("changes", i, "summary"))
                             for i in range(len(words.changes))},
            # a translation is reviewed on its own: no English sign-off counts, and only the
            # assigned reviewers who read the language check it
            "signoffs": self.signoffs(topic),
            "reviewers": [r for r in topic.reviewers if self.reads_language(r)],
            "signoffs_source": self.rel(topic.source.replace("topic.yml", "signoffs.yml")),
            "translated_from": self.records(topic), "translations_source": records_file(topic)})

    def reads_language(self, name: str) -> bool:
        member = board_member(self.source.site.board, name)
        return member is not None and self.language in member.languages

    def signoffs(self, topic: Topic) -> list[SignOff]:
        """signoffs.<language>.yml: the translation's own sign-offs, by members who review
        that language (appended by `make approve ... LANG=<language>`)."""
        path = self.path(topic.source.replace("topic.yml", "signoffs.yml"))
        if not path.exists():
            return []
        doc = self.project.read_yaml(path)
        if doc is None or not isinstance(doc.data, list):
            if doc is not None:
                self.problems.append(Problem(doc.path, 1, "wrong-type",
                                             f"{doc.path} must be a YAML list of sign-offs",
                                             "restore it from version control"))
            return []
        found = []
        for i, item in enumerate(doc.data):
            line = doc.line_of((i,))
            record = self.model(SignOff, {**item, "line": line} if isinstance(item, dict)
                                else item, doc, (i,))
            if record is None:
                continue
            if not self.reads_language(record.reviewer):
                self.problems.append(Problem(
                    doc.path, line, "signoff-wrong-language",
                    f"the sign-off of {record.date} is by '{record.reviewer}', who does not "
                    f"review '{self.language}' pages", f"list '{self.language}' under "
                    "`languages:` of the member in site_config/advisory_board.yml if they do"))
                continue
            found.append(record)
        return found

    def records(self, topic: Topic) -> dict[str, TranslationRecord]:
        """The newest record of each audience's translation into this language."""
        path = self.project.root / records_file(topic)
        if not path.exists():
            return {}
        doc = self.project.read_yaml(path)
        if doc is None:
            return {}
        if not isinstance(doc.data, list):
            self.problems.append(Problem(doc.path, 1, "wrong-type",
                                         f"{doc.path} must be a YAML list of records",
                                         "let `make translated` write it; restore it from "
                                         "version control"))
            return {}
        found: dict[str, TranslationRecord] = {}
        for i, item in enumerate(doc.data):
            record = self.model(TranslationRecord, {**item, "line": doc.line_of((i,))}
                                if isinstance(item, dict) else item, doc, (i,))
            if record is not None and record.language == self.language:
                found[record.audience] = record
        return found

    def facts(self, english: str, facts: dict[str, Fact], prefix: str = "") -> dict[str, Fact]:
        wanted = [key.removeprefix(prefix) for key, fact in facts.items() if needs_words(fact)]
        if not wanted:
            return facts
        doc = self.doc(english, "gives the units and plain wordings of facts a page shows")
        data = self.mapping(doc, wanted, "facts with words") if doc is not None else None
        if doc is None or data is None:
            return facts
        out = dict(facts)
        for key in wanted:
            words = self.model(FactWords, data[key], doc, (key,))
            if words is not None:
                out[prefix + key] = self.fact(facts[prefix + key], words, doc, key)
        return out

    def fact(self, fact: Fact, words: FactWords, doc: Document, key: str) -> Fact:
        update: dict[str, Any] = {}
        for field in ("unit", "plain"):
            english, given = getattr(fact, field), getattr(words, field)
            if (english is None) != (given is None):
                self.problems.append(Problem(
                    doc.path, doc.key_line((key,)), "translation-differs",
                    f"'{key}' must give `{field}:` exactly when the English fact does",
                    f"translate the English `{field}:`" if english else f"delete `{field}:`"))
            elif english is not None and given is not None:
                update[field] = given
                self.same_numbers(english, given, doc, (key, field))
        if isinstance(fact.value, str) != (words.value is not None):
            self.problems.append(Problem(
                doc.path, doc.key_line((key,)), "translation-differs",
                f"'{key}': only a fact whose English value is text has a translated `value:`",
                "translate the text value" if isinstance(fact.value, str)
                else "delete `value:`: numbers come from the English file"))
        elif words.value is not None:
            update["value"] = words.value
        if words.label:
            update["label"] = words.label
        return fact.model_copy(update=update)

    def same_numbers(self, english: str, given: str, doc: Document, at: tuple[str, ...]) -> None:
        """The drift guard of words: the translation shows the English numbers, as values."""
        source_words = self.source.site.strings.facts
        ours = numbers_written(english, source_words.decimal_mark, source_words.thousands_separator)
        if self.marks is None:
            return  # the strings file's problems are reported
        theirs = numbers_written(given, *self.marks)
        if sorted(ours) != sorted(theirs):
            self.problems.append(Problem(
                doc.path, doc.line_of(at), "translation-number",
                f"'{'.'.join(at)}' shows {_listed(theirs)}, but the English shows {_listed(ours)}",
                "write the same numbers as the English, with this language's decimal mark"))

    def glossary(self) -> dict[str, GlossaryEntry]:
        doc = self.doc("content/glossary.yml", "defines the terms translated pages explain")
        data = (self.mapping(doc, list(self.source.glossary), "glossary terms")
                if doc is not None else None)
        if doc is None or data is None:
            return self.source.glossary
        entries = {k: self.model(GlossaryEntry, v, doc, (k,)) for k, v in data.items()}
        return {k: v for k, v in entries.items() if v is not None}

    def shared_facts(self) -> dict[str, Fact]:
        out = dict(self.source.shared_facts)
        for source in sorted({key.partition(".")[0] for key in out}):
            facts = {k: f for k, f in out.items() if k.startswith(source + ".")}
            out.update(self.facts(f"content/facts/{source}.yml", facts, prefix=source + "."))
        return out

    def warning_lists(self, audiences: list[str]) -> dict[str, dict[str, WarningSign]]:
        out = {}
        for name, signs in self.source.warning_lists.items():
            english = f"{WARNING_LISTS}/{name}.yml"
            doc = self.doc(english, "lists signs translated pages tell readers to act on")
            data = self.mapping(doc, list(signs), "warning signs") if doc is not None else None
            if doc is None or data is None:
                out[name] = signs
                continue
            out[name] = dict(self.signs(signs, data, doc, audiences))
        return out

    def signs(self, signs: dict[str, WarningSign], data: dict[str, Any], doc: Document,
              audiences: list[str]) -> Iterator[tuple[str, WarningSign]]:
        for key, sign in signs.items():
            words = self.model(SignWords, data[key], doc, (key,))
            if words is None:
                continue
            if isinstance(words.notice, dict):
                missing = [a for a in audiences if a not in sign.not_for and a not in words.notice]
                if missing:
                    self.problems.append(Problem(
                        doc.path, doc.key_line((key, "notice")), "missing-translation",
                        f"sign '{key}' has no words for {', '.join(missing)}",
                        "give one wording for every reader, or one per translated audience"))
            yield key, sign.model_copy(update={"notice": words.notice})


def records_file(topic: Topic) -> str:
    """content/topics/<topic>/translations.yml, beside the English topic.yml."""
    return topic.source.replace("topic.yml", "translations.yml")


def needs_words(fact: Fact) -> bool:
    """A fact whose page text has words: a unit, a plain wording, or a text value."""
    return fact.unit is not None or fact.plain is not None or isinstance(fact.value, str)


def numbers_written(text: str, decimal_mark: str, thousands: str) -> list[float]:
    """The numbers of a text as its language writes them: "2,5" is 2.5 where the decimal mark
    is a comma, "1.234" is 1234 where the thousands separator is a point."""
    group = rf"(?:{re.escape(thousands)}[0-9]{{3}})*" if thousands.strip() else ""
    pattern = rf"[0-9]+{group}(?:{re.escape(decimal_mark)}[0-9]+)?"
    found = re.findall(pattern, ascii_digits(text))
    if thousands.strip():
        found = [n.replace(thousands, "") for n in found]
    return [float(n.replace(decimal_mark, ".")) for n in found]


def _listed(numbers: list[float]) -> str:
    return ", ".join(f"{n:g}" for n in sorted(numbers)) or "no number"


def translated_editions(project: Project, library: Library) -> dict[str, Library]:
    """Every language of site.yml's `translations:` that has prose, as its own Library."""
    out = {}
    for language in library.site.settings.translations:
        edition = Translator(project, library, language).library()
        if edition is not None:
            out[language] = edition
    return out
