"""Every page of the built site is valid HTML for the Nu Html Checker (npm vnu-jar, run with
Debian's Java on the files themselves, so nothing is fetched)."""
import json
import shutil
import subprocess

from conftest import REPO

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_messages(site) -> list[str]:
    java = shutil.which("java")
    assert java and VNU.exists(), "run `make setup axe` (Debian's Java and npm's vnu-jar)"
    proc = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json",
                           "--skip-non-html", str(site)], capture_output=True, text=True,
                          timeout=300)
    messages = json.loads(proc.stderr or '{"messages": []}')["messages"]
    return [f"{m.get('url', '').rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
            for m in messages]


def test_every_page_has_no_nu_html_checker_error(built_site):
    assert len(list(built_site.rglob("*.html"))) >= 10
    assert nu_messages(built_site) == []


def test_the_checker_does_report_invalid_html(tmp_path):
    """The check can fail: a page with Material's old checkbox markup is reported."""
    (tmp_path / "bad.html").write_text(
        '<!doctype html><html lang="en"><head><title>x</title></head><body>'
        '<input type="checkbox" id="t" autocomplete="off"><label for="missing">x</label></body></html>')
    messages = nu_messages(tmp_path)
    assert any("autocomplete" in m for m in messages)
    assert any("for" in m and "label" in m for m in messages)
