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
from ..core.records import read_record, write_record
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


def publish_handouts(root: Path, result: Result, site_dir: Path, epoch: int,
                     mode: Mode, store: Path) -> HandoutReport:
    """Every shown topic x audience as site_dir/handouts/<topic>-<audience>.pdf."""
    assert result.library is not None
    left_out = {t.key for t in result.left_out}
    shown = [t for t in sorted(result.library.topics.values(), key=lambda t: t.key)
             if t.key not in left_out]
    printer = HandoutPrinter(root, result.library, banners(result.library, shown, result.reviews),
                             epoch, result.reviews)
    report = HandoutReport()
    variants = [v for v in result.variants if v.topic.key not in left_out]
    index = store / f"inputs-{mode}.json"  # each mode's own: they never undo each other's
    known = read_record(index, {})
    shared = library_inputs(root, result.library, printer)
    inputs = [input_key(shared, printer, v) for v in variants]
    try:
        pages = [(variant, None if _cached(store, known.get(key)) else printer.html(variant))
                 for variant, key in zip(variants, inputs)]
    except TemplateError as exc:
        report.problems.append(template_problem(exc, root, "handout-template"))
        return report
    keys = [known[key] if html is None else handout_key(html, printer.css)
            for key, (_, html) in zip(inputs, pages)]
    missing = {key: (variant, html) for key, (variant, html) in zip(keys, pages)
               if html is not None and not (store / f"{key}.pdf").exists()}
    _render_missing(printer, missing, store, report)
    write_record(index, dict(zip(inputs, keys)))
    report.cached = len(keys) - len(missing)  # a PDF that failed is neither made nor cached
    if not report.problems:
        for key, variant in zip(keys, variants):
            target = site_dir / "handouts" / handout_name(variant)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(store / f"{key}.pdf", target)
        others = [read_record(path, {}) for path in store.glob("inputs-*.json") if path != index]
        _forget_all_but(store, set(keys).union(*(set(o.values()) for o in others)))
    return report


def _render_missing(printer: HandoutPrinter, missing: dict[str, tuple[Variant, str]],
                    store: Path, report: HandoutReport) -> None:
    jobs = [(html, printer.css) for _, html in missing.values()]
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
        store.mkdir(parents=True, exist_ok=True)
        partial = store / f".{key}.{os.getpid()}"
        partial.write_bytes(pdf)
        partial.replace(store / f"{key}.pdf")  # a build cut short never leaves half a PDF
        report.rendered += 1


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


def _forget_all_but(store: Path, keys: set[str]) -> None:
    """Drop PDFs of handouts that no longer exist or have changed, so the cache stays small."""
    if store.is_dir():
        for path in store.glob("*.pdf"):
            if path.stem not in keys:
                path.unlink(missing_ok=True)
