"""`make serve`: the editors' live preview, on 127.0.0.1, rebuilt on every save."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
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


def wait_until(condition, what: str, log: Path, timeout: float = 120) -> None:
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < timeout, \
            f"{what}\n{log.read_text(encoding='utf-8')[-3000:]}"
        time.sleep(0.1)


def test_search_words_and_pdfs_follow_a_save_and_a_removed_topic_leaves(two_topic_project: Path,
                                                                         tmp_path: Path) -> None:
    """After the reload, the preview's search word list and PDFs are made again by a process
    of their own; a topic that is deleted leaves the preview."""
    root, log = two_topic_project, tmp_path / "serve.log"
    site = root / "build" / "serve" / "site"
    prose = root / "audiences" / "nurse" / "bracing.md"
    with preview_server(root, free_port(), log) as url:
        wait_for(f"{url}/nurse/resting/", lambda html: "edu-disclaimer" in html, timeout=120)
        prose.write_text(prose.read_text(encoding="utf-8")
                         + "\nCheck the skin under the brace, zebrawood or not.\n", encoding="utf-8")
        wait_for(f"{url}/nurse/bracing/", lambda html: "zebrawood" in html, timeout=120)
        words = site / "pagefind" / "words" / "z.json"
        wait_until(lambda: words.is_file() and "zebrawood" in json.loads(words.read_text()),
                   "the word list never got the new word", log)
        handout = site / "handouts" / "bracing-nurse.pdf"
        wait_until(lambda: handout.is_file() and "zebrawood" in pdf_text(handout),
                   "the PDF never got the new sentence", log)

        shutil.rmtree(root / "content" / "topics" / "resting")
        for audience in ("patient", "nurse", "physician"):
            (root / "audiences" / audience / "resting.md").unlink()
        wait_until(lambda: not (site / "nurse" / "resting" / "index.html").exists(),
                   "the deleted topic's page stayed in the preview", log)
        assert (site / "nurse" / "bracing" / "index.html").is_file()


def pdf_text(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
    return done.stdout


def test_a_save_runs_the_core_once_and_its_result_feeds_the_finish(two_topic_project: Path
                                                                   ) -> None:
    """The review view, PDFs and search index of a save come from the very result its pages
    were made from (no second run of the core), by a thread of the preview's own process."""
    from build_tools.site.build import BuildOptions
    from build_tools.site.serve import Preview

    root = two_topic_project
    preview = Preview(root, BuildOptions(jobs=1))
    prose = root / "audiences" / "nurse" / "bracing.md"
    try:
        preview.rebuild()
        assert preview.wait_finished(300)
        first = preview.shown
        prose.write_text(prose.read_text(encoding="utf-8") + "\nKeep the brace dry.\n",
                         encoding="utf-8")
        preview.rebuild()
        assert preview.wait_finished(300)
    finally:
        preview.stop()
    assert preview.shown is not first and preview.finished is preview.shown
    shown = preview.shown
    assert shown is not None and any("Keep the brace dry." in v.body
                                     for v in shown.result.variants)
    review = (preview.site / "_review" / "bracing" / "index.html").read_text(encoding="utf-8")
    assert "Keep the brace dry." in review
    assert "Keep the brace dry." in pdf_text(preview.site / "handouts" / "bracing-nurse.pdf")
    assert (preview.site / "pagefind" / "bundles.json").is_file()


def test_a_newer_save_replaces_a_finish_that_has_not_begun(make_project) -> None:
    """Saves made while a finish runs do not queue up: only the newest is finished next."""
    import threading

    from build_tools.core.base.problems import Problem
    from build_tools.site.build import BuildOptions
    from build_tools.site.outputs import Job, Output
    from build_tools.site.registry import standard_outputs
    from build_tools.site.serve import Preview
    from projects import base_files, topic_files

    class Held(Output):
        """Finishes what it is given, the first time only once released."""

        name = "held"

        def __init__(self) -> None:
            self.release = threading.Event()
            self.started = threading.Event()
            self.finished: list[Job] = []

        def publish(self, job: Job, site: Path) -> list[Problem]:
            self.started.set()
            assert self.release.wait(120)
            self.finished.append(job)
            return []

    root = make_project({**base_files(), **topic_files("bracing", title="Does a brace help",
                                                       body="Rest first.\n")})
    held = Held()
    preview = Preview(root, BuildOptions(jobs=1, handouts=False),
                      [o for o in standard_outputs() if o.name == "pages"] + [held])
    prose = root / "audiences" / "nurse" / "bracing.md"
    original, shown = prose.read_text(encoding="utf-8"), []
    try:
        for word in ("one", "two", "three"):
            prose.write_text(f"{original}\nSave {word}.\n", encoding="utf-8")
            preview.rebuild()
            shown.append(preview.shown)
            assert held.started.wait(120)
        held.release.set()
        assert preview.wait_finished(120)
    finally:
        preview.stop()
    assert held.finished == [shown[0], shown[2]]
