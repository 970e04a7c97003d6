"""Stage 2, validate (continued): references between files, and the publication calendar."""
from __future__ import annotations

import datetime
from collections.abc import Iterator

from ..base.names import category_slug
from .load import Document, Project
from ..base.model import Library, Topic, board_member
from ..base.problems import Problem, warning
from ..base.suggest import suggest


def crosscheck(library: Library, project: Project, today: datetime.date | None = None
               ) -> list[Problem]:
    today = today or datetime.date.today()
    problems = list(_site(library, project))
    problems += _shared_fact_references(library, project)
    problems += _category_addresses(library, project)
    for topic in library.topics.values():
        doc = project.docs[topic.source]
        facts_doc = project.docs[topic.source.replace("topic.yml", "facts.yml")]
        problems += _topic_references(library, topic, doc)
        problems += _fact_references(library, topic, facts_doc)
        problems += _topic_audiences(library, topic, doc)
        problems += _calendar(topic, doc, today)
        problems += _reviewers(library, topic, doc)
    return problems


def _site(library: Library, project: Project) -> Iterator[Problem]:
    disclaimers = library.site.disclaimers
    if "general" not in disclaimers:
        yield Problem("site_config/disclaimers.yml", 1, "missing-disclaimer",
                      "there is no general disclaimer", "add `general: <text>`")
    for audience in library.audiences.values():
        if audience.disclaimer not in disclaimers:
            doc = project.docs[f"audiences/{audience.key}.yml"]
            yield Problem(doc.path, doc.key_line(("disclaimer",)), "missing-disclaimer",
                          f"the disclaimer '{audience.disclaimer}' is not in site_config/disclaimers.yml",
                          suggest(audience.disclaimer, disclaimers) or "add it there")


def _topic_references(library: Library, topic: Topic, doc: Document) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, key in enumerate(topic.references):
        line = doc.line_of(("references", i))
        if key in seen:
            yield Problem(doc.path, line, "duplicate-reference",
                          f"the reference '{key}' is listed twice", "delete the second one")
        elif key not in library.references:
            yield Problem(doc.path, line, "unknown-reference",
                          f"the reference '{key}' is not in content/references.yml",
                          suggest(key, library.references) or "add it to content/references.yml")
        seen.add(key)


def _fact_references(library: Library, topic: Topic, doc: Document) -> Iterator[Problem]:
    for fact in topic.facts.values():
        for i, key in enumerate(fact.refs):
            if key not in topic.references:
                where = ("in content/references.yml but not in this topic's `references`"
                         if key in library.references else "not a known reference")
                yield Problem(doc.path, doc.line_of((fact.key, "refs", i)), "unknown-reference",
                              f"fact '{fact.key}' cites '{key}', which is {where}",
                              suggest(key, topic.references) or "add it to the topic's references")


def _shared_fact_references(library: Library, project: Project) -> Iterator[Problem]:
    for key, fact in library.shared_facts.items():
        source, _, local = key.partition(".")
        doc = project.docs[f"content/facts/{source}.yml"]
        for i, ref in enumerate(fact.refs):
            if ref not in library.references:
                yield Problem(doc.path, doc.line_of((local, "refs", i)), "unknown-reference",
                              f"shared fact '{key}' cites '{ref}', which is not a known reference",
                              suggest(ref, library.references) or "add it to content/references.yml")


def _category_addresses(library: Library, project: Project) -> Iterator[Problem]:
    """Two spellings of one category would share its pages' address, and one list be lost."""
    first: dict[str, str] = {}
    for topic in sorted(library.topics.values(), key=lambda t: t.key):
        slug = category_slug(topic.category)
        spelled = first.setdefault(slug, topic.category)
        if spelled != topic.category:
            doc = project.docs[topic.source]
            yield Problem(doc.path, doc.line_of(("category",)), "category-clash",
                          f"the category '{topic.category}' has the same web address "
                          f"(categories/{slug}/) as '{spelled}'",
                          f"write it exactly as '{spelled}', or choose a distinct name")


def _topic_audiences(library: Library, topic: Topic, doc: Document) -> Iterator[Problem]:
    for key in topic.audiences:
        if key not in library.audiences:
            yield Problem(doc.path, doc.key_line(("audiences", key)), "unknown-audience",
                          f"'{key}' is not an audience (audiences/*.yml)",
                          suggest(key, library.audiences) or "remove it")
    for key in library.audiences:
        if key not in topic.audiences:
            yield Problem(doc.path, doc.key_line(("audiences",)), "missing-variant",
                          f"the topic has no title and short answer for the {key} audience",
                          f"add `{key}: {{title: ..., short_answer: ...}}` under `audiences`")
    for i, change in enumerate(topic.changes):
        for key in change.summaries:
            if key not in library.audiences:
                yield Problem(doc.path, doc.key_line(("changes", i, "summaries", key)),
                              "unknown-audience",
                              f"the change of {change.date} has a summary for '{key}', "
                              "which is not an audience (audiences/*.yml)",
                              suggest(key, library.audiences) or "remove it")


def _calendar(topic: Topic, doc: Document,
              today: datetime.date) -> Iterator[Problem]:
    if topic.last_reviewed and topic.next_review < topic.last_reviewed:
        yield Problem(doc.path, doc.line_of(("next_review",)), "review-dates",
                      "next_review is before last_reviewed", "set the next review after the last")
    elif topic.next_review < today:
        yield warning(doc.path, doc.line_of(("next_review",)), "review-overdue",
                      f"the next review was due on {topic.next_review}",
                      "readers see \"Review overdue since\" that date: have the topic reviewed "
                      "(make approve) and set a new next_review")
    yield from _review_claims(topic, doc)


def _review_claims(topic: Topic, doc: Document) -> Iterator[Problem]:
    """Only a sign-off record says a topic was reviewed, never a word typed into topic.yml."""
    if topic.status == "approved" and not topic.signoffs:
        yield Problem(doc.path, doc.line_of(("status",)), "approved-without-signoff",
                      f"topic '{topic.key}' says `status: approved`, but no reviewer has signed "
                      "it off; readers would be told it is reviewed when it is not",
                      f"set `status: under_review` until a board member has reviewed it, then "
                      f"record the review: make approve TOPIC={topic.key} REVIEWER=\"NAME\"")
    for field in ("reviewed_by", "last_reviewed"):
        if getattr(topic, field) is not None:
            yield warning(doc.path, doc.key_line((field,)), "review-fields-ignored",
                          f"'{field}' is no longer used: pages show a review only from a "
                          "sign-off record (signoffs.yml, written by make approve)",
                          f"delete the `{field}:` line")


def _reviewers(library: Library, topic: Topic, doc: Document) -> Iterator[Problem]:
    """Who checks a topic under review: members of the board, and at least one, or its pages
    say that no clinician has reviewed it yet (review.py)."""
    board = library.site.board
    for i, name in enumerate(topic.reviewers):
        if board_member(board, name) is None:
            yield Problem(doc.path, doc.line_of(("reviewers", i)), "unknown-reviewer",
                          f"the reviewer '{name}' is not on the advisory board "
                          "(site_config/advisory_board.yml)",
                          suggest(name, [m.name for m in board])
                          or "write the name as the board file spells it, or add the member "
                          "to site_config/advisory_board.yml")
    if topic.status == "under_review" and not topic.reviewers and not topic.signoffs:
        yield warning(doc.path, doc.line_of(("status",)), "no-reviewer-assigned",
                      f"topic '{topic.key}' is under review, but no board member is assigned "
                      "to it: its pages say that no clinician has reviewed it yet",
                      "assign a member of site_config/advisory_board.yml "
                      "(`reviewers: [NAME]`), or set `status: submitted`")
