"""`make audit`'s own checks: the link checker finds what is broken and nothing else."""
from pathlib import Path

from build_tools.audit import broken_links, main


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
