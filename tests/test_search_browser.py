"""A reader searches the served site in Chromium and finds every audience's page."""
import pytest

pytestmark = pytest.mark.browser


def test_search_for_cement_lists_all_three_audiences(page, site_url):
    page.goto(site_url + "/")
    page.keyboard.press("/")  # Material's search shortcut
    page.fill("input.md-search__input", "cement")
    results = page.locator(".md-search-result__item a")
    results.first.wait_for()
    hrefs = results.evaluate_all("links => links.map(a => a.href)")
    for audience in ("patient", "nurse", "physician"):
        assert any(f"/{audience}/vertebroplasty/" in h for h in hrefs), (audience, hrefs)
