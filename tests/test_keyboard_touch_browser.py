"""Keyboard, touch and no-JavaScript readers at 375 and 1280 px: the search panel lets focus
go, focus is always in sight and visible, citations are big enough to tap, tooltips readable,
and without JavaScript glossary terms still lead to their definitions."""
import re

import pytest
from playwright.sync_api import expect


pytestmark = pytest.mark.browser

VIEWPORTS = [{"width": 375, "height": 740}, {"width": 1280, "height": 800}]
IDS = ["375px", "1280px"]
TOPIC = "/patient/vertebroplasty/"
FOCUSED = """() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  const line = el.getClientRects()[0] || box;  // a link that wraps: its first line
  const style = getComputedStyle(el);
  const x = Math.min(Math.max(line.left + Math.min(line.width / 2, 4), 0), innerWidth - 1);
  const y = Math.min(Math.max(line.top + line.height / 2, 0), innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  return {tag: el.tagName, text: (el.textContent || el.value || '').trim().slice(0, 40),
          inContent: !!el.closest('article'), inSearch: !!el.closest('.md-search'),
          top: box.top, bottom: box.bottom, height: box.height,
          onTop: !!hit && (el === hit || el.contains(hit)),
          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
          shadow: style.boxShadow !== 'none'};
}"""


def focus_stops(page, key: str, count: int) -> list[dict]:
    stops = []
    for _ in range(count):
        page.keyboard.press(key)
        stops.append(page.evaluate(FOCUSED))
    return stops


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=IDS)
def test_search_panel_closes_when_focus_leaves_it(page, site_url, viewport):
    page.set_viewport_size(viewport)
    page.goto(site_url + TOPIC)
    for key in ("Tab", "Shift+Tab"):
        page.keyboard.press("/")
        page.fill("input.md-search__input", "cement")
        page.locator(".md-search-result__item").first.wait_for()
        for _ in range(12):
            page.keyboard.press(key)
            if not page.evaluate("!!document.activeElement.closest('.md-search')"):
                break
        assert not page.evaluate("!!document.activeElement.closest('.md-search')")
        assert not page.locator("#__search").is_checked(), key
        expect(page.locator(".md-search__output")).to_be_hidden()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=IDS)
def test_focus_is_never_hidden_under_the_sticky_bars(page, site_url, viewport):
    page.set_viewport_size(viewport)
    page.goto(site_url + TOPIC)
    page.locator("#edu-references").scroll_into_view_if_needed()
    page.locator("#ref-yang2022 a.edu-doi").focus()
    backwards = focus_stops(page, "Shift+Tab", 60)
    page.goto(site_url + TOPIC)
    forwards = focus_stops(page, "Tab", 60)
    stops = [s for s in backwards + forwards if s["tag"] != "BODY"]
    assert sum(s["inContent"] for s in stops) > 60
    assert any(s["text"].isdigit() for s in stops)  # citations included
    hidden = [(s["text"], s["top"]) for s in stops
              if not s["onTop"] or s["top"] < 0 or s["bottom"] > viewport["height"] + 1]
    assert hidden == [], hidden


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=IDS)
def test_every_control_shows_focus(page, site_url, viewport):
    page.set_viewport_size(viewport)
    stops = []
    for path in ("/", "/glossary/", TOPIC):
        page.goto(site_url + path)
        stops += focus_stops(page, "Tab", 30 if path != TOPIC else 50)
    page.keyboard.press("/")
    page.fill("input.md-search__input", "cement")
    page.locator(".md-search-result__item").first.wait_for()
    stops += [s for s in focus_stops(page, "Tab", 3) if s["inSearch"]]
    assert any(s["tag"] == "INPUT" and s["inSearch"] for s in stops)  # the audience filter
    unseen = [s for s in stops if s["tag"] != "BODY" and not (s["outline"] or s["shadow"])]
    assert unseen == []


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=IDS)
def test_citation_links_are_targets_of_24_px(page, site_url, viewport):
    page.set_viewport_size(viewport)
    page.goto(site_url + TOPIC)
    sizes = page.locator("a.edu-cite").evaluate_all(
        "links => links.map(a => { const b = a.getBoundingClientRect(); return [b.width, b.height]; })")
    assert len(sizes) > 20
    assert [s for s in sizes if s[0] < 24 or s[1] < 24] == []


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=IDS)
def test_tooltip_text_is_at_least_14_px(page, site_url, viewport):
    page.set_viewport_size(viewport)
    page.goto(site_url + TOPIC)
    page.locator("abbr.edu-term[data-term='vas'] a").first.focus()
    tooltip = page.locator(".md-tooltip2--active .md-tooltip2__inner")
    expect(tooltip).to_be_visible()
    assert float(tooltip.evaluate("el => getComputedStyle(el).fontSize").removesuffix("px")) >= 14


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=IDS)
def test_without_javascript_terms_link_to_the_glossary_and_search_says_why(
        browser, site_url, viewport):
    context = browser.new_context(java_script_enabled=False, viewport=viewport)
    context.route(re.compile(r"^(?!http://127\.0\.0\.1).*"), lambda route: route.abort())
    page = context.new_page()
    try:
        page.goto(site_url + TOPIC)
        notice = page.locator("header .edu-search-nojs")  # in <noscript>, which getByText skips
        expect(notice).to_be_visible()
        expect(notice).to_have_text("Search needs JavaScript")
        page.locator("abbr.edu-term[data-term='vas'] a").first.click()
        page.wait_for_url(f"{site_url}/glossary/#term-vas")
        expect(page.locator("#term-vas")).to_be_in_viewport()
    finally:
        context.close()
