"""Publish, print (continued): every handout of a build, rendered only when its inputs changed.

WeasyPrint takes about half a second a handout, far longer than the rest of a topic's build.
A handout's bytes follow from its HTML (which carries the topic, its facts and references, the
audience's prose and disclaimer, the site settings and the creation date), the stylesheet, the
printing code and WeasyPrint's version. A hash of these names the cached PDF in
build/handouts/, outside the site; the PDFs are named by content, so `make site` and
`make serve` share them, each with its own index of what it uses, and a build copies it instead of rendering again.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import threading
import sys
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import TemplateError

from .handout import HandoutError, HandoutPrinter, handout_name, render_pdf
from ..core.pipeline import Mode, Result, banners
from ..core.model import Library
from ..core.problems import Problem
from ..core.inputs import handout_inputs
from ..core.records import forget_all_but, read_record, write_record, write_whole
from ..core.render_cache import made_from
from ..core.render import Variant, template_problem

INTERNAL = "internal error"
RENDER_TIMEOUT = 120.0  # seconds a handout may take; one takes about half a second
PARALLEL_FROM = 8  # fewer misses than this render faster than worker processes start


@dataclass
class HandoutReport:
    """What a build did with its handouts: rendered anew, or copied from the cache."""

    rendered: int = 0
    cached: int = 0
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return f"handouts: {self.rendered} rendered, {self.cached} from cache"


def handout_key(html: str, css: str) -> str:
    digest = hashlib.sha256(handout_inputs().encode())
    for part in (css, html):
        digest.update(b"\0" + part.encode("utf-8"))
    return digest.hexdigest()


def input_key(inputs: "hashlib._Hash", printer: HandoutPrinter, variant: Variant) -> str:
    """What a handout's HTML is made from, known without making it: the variant's inputs (as
    render_cache names them), the library-wide inputs, and its banner. Filling the template and
    drawing the QR code of every handout only to look its PDF up took 20 s at 1,500 handouts."""
    digest = inputs.copy()
    digest.update((made_from(variant) or repr(variant)).encode())
    digest.update(printer.banners.get(variant.topic.key, "").encode())
    digest.update(printer.reviews[variant.topic.key].cache_key().encode())
    return digest.hexdigest()


def library_inputs(root: Path, library: Library, printer: HandoutPrinter) -> "hashlib._Hash":
    """Inputs every handout shares: code, library-wide data, templates, creation date."""
    digest = hashlib.sha256(f"{handout_inputs()}\0{printer.created}".encode())
    digest.update(library.model_dump_json(exclude={"topics", "prose"}).encode())
    for path in sorted((root / "templates").glob("*.*")):
        digest.update(path.read_bytes())
    return digest


def _cached(store: Path, key: str | None) -> bool:
    return key is not None and (store / f"{key}.pdf").exists()


@dataclass
class HandoutPlan:
    """Which PDFs a build needs (keys, in the order of variants) and which of them the store
    lacks, with their filled HTML; decided once, before the pages are made."""

    store: Path
    index: Path
    printer: HandoutPrinter | None
    variants: list[Variant] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    missing: dict[str, tuple[Variant, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    early: multiprocessing.process.BaseProcess | None = None


def plan_handouts(root: Path, result: Result, epoch: int, mode: Mode, store: Path
                  ) -> HandoutPlan:
    """Every shown topic x audience: its PDF's key, and whether the store has it."""
    assert result.library is not None
    left_out = {t.key for t in result.left_out}
    shown = [t for t in sorted(result.library.topics.values(), key=lambda t: t.key)
             if t.key not in left_out]
    printer = HandoutPrinter(root, result.library, banners(result.library, shown, result.reviews),
                             epoch, result.reviews)
    index = store / f"inputs-{mode}.json"  # each mode's own: they never undo each other's
    plan = HandoutPlan(store, index, printer,
                       [v for v in result.variants if v.topic.key not in left_out])
    known = read_record(index, {})
    shared = library_inputs(root, result.library, printer)
    plan.inputs = [input_key(shared, printer, v) for v in plan.variants]
    try:
        pages = [(variant, None if _cached(store, known.get(key)) else printer.html(variant))
                 for variant, key in zip(plan.variants, plan.inputs)]
    except TemplateError as exc:
        plan.problems.append(template_problem(exc, root, "handout-template"))
        return plan
    plan.keys = [known[key] if html is None else handout_key(html, printer.css)
                 for key, (_, html) in zip(plan.inputs, pages)]
    plan.missing = {key: (variant, html) for key, (variant, html) in zip(plan.keys, pages)
                    if html is not None and not (store / f"{key}.pdf").exists()}
    return plan


def start_early(plan: HandoutPlan) -> None:
    """A few missing PDFs (an edit) are made by a child process while the pages are built;
    the build's publish_handouts then finds them in the store, or makes and reports what the
    child could not. Many (a new library) wait for a pool on every core after the pages."""
    if (not plan.missing or len(plan.missing) >= PARALLEL_FROM or "weasyprint" in sys.modules
            or threading.active_count() > 1):  # forking is safe only in this state
        return
    plan.early = multiprocessing.get_context("fork").Process(
        target=_render_missing, args=(plan, HandoutReport()), name="edu-handouts")
    plan.early.start()


def stop_early(plan: HandoutPlan, timeout: float = 0.0) -> None:
    """Wait up to timeout for the early PDFs, then stop the child if it is still working."""
    if plan.early is None:
        return
    plan.early.join(timeout)
    if plan.early.is_alive():
        plan.early.terminate()
        plan.early.join()
    plan.early = None


def publish_handouts(plan: HandoutPlan, site_dir: Path) -> HandoutReport:
    """Every planned handout as site_dir/handouts/<topic>-<audience>.pdf."""
    report = HandoutReport(problems=list(plan.problems))
    if plan.problems:
        stop_early(plan)
        return report
    stop_early(plan, RENDER_TIMEOUT * len(plan.missing))
    store = plan.store
    _render_missing(plan, report)
    write_record(plan.index, dict(zip(plan.inputs, plan.keys)))
    report.rendered = sum((store / f"{key}.pdf").exists() for key in plan.missing)
    report.cached = len(plan.keys) - len(plan.missing)  # a PDF that failed is neither
    if not report.problems:
        for key, variant in zip(plan.keys, plan.variants):
            _place(store / f"{key}.pdf", site_dir / "handouts" / handout_name(variant))
        others = [read_record(path, {}) for path in store.glob("inputs-*.json")
                  if path != plan.index]
        # PDFs of handouts that no longer exist or have changed: the cache stays small
        forget_all_but(store, ".pdf", set(plan.keys).union(*(set(o.values()) for o in others)))
    return report


def _place(pdf: Path, target: Path) -> None:
    """A hard link to the stored PDF (a copy across file systems): the store only ever
    replaces a PDF whole, so the site's file never changes under it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(pdf, target)
    except OSError:
        shutil.copyfile(pdf, target)


def _render_missing(plan: HandoutPlan, report: HandoutReport) -> None:
    """Make the planned PDFs the store still lacks (an early child may have made some)."""
    assert plan.printer is not None
    store = plan.store
    missing = {key: job for key, job in plan.missing.items() if not (store / f"{key}.pdf").exists()}
    jobs = [(html, plan.printer.css) for _, html in missing.values()]
    for (key, (variant, _)), (pdf, error) in zip(missing.items(), _render_all(jobs)):
        if pdf is None and error.startswith(INTERNAL):
            report.problems.append(Problem(
                "build_tools/handouts", None, "internal-error",
                f"{error} while making {handout_name(variant)}",
                "this is a fault of the build tool or WeasyPrint, not of the content: report it"))
            continue
        if pdf is None:
            report.problems.append(Problem(
                variant.source, None, "handout-failed",
                f"the PDF handout {handout_name(variant)} could not be made: {error}",
                "check templates/handout.html.j2 and templates/handout.css"))
            continue
        write_whole(store / f"{key}.pdf", pdf)  # a build cut short never leaves half a PDF


def _render_all(jobs: list[tuple[str, str]]) -> list[tuple[bytes | None, str]]:
    # fork only while this process has not loaded WeasyPrint: a forked child must not inherit
    # Pango's and fontconfig's state (make serve renders a few handouts in-process first).
    # nor while other threads run (make serve): a forked child could inherit their locks held
    if (len(jobs) < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or "weasyprint" in sys.modules
            or threading.active_count() > 1):
        return [_render_one(job) for job in jobs]
    with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
        pending = pool.map_async(_render_one, jobs, chunksize=4)
        try:
            return pending.get(timeout=RENDER_TIMEOUT * len(jobs))
        except multiprocessing.TimeoutError:
            return [(None, f"{INTERNAL}: the handouts took longer than "
                           f"{RENDER_TIMEOUT * len(jobs):.0f} s")] * len(jobs)


def _render_one(job: tuple[str, str]) -> tuple[bytes | None, str]:
    """A PDF, or why not: one broken handout is reported with the others, not as a traceback."""
    try:
        return render_pdf(*job), ""
    except HandoutError as exc:  # what the content or the handout's template made impossible
        return None, str(exc)
    except Exception as exc:  # anything else is a fault of this tool or of WeasyPrint
        return None, f"{INTERNAL}: {type(exc).__name__}: {exc}"
