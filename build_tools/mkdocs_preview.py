"""MkDocs glue (continued) for `make serve`: a saved fact shows in the browser within a second.

MkDocs' preview rebuilds after any change it sees. Three things keep that rebuild small: it is a
dirty rebuild (only pages whose Markdown the core rewrote: mkdocs_hooks.mkdocs_serve), the watcher
reports only real edits of the sources, and a changed topic's PDF handouts are made after the
browser has reloaded. Like mkdocs_split.py, it uses what MkDocs hands the hooks and imports
nothing from MkDocs itself.
"""
from __future__ import annotations

import gc
import sys
import threading
from pathlib import Path
from typing import Any

from watchdog.events import (DirCreatedEvent, DirDeletedEvent, DirMovedEvent, FileClosedEvent,
                             FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent)
from watchdog.observers import Observer

from .handout_cache import publish_handouts
from .pipeline import Mode, Result
from .report import problem_lines

_running: list[threading.Thread] = []


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Watch with inotify instead of MkDocs' polling: a save is seen at once, not within 0.5 s,
    and thousands of files are not stat'ed twice a second. The generated docs folder is not
    watched: the core rewrites it from the sources (`watch:` in mkdocs.yml) on every rebuild,
    and watching it would start a second rebuild after each one."""
    server.unwatch(config.docs_dir)
    server.unwatch(config.config_file_path)
    server.observer = ChangesOnly()
    server.watch(config.config_file_path)
    # what the first build left in memory (the caches of every page) stays: the garbage
    # collector need not walk it again on every rebuild
    gc.collect()
    gc.freeze()
    return server


class ChangesOnly(Observer):  # type: ignore[misc,valid-type]
    """inotify also reports files being opened and read; the build reads every source file,
    and MkDocs would take that for an edit and rebuild again, for ever."""

    CHANGES = [FileCreatedEvent, FileModifiedEvent, FileClosedEvent, FileDeletedEvent,
               FileMovedEvent, DirCreatedEvent, DirDeletedEvent, DirMovedEvent]

    def schedule(self, handler: Any, path: Any, **options: Any) -> Any:
        return super().schedule(handler, path, **{**options, "event_filter": self.CHANGES})


def handouts_after_reload(root: Path, result: Result, site: Path, epoch: int, mode: Mode) -> None:
    """Make the rebuild's handouts while the browser already shows the page (about half a
    second a PDF: the edited topic's would double the wait for the page)."""
    thread = threading.Thread(target=_handouts, args=(root, result, site, epoch, mode))
    _running.append(thread)
    thread.start()


def _handouts(root: Path, result: Result, site: Path, epoch: int, mode: Mode) -> None:
    report = publish_handouts(root, result, site, epoch, mode)
    print("\n".join([*problem_lines(report.problems), str(report)]), file=sys.stderr)


def wait_for_handouts() -> None:
    """The previous rebuild's handouts are finished before the next build starts."""
    while _running:
        _running.pop().join()
