"""Publish, first step: the plain Markdown tree, for MkDocs or any other engine.

The tree's folder may hold files nobody told this tool about (an editor may point the markdown
command at the wrong place), so it keeps a manifest of what it wrote: only those files are ever
replaced or removed, and a destination inside the project's sources is refused outright.
"""
from __future__ import annotations

from pathlib import Path

from ..core.pages.pages import Page
from ..core.base.problems import ContentError
from ..core.base.records import read_record, write_record, write_whole

MANIFEST = ".edu-written.json"
SOURCES = ("content", "audiences", "templates", "site_config", "docs", "build_tools", "tests")
# folders of the project that tools own: (folder, what it is); build/markdown stays allowed
OWNED = (("site", "the published site, which only the build writes"),
         ("build", "the build's own state and caches"),
         ("build/site", "the build's own state and caches"),
         ("build/serve", "the preview's own state and caches"),
         ("build/handouts", "the build's store of PDF handouts"),
         (".git", "git's store of the project's history"),
         (".venv", "the project's Python environment"))
NESTED_OK = ("build",)  # a folder of its own inside these is fine (make markdown: build/markdown)
Written = dict[Path, tuple[str, int]]  # file -> (text, mtime) as a build left it


def refuse_unsafe_destination(dest: Path, root: Path) -> None:
    """The project root and its source folders hold the editors' work, never generated files."""
    dest, root = dest.resolve(), root.resolve()
    if dest == root or root.is_relative_to(dest):
        raise ContentError("markdown-destination",
                           f"{dest} is the project folder or contains it",
                           "give an empty folder or one this command wrote, e.g. build/markdown")
    for name in SOURCES:
        if dest.is_relative_to(root / name):
            raise ContentError("markdown-destination",
                               f"{dest} is inside {name}/, which holds the project's sources",
                               "give a folder outside the sources, e.g. build/markdown")
    for name, what in OWNED:
        if any(dest == folder or (name not in NESTED_OK and dest.is_relative_to(folder))
               for folder in {root / name, (root / name).resolve()}):
            raise ContentError("markdown-destination", f"{dest} is {name}/ or inside it: {what}",
                               "give a folder of its own, e.g. build/markdown")
    if dest.is_dir() and any(dest.iterdir()) and not (dest / MANIFEST).is_file():
        raise ContentError("markdown-destination",
                           f"{dest} is not empty and has no {MANIFEST}: this command did not "
                           "write it",
                           "give an empty folder, or one this command wrote before, "
                           "e.g. build/markdown")


def write_tree(pages: list[Page], dest: Path, written: Written | None = None) -> list[str]:
    """Write the pages whose text changed (an engine watching the tree stays quiet) and remove
    pages this tool wrote before that are no longer wanted. Returns what changed. written: what
    earlier calls left (memory.BuildMemory.written), so an unchanged file needs only a stat."""
    written = {} if written is None else written
    dest.mkdir(parents=True, exist_ok=True)
    before = {p for p in read_record(dest / MANIFEST, []) if isinstance(p, str)
              and ".." not in Path(p).parts and not Path(p).is_absolute()}
    foreign = [p.path for p in pages if p.path not in before and (dest / p.path).exists()]
    if foreign:
        raise ContentError("markdown-destination",
                           f"{dest / foreign[0]} exists and was not written by this tool",
                           "move it away or choose another destination folder")
    changed = [page.path for page in pages if _write(dest / page.path, page.text, written)]
    wanted = {page.path for page in pages}
    for stale in sorted(before - wanted):
        (dest / stale).unlink(missing_ok=True)
        changed.append(stale)
    write_record(dest / MANIFEST, sorted(wanted))
    return changed


def _write(target: Path, text: str, written: Written) -> bool:
    if _unchanged(target, text, written):
        return False
    write_whole(target, text.encode("utf-8"))  # an engine watching the tree never reads half
    written[target] = (text, target.stat().st_mtime_ns)
    return True


def _unchanged(target: Path, text: str, written: Written) -> bool:
    """True when target holds text: a file this process wrote and nobody touched since needs
    only a stat, not a read (`make serve` compares 1,500 pages on every save)."""
    try:
        mtime = target.stat().st_mtime_ns
    except FileNotFoundError:
        return False
    if written.get(target) == (text, mtime):
        return True
    same = target.read_text(encoding="utf-8") == text
    if same:
        written[target] = (text, mtime)
    return same
