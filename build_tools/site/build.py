"""The whole build, as plain calls in the order they run:

core (load, validate, render, check) -> the outputs of the registry (site.registry), each
planned, made, checked and published into a staging folder: first the pages (Markdown tree,
HTML by the site engine, its checks, the sitemap), then the rest (review view, handouts, search
index) -> the final check -> the finished site swapped in.

Each mode keeps its own state in build/<state>/ (`make site`: build/site, `make serve`:
build/serve), so a preview never throws away what a site build cached, or the reverse.
"""
from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from ..core.memory import BuildMemory
from ..core.pipeline import Result, content_epoch, generate, state_dir
from ..core.base.problems import Problem, apply_strict, errors
from ..core.report import left_out_lines, problem_lines
from .engine import ENGINES
from .final_check import check_site
from .outputs import BuildOptions, Job, Output
from .publish import build_lock, clean_stale, staging_dir, swap_in
from .registry import standard_outputs

__all__ = ("BuildFailed", "BuildOptions", "build_site", "build_pages", "finish_outputs",
           "site_epoch")


class BuildFailed(Exception):
    """The content or the finished HTML has errors: they are printed, the old site stays.
    A fault of the tool itself is a core.base.faults.ToolFault, never this."""


def report(problems: list[Problem]) -> None:
    for line in problem_lines(problems):
        print(line, file=sys.stderr, flush=True)


def build_site(root: Path, site_dir: Path, options: BuildOptions,
               outputs: Sequence[Output] | None = None,
               memory: BuildMemory | None = None) -> Result:
    """Build into a staging folder and swap it in; raise BuildFailed, leaving site_dir as it
    was, when anything a reader would get wrong is found. outputs: the registry's unless
    given; the caller that keeps them keeps their caches. memory: what earlier builds of this
    process remembered (pipeline.generate), and where this build's timing goes."""
    outputs = standard_outputs() if outputs is None else outputs
    memory = memory or BuildMemory()
    if options.in_place:  # the preview, whose server holds its mode's lock while it runs
        job = build_pages(root, site_dir, options, outputs, memory=memory)
        if options.finish:
            finish_outputs(job, site_dir, outputs)
        return job.result
    with build_lock(state_dir(root, options.mode)):
        clean_stale(site_dir)  # what a killed build of ours left
        staging = staging_dir(site_dir)
        try:
            job = build_pages(root, staging, options, outputs, plan_all=options.finish,
                              memory=memory)
            if options.finish:
                finish_outputs(job, staging, outputs, planned=True)
                with memory.timing.stage("final check"):  # what goes out, from its bytes
                    final = check_site(root, staging, job.result, options.mode)
                report(final)
                _stop_on(final, "final check")
            with memory.timing.stage("swap"):
                swap_in(staging, site_dir)
        finally:
            if staging.exists():
                shutil.rmtree(staging)  # our own half-built folder: the old site stays
            clean_stale(site_dir)
    return job.result


def build_pages(root: Path, site: Path, options: BuildOptions, outputs: Sequence[Output],
                plan_all: bool = False, memory: BuildMemory | None = None) -> Job:
    """The core, then the outputs of the "pages" step into site; site is changed only once
    the pages have passed their checks. plan_all: plan the "finish" step's outputs too, first
    (slow ones start beside the pages); finish_outputs must follow, as it closes them."""
    if options.engine not in ENGINES:
        raise BuildFailed(f"unknown site engine {options.engine!r}; use one of {', '.join(ENGINES)}")
    site.mkdir(parents=True, exist_ok=True)
    result = generate(root, options.mode, options.strict, memory)
    report(result.problems)
    _stop_on(result.problems, "content check")
    for line in left_out_lines(result):
        print(line)
    job = Job(root, result, options)
    later = _step(job, outputs, "finish")
    job = Job(root, result, options, tuple(f for o in later for f in o.folders))
    pages = _step(job, outputs, "pages")
    try:
        for output in [*pages, *(later if plan_all else [])]:
            output.plan(job)
        _run(job, site, pages)
    except BaseException:
        _close(later if plan_all else [])
        raise
    finally:
        _close(pages)
    return job


def finish_outputs(job: Job, site: Path, outputs: Sequence[Output], planned: bool = False,
                   superseded: Callable[[], bool] = lambda: False) -> None:
    """The outputs of the "finish" step (review view, handouts, search index) into site.
    superseded: asked between outputs; True (a newer save of the preview) stops here."""
    later = _step(job, outputs, "finish")
    try:
        if not planned:
            for output in later:
                output.plan(job)
        _run(job, site, later, superseded)
    finally:
        _close(later)


def _step(job: Job, outputs: Sequence[Output], step: str) -> list[Output]:
    return [o for o in outputs if o.step == step and o.wanted(job)]


def _run(job: Job, site: Path, outputs: list[Output],
         superseded: Callable[[], bool] = lambda: False) -> None:
    """Make, check and publish each output; its errors stop the build before the next phase."""
    for phase in ("make", "check", "publish"):
        for output in outputs:
            if superseded():
                return
            found = (output.publish(job, site) if phase == "publish"
                     else output.make(job) if phase == "make" else output.check(job))
            if output.step == "pages":  # strict: the pages' warnings are errors
                found = apply_strict(found, job.options.strict)
            report(found)
            _stop_on(found, output.stops_as or output.name)


def _close(outputs: list[Output]) -> None:
    for output in outputs:
        output.close()


def site_epoch(result: Result) -> int:
    """The site's date: the content's newest, never the environment's, which an earlier build
    in this process (the preview's) or the caller's shell may have left."""
    assert result.library is not None
    return content_epoch(result.library)


def _stop_on(problems: list[Problem], step: str) -> None:
    if errors(problems):
        raise BuildFailed(f"{step}: {len(errors(problems))} error(s); the site was not changed")
