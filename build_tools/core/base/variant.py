"""What stage 3 makes of one topic for one audience: the record every later stage reads."""
from __future__ import annotations

from dataclasses import dataclass

from .model import Audience, Topic


@dataclass(frozen=True)
class Variant:
    """One topic written for one audience, rendered to Markdown."""

    topic: Topic
    audience: Audience
    source: str
    title: str
    short_answer: str
    body: str
    facts_used: frozenset[str]
    cited: frozenset[str]
    terms: frozenset[str]
    # (key, word) where the prose shows a term in other words than its headword
    term_words: frozenset[tuple[str, str]] = frozenset()
    # each entry of the topic's `changes:`, its summary rendered for this audience
    changes: tuple[str, ...] = ()
    # the warning signs as their own section below the short answer (warning_render.py);
    # audiences that show them inside a section of the body have them in body
    warnings: str = ""
    # the language of a translated edition ("es"); "" for the source language
    edition: str = ""
    # the key of everything it was made from (render_cache.variant_key); "" when made directly
    made_from: str = ""

    @property
    def path(self) -> str:
        folder = f"{self.edition}/" if self.edition else ""
        return f"{folder}{self.audience.key}/{self.topic.key}.md"
