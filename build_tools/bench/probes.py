"""What the benchmark measures besides stage times: memory of a build, bytes a search downloads,
and how long the preview takes to show a saved fact. See bench.py."""
from __future__ import annotations

import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..site.local_server import served

CHROMIUM = "/usr/bin/chromium"
SEARCH_FILES = ("/pagefind/", "/assets/edu-search")  # edu-search.js and its modules


class MemoryWatch:
    """Peak memory of a process and everything it starts, sampled from /proc.

    Proportional set size (PSS) splits pages that forked processes share, so the sum is what
    the build really occupies; resource.getrusage only knows the largest single process."""

    def __init__(self, pid: int, every: float = 0.5) -> None:
        # reading smaps_rollup walks a process's page tables: every 0.1 s took a fifth of a
        # core from the build it measured; every 0.5 s still sees a peak that lasts seconds
        self.pid, self.every, self.peak_kb = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in _tree(self.pid)))

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak_kb


def _tree(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue  # the process ended while we looked
    found, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def search_bytes(site: Path, page: str, query: str, audience: str) -> tuple[int, list[str]]:
    """Bytes of search files Chromium downloads to show the results of one query.

    The reader has chosen an audience, so their own results come first: the costlier path,
    since it also loads the audience filter. Bytes are as served, uncompressed."""
    from playwright.sync_api import sync_playwright

    with served(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        tab = browser.new_page()
        fetched: list[tuple[str, int]] = []
        tab.on("requestfinished", lambda request: fetched.append(  # type: ignore[call-overload]
            (request.url, len(request.response().body()))))
        tab.goto(url + page)
        tab.evaluate(f"localStorage.setItem('edu-audience', {audience!r})")
        tab.keyboard.press("/")
        tab.keyboard.type(query)
        tab.locator(".md-search-result__item a").first.wait_for(timeout=30_000)
        tab.wait_for_load_state("networkidle")
        browser.close()
    files = [(u, n) for u, n in fetched if any(part in u for part in SEARCH_FILES)]
    return sum(n for _, n in files), [f"{u.rsplit('/', 1)[-1]} {n / 1024:.1f} KB" for u, n in files]


def wait_for(url: str, wanted: Callable[[str], bool], timeout: float) -> float:
    """Seconds until the page at url satisfies wanted (polled every 10 ms)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                if wanted(response.read().decode("utf-8", "replace")):
                    return time.perf_counter() - start
        except OSError:
            pass  # the server is not up yet, or is rebuilding
        time.sleep(0.01)
    raise TimeoutError(f"{url} did not show the change within {timeout} s")


@contextmanager
def preview_server(root: Path, port: int, log: Path) -> Iterator[str]:
    """`python -m build_tools serve` in root, as `make serve` runs it, until the block ends."""
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "build_tools", "serve", "--port", str(port)],
            cwd=root, stdout=out, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_for(url + "/", lambda _: True, timeout=900)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=30)
