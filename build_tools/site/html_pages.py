"""Publish, third step: the HTML of every page, made by the site engine only where it changed.

A page's HTML follows from its Markdown and from what every page shares: the navigation, the
engine's configuration and theme, the hooks and the libraries. The HTML of each page is kept in
build/<state>/html/ with the key of those inputs; a build asks the engine only for the pages
whose key changed, through ordinary engine builds that leave the other pages in the navigation
but do not write them (engine.EngineOrder.pages). Many pages to make (a cold build, a renamed
topic) are shared out over several engine processes, one per core; the shards' pages are
byte-identical to a single build's (tests/test_engine.py).

Each page is checked (site.html_check) when it is made; its findings are kept with it.
"""
from __future__ import annotations

import os
import shutil
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.base.faults import ToolFault
from ..core.base.model import Library
from ..core.memory import BuildMemory
from ..core.pages.pages import Page
from ..core.base.problems import Problem, Severity
from ..core.base.records import damaged_problem, read_record, sha256, write_record, write_whole
from .engine import EngineOrder, EngineResult, build_here, finish_engine, run_engine
from .html_check import Listing, check_page
from .keys import page_key, page_shared_key

MANIFEST = "pages.json"
FILES = "files.json"  # every file of html/ -> the sha256 it had when it was made
RECORDS = (MANIFEST, FILES)
PAGES_PER_SHARD = 60  # fewer pages than this per process build faster in one process
ENGINE_TIMEOUT = 1800.0  # seconds an engine process may take (--engine-timeout)


@dataclass
class HtmlReport:
    built: int = 0
    cached: int = 0
    problems: list[Problem] = field(default_factory=list)
    listings: list[Listing] = field(default_factory=list)
    engine_output: list[str] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)  # files of html/ replaced, and removed
    removed: set[str] = field(default_factory=set)
    files: dict[str, str] = field(default_factory=dict)  # what html/ holds: file -> sha256

    def __str__(self) -> str:
        return f"pages: {self.built} built, {self.cached} from cache"


def dest_uri(path: str) -> str:
    """Where the engine writes a page (use_directory_urls): a/b.md -> a/b/index.html."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return f"{stem}.html"
    return f"{stem}/index.html"


Hashes = dict[Path, tuple[int, int, int, str]]  # path -> (inode, size, mtime, sha256)


def build_html(root: Path, state: Path, pages: list[Page], order: EngineOrder, library: Library,
               jobs: int, in_process: bool = False, timeout: float = ENGINE_TIMEOUT,
               hashes: Hashes | None = None, memory: BuildMemory | None = None) -> HtmlReport:
    """Bring state/html up to date with pages; only pages whose inputs changed are built, and
    any file of html/ that does not match the hash recorded when it was made is made again.
    hashes: what the caller (the preview, which checks the cache on every save) remembers of
    the files it hashed before. memory: the build's (its timing and library digests)."""
    memory = memory or BuildMemory()
    html_dir = state / "html"
    manifest = read_record(html_dir / MANIFEST, {})
    files = read_record(html_dir / FILES, {})
    report = HtmlReport()
    lost = _drop_damaged(root, html_dir, files, report, hashes)
    shared = page_shared_key(order, memory.inputs.site)
    keys = {page.path: page_key(shared, page) for page in pages}
    missing = sorted(p for p in keys if manifest.get(p, {}).get("key") != keys[p]
                     or dest_uri(p) not in files)
    if keys and not missing and lost - {dest_uri(p) for p in keys}:
        missing = [min(keys)]  # a theme file was lost: any engine build writes it again
    report.built, report.cached = len(missing), len(keys) - len(missing)
    if missing:
        everything = len(missing) == len(keys)
        with memory.timing.stage("site engine"):
            shard_dirs = _run_shards(state, order, missing, jobs, everything, report, in_process,
                                     timeout)
        if shard_dirs is None:
            report.files = files  # the pages made before stay (the preview keeps showing them)
            return report
        if everything:  # new theme, navigation or code: nothing of the old output stays
            report.removed = {p.relative_to(html_dir).as_posix() for p in files_under(html_dir)
                              if p.name not in RECORDS}
            shutil.rmtree(html_dir, ignore_errors=True)
            manifest, files = {}, {}
        with memory.timing.stage("html check"):
            report.changed = _take_in(shard_dirs, missing, html_dir, manifest, files, keys,
                                      library)
    for path in [p for p in manifest if p not in keys]:  # pages no longer in the site
        (html_dir / dest_uri(path)).unlink(missing_ok=True)
        report.removed.add(dest_uri(path))
        files.pop(dest_uri(path), None)
        del manifest[path]
    report.removed -= report.changed
    write_record(html_dir / MANIFEST, manifest)
    write_record(html_dir / FILES, files)
    report.files = dict(files)
    for path in sorted(keys):
        entry = manifest[path]
        report.problems += [Problem.from_dict(p) for p in entry["problems"]]
        report.listings += [tuple(entry["listing"])] if entry["listing"] else []
    return report


def _drop_damaged(root: Path, html_dir: Path, files: dict[str, str], report: HtmlReport,
                  hashes: Hashes | None) -> set[str]:
    """Check every file of html/ against its recorded hash; a damaged one is reported, removed
    (it is this tool's) and left out of the record, as is one that is gone: both are made
    again. Returns what was dropped."""
    lost = set()
    for rel, recorded in sorted(files.items()):
        path = html_dir / rel
        found = _hash_of(path, hashes)
        if found == recorded:
            continue
        if found is not None:
            report.problems.append(damaged_problem(path, root))
            path.unlink(missing_ok=True)
        lost.add(rel)
        del files[rel]
    return lost


def _hash_of(path: Path, hashes: Hashes | None) -> str | None:
    """The file's sha256, or None when it is gone. With hashes (the preview's), a file is
    hashed again only when it changed since it was last looked at (by inode, size, time)."""
    try:
        info = path.stat()
        seen = (info.st_ino, info.st_size, info.st_mtime_ns)
        if hashes is not None and hashes.get(path, (None,))[:3] == seen:
            return hashes[path][3]
        found = sha256(path.read_bytes())
    except FileNotFoundError:
        return None
    if hashes is not None:
        hashes[path] = (*seen, found)
    return found


def _run_shards(state: Path, order: EngineOrder, missing: list[str], jobs: int,
                everything: bool, report: HtmlReport, in_process: bool,
                timeout: float) -> list[Path] | None:
    in_process = in_process and not everything  # a whole site goes to every core
    count = 1 if in_process else max(1, min(jobs, len(missing) // PAGES_PER_SHARD))
    shards = [missing[i::count] for i in range(count)]
    work = state / "shards"
    shutil.rmtree(work, ignore_errors=True)  # what an earlier, interrupted build of ours left
    work.mkdir(parents=True)
    orders = [EngineOrder(**{**order.__dict__, "site_dir": str(work / str(i)),
                             "pages": None if everything and count == 1 else shard})
              for i, shard in enumerate(shards)]
    results = ([_here(orders[0])] if in_process
               else _in_processes(orders, work, timeout))
    report.engine_output = [r.output for r in results if r.output.strip()]
    if not all(r.ok for r in results):
        report.problems.append(Problem("mkdocs.yml", None, "engine-failed",
                                       "the site engine could not build the pages (see above)",
                                       "fix what the engine's message names"))
        return None
    report.problems += [Problem("mkdocs.yml", None, "engine-warning",
                                f"the site engine gave {r.warnings} warning(s) (see above)",
                                "fix what the engine's message names", Severity.WARNING)
                        for r in results if r.warnings]
    return [work / str(i) for i in range(count)]


def _here(order: EngineOrder) -> EngineResult:
    """The preview's build in this process. What the engine reports as a failed build is the
    content's; any other exception (a hook's, the engine's) is a crash, as it would be in a
    process of its own (engine.finish_engine), except what the machine caused."""
    try:
        return build_here(order)
    except (OSError, MemoryError):  # the machine's (a full disk): cli.main names those
        raise
    except Exception as exc:
        raise ToolFault("the site engine stopped without finishing its build",
                        traceback.format_exc()) from exc


def _in_processes(orders: list[EngineOrder], work: Path, timeout: float) -> list[EngineResult]:
    running = [run_engine(order, work / f"order-{i}.json", timeout)
               for i, order in enumerate(orders)]
    try:
        return [finish_engine(process) for process in running]
    finally:
        for process in running:
            if process.process.poll() is None:
                process.process.kill()
                process.process.wait()


def _take_in(shard_dirs: list[Path], missing: list[str], html_dir: Path,
             manifest: dict[str, Any], files: dict[str, str], keys: dict[str, str],
             library: Library) -> set[str]:
    """Move the shards' pages into html_dir, and the theme's files and 404 page of the first,
    recording the hash of each; a theme file the same as the one there is left alone.
    Returns what was replaced."""
    html_dir.mkdir(parents=True, exist_ok=True)
    made = {dest_uri(p): p for p in missing}
    changed = set(made)
    for source in files_under(shard_dirs[0]):
        rel = source.relative_to(shard_dirs[0]).as_posix()
        if rel in made or rel.startswith("sitemap.xml"):
            continue
        digest = sha256(source.read_bytes())
        if files.get(rel) != digest:  # a recorded file was checked: it holds what was recorded
            _replace(source, html_dir / rel)
            files[rel] = digest
            changed.add(rel)
    for shard in shard_dirs:
        for rel in [r for r in made if (shard / r).is_file()]:
            html = (shard / rel).read_bytes()
            found, listing = check_page(html, rel, library)
            manifest[made[rel]] = {"key": keys[made[rel]], "listing": listing,
                                   "problems": [p.as_dict() for p in found]}
            _replace(shard / rel, html_dir / rel)
            files[rel] = sha256(html)
    lost = [p for p in missing if p not in manifest or manifest[p]["key"] != keys[p]]
    if lost:
        raise ToolFault(f"the site engine wrote no page for {lost[0]} into "
                           f"{shard_dirs[0].parent}: was that folder changed by another program?")
    shutil.rmtree(shard_dirs[0].parent, ignore_errors=True)
    return changed


def files_under(folder: Path) -> list[Path]:
    """Every file below folder, sorted (os.walk: pathlib's rglob is slow at 1,500 pages)."""
    return sorted(Path(base, name) for base, _, names in os.walk(folder) for name in names)


def _replace(source: Path, target: Path) -> None:
    """By rename, never by writing into the file: the preview's folder links to it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)


def copy_site(root: Path, html_dir: Path, site: Path, files: dict[str, str]) -> list[Problem]:
    """The published site's pages: copies, each checked against its recorded hash as it is
    read, so the site shares no file with the cache and never gets one that changed after
    build_html checked it (that is an error: the build stops)."""
    problems = []
    for rel, recorded in sorted(files.items()):
        data = (html_dir / rel).read_bytes()
        if sha256(data) != recorded:
            problems.append(damaged_problem(html_dir / rel, root, made_again=False))
            continue
        write_whole(site / rel, data)
    return problems


def update_site(html_dir: Path, site: Path, report: HtmlReport, keep: tuple[str, ...],
                linked: set[Path]) -> None:
    """The preview's folder (never site/): hard links into the preview's own cache, which only
    ever replaces a file whole. Once linked whole (linked: the folders the caller has linked
    whole), only the files this build replaced or removed are touched (1,500 pages: a quarter
    of a second a save)."""
    if site not in linked:
        _link_all(html_dir, site, report.files, keep)
        linked.add(site)
        return
    for rel in sorted(report.changed):
        _link(html_dir / rel, site / rel)
    for rel in sorted(report.removed):
        if rel.split("/")[0] not in keep:
            (site / rel).unlink(missing_ok=True)


def _link_all(html_dir: Path, site: Path, files: dict[str, str], keep: tuple[str, ...]) -> None:
    """The pages into the preview's folder; a file that is already the page is left alone and
    a changed one replaced whole, so a folder being served is brought up to date in place;
    files of earlier pages go, except under the top-level folders named in keep (what later
    steps add: search, handouts, the review view)."""
    for rel in files:
        _link(html_dir / rel, site / rel)
    for top in sorted(site.iterdir()) if site.is_dir() else []:
        if top.name in keep:  # not walked: the search index alone is thousands of files
            continue
        for path in [top] if top.is_file() else sorted(top.rglob("*.html")):
            name = path.relative_to(site).as_posix()
            if name.endswith(".html") and name not in files:
                path.unlink()


def _link(source: Path, target: Path) -> None:
    """target as a hard link to source, replaced whole (a temporary name, then a rename);
    across file systems a copy, placed the same way."""
    if _same_file(source, target):
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        os.link(source, partial)
    except OSError:
        write_whole(target, source.read_bytes())
        return
    os.replace(partial, target)


def _same_file(source: Path, target: Path) -> bool:
    try:
        mine, theirs = source.stat(), target.stat()
    except FileNotFoundError:
        return False
    return (mine.st_ino, mine.st_dev) == (theirs.st_ino, theirs.st_dev)

