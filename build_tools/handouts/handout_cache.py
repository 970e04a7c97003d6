"""Publish, print (continued): every handout of a build, rendered only when its inputs changed.

WeasyPrint takes about half a second a handout, far longer than the rest of a topic's build.
A handout's bytes follow from its HTML (which carries the topic, its facts and references, the
audience's prose and disclaimer, the site settings and the creation date), the stylesheet, the
printing code and WeasyPrint's version. A hash of these (site.keys) names the cached PDF in
build/handouts/, outside the site; the PDFs are named by content, so `make site` and
`make serve` share them, each with its own index of what it uses, and a build copies it instead of rendering again.

A stored PDF's name also records the sha256 of its bytes (<key>-<sha256>.pdf): a PDF is
checked against it before it is placed, and one that does not match is reported, made again
and never published. The site gets copies (records.write_whole), never links into the store,
and the store only ever gets whole files by rename, so nothing the preview writes reaches site/.
"""
from __future__ import annotations

import fcntl
import multiprocessing
import os
import re
import threading
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from .handout import HandoutError, HandoutPrinter, handout_name, render_pdf
from ..core.base.faults import ToolFault
from ..core.pipeline import Mode, Result, banners
from ..core.base.model import Library
from ..core.base.problems import Problem, errors
from ..core.base.records import damaged_problem, read_record, sha256, write_record, write_whole
from ..core.base.variant import Variant
from ..core.render.render import template_problem
from ..site.keys import handout_input_key, handout_key, handout_shared_key

INTERNAL = "internal error: "  # what starts the reason of a PDF the tool failed to make
RENDER_TIMEOUT = 120.0  # seconds a handout may take; one takes about half a second
NICENESS = 10  # the preview's PDF processes: below the build of the next save
PARALLEL_FROM = 8  # fewer misses than this render faster than worker processes start
STORED = re.compile(r"([0-9a-f]{64})-([0-9a-f]{64})\.pdf")  # <key>-<sha256 of the bytes>.pdf
OURS = re.compile(r"[0-9a-f]{64}(-[0-9a-f]{64})?\.pdf")  # what this tool has stored, any version
PARTIAL = re.compile(r"\.([0-9a-f-]+\.pdf)\.(\d+)")  # records.write_whole's temporary name


@dataclass
class HandoutReport:
    """What a build did with its handouts: rendered anew, or copied from the cache."""

    rendered: int = 0
    cached: int = 0
    problems: list[Problem] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)  # the tool's or WeasyPrint's, not the content's

    def __str__(self) -> str:
        return f"handouts: {self.rendered} rendered, {self.cached} from cache"


def stored_pdfs(store: Path) -> dict[str, Path]:
    """key -> the stored PDF, whose name records the hash of its bytes."""
    try:
        names = sorted(os.listdir(store))
    except FileNotFoundError:
        return {}
    return {match.group(1): store / name for name in names if (match := STORED.fullmatch(name))}


def store_pdf(store: Path, key: str, pdf: bytes) -> None:
    write_whole(store / f"{key}-{sha256(pdf)}.pdf", pdf)  # a build cut short never leaves half


def intact(path: Path) -> bytes | None:
    """The stored PDF's bytes when they match the hash in its name, else None."""
    match = STORED.fullmatch(path.name)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    return data if match and sha256(data) == match.group(2) else None


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
    root: Path = Path(".")


def plan_handouts(root: Path, result: Result, epoch: int, mode: Mode, store: Path,
                  edition: str = "") -> HandoutPlan:
    """Every shown topic x audience: its PDF's key, and whether the store has it. edition: a
    translated edition's language, whose handouts go below its folder of the site."""
    assert result.library is not None
    left_out = {t.key for t in result.left_out}
    shown = [t for t in sorted(result.library.topics.values(), key=lambda t: t.key)
             if t.key not in left_out]
    printer = HandoutPrinter(root, result.library, banners(result.library, shown, result.reviews),
                             epoch, result.reviews)
    # each mode's and edition's own: they never undo each other's
    index = store / f"inputs-{mode}{'-' + edition if edition else ''}.json"
    plan = HandoutPlan(store, index, printer,
                       [v for v in result.variants if v.topic.key not in left_out], root=root)
    known = read_record(index, {})
    stored = stored_pdfs(store)
    shared = handout_shared_key(root, result.library, printer.created,
                                result.memory.inputs.handout)
    plan.inputs = [handout_input_key(shared, v, printer.banners.get(v.topic.key, ""),
                                     printer.reviews[v.topic.key]) for v in plan.variants]
    try:
        pages = [(variant, None if known.get(key) in stored else printer.html(variant))
                 for variant, key in zip(plan.variants, plan.inputs)]
    except TemplateError as exc:
        plan.problems.append(template_problem(exc, root, "handout-template"))
        return plan
    made_with = result.memory.inputs.handout
    plan.keys = [known[key] if html is None else handout_key(html, printer.css, made_with)
                 for key, (_, html) in zip(plan.inputs, pages)]
    plan.missing = {key: (variant, html) for key, (variant, html) in zip(plan.keys, pages)
                    if html is not None and key not in stored}
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
    """Every planned handout as site_dir/handouts/<topic>-<audience>.pdf: a copy of the stored
    PDF, checked against its recorded hash."""
    report = HandoutReport(problems=list(plan.problems))
    if plan.problems:
        stop_early(plan)
        return report
    stop_early(plan, RENDER_TIMEOUT * len(plan.missing))
    with _store_lock(plan.store):  # `make site` and the preview share the store
        _check_store(plan, report)
        _render_missing(plan, report)
        if report.faults:  # the PDFs that were made stay in the store; none is published
            raise ToolFault(f"{len(report.faults)} PDF handout(s) could not be made: WeasyPrint "
                            "or the build tool failed", "\n\n".join(report.faults))
        write_record(plan.index, dict(zip(plan.inputs, plan.keys)))
        stored = stored_pdfs(plan.store)
        report.rendered = sum(key in stored for key in plan.missing)
        report.cached = len(plan.keys) - len(plan.missing)  # a PDF that failed is neither
        if not errors(report.problems):
            _place_all(plan, stored, site_dir, report)
            others = [read_record(path, {}) for path in plan.store.glob("inputs-*.json")
                      if path != plan.index]
            # PDFs of handouts that no longer exist or have changed: the cache stays small
            _forget_all_but(plan.store, set(plan.keys).union(*(set(o.values()) for o in others)))
    return report


@contextmanager
def _store_lock(store: Path) -> Iterator[None]:
    """One build at a time checks, prunes and places from the store; saying so if it waits."""
    store.mkdir(parents=True, exist_ok=True)
    with (store / ".lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"handouts: waiting for another build of this project to finish with "
                  f"{store.name}/", file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _check_store(plan: HandoutPlan, report: HandoutReport) -> None:
    """Each stored PDF the build will place, against the hash in its name: a damaged one is
    reported, removed (the store is this tool's) and made again with the missing ones."""
    assert plan.printer is not None
    stored = stored_pdfs(plan.store)
    for key, variant in zip(plan.keys, plan.variants):
        if key in plan.missing:
            continue
        path = stored.get(key)
        if path is not None and intact(path) is not None:
            continue
        if path is not None:
            report.problems.append(damaged_problem(path, plan.root))
            path.unlink(missing_ok=True)
        try:
            plan.missing[key] = (variant, plan.printer.html(variant))
        except TemplateError as exc:
            report.problems.append(template_problem(exc, plan.root, "handout-template"))


def _place_all(plan: HandoutPlan, stored: dict[str, Path], site_dir: Path,
               report: HandoutReport) -> None:
    """Copies of the checked PDFs (a temporary name, then a rename): the site shares no file
    with the store, so nothing written to the store later changes a published handout."""
    for key, variant in zip(plan.keys, plan.variants):
        data = intact(stored[key]) if key in stored else None
        if data is None:  # changed since it was checked or made: never published
            report.problems.append(damaged_problem(stored.get(key, plan.store / f"{key}.pdf"),
                                                   plan.root, made_again=False))
            continue
        write_whole(site_dir / "handouts" / handout_name(variant), data)


def _forget_all_but(store: Path, keys: set[str]) -> None:
    """Remove the stored PDFs whose key is not in keys, those of older versions of this tool,
    and the temporary files of processes that were killed while writing one."""
    for name in os.listdir(store):
        match, partial = STORED.fullmatch(name), PARTIAL.fullmatch(name)
        if (match and match.group(1) not in keys) or (OURS.fullmatch(name) and not match):
            (store / name).unlink(missing_ok=True)
        elif partial and OURS.fullmatch(partial.group(1)) and not _running(int(partial.group(2))):
            (store / name).unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, as another user's
        return True
    return True


def _render_missing(plan: HandoutPlan, report: HandoutReport) -> None:
    """Make the planned PDFs the store still lacks (an early child may have made some). The
    content's failures become problems, the tool's are kept in report.faults: raised by
    publish_handouts, and left unsaid by the early child, whose report nobody reads (the
    build makes what it could not again, and fails there)."""
    assert plan.printer is not None
    store = plan.store
    stored = stored_pdfs(store)
    missing = {key: job for key, job in plan.missing.items() if key not in stored}
    jobs = [(html, plan.printer.css) for _, html in missing.values()]
    for (key, (variant, _)), (pdf, error) in zip(missing.items(), _render_all(jobs)):
        if pdf is None and error.startswith(INTERNAL):
            report.faults.append(f"{handout_name(variant)}: {error.removeprefix(INTERNAL)}")
            continue
        if pdf is None:
            report.problems.append(Problem(
                variant.source, None, "handout-failed",
                f"the PDF handout {handout_name(variant)} could not be made: {error}",
                "check templates/handout.html.j2 and templates/handout.css"))
            continue
        store_pdf(store, key, pdf)


def _render_all(jobs: list[tuple[str, str]]) -> list[tuple[bytes | None, str]]:
    if threading.active_count() > 1 and jobs:
        # make serve, whose next save is being built by another thread: the PDFs are made by
        # processes of their own, at a lower priority, started clean (forkserver): a forked
        # child could inherit the other threads' locks held
        return _pool(multiprocessing.get_context("forkserver"), jobs, NICENESS)
    # fork only while this process has not loaded WeasyPrint: a forked child must not inherit
    # Pango's and fontconfig's state (a build that rendered a few handouts in-process before)
    if len(jobs) < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or "weasyprint" in sys.modules:
        return [_render_one(job) for job in jobs]
    return _pool(multiprocessing.get_context("fork"), jobs, 0)


def _pool(context: Any, jobs: list[tuple[str, str]], niceness: int
          ) -> list[tuple[bytes | None, str]]:
    with context.Pool(min(os.cpu_count() or 1, len(jobs)), initializer=os.nice,
                      initargs=(niceness,)) as pool:
        pending = pool.map_async(_render_one, jobs, chunksize=4)
        try:
            return list(pending.get(timeout=RENDER_TIMEOUT * len(jobs)))
        except multiprocessing.TimeoutError:
            return [(None, f"{INTERNAL}the handouts took longer than "
                           f"{RENDER_TIMEOUT * len(jobs):.0f} s")] * len(jobs)


def _render_one(job: tuple[str, str]) -> tuple[bytes | None, str]:
    """A PDF, or why not: one broken handout is reported with the others, not as a traceback."""
    try:
        return render_pdf(*job), ""
    except HandoutError as exc:  # what the content or the handout's template made impossible
        return None, str(exc)
    except Exception:  # anything else is a fault of this tool or of WeasyPrint
        return None, INTERNAL + traceback.format_exc()
