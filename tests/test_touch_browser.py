"""Readers on phones and tablets (issue 21, items 2 and 3): "Back to top" never sits over a
control, and glossary terms and "not yet checked" marks are targets a finger can hit that
explain themselves in place on a first tap instead of leaving the page."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
VIEWPORTS = [PHONE, DESKTOP]
IDS = ["375px", "1280px"]
TOPIC_PAGES = [f"/{audience}/vertebroplasty/" for audience in ("patient", "nurse", "physician")]
DEFINED = "abbr.edu-term a, sup.edu-unverified a, sup.edu-sign-unverified a"

# The back-to-top button's box and every visible control it overlaps.
COVERED = """() => {
  const button = document.querySelector('.md-top');
  const style = button && getComputedStyle(button);
  if (!button || button.hidden || style.display === 'none' || style.visibility === 'hidden'
      || parseFloat(style.opacity) === 0) return {shown: false, covered: []};
  const box = button.getBoundingClientRect();
  const covered = [...document.querySelectorAll('a, button, input, summary, [role=button]')]
    .filter(c => c !== button && !button.contains(c) && c.getClientRects().length
                 && getComputedStyle(c).visibility !== 'hidden')
    .filter(c => { const o = c.getBoundingClientRect();
                   return o.left < box.right && o.right > box.left && o.top < box.bottom && o.bottom > box.top; })
    .map(c => (c.textContent || c.getAttribute('aria-label') || c.tagName).trim().slice(0, 30));
  return {shown: true, covered};
}"""


def touch_page(browser, viewport: dict):
    """A page in a context that reports a touch screen, as a phone or a tablet does."""
    context = browser.new_context(viewport=viewport, has_touch=True,
                                  is_mobile=viewport["width"] < 800)
    return context, context.new_page()


def scroll_down_then_up(page, down: int) -> None:
    page.mouse.move(page.viewport_size["width"] / 2, page.viewport_size["height"] / 2)
    page.mouse.wheel(0, down)
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -300)  # Material shows the button while the reader scrolls up
    page.wait_for_timeout(500)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=IDS)
@pytest.mark.parametrize("path", TOPIC_PAGES)
def test_back_to_top_never_covers_a_control(page, site_url, path, viewport):
    page.set_viewport_size(viewport)
    page.goto(site_url + path)
    height = page.evaluate("document.documentElement.scrollHeight")
    shown = 0
    for down in (1200, 2400, height):  # reading, further down, and at the footer
        page.evaluate("window.scrollTo(0, 0)")
        scroll_down_then_up(page, down)
        state = page.evaluate(COVERED)
        assert state["covered"] == [], (down, state)
        shown += state["shown"]
    if viewport is DESKTOP:
        assert shown, "the button is still offered on wide screens"


def test_a_tap_on_the_audience_switch_reaches_it_after_scrolling_up(page, site_url):
    page.set_viewport_size(PHONE)
    page.goto(site_url + "/patient/vertebroplasty/")
    scroll_down_then_up(page, 1500)
    for name in ("Nurse", "Physician"):
        link = page.locator("#edu-audience-switch a", has_text=name)
        box = link.bounding_box()
        hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('a')?.textContent",
                            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
        assert hit == name


# Each target's box, and what a finger finds 2 px inside its top and bottom edge, at the
# middle of its first line (a term may wrap).
TARGETS = """selector => [...document.querySelectorAll(selector)].map(link => {
  link.scrollIntoView({block: 'center'});
  const box = link.getBoundingClientRect();
  const line = link.getClientRects()[0];
  const x = line.left + line.width / 2;
  const finds = y => { const hit = document.elementFromPoint(x, y); return !!hit && link.contains(hit); };
  return {text: link.textContent.trim(), width: box.width, height: box.height,
          top: finds(line.top + 2), bottom: finds(line.bottom - 2),
          lineHeight: line.height};
})"""


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=IDS)
@pytest.mark.parametrize("path", ["/patient/vertebroplasty/", "/physician/vertebroplasty/"])
def test_terms_and_marks_are_touch_targets_of_24_px(browser, site_url, path, viewport):
    context, page = touch_page(browser, viewport)
    try:
        page.goto(site_url + path)
        targets = page.evaluate(TARGETS, DEFINED)
        assert len(targets) > 10
        assert any(t["text"] == "not yet checked" for t in targets)  # the marks are measured
        small = [t for t in targets if t["width"] < 24 or t["lineHeight"] < 24
                 or not (t["top"] and t["bottom"])]
        assert small == []
    finally:
        context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=IDS)
def test_a_tap_on_a_term_shows_its_meaning_and_a_second_goes_to_the_glossary(
        browser, site_url, viewport):
    context, page = touch_page(browser, viewport)
    try:
        page.goto(site_url + "/patient/vertebroplasty/")
        term = page.locator("abbr.edu-term[data-term='osteoporosis']").first
        definition = term.get_attribute("title")
        link = term.locator("a")
        link.scroll_into_view_if_needed()
        where = page.url
        link.tap()
        meaning = page.locator(".edu-meaning")
        expect(meaning).to_be_visible()
        expect(meaning).to_have_text(definition)
        assert page.url == where
        shown, word = meaning.bounding_box(), link.bounding_box()
        assert abs(shown["y"] - (word["y"] + word["height"])) < 40  # next to the word
        assert 0 <= shown["x"] and shown["x"] + shown["width"] <= viewport["width"]
        link.tap()
        page.wait_for_url(f"{site_url}/glossary/#term-osteoporosis")
    finally:
        context.close()


def test_a_tap_on_a_mark_says_what_not_yet_checked_means(browser, site_url):
    context, page = touch_page(browser, PHONE)
    try:
        page.goto(site_url + "/patient/vertebroplasty/")
        note = page.locator("#edu-sign-note").text_content().strip()
        where = page.url
        page.locator("sup.edu-sign-unverified a").first.tap()
        expect(page.locator(".edu-meaning")).to_have_text(note)
        assert page.url == where
        page.locator("h1").tap()  # a tap elsewhere puts it away
        expect(page.locator(".edu-meaning")).to_have_count(0)
        page.locator("sup.edu-unverified a").first.tap()
        expect(page.locator(".edu-meaning")).to_contain_text("not yet checked")
        assert page.url == where
    finally:
        context.close()


def test_a_mouse_click_on_a_term_still_opens_the_glossary(page, site_url):
    page.set_viewport_size(DESKTOP)
    page.goto(site_url + "/patient/vertebroplasty/")
    page.locator("abbr.edu-term[data-term='osteoporosis'] a").first.click()
    page.wait_for_url(f"{site_url}/glossary/#term-osteoporosis")
