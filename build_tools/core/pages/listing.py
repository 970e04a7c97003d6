"""Lists of topics that stay usable from two topics to hundreds: ordering, categories, related.

Plain data for the page templates: a topic is ordered by its explicit `order:` and then by its
title in the reader's audience; categories are ordered by name; a topic's related topics are
those that show a shared fact it shows, then the others of its category.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..facts.fact_base import is_shared
from ..base.model import Library, Topic
from ..base.names import category_slug

if TYPE_CHECKING:  # validate checks category addresses before anything is rendered
    from ..base.variant import Variant
    from ..review.review import Review

RELATED_SHOWN = 5  # enough to lead somewhere, few enough to read at a glance


@dataclass(frozen=True)
class Row:
    """One topic as a list shows it to one audience (audience None: the home page)."""

    key: str
    title: str
    question: str
    category: str
    status: str
    label: str
    banner: str


@dataclass(frozen=True)
class Category:
    name: str
    slug: str
    rows: list[Row]

    @property
    def count(self) -> int:
        return len(self.rows)


def title_for(topic: Topic, audience: str | None) -> str:
    return topic.audiences[audience].title if audience else topic.question


def sort_key(topic: Topic, audience: str | None) -> tuple[bool, int, str, str]:
    """Explicit `order:` first, then the title as the reader sees it."""
    return (topic.order is None, topic.order or 0, title_for(topic, audience).casefold(), topic.key)


def categories(topics: Iterable[Topic], audience: str | None, banners: dict[str, str],
               reviews: dict[str, "Review"]) -> list[Category]:
    by_name: dict[str, list[Topic]] = {}
    for topic in topics:
        by_name.setdefault(topic.category, []).append(topic)
    return [Category(name, category_slug(name), [
        Row(t.key, title_for(t, audience), t.question, t.category, reviews[t.key].state,
            reviews[t.key].label, banners.get(t.key, ""))
        for t in sorted(members, key=lambda t: sort_key(t, audience))])
        for name, members in sorted(by_name.items(), key=lambda item: item[0].casefold())]


def shared_facts_by_topic(variants: Iterable["Variant"]) -> dict[str, set[str]]:
    shown: dict[str, set[str]] = {}
    for variant in variants:
        shown.setdefault(variant.topic.key, set()).update(
            key for key in variant.facts_used if is_shared(key))
    return shown


def related_topics(topics: list[Topic], variants: Iterable["Variant"]) -> dict[str, list[Topic]]:
    """Per topic: those sharing the most shared facts with it, then the rest of its category."""
    shared = shared_facts_by_topic(variants)
    by_fact: dict[str, set[str]] = {}
    for key, facts in shared.items():
        for fact in facts:
            by_fact.setdefault(fact, set()).add(key)
    by_key = {t.key: t for t in topics}
    by_category: dict[str, list[Topic]] = {}
    for topic in sorted(topics, key=lambda t: sort_key(t, None)):
        by_category.setdefault(topic.category, []).append(topic)
    related: dict[str, list[Topic]] = {}
    for topic in topics:
        common: dict[str, int] = {}
        for fact in shared.get(topic.key, ()):
            for other in by_fact[fact]:
                common[other] = common.get(other, 0) + 1
        common.pop(topic.key, None)
        ranked = [by_key[k] for k in sorted(common, key=lambda k: (-common[k], k)) if k in by_key]
        ranked += [t for t in by_category[topic.category][:RELATED_SHOWN + 1]
                   if t.key != topic.key and t.key not in common]
        related[topic.key] = ranked[:RELATED_SHOWN]
    return related


def glossary_entries(library: Library, variants: Iterable["Variant"]) -> list[dict[str, object]]:
    """The glossary in alphabetical order of headwords, each with the other words pages use
    for it ("usual care" for "Conservative treatment"), so a reader finds the word tapped."""
    words: dict[str, dict[str, str]] = {}
    for variant in variants:
        for key, word in variant.term_words:
            words.setdefault(key, {}).setdefault(word.casefold(), word)
    return [{"key": key, "term": entry.term, "definition": entry.definition,
             "also": sorted(words.get(key, {}).values(), key=str.casefold)}
            for key, entry in sorted(library.glossary.items(),
                                     key=lambda item: (item[1].term.casefold(), item[0]))]
