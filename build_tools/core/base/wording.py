"""The strings of the site's language put to work: dates, counts and filled-in texts, escaped
for the page they go into (core/base/strings.py holds the words; this module prints them)."""
from __future__ import annotations

import datetime
import re
import string
from collections.abc import Callable
from typing import Any

from babel import Locale
from babel.dates import format_date, tokenize_pattern
from markupsafe import Markup, escape

from .strings import Plural, Strings


class Wording:
    """The strings of one build with the language they are in: what templates and code call
    to fill a text, date a page and count in words."""

    def __init__(self, strings: Strings, language: str) -> None:
        self.strings = strings
        self.locale = Locale.parse(language.replace("-", "_"))

    def date(self, value: datetime.date) -> str:
        return format_date(value, self.strings.dates.long, locale=self.locale)

    def dates(self) -> re.Pattern[str]:
        """Any date as date() writes it: the final check of the pages tells these dates
        from numbers typed into the text (site/final_page.py)."""
        names = self.locale.months["format"]
        parts = []
        for _, value in tokenize_pattern(self.strings.dates.long):
            if isinstance(value, str):  # kind "chars": the pattern's own text
                parts.append(re.escape(value))
                continue
            letter, width = value  # kind "field": a letter repeated width times
            if letter in "ML" and width >= 3:
                months = names["wide" if width >= 4 else "abbreviated"].values()
                parts.append("(?:" + "|".join(map(re.escape, months)) + ")")
            else:
                parts.append(r"\d{1,4}" if letter in "dMLy" else r"\S+")
        return re.compile(r"(?<!\w)" + "".join(parts) + r"(?!\w)")

    def count(self, plural: Plural, n: int) -> str:
        form = self.locale.plural_form(n)
        return str(getattr(plural, form) or plural.other).format(n=n)


def fill(text: str, escaper: Callable[[object], Markup], **values: object) -> Markup:
    """text with its {placeholders} filled: the text and the values escaped by escaper for the
    output they go into (Markdown or HTML), finished markup (Markup) kept as it is. escaper may
    trim a part's spaces (md_text does): the spaces at its ends are kept."""
    parts: list[str] = []
    for literal, name, _, _ in string.Formatter().parse(text):
        if literal:
            parts.append(_spaced(literal, escaper))
        if name is not None:
            value = values[name]
            parts.append(str(value) if isinstance(value, Markup) else _spaced(str(value), escaper))
    return Markup("".join(parts))


def _spaced(text: str, escaper: Callable[[object], Markup]) -> str:
    inner = str(escaper(text))
    if not inner:
        return " " if text[:1].isspace() else ""
    before = " " if text[:1].isspace() and not inner[:1].isspace() else ""
    after = " " if text[-1:].isspace() and not inner[-1:].isspace() else ""
    return before + inner + after


def html_escape(value: object) -> Markup:
    return escape(value)


def language_filters(wording: Wording, escaper: Callable[[object], Markup]
                     ) -> dict[str, Callable[..., Any]]:
    """The template filters that print in the site's language, escaping with escaper for the
    output the template writes (md_text for Markdown pages, escape for HTML):
    `date | longdate`, `text | fill(name=value)`, `plural | plural(n)`, `members | members`."""
    review = wording.strings.review

    def members(people: Any) -> Markup:
        shown = [fill(review.member, escaper, name=m.name, credentials=m.credentials)
                 for m in people]
        return Markup(_spaced(wording.strings.lists.last, escaper)).join(shown)

    return {"longdate": wording.date,
            "fill": lambda text, **values: fill(text, escaper, **values),
            "plural": lambda plural, n: fill(wording.count(plural, n), escaper),
            "members": members}


def theme_words(strings: Strings) -> dict[str, dict[str, str]]:
    """The theme's words as the engine's extra data: edu_words for its templates (escaped by
    the engine's hooks), edu_script_words for its scripts (printed as JSON)."""
    theme = strings.theme
    return {"edu_words": {**theme.model_dump(), "please_note": strings.topic.please_note,
                          "which_describes_you": strings.listing.which_describes_you},
            "edu_script_words": {"search_for": theme.search_for, "all_readers": theme.all_readers,
                                 "welcome_back": theme.welcome_back,
                                 "go_to_topics": theme.go_to_topics,
                                 "did_you_mean": theme.did_you_mean}}
