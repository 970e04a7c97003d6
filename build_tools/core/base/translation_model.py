"""The words a translation gives (`<file>.<language>.yml` beside each English file): words
only, never a value, a reference or a key of its own (core/read/translations.py)."""
from __future__ import annotations

from pydantic import Field

from .model import AudienceText, Day, Model, TranslationRecord, Urgency

# A file of a translated edition: `patient.es.yml`, `vertebroplasty.es.md`
LANGUAGE_CODE = r"[a-z]{2,3}"


class SiteWords(Model):
    """site_config/site.<language>.yml: the site's names and lines in that language."""

    site_name: str = Field(min_length=1)
    organisation: str = Field(min_length=1)
    advisory_board: str = Field(min_length=1)
    contact_line: str = Field(min_length=1)
    description: str | None = None


class WarningWords(Model):
    """The words of an audience's warning-sign section; its id and place are the English's."""

    title: str = Field(min_length=1)
    intro: str | None = None
    actions: dict[Urgency, str]
    unverified_mark: str = Field(min_length=1)
    unverified_note: str = Field(min_length=1)


class AudienceWords(Model):
    """audiences/<audience>.<language>.yml: what readers see of the audience's rules."""

    label: str = Field(min_length=1)
    description: str = Field(min_length=1)
    # the translated headings of the English required sections, in the same order
    required_sections: list[str] = []
    warning_signs: WarningWords | None = None


class ChangeWords(Model):
    date: Day
    summary: str = Field(min_length=1)


class TopicWords(Model):
    """content/topics/<topic>/topic.<language>.yml."""

    question: str = Field(min_length=1)
    category: str = Field(min_length=1)
    audiences: dict[str, AudienceText]
    # one per entry of topic.yml's `changes:`, in the same order and with the same dates
    changes: list[ChangeWords] = Field(min_length=1)


class FactWords(Model):
    """One fact's words in facts.<language>.yml (or content/facts/<source>.<language>.yml)."""

    unit: str | None = None
    plain: str | None = None
    value: str | None = None  # only for a fact whose value is text
    label: str | None = None


class SignWords(Model):
    """One warning sign's words in content/warning_signs/<list>.<language>.yml."""

    notice: str | dict[str, str]


__all__ = ("AudienceWords", "ChangeWords", "FactWords", "SignWords", "SiteWords", "TopicWords",
           "TranslationRecord", "WarningWords")
