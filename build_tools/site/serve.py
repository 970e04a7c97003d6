"""`make serve`: the editors' live preview on 127.0.0.1, drafts shown and marked.

The same build as `make site` (site.build), in preview mode and with its own state
(build/serve/), served by the engine's live-reload server, which rebuilds when a source changes
and then reloads the browser. Reviewers read /_review/<topic>/ here (site.review_view): the
versions side by side and what changed since the last sign-off; `make site` never writes it.
The search index and the handouts follow just after the reload, made by a process of their own
(site.finish): the page an editor is looking at should not wait for the PDFs.
"""
from __future__ import annotations

import errno
import importlib
import logging
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

from ..core.base.faults import PortInUse, ToolFault, internal_lines
from ..core.pipeline import state_dir
from ..core.memory import BuildMemory
from .build import BuildFailed, BuildOptions, build_site
from .engine import PACKAGE_PARENT
from .publish import build_lock

HOST = "127.0.0.1"

WATCHED = ("content", "audiences", "templates", "site_config", "mkdocs.yml")
POLL_SECONDS = 0.2  # how often the server looks for saved files
FINISH_TIMEOUT = 3600.0  # seconds for the search index and PDFs; a new library's take minutes


class Preview:
    def __init__(self, root: Path, options: BuildOptions) -> None:
        self.root = root
        self.options = BuildOptions(**{**options.__dict__, "mode": "preview", "finish": False,
                                       "in_place": True})
        self.site = state_dir(root, "preview") / "site"
        self.memory = BuildMemory()  # kept between saves: a save redoes only what it changed
        self.after_reload: threading.Thread | None = None
        self.finisher: subprocess.Popen[bytes] | None = None
        self.stopped = False

    def rebuild(self) -> None:
        """What the server calls after a change; a failed build keeps the last good preview.
        It never waits for the search index and PDFs of an earlier save: those follow."""
        try:
            build_site(self.root, self.site, self.options, self.memory)
        except BuildFailed as exc:
            print(f"build failed: {exc}", flush=True)
            return
        except ToolFault as exc:  # the next save tries again; the editor sees whose fault it is
            print(internal_lines(exc, "the preview was not changed"), file=sys.stderr,
                  flush=True)
            return
        earlier = self.after_reload
        self.after_reload = threading.Thread(target=self._finish, args=(earlier,), daemon=True)
        self.after_reload.start()

    def _finish(self, earlier: threading.Thread | None) -> None:
        """The review view, the search index and the PDFs, by a process of their own
        (site.finish): after the reload, as the page being edited does not show them."""
        if earlier is not None:  # one at a time writes the review view and the search bundle
            earlier.join()
        if threading.current_thread() is not self.after_reload or self.stopped:
            return  # a later save's build has come: its index and PDFs will include this one's
        command = [sys.executable, "-m", "build_tools.site.finish", "--root", str(self.root),
                   "--site", str(self.site), "--engine", self.options.engine]
        if not self.options.handouts:
            command.append("--no-handouts")
        self.finisher = subprocess.Popen(command, cwd=PACKAGE_PARENT)
        try:
            self.finisher.wait(timeout=FINISH_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.finisher.kill()
            print(f"preview: the search index and PDFs took longer than {FINISH_TIMEOUT:.0f} s "
                  "and were stopped; the next save tries again", flush=True)

    def stop(self) -> None:
        """No search index or PDFs are left being written once the preview stops."""
        self.stopped = True
        if self.finisher is not None and self.finisher.poll() is None:
            self.finisher.terminate()
            self.finisher.wait()


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
