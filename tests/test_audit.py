"""`make audit`'s own checks: the link checker finds what is broken and nothing else."""
import gzip
import urllib.request
from pathlib import Path

from build_tools.audit import PageAudit, audited_pages, broken_links, main
from build_tools.site.local_server import served
from conftest import parse


def write(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'<!doctype html><html lang="en"><head><title>t</title></head><body>{body}</body></html>')


def test_the_link_checker_reports_missing_pages_and_anchors(tmp_path):
    write(tmp_path / "index.html", '<a href="topic/">ok</a> <a href="topic/#risks">ok</a>'
          ' <a href="gone/">missing</a> <a href="topic/#nowhere">no anchor</a>'
          ' <a href="https://example.org/">other site</a> <a href="mailto:a@example.org">mail</a>')
    write(tmp_path / "topic" / "index.html", '<h2 id="risks">Risks</h2><a href="../">home</a>')
    checked, external, broken = broken_links(tmp_path)
    assert (checked, external) == (5, 1)
    assert broken == ["/index.html: gone/", "/index.html: topic/#nowhere (no such anchor)"]


def test_the_built_site_has_no_broken_link(built_site):
    checked, _, broken = broken_links(built_site)
    assert checked > 100 and broken == []


def test_audit_refuses_a_folder_without_a_site(tmp_path, capsys):
    assert main([str(tmp_path)]) == 2
    assert "run `make site` first" in capsys.readouterr().err


def fetch(url: str, accept: str | None) -> tuple[str | None, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": accept} if accept else {})
    with urllib.request.urlopen(request) as response:
        return response.headers.get("Content-Encoding"), response.read()


def test_the_audit_serves_text_compressed_as_a_static_host_does(tmp_path):
    page = '<!doctype html><html lang="en"><head><title>t</title></head><body>' + "words " * 500
    (tmp_path / "topic").mkdir()
    (tmp_path / "topic" / "index.html").write_text(page)
    (tmp_path / "a.css").write_text("body{color:red}" * 100)
    picture = bytes(range(256)) * 10
    (tmp_path / "a.png").write_bytes(picture)
    with served(tmp_path, compress=True) as base:
        encoding, body = fetch(base + "/topic/", "gzip, deflate, br")
        assert encoding == "gzip" and gzip.decompress(body).decode() == page
        assert len(body) < len(page) // 10
        encoding, body = fetch(base + "/a.css", "gzip")
        assert encoding == "gzip" and gzip.decompress(body) == b"body{color:red}" * 100
        assert fetch(base + "/topic/", None) == (None, page.encode())
        assert fetch(base + "/topic/", "gzip;q=0, br") == (None, page.encode())
        assert fetch(base + "/a.png", "gzip") == (None, picture)  # images are compressed already


def test_the_audit_measures_the_home_page_a_topic_page_of_each_audience_and_the_glossary(
        built_site):
    pages = audited_pages(built_site)
    topics = [path for path, topic_page in pages if topic_page]
    audiences = sorted(p.stem for p in (built_site.parent / "audiences").glob("*.yml")
                       if "." not in p.stem)  # not the translations' words (patient.es.yml)
    assert pages[0] == ("/", False) and ("/glossary/", False) in pages
    assert pages[-1] == ("/es/patient/kyphoplasty/", True)  # the Spanish edition's first
    assert sorted(path.split("/")[1] for path in topics[:-1]) == audiences
    for path in topics:
        assert parse(built_site / path.strip("/") / "index.html").xpath("//meta[@name='edu:topic']")


def test_the_audit_fails_a_slow_page_and_a_heavy_topic_page():
    def audit(performance: int, transferred: int) -> PageAudit:
        scores = {"performance": performance, "accessibility": 100, "best-practices": 100,
                  "seo": 100}
        return PageAudit(scores, lcp_ms=1500, transferred=transferred, unused_css=0, unused_js=0)

    assert audit(95, 150_000).failures(topic_page=True) == []
    assert audit(94, 90_000).failures(topic_page=False) == ["performance below 95"]
    assert audit(99, 150_001).failures(topic_page=True) == ["over 150 KB transferred"]
    assert audit(99, 150_001).failures(topic_page=False) == []
