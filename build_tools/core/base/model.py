"""The content model every stage shares: references, facts, topics, audiences, site."""
from __future__ import annotations

import datetime
import re
from functools import cached_property
from types import MappingProxyType
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict,
                      ValidationInfo, field_validator, model_validator)
from pydantic_core import PydanticCustomError

from .citation import formatted
from .readability import ENGLISH_GRADE, FORMULAS, Formula, formulas_for
from .strings import Strings

STATES = ("submitted", "under_review", "approved")
# How soon a reader acts on a warning sign, most urgent first: the order pages list them in.
URGENCIES = ("emergency", "same_day", "next_visit")
Urgency = Literal["emergency", "same_day", "next_visit"]
EMERGENCY_NUMBER_RE = re.compile(r"^[0-9][0-9 ]{1,14}$")
ANCHOR_RE = r"^[a-z][a-z0-9-]*$"
Status = Literal["submitted", "under_review", "approved"]
Kind = Literal["guideline", "guideline summary", "untraceable summary", "trial", "trial sub-study",
               "review", "meta-analysis", "cohort study"]
# The statements of practice of site_config/editorial_policy.md that the build can check
# (core/read/policy_promises.py says how each is checked).
Promise = Literal["references_checked", "untraceable_labelled", "grades_from_source",
                  "unverified_marked", "change_log_newest_first"]
# The printed fields a reference may list under `unchecked:`, by their CSL names; what
# readers call them is in the strings file (references.fields).
CHECKABLE_FIELDS = ("author", "title", "container-title", "publisher", "issued", "volume",
                    "issue", "page", "DOI", "PMID", "URL")
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_RE = re.compile(r"^[1-9]\d{0,8}$")
KEY_RE = r"^[a-z][a-z0-9_]*$"
# An address pages link to: http(s) only (no javascript: or data:), nothing a browser would
# read differently (spaces, backslashes, quotes), no user name before the host.
WEB_URL_RE = re.compile(r"^https?://[^\s/\\?#@\"'<>`]+(?:[/?#][^\s\\\"'<>`]*)?$", re.IGNORECASE)


def web_url(value: str | None) -> str | None:
    if value is not None and not WEB_URL_RE.match(value):
        raise ValueError(f"'{value}' is not a web address; only http:// and https:// "
                         "addresses are allowed")
    return value
MAX_NUMBER = 1e9  # as load refuses larger typed numbers (strict_yaml.MAX_NUMBER)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
YEAR_TEXT = re.compile(r"(\d{4})(?:-\d{1,2}){0,2}")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _as_text(value: object) -> object:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Text = Annotated[str, BeforeValidator(_as_text)]


def _date_as_typed(value: object) -> object:
    """Only YYYY-MM-DD is a date: pydantic would read 20271015 as seconds since 1970."""
    if isinstance(value, datetime.date) or (isinstance(value, str) and ISO_DATE.match(value)):
        return value
    raise PydanticCustomError("date_type", "{error}", {"error": "not in the form YYYY-MM-DD"})


Day = Annotated[datetime.date, BeforeValidator(_date_as_typed)]


def _sane(value: float) -> float:
    """No page shows infinity, "nan" or a figure larger than any the site has a use for."""
    if not abs(value) <= MAX_NUMBER:
        raise PydanticCustomError(
            "edu_value", "{value} is not a number a page can show (at most {limit} either way)",
            {"value": f"{value:g}", "limit": f"{MAX_NUMBER:,.0f}", "code": "bad-number",
             "hint": "check the number; give large amounts in a bigger unit"})
    return value


def _not_a_flag(value: object) -> object:
    """pydantic reads true as 1 where a number is wanted: a page would show a figure nobody typed."""
    if isinstance(value, bool):
        raise PydanticCustomError(
            "edu_value", "expected a number, found {value}",
            {"value": str(value).lower(), "code": "wrong-type",
             "hint": "write the number itself; true and false are answers to yes-or-no fields"})
    return value


Number = Annotated[float, BeforeValidator(_not_a_flag), AfterValidator(_sane)]
# true or false as YAML 1.2 reads them: `yes`, `off` or "1" is text, refused where a flag is wanted
Flag = Annotated[bool, Strict()]


class Name(Model):
    """A CSL name: a person (family, given) or an organisation (literal)."""

    family: str | None = None
    given: str | None = None
    literal: str | None = None

    def csl(self) -> dict[str, str]:
        if self.literal:
            return {"literal": self.literal}
        given = self.given or ""
        # PubMed writes initials run together ("CA"); CSL reads that as one given name ("C").
        if INITIALS.match(given):
            given = " ".join(given)
        return {"family": self.family or "", "given": given}


INITIALS = re.compile(r"^[A-Z]{2,4}$")


def _year(value: object) -> object:
    """Accept the forms CSL exports use: 2010, "2010-08-11", date-parts, [{year: 2010}]."""
    if isinstance(value, dict) and "date-parts" in value:
        parts = value["date-parts"]
        if not (isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]):
            raise PydanticCustomError(
                "edu_value", "date-parts holds no year",
                {"code": "invalid-value",
                 "hint": "write the year, as `issued: 2010` or `issued: {date-parts: [[2010]]}`"})
        value = parts[0][0]
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        value = value[0].get("year")
    elif isinstance(value, datetime.date):
        value = value.year
    elif isinstance(value, str):
        typed = YEAR_TEXT.fullmatch(value)
        value = typed.group(1) if typed else value
    if isinstance(value, str) and not value.strip().isdigit():
        # pydantic would read "2_020" as 2020: the list would print a year nobody typed
        raise PydanticCustomError(
            "edu_value", "'{value}' is not a year",
            {"value": value, "code": "invalid-value",
             "hint": "write the year of publication, as `issued: 2010` or `issued: 2010-08-11`"})
    return value


class Reference(Model):
    """One bibliography entry in CSL-YAML, plus the kind of evidence it is."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$")
    kind: Kind
    type: str = "article-journal"
    title: str
    author: list[Name] = []
    more_authors: Flag = Field(False, alias="more-authors")
    container_title: str | None = Field(None, alias="container-title")
    publisher: str | None = None
    issued: Annotated[int, BeforeValidator(_year)]
    volume: Text | None = None
    issue: Text | None = None
    page: Text | None = None
    DOI: str | None = None
    PMID: Text | None = None
    URL: str | None = None
    note: str | None = None
    # The printed fields (CSL names) taken from a secondary source and not yet checked against
    # the publication: each is marked so in the reference list (references.unchecked_marker).
    # None, not [], when absent: a reference's data is part of a sign-off's fingerprint.
    unchecked: list[str] | None = None

    @cached_property
    def citation(self) -> tuple[str, str]:
        """(plain text, HTML) in AMA style, formatted once per reference read: the reference
        carries it, so no cache outside the build's own data holds it."""
        return formatted(self.csl())

    def csl(self) -> dict[str, Any]:
        """The CSL-JSON item citeproc-py formats: the CSL-YAML fields, less ours (kind, notes,
        PMID)."""
        item: dict[str, Any] = {"id": self.id, "type": self.type, "title": self.title,
                                "issued": {"date-parts": [[self.issued]]}}
        names = [n.csl() for n in self.author]
        if names:
            # An incomplete list (more-authors) ends in "et al", as AMA prints a shortened list.
            item["author"] = (names + [{"literal": "et al"}]
                              if self.more_authors and len(names) < 7 else names)
        for field, value in (("container-title", self.container_title),
                             ("publisher", self.publisher), ("volume", self.volume),
                             ("issue", self.issue), ("page", self.page), ("DOI", self.DOI),
                             ("URL", self.URL)):
            if value:
                item[field] = value
        return item

    def printed_fields(self) -> set[str]:
        """The CSL names of the fields of CHECKABLE_FIELDS this reference has."""
        return {name for name in CHECKABLE_FIELDS if getattr(self, name.replace("-", "_"))}

    @field_validator("DOI")
    @classmethod
    def _doi(cls, value: str | None) -> str | None:
        if value is not None and not DOI_RE.match(value):
            raise ValueError(f"'{value}' is not a DOI; a DOI looks like 10.1016/S0140-6736(10)60954-3")
        return value

    @field_validator("URL")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return web_url(value)

    @field_validator("PMID")
    @classmethod
    def _pmid(cls, value: str | None) -> str | None:
        if value is not None and not PMID_RE.match(value):
            raise ValueError(f"'{value}' is not a PMID; a PMID is a number such as 20701962")
        return value


class Range(Model):
    min: Number
    max: Number


class Fact(Model):
    """A figure or statement, with the references behind it and how far it was checked."""

    key: str = Field(pattern=KEY_RE)
    label: str
    value: Annotated[Union[Range, float, str], BeforeValidator(_not_a_flag)]
    decimals: int | None = Field(None, ge=0, le=6)
    unit: str | None = None
    plain: str | None = None
    refs: list[str] = Field(min_length=1)
    grade: str | None = None
    verified: Flag

    @field_validator("value")
    @classmethod
    def _sane_value(cls, value: Range | float | str) -> Range | float | str:
        if isinstance(value, Range) and value.min > value.max:
            raise PydanticCustomError(
                "edu_value", "the range's min ({min}) is larger than its max ({max})",
                {"min": f"{value.min:g}", "max": f"{value.max:g}", "code": "bad-range",
                 "hint": "write the smaller number as min, and check both against the source"})
        return _sane(value) if isinstance(value, float) else value


class Change(Model):
    """One entry of "What changed": the editors' summary, and optional wording per audience
    (patients should read what changed for them, not the editors' account of citations)."""

    date: Day
    summary: str
    summaries: dict[str, str] = {}

    def summary_for(self, audience: str) -> str:
        return self.summaries.get(audience, self.summary)


class AudienceText(Model):
    title: str
    short_answer: str


class BoardMember(Model):
    """One reviewer of site_config/advisory_board.yml: only members may sign a topic off."""

    name: str = Field(min_length=1)
    credentials: str = Field(min_length=1)
    role: str = Field(min_length=1)
    # the translations (language codes) the member also reviews, besides the site's language:
    # only such a member may sign off a translated page (`make approve ... LANG=es`)
    languages: list[str] = []


def board_member(board: list[BoardMember], name: str) -> BoardMember | None:
    """The member a name means, however its spaces and capitals were typed."""
    wanted = " ".join(name.split()).casefold()
    return next((m for m in board if " ".join(m.name.split()).casefold() == wanted), None)


class SignOff(Model):
    """One record of content/topics/<topic>/signoffs.yml, appended by `make approve`.

    The snapshot is what the reviewer read; the fingerprint is its hash (build_tools/review.py),
    so a topic counts as approved only while it still reads exactly as signed off.
    """

    reviewer: str
    credentials: str
    date: Day
    fingerprint: str = Field(pattern=r"^sha256:[0-9a-f]{64}$")
    unverified: list[str] = []
    snapshot: dict[str, Any]
    line: int = 1


class TranslationRecord(Model):
    """One record of content/topics/<topic>/translations.yml, appended by `make translated`:
    the English page a translation was made from, by its fingerprint (check/same_facts.py)."""

    language: str = Field(pattern=r"^[a-z]{2,3}$")
    audience: str = Field(min_length=1)
    fingerprint: str = Field(pattern=r"^sha256:[0-9a-f]{64}$")
    date: Day
    line: int = 1


class Topic(Model):
    """One question, its review state, its references and facts, and per-audience headlines."""

    key: str
    question: str
    category: str
    order: int | None = None  # position within its category; topics without one follow, by title
    status: Status
    # The board members checking the topic while it is under review: only with one of them
    # assigned may its pages say it is being checked by the board (review.py).
    reviewers: list[str] = []
    # No longer shown to readers: a review is a sign-off record (signoffs); see review.py.
    reviewed_by: str | None = None
    last_reviewed: Day | None = None
    next_review: Day
    changes: list[Change] = Field(min_length=1)
    references: list[str] = Field(min_length=1)
    audiences: dict[str, AudienceText]
    # content/warning_signs/<list>.yml: the signs its pages tell readers to act on
    warning_signs: list[str] = []
    facts: dict[str, Fact] = {}
    source: str = ""
    short_answer_lines: dict[str, int] = {}
    change_lines: dict[str, int] = {}  # "0": changes[0].summary, "0.patient": its summaries
    signoffs: list[SignOff] = []
    signoffs_source: str = ""
    # a translated edition's topic: what each audience's page was translated from
    # (content/topics/<topic>/translations.yml, appended by `make translated`)
    translated_from: dict[str, TranslationRecord] = {}
    translations_source: str = ""


class WarningSign(Model):
    """One sign a reader must act on (content/warning_signs/<list>.yml): what the reader
    notices, worded per audience where needed, with one urgency for every reader."""

    key: str = Field(pattern=KEY_RE)
    urgency: Urgency
    # one wording for every reader, or one per audience key
    notice: str | dict[str, str]
    source: list[str] = []
    verified: Flag
    reason: str | None = None  # why it is not verified, or what the board must confirm
    # audiences who are not shown the sign, each with the reason recorded
    not_for: dict[str, str] = {}
    line: int = 1

    @model_validator(mode="after")
    def _sourced(self) -> "WarningSign":
        if self.verified and not self.source:
            raise PydanticCustomError(
                "edu_value", "the sign says `verified: true` but names no source",
                {"code": "sign-unsourced",
                 "hint": "add `source: [reference-key]`, or write `verified: false` with a "
                         "`reason:` (for example, general clinical practice for the board to "
                         "confirm)"})
        if not self.verified and not (self.reason or "").strip():
            raise PydanticCustomError(
                "edu_value", "the sign is not verified and gives no reason",
                {"code": "sign-unsourced",
                 "hint": "add `reason:` saying where the sign comes from and what the board "
                         "must confirm"})
        return self

    def wording(self, audience: str) -> str | None:
        if audience in self.not_for:
            return None
        return self.notice if isinstance(self.notice, str) else self.notice.get(audience)


class WarningSection(Model):
    """How an audience's pages show the warning signs (audiences/<audience>.yml)."""

    title: str = Field(min_length=1)
    id: str = Field(pattern=ANCHOR_RE)
    # after_short_answer: its own section, right below the short answer (on the first screen
    # of a phone, and boxed on page 1 of the handout); end_of_section: at the end of the
    # writer's section of that title, which every page for the audience must have
    place: Literal["after_short_answer", "end_of_section"]
    intro: str | None = None
    # what to do, per urgency: the words before the list of signs; "{emergency_number}" is
    # replaced with site.yml's emergency_number
    actions: dict[Urgency, str]
    # said of each sign not yet checked, and explained once below the list
    unverified_mark: str = Field(min_length=1)
    unverified_note: str = Field(min_length=1)

    @field_validator("actions")
    @classmethod
    def _every_urgency(cls, value: dict[str, str]) -> dict[str, str]:
        missing = [u for u in URGENCIES if u not in value]
        if missing:
            raise PydanticCustomError(
                "edu_value", "no action is given for {missing}",
                {"missing": ", ".join(missing), "code": "missing-action",
                 "hint": "give the words for every urgency: emergency, same_day, next_visit"})
        return value


class ReadingLevel(Model):
    """One language's reading-level rule: a formula of readability.FORMULAS for that language,
    and its limit (a maximum for a scale where lower is easier, else a minimum)."""

    LANGUAGE: ClassVar[str] = ""
    formula: str
    limit: Number

    @field_validator("formula")
    @classmethod
    def _formula_of_language(cls, value: str) -> str:
        known = formulas_for(cls.LANGUAGE)
        if value in known:
            return value
        other = FORMULAS.get(value)
        why = (f"'{value}' is a formula for language '{other.language}', not '{cls.LANGUAGE}'"
               if other else f"'{value}' is not a reading-level formula")
        raise PydanticCustomError("edu_value", "{why}", {
            "why": why, "code": "unknown-formula",
            "hint": f"for '{cls.LANGUAGE}' write one of: {', '.join(known)} "
                    "(docs/authoring.md, section 5)"})

    @property
    def scale(self) -> Formula:
        return FORMULAS[self.formula]


class EnglishReadingLevel(ReadingLevel):
    LANGUAGE = "en"


class SpanishReadingLevel(ReadingLevel):
    LANGUAGE = "es"


class ReadingLevels(Model):
    """`reading_level:` of an audience: per language (a language with a formula in
    readability.FORMULAS), its formula and limit."""

    en: EnglishReadingLevel | None = None
    es: SpanishReadingLevel | None = None


class Audience(Model):
    """Who a variant is written for, and the rules its prose must meet."""

    key: str
    label: str
    description: str
    # the limit of English pages in Flesch-Kincaid grades: `reading_level: {en: ...}` in short
    reading_grade_max: Number | None = None
    # each language's formula and limit (readability.FORMULAS)
    reading_level: ReadingLevels = ReadingLevels()
    disclaimer: str
    numbers: Literal["plain", "exact"]
    order: int = 0
    required_sections: list[str] = []
    # glossary terms as tooltips with a link (readers who may not know the words)
    glossary_tooltips: Flag = True
    # the page's schema.org audience: Patient, or a MedicalAudience of clinicians
    schema_audience: Literal["Patient", "Clinician"] = "Clinician"
    # the site's contact line at the end of each page and handout
    contact_line: Flag = False
    # a longer short answer pushes what follows it (for patients, the emergency signs) off a
    # phone's first screen
    short_answer_max_words: int | None = Field(None, ge=10)
    # where and how its pages show the topic's warning signs (core/read/warning_signs.py)
    warning_signs: WarningSection | None = None

    @field_validator("reading_level")
    @classmethod
    def _english_once(cls, value: ReadingLevels, info: ValidationInfo) -> ReadingLevels:
        if value.en is not None and info.data.get("reading_grade_max") is not None:
            raise PydanticCustomError("edu_value", "English has two limits: this `en:` and "
                                      "`reading_grade_max:`", {
                                          "code": "reading-level-twice",
                                          "hint": "keep one: delete `reading_grade_max:` or the "
                                                  "`en:` entry under `reading_level:`"})
        return value

    def reading_rule(self, language: str) -> tuple[Formula, float] | None:
        """The formula and limit for its pages in language; None when it sets none."""
        level = getattr(self.reading_level, language.split("-")[0], None)
        if isinstance(level, ReadingLevel):
            return level.scale, level.limit
        if language.split("-")[0] == "en" and self.reading_grade_max is not None:
            return ENGLISH_GRADE, self.reading_grade_max
        return None


class GlossaryEntry(Model):
    term: str
    definition: str


class PublicationPolicy(Model):
    """Which review states `make site` publishes, and the banner each unapproved state shows."""

    published_states: list[Status]
    banners: dict[Status, str] = {}
    # None: the strings file's words (review.draft_banner), as Site.draft_banner says
    draft_banner: str | None = None
    # Under review in topic.yml, but no board member assigned: what readers are told instead
    # (None: the strings file's review.no_reviewer_banner).
    no_reviewer_banner: str | None = None
    # A topic changed after its sign-off: still published (marked "Updated since its review")?
    publish_changed_since_review: Flag = True
    # The statements of editorial_policy.md the build checks (core/read/policy_promises.py)
    promises: list[Promise] = []


class SiteSettings(Model):
    """Site-wide names and addresses (site_config/site.yml)."""

    site_name: str
    organisation: str
    advisory_board: str
    contact_line: str
    description: str | None = None
    site_url: str
    language: str = "en"
    # the languages of the translated editions (site_config/strings/<language>.yml and the
    # `<file>.<language>.*` files beside the English ones; core/read/translations.py)
    translations: list[str] = []
    # the number readers call in an emergency, shown where an audience's actions say
    # {emergency_number}
    emergency_number: str | None = None

    @field_validator("site_url")
    @classmethod
    def _site_url(cls, value: str) -> str:
        web_url(value)
        return value

    @field_validator("translations")
    @classmethod
    def _other_languages(cls, value: list[str], info: ValidationInfo) -> list[str]:
        for code in value:
            if code == info.data.get("language") or value.count(code) > 1:
                raise PydanticCustomError(
                    "edu_value", "'{lang}' is listed twice, or is the site's own language",
                    {"lang": code, "code": "invalid-value",
                     "hint": "list each translated language once, and not the `language:` "
                             "the content is written in"})
            if not re.fullmatch(r"[a-z]{2,3}", code):
                raise PydanticCustomError(
                    "edu_value", "'{lang}' is not a language code",
                    {"lang": code, "code": "invalid-value",
                     "hint": "write a two-letter code such as es or fr"})
        return value

    @field_validator("emergency_number")
    @classmethod
    def _phone_number(cls, value: str | None) -> str | None:
        if value is not None and not EMERGENCY_NUMBER_RE.match(value):
            raise PydanticCustomError(
                "edu_value", "'{value}' is not a phone number readers can dial",
                {"value": value, "code": "bad-phone-number",
                 "hint": 'write the digits in quotes, such as "911" or "112"'})
        return value


class Site(Model):
    """Everything in site_config/: settings, disclaimers, policy and policy pages."""

    settings: SiteSettings
    disclaimers: dict[str, str]
    policy: PublicationPolicy
    editorial_policy: str
    advisory_board_page: str
    board: list[BoardMember] = []
    # every word a reader sees that is not content, in the site's language
    strings: Strings

    @property
    def draft_banner(self) -> str:
        return self.policy.draft_banner or self.strings.review.draft_banner

    @property
    def no_reviewer_banner(self) -> str:
        return self.policy.no_reviewer_banner or self.strings.review.no_reviewer_banner


class Library(Model):
    """The whole validated project: what render and check work from."""

    site: Site
    audiences: dict[str, Audience]
    references: dict[str, Reference]
    glossary: dict[str, GlossaryEntry]
    topics: dict[str, Topic]
    prose: dict[tuple[str, str], str]
    # content/facts/<source>.yml, by "<source>.<key>": defined once, shown by any topic
    shared_facts: dict[str, Fact] = {}
    # content/warning_signs/<list>.yml, by list name
    warning_lists: dict[str, dict[str, WarningSign]] = {}
    # "" for the source language's library; a translated edition's language code ("es")
    edition: str = ""
    # the translated editions, by language: each a whole Library in that language, with the
    # topics and audiences it translates (not part of the source library's dumps and keys)
    translations: dict[str, "Library"] = Field(default_factory=dict, exclude=True)

    def prose_file(self, audience: str, topic: str) -> str:
        """Where a variant's prose is written: audiences/patient/x.md, or x.es.md."""
        suffix = f".{self.edition}" if self.edition else ""
        return f"audiences/{audience}/{topic}{suffix}.md"
