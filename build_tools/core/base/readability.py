"""Reading-level formulas, one fixed list, each for one language (audiences/<audience>.yml
chooses one per language with its limit: core/base/model.py ReadingLevel).

English is scored in school grades (Flesch-Kincaid: lower is easier, the limit is a maximum);
Spanish on a 0-100 scale (Szigriszt-Pazos with the INFLESZ bands, or Fernández-Huerta: higher is
easier, the limit is a minimum). textstat keeps its language in the object that scores, and its
module-level functions share one such object: Scorer holds one textstatistics of its own per
language, so that scoring Spanish never changes how English is scored, here or anywhere else.
Syllables come from pyphen's dictionary of the language, shipped inside pyphen.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from textstat.textstat import textstatistics

# Longer than any word in a dictionary (the longest English one has 45 letters): syllable
# counting (pyphen) takes time in proportion to a word's length, so a pasted run of a
# million letters would take seconds at every one of the grades a page is scored for.
LONGEST_SCORED_WORD = 60
OVERLONG_WORD = re.compile(rf"(\w{{{LONGEST_SCORED_WORD}}})\w+")
# textstat's locale for each language a formula is for (en_US: what textstat scores by default)
LOCALES = MappingProxyType({"en": "en_US", "es": "es"})


@dataclass(frozen=True)
class Formula:
    key: str  # as written in audiences/<audience>.yml
    name: str  # as the editor report and messages name it
    language: str
    lower_is_easier: bool
    # a `## ` section may read this much harder than the page's limit before it fails
    section_margin: float
    # (lowest score, band): each band runs from its score up to the next band's
    bands: tuple[tuple[float, str], ...]
    measure: str  # "reading grade 9.1", "Szigriszt-Pazos score 52.3"
    unit: str  # a sentence's score: "(grade 9.1)"

    def band(self, score: float) -> str:
        found = self.bands[0][1]
        for lowest, name in self.bands:
            if score >= lowest:
                found = name
        return found

    def passes(self, score: float, limit: float, margin: float = 0.0) -> bool:
        return (score <= limit + margin if self.lower_is_easier
                else score >= limit - margin)

    def difficulty(self, score: float) -> float:
        """Larger is harder, whichever way the scale runs (to sort sentences by)."""
        return score if self.lower_is_easier else -score

    def limit_words(self, limit: float) -> str:
        return f"{'at most' if self.lower_is_easier else 'at least'} {limit:g}"

    # the editor's messages (check.py): English grades read as they always have; a scale
    # with bands names the band and the formula
    def beyond(self, audience: str, limit: float) -> str:
        """'above the patient limit of 8', 'below the patient minimum of 55'."""
        if self.lower_is_easier:
            return f"above the {audience} limit of {limit:g}"
        return f"below the {audience} minimum of {limit:g}"

    def band_note(self, score: float) -> str:
        return "" if self.key == "flesch_kincaid_grade" else f" ({self.band(score)}, {self.name})"

    def section_reads(self, score: float) -> str:
        if self.key == "flesch_kincaid_grade":
            return f"reads at grade {score:.1f}"
        return f"has a {self.measure} of {score:.1f}{self.band_note(score)}"


FORMULAS = MappingProxyType({f.key: f for f in (
    Formula("flesch_kincaid_grade", "Flesch-Kincaid grade", "en", True, 2.0,
            ((float("-inf"), "primary school"), (6.0, "middle school"),
             (9.0, "high school"), (13.0, "college")),
            "reading grade", "grade"),
    Formula("szigriszt_pazos", "Szigriszt-Pazos (INFLESZ)", "es", False, 10.0,
            ((float("-inf"), "muy difícil"), (40.0, "algo difícil"), (55.0, "normal"),
             (65.0, "bastante fácil"), (80.0, "muy fácil")),
            "Szigriszt-Pazos score", "score"),
    Formula("fernandez_huerta", "Fernández-Huerta", "es", False, 10.0,
            ((float("-inf"), "muy difícil"), (30.0, "difícil"), (50.0, "algo difícil"),
             (60.0, "normal"), (70.0, "algo fácil"), (80.0, "fácil"), (90.0, "muy fácil")),
            "Fernández-Huerta score", "score"),
)})
# a site in English whose audiences say only `reading_grade_max:` scores with this
ENGLISH_GRADE = FORMULAS["flesch_kincaid_grade"]


def formulas_for(language: str) -> list[str]:
    return [key for key, f in FORMULAS.items() if f.language == language]


class Scorer:
    """Scores text with the formulas of FORMULAS; one per build, or per report: it holds a
    textstat object per language, made when first needed."""

    def __init__(self) -> None:
        self._statistics: dict[str, Any] = {}

    def score(self, formula: Formula, text: str) -> float:
        statistics = self._statistics.get(formula.language)
        if statistics is None:
            statistics = textstatistics()
            statistics.set_lang(LOCALES[formula.language])
            self._statistics[formula.language] = statistics
        # a run of letters longer than any word is scored as its first LONGEST_SCORED_WORD
        return float(getattr(statistics, formula.key)(OVERLONG_WORD.sub(r"\1", text)))
