"""A reader in Chromium: every page passes axe-core's WCAG 2.2 A/AA rules and fits a phone,
the audience choice works by keyboard and is remembered, the switch keeps the section, and
glossary terms explain themselves. The `page` fixture fails any test whose page reaches
beyond 127.0.0.1."""
import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from conftest import ARTIFACTS, REPO

pytestmark = pytest.mark.browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
TOPIC = "vertebroplasty"


def heading(audience: str, section: str) -> str:
    """The heading the example's prose gives the section with this id (`## Title {: #id }`)."""
    prose = (REPO / "audiences" / audience / f"{TOPIC}.md").read_text(encoding="utf-8")
    return re.search(rf"^## (.+?) \{{: #{section} \}}$", prose, re.M).group(1)


def site_paths(site: Path) -> list[str]:
    """Every page of the site as its address, the 404 page included."""
    return sorted("/" + p.relative_to(site).as_posix().removesuffix("index.html")
                  for p in site.rglob("*.html"))


def axe_violations(page) -> list[str]:
    """axe-core's findings on the loaded page, whose context loads axe (add_init_script)."""
    # resultTypes: axe still runs every rule, but details only what fails (axe-core's advice
    # for speed: the passes of a 1,000-element page are most of its work)
    found = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                          "resultTypes: ['violations']}).then(result => result.violations)",
                          WCAG_22_AA)
    return [f"{v['id']} at {node['target']}: {node['failureSummary']}"
            for v in found for node in v["nodes"]]


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab, as a keyboard-only reader does, until the element has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_every_page_passes_axe_and_fits_the_screen(page, site_url, built_site, viewport, scheme):
    """In the reader's light or dark colour scheme (prefers-color-scheme), contrast included."""
    page.context.add_init_script(path=str(AXE))  # on every page: compiled once, not sent 17 times
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size(viewport)
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    paths = site_paths(built_site)
    assert "/404.html" in paths and f"/patient/{TOPIC}/" in paths
    assert f"/es/patient/{TOPIC}/" in paths and "/es/404.html" in paths  # Spanish too
    problems = {}
    for path in paths:
        page.goto(site_url + path)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert (background == "rgb(22, 25, 29)") == (scheme == "dark"), (path, background)
        found = axe_violations(page)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > viewport["width"]:
            found.append(f"the page scrolls sideways: {width}px wide")
        if found:
            problems[path] = found
    assert problems == {}
    assert script_errors == []


def test_chooser_works_by_keyboard_and_survives_a_reload(page, site_url):
    page.goto(site_url + "/")
    tab_to(page, "#edu-audience-chooser a[data-audience='nurse']")
    focus = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focus != "none"  # the reader can see where they are
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site_url}/nurse/")

    page.goto(site_url + "/")
    for _ in range(2):  # a later visit, then a reload of it
        offer = page.locator("#edu-welcome-back a")
        expect(offer).to_have_attribute("href", re.compile(r"nurse/$"))
        expect(offer).to_contain_text("Nurse")
        expect(page.locator("#edu-audience-chooser a[aria-current]")).to_have_attribute(
            "data-audience", "nurse")
        page.reload()

    tab_to(page, "#edu-welcome-back a")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site_url}/nurse/")


def test_choice_can_be_changed_from_any_page(page, site_url):
    page.goto(site_url + "/glossary/")
    page.click("#edu-audience-menu a[data-audience='physician']")
    page.wait_for_url(f"{site_url}/physician/")
    expect(page.locator("#edu-audience-menu a[aria-current='page']")).to_have_text("Physician")
    page.goto(f"{site_url}/physician/{TOPIC}/")
    page.click("#edu-audience-switch a[data-audience='patient']")
    page.wait_for_url(re.compile(rf"/patient/{TOPIC}/"))
    page.goto(site_url + "/")
    expect(page.locator("#edu-welcome-back a")).to_have_attribute("data-audience", "patient")


def test_switch_keeps_the_section_linked_to(page, site_url):
    page.goto(f"{site_url}/patient/{TOPIC}/#risks")
    page.click("#edu-audience-switch a[data-audience='physician']")
    page.wait_for_url(f"{site_url}/physician/{TOPIC}/#risks")
    section = page.locator("#risks")
    expect(section).to_contain_text(heading("physician", "risks"))
    expect(section).to_be_in_viewport()


def test_switch_keeps_the_section_scrolled_to_by_keyboard(page, site_url):
    page.set_viewport_size(PHONE)
    page.goto(f"{site_url}/patient/{TOPIC}/")
    page.evaluate("document.getElementById('procedure').scrollIntoView()")
    page.focus("#edu-audience-switch a[data-audience='nurse']")  # the switch stays on screen
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site_url}/nurse/{TOPIC}/#procedure")
    expect(page.locator("#procedure")).to_contain_text(heading("nurse", "procedure"))
    expect(page.locator("#procedure")).to_be_in_viewport()


def test_switch_opens_the_top_when_the_other_version_lacks_the_section(page, site_url):
    page.goto(f"{site_url}/patient/{TOPIC}/")
    page.evaluate("document.getElementById('questions-to-ask-your-care-team').scrollIntoView()")
    page.click("#edu-audience-switch a[data-audience='physician']")
    page.wait_for_url(re.compile(rf"/physician/{TOPIC}/"))
    expect(page.locator("h1")).to_be_in_viewport()
    assert page.evaluate("window.scrollY") == 0


def test_glossary_term_shows_its_definition_and_opens_the_glossary(page, site_url):
    definition = yaml.safe_load((REPO / "content/glossary.yml").read_text())["vas"]["definition"]
    page.goto(f"{site_url}/patient/{TOPIC}/")
    term = page.locator("abbr.edu-term[data-term='vas']").first
    term.hover()
    expect(page.locator(".md-tooltip2--active")).to_contain_text(" ".join(definition.split()))
    page.mouse.move(0, 0)
    expect(page.locator(".md-tooltip2--active")).to_have_count(0)
    tab_to(page, "abbr.edu-term[data-term='vas'] a")  # keyboard readers get the tooltip too
    expect(page.locator(".md-tooltip2--active")).to_contain_text(" ".join(definition.split()))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site_url}/glossary/#term-vas")
    expect(page.locator("#term-vas")).to_be_in_viewport()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_screenshot_of_a_patient_page(page, site_url, viewport):
    """Saved for a person to look at; the other tests check what can be checked."""
    page.set_viewport_size(viewport)
    page.goto(f"{site_url}/patient/{TOPIC}/")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"patient-{TOPIC}-{viewport['width']}px.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0
