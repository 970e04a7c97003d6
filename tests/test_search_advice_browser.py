"""A patient looking for when to get help searches in their own words, on a phone, and the first
result opens a patient page at its "When to call your care team" section (id warning-signs),
scrolled to that heading, whether they press Enter, tap the result or reach it by keyboard."""
import re

import pytest
import yaml
from playwright.sync_api import expect

from conftest import REPO

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
QUERIES = ["when to call", "numb legs", "chest pain", "emergency"]
SECTION = "warning-signs"  # the id of the patient pages' safety section
AT_THE_SECTION = re.compile(rf"/patient/[a-z0-9-]+/#{SECTION}$")
PATIENT = "Patient or family member"
FILTERS = 4  # "All readers" and the three audiences, above the results
# the section's title as audiences/patient.yml gives it
SECTION_TITLE = yaml.safe_load((REPO / "audiences/patient.yml").read_text(
    encoding="utf-8"))["warning_signs"]["title"]
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
    expect(first.locator(".edu-search-section")).to_have_text(SECTION_TITLE)
    # the excerpt is the part of the section with every word searched for, marked
    marked = [m.lower() for m in first.locator(".edu-search-excerpt mark").all_inner_texts()]
    assert all(any(m.startswith(word[:3]) for m in marked) for word in query.split()), marked
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


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_results_with_their_sections_pass_axe(page, site_url, scheme):
    from test_reader_browser import AXE, axe_violations

    page.context.add_init_script(path=str(AXE))
    page.emulate_media(color_scheme=scheme)
    start_search(page, site_url + "/patient/vertebroplasty/")
    page.get_by_role("radio", name=PATIENT).check()
    expect(first_result(page, "chest pain").locator(".edu-search-section")).to_be_visible()
    page.locator("input.md-search__input").focus()
    for _ in range(FILTERS + 1):  # a result has focus, with its ring
        page.keyboard.press("ArrowDown")
    assert axe_violations(page) == []


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
    for _ in range(FILTERS + 1):  # the arrows go over the filters first, as they stand above
        page.keyboard.press("ArrowDown")
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    assert_at_the_section(page, site_url, target)


# The section as the lead generates it from the warning-signs data (issue 18): right after the
# short answer, emergency first, weighted for search as docs/pending/search.md advises. Its
# "call today" list says "pain" most, but "chest pain" must show the emergency line.
PLANNED_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Topic</title></head>
<body><div data-pagefind-body data-pagefind-meta="audience:Patient or family member">
<h1 id="topic">Can a procedure help the pain of a broken bone in my spine?</h1>
<div class="edu-short-answer"><p><strong>Short answer:</strong> It may ease the pain.</p></div>
<div class="edu-warning-signs" data-pagefind-weight="2">
<h2 id="warning-signs" data-pagefind-weight="6">When to call your care team</h2>
<p><strong>Emergency: call 911 now</strong> if you have:</p>
<ul><li>chest pain or sudden trouble breathing</li>
<li>you cannot move your legs, or your legs feel numb or weak</li>
<li>loss of bladder or bowel control</li></ul>
<p><strong>Call your care team today</strong> if you have:</p>
<ul><li>a fever</li><li>sudden new back pain, or back pain that gets much worse</li>
<li>pain that your pain medicine does not help</li></ul></div>
<h2 id="procedure">What happens during the procedure</h2>
<p>You get numbing medicine. Tell the team if you feel pain, numbness or weakness.
Afterwards a nurse checks that you can move your legs.</p>
<h2 id="after">After the procedure</h2>
<p>Call the clinic when you have questions about your pain medicine.</p>
</div></body></html>"""
# One query's best section through Pagefind and edu-search-sections.js, as edu-search.js asks
BEST = """async query => {
  const pagefind = await import("/pagefind/patient/pagefind.js");
  await pagefind.options({ baseUrl: "/" });
  const { bestSection } = await import("/assets/edu-search-sections.js");
  const data = await (await pagefind.search(query)).results[0].data();
  const best = bestSection(data, query.split(" "));
  const excerpt = document.createElement("p");
  excerpt.append(...best.excerpt);
  return { url: best.url, title: best.title, excerpt: excerpt.textContent,
           marked: [...excerpt.querySelectorAll("mark")].map(m => m.textContent.toLowerCase()) };
}"""


@pytest.fixture(scope="module")
def planned_site_url(tmp_path_factory: pytest.TempPathFactory):
    """One patient page with the planned section, indexed as the build indexes a site."""
    import shutil

    from build_tools.site.local_server import served
    from build_tools.site.search_index import finish_index, start_index
    from conftest import REPO

    site = tmp_path_factory.mktemp("planned-section")
    (site / "patient" / "topic").mkdir(parents=True)
    (site / "patient" / "topic" / "index.html").write_text(PLANNED_PAGE, encoding="utf-8")
    (site / "assets").mkdir()
    shutil.copy(REPO / "templates/theme/assets/edu-search-sections.js", site / "assets")
    assert finish_index(start_index(site, ["patient"]), site) == []
    with served(site) as url:
        yield url


@pytest.mark.parametrize("query", QUERIES)
def test_the_planned_section_is_where_each_query_opens_with_its_words_shown(
        browser, planned_site_url, query):
    from conftest import local_only

    with local_only(browser) as tab:
        tab.goto(planned_site_url + "/patient/topic/")
        best = tab.evaluate(BEST, query)
    assert (best["url"], best["title"]) == (f"/patient/topic/#{SECTION}",
                                            "When to call your care team")
    assert all(any(m.startswith(word[:3]) for m in best["marked"]) for word in query.split()), best
    if query == "chest pain":
        assert "chest pain or sudden trouble breathing" in best["excerpt"], best
