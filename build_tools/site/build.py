"""The whole build, as plain calls in the order they run:

core (load, validate, render, check) -> Markdown tree -> HTML pages by the site engine ->
checks of the HTML -> search index and handouts -> the finished site swapped in.

Each mode keeps its own state in build/<state>/ (`make site`: build/site, `make serve`:
build/serve), so a preview never throws away what a site build cached, or the reverse.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from ..core.faults import ToolFault
from ..core.pipeline import Mode, Result, content_epoch, generate, state_dir
from ..core.problems import Problem, apply_strict, errors
from ..core.records import write_whole
from ..core.report import left_out_lines, problem_lines
from ..core.wording import theme_words
from ..core.timing import stage
from ..handouts.handout_cache import (HandoutPlan, plan_handouts, publish_handouts, start_early,
                                      stop_early)
from .final_check import check_site
from .engine import ENGINES, EngineOrder
from .html_check import check_page, check_stylesheets, compare_reference_lists
from .html_pages import ENGINE_TIMEOUT, HtmlReport, build_html, copy_site, dest_uri, update_site
from .markdown_tree import write_tree
from .publish import build_lock, clean_stale, staging_dir, swap_in, write_sitemap
from .search_index import finish_index, start_index


LATER_STEPS = ("pagefind", "handouts", "_review")  # what is added after the pages


@dataclass(frozen=True)
class BuildOptions:
    """How one build runs: what `make site`, `make serve` and the tests choose."""

    mode: Mode = "publish"
    strict: bool = False
    engine: str = "mkdocs"
    jobs: int = os.cpu_count() or 1
    handouts: bool = True
    finish: bool = True  # search index and handouts; a preview makes them after the reload
    in_place: bool = False  # the preview: its served folder is brought up to date in place
    engine_timeout: float = ENGINE_TIMEOUT  # seconds an engine process may take


class BuildFailed(Exception):
    """The content or the finished HTML has errors: they are printed, the old site stays.
    A fault of the tool itself is a core.faults.ToolFault, never this."""


def report(problems: list[Problem]) -> None:
    for line in problem_lines(problems):
        print(line, file=sys.stderr, flush=True)


def build_site(root: Path, site_dir: Path, options: BuildOptions) -> Result:
    """Build into a staging folder and swap it in; raise BuildFailed, leaving site_dir as it
    was, when anything a reader would get wrong is found."""
    if options.in_place:  # the preview, whose server holds its mode's lock while it runs
        site_dir.mkdir(parents=True, exist_ok=True)
        return build_into(root, site_dir, options)
    with build_lock(state_dir(root, options.mode)):
        clean_stale(site_dir)  # what a killed build of ours left
        staging = staging_dir(site_dir)
        try:
            result = build_into(root, staging, options)
            if options.finish:  # what goes out, from its bytes, made now or taken from a cache
                with stage("final check"):
                    final = check_site(root, staging, result, options.mode)
                report(final)
                _stop_on(final, "final check")
            with stage("swap"):
                swap_in(staging, site_dir)
        finally:
            if staging.exists():
                shutil.rmtree(staging)  # our own half-built folder: the old site stays
            clean_stale(site_dir)
    return result


def build_into(root: Path, staging: Path, options: BuildOptions) -> Result:
    if options.engine not in ENGINES:
        raise BuildFailed(f"unknown site engine {options.engine!r}; use one of {', '.join(ENGINES)}")
    result = generate(root, options.mode, options.strict)
    report(result.problems)
    _stop_on(result.problems, "content check")
    assert result.library is not None
    for line in left_out_lines(result):
        print(line)
    plan = None
    if options.finish and options.handouts:
        with stage("handouts"):  # the PDFs an edit needs are made while the pages are built
            plan = _handout_plan(root, result, options)
            start_early(plan)
    try:
        _pages_and_finish(root, staging, result, options, plan)
    finally:
        if plan is not None:
            stop_early(plan)  # a failed build: what the child has not made, it never will
    return result


def _pages_and_finish(root: Path, staging: Path, result: Result, options: BuildOptions,
                      plan: HandoutPlan | None) -> None:
    assert result.library is not None
    state = state_dir(root, options.mode)
    with stage("write tree"):
        write_tree(result.pages, state / "docs")
        write_whole(state / "nav.json", json.dumps(result.nav, indent=1).encode("utf-8"))
    epoch = site_epoch(result)
    order = engine_order(root, state, result, options, epoch)
    html = build_html(root, state, result.pages, order, result.library, options.jobs,
                      in_process=options.mode == "preview", timeout=options.engine_timeout)
    for output in html.engine_output:
        print(output.rstrip())
    print(html)
    with stage("site files"):
        if options.in_place:
            update_site(state / "html", staging, html, keep=LATER_STEPS)
            placed: list[Problem] = []
        else:  # copies: the published site shares no file with a cache
            placed = copy_site(root, state / "html", staging, html.files)
        write_sitemap(staging, order.site_url, [_url(p.path) for p in result.pages], epoch)
    with stage("html check"):
        found = html.problems + placed + _unlisted_pages(staging, result, html)
        found += check_stylesheets(staging)
    report(apply_strict(found, options.strict))
    _stop_on(apply_strict(found, options.strict), "HTML check")
    if options.finish:
        finish_site(root, staging, result, options, plan)


def site_epoch(result: Result) -> int:
    """The site's date: the content's newest, never the environment's, which an earlier build
    in this process (the preview's) or the caller's shell may have left."""
    assert result.library is not None
    return content_epoch(result.library)


def finish_site(root: Path, site: Path, result: Result, options: BuildOptions,
                plan: HandoutPlan | None = None) -> None:
    """Search index and handouts: side by side, the index in its own processes."""
    assert result.library is not None
    indexers = start_index(site, sorted(result.library.audiences),
                           result.library.site.settings.language)
    try:
        if options.handouts:
            with stage("handouts"):
                plan = plan or _handout_plan(root, result, options)
                handouts = publish_handouts(plan, site)
            report(handouts.problems)
            print(handouts)
            _stop_on(handouts.problems, "handouts")
    finally:  # even when a step fails: no indexer may write into a folder being removed
        with stage("search index"):
            unindexed = finish_index(indexers, site,
                                     state_dir(root, options.mode) / "search-words.json")
    if unindexed:  # reached only when the handouts passed: a content error goes first
        raise ToolFault("Pagefind could not index the site (`python -m pagefind --site site` "
                        "shows its whole message)", "\n\n".join(unindexed))


def _handout_plan(root: Path, result: Result, options: BuildOptions) -> HandoutPlan:
    """The PDFs in build/handouts/, shared by both modes (named by content)."""
    return plan_handouts(root, result, site_epoch(result), options.mode,
                         root / "build" / "handouts")


def engine_order(root: Path, state: Path, result: Result, options: BuildOptions,
                 epoch: int) -> EngineOrder:
    assert result.library is not None
    settings = result.library.site.settings
    audiences = sorted(result.library.audiences.values(), key=lambda a: (a.order, a.key))
    return EngineOrder(
        engine=options.engine, config_file=str(root / "mkdocs.yml"),
        docs_dir=str(state / "docs"), site_dir=str(state / "engine-out"), nav=result.nav,
        site_name=settings.site_name, site_url=settings.site_url, epoch=epoch,
        extra={"edu_general_disclaimer": result.library.site.disclaimers["general"],
               "edu_audiences": {a.key: a.label for a in audiences},
               **theme_words(result.library.site.strings)})


def _url(path: str) -> str:
    uri = dest_uri(path)
    return uri.removesuffix("index.html")


def _unlisted_pages(site: Path, result: Result, html: HtmlReport) -> list[Problem]:
    """The pages the engine makes from its own templates (404.html) are checked too, as the
    site has them, and every topic's pages must carry the same reference list."""
    assert result.library is not None
    made = {dest_uri(p.path) for p in result.pages}
    problems: list[Problem] = []
    listings = list(html.listings)
    for rel in sorted(r for r in html.files if r.endswith(".html")):
        if rel not in made:
            found, listing = check_page((site / rel).read_bytes(), rel, result.library)
            problems += found
            listings += [listing] if listing else []
    return problems + compare_reference_lists(listings)


def _stop_on(problems: list[Problem], step: str) -> None:
    if errors(problems):
        raise BuildFailed(f"{step}: {len(errors(problems))} error(s); the site was not changed")


