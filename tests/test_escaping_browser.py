"""Escaped furniture in a real browser: a site whose every printed field holds script,
event-handler and attribute-breakout payloads (tests/test_escaping.py) is opened page by page in
Chromium; every element is hovered, focused and clicked at, the review details are opened and
the search is run. Any alert, confirm or prompt fails the test."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import local_only
from test_escaping import build_payload_site, field

pytestmark = pytest.mark.browser

# Events an injected handler could wait for, sent to every element of the page (a real hover
# reaches only what is visible; a dispatched event reaches every element, hidden ones too).
PROVOKE = """() => {
  const kinds = ["mouseover", "mouseenter", "mousemove", "mousedown", "mouseup", "focus",
                 "focusin", "blur", "pointerover", "pointerenter", "keydown", "input", "change"];
  for (const el of document.querySelectorAll("*")) {
    for (const kind of kinds) el.dispatchEvent(new Event(kind, {bubbles: true}));
  }
  for (const details of document.querySelectorAll("details")) details.open = true;
}"""


@pytest.fixture(scope="module")
def payload_url(tmp_path_factory: pytest.TempPathFactory):
    from build_tools.site.local_server import served

    site = build_payload_site(tmp_path_factory.mktemp("escaping-browser") / "project")
    with served(site) as url:
        yield url, site


@pytest.fixture
def dialogs() -> list[str]:
    """Every dialog the tab opened, as "type: message"."""
    return []


@pytest.fixture
def tab(browser, dialogs: list[str]):
    """A page that records every dialog, and fails on any request that leaves 127.0.0.1."""
    def dialog(d) -> None:
        dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    with local_only(browser) as page:
        page.on("dialog", dialog)
        yield page


def provoke(page) -> None:
    """What a reader does, and more: hover and focus what is visible, Tab through the page,
    then send every element the events a handler could wait for."""
    for element in page.locator("a:visible, button:visible, label:visible, summary:visible, "
                                "[title]:visible").all()[:40]:
        element.hover(timeout=2000, force=True)
    for _ in range(15):
        page.keyboard.press("Tab")
    page.evaluate(PROVOKE)
    page.wait_for_load_state("load")


def site_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix().removesuffix("index.html")
                  for p in site.rglob("*.html") if "pagefind" not in p.parts)


def test_the_dialog_detector_sees_an_injected_handler(tab, dialogs):
    """The check below can fail: a page with one such payload is caught."""
    tab.set_content('<p onmouseover="alert(1)">x</p><a href="#" onfocus="alert(2)">y</a>')
    provoke(tab)
    assert dialogs, "an injected handler ran without the test seeing a dialog"


def test_no_page_of_the_payload_site_runs_a_payload(payload_url, tab, dialogs):
    url, site = payload_url
    pages = site_pages(site)
    assert {"", "404.html", "glossary/", "editorial-policy/", "advisory-board/",
            "patient/bracing/"} <= set(pages)
    ran = {}
    for rel in pages:
        tab.goto(f"{url}/{rel}")
        provoke(tab)
        if dialogs:
            ran[rel] = list(dialogs)
            dialogs.clear()
    assert ran == {}


def test_the_payloads_read_as_text_in_the_header_and_title(payload_url, tab, dialogs):
    url, _ = payload_url
    tab.goto(f"{url}/nurse/bracing/")
    assert tab.title() == f"{field('TITLE-nurse')} - {field('SITE')}"
    assert field("SITE") in tab.locator(".md-header__topic").first.inner_text()
    assert not dialogs


def test_searching_for_the_payloads_runs_none_of_them(payload_url, tab, dialogs):
    url, _ = payload_url
    tab.goto(f"{url}/")
    tab.keyboard.press("/")
    tab.fill("input.md-search__input", "alert")
    tab.locator(".md-search-result__item a").first.wait_for()
    provoke(tab)
    assert dialogs == []
