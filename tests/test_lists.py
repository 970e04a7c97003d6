"""Lists made for many topics: one item per topic, ordered, per category, related, glossary."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_tools.core.pipeline import generate
from conftest import parse, run_cli
from projects import base_files, topic_files, two_topics_sharing_a_fact

# its module-scoped builds are made once: pytest-xdist keeps the module on one worker
pytestmark = pytest.mark.xdist_group("lists")

ITEM = re.compile(r"^- \[(?P<title>[^\]]+)\]\((?P<link>[^)]+)\)", re.M)


def pages_of(root: Path) -> dict[str, str]:
    result = generate(root)
    assert result.ok, [str(p) for p in result.problems]
    return {p.path: p.text for p in result.pages}


def items(markdown: str) -> list[tuple[str, str]]:
    return [(m["title"], m["link"]) for m in ITEM.finditer(markdown)]


# --- two topics, built whole -------------------------------------------------------------------

@pytest.fixture(scope="module")
def two_topic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from projects import write_project
    files = two_topics_sharing_a_fact()
    for audience in ("patient", "nurse", "physician"):
        files[f"audiences/{audience}/resting.md"] += (
            '\nRest is {{ term("rest_care", "usual care") }}; a {{ term("brace") }} may help.\n')
    root = write_project(tmp_path_factory.mktemp("lists") / "project", files)
    result = run_cli(root, "build")
    assert result.code == 0, result.text
    return root / "site"


def article_items(path: Path) -> list[str]:
    article = parse(path).xpath("//article")[0]
    return [" ".join(li.text_content().split()) for li in article.xpath(".//ul/li")]


def test_each_topic_is_its_own_item_in_every_list(two_topic_site: Path):
    titles = ["Does a brace help (patient) Under review", "How long should I rest (patient) Under review"]
    assert article_items(two_topic_site / "patient/index.html") == titles
    assert article_items(two_topic_site / "patient/categories/backs/index.html") == titles


def test_home_page_lists_categories_with_counts_and_a_link_per_audience(two_topic_site: Path):
    home = parse(two_topic_site / "index.html")
    assert "2 topics in 1 category" in home.text_content()
    [backs] = [li for li in home.xpath("//article//ul/li") if "Backs" in li.text_content()]
    assert " ".join(backs.text_content().split()) == "Backs (2 topics): Patient · Nurse · Physician"
    assert backs.xpath(".//a/@href") == [f"{a}/categories/backs/" for a in
                                         ("patient", "nurse", "physician")]


def test_related_topics_link_within_the_readers_audience(two_topic_site: Path):
    page = parse(two_topic_site / "nurse/bracing/index.html")
    [related] = page.xpath("//h2[@id='related']/following-sibling::ul[1]")
    assert [(a.text_content(), a.get("href")) for a in related.xpath(".//a")] == [
        ("How long should I rest (nurse)", "../resting/")]


def test_glossary_is_alphabetical_and_names_the_word_a_page_used(two_topic_site: Path):
    glossary = parse(two_topic_site / "glossary/index.html")
    assert [dt.text_content() for dt in glossary.xpath("//dl[@id='edu-glossary']/dt")] == [
        "Back brace", "Conservative treatment"]
    [rest_care] = glossary.xpath("//dt[@id='term-rest_care']/following-sibling::dd[1]")
    assert rest_care.text_content().startswith("Also called: usual care.")
    tooltip = parse(two_topic_site / "patient/resting/index.html").xpath(
        "//abbr[@data-term='rest_care']/@title")
    assert tooltip == ["Conservative treatment: Rest and pain medicine, without an operation."]


# --- ordering --------------------------------------------------------------------------------

def test_explicit_order_comes_first_then_titles(make_project):
    files = base_files()
    for key, title, extra in (("zeta", "Zeta first by order", "order: 1\n"),
                              ("alpha", "Alpha", ""), ("beta", "beta lower case", "")):
        files.update(topic_files(key, title=title, extra=extra,
                                 body='## About\n\nSee {{ cite("testref_a") }}.\n'))
    pages = pages_of(make_project(files))
    assert [t for t, _ in items(pages["physician/categories/backs/index.md"])] == [
        "Zeta first by order (physician)", "Alpha (physician)", "beta lower case (physician)"]


# --- five hundred topics, from the core's Markdown ---------------------------------------------

CATEGORIES = [f"Group {chr(65 + i)}" for i in range(20)]


@pytest.fixture(scope="module")
def library_of_500(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from projects import write_project
    files = two_topics_sharing_a_fact()
    for n in range(498):
        files.update(topic_files(f"t{n:03d}", title=f"Topic {n:03d}", category=CATEGORIES[n % 20],
                                 body='## About\n\nSee {{ cite("testref_a") }}.\n'))
    return pages_of(write_project(tmp_path_factory.mktemp("many") / "project", files))


def test_500_topics_each_have_a_page_per_audience(library_of_500):
    for audience in ("patient", "nurse", "physician"):
        assert sum(1 for p in library_of_500 if re.fullmatch(rf"{audience}/[^/]+\.md", p)
                   and not p.endswith("index.md")) == 500


def test_500_topics_home_page_shows_categories_with_counts_not_500_links(library_of_500):
    home = library_of_500["index.md"]
    assert "500 topics in 21 categories" in home
    links = re.findall(r"\]\(([^)]+)\)", home)
    assert len(links) == 21 * 3
    counts = [int(n) for n in re.findall(r"^- \*\*[^*]+\*\* \((\d+) topics?\)", home, re.M)]
    assert sum(counts) == 500 and len(counts) == 21


def test_500_topics_audience_index_shows_a_few_per_category_and_links_to_all(library_of_500):
    index = library_of_500["patient/index.md"]
    assert len(items(index)) == 20 * 5 + 2
    assert "[All 25 topics in Group A](categories/group-a/index.md)" in index


def test_500_topics_category_pages_list_every_topic_once_in_title_order(library_of_500):
    listed = []
    for n, name in enumerate(CATEGORIES):
        page = library_of_500[f"nurse/categories/group-{chr(97 + n)}/index.md"]
        titles = [t for t, _ in items(page)]
        assert titles == sorted(titles) and len(titles) == (25 if n < 18 else 24), name
        listed += titles
    assert len(set(listed)) == 500 - 2


def test_500_topics_related_topics_are_few_and_in_the_same_category(library_of_500):
    page = library_of_500["patient/t007.md"]
    related = page.split("## Related topics", 1)[1].split("## ", 1)[0]
    assert items(related) == [(f"Topic {n:03d} (patient)", f"t{n:03d}.md")
                              for n in (27, 47, 67, 87, 107)]


def test_two_spellings_of_one_category_are_refused(make_project):
    files = {**two_topics_sharing_a_fact(), **topic_files(
        "walking", title="Can I walk", category="backs!", body='## Walk\n\nYes {{ cite("testref_a") }}.\n')}
    result = generate(make_project(files))
    assert [str(p) for p in result.problems] == [
        "content/topics/walking/topic.yml:2: error: the category 'backs!' has the same web address "
        "(categories/backs/) as 'Backs' [category-clash]\n"
        "    fix: write it exactly as 'Backs', or choose a distinct name"]


def test_a_long_category_name_gives_an_address_the_file_system_takes():
    from build_tools.core.base.names import SLUG_MAX, category_slug

    slug = category_slug("Bones and joints of the spine " * 20)
    assert slug.startswith("bones-and-joints-of-the-spine-bones")
    assert len(slug) <= SLUG_MAX and not slug.endswith("-")
