"""Spanish for patients in a browser (issue 20): the language switch keeps the section and
remembers the choice, it works without JavaScript, and a Spanish search finds Spanish pages."""
import pytest

pytestmark = pytest.mark.browser

VIEWPORTS = [{"width": 375, "height": 812}, {"width": 1280, "height": 800}]
IDS = ["375px", "1280px"]
ENGLISH = "/patient/vertebroplasty/"
SPANISH = "/es/patient/vertebroplasty/"


def switch(page, lang: str):
    return page.locator(f"a.edu-language[lang={lang}]")


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=IDS)
def test_the_switch_opens_the_same_section_in_spanish_and_back(page, site_url, viewport):
    page.set_viewport_size(viewport)
    page.goto(site_url + ENGLISH)
    assert page.evaluate("document.documentElement.lang") == "en"
    page.evaluate("document.getElementById('risks').scrollIntoView()")
    page.wait_for_timeout(200)
    link = switch(page, "es")
    assert link.is_visible() and link.inner_text().strip() == "Español"
    box = link.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24  # a finger can hit it
    link.click()
    page.wait_for_url(f"{site_url}{SPANISH}#risks")
    assert page.evaluate("document.documentElement.lang") == "es"
    # the same section, in Spanish: its heading is on screen
    heading = page.locator("h2#risks")
    assert heading.inner_text().strip().startswith("Riesgos")
    assert heading.bounding_box()["y"] < viewport["height"]
    page.evaluate("window.scrollTo(0, 0)")
    switch(page, "en").click()
    page.wait_for_url(f"{site_url}{ENGLISH}*")
    assert page.evaluate("document.documentElement.lang") == "en"


def test_the_choice_is_remembered(page, site_url):
    page.goto(site_url + ENGLISH)
    assert switch(page, "es").get_attribute("data-edu-chosen") is None
    switch(page, "es").click()
    page.wait_for_url(f"{site_url}{SPANISH}*")
    assert page.evaluate("localStorage.getItem('edu-language')") == "es"
    page.goto(site_url + "/nurse/vertebroplasty/")  # no Spanish version: the Spanish home
    link = switch(page, "es")
    assert link.get_attribute("data-edu-chosen") == "true"
    assert link.get_attribute("href") == "../../es/"


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=IDS)
def test_the_switch_works_without_javascript(browser, site_url, viewport):
    context = browser.new_context(java_script_enabled=False, viewport=viewport)
    page = context.new_page()
    try:
        page.goto(site_url + ENGLISH)
        switch(page, "es").click()
        page.wait_for_url(site_url + SPANISH)
        assert page.locator("html").get_attribute("lang") == "es"
        assert "vertebroplastia" in page.locator("h1").inner_text().casefold()
    finally:
        context.close()


def test_a_spanish_search_finds_spanish_pages(page, site_url):
    page.goto(site_url + SPANISH)
    page.keyboard.press("/")
    page.fill("input.md-search__input", "cemento")
    page.locator(".md-search-result__item a").first.wait_for(timeout=20_000)
    hrefs = page.locator(".md-search-result__item a").evaluate_all(
        "links => links.map(link => link.href.split('#')[0])")
    assert hrefs and all(h.startswith(f"{site_url}/es/") for h in hrefs), hrefs
    assert f"{site_url}{SPANISH}" in hrefs
