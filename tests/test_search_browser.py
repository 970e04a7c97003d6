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
    """(page, audience label) of every result shown, in order; a result opens its page at a
    section (test_search_advice_browser.py), left out here."""
    return [tuple(pair) for pair in page.locator(".md-search-result__item").evaluate_all(
        """items => items.map(item => [item.querySelector("a").href.split("#")[0],
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
    physician = [i for i, (_, label) in enumerate(found) if label == LABELS["physician"]]
    assert physician == list(range(len(physician))) and physician  # all of them, first
    assert len(found) > 1  # the other audiences still follow


def test_search_loads_nothing_until_the_reader_searches(page, site_url):
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(site_url + "/patient/vertebroplasty/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in fetched if "/pagefind/" in url]


TOPIC_PAGES = {f"/{audience}/{topic}/" for audience in ("patient", "nurse", "physician")
               for topic in ("vertebroplasty", "kyphoplasty")}
GLOSSARY = "/glossary/"
# What a reader with no audience chosen finds: topic words find topics (and the glossary that
# explains them); words only in reference lists, disclaimers, review boxes or tooltips, and
# words the site does not contain, find nothing.
EXPECTED = {
    "cement": TOPIC_PAGES | {GLOSSARY},
    "kyphoplasty": TOPIC_PAGES | {GLOSSARY},
    "sham": {"/nurse/vertebroplasty/", "/physician/vertebroplasty/", "/nurse/kyphoplasty/",
             "/physician/kyphoplasty/", GLOSSARY},
    # every topic page's warning signs (one list for every reader), and the policy
    "emergency": TOPIC_PAGES | {"/editorial-policy/"},
    "magnet": {GLOSSARY},          # a definition: on topic pages only as a tooltip
    "Lancet": set(),               # a journal: only in reference lists
    "Oracle": set(),               # an untraceable source: only in reference lists
    "straight": set(),             # only in the disclaimer ("straight away")
    "October": set(),              # only in the review box and the change log
    "hip replacement": set(),      # off topic
    "xyzzy": set(),
}


def shown(page, site_url: str) -> list[str]:
    return [href.removeprefix(site_url) for href, _ in results(page)]


def ask(page, query: str) -> str:
    """Type a query into the open search box; the count line once it has answered."""
    meta = page.locator(".md-search-result__meta")
    page.fill("input.md-search__input", "")
    expect(meta).to_have_text("Type to start searching")
    page.fill("input.md-search__input", query)
    expect(meta).not_to_have_text("Type to start searching")
    return meta.inner_text()


@pytest.mark.parametrize("viewport", [{"width": 375, "height": 740}, {"width": 1280, "height": 800}],
                         ids=["375px", "1280px"])
def test_fixed_queries_find_exactly_the_expected_pages(page, site_url, viewport):
    page.set_viewport_size(viewport)
    page.goto(site_url + "/")
    page.keyboard.press("/")
    for query, expected in EXPECTED.items():
        meta = ask(page, query)
        if expected:
            expect(page.locator(".md-search-result__item")).to_have_count(len(expected))
        else:
            assert meta.startswith("No matching documents"), (query, meta)
        found = shown(page, site_url)
        assert set(found) == expected, query
        # the glossary explains topics; it never comes before them
        if GLOSSARY in found:
            assert found.index(GLOSSARY) == len([f for f in found if f in TOPIC_PAGES]), query


@pytest.mark.parametrize("viewport", [{"width": 375, "height": 740}, {"width": 1280, "height": 800}],
                         ids=["375px", "1280px"])
@pytest.mark.parametrize("misspelt, meant", [("kyfoplasty", "kyphoplasty"),
                                             ("vertebroplsty", "vertebroplasty")])
def test_a_misspelling_finds_nothing_and_offers_the_word_meant(page, site_url, misspelt, meant,
                                                               viewport):
    page.set_viewport_size(viewport)
    page.goto(site_url + "/")
    page.keyboard.press("/")
    meta = ask(page, misspelt)
    assert meta == f"No matching documents Did you mean {meant}?"
    page.get_by_role("button", name=meant).click()
    expect(page.locator("input.md-search__input")).to_have_value(meant)
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    assert TOPIC_PAGES <= set(shown(page, site_url))
