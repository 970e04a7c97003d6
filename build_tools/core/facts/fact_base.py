"""The fact base across topics: which facts a topic may show, and which it does show.

A topic's own facts live in its facts.yml; shared facts live in content/facts/<source>.yml and
are known as "<source>.<key>". A topic may show a shared fact when every reference behind it is
in the topic's reference list, so that the page cites what its figures rest on.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..base.model import Fact, Library, Range, Topic

if TYPE_CHECKING:  # render imports this module to look facts up
    from ..base.variant import Variant

NUMBER = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")


def is_shared(key: str) -> bool:
    return "." in key


def fact_expression(key: str) -> str:
    """How a writer inserts the fact: `{{ fact.KEY }}` or `{{ fact("source.key") }}`."""
    return f'{{{{ fact("{key}") }}}}' if is_shared(key) else f"{{{{ fact.{key} }}}}"


def missing_sources(fact: Fact, topic: Topic) -> list[str]:
    return [ref for ref in fact.refs if ref not in topic.references]


def usable_facts(library: Library, topic: Topic) -> dict[str, Fact]:
    """The topic's own facts, and the shared facts whose sources the topic lists."""
    shared = {key: fact for key, fact in library.shared_facts.items()
              if not missing_sources(fact, topic)}
    return {**topic.facts, **shared}


def shared_inputs(library: Library, topic: Topic, dumped: dict[str, str] | None = None) -> str:
    """What of the shared facts a topic's pages can depend on, for the render cache's key:
    every shared fact it may show, and of the others only the key and sources an error names.
    dumped: the shared facts as JSON, when the caller asks for many topics."""
    usable = usable_facts(library, topic)
    dumped = dumped if dumped is not None else dump_shared(library)
    return "".join(dumped[key] if key in usable else f"{key}{fact.refs}"
                   for key, fact in library.shared_facts.items())


def dump_shared(library: Library) -> dict[str, str]:
    return {key: fact.model_dump_json() for key, fact in library.shared_facts.items()}


def facts_shown(library: Library, variants: Iterable["Variant"]) -> dict[str, dict[str, Fact]]:
    """Per topic, every fact (own or shared) that any of its pages shows.

    A change to any of these facts is a change to the topic: what a review sign-off
    fingerprints, so that editing a shared fact counts against every topic showing it.
    """
    shown: dict[str, dict[str, Fact]] = {}
    for variant in variants:
        facts = shown.setdefault(variant.topic.key, {})
        for key in variant.facts_used:
            fact = variant.topic.facts.get(key) or library.shared_facts.get(key)
            if fact is not None:
                facts[key] = fact
    return {topic: dict(sorted(facts.items())) for topic, facts in sorted(shown.items())}


def topic_facts(library: Library, topic: Topic, variants: Iterable["Variant"]) -> dict[str, Fact]:
    """The topic's own facts and the shared facts its pages show: what a reviewer signs off."""
    mine = [v for v in variants if v.topic.key == topic.key]
    return {**topic.facts, **facts_shown(library, mine).get(topic.key, {})}


def shared_fact_users(library: Library, variants: Iterable["Variant"]) -> dict[str, list[str]]:
    """Each shared fact and the topics whose pages show it (none: an empty list)."""
    users: dict[str, set[str]] = {key: set() for key in library.shared_facts}
    for topic, facts in facts_shown(library, variants).items():
        for key in facts:
            if key in users:
                users[key].add(topic)
    return {key: sorted(topics) for key, topics in sorted(users.items())}


def numbers_in(text: str) -> list[float]:
    """The numbers in text; a digit in any script or form (³, ３, ٣) counts as its value."""
    return [float(n.replace(",", "")) for n in NUMBER.findall(ascii_digits(text))]


def ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.digit(c)) if unicodedata.digit(c, None) is not None else c
                   for c in text)


def fact_values(fact: Fact) -> list[float]:
    """The numbers the fact gives: its value, or both ends of its range (not text, "OF4")."""
    if isinstance(fact.value, Range):
        return [fact.value.min, fact.value.max]
    return [fact.value] if isinstance(fact.value, float) else []


def facts_with_value(number: float, facts: dict[str, Fact]) -> list[str]:
    return sorted(key for key, fact in facts.items() if number in fact_values(fact))
