"""A reader drives search with the keyboard alone, on a phone (375 px), a desktop at 200% zoom
(640 px) and a desktop (1280 px): the arrows go through every filter and result one by one, Tab
reaches the results, Enter opens the one focused, Escape and the close button give focus back to
what opens search; focus is always shown, and the page never scrolls sideways."""
import pytest
from playwright.sync_api import expect

from projects import english_words

pytestmark = pytest.mark.browser

WIDTHS = {"375px": 375, "640px": 640, "1280px": 1280}
TOPIC = "/patient/vertebroplasty/"
QUERY = "cement"
FIELD = "input.md-search__input"
OPENER = ".edu-search-open"  # the header's search button where the field is not shown
CLOSE = english_words().theme.close_search
FILTERS = ["All readers", "Patient or family member", "Nurse", "Physician"]

# What a reader sees of the focused element: a ring (an outline or a shadow of some width), the
# element on screen, not covered where it stands (WCAG 2.4.7, 2.4.11); and whether it is the one
# the test expects.
FOCUS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
    || (style.boxShadow !== "none" && /[1-9]/.test(style.boxShadow));
  const box = el.getBoundingClientRect();
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  const hit = document.elementFromPoint(x, y);
  const shown = box.width > 0 && box.height > 0 && x >= 0 && x <= innerWidth && y >= 0
    && y <= innerHeight && !!hit && (el === hit || el.contains(hit) || hit.control === el);
  return { tag: el.tagName, name: el.getAttribute("aria-label") ?? el.value ?? "",
           href: el.getAttribute("href"), ring, shown };
}"""
# Every stop the arrows should visit after the field, in order: the filters, then the results
STOPS = """() => [...document.querySelectorAll(
    '.edu-search-filter input, .md-search-result__list a, .edu-search-more:not([hidden])')]
  .map(el => ({ tag: el.tagName, name: el.value, href: el.getAttribute("href") }))"""


def focused(page) -> dict:
    return page.evaluate(FOCUS)


def assert_seen(state: dict) -> None:
    assert state["ring"] and state["shown"], state


def no_sideways_scroll(page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1], width


def opener(page, width: int):
    """What opens search and gets focus back: the field where the header shows it (Material
    shows it from 960 px), the search button where it does not."""
    return page.locator(FIELD if width >= 960 else OPENER)


def open_and_type(page, site_url: str, width: int, how: str = "shortcut") -> None:
    page.set_viewport_size({"width": width, "height": 740})
    page.goto(site_url + TOPIC)
    if width >= 960:  # one way in: the field, no button beside it
        expect(page.locator(OPENER)).to_be_hidden()
    if how == "shortcut":
        page.keyboard.press("/")
    else:  # Tab from the top of the page to what opens search, then Enter (a button) or typing
        target = opener(page, width)
        for _ in range(20):
            page.keyboard.press("Tab")
            if target.evaluate("el => el === document.activeElement"):
                break
        expect(target).to_be_focused()
        assert_seen(focused(page))
        if width < 960:
            page.keyboard.press("Enter")
    expect(page.locator(FIELD)).to_be_focused()
    page.keyboard.type(QUERY)
    # the first search of a page loads the engine: slow on a busy machine
    expect(page.locator(".md-search-result__item a").first).to_be_visible(timeout=20_000)
    expect(page.locator(".md-search-result__meta")).to_have_text("7 matching documents")


def assert_closed_with_focus_on_opener(page, width: int) -> None:
    expect(page.locator("#__search")).not_to_be_checked()
    expect(opener(page, width)).to_be_focused()
    assert_seen(focused(page))


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_arrows_move_through_every_filter_and_result_one_by_one(page, site_url, width):
    open_and_type(page, site_url, width)
    stops = page.evaluate(STOPS)
    assert [stop["name"] for stop in stops[:4]] == ["", "patient", "nurse", "physician"]
    assert len([stop for stop in stops if stop["tag"] == "A"]) == 7
    for stop in stops:
        page.keyboard.press("ArrowDown")
        state = focused(page)
        assert (state["tag"], state["href"]) == (stop["tag"], stop["href"]), (stop, state)
        assert_seen(state)
    page.keyboard.press("ArrowDown")  # the last stays focused
    assert focused(page)["href"] == stops[-1]["href"]
    for stop in reversed(stops[:-1]):
        page.keyboard.press("ArrowUp")
        state = focused(page)
        assert (state["tag"], state["href"]) == (stop["tag"], stop["href"]), (stop, state)
        assert_seen(state)
    page.keyboard.press("ArrowUp")
    expect(page.locator(FIELD)).to_be_focused()
    assert_seen(focused(page))
    # moving over the filters chose none of them: the reader chooses with Enter or Space
    expect(page.get_by_role("radio", name="All readers")).to_be_checked()
    no_sideways_scroll(page)
    page.keyboard.press("Escape")
    assert_closed_with_focus_on_opener(page, width)
    if width >= 960:  # the field keeps the words; typing on reopens the panel with them
        page.keyboard.type(" leak")
        expect(page.locator("#__search")).to_be_checked()
        expect(page.locator(FIELD)).to_have_value(QUERY + " leak")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_enter_on_a_filter_chooses_it_and_the_arrows_go_on_to_its_results(page, site_url, width):
    open_and_type(page, site_url, width)
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.get_by_role("radio", name="Nurse")).to_be_checked()
    expect(page.locator(".md-search-result__item")).to_have_count(2)
    page.keyboard.press("ArrowDown")  # Physician
    page.keyboard.press("ArrowDown")
    state = focused(page)
    assert state["href"] and "/nurse/" in state["href"], state
    assert_seen(state)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_tab_reaches_every_result_with_focus_shown(page, site_url, width):
    open_and_type(page, site_url, width)
    hrefs = [stop["href"] for stop in page.evaluate(STOPS) if stop["tag"] == "A"]
    reached = []
    for _ in range(len(hrefs) + 6):
        page.keyboard.press("Tab")
        if not page.evaluate("document.querySelector('[data-edu-search]').contains(document.activeElement)"):
            break
        state = focused(page)
        assert_seen(state)
        if state["tag"] == "A":
            reached.append(state["href"])
    assert reached == hrefs


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("how", ["shortcut", "tab"])
def test_enter_opens_the_focused_result(page, site_url, width, how):
    open_and_type(page, site_url, width, how)
    for _ in range(len(FILTERS) + 3):  # the third result
        page.keyboard.press("ArrowDown")
    href = focused(page)["href"]
    assert href and href.startswith("/"), href
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + href)
    expect(page.locator("#__search")).not_to_be_checked()


@pytest.mark.parametrize("width", [320, 375, 480, 640, 800, 1024, 1280])
@pytest.mark.parametrize("how", ["shortcut", "tab"])
def test_the_open_panel_fits_the_screen(page, site_url, width, how):
    open_and_type(page, site_url, width, how)
    no_sideways_scroll(page)
    for name in FILTERS:  # every filter on screen
        box = page.get_by_role("radio", name=name).bounding_box()
        assert box and 0 <= box["x"] and box["x"] + box["width"] <= width, (name, box)
    title = page.locator(".md-search-result__item h1").first.bounding_box()
    assert title and title["x"] >= 0 and title["x"] + title["width"] <= width, title
    close = page.get_by_role("button", name=CLOSE)
    expect(close).to_be_in_viewport(ratio=1)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_close_button_closes_by_keyboard_and_by_tap(page, site_url, width):
    open_and_type(page, site_url, width)
    page.keyboard.press("Tab")  # from the field; the clear button is not a stop
    expect(page.get_by_role("button", name=CLOSE)).to_be_focused()
    assert_seen(focused(page))
    page.keyboard.press("Enter")
    assert_closed_with_focus_on_opener(page, width)
    page.keyboard.press("/")
    expect(page.locator("#__search")).to_be_checked()
    page.get_by_role("button", name=CLOSE).click()
    expect(page.locator("#__search")).not_to_be_checked()
    expect(page.locator(".md-search__output")).to_be_hidden()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_tabbing_backwards_through_the_header_never_lands_on_the_closed_panel(
        page, site_url, width):
    page.set_viewport_size({"width": width, "height": 740})
    page.goto(site_url + TOPIC)
    page.locator(".md-content a").first.focus()
    for _ in range(25):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        if page.evaluate("!!document.activeElement.closest('.md-header')"):
            state = focused(page)
            assert_seen(state)
    if width < 960:  # where the field is shown, reaching it opens the panel, as it should
        expect(page.locator("#__search")).not_to_be_checked()
