"""MkDocs glue (continued): build the pages on two cores.

MkDocs converts and renders one page after another: about 20 s of CPU for 1,500 pages. Every
page's HTML depends only on its own Markdown, the configuration and the navigation, which are all
known once MkDocs has built the navigation. So the hooks fork there: each process converts and
renders every other page, and the parent waits for its worker before checking the finished site.

Which pages a process builds is decided the way `mkdocs serve --dirty` decides it, through each
file's `is_modified()`; the build therefore runs with dirty=True, which into an empty staging
folder builds exactly what a clean build does. The worker writes no theme templates (404.html,
sitemap.xml: the parent has every page for those), checks the HTML of its pages as it writes
them, and leaves before the post-build steps, handing its findings to the parent.
"""
from __future__ import annotations

import logging
import os
import pickle
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

SPLIT_FROM = 100  # fewer pages than this build faster than a second process starts
_state: dict[str, Any] = {"worker": None, "role": "single"}


class QuietDirty(logging.Filter):
    """Hides MkDocs' warning about dirty builds, which is about stale pages in a used folder."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build is being performed" not in record.getMessage()


def split(files: Any, config: Any, dirty: bool) -> None:
    """Called from on_nav: fork, and give each process every other page that needs building.

    Only a dirty build asks is_modified(); a clean one would build every page twice."""
    pages = [f for f in files.documentation_pages() if f.is_modified()]
    if (not dirty or len(pages) < SPLIT_FROM or (os.cpu_count() or 1) < 2
            or not hasattr(os, "fork") or threading.active_count() > 1):  # see render_cache
        _state["role"] = "single"
        return
    sys.stdout.flush()
    sys.stderr.flush()
    handle, _state["inbox"] = tempfile.mkstemp(prefix="edu-worker-", suffix=".pickle")
    os.close(handle)
    pid = os.fork()
    _state["role"] = "worker" if pid == 0 else "parent"
    _state["worker"] = pid or None
    mine = {id(f) for f in pages[0 if pid else 1::2]}
    for file in pages:
        file.is_modified = _answer(id(file) in mine)
    if pid == 0:
        for file in files:
            if not file.is_documentation_page():
                file.is_modified = _answer(False)  # the parent copies the theme's files
        config.theme.static_templates.clear()
        config.extra_templates.clear()


def _answer(value: bool) -> Callable[[], bool]:
    return lambda: value


def is_worker() -> bool:
    return _state["role"] == "worker"


def leave_if_worker(code: int = 0, results: object = None) -> None:
    """The worker's part ends with its last page; it must never run the parent's code after.
    What it found about its pages (results) goes to the parent."""
    if is_worker():
        try:
            Path(_state["inbox"]).write_bytes(pickle.dumps(results))
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)


def join() -> tuple[bool, object]:
    """In the parent: wait for the worker. Whether it succeeded (its errors are printed
    already), and the results it left."""
    pid, inbox = _state["worker"], Path(str(_state.get("inbox")))
    _state.update(worker=None, role="single", inbox=None)
    if pid is None:
        return True, None
    _, status = os.waitpid(pid, 0)
    try:
        results = pickle.loads(inbox.read_bytes())
    except (OSError, EOFError, pickle.UnpicklingError):
        results = None
    inbox.unlink(missing_ok=True)
    return os.waitstatus_to_exitcode(status) == 0, results
