"""Stage 5, publish: write the Markdown tree and swap a finished site into place."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .pages import Page


def write_tree(pages: list[Page], dest: Path) -> list[str]:
    """Write only files whose content changed (live reload stays quiet); drop stale ones."""
    dest.mkdir(parents=True, exist_ok=True)
    changed = []
    wanted = {page.path for page in pages}
    for page in pages:
        target = dest / page.path
        if not target.exists() or target.read_text(encoding="utf-8") != page.text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.text, encoding="utf-8")
            changed.append(page.path)
    for stale in sorted(dest.rglob("*.md")):
        if stale.relative_to(dest).as_posix() not in wanted:
            stale.unlink()
            changed.append(stale.relative_to(dest).as_posix())
    return changed


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
