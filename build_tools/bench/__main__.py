"""`make bench TOPICS=N`: how the generator scales, measured on a synthetic library.

1. N synthetic topics x every audience are written to a scratch folder (never into content/).
2. Cold build (`python -m build_tools build`): every cache empty, handouts included; the
   handouts' time is reported on its own line.
3. Clean build: our caches of rendered variants and page HTML emptied, the handout PDFs kept.
4. Bare build: plain MkDocs + Material (no hooks, no theme overrides, same navigation and
   Markdown extensions) of the same Markdown tree, for comparison: ratio = clean / bare.
5. One fact is edited and the site built again: the build the figures report. Only the pages,
   variants and handouts whose inputs changed are made again; the search index is rebuilt.
6. Sizes: the largest topic page's HTML, and the bytes Chromium downloads to show one query.
7. Preview: `python -m build_tools serve` runs as `make serve` does; a new figure is saved into
   one fact and the time is taken until the preview server returns the page showing it (file
   watcher, core, the engine build of the changed pages, checks). The browser's livereload reload adds one
   local page load. Median of three saves (--saves).

Memory is the peak summed proportional set size of the build and the processes it starts.
The last line reads:
bench: PAGES pages, build S s, clean S s, bare S s, ratio R, page K KB, search K KB, preview S s, memory M MB
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import yaml
from dataclasses import dataclass
from pathlib import Path

from ..core.pipeline import generate
from ..site.engine import EngineOrder, finish_engine, run_engine
from .probes import MemoryWatch, preview_server, search_bytes, wait_for
from .synthetic import SyntheticTopic, edit_fact, topic_for, write_library

PROJECT = Path(__file__).resolve().parents[2]
CORE = ("load", "validate", "render", "check", "pages")
STAGES = CORE + ("write tree", "site engine", "site files", "html check", "trim css",
                 "search index", "handouts", "swap")
PREVIEW_SAVES = 3
BUILD_TIMEOUT = 3600


@dataclass
class Build:
    seconds: float
    stages: dict[str, float]
    memory_kb: int

    def core(self) -> float:
        return sum(self.stages.get(name, 0.0) for name in CORE)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="edu-bench-"))
    root = write_library(scratch / "library", args.topics, PROJECT, args.spanish)
    print(f"bench: {args.topics} synthetic topics in {root}"
          + (f", every {args.spanish}th with a Spanish patient page" if args.spanish else ""))
    cold = build(root, "cold")
    report_build("cold build (empty caches)", cold)
    print(f"handouts (cold): {len(list((root / 'site' / 'handouts').glob('*.pdf')))} PDFs in "
          f"{cold.stages.get('handouts', 0.0):.1f} s")
    for cache in ("variants", "html"):  # the build's own caches; the handout PDFs stay
        shutil.rmtree(root / "build" / "site" / cache)
    clean = build(root, "clean")
    report_build("clean build (empty caches but the handouts')", clean)
    bare = bare_seconds(root, scratch / "bare")
    ratio = clean.seconds / bare
    print(f"bare MkDocs + Material build of the same Markdown tree: {bare:.1f} s; "
          f"ratio clean / bare {ratio:.2f}")
    edited = topic_for(1, args.topics)
    edit_fact(root, edited, 51.5)
    full = build(root, "full")
    report_build("full build after editing one fact", full)
    site = root / "site"
    pages = topic_pages(site)
    largest = max(p.stat().st_size for p in pages)
    mean = sum(p.stat().st_size for p in pages) / len(pages)
    print(f"topic pages: {len(pages)}, HTML mean {mean / 1024:.1f} KB, largest {largest / 1024:.1f} KB")
    print(f"site: {_megabytes(site):.0f} MB, search bundle {_megabytes(site / 'pagefind'):.1f} MB")
    searched, files = search_bytes(site, f"/patient/{edited.key}/", args.query, "patient")
    print(f"search for {args.query!r}: {searched / 1024:.0f} KB in {len(files)} files: "
          + ", ".join(files))
    preview = preview_seconds(root, edited, scratch / "serve.log", args.saves)
    print(f"memory (peak, summed over the build's processes): full build "
          f"{full.memory_kb / 1024:.0f} MB, cold build {cold.memory_kb / 1024:.0f} MB; largest "
          f"single process {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB")
    print(f"bench: {len(pages)} pages, build {full.seconds:.1f} s, clean {clean.seconds:.1f} s, "
          f"bare {bare:.1f} s, ratio {ratio:.2f}, page {largest / 1024:.0f} KB, "
          f"search {searched / 1024:.0f} KB, preview {preview:.2f} s, "
          f"memory {full.memory_kb / 1024:.0f} MB")
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m build_tools.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--topics", type=int, default=500, help="synthetic topics (default 500)")
    parser.add_argument("--spanish", type=int, default=0, metavar="N",
                        help="every N-th topic also has a Spanish patient page (default: none)")
    parser.add_argument("--query", default="pain", help="the word searched for (default: pain)")
    parser.add_argument("--saves", type=int, default=PREVIEW_SAVES,
                        help=f"saves timed in the preview; the median is reported "
                             f"(default {PREVIEW_SAVES})")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    return parser


def build(root: Path, label: str) -> Build:
    timings = root.parent / f"timings-{label}.json"
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "build_tools", "build", "--timings",
                                str(timings)], cwd=root, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    watch = MemoryWatch(process.pid)
    output, _ = process.communicate(timeout=BUILD_TIMEOUT)
    seconds = time.perf_counter() - start
    memory = watch.stop()
    if process.returncode != 0:
        raise SystemExit(f"bench: the {label} build failed; the library is in {root}\n"
                         f"{output[-4000:]}")
    return Build(seconds, json.loads(timings.read_text(encoding="utf-8")), memory)


def bare_seconds(root: Path, work: Path) -> float:
    """Plain MkDocs + Material, one process, over the Markdown tree our build wrote: our
    mkdocs.yml (theme features, Markdown extensions) without the hooks, theme overrides and
    our stylesheets and scripts."""
    work.mkdir(parents=True)
    config = work / "mkdocs.yml"
    settings = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    for key in ("hooks", "extra_css", "extra_javascript", "watch"):
        settings.pop(key, None)
    settings["theme"].pop("custom_dir", None)
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    nav = generate(root).nav  # the site build's navigation, from its caches (not timed)
    order = EngineOrder(engine="mkdocs", config_file=str(config),
                        docs_dir=str(root / "build" / "site" / "docs"), site_dir=str(work / "site"),
                        nav=nav, site_name="bare", site_url="", epoch=0)
    start = time.perf_counter()
    result = finish_engine(run_engine(order, work / "order.json", BUILD_TIMEOUT))
    seconds = time.perf_counter() - start
    if not result.ok:
        raise SystemExit(f"bench: the bare build failed:\n{result.output[-4000:]}")
    return seconds


def report_build(title: str, result: Build) -> None:
    print(f"{title}: {result.seconds:.1f} s")
    for name in STAGES:
        print(f"  {name:<14}{result.stages.get(name, 0.0):7.2f} s")
    other = result.seconds - sum(result.stages.values())
    print(f"  {'other':<14}{other:7.2f} s  (Python start-up, loading MkDocs and the theme)")
    print(f"  generator's own stages ({', '.join(CORE)}): {result.core():.2f} s, "
          f"{100 * result.core() / result.seconds:.0f}% of the build")


def topic_pages(site: Path) -> list[Path]:
    return sorted(site.glob("*/syn_*/index.html"))


def preview_seconds(root: Path, topic: SyntheticTopic, log: Path, saves: int) -> float:
    """Median seconds from saving a new figure to the preview server showing it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    times = []
    with preview_server(root, port, log) as url:
        for n in range(saves):
            time.sleep(2)  # let the watcher settle after the previous rebuild
            started = time.perf_counter()
            shown = edit_fact(root, topic, 60.5 + n)
            wait_for(f"{url}/physician/{topic.key}/", lambda html: shown in html, timeout=60)
            times.append(time.perf_counter() - started)
    print("preview: " + ", ".join(f"{t:.2f} s" for t in times) + f" (server log: {log})")
    return statistics.median(times)


def _megabytes(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024 / 1024


if __name__ == "__main__":
    sys.exit(main())
