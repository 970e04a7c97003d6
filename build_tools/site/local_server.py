"""A built site served on 127.0.0.1 for the tools that read it through a browser (the audit's
Lighthouse, the benchmark's search probes): a free port, no request log."""
from __future__ import annotations

import functools
import gzip
import http.server
import io
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

# what a static host compresses (the rest, images and fonts, is compressed already)
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "application/xml",
                    "image/svg+xml")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class _Compressing(_Quiet):
    """The site as a static host serves it: text (HTML, CSS, JavaScript, JSON, SVG) gzipped
    when the request accepts gzip, everything else as it is; quiet."""

    def send_head(self) -> BinaryIO | None:  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
        kind = self.guess_type(str(path))
        if not (path.is_file() and kind.startswith(COMPRESSED_TYPES) and self._gzip_accepted()):
            return super().send_head()
        data = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(data)

    def _gzip_accepted(self) -> bool:
        for item in self.headers.get("Accept-Encoding", "").split(","):
            name, _, params = item.strip().partition(";")
            if name.strip().lower() in ("gzip", "*"):
                return params.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
        return False


class _LocalServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the browser dropped a request it no longer wanted: not worth a traceback
        super().handle_error(request, client_address)


@contextmanager
def served(site: Path, compress: bool = False) -> Iterator[str]:
    """The folder as a static site on 127.0.0.1, on a free port, until the block ends;
    compress: as a static host serves it (the audit measures what readers transfer)."""
    handler = functools.partial(_Compressing if compress else _Quiet, directory=str(site))
    server = _LocalServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
