"""Stage 5, publish: write the Markdown tree and swap a finished site into place."""
from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from .pages import Page


_written: dict[Path, tuple[str, int]] = {}  # file -> (text, mtime) as this process left it


def write_tree(pages: list[Page], dest: Path) -> list[str]:
    """Write only files whose content changed (live reload stays quiet); drop stale ones."""
    dest.mkdir(parents=True, exist_ok=True)
    changed = []
    wanted = {page.path for page in pages}
    for page in pages:
        target = dest / page.path
        if not _unchanged(target, page.text):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.text, encoding="utf-8")
            changed.append(page.path)
        _written[target] = (page.text, target.stat().st_mtime_ns)
    for stale in sorted(dest.rglob("*.md")):
        if stale.relative_to(dest).as_posix() not in wanted:
            stale.unlink()
            changed.append(stale.relative_to(dest).as_posix())
    return changed


def _unchanged(target: Path, text: str) -> bool:
    """True when target holds text: a file this process wrote and nobody touched since needs
    only a stat, not a read (`make serve` compares 1,500 pages on every save)."""
    try:
        mtime = target.stat().st_mtime_ns
    except FileNotFoundError:
        return False
    if _written.get(target) == (text, mtime):
        return True
    return target.read_text(encoding="utf-8") == text


def staging_dir(site_dir: Path) -> Path:
    """A fresh folder beside the site, so the final rename stays on one file system."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.new-", dir=site_dir.parent))


def swap_in(new: Path, site_dir: Path) -> None:
    """Replace site_dir by new; until the rename the old site stays whole."""
    old = site_dir.with_name(f".{site_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    new.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)


KEPT_AS_WRITTEN = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2>)", re.S | re.I)
INDENTED_LINES = re.compile(r"\n\s+")


def compact_html(html: str) -> str:
    """Drop the indentation and blank lines theme templates leave: a third of a page's bytes.

    Browsers treat a run of white space between words or tags like one space or line break,
    so the page reads the same; preformatted text, scripts and styles are left as written."""
    parts = KEPT_AS_WRITTEN.split(html)
    # split() with two groups yields: text, whole kept element, its tag name, text, ...
    out = []
    for i in range(0, len(parts), 3):
        out.append(INDENTED_LINES.sub("\n", parts[i]))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)
