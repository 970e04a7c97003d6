"""A reader searches the served site in Chromium: every audience's page is found, each result
says who it is written for, and the reader can keep to their own audience."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LABELS = {"patient": "For: Patient or family member", "nurse": "For: Nurse",
          "physician": "For: Physician"}


def search(page, site_url: str, query: str) -> None:
    page.goto(site_url + "/")
    page.keyboard.press("/")  # Material's search shortcut
    page.fill("input.md-search__input", query)
    page.locator(".md-search-result__item a").first.wait_for()


def results(page) -> list[tuple[str, str]]:
    """(link, audience label) of every result shown, in order."""
    return [tuple(pair) for pair in page.locator(".md-search-result__item").evaluate_all(
        """items => items.map(item => [item.querySelector("a").href,
                                       item.querySelector(".edu-search-audience").textContent])""")]


def test_search_for_cement_lists_all_three_audiences(page, site_url):
    search(page, site_url, "cement")
    hrefs = [href for href, _ in results(page)]
    for audience in ("patient", "nurse", "physician"):
        assert any(f"/{audience}/vertebroplasty/" in h for h in hrefs), (audience, hrefs)


def test_each_result_names_the_audience_it_is_written_for(page, site_url):
    search(page, site_url, "cement")
    labels = {href.split("/")[-3]: label for href, label in results(page)
              if "/vertebroplasty/" in href}
    assert labels == LABELS


def test_the_filter_keeps_only_the_chosen_audience(page, site_url):
    search(page, site_url, "cement")
    page.get_by_role("radio", name="Nurse").check()
    items = page.locator(".md-search-result__item")
    expect(items).to_have_count(2)  # both topics' nurse pages mention cement
    assert sorted(results(page)) == [(f"{site_url}/nurse/{topic}/", LABELS["nurse"])
                                     for topic in ("kyphoplasty", "vertebroplasty")]
    page.get_by_role("radio", name="All readers").check()
    expect(items).not_to_have_count(2)


def test_the_readers_own_audience_comes_first(page, site_url):
    page.goto(site_url + "/")
    page.evaluate("localStorage.setItem('edu-audience', 'physician')")  # as the chooser keeps it
    search(page, site_url, "cement")
    found = results(page)
    assert found[0] == (f"{site_url}/physician/vertebroplasty/", LABELS["physician"])
    assert len(found) > 1  # the other audiences still follow


def test_search_loads_nothing_until_the_reader_searches(page, site_url):
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(site_url + "/patient/vertebroplasty/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in fetched if "/pagefind/" in url]
