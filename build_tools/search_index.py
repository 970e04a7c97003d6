"""Stage 5, publish (continued): the Pagefind search index of the finished site.

Material's own search sends every reader one index of the whole site (15 MB at 1,500 pages) before
the first result. Pagefind splits its index into chunks by word, so one query downloads a few
hundred kilobytes. It indexes the text theme templates mark with data-pagefind-body, with the
page's audience as a filter (templates/theme/partials/content.html), and is served by the site
itself like every other file. The index runs as a separate process, beside the HTML check.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .problems import Problem

BUNDLE = "pagefind"
# Repeated on every page, or about the page rather than its subject: a search for "emergency"
# or "review" should not list every page.
NOT_INDEXED = ("#edu-disclaimer", "#edu-audience-switch", "#edu-review", ".headerlink",
               ".edu-cites")
# Pagefind's ready-made interfaces; the site uses its own (templates/theme/assets/edu-search.js)
UNUSED = ("pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*",
          "pagefind-highlight.js")


def start_index(site_dir: Path, language: str = "en") -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir),
               "--output-subdir", BUNDLE, "--force-language", language, "--silent"]
    for selector in NOT_INDEXED:
        command += ["--exclude-selectors", selector]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish_index(indexer: subprocess.Popen[str], site_dir: Path) -> list[Problem]:
    output, _ = indexer.communicate()
    if indexer.returncode == 0 and (site_dir / BUNDLE / "pagefind.js").is_file():
        for pattern in UNUSED:
            for path in (site_dir / BUNDLE).glob(pattern):
                path.unlink()
        return []
    return [Problem(f"site/{BUNDLE}", None, "search-index",
                    f"Pagefind could not index the site (exit {indexer.returncode}): "
                    f"{output.strip()[-500:]}",
                    "run `python -m pagefind --site site` to see the whole message")]
