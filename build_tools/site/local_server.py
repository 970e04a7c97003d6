"""A built site served on 127.0.0.1 for the tools that read it through a browser (the audit's
Lighthouse, the benchmark's search probes): a free port, no request log."""
from __future__ import annotations

import functools
import http.server
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class _LocalServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the browser dropped a request it no longer wanted: not worth a traceback
        super().handle_error(request, client_address)


@contextmanager
def served(site: Path) -> Iterator[str]:
    """The folder as a static site on 127.0.0.1, on a free port, until the block ends."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = _LocalServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
