"""Publish, first step: the plain Markdown tree, for MkDocs or any other engine.

The tree's folder may hold files nobody told this tool about (an editor may point the markdown
command at the wrong place), so it keeps a manifest of what it wrote: only those files are ever
replaced or removed, and a destination inside the project's sources is refused outright.
"""
from __future__ import annotations

from pathlib import Path

from ..core.pages import Page
from ..core.problems import ContentError
from ..core.records import read_record, write_record

MANIFEST = ".edu-written.json"
SOURCES = ("content", "audiences", "templates", "site_config", "docs", "build_tools", "tests")
_written: dict[Path, tuple[str, int]] = {}  # file -> (text, mtime) as this process left it


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


def write_tree(pages: list[Page], dest: Path) -> list[str]:
    """Write the pages whose text changed (an engine watching the tree stays quiet) and remove
    pages this tool wrote before that are no longer wanted. Returns what changed."""
    dest.mkdir(parents=True, exist_ok=True)
    before = {p for p in read_record(dest / MANIFEST, []) if isinstance(p, str)
              and ".." not in Path(p).parts and not Path(p).is_absolute()}
    foreign = [p.path for p in pages if p.path not in before and (dest / p.path).exists()]
    if foreign:
        raise ContentError("markdown-destination",
                           f"{dest / foreign[0]} exists and was not written by this tool",
                           "move it away or choose another destination folder")
    changed = [page.path for page in pages if _write(dest / page.path, page.text)]
    wanted = {page.path for page in pages}
    for stale in sorted(before - wanted):
        (dest / stale).unlink(missing_ok=True)
        changed.append(stale)
    write_record(dest / MANIFEST, sorted(wanted))
    return changed


def _write(target: Path, text: str) -> bool:
    if _unchanged(target, text):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    _written[target] = (text, target.stat().st_mtime_ns)
    return True


def _unchanged(target: Path, text: str) -> bool:
    """True when target holds text: a file this process wrote and nobody touched since needs
    only a stat, not a read (`make serve` compares 1,500 pages on every save)."""
    try:
        mtime = target.stat().st_mtime_ns
    except FileNotFoundError:
        return False
    if _written.get(target) == (text, mtime):
        return True
    same = target.read_text(encoding="utf-8") == text
    if same:
        _written[target] = (text, mtime)
    return same
