"""The published site is what the last build checked: it shares no file with a cache or the
preview, damaged caches are rebuilt and reported, builds of one project take turns, a killed
build leaves nothing the next does not clean, and the machine's faults are named as such."""
from __future__ import annotations

import errno
import os
import pickle
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from build_tools.core.base import records
from build_tools.site import publish
from conftest import REPO, run_cli, run_in_process
from projects import base_files, topic_files, two_topics_sharing_a_fact
from test_faults import tree_digest

PROSE = Path("audiences") / "nurse" / "bracing.md"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def built(root: Path) -> Path:
    result = run_cli(root, "build")
    assert result.code == 0, result.text
    return root / "site"


def stored_pdf(root: Path) -> Path:
    return sorted((root / "build" / "handouts").glob("*-*.pdf"))[0]


def rewrite_in_place(path: Path, data: bytes) -> None:
    """What a damaged disk, an editor or a stray program does: the same file, other bytes."""
    with path.open("r+b") as handle:
        handle.write(data)
        handle.truncate()


# 1. The published site shares no file with any cache ------------------------------------


def test_a_cache_rewritten_after_a_build_leaves_the_site_unchanged(make_project) -> None:
    root = make_project(two_topics_sharing_a_fact())
    site = built(root)
    before = tree_digest(site)
    assert all(p.stat().st_nlink == 1 for p in site.rglob("*") if p.is_file())
    rewrite_in_place(root / "build" / "site" / "html" / "nurse" / "bracing" / "index.html",
                     b"<p>not what was checked</p>")
    rewrite_in_place(stored_pdf(root), b"%PDF-1.7 not what was checked")
    assert tree_digest(site) == before


# 2. Cache entries are checked against their recorded hash --------------------------------


class Planted:
    """A pickle that, if it were ever loaded, would leave a file behind."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def test_damaged_cache_entries_are_reported_made_again_and_never_published(
        make_project, tmp_path: Path) -> None:
    root = make_project(two_topics_sharing_a_fact())
    clean = tree_digest(built(root))
    page = Path("build/site/html/nurse/bracing/index.html")
    pdf = stored_pdf(root).relative_to(root)
    variant = sorted((root / "build" / "site" / "variants").glob("*.pickle"))[0].relative_to(root)
    rewrite_in_place(root / page, b"<p>not what was checked</p>")
    rewrite_in_place(root / pdf, b"%PDF-1.7 not what was checked")
    marker = tmp_path / "unpickled"
    sealed = (root / variant).read_bytes()
    head = sealed.split(b"\n", 1)[0]  # the recorded hash stays; the bytes after it change
    rewrite_in_place(root / variant, head + b"\n" + pickle.dumps(Planted(marker)))

    result = run_cli(root, "build")
    assert result.code == 0, result.text
    damage = ("warning: this cached file does not match the hash recorded when it was made; it "
              "was made again and the damaged copy was not used [cache-damaged]\n    fix: nothing "
              "to change in the content; if this comes back, check the disk and what else writes "
              "into build/")
    for path in (page, pdf, variant):
        assert f"{path.as_posix()}: {damage}" in result.err
    assert not marker.exists()  # the planted pickle was never loaded
    assert tree_digest(root / "site") == clean
    again = run_cli(root, "build")  # made again and recorded: nothing left to report
    assert again.code == 0 and "[cache-damaged]" not in again.text, again.text


def test_a_damaged_theme_file_of_the_page_cache_is_made_again(make_project) -> None:
    root = make_project(two_topics_sharing_a_fact())
    clean = tree_digest(built(root))
    html = root / "build" / "site" / "html"
    stylesheet = sorted((html / "assets" / "stylesheets").glob("*.css"))[0]
    rewrite_in_place(stylesheet, b"body { display: none }")
    result = run_cli(root, "build")
    assert result.code == 0, result.text
    assert f"{stylesheet.relative_to(root).as_posix()}: warning: " in result.err
    assert "pages: 1 built, 15 from cache" in result.out
    assert tree_digest(root / "site") == clean


# 3. Two builds of one project take turns ---------------------------------------------------


HOLD_LOCK = """
import sys
from pathlib import Path
from build_tools.site.publish import build_lock
with build_lock(Path(sys.argv[1]) / "build" / "site"):
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_a_second_build_waits_for_the_first_and_says_so(make_project) -> None:
    root = make_project(two_topics_sharing_a_fact())
    first = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(root)], cwd=REPO,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert first.stdout is not None and first.stdout.readline() == "held\n"
        second = subprocess.Popen([sys.executable, "-m", "build_tools", "build"], cwd=root,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert second.stderr is not None
        line = second.stderr.readline()  # the build's first words, before any of its work
        assert line == (f"build: waiting: process {first.pid} is using build/site.lock "
                        "(another build of this project)\n")
        assert not (root / "site").exists()
        assert first.stdin is not None
        first.stdin.close()  # the first build ends
        out, err = second.communicate(timeout=600)
    finally:
        first.kill()
        first.wait()
    assert second.returncode == 0, out + err
    assert "engine wrote no page" not in out + err
    assert (root / "site" / "nurse" / "bracing" / "index.html").is_file()


def test_a_second_preview_of_the_same_project_is_refused(make_project) -> None:
    root = make_project(two_topics_sharing_a_fact())
    with publish.build_lock(root / "build" / "serve", wait=False):
        result = run_in_process(root, "serve", "--port", str(free_port()))
    assert result.code == 75
    assert result.err == (f"error: process {os.getpid()} is using build/serve.lock (another "
                          "build of this project); stop it first, or use the preview that is "
                          "already running [build-busy]\n")


# 4. Killed builds and the swap ---------------------------------------------------------------


def a_site(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(text, encoding="utf-8")
    (folder / "nurse").mkdir(exist_ok=True)
    (folder / "nurse" / "index.html").write_text(text, encoding="utf-8")
    return folder


def test_what_a_killed_build_left_is_removed_and_nothing_else(tmp_path: Path) -> None:
    site = a_site(tmp_path / "site", "old")
    left = a_site(publish.staging_dir(site), "half built")  # the build was killed here
    foreign = a_site(tmp_path / ".site.new-1234-abcdef12", "someone else's")
    old_style = a_site(tmp_path / ".site.old", "not recorded by this tool")
    publish.clean_stale(site)
    assert not left.exists()
    assert foreign.is_dir() and old_style.is_dir()
    assert (site / "index.html").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.new-1234-abcdef12",
                                                          ".site.old", "site"]


def test_the_swap_is_one_exchange_and_the_site_is_whole_at_every_step(tmp_path: Path) -> None:
    site = a_site(tmp_path / "site", "old")
    new = a_site(publish.staging_dir(site), "new")
    seen: list[tuple[str, str]] = []

    def exchange(first: Path, second: Path) -> bool:
        seen.append(("before", (site / "nurse" / "index.html").read_text(encoding="utf-8")))
        done = publish.exchange_names(first, second)
        seen.append(("after", (site / "nurse" / "index.html").read_text(encoding="utf-8")))
        seen.append(("staging", (new / "nurse" / "index.html").read_text(encoding="utf-8")))
        return done

    publish.swap_in(new, site, exchange)
    assert seen == [("before", "old"), ("after", "new"), ("staging", "old")]
    assert not new.exists()  # the old site, removed after the exchange
    assert (site / "index.html").read_text(encoding="utf-8") == "new"
    publish.clean_stale(site)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_without_the_exchange_two_renames_still_give_the_new_site(tmp_path: Path) -> None:
    site = a_site(tmp_path / "site", "old")
    new = a_site(publish.staging_dir(site), "new")
    publish.swap_in(new, site, lambda first, second: False)
    assert (site / "nurse" / "index.html").read_text(encoding="utf-8") == "new"
    publish.clean_stale(site)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_site_moved_aside_by_a_killed_fallback_swap_comes_back(tmp_path: Path) -> None:
    site = a_site(tmp_path / "site", "old")
    staging = a_site(publish.staging_dir(site), "new")
    old = tmp_path / ".site.old-1-abcdef12"
    publish._mark(site, old.name)  # what swap_in's fallback records before its first rename
    site.rename(old)  # ... and the build is killed here
    publish.clean_stale(site)
    assert (site / "nurse" / "index.html").read_text(encoding="utf-8") == "old"
    assert not staging.exists() and not old.exists()


def test_a_build_cleans_what_a_killed_build_left(make_project) -> None:
    root = make_project(two_topics_sharing_a_fact())
    left = a_site(publish.staging_dir(root / "site"), "half built")
    foreign = a_site(root / ".site.new-99-0123abcd", "someone else's")
    built(root)
    assert not left.exists() and foreign.is_dir()
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == [foreign.name]


# 5. The build date comes from the content --------------------------------------------------


def dated_project(make_project) -> Path:
    files = {**base_files(), **topic_files("bracing", title="Does a brace help", body="""
        ## Rest first

        Rest first {{ cite("testref_a") }}.
        """)}
    return make_project(files)


def set_date(root: Path, day: str) -> None:
    topic = root / "content" / "topics" / "bracing" / "topic.yml"
    text = topic.read_text(encoding="utf-8")
    start = text.index("{date: ") + len("{date: ")
    topic.write_text(text[:start] + day + text[start + len("2025-01-01"):], encoding="utf-8")


def test_each_preview_build_is_dated_from_the_content_of_that_build(make_project) -> None:
    from build_tools.site.build import BuildOptions, build_site

    root = dated_project(make_project)
    site = root / "build" / "serve" / "site"
    options = BuildOptions(mode="preview", finish=False, in_place=True, jobs=1)
    before = os.environ.get("SOURCE_DATE_EPOCH")
    for day in ("2025-01-01", "2025-02-02", "2025-03-03"):
        set_date(root, day)
        build_site(root, site, options)
        assert f"<lastmod>{day}</lastmod>" in (site / "sitemap.xml").read_text(encoding="utf-8")
        assert os.environ.get("SOURCE_DATE_EPOCH") == before  # what the engine set is undone


# 6. `markdown DIR` refuses folders that are not its own ---------------------------------------


@pytest.mark.parametrize(("folder", "name", "what"), [
    ("site", "site", "the published site, which only the build writes"),
    ("site/nurse", "site", "the published site, which only the build writes"),
    ("build", "build", "the build's own state and caches"),
    ("build/site/docs", "build/site", "the build's own state and caches"),
    ("build/serve", "build/serve", "the preview's own state and caches"),
    ("build/handouts", "build/handouts", "the build's store of PDF handouts"),
    (".git", ".git", "git's store of the project's history"),
    (".git/refs", ".git", "git's store of the project's history"),
    (".venv", ".venv", "the project's Python environment"),
])
def test_markdown_refuses_the_folders_tools_own(make_project, folder: str, name: str,
                                                 what: str) -> None:
    root = make_project(two_topics_sharing_a_fact())
    dest = root / folder
    dest.mkdir(parents=True)
    result = run_in_process(root, "markdown", str(dest))
    assert result.code == 2
    assert result.err == (f"{dest}: error: {dest} is {name}/ or inside it: {what} "
                          "[markdown-destination]\n    fix: give a folder of its own, e.g. "
                          "build/markdown\n")
    assert list(dest.iterdir()) == []


def test_markdown_refuses_a_folder_with_files_it_did_not_write(make_project,
                                                               tmp_path: Path) -> None:
    root = make_project(two_topics_sharing_a_fact())
    dest = tmp_path / "notes"
    dest.mkdir()
    (dest / "plan.txt").write_text("mine\n", encoding="utf-8")
    result = run_in_process(root, "markdown", str(dest))
    assert result.code == 2
    assert result.err == (f"{dest}: error: {dest} is not empty and has no .edu-written.json: "
                          "this command did not write it [markdown-destination]\n    fix: give "
                          "an empty folder, or one this command wrote before, e.g. "
                          "build/markdown\n")
    assert [p.name for p in dest.iterdir()] == ["plan.txt"]


def test_markdown_writes_into_build_markdown(make_project) -> None:
    root = make_project(two_topics_sharing_a_fact())
    assert run_in_process(root, "markdown", str(root / "build" / "markdown")).code == 0
    assert run_in_process(root, "markdown", str(root / "build" / "markdown")).code == 0
    assert (root / "build" / "markdown" / "nurse" / "bracing.md").is_file()


# 7. The machine's faults are named as such ---------------------------------------------------


def failing_disk(monkeypatch: pytest.MonkeyPatch, code: int, text: str) -> None:
    """The tool's lowest write (records._write_bytes) fails as the disk would make it."""
    def refuse(path: Path, data: bytes) -> None:
        raise OSError(code, text, str(path))
    monkeypatch.setattr(records, "_write_bytes", refuse)


@pytest.mark.parametrize(("code", "text", "exit_code", "line"), [
    (errno.EROFS, "Read-only file system", 73, "error: cannot write here, the file system is "
     "read-only; build on a writable disk, or give another folder with --site-dir "
     "[cannot-write]"),
    (errno.EACCES, "Permission denied", 73, "error: permission denied; the build must read the "
     "sources and write site/ and build/: give yourself access, or build into another folder "
     "with --site-dir [no-permission]"),
    (errno.ENOSPC, "No space left on device", 74, "error: the disk is full, nothing more can be "
     "written; free some space (or remove build/) and run again [disk-full]"),
])
def test_a_disk_that_refuses_writes_is_named_in_one_line(make_project, monkeypatch,
                                                         code: int, text: str, exit_code: int,
                                                         line: str) -> None:
    root = make_project(two_topics_sharing_a_fact())
    failing_disk(monkeypatch, code, text)
    result = run_in_process(root, "build")
    assert result.code == exit_code
    assert result.err == f"{root / '.site.staging.json'}: {line}\n"
    assert not (root / "site").exists()


def test_a_port_in_use_is_named_before_anything_is_built(make_project) -> None:
    root = make_project(two_topics_sharing_a_fact())
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_in_process(root, "serve", "--port", str(port))
    assert result.code == 69
    assert result.err == (f"127.0.0.1:{port}: error: the port is already in use by another "
                          "program (perhaps another preview); stop it, or choose another port: "
                          f"python -m build_tools serve --port {port + 1} [port-in-use]\n")
    assert not (root / "build" / "serve" / "site").exists()


# 8. A preview session leaves the published site as a fresh clone would build it ---------------


def test_a_preview_session_leaves_the_site_byte_identical(make_project, tmp_path: Path) -> None:
    from build_tools.bench.probes import preview_server, wait_for
    from test_serve import pdf_text, wait_until

    files = two_topics_sharing_a_fact()
    root = make_project(files)
    published = tree_digest(built(root))
    prose = root / PROSE
    original = prose.read_text(encoding="utf-8")
    log = tmp_path / "serve.log"
    handout = root / "build" / "serve" / "site" / "handouts" / "bracing-nurse.pdf"
    with preview_server(root, free_port(), log) as url:
        page = f"{url}/nurse/bracing/"
        for text in ("Check the skin under the brace.", "Check the skin at every shift."):
            prose.write_text(original + f"\n{text}\n", encoding="utf-8")
            wait_for(page, lambda html: text in html, timeout=120)
            wait_until(lambda: handout.is_file() and text in pdf_text(handout),
                       "the preview's PDF never got the new sentence", log)
            assert tree_digest(root / "site") == published  # the preview never writes site/
        prose.write_text(original, encoding="utf-8")
        wait_for(page, lambda html: "Check the skin" not in html, timeout=120)
        wait_until(lambda: "Check the skin" not in pdf_text(handout),
                   "the preview's PDF kept the reverted sentence", log)
    assert tree_digest(root / "site") == published
    assert tree_digest(built(root)) == tree_digest(built(make_project(files)))
