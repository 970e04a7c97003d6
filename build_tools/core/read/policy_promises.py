"""Stage 2, validate (continued): the statements of site_config/editorial_policy.md the build
can check, for the promises site_config/policy.yml declares (`promises:`).

The policy is what readers are told about how the content was made; a promise the content
breaks is a false statement to them, so it stops the build like any other content error.

- references_checked: a printed field a reference's `note:` calls unverified or taken from a
  secondary source is listed under `unchecked:` (the reference list then marks it).
- untraceable_labelled: a reference whose note says it cannot be traced has
  `kind: untraceable summary` (its label in the reference list).
- grades_from_source: an evidence grade that only untraceable summaries give is
  `verified: false`, so it is marked "not yet checked" wherever it is shown.
- change_log_newest_first: each topic's `changes:` runs newest first.
- unverified_marked: checked on every build, declared or not, in the finished site rather than
  here: site/html_check.py (_unverified_marks: every unverified figure on a page carries its
  mark and the page its note, "unverified-unmarked") and site/final_pdf.py (the handout's marks
  and note, "handout-unverified").
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from types import MappingProxyType

from .load import Document, Project
from ..base.model import Fact, Library, Reference
from ..base.problems import Problem

REFERENCES = "content/references.yml"
UNTRACEABLE = "untraceable summary"
DOUBT = re.compile(r"secondary sources?|un(?:verified|checked|confirmed)|"
                   r"not (?:yet )?(?:verified|checked|confirmed)|could not be (?:verified|checked|"
                   r"confirmed)", re.IGNORECASE)
# A note may say why a detail is left out ("PMID not verified and therefore not given", "author
# list beyond the first not verified, so not given"): that keeps the promise.
LEFT_OUT = re.compile(r"not given|left out|omitted|not shown|not printed", re.IGNORECASE)
NOT_TRACEABLE = re.compile(r"not traceable|untraceable|cannot be traced", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.;!?])\s+")
# How a note names a printed field (CSL name: the words an editor writes for it)
FIELD_WORDS = MappingProxyType({field: re.compile(pattern, re.IGNORECASE) for field, pattern in {
    "author": r"\bauthors?\b", "title": r"\btitle\b", "container-title": r"\bjournal\b",
    "publisher": r"\bpublisher\b", "issued": r"\byear\b", "volume": r"\bvolume\b",
    "issue": r"\bissue\b", "page": r"\bpages?\b", "DOI": r"\bDOIs?\b",
    "PMID": r"\bPMIDs?\b|\bPubMed\b", "URL": r"\bURL\b|\bweb address\b"}.items()})


def promise_problems(library: Library, project: Project) -> list[Problem]:
    promised = set(library.site.policy.promises)
    problems: list[Problem] = []
    refs_doc = project.docs.get(REFERENCES)
    if refs_doc is not None and "references_checked" in promised:
        problems += _references_checked(library, refs_doc)
    if refs_doc is not None and "untraceable_labelled" in promised:
        problems += _untraceable_labelled(library, refs_doc)
    if "grades_from_source" in promised:
        problems += _grades_from_source(library, project)
    if "change_log_newest_first" in promised:
        problems += _change_log_newest_first(library, project)
    return problems


def _line(doc: Document, ref_id: str, *field: str) -> int:
    items = doc.data if isinstance(doc.data, list) else []
    index = next((i for i, item in enumerate(items)
                  if isinstance(item, dict) and item.get("id") == ref_id), 0)
    return doc.line_of((index, *field))


def _references_checked(library: Library, doc: Document) -> Iterator[Problem]:
    """The policy tells readers each reference was checked: a detail the note doubts is
    either left out or marked, never printed as if checked."""
    for ref in library.references.values():
        if ref.kind == UNTRACEABLE:  # labelled as a whole (untraceable_labelled)
            continue
        marked = set(ref.unchecked or [])
        for sentence in SENTENCE_END.split(ref.note or ""):
            if not DOUBT.search(sentence) or LEFT_OUT.search(sentence):
                continue
            named = {f for f, words in FIELD_WORDS.items() if words.search(sentence)}
            unmarked = sorted((named & ref.printed_fields()) - marked)
            if unmarked or not named:
                yield _unmarked(ref, doc, sentence, unmarked)


def _unmarked(ref: Reference, doc: Document, sentence: str, fields: list[str]) -> Problem:
    if not fields:
        return Problem(doc.path, _line(doc, ref.id, "note"), "unchecked-not-marked",
                       f"the note of '{ref.id}' says \"{sentence.strip()}\" without naming the "
                       "field; readers are told every reference is checked",
                       "list the fields not checked against the publication under `unchecked:` "
                       "(for example `unchecked: [DOI]`), or leave them out, and take the words "
                       "out of the note")
    listed = ", ".join(fields)
    return Problem(doc.path, _line(doc, ref.id, "note"), "unchecked-not-marked",
                   f"the note of '{ref.id}' doubts its {listed} (\"{sentence.strip()}\"), but "
                   "`unchecked:` does not list it: the reference list would show it as checked",
                   f"add `unchecked: [{listed}]` to '{ref.id}' (the reference list then marks "
                   "it), or leave the field out; and take the words out of the note")


def _untraceable_labelled(library: Library, doc: Document) -> Iterator[Problem]:
    for ref in library.references.values():
        if ref.kind != UNTRACEABLE and NOT_TRACEABLE.search(ref.note or ""):
            yield Problem(doc.path, _line(doc, ref.id, "kind"), "untraceable-not-labelled",
                          f"the note of '{ref.id}' says it cannot be traced, but its kind is "
                          f"'{ref.kind}': the reference list would not label it untraceable",
                          "write `kind: untraceable summary`, or correct the note")


def _grades_from_source(library: Library, project: Project) -> Iterator[Problem]:
    for topic in library.topics.values():
        doc = project.docs.get(topic.source.replace("topic.yml", "facts.yml"))
        for fact in topic.facts.values():
            if doc is not None:
                yield from _grade(library, fact, fact.key, doc)
    for key, fact in library.shared_facts.items():
        source, _, local = key.partition(".")
        doc = project.docs.get(f"content/facts/{source}.yml")
        if doc is not None:
            yield from _grade(library, fact, local, doc)


def _grade(library: Library, fact: Fact, local: str, doc: Document) -> Iterator[Problem]:
    """A grade that only untraceable summaries give could not be checked against any source
    that issues it: the policy says such a grade is shown as not yet checked."""
    refs = [library.references.get(key) for key in fact.refs]
    untraced = all(ref is not None and ref.kind == UNTRACEABLE for ref in refs)
    if fact.grade and fact.verified and untraced:
        yield Problem(doc.path, doc.line_of((local, "verified")), "grade-not-from-source",
                      f"fact '{fact.key}' gives the grade '{fact.grade}' from "
                      f"{', '.join(fact.refs)} only, an untraceable summary, yet says "
                      "`verified: true`",
                      "write `verified: false` (the grade is then marked not yet checked), or "
                      "cite the guideline that issues the grade once it has been checked")


def _change_log_newest_first(library: Library, project: Project) -> Iterator[Problem]:
    for topic in library.topics.values():
        doc = project.docs.get(topic.source)
        for i, (newer, older) in enumerate(zip(topic.changes, topic.changes[1:]), 1):
            if doc is not None and older.date > newer.date:
                yield Problem(doc.path, doc.line_of(("changes", i, "date")), "change-log-order",
                              f"the change of {older.date} comes after the change of "
                              f"{newer.date}: the policy says the change log runs newest first",
                              "move the newest change to the top of `changes:`")
