"""`make audit`: outside tools' verdict on the built site, one line each.

- the Nu Html Checker (npm vnu-jar, run with Debian's Java on the files: nothing is fetched);
- Lighthouse (npm, Debian's Chromium, mobile) on the home page, one topic page of each audience
  and the glossary, served on 127.0.0.1 compressed as a static host serves it (gzip for text
  when the browser asks for it); Chromium resolves no other host, so nothing leaves the machine;
- a link checker for every link, image, script and stylesheet inside the site, anchors
  included (addresses on other sites are counted, not fetched).

Exit status 1 when Nu finds an error, a link is broken, Lighthouse's performance is below 95 or
another of its scores below 100, or a topic page transfers more than 150 KB on a cold load.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from urllib.parse import unquote, urljoin, urlsplit

from lxml import html as lxml_html

from .site.local_server import served

ROOT = Path(__file__).resolve().parents[1]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LIMITS = MappingProxyType({"performance": 95})  # the lowest score that passes; else 100
TOPIC_PAGE_BYTES = 150_000  # the most a cold topic page may transfer (Lighthouse's byte weight)
# Chromium may reach nothing but the site under test.
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run "
                "--host-resolver-rules=\"MAP * ~NOTFOUND, EXCLUDE 127.0.0.1\"")
LINKED = "//a[@href]/@href | //link[@href]/@href | //script[@src]/@src | //img[@src]/@src"
NOT_CHECKED = ("mailto:", "tel:", "data:", "javascript:")


def nu_errors(site: Path) -> list[str]:
    """Nu Html Checker errors on every page: "path:line: message"."""
    java = shutil.which("java")
    if not java or not VNU.exists():
        return ["the Nu Html Checker is not installed: run `make setup axe`"]
    proc = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json",
                           "--skip-non-html", str(site)], capture_output=True, text=True,
                          timeout=600)
    messages = json.loads(proc.stderr or '{"messages": []}').get("messages", [])
    return [f"{_site_path(m.get('url', ''), site)}:{m.get('lastLine', '?')}: {m['message']}"
            for m in messages]


def _site_path(url: str, site: Path) -> str:
    path = unquote(urlsplit(url).path)
    return path.split(str(site.resolve()) + "/", 1)[-1]


def broken_links(site: Path) -> tuple[int, int, list[str]]:
    """(links checked, links to other sites not fetched, broken ones as "page: target")."""
    ids: dict[Path, set[str]] = {}
    checked, external, broken = 0, 0, []
    for page in sorted(site.rglob("*.html")):
        tree = lxml_html.fromstring(page.read_bytes())
        base = "/" + page.relative_to(site).as_posix()
        for target in tree.xpath(LINKED):
            if target.startswith(NOT_CHECKED):
                continue
            parts = urlsplit(urljoin(base, target))
            if parts.scheme or parts.netloc:
                external += 1
                continue
            checked += 1
            file = _file_for(site, unquote(parts.path))
            if file is None:
                broken.append(f"{base}: {target}")
            elif parts.fragment and file.suffix == ".html":
                if file not in ids:
                    ids[file] = set(lxml_html.fromstring(file.read_bytes()).xpath("//@id | //a/@name"))
                if unquote(parts.fragment) not in ids[file]:
                    broken.append(f"{base}: {target} (no such anchor)")
    return checked, external, broken


def _file_for(site: Path, path: str) -> Path | None:
    file = (site / path.lstrip("/")).resolve()
    if not file.is_relative_to(site.resolve()):
        return None
    if file.is_dir():
        file = file / "index.html"
    return file if file.is_file() else None


@dataclass(frozen=True)
class PageAudit:
    """What Lighthouse found on one page."""

    scores: dict[str, int]  # category: 0-100
    lcp_ms: float  # Largest Contentful Paint, simulated mobile
    transferred: int  # bytes a cold load transfers (total-byte-weight)
    unused_css: int  # bytes of CSS the page loads and does not use
    unused_js: int

    def failures(self, topic_page: bool) -> list[str]:
        found = [f"{key} below {LIMITS.get(key, 100)}" for key, value in self.scores.items()
                 if value < LIMITS.get(key, 100)]
        if topic_page and self.transferred > TOPIC_PAGE_BYTES:
            found.append(f"over {TOPIC_PAGE_BYTES // 1000} KB transferred")
        return found

    def line(self) -> str:
        scores = ", ".join(f"{key} {value}" for key, value in self.scores.items())
        return (f"{scores}; LCP {self.lcp_ms / 1000:.1f} s, {_kb(self.transferred)} transferred, "
                f"unused CSS {_unused(self.unused_css, 10)}, unused JS {_unused(self.unused_js, 20)}")


def _kb(count: int) -> str:
    return f"{count / 1000:.1f} KB"


def _unused(count: int, floor_kib: int) -> str:
    """Lighthouse counts a file's unused bytes only above its floor (10 KiB of CSS, 20 KiB of
    JavaScript): nothing counted means under the floor in every file, not none."""
    return _kb(count) if count else f"under {floor_kib} KiB a file"


def lighthouse_audit(url: str) -> PageAudit:
    """Lighthouse's mobile verdict on one page."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        proc = subprocess.run(
            [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
             f"--only-categories={','.join(CATEGORIES)}", "--form-factor=mobile",
             "--screenEmulation.mobile", f"--chrome-flags={CHROME_FLAGS}"],
            capture_output=True, text=True, timeout=300,
            env={**os.environ, "CHROME_PATH": CHROMIUM})
        if proc.returncode != 0 or not report.exists():
            raise AuditError(f"lighthouse failed on {url}: {proc.stderr.strip()[-300:]}")
        data = json.loads(report.read_text(encoding="utf-8"))
    audits = data["audits"]
    return PageAudit(
        scores={key: round((data["categories"][key]["score"] or 0) * 100) for key in CATEGORIES},
        lcp_ms=float(audits["largest-contentful-paint"].get("numericValue") or 0),
        transferred=int(audits["total-byte-weight"].get("numericValue") or 0),
        unused_css=_savings(audits.get("unused-css-rules", {})),
        unused_js=_savings(audits.get("unused-javascript", {})))


def _savings(audit: dict[str, object]) -> int:
    details = audit.get("details")
    return int(details.get("overallSavingsBytes") or 0) if isinstance(details, dict) else 0


def audited_pages(site: Path) -> list[tuple[str, bool]]:
    """(address, is a topic page): the home page, the first topic page of each audience (in
    the order of their addresses), the glossary, and a translated edition's first topic page."""
    topics: dict[str, str] = {}
    for page in sorted(site.glob("*/*/index.html")):
        tree = lxml_html.fromstring(page.read_bytes())
        audience = tree.xpath("string(//meta[@name='edu:audience']/@content)")
        if audience and tree.xpath("//meta[@name='edu:topic']") and audience not in topics:
            topics[audience] = "/" + page.parent.relative_to(site).as_posix() + "/"
    pages = [("/", False), *((path, True) for path in topics.values())]
    pages += [("/glossary/", False)] if (site / "glossary" / "index.html").exists() else []
    # a translated edition's first topic page (its own language, words and search)
    translated = sorted(p for p in site.glob("*/*/*/index.html")
                        if (p.parents[2] / "index.html").exists()
                        and (p.parents[2] / "pagefind").is_dir())
    return pages + [("/" + translated[0].parent.relative_to(site).as_posix() + "/", True)
                    ] if translated else pages


class AuditError(Exception):
    """A tool could not run."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools.audit", description=__doc__)
    parser.add_argument("site", nargs="?", default="site", type=Path)
    args = parser.parse_args(argv)
    site: Path = args.site
    if not (site / "index.html").exists():
        print(f"audit: no site in {site}/; run `make site` first", file=sys.stderr)
        return 2
    failed = False
    errors = nu_errors(site)
    pages = len(list(site.rglob("*.html")))
    print(f"nu: {len(errors)} error(s) on {pages} pages")
    for line in errors[:20]:
        print(f"  {line}")
    failed |= bool(errors)
    checked, external, broken = broken_links(site)
    print(f"links: {len(broken)} broken of {checked} checked ({external} to other sites, not fetched)")
    for line in broken[:20]:
        print(f"  {line}")
    failed |= bool(broken)
    with served(site, compress=True) as base:
        for path, topic_page in audited_pages(site):
            try:
                audit = lighthouse_audit(base + path)
            except AuditError as exc:
                print(f"lighthouse {path}: {exc}")
                failed = True
                continue
            failures = audit.failures(topic_page)
            verdict = f" - FAILS: {', '.join(failures)}" if failures else ""
            print(f"lighthouse {path} (mobile): {audit.line()}{verdict}")
            failed |= bool(failures)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
