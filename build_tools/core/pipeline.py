"""The whole core: load -> validate -> render -> check, giving pages or problems."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from jinja2 import TemplateError

from .pages.listing import related_topics
from .base.model import Library, Topic
from .pages.languages import Languages, languages, with_languages
from .pages.pages import Assembler, NavItem, Page, TemplateTooDeep
from .base.problems import Problem, apply_strict, errors, warning
from .base.records import damage_warnings
from .base.variant import Variant
from .render.render import template_problem
from .render_cache import render_all, topic_pages
from .check.same_facts import source_fingerprint, translation_problems
from .review.review import NO_REVIEWER, Review, review_states
from .memory import BuildMemory
from .read.validate import is_shared_file, load_library, topic_files

Mode = Literal["publish", "preview"]


@dataclass
class Edition:
    """A translated edition as one run made it: its library, variants, reviews, navigation and
    pages (paths under <language>/ of the Markdown tree; built by their own engine run into
    <language>/ of the site, site/edition_output.py), proven against their English pages."""

    library: Library
    variants: list[Variant] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    # (audience, topic) of each translated page whose English page changed since it was
    # translated (or that records no translation): the date of the English page's last change
    stale: dict[tuple[str, str], datetime.date] = field(default_factory=dict)
    reviews: dict[str, Review] = field(default_factory=dict)
    nav: list[NavItem] = field(default_factory=list)


@dataclass
class Result:
    """What one run of the core produced."""

    problems: list[Problem]
    library: Library | None = None
    variants: list[Variant] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    nav: list[NavItem] = field(default_factory=list)
    left_out: list[Topic] = field(default_factory=list)
    reviews: dict[str, Review] = field(default_factory=dict)
    # the translated editions, by language (core/read/translations.py)
    editions: dict[str, Edition] = field(default_factory=dict)
    # which pages are the same page in another language
    languages: Languages = field(default_factory=lambda: Languages("en"))
    # what the run remembered and measured; the outputs take their digests and timing from it
    memory: BuildMemory = field(default_factory=BuildMemory)

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


def banners(library: Library, shown: list[Topic], reviews: dict[str, Review]) -> dict[str, str]:
    site, policy = library.site, library.site.policy
    out: dict[str, str] = {}
    for topic in shown:
        review = reviews[topic.key]  # a typed status counts only as far as its sign-off goes
        text = (site.no_reviewer_banner if review.state == NO_REVIEWER
                else policy.banners.get(review.status, ""))
        if not review.published:
            text = f"{site.draft_banner}. {text}".strip()
        if text:
            out[topic.key] = text
    return out


def content_epoch(library: Library) -> int:
    """The newest date in the content: a build timestamp that only changes with the inputs."""
    dates = [c.date for t in library.topics.values() for c in t.changes]
    dates += [s.date for t in library.topics.values() for s in t.signoffs]
    newest = max(dates, default=datetime.date(2000, 1, 1))
    return int(datetime.datetime(newest.year, newest.month, newest.day,
                                 tzinfo=datetime.timezone.utc).timestamp())


def state_dir(root: Path, mode: Mode) -> Path:
    """Where a mode keeps what it made and cached: `make site` and `make serve` never share."""
    return root / "build" / ("serve" if mode == "preview" else "site")


def generate(root: Path, mode: Mode = "publish", strict: bool = False,
             memory: BuildMemory | None = None) -> Result:
    """One run of the core. memory: what earlier runs remembered (the preview keeps one between
    saves, so a save redoes only what it changed) and where this run's timing goes; None makes
    a fresh one (a build from the command line), whose caches start from the disk alone."""
    memory = memory or BuildMemory()
    timing = memory.timing
    with timing.stage("validate"):
        library, problems = load_library(root, memory.reads, timing)
    if library is None:
        return Result(apply_strict(problems, strict), memory=memory)
    if errors(problems):
        problems += still_checkable(root, library, problems, mode, memory)
        return Result(apply_strict(problems, strict), memory=memory)
    topics = sorted(library.topics.values(), key=lambda t: t.key)
    result = Result(problems, library, memory=memory)
    with timing.stage("render"):
        result.variants, found = render_all(state_dir(root, mode) / "variants", library, topics,
                                            memory.renders, memory.inputs.core, timing)
    problems.extend(found)
    with timing.stage("check"):
        result.reviews, found = review_states(library, result.variants)
    problems.extend(found)
    for language, edition in library.translations.items():
        result.editions[language] = translated(root, mode, library, edition,
                                               result.variants, memory, problems)
    shown = [t for t in topics if mode == "preview" or result.reviews[t.key].published]
    shown_keys = {t.key for t in shown}  # by key: comparing whole topics is slow at scale
    result.left_out = [t for t in topics if t.key not in shown_keys]
    result.problems = apply_strict(problems, strict)
    if result.ok:
        with timing.stage("pages"):
            assemble(root, result, shown, mode)
            for translation in result.editions.values():
                assemble_edition(root, result, translation, shown_keys, mode)
            link_languages(result, shown_keys)
    # cached variants and pages that did not match their hash: made again, and said so
    result.problems += apply_strict(damage_warnings(root, memory.stores()), strict)
    return result


def translated(root: Path, mode: Mode, english: Library, library: Library,
               sources: list[Variant], memory: BuildMemory, problems: list[Problem]) -> Edition:
    """A translated edition rendered, checked, and held against its English variants."""
    edition = Edition(library)
    topics = sorted(library.topics.values(), key=lambda t: t.key)
    with memory.timing.stage("render"):
        edition.variants, found = render_all(
            state_dir(root, mode) / f"variants-{library.edition}", library, topics,
            memory.renders_of(library.edition), memory.inputs.core, memory.timing)
    problems.extend(found)
    by_key = {(v.audience.key, v.topic.key): v for v in sources}
    with memory.timing.stage("check"):
        for variant in edition.variants:
            source = by_key.get((variant.audience.key, variant.topic.key))
            if source is not None:
                key = (variant.audience.key, variant.topic.key)
                problems.extend(translation_problems(source, variant, english.prose[key],
                                                     library.prose[key]))
                problems.extend(staleness(edition, english, source, variant))
        edition.reviews, found = review_states(library, edition.variants)
    problems.extend(found)
    return edition


def staleness(edition: Edition, english: Library, source: Variant,
              variant: Variant) -> list[Problem]:
    """A translation made from another English page than today's: its page says so, and
    `make check` lists it (a warning: the translation is still the best the reader has)."""
    topic = variant.topic
    record = topic.translated_from.get(variant.audience.key)
    if record is not None and record.fingerprint == source_fingerprint(source):
        return []
    updated = max(c.date for c in english.topics[topic.key].changes)
    edition.stale[(variant.audience.key, topic.key)] = updated
    language = edition.library.edition
    command = (f"make translated TOPIC={topic.key} LANG={language}"
               + ("" if variant.audience.key == "patient" else
                  f" AUDIENCE={variant.audience.key}"))
    if record is None:
        return [warning(variant.source, None, "translation-unrecorded",
                        f"nothing records which English page this translation was made from, "
                        "so its page says the English was updated since",
                        f"once it translates today's English page, run `{command}`")]
    return [warning(topic.translations_source, record.line, "translation-stale",
                    f"the English {variant.audience.key} page changed after this translation "
                    f"of {record.date} (last English change: {updated})",
                    f"bring {variant.source} up to date, then run `{command}`")]


def still_checkable(root: Path, library: Library, problems: list[Problem], mode: Mode,
                    memory: BuildMemory) -> list[Problem]:
    """After load or validate errors: render and check the topics none of whose own files has
    an error, so independent problems in other files are reported by the same build."""
    broken = {p.path for p in errors(problems)}
    if any(is_shared_file(path) for path in broken):
        return []
    audiences = list(library.audiences)
    topics = [t for t in sorted(library.topics.values(), key=lambda t: t.key)
              if not topic_files(t, audiences) & broken]
    with memory.timing.stage("render"):
        _, found = render_all(state_dir(root, mode) / "variants", library, topics,
                              memory.renders, memory.inputs.core, memory.timing)
    return found


def link_languages(result: Result, shown: set[str]) -> None:
    """Every page told its other languages (core/pages/languages.py)."""
    assert result.library is not None
    source = result.library.site.settings.language
    result.languages = languages(result.library, shown, {
        language: edition.variants for language, edition in result.editions.items()})
    result.pages = [with_languages(p, result.languages, source) for p in result.pages]
    for language, edition in result.editions.items():
        edition.pages = [with_languages(p, result.languages, language) for p in edition.pages]


def assemble_edition(root: Path, result: Result, edition: Edition, shown: set[str],
                     mode: Mode) -> None:
    """A translated edition's pages, under <language>/ in the Markdown tree: its topic pages
    and its own home, audience, category and glossary pages."""
    library = edition.library
    topics = [t for key, t in sorted(library.topics.items()) if key in shown]
    variants = [v for v in edition.variants if v.topic.key in shown]
    assembler = Assembler(root, library, banners(library, topics, edition.reviews),
                          edition.reviews, related_topics(topics, variants), variants,
                          edition.stale, result.library.site.settings.language
                          if result.library else "")
    try:
        edition.pages = topic_pages(root, assembler, variants,
                                    result.memory.renders_of(library.edition),
                                    result.memory.inputs.core,
                                    state_dir(root, mode) / f"pages-{library.edition}")
        edition.pages += [Page(f"{library.edition}/{page.path}", page.text)
                          for page in assembler.site_pages(topics)]
        edition.nav = assembler.nav(topics)
    except (TemplateError, TemplateTooDeep) as exc:
        found = page_template_problem(exc, root)
        if found not in result.problems:  # the same template fails for every language
            result.problems.append(found)


def assemble(root: Path, result: Result, shown: list[Topic], mode: Mode) -> None:
    """Fill the page templates; a broken template is a problem at its line, not a traceback."""
    assert result.library is not None
    shown_keys = {t.key for t in shown}  # by key: comparing whole topics is slow at scale
    variants = [v for v in result.variants if v.topic.key in shown_keys]
    assembler = Assembler(root, result.library, banners(result.library, shown, result.reviews),
                          result.reviews, related_topics(shown, variants), variants)
    try:
        result.pages = topic_pages(root, assembler, variants, result.memory.renders,
                                   result.memory.inputs.core, state_dir(root, mode) / "pages")
        result.pages += assembler.site_pages(shown)
        result.nav = assembler.nav(shown)
    except (TemplateError, TemplateTooDeep) as exc:
        result.pages, result.nav = [], []
        result.problems.append(page_template_problem(exc, root))


def page_template_problem(exc: TemplateError | TemplateTooDeep, root: Path) -> Problem:
    if isinstance(exc, TemplateTooDeep):
        return Problem(f"templates/{exc.template}", 1, "page-template",
                       "the template nests too deeply to be read (a run of brackets or "
                       "blocks?)", "restore the template from version control")
    return template_problem(exc, root, "page-template")


