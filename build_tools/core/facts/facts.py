"""How a fact reads for an audience: "about 3 points" for patients, "2.6 points" for clinicians."""
from __future__ import annotations

from markupsafe import Markup, escape

from .fact_base import is_shared, missing_sources
from ..base.model import Fact, Range, Topic
from ..base.problems import ContentError
from ..base.suggest import suggest
from ..base.strings import FactWords


def unverified_mark(words: FactWords) -> str:
    """Every reader, patients too, must see which figures nobody has yet checked against the
    primary source; the link leads to the note that says what that means (#edu-unverified-note,
    added below the prose by the page and handout templates)."""
    return (f' <sup class="edu-unverified"><a href="#edu-unverified-note" '
            f'title="{escape(words.unverified_title)}">{escape(words.unverified)}</a></sup>')


def fact_span(fact: Fact, text: str, words: FactWords) -> Markup:
    """The stable hook for a fact in prose: span.edu-fact[data-fact][data-verified]; text is
    markup already."""
    verified = "true" if fact.verified else "false"
    mark = "" if fact.verified else unverified_mark(words)
    return Markup(f'<span class="edu-fact" data-fact="{fact.key}" data-verified="{verified}">'
                  f'{text}{mark}</span>')


def number(value: float, decimals: int | None = None) -> str:
    if decimals:
        return f"{value:,.{decimals}f}"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def shown_number(value: float, words: FactWords, decimals: int | None = None) -> str:
    """number() with the language's decimal mark and thousands separator: "1.234,5"."""
    marks = {ord("."): words.decimal_mark, ord(","): words.thousands_separator}
    return number(value, decimals).translate(marks)


def format_fact(fact: Fact, style: str, words: FactWords) -> str:
    if style == "plain" and fact.plain:
        return fact.plain
    value = fact.value
    if isinstance(value, Range):
        # "-0.3–1.7" reads as a subtraction: an interval with a negative end says so in words
        wording = (words.range_plain if style == "plain" else
                   words.range_negative if value.min < 0 else words.range_exact)
        text = wording.format(min=shown_number(value.min, words, fact.decimals),
                              max=shown_number(value.max, words, fact.decimals))
    elif isinstance(value, float):
        plain_round = style == "plain" and not value.is_integer()
        text = (words.about.format(number=shown_number(round(value), words)) if plain_round
                else shown_number(value, words, fact.decimals))
    else:
        text = value
    return f"{text} {fact.unit}" if fact.unit else text


class FactView:
    """What `{{ fact.KEY }}` gives a writer: finished markup, the audience's wording.

    The Fact itself sits in an underscore attribute, which no prose can name: prose gets the
    three documented forms as markup strings, never the model or anything with methods.
    """

    __slots__ = ("_fact", "_style", "_words")

    def __init__(self, fact: Fact, style: str, words: FactWords) -> None:
        self._fact = fact
        self._style = style
        self._words = words

    def __str__(self) -> str:
        return str(self.__html__())

    def __html__(self) -> Markup:
        return self._span(format_fact(self._fact, self._style, self._words))

    @property
    def value(self) -> Markup:
        bare = self._fact.model_copy(update={"unit": None, "plain": None})
        return self._span(format_fact(bare, self._style, self._words))

    @property
    def exact(self) -> Markup:
        return self._span(format_fact(self._fact, "exact", self._words))

    @property
    def grade(self) -> Markup:
        fact = self._fact
        if not fact.grade:
            raise ContentError("no-grade", f"fact '{fact.key}' has no evidence grade",
                               "add `grade:` to the fact, or remove `.grade`")
        # A grade that reached us only through an untraced summary is as unverified as a figure.
        return fact_span(fact, f'<span class="edu-grade">{escape(fact.grade)}</span>',
                         self._words)

    def _span(self, text: str) -> Markup:
        return fact_span(self._fact, str(escape(text)), self._words)


class FactBook:
    """The `fact` object in prose: looks facts up by key and records which were used.

    `fact.KEY` is one of the topic's own facts; `fact("source.key")` a shared fact from
    content/facts/<source>.yml, which the topic may show only when it lists that source.
    Its own attributes start with an underscore so that the sandbox hides them from writers
    and no fact key can shadow them.
    """

    def __init__(self, facts: dict[str, Fact], style: str, words: FactWords,
                 shared: dict[str, Fact] | None = None, topic: Topic | None = None) -> None:
        self._facts = facts
        self._style = style
        self._words = words
        self._shared = shared or {}
        self._topic = topic
        self._used: set[str] = set()

    def __getitem__(self, key: str) -> FactView:
        if key not in self._facts:
            hint = suggest(key, self._facts) or "add the fact to the topic's facts.yml"
            raise ContentError("unknown-fact", f"unknown fact '{key}'", hint)
        self._used.add(key)
        return FactView(self._facts[key], self._style, self._words)

    def __getattr__(self, key: str) -> FactView:
        # An unknown name is an AttributeError: Jinja asks a callable for attributes such as
        # `unsafe_callable` before calling it, and after `fact.KEY` fails it tries fact["KEY"],
        # which reports the unknown fact.
        if key.startswith("_") or key not in self._facts:
            raise AttributeError(key)
        return self[key]

    def __call__(self, key: str) -> FactView:
        if not is_shared(key):
            return self[key]
        if key not in self._shared:
            hint = (suggest(key, self._shared)
                    or f"define it in content/facts/{key.partition('.')[0]}.yml")
            raise ContentError("unknown-fact", f"unknown shared fact '{key}'", hint)
        fact = self._shared[key]
        missing = missing_sources(fact, self._topic) if self._topic else []
        if missing and self._topic:
            names = ", ".join(f"'{m}'" for m in missing)
            raise ContentError(
                "missing-fact-source",
                f"shared fact '{key}' rests on {names}, which is not in this topic's references",
                f"add {names} to `references` in {self._topic.source} and cite it on this page")
        self._used.add(key)
        return FactView(fact, self._style, self._words)
