"""Publish, last step: a finished site replaces the old one whole, or not at all."""
from __future__ import annotations

import gzip
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape


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


def write_sitemap(site_dir: Path, site_url: str, urls: list[str], epoch: int) -> None:
    """sitemap.xml (and .gz) of every page; the engine's own lists only the pages of one
    engine process, and the site may be built by several."""
    day = datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%d")
    base = site_url.rstrip("/") + "/"
    entries = "".join(f"<url><loc>{escape(base + url)}</loc><lastmod>{day}</lastmod></url>\n"
                      for url in sorted(urls))
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
           f"{entries}</urlset>\n").encode("utf-8")
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        (site_dir / name).unlink(missing_ok=True)  # a link into the page cache: never written into
    (site_dir / "sitemap.xml").write_bytes(xml)
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(xml, mtime=epoch))
