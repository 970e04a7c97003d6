"""`make serve`: the editors' live preview, on 127.0.0.1, rebuilt on every save."""
from __future__ import annotations

import socket
import time
from pathlib import Path

from build_tools.bench.probes import preview_server, wait_for

PROSE = Path("audiences") / "nurse" / "vertebroplasty.md"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_log(log: Path, text: str, timeout: float = 120) -> None:
    start = time.monotonic()
    while text not in log.read_text(encoding="utf-8"):
        assert time.monotonic() - start < timeout, log.read_text(encoding="utf-8")[-3000:]
        time.sleep(0.05)


def test_a_saved_edit_shows_and_a_broken_one_keeps_the_last_good_preview(project: Path,
                                                                         tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    prose = project / PROSE
    original = prose.read_text(encoding="utf-8")
    with preview_server(project, free_port(), log) as url:
        page = f"{url}/nurse/vertebroplasty/"
        wait_for(page, lambda html: 'id="edu-disclaimer"' in html, timeout=120)
        prose.write_text(original + "\nCheck the dressing at every shift.\n", encoding="utf-8")
        wait_for(page, lambda html: "Check the dressing at every shift." in html, timeout=120)

        prose.write_text(original + "\nThe fact {{ fact.no_such_fact }} is unknown.\n",
                         encoding="utf-8")
        wait_for_log(log, "build failed")
        assert "[unknown-fact]" in log.read_text(encoding="utf-8")
        wait_for(page, lambda html: "Check the dressing at every shift." in html, timeout=10)
    assert not (project / "site").exists()  # the preview never touches the published site
    assert (project / "build" / "serve" / "site" / "index.html").is_file()
