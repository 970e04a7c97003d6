"""A patient looking for when to get help searches in their own words, on a phone, and the first
result opens a patient page at its "When to call your care team" section (id warning-signs),
scrolled to that heading, whether they press Enter, tap the result or reach it by keyboard."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
QUERIES = ["when to call", "numb legs", "chest pain", "emergency"]
SECTION = "warning-signs"  # the id of the patient pages' safety section
AT_THE_SECTION = re.compile(rf"/patient/[a-z0-9-]+/#{SECTION}$")
PATIENT = "Patient or family member"
# Where the heading stands, and whether anything (the header, the search panel) covers it
HEADING = f"""() => {{
  const heading = document.getElementById("{SECTION}");
  const box = heading.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + 4, box.top + box.height / 2);
  return {{top: box.top, covered: !hit || !heading.contains(hit)}};
}}"""


def start_search(page, url: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(url)
    page.keyboard.press("/")


def first_result(page, query: str):
    """Type the query; the first result's link, once the results for it are shown."""
    page.fill("input.md-search__input", query)
    expect(page.locator(".md-search-result__meta")).not_to_have_text("Type to start searching")
    return page.locator(".md-search-result__item a").first


def assert_at_the_section(page, site_url: str, href: str) -> None:
    page.wait_for_url(site_url + href)
    expect(page.locator(f"#{SECTION}")).to_be_in_viewport()
    expect(page.locator("#__search")).not_to_be_checked()  # the panel closed
    heading = page.evaluate(HEADING)
    assert not heading["covered"], heading
    assert 0 <= heading["top"] < PHONE["height"] / 3, heading  # scrolled to, at the top


@pytest.mark.parametrize("query", QUERIES)
def test_with_the_patient_filter_enter_opens_a_patient_page_at_its_warning_signs(
        page, site_url, query):
    start_search(page, site_url + "/")
    page.get_by_role("radio", name=PATIENT).check()
    first = first_result(page, query)
    expect(first).to_have_attribute("href", AT_THE_SECTION)
    expect(first.locator(".edu-search-section")).to_have_text("When to call your care team")
    href = first.get_attribute("href")
    page.keyboard.press("Enter")  # still typing in the search box
    assert_at_the_section(page, site_url, href)


@pytest.mark.parametrize("query", QUERIES)
def test_a_reader_who_chose_patient_on_the_home_page_taps_the_first_result(
        page, site_url, query):
    page.goto(site_url + "/")
    page.evaluate("localStorage.setItem('edu-audience', 'patient')")  # as the chooser keeps it
    start_search(page, site_url + "/")
    expect(page.get_by_role("radio", name="All readers")).to_be_checked()
    first = first_result(page, query)
    expect(first).to_have_attribute("href", AT_THE_SECTION)
    href = first.get_attribute("href")
    first.click()
    assert_at_the_section(page, site_url, href)


# The second: a reader who followed the result once and scrolled back up; the address does
# not change, so only the search itself can close its panel.
@pytest.mark.parametrize("followed_before", [False, True], ids=["page", "page-at-section"])
def test_on_the_page_itself_the_keyboard_reaches_the_result_and_the_panel_gets_out_of_the_way(
        page, site_url, followed_before):
    target = f"/patient/vertebroplasty/#{SECTION}"
    start_search(page, site_url + "/patient/vertebroplasty/")
    if followed_before:
        page.evaluate(f"history.replaceState(null, '', '#{SECTION}')")
    page.get_by_role("radio", name=PATIENT).check()
    page.locator("input.md-search__input").focus()
    first = first_result(page, "chest pain")
    expect(first).to_have_attribute("href", target)
    page.keyboard.press("ArrowDown")
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    assert_at_the_section(page, site_url, target)
