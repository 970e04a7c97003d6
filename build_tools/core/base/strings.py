"""The words a reader sees that are not content: site_config/strings/<language>.yml.

One file per language, chosen by `language:` in site_config/site.yml; every key is required and
no other is allowed, so a translation cannot silently fall back to English or lose a label. A
text with placeholders ({date}, {n}) must use exactly the ones its key names: a translation
may move them, not drop or invent them. The validated Strings travel with the library
(Site.strings) to the templates and the code that print them; nothing here is a global.
"""
from __future__ import annotations

import string
from typing import Annotated, Any, ClassVar

from babel import Locale, UnknownLocaleError
from babel.dates import parse_pattern
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError


FOLDER = "site_config/strings"
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")


class Model(BaseModel):
    # as model.Model; not imported from there, which imports this module
    model_config = ConfigDict(extra="forbid", frozen=True)


def placeholders(text: str) -> list[str]:
    """The {names} of a text, in order; ValueError when its braces do not pair up."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def _checked(text: str, names: tuple[str, ...]) -> str:
    shown = ", ".join(f"{{{n}}}" for n in names)
    try:
        found = placeholders(text)
    except ValueError:
        found = None
    if found is not None and set(found) == set(names):
        return text
    hint = (f"keep {shown} in the text (move it where your language puts it); write other "
            "braces as {{ and }}" if names else "this text takes no placeholder: leave out { and }")
    raise PydanticCustomError("edu_value", "'{text}' must use exactly {shown}",
                              {"text": text, "shown": shown or "no placeholder",
                               "code": "bad-placeholder", "hint": hint})


class Section(Model):
    """A group of texts; PLACEHOLDERS names the ones a text of the group must use, by field
    (a text not named uses none)."""

    PLACEHOLDERS: ClassVar[dict[str, tuple[str, ...]]] = {}

    @field_validator("*")
    @classmethod
    def _placeholders(cls, value: Any, info: ValidationInfo) -> Any:
        names = cls.PLACEHOLDERS.get(info.field_name or "", ())
        if isinstance(value, str):
            return _checked(value, names)
        if isinstance(value, dict):
            for text in value.values():
                _checked(text, names)
        return value


def _date_pattern(text: str) -> str:
    try:
        parse_pattern(text)
    except (ValueError, TypeError) as exc:
        raise PydanticCustomError(
            "edu_value", "'{text}' is not a date pattern ({error})",
            {"text": text, "error": str(exc), "code": "bad-date-pattern",
             "hint": 'write a CLDR date pattern, such as "MMMM d, y" (November 3, 2026) or '
                     '"d. MMMM y" (3. November 2026)'}) from None
    return text


class Plural(Section):
    """A count in words: the form the language's plural rules (CLDR) choose for n; forms
    the language does not use may be left out, `other` never."""

    PLACEHOLDERS = {form: ("n",) for form in PLURAL_FORMS}
    zero: str | None = None
    one: str | None = None
    two: str | None = None
    few: str | None = None
    many: str | None = None
    other: str


class Dates(Model):
    long: Annotated[str, AfterValidator(_date_pattern)]  # "Updated November 30, 2026"


class Lists(Model):
    comma: str  # between the items of a list but the last two: "a, b and c"
    last: str  # before the last item


class FactWords(Section):
    PLACEHOLDERS = {"about": ("number",), "range_plain": ("min", "max"),
                    "range_exact": ("min", "max"), "range_negative": ("min", "max")}
    about: str
    range_plain: str
    range_exact: str
    range_negative: str
    unverified: str
    unverified_title: str
    decimal_mark: str
    thousands_separator: str


class ReviewLabels(Section):
    submitted: str
    under_review: str
    approved: str
    changed_since_review: str
    no_reviewer: str


class ReviewWords(Section):
    PLACEHOLDERS = {"reviewed_on": ("date",), "updated_on": ("date",),
                    "updated_since_review": ("date",), "overdue_since": ("date",),
                    "reviewed_by": ("reviewer", "credentials", "date"),
                    "member": ("name", "credentials"), "being_checked_for": ("board", "reviewers"),
                    "not_reviewed_by": ("board",), "changes_not_reviewed": ("date",)}
    labels: ReviewLabels
    draft_banner: str
    no_reviewer_banner: str
    reviewed_on: str
    not_reviewed: str
    updated_on: str
    updated_since_review: str
    overdue_since: str
    details: str
    reviewed_by: str
    member: str
    being_checked_for: str
    no_clinician: str
    not_reviewed_by: str
    last_updated: str
    next_review: str
    changes_not_reviewed: str
    how_we_write: str


class TopicWords(Section):
    PLACEHOLDERS = {"reading_version": ("audience",), "handout_on_paper": ("address",),
                    "translation_stale": ("language", "date"), "read_source": ("language",)}
    short_answer: str
    reading_version: str
    read_it_for: str
    other_version: str
    switch_label: str
    print_handout: str
    written_for: str
    handout_on_paper: str
    unverified_heading: str
    unverified_note: str
    related: str
    what_changed: str
    references: str
    please_note: str
    # a translated page whose source page changed since: {language} is the source's, in the
    # page's language ("inglés")
    translation_stale: str
    read_source: str


class ListWords(Section):
    PLACEHOLDERS = {"topics_for": ("audience",), "all_in": ("count", "category"),
                    "home_summary": ("topics", "categories"),
                    "category_title": ("category", "audience"),
                    "category_description": ("category", "audience"),
                    "category_for": ("count", "audience")}
    topics: Plural
    categories: Plural
    topics_for: str
    all_in: str
    none_published: str
    which_describes_you: str
    last_choice: str
    pick_your_version: str
    topics_heading: str
    home_summary: str
    category_title: str
    category_description: str
    category_for: str


class SitePageWords(Section):
    PLACEHOLDERS = {"site_description": ("site_name", "audiences"),
                    "editorial_policy_description": ("site_name",),
                    "board_description": ("site_name",), "board_members_intro": ("board",),
                    "board_empty": ("board",), "glossary_description": ("site_name",),
                    "also_called": ("words",)}
    site_description: str
    editorial_policy: str
    editorial_policy_description: str
    board_description: str
    board_members: str
    board_members_intro: str
    board_empty: str
    glossary: str
    glossary_intro: str
    glossary_description: str
    also_called: str


class NavWords(Section):
    home: str
    about: str


class ReferenceWords(Section):
    PLACEHOLDERS = {"unchecked": ("fields",)}
    # each kind of evidence, as the reference list labels it (every kind: validate.py)
    kinds: dict[str, str]
    # the CSL name of each field `unchecked:` may list -> its name for readers (each of
    # model.CHECKABLE_FIELDS: validate.py)
    fields: dict[str, str]
    unchecked: str
    pmid: str
    trial_registry: str


class HandoutWords(Section):
    PLACEHOLDERS = {"reviewed_by": ("reviewer", "credentials", "date"),
                    "being_checked": ("reviewers",), "changed_since_review": ("date",),
                    "qr_alt": ("url",), "page_of": ("page", "pages")}
    handout_for: str
    review_status: str
    reviewed_by: str
    being_checked: str
    no_clinician: str
    next_review: str
    last_updated: str
    changed_since_review: str
    read_online: str
    qr_alt: str
    scan: str
    my_care_team: str
    phone_number: str
    page_of: str  # the page number in the top margin of every page

    @field_validator("page_of")
    @classmethod
    def _pages_in_order(cls, value: str) -> str:
        """The handout's stylesheet prints the page number before the count of pages."""
        try:
            found = placeholders(value)
        except ValueError:  # unpaired braces: the check of every text says so too
            found = []
        if found != ["page", "pages"]:
            raise PydanticCustomError(
                "edu_value", "'{text}' must use {order}",
                {"text": value, "order": "{page} once and then {pages} once",
                 "code": "bad-placeholder",
                 "hint": "write the page number before the number of pages, as in "
                         "\"page {page} of {pages}\""})
        return value

    def page_of_parts(self) -> tuple[str, str, str]:
        """page_of's words before {page}, between it and {pages}, and after: the handout's
        stylesheet prints them around its page counters."""
        parts = [literal for literal, _, _, _ in string.Formatter().parse(self.page_of)]
        return parts[0], parts[1], "".join(parts[2:])  # _pages_in_order: two placeholders


class ThemeWords(Section):
    """The theme's own words (templates/theme/), handed to it as the engine's extra data."""

    PLACEHOLDERS = {"not_found_title": ("site_name",),
                    "not_found_description": ("site_name",),
                    "not_found_text": ("home_page",), "search_for": ("audience",),
                    "go_to_topics": ("audience",), "did_you_mean": ("word",)}
    choose_version: str
    all_readers: str
    show_results_for: str
    show_more_results: str
    close_search: str
    search_needs_js: str
    not_found_heading: str
    not_found_title: str
    not_found_description: str
    not_found_text: str
    home_page: str
    search_for: str
    welcome_back: str
    go_to_topics: str
    did_you_mean: str
    # the tooltip of a heading's link (the engine's `toc` extension, `permalink_title`)
    permanent_link: str


class ReviewViewWords(Section):
    """The reviewers' page of `make serve` (site/review_view.py)."""

    PLACEHOLDERS = {"title": ("question",), "signed_off": ("reviewer", "credentials", "date"),
                    "changed_since": ("reviewer", "date"), "being_checked": ("reviewers",),
                    "approve": ("command",)}
    all_topics: str
    serve_only: str
    title: str
    signed_off: str
    changed_since: str
    no_signoff: str
    being_checked: str
    no_reviewer: str
    approve: str
    changes: str
    no_changes: str
    nothing_to_compare: str
    side_by_side: str
    section: str
    short_answer: str
    title_row: str
    facts: str
    fact: str
    value: str
    patients_read: str
    sources: str
    grade: str
    verification: str
    verified: str
    index_title: str
    index_intro: str


class Strings(Model):
    """Every reader-facing word of one language (site_config/strings/<language>.yml)."""

    dates: Dates
    lists: Lists
    facts: FactWords
    review: ReviewWords
    topic: TopicWords
    listing: ListWords
    pages: SitePageWords
    nav: NavWords
    references: ReferenceWords
    handout: HandoutWords
    theme: ThemeWords
    review_view: ReviewViewWords


def known_locale(language: str) -> bool:
    try:
        Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return False
    return True


def and_list(items: list[str], lists: Lists) -> str:
    """a, b and c, in the language's words (the strings file's `lists`)."""
    return items[0] if len(items) < 2 else lists.comma.join(items[:-1]) + lists.last + items[-1]
