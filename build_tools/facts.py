"""How a fact reads for an audience: "about 3 points" for patients, "2.6 points" for clinicians."""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import escape

from .model import Fact, Range
from .problems import ContentError
from .crosscheck import suggest


UNVERIFIED_MARK = ('<sup class="edu-unverified" title="Not yet checked against the primary '
                   'source">unverified</sup>')


def number(value: float, decimals: int | None = None) -> str:
    if decimals:
        return f"{value:,.{decimals}f}"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def format_fact(fact: Fact, style: str) -> str:
    if style == "plain" and fact.plain:
        return fact.plain
    value = fact.value
    if isinstance(value, Range):
        joiner = " to " if style == "plain" else "\u2013"
        text = f"{number(value.min, fact.decimals)}{joiner}{number(value.max, fact.decimals)}"
    elif isinstance(value, float):
        plain_round = style == "plain" and not value.is_integer()
        text = f"about {number(round(value))}" if plain_round else number(value, fact.decimals)
    else:
        text = value
    return f"{text} {fact.unit}" if fact.unit else text


@dataclass(frozen=True)
class FactView:
    """What `{{ fact.KEY }}` gives a writer: prints as the audience's wording."""

    fact: Fact
    style: str

    def __str__(self) -> str:
        text = str(escape(format_fact(self.fact, self.style)))
        if self.fact.verified or self.style == "plain":
            return text
        # Clinicians must see which figures nobody has yet checked against the primary source.
        return text + UNVERIFIED_MARK

    @property
    def value(self) -> str:
        return str(escape(format_fact(self.fact.model_copy(update={"unit": None, "plain": None}),
                                      self.style)))

    @property
    def exact(self) -> str:
        return str(escape(format_fact(self.fact, "exact")))

    @property
    def grade(self) -> str:
        if not self.fact.grade:
            raise ContentError("no-grade", f"fact '{self.fact.key}' has no evidence grade",
                               "add `grade:` to the fact, or remove `.grade`")
        badge = f'<span class="edu-grade">{escape(self.fact.grade)}</span>'
        # A grade that reached us only through an untraced summary is as unverified as a figure.
        return badge if self.fact.verified or self.style == "plain" else badge + UNVERIFIED_MARK


class FactBook:
    """The `fact` object in prose: looks facts up by key and records which were used.

    Its own attributes start with an underscore so that the sandbox hides them from writers
    and no fact key can shadow them.
    """

    def __init__(self, facts: dict[str, Fact], style: str) -> None:
        self._facts = facts
        self._style = style
        self._used: set[str] = set()

    def __getitem__(self, key: str) -> FactView:
        if key not in self._facts:
            hint = suggest(key, self._facts) or "add the fact to the topic's facts.yml"
            raise ContentError("unknown-fact", f"unknown fact '{key}'", hint)
        self._used.add(key)
        return FactView(self._facts[key], self._style)

    def __getattr__(self, key: str) -> FactView:
        if key.startswith("_"):
            raise AttributeError(key)
        return self[key]
