"""Shared fixtures: a copy of the example project in a temp folder, and builds of it."""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest
from lxml import html as lxml_html

REPO = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("content", "audiences", "templates", "site_config", "build_tools", "mkdocs.yml")


def copy_project(dest: Path) -> Path:
    """The example project as a new editor would have it, without builds or caches."""
    from projects import copy_parts

    return copy_parts(dest, PROJECT_PARTS)


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def run_cli(root: Path, *args: str, env: dict[str, str] | None = None,
            fresh_handouts: bool = False) -> Run:
    """The real command an editor runs (`python -m build_tools ...`) inside the project.

    A project's first build finds the handout PDFs earlier tests made (see lend_handouts),
    unless the test is about making them (fresh_handouts)."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("SOURCE_DATE_EPOCH", None) if env is None or "SOURCE_DATE_EPOCH" not in env else None
    building = bool(args) and args[0] == "build"
    if building and not fresh_handouts:
        lend_handouts(root)
    proc = subprocess.run([sys.executable, "-m", "build_tools", *args], cwd=root,
                          capture_output=True, text=True, env=full_env, timeout=600)
    if building:
        keep_handouts(root)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def run_in_process(root: Path, *args: str) -> Run:
    """The same command through build_tools.cli.main in this process: what run_cli does but
    for Python's start-up and imports, for the many short builds that stop at a fault."""
    import contextlib
    import io

    from build_tools.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(root), *args])
    return Run(code, out.getvalue(), err.getvalue())


# WeasyPrint takes about half a second a handout, most of a small build's time. The PDFs are
# named by a hash of everything they are made from (build_tools/handouts/handout_cache.py), so
# one made by an earlier test for the same content is the PDF this build would make.
HANDOUT_STORE: list[Path] = []  # this test session's store, set by the fixture below


@pytest.fixture(scope="session", autouse=True)
def handout_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store for the run; with pytest-xdist, in the folder its workers' folders share."""
    store = run_folder(tmp_path_factory) / "handout-store"
    store.mkdir(exist_ok=True)
    HANDOUT_STORE[:] = [store]
    return store


def lend_handouts(root: Path) -> None:
    """Before a project's first build: hard links to the PDFs of earlier tests' builds."""
    own = root / "build" / "handouts"
    if not HANDOUT_STORE or (root / "build").exists():
        return
    own.mkdir(parents=True)
    for pdf in HANDOUT_STORE[0].glob("*.pdf"):
        os.link(pdf, own / pdf.name)


def keep_handouts(root: Path) -> None:
    for pdf in (root / "build" / "handouts").glob("*.pdf"):
        if HANDOUT_STORE and not (HANDOUT_STORE[0] / pdf.name).exists():
            try:
                os.link(pdf, HANDOUT_STORE[0] / pdf.name)
            except FileExistsError:  # another worker kept the same PDF just now
                pass


def newest_change(topic: str = "vertebroplasty", iso: bool = False) -> str:
    """The date readers see as "Last updated": the newest entry of the topic's change log."""
    import yaml

    from babel.dates import format_date

    from projects import english_words
    changes = yaml.safe_load((REPO / "content" / "topics" / topic / "topic.yml").read_text(
        encoding="utf-8"))["changes"]
    newest = max(change["date"] for change in changes)
    return newest.isoformat() if iso else format_date(newest, english_words().dates.long,
                                                      locale="en")


def parse(path: Path) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(path.read_bytes())


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current output instead of comparing")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def make_project(tmp_path: Path):
    """Writes a project from the given files (tests/projects.py), as tempdir(files=...) does."""
    from projects import write_project

    made = iter(range(1_000))

    def make(files: dict[str, str]) -> Path:
        return write_project(tmp_path / f"project{next(made)}", files)
    return make


@pytest.fixture
def two_topic_project(make_project) -> Path:
    """Two topics of one category that both show one shared fact."""
    from projects import two_topics_sharing_a_fact

    return make_project(two_topics_sharing_a_fact())


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project built once with `build` for the whole run, pytest-xdist's workers
    included (the first to come builds it, the others wait); tests only read it."""
    import fcntl

    shared = run_folder(tmp_path_factory)
    with (shared / "example.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        root = shared / "example" / "project"
        if not (root / "site" / "index.html").is_file():
            shutil.rmtree(root.parent, ignore_errors=True)  # a build that failed earlier
            copy_project(root)
            result = run_cli(root, "build")
            assert result.code == 0, result.text
    return root / "site"


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for this test run; with pytest-xdist, the one its workers' folders share."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """The built example site served on 127.0.0.1 (a free port), as a reader's browser sees it."""
    from build_tools.site.local_server import served

    with served(built_site) as url:
        yield url


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; never a downloaded browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextlib.contextmanager
def local_only(browser) -> Iterator[Any]:
    """A fresh browser page that fails the test if anything leaves 127.0.0.1."""
    context = browser.new_context()
    outside: list[str] = []

    def guard(route) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    yield context.new_page()
    context.close()
    assert not outside, f"requests left 127.0.0.1: {outside}"


@pytest.fixture
def page(browser, site_url: str):
    with local_only(browser) as tab:
        yield tab


ARTIFACTS = REPO / "test-artifacts"
