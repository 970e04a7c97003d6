"""Publish, last step: a finished site replaces the old one whole, or not at all.

The site is built in a staging folder beside it (`.site.new-…`, on the same file system) and
exchanged with the old site in one step, so there is never a moment without a complete site/.
Every staging folder's name is recorded (`.site.staging.json`) before the folder is made, so
the next build removes what a killed one left, and nothing else: a folder of the same name
pattern that this tool did not record is left alone. A lock per mode (build/site.lock,
build/serve.lock) keeps two builds of one project from working in one state folder at once.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import gzip
import os
import re
import secrets
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape

from ..core.base.records import read_record, write_record, write_whole

AT_FDCWD = -100
RENAME_EXCHANGE = 2  # linux/fs.h: swap the two names in one step
UNSUPPORTED = (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP)


class BuildBusy(Exception):
    """Another process holds this mode's lock and the caller would rather not wait."""


@contextmanager
def build_lock(state: Path, wait: bool = True) -> Iterator[None]:
    """Hold build/<state>.lock for the block. A second build waits, and says so; the lock
    goes with the process, however it ends (flock), so a killed build never leaves it held."""
    path = state.parent / f"{state.name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            who = f"process {holder}" if holder.isdigit() else "another process"
            message = f"{who} is using {state.parent.name}/{path.name} (another build of this project)"
            if not wait:
                raise BuildBusy(message) from None
            print(f"build: waiting: {message}", file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield


def staging_dir(site_dir: Path) -> Path:
    """A fresh folder beside the site, so the exchange stays on one file system."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = site_dir.with_name(f".{site_dir.name}.new-{os.getpid()}-{secrets.token_hex(4)}")
    _mark(site_dir, staging.name)  # recorded first: a kill after this leaves nothing unknown
    staging.mkdir()
    return staging


def clean_stale(site_dir: Path) -> None:
    """Remove the staging and old-site folders this tool recorded and a killed build left;
    first, if a build was killed between the two renames of swap_in's fallback, the old
    site goes back in place."""
    marked = _marked(site_dir)
    olds = [site_dir.with_name(n) for n in marked if ".old-" in n]
    if not site_dir.exists() and any(old.is_dir() for old in olds):
        next(old for old in olds if old.is_dir()).rename(site_dir)
    for name in marked:
        shutil.rmtree(site_dir.with_name(name), ignore_errors=True)
    if _record(site_dir).exists():  # a read-only disk refuses even removing what is not there
        _record(site_dir).unlink()


def swap_in(new: Path, site_dir: Path, exchange: Callable[[Path, Path], bool] | None = None
            ) -> None:
    """Replace site_dir by new; at every moment one of them is a complete site at site_dir."""
    if not site_dir.exists():
        new.rename(site_dir)
        return
    if (exchange or exchange_names)(new, site_dir):
        shutil.rmtree(new)  # the old site, under the staging folder's recorded name
        return
    # No RENAME_EXCHANGE here (not Linux, a kernel before 3.15, or a file system without it):
    # two renames, with a moment between them when site_dir does not exist.
    old = site_dir.with_name(f".{site_dir.name}.old-{os.getpid()}-{secrets.token_hex(4)}")
    _mark(site_dir, old.name)
    site_dir.rename(old)
    new.rename(site_dir)
    shutil.rmtree(old)


def exchange_names(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(second))


def _renameat2() -> Callable[..., int] | None:
    """libc's renameat2 (glibc 2.28 and later), or None; looked up per swap (microseconds, once
    a build), so no process keeps it."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                         ctypes.c_uint]
    function.restype = ctypes.c_int
    return function  # type: ignore[no-any-return]


def _record(site_dir: Path) -> Path:
    return site_dir.with_name(f".{site_dir.name}.staging.json")


def _marked(site_dir: Path) -> list[str]:
    """The recorded names; only names of the patterns this tool makes, beside the site."""
    pattern = re.compile(rf"\.{re.escape(site_dir.name)}\.(new|old)-\d+-[0-9a-f]{{8}}")
    return [name for name in read_record(_record(site_dir), [])
            if isinstance(name, str) and pattern.fullmatch(name)]


def _mark(site_dir: Path, name: str) -> None:
    write_record(_record(site_dir), sorted({*_marked(site_dir), name}))


def write_sitemap(site_dir: Path, site_url: str, urls: list[str], epoch: int,
                  alternates: dict[str, dict[str, str]] | None = None) -> None:
    """sitemap.xml (and .gz) of every page; the engine's own lists only the pages of one
    engine process, and the site may be built by several. alternates: each address's
    addresses in every language it exists in (itself too), as `xhtml:link` hreflang links."""
    day = datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%d")
    base = site_url.rstrip("/") + "/"
    alternates = alternates or {}

    def links(url: str) -> str:
        return "".join(f'<xhtml:link rel="alternate" hreflang="{escape(lang)}" '
                       f'href="{escape(base + other)}"/>'
                       for lang, other in sorted(alternates.get(url, {}).items()))
    entries = "".join(f"<url><loc>{escape(base + url)}</loc><lastmod>{day}</lastmod>"
                      f"{links(url)}</url>\n" for url in sorted(urls))
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
           + (' xmlns:xhtml="http://www.w3.org/1999/xhtml"' if alternates else "") + '>\n'
           f"{entries}</urlset>\n").encode("utf-8")
    write_whole(site_dir / "sitemap.xml", xml)
    write_whole(site_dir / "sitemap.xml.gz", gzip.compress(xml, mtime=epoch))
