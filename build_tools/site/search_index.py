"""Stage 5, publish (continued): the Pagefind search index of the finished site.

Material's own search sends every reader one index of the whole site (15 MB at 1,500 pages) before
the first result. Pagefind splits its index into chunks by word, so one query downloads a few
hundred kilobytes. It indexes the text theme templates mark with data-pagefind-body
(templates/theme/partials/content.html), and is served by the site itself like every other file.

There is one index per audience, plus one for pages written for everyone (glossary, policies):
the browser merges them and filters by index (templates/theme/assets/edu-search.js). Pagefind's
own filters would do the same in one index, but it writes them in a different order on every
run, and the same inputs must give the same site, byte for byte. The indexes are built by
separate processes, beside the HTML check.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ..core.base.faults import ToolFault
from ..core.base.problems import Problem
from .outputs import Job, Output
from .search_words import write_word_list

BUNDLE = "pagefind"
EVERYONE = "general"
# Repeated on every page, or about the page rather than its subject: a search for "emergency"
# or "review" should not list every page, nor show "not yet checked" in the warning signs'
# excerpts (the signs' marks and their note, core/render/warning_render.py).
NOT_INDEXED = ("#edu-disclaimer", "#edu-audience-switch", "#edu-review", ".headerlink",
               ".edu-cites", "#edu-references", ".edu-banner", ".edu-unverified",
               ".edu-sign-unverified", "#edu-sign-note")
# Pagefind's ready-made interfaces; the site uses its own (templates/theme/assets/edu-search.js)
UNUSED = ("pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*",
          "pagefind-highlight.js")
Indexers = dict[str, subprocess.Popen[str]]
INDEX_TIMEOUT = 900.0  # seconds; 1,500 pages take about 6


def start_index(site_dir: Path, audiences: list[str], language: str = "en") -> Indexers:
    """Index topic pages per audience (<audience>/<topic>/), and top-level pages for everyone;
    pages without data-pagefind-body (home, the audience lists) are skipped by Pagefind."""
    pages = {audience: f"{audience}/*/index.html" for audience in audiences}
    pages[EVERYONE] = "*/index.html"
    return {name: _pagefind(site_dir, glob, f"{BUNDLE}/{name}", language)
            for name, glob in pages.items() if any(site_dir.glob(glob))}  # none: no index


def _pagefind(site_dir: Path, glob: str, bundle: str, language: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--glob", glob,
               "--output-subdir", bundle, "--force-language", language, "--silent"]
    for selector in NOT_INDEXED:
        command += ["--exclude-selectors", selector]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish_index(indexers: Indexers, site_dir: Path, words_cache: Path | None = None
                 ) -> list[str]:
    """Wait for the indexes; list them in pagefind/bundles.json for the browser to merge.
    The "did you mean" word list is made meanwhile, from the same text (search_words.py).
    Returns what Pagefind said of each index it could not make: the pages it reads have
    passed the HTML check, so that is a fault of the tool's, for the caller to raise."""
    write_word_list(site_dir, BUNDLE, NOT_INDEXED, words_cache)
    failed, built = [], []
    for name, indexer in indexers.items():
        try:
            output, _ = indexer.communicate(timeout=INDEX_TIMEOUT)
        except subprocess.TimeoutExpired:
            indexer.kill()
            output = f"{indexer.communicate()[0]}\nstopped after {INDEX_TIMEOUT:.0f} s"
        bundle = site_dir / BUNDLE / name
        if indexer.returncode == 0 and (bundle / "pagefind.js").is_file():
            for pattern in UNUSED:
                for path in bundle.glob(pattern):
                    path.unlink()
            built.append(name)
            continue
        failed.append(f"the {name!r} index (exit {indexer.returncode}): "
                      f"{output.strip()[-1000:]}")
    (site_dir / BUNDLE).mkdir(parents=True, exist_ok=True)
    (site_dir / BUNDLE / "bundles.json").write_text(json.dumps(sorted(built)), encoding="utf-8")
    return failed


class SearchIndex(Output):
    """The site's search: indexed from the pages as published, after the other outputs."""

    name = "search index"
    folders = (BUNDLE,)

    def __init__(self) -> None:
        self.running: Indexers = {}

    def publish(self, job: Job, site: Path) -> list[Problem]:
        """The site's indexes, and each translated edition's below its folder (es/pagefind/),
        in its own language: a Spanish query searches Spanish pages, with Spanish stemming and
        its own "did you mean" words."""
        editions = {"": job.library, **{language: edition.library for language, edition
                                        in sorted(job.result.editions.items())}}
        unindexed: list[str] = []
        with job.timing.stage(self.name):
            started = {language: start_index(site / language, sorted(library.audiences),
                                             library.site.settings.language)
                       for language, library in editions.items()}
            self.running = {f"{language}/{name}": indexer for language, found in started.items()
                            for name, indexer in found.items()}
            try:
                for language, indexers in started.items():
                    cache = job.state / f"search-words{'-' + language if language else ''}.json"
                    unindexed += finish_index(indexers, site / language, cache)
            finally:
                self.close()
        if unindexed:  # the pages it reads have passed the HTML check: not the content's fault
            raise ToolFault("Pagefind could not index the site (`python -m pagefind --site site` "
                            "shows its whole message)", "\n\n".join(unindexed))
        return []

    def close(self) -> None:
        """No indexer may go on writing into a folder being removed or served."""
        for indexer in self.running.values():
            if indexer.poll() is None:
                indexer.kill()
                indexer.wait()
        self.running = {}
