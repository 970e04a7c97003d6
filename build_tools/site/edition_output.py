"""The translated editions' pages: each edition's Markdown (<language>/ of the tree) made into
HTML by its own engine build, in its language (Material's words, <html lang>), checked, then
placed below <language>/ of the site, as the site's own pages are (site.page_output)."""
from __future__ import annotations

from pathlib import Path

from ..core.base.problems import Problem
from ..core.pages.pages import Page
from .html_check import check_stylesheets
from .html_pages import Hashes, HtmlReport, build_html, copy_site, update_site
from .outputs import Job, Output
from .page_output import engine_order, unlisted_pages


class EditionPages(Output):
    name = "edition pages"
    step = "pages"
    stops_as = "HTML check"

    def __init__(self) -> None:
        self.hashes: dict[str, Hashes] = {}  # the preview's, per edition, kept across saves
        self.linked: set[Path] = set()
        self.reports: dict[str, HtmlReport] = {}

    def wanted(self, job: Job) -> bool:
        return bool(job.result.editions) and super().wanted(job)

    def make(self, job: Job) -> list[Problem]:
        preview = job.options.mode == "preview"
        self.reports = {}
        for language, edition in sorted(job.result.editions.items()):
            report = build_html(job.root, state(job, language), own_pages(edition.pages, language),
                                engine_order(job, language), edition.library, job.options.jobs,
                                in_process=preview, timeout=job.options.engine_timeout,
                                hashes=self.hashes.setdefault(language, {}) if preview else None,
                                memory=job.result.memory)
            for output in report.engine_output:
                print(output.rstrip())
            print(f"{language}: {report}")
            self.reports[language] = report
        return []

    def check(self, job: Job) -> list[Problem]:
        problems = []
        with job.timing.stage("html check"):
            for language, report in self.reports.items():
                edition = job.result.editions[language]
                html_dir = state(job, language) / "html"
                problems += report.problems + unlisted_pages(
                    html_dir, job, report, own_pages(edition.pages, language), edition.library)
                problems += check_stylesheets(html_dir)
        return problems

    def publish(self, job: Job, site: Path) -> list[Problem]:
        problems = []
        with job.timing.stage("site files"):
            for language, report in self.reports.items():
                html_dir = state(job, language) / "html"
                if job.options.in_place:
                    update_site(html_dir, site / language, report, ("handouts",), self.linked)
                else:
                    problems += copy_site(job.root, html_dir, site / language, report.files)
        return problems


def state(job: Job, language: str) -> Path:
    return job.state / "editions" / language


def own_pages(pages: list[Page], language: str) -> list[Page]:
    """An edition's pages as its own engine build sees them: below its folder of the tree."""
    return [Page(p.path.removeprefix(f"{language}/"), p.text) for p in pages]
