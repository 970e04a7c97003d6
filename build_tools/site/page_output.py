"""The pages: the core's Markdown made into HTML by the site engine, checked, then placed.

Made into the engine's cache (build/<state>/html/, site.html_pages), checked there, and only
then placed: copies into a published site, hard links into the preview's served folder, which
therefore never shows a page that failed the check.
"""
from __future__ import annotations

from pathlib import Path

from ..core.base.problems import Problem
from ..core.base.wording import theme_words
from .engine import EngineOrder
from .html_check import check_page, check_stylesheets, compare_reference_lists
from .html_pages import Hashes, HtmlReport, build_html, copy_site, dest_uri, update_site
from .markdown_tree import write_tree
from .outputs import Job, Output
from ..core.base.model import Library
from ..core.base.names import url_of
from ..core.pages.pages import Page
from .publish import write_sitemap


class Pages(Output):
    name = "pages"
    step = "pages"
    stops_as = "HTML check"

    def __init__(self) -> None:
        self.hashes: Hashes = {}  # the preview's memory of the cache's files, kept across saves
        self.linked: set[Path] = set()  # served folders linked whole once
        self.report = HtmlReport()

    def make(self, job: Job) -> list[Problem]:
        with job.timing.stage("write tree"):
            write_tree(all_pages(job), job.state / "docs", job.result.memory.written)
        preview = job.options.mode == "preview"
        self.report = build_html(job.root, job.state, job.result.pages, engine_order(job),
                                 job.library, job.options.jobs, in_process=preview,
                                 timeout=job.options.engine_timeout,
                                 hashes=self.hashes if preview else None,
                                 memory=job.result.memory)
        for output in self.report.engine_output:
            print(output.rstrip())
        print(self.report)
        return []

    def check(self, job: Job) -> list[Problem]:
        with job.timing.stage("html check"):
            html_dir = job.state / "html"
            return (self.report.problems + unlisted_pages(html_dir, job, self.report)
                    + check_stylesheets(html_dir))

    def publish(self, job: Job, site: Path) -> list[Problem]:
        with job.timing.stage("site files"):
            if job.options.in_place:  # the editions' folders are EditionPages'
                update_site(job.state / "html", site, self.report,
                            job.later + tuple(job.result.editions), self.linked)
                return []
            # copies: the published site shares no file with a cache
            return copy_site(job.root, job.state / "html", site, self.report.files)


class Sitemap(Output):
    """sitemap.xml of every page, dated by the content."""

    name = "sitemap"
    step = "pages"

    def publish(self, job: Job, site: Path) -> list[Problem]:
        pages = all_pages(job)
        languages = job.result.languages
        alternates = {url_of(p.path): {lang: url_of(other) for lang, other in
                                       languages.alternates(p.path).items()} for p in pages}
        write_sitemap(site, job.library.site.settings.site_url, [url_of(p.path) for p in pages],
                      job.epoch, {url: found for url, found in alternates.items() if found})
        return []


def all_pages(job: Job) -> list[Page]:
    """The whole Markdown tree: the site's pages and its translated editions' (<language>/)."""
    return job.result.pages + [p for e in job.result.editions.values() for p in e.pages]


def engine_order(job: Job, edition: str = "") -> EngineOrder:
    """The engine build of the site (edition "") or of one translated edition, whose pages
    are its own site below <language>/, in its language (Material's words, <html lang>)."""
    source = job.library.site.settings
    library = job.result.editions[edition].library if edition else job.library
    settings = library.site.settings
    audiences = sorted(library.audiences.values(), key=lambda a: (a.order, a.key))
    folder = f"{edition}/" if edition else ""
    return EngineOrder(
        engine=job.options.engine, config_file=str(job.root / "mkdocs.yml"),
        docs_dir=str(job.state / "docs" / edition),
        site_dir=str(job.state / "editions" / edition / "engine-out" if edition
                     else job.state / "engine-out"),
        nav=job.result.editions[edition].nav if edition else job.result.nav,
        site_name=settings.site_name, site_url=source.site_url.rstrip("/") + "/" + folder,
        epoch=job.epoch, language=settings.language,
        permalink_title=library.site.strings.theme.permanent_link,
        exclude=[] if edition else sorted(job.result.editions),
        extra={"edu_general_disclaimer": library.site.disclaimers["general"],
               "edu_audiences": {a.key: a.label for a in audiences},
               **theme_words(library.site.strings)})


def unlisted_pages(html_dir: Path, job: Job, html: HtmlReport, pages: list[Page] | None = None,
                   library: Library | None = None) -> list[Problem]:
    """The pages the engine makes from its own templates (404.html) are checked too, and
    every topic's pages must carry the same reference list. pages, library: an edition's."""
    library = library or job.library
    made = {dest_uri(p.path) for p in (job.result.pages if pages is None else pages)}
    problems: list[Problem] = []
    listings = list(html.listings)
    for rel in sorted(r for r in html.files if r.endswith(".html")):
        if rel not in made:
            found, listing = check_page((html_dir / rel).read_bytes(), rel, library)
            problems += found
            listings += [listing] if listing else []
    return problems + compare_reference_lists(listings)
