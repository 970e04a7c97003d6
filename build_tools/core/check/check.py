"""Stage 4, check: the invariants a variant must meet before it may be published."""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

import textstat

from ..facts.fact_base import usable_facts
from ..base.model import Library
from ..base.problems import Problem, warning
from ..render.prose import bare_numbers  # noqa: F401 (the drift guard, known here by its stage)
from ..base.variant import Variant
from ..render.render import guarded_texts
from ..read.unsafe_html import unsafe_html
from ..base.sections import heading_title, split_sections

ATTR_LIST = r"\{:[^}]*\}"  # `## Risks {: #risks }`: a shared section id, not prose
HARDEST_SHOWN = 3
SECTION_MARGIN = 2.0  # a section may read this many grades above its audience's limit
# Longer than any word in a dictionary (the longest English one has 45 letters): syllable
# counting (pyphen) takes time in proportion to a word's length, so a pasted run of a
# million letters would take seconds at every one of the grades a page is scored for.
LONGEST_SCORED_WORD = 60
OVERLONG_WORD = re.compile(rf"(\w{{{LONGEST_SCORED_WORD}}})\w+")
UNVERIFIED_SUP = re.compile(r' ?<sup class="edu-unverified"[^>]*>.*?</sup>')


def uncited(variant: Variant) -> Iterator[Problem]:
    for key in variant.topic.references:
        if key not in variant.cited:
            yield Problem(variant.source, None, "uncited-reference",
                          f"reference '{key}' of topic '{variant.topic.key}' is never cited "
                          f"in the {variant.audience.key} variant",
                          f'cite it with {{{{ cite("{key}") }}}} or remove it from the topic\'s references')


def missing_sections(variant: Variant, prose: str) -> Iterator[Problem]:
    """Sections every page for this audience must have (patients: questions for the care team)."""
    headings = {heading_title(h).lower()
                for h in re.findall(r"^#{2,6}\s+(.+)$", prose, re.M)}
    signs = variant.audience.warning_signs
    inside = [signs.title] if signs and signs.place == "end_of_section" else []
    for section in dict.fromkeys([*variant.audience.required_sections, *inside]):
        if section.lower() not in headings:
            yield Problem(variant.source, None, "missing-section",
                          f"the {variant.audience.key} page has no '{section}' section",
                          f"add a `## {section}` section (required by "
                          f"audiences/{variant.audience.key}.yml)")


def short_answer_length(variant: Variant) -> Iterator[Problem]:
    limit = variant.audience.short_answer_max_words
    words = len(WORD.findall(plain_text(variant.short_answer)))
    if limit and words > limit:
        topic = variant.topic
        yield Problem(topic.source, topic.short_answer_lines.get(variant.audience.key),
                      "short-answer-too-long",
                      f"the {variant.audience.key} short answer has {words} words; the limit is "
                      f"{limit} (audiences/{variant.audience.key}.yml), so that what follows it "
                      "stays on a phone's first screen", "keep the answer itself and move detail "
                      "into the page's sections")


def plain_text(markdown: str) -> str:
    """Readable sentences from rendered Markdown: no citations, tags or list syntax."""
    text = re.sub(r'<sup class="edu-(cites|unverified)"[^>]*>.*?</sup>', "", markdown)
    text = re.sub(r"<[^>]+>|" + ATTR_LIST, "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    sentences = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(#+|[-*+]|\d+[.)]|>)(\s+|$)", "", line).replace("**", "").strip()
        if line:
            sentences.append(line if line[-1] in ".!?:" else line + ".")
    return " ".join(sentences)


WORD = re.compile(r"\w+(?:['’-]\w+)*")
SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?)])")


def description_text(markdown: str, unverified: str) -> str:
    """Plain text for meta descriptions, JSON-LD and PDF metadata: a figure not yet checked says
    so there too (in the words unverified, from the strings file), and citations go with the
    space they leave before a full stop ("pain .")."""
    marked = UNVERIFIED_SUP.sub(lambda _: f" ({unverified})", markdown)
    return SPACE_BEFORE_PUNCTUATION.sub(r"\1", plain_text(marked))


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?:])\s+", text) if s.strip()]


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade; a run of letters longer than any word is scored as its first
    LONGEST_SCORED_WORD letters, which keeps it among the hardest words and the time short."""
    return float(textstat.flesch_kincaid_grade(OVERLONG_WORD.sub(r"\1", text)))


def reading_level(variant: Variant, prose: str = "") -> Iterator[Problem]:
    """Over the audience's limit: the page's grade, and where to start rewriting."""
    text = plain_text("\n".join([variant.short_answer, variant.warnings, variant.body]))
    grade = reading_grade(text)
    limit = variant.audience.reading_grade_max
    if grade <= limit:
        return
    yield Problem(variant.source, None, "reading-level",
                  f"reading grade {grade:.1f} is above the {variant.audience.key} limit of "
                  f"{limit:g}; the hardest sentences are:{_hardest(text, prose)}",
                  "use shorter sentences and everyday words, starting with these")


def section_reading_level(variant: Variant, prose: str) -> Iterator[Problem]:
    """A `## ` section far above the limit fails even when the page's average passes."""
    limit = variant.audience.reading_grade_max
    for section in split_sections(variant.body, prose):
        text = plain_text(section.text)
        grade = reading_grade(text) if text else 0.0
        if grade > limit + SECTION_MARGIN:
            yield Problem(variant.source, section.line, "section-reading-level",
                          f"the section '{section.heading}' reads at grade {grade:.1f}, more "
                          f"than {SECTION_MARGIN:g} above the {variant.audience.key} limit of "
                          f"{limit:g}; the hardest sentences are:"
                          f"{_hardest(text, prose, section.line)}",
                          "use shorter sentences and everyday words in this section, starting "
                          "with these")


def _hardest(text: str, prose: str, start: int = 1) -> str:
    distinct = list(dict.fromkeys(sentences(text)))  # a repeated sentence is named once
    hardest = sorted(distinct, key=reading_grade, reverse=True)[:HARDEST_SHOWN]
    return "".join(f'\n    {_sentence_line(s, prose, start)}"{s}" (grade {reading_grade(s):.1f})'
                   for s in hardest)


def _sentence_line(sentence: str, prose: str, start: int = 1) -> str:
    """'line 12: ' where the sentence starts in the prose file (at or after line start),
    found by its first words."""
    opening = " ".join(sentence.split()[:4])
    for number, line in enumerate(prose.splitlines(), 1):
        if number >= start and opening in " ".join(line.split()):
            return f"line {number}: "
    return ""  # the short answer, in topic.yml, or a sentence that starts with a template


def decoded_unsafe_html(library: Library, variant: Variant) -> Iterator[Problem]:
    """Short answers and change summaries are prose kept in YAML: the raw-HTML guard reads
    them as decoded, since a YAML escape ("\\u003cscript") hides markup from the typed text."""
    prose_file = variant.source
    for text, path, first_line in guarded_texts(library, variant.topic, variant.audience):
        if path != prose_file:
            for found in unsafe_html(text, path):
                yield dataclasses.replace(found, line=first_line + (found.line or 1) - 1)


def check_variant(library: Library, variant: Variant) -> list[Problem]:
    prose = library.prose[(variant.audience.key, variant.topic.key)]
    facts = usable_facts(library, variant.topic)
    return [*(problem for text, path, line in guarded_texts(library, variant.topic,
                                                            variant.audience)
              for problem in bare_numbers(text, path, line, facts)),
            *decoded_unsafe_html(library, variant),
            *uncited(variant), *missing_sections(variant, prose), *short_answer_length(variant),
            *reading_level(variant, prose), *section_reading_level(variant, prose)]
