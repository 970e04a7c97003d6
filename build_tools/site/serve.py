"""`make serve`: the editors' live preview on 127.0.0.1, drafts shown and marked.

The same build as `make site` (site.build), in preview mode and with its own state
(build/serve/), served by the engine's live-reload server, which rebuilds when a source changes
and then reloads the browser. A save runs the core once: its result gives the pages, which
reach the served folder only once they pass their checks, and then, after the reload, the
outputs that follow the pages (site.registry): the review view (/_review/<topic>/, the
versions side by side and what changed since the last sign-off; `make site` never writes it),
the PDFs and the search index. Those are made by a thread of this process, one save at a time:
the page an editor is looking at does not wait for them, and a newer save replaces a finish
that has not begun (and stops one between two outputs).
"""
from __future__ import annotations

import errno
import importlib
import logging
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from ..core.base.faults import PortInUse, ToolFault, internal_lines, io_fault
from ..core.pipeline import state_dir
from ..core.memory import BuildMemory
from .build import BuildFailed, BuildOptions, build_pages, finish_outputs
from .outputs import Job, Output
from .publish import build_lock
from .registry import standard_outputs

HOST = "127.0.0.1"

WATCHED = ("content", "audiences", "templates", "site_config", "mkdocs.yml")
POLL_SECONDS = 0.2  # how often the server looks for saved files


class Preview:
    """The preview's builds; its outputs, and so their caches, live as long as it does."""

    def __init__(self, root: Path, options: BuildOptions,
                 outputs: Sequence[Output] | None = None) -> None:
        self.root = root
        self.options = BuildOptions(**{**options.__dict__, "mode": "preview", "finish": False,
                                       "in_place": True})
        self.site = state_dir(root, "preview") / "site"
        self.outputs = standard_outputs() if outputs is None else list(outputs)
        self.memory = BuildMemory()  # kept between saves: a save redoes only what it changed
        self.shown: Job | None = None  # the last build the served folder shows
        self.finished: Job | None = None  # the last build whose finish has ended
        self.pending: Job | None = None  # a build whose finish has not begun
        self.wake = threading.Condition()
        self.stopped = False
        self.finisher = threading.Thread(target=self._finish_each, name="edu-finish",
                                         daemon=True)

    def rebuild(self) -> None:
        """What the server calls after a change; a failed build keeps the last good preview.
        It never waits for the finish of an earlier save: that follows, or is replaced."""
        try:
            job = build_pages(self.root, self.site, self.options, self.outputs,
                              memory=self.memory)
        except BuildFailed as exc:
            print(f"build failed: {exc}", flush=True)
            return
        except ToolFault as exc:  # the next save tries again; the editor sees whose fault it is
            print(internal_lines(exc, "the preview was not changed"), file=sys.stderr,
                  flush=True)
            return
        with self.wake:
            self.shown = self.pending = job  # an earlier save's finish not begun: replaced
            self.wake.notify()
        if not self.finisher.is_alive() and not self.stopped:
            self.finisher.start()

    def _finish_each(self) -> None:
        while True:
            with self.wake:
                while self.pending is None and not self.stopped:
                    self.wake.wait()
                job, self.pending = self.pending, None
                if self.stopped or job is None:
                    return
            try:
                self._finish(job)
            finally:
                self.finished = job  # done, failed or replaced by a newer save's

    def _finish(self, job: Job) -> None:
        """The outputs after the pages, from the same result the pages were made from."""
        try:
            finish_outputs(job, self.site, self.outputs,
                           superseded=lambda: self.pending is not None or self.stopped)
        except BuildFailed as exc:
            print(f"preview: {exc}", flush=True)
            return
        except Exception as exc:
            fault = io_fault(exc) if isinstance(exc, OSError) else None
            if fault is not None:  # a full disk, a folder that cannot be written: in one line
                print(f"preview: {fault}", file=sys.stderr, flush=True)
                return
            tool = exc if isinstance(exc, ToolFault) else ToolFault(  # any other: a bug of ours
                "the preview's review view, PDFs or search index could not be made",
                traceback.format_exc())
            print(internal_lines(tool, "the next save tries again"), file=sys.stderr,
                  flush=True)
            return

    def wait_finished(self, timeout: float) -> bool:
        """Wait until the finish of the last build shown has ended; False on timeout."""
        end = time.monotonic() + timeout
        while self.shown is not None and self.finished is not self.shown:
            if time.monotonic() > end:
                return False
            time.sleep(0.05)
        return True

    def stop(self) -> None:
        """No search index or PDFs are left being written once the preview stops: the
        finish stops before its next output, what runs in processes of its own is stopped,
        and the PDFs' processes end with this one (they are its pool's, daemonic)."""
        with self.wake:
            self.stopped = True
            self.wake.notify()
        for output in self.outputs:
            output.close()
        if self.finisher.is_alive():
            self.finisher.join(STOP_TIMEOUT)


STOP_TIMEOUT = 2.0  # seconds a stopping preview waits for the finish to reach its next output


def serve(root: Path, port: int, options: BuildOptions) -> None:
    """The preview, while it runs the only build of its mode (build/serve.lock): a second
    preview of the same project is refused, as is a port another program listens on."""
    # The server's own notes (serving, reloading) and every warning; not the engine's notes on
    # each page it leaves out of a rebuild, which would bury the editor's messages.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    logging.getLogger(f"{options.engine}.livereload").setLevel(logging.INFO)
    check_port(port)  # before the first build, which can take a while
    with build_lock(state_dir(root, "preview"), wait=False):
        _serve(root, port, options)


def _serve(root: Path, port: int, options: BuildOptions) -> None:
    preview = Preview(root, options)
    preview.site.mkdir(parents=True, exist_ok=True)  # a first build that fails: an empty site
    preview.rebuild()
    livereload = importlib.import_module(f"{options.engine}.livereload")
    server = livereload.LiveReloadServer(builder=preview.rebuild, host=HOST, port=port,
                                         root=str(preview.site), polling_interval=POLL_SECONDS)
    for name in WATCHED:
        if (root / name).exists():
            server.watch(str(root / name))
    # stopped by a signal (a terminal closed, a test's end) as by Ctrl-C: the finally runs
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve()
    except KeyboardInterrupt:
        print("preview stopped")
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:  # taken while the first build ran
            raise PortInUse(HOST, port) from None
        raise
    finally:
        server.shutdown()
        preview.stop()


def check_port(port: int) -> None:
    """Raise PortInUse when the server could not listen on the port (it reuses addresses, as
    the probe does, so a port left in TIME_WAIT by an earlier preview is not refused)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(HOST, port) from None
            raise


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
