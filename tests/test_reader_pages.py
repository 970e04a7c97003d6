"""What a reader (and a search engine) finds in the built HTML: JSON-LD, glossary, grades,
the patient's questions and contact line, review links, reference kinds."""
import json
import re
from pathlib import Path

import pytest
import yaml
from lxml import html as lxml_html

from conftest import REPO, parse, run_cli

AUDIENCES = ("patient", "nurse", "physician")
TOPIC = "vertebroplasty"


def topic_page(site: Path, audience: str) -> lxml_html.HtmlElement:
    return parse(site / audience / TOPIC / "index.html")


def content(path: str) -> dict:
    return yaml.safe_load((REPO / path).read_text(encoding="utf-8"))


def jsonld(tree: lxml_html.HtmlElement) -> dict:
    scripts = tree.xpath("//head/script[@type='application/ld+json']/text()")
    assert len(scripts) == 1
    return json.loads(scripts[0])


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("audience", AUDIENCES)
def test_topic_page_describes_itself_as_a_medical_web_page(built_site, audience):
    topic = content(f"content/topics/{TOPIC}/topic.yml")
    tree = topic_page(built_site, audience)
    data = jsonld(tree)
    assert data["@context"] == "https://schema.org" and data["@type"] == "MedicalWebPage"
    assert data["name"] == topic["audiences"][audience]["title"]
    assert data["about"]["name"] == topic["question"]
    expected = {"@type": "Patient"} if audience == "patient" else \
        {"@type": "MedicalAudience", "audienceType": "Clinician"}
    assert data["audience"] == expected
    assert "lastReviewed" not in data and "reviewedBy" not in data  # nobody signed it off
    assert data["dateModified"] == max(c["date"] for c in topic["changes"]).isoformat()
    assert data["inLanguage"] == "en"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_json_ld_citations_are_the_reference_list(built_site, audience):
    tree = topic_page(built_site, audience)
    items = tree.xpath("//ol[@id='edu-references']/li")
    citations = jsonld(tree)["citation"]
    assert len(citations) == len(items) == len(content(f"content/topics/{TOPIC}/topic.yml")["references"])
    for cited, item in zip(citations, items):
        assert words(cited["name"]) in words(item.text_content())
        links = item.xpath(".//a/@href")  # DOI first, else PubMed
        if links:
            assert cited["url"] == links[0]


def test_json_ld_cannot_close_its_script_element(make_project):
    """A title is data: `</script>` in it must not end the script and start markup."""
    from projects import SMALL, SMALL_TOPIC, small_files, small_project

    title = "A brace for a sore back"
    good = small_files()[SMALL_TOPIC]
    assert f"title: {title}\n" in good
    project = make_project(small_project({SMALL_TOPIC: good.replace(
        f"title: {title}\n", f"title: '{title} </script><b>&amp;'\n", 1)}))
    result = run_cli(project, "build")
    assert result.code == 0, result.text
    page = (project / "site" / "patient" / SMALL / "index.html").read_text(encoding="utf-8")
    assert "</script><b>" not in page.split("application/ld+json", 1)[1].split("</script>", 1)[0]
    data = jsonld(lxml_html.fromstring(page))
    assert data["name"] == f"{title} </script><b>&amp;"


def test_glossary_page_defines_every_term(built_site):
    glossary = content("content/glossary.yml")
    tree = parse(built_site / "glossary" / "index.html")
    terms = {dt.get("id"): words(dt.text_content()) for dt in tree.xpath("//dl[@id='edu-glossary']/dt")}
    assert terms == {f"term-{key}": entry["term"] for key, entry in glossary.items()}
    definitions = [words(dd.text_content()) for dd in tree.xpath("//dl[@id='edu-glossary']/dd")]
    alphabetical = sorted(glossary.values(), key=lambda e: e["term"].casefold())
    assert len(definitions) == len(alphabetical)
    for shown, entry in zip(definitions, alphabetical):  # after any "Also called: ..."
        assert shown.endswith(words(entry["definition"])), entry["term"]


@pytest.mark.parametrize("audience", ["patient", "nurse"])
def test_terms_carry_their_glossary_definition(built_site, audience):
    glossary = content("content/glossary.yml")
    terms = topic_page(built_site, audience).xpath("//abbr[contains(@class, 'edu-term')]")
    assert len(terms) >= 5
    for term in terms:
        entry = glossary[term.get("data-term")]
        # shown in other words than the headword, the tooltip names the headword first
        headword = "" if words(term.text_content()).casefold() == entry["term"].casefold() \
            else f"{entry['term']}: "
        assert term.get("title") == headword + words(entry["definition"])


def test_physician_page_shows_the_evidence_grade(built_site):
    grade = content(f"content/topics/{TOPIC}/facts.yml")["kyphoplasty_cancer_class"]["grade"]
    grades = topic_page(built_site, "physician").xpath("//span[@class='edu-grade']/text()")
    assert grades == [grade]


def test_patient_page_ends_with_questions_and_the_contact_line(built_site):
    contact = content("site_config/site.yml")["contact_line"]
    article = topic_page(built_site, "patient").xpath("//article")[0]
    headings = [words(h.text_content()).rstrip("¶ ") for h in article.xpath(".//h2")]
    questions_heading = content("audiences/patient.yml")["required_sections"][-1]
    assert headings[-4:] == [questions_heading, "Related topics", "What changed",
                             "References"]  # the prose ends with the questions
    questions = article.xpath(".//h2[starts-with(normalize-space(), 'Questions to ask')]"
                              "/following-sibling::*[1][self::ul]/li")
    assert len(questions) >= 3 and all(q.text_content().strip().endswith("?") for q in questions)
    after = article.xpath(".//h2[starts-with(normalize-space(), 'Questions to ask')]"
                          "/following-sibling::p[@class='edu-contact']")
    assert [words(p.text_content()) for p in after] == [contact]


@pytest.mark.parametrize("audience", ["nurse", "physician"])
def test_clinician_pages_have_no_patient_contact_line(built_site, audience):
    assert not topic_page(built_site, audience).xpath("//p[@class='edu-contact']")


@pytest.mark.parametrize("audience", AUDIENCES)
def test_review_box_links_to_the_policy_and_the_board(built_site, audience):
    page = built_site / audience / TOPIC / "index.html"
    links = parse(page).xpath("//*[@id='edu-review']//a/@href")
    assert links == ["../../editorial-policy/", "../../advisory-board/"]
    for link in links:
        assert (page.parent / link / "index.html").resolve().is_file()


@pytest.mark.parametrize("audience", AUDIENCES)
def test_what_changed_lists_the_change_log(built_site, audience):
    changes = content(f"content/topics/{TOPIC}/topic.yml")["changes"]
    article = topic_page(built_site, audience).xpath("//article")[0]
    items = article.xpath(".//h2[@id='what-changed']/following-sibling::ul[1]/li")
    assert len(items) == len(changes)
    newest = changes[0].get("summaries", {}).get(audience, changes[0]["summary"])
    typed = [words(part) for part in re.split(r"\{\{.*?\}\}", newest, flags=re.S) if part.strip()]
    assert all(part in words(items[0].text_content()) for part in typed)  # around fact calls


def test_references_are_labelled_by_kind_with_doi_and_pubmed_links(built_site):
    references = {r["id"]: r for r in content("content/references.yml")}
    for item in topic_page(built_site, "patient").xpath("//ol[@id='edu-references']/li"):
        ref = references[item.get("id").removeprefix("ref-")]
        assert item.get("data-kind") == ref["kind"]
        label = item.xpath("./span[@class='edu-kind']/text()")
        if ref["kind"] == "untraceable summary":
            assert label == ["Untraceable secondary source"]
        else:
            assert label == [ref["kind"].capitalize()]
        if ref.get("DOI"):
            assert item.xpath(".//a[@class='edu-doi']/@href") == [f"https://doi.org/{ref['DOI']}"]
        if ref.get("PMID"):
            assert item.xpath("./span[@class='edu-ref-ids']/a[@class='edu-pubmed']/@href") == \
                [f"https://pubmed.ncbi.nlm.nih.gov/{ref['PMID']}/"]


def test_every_page_lets_the_reader_change_their_version(built_site):
    """The home chooser, a topic's switch, or the menu on every other page; in the Spanish
    edition (es/), among the audiences it translates, and every page has the language switch."""
    from conftest import REPO

    spanish = [p.name.split(".")[0] for p in (REPO / "audiences").glob("*.es.yml")]
    for path in sorted(built_site.rglob("*.html")):
        tree = parse(path)
        links = tree.xpath("//*[@id='edu-audience-chooser' or @id='edu-audience-switch' or "
                           "@id='edu-audience-menu']//a[@data-audience]/@data-audience")
        own = spanish if path.is_relative_to(built_site / "es") else AUDIENCES
        assert len(links) >= len(own) - 1 and set(links) <= set(own), path
        # the engine's own 404 page is served at any address: it has no page to switch to
        assert path.name == "404.html" or tree.xpath(
            "//header//a[contains(@class, 'edu-language')]"), path


def test_matching_sections_share_an_id_across_versions(built_site):
    ids = {a: set(topic_page(built_site, a).xpath("//article//h2/@id")) for a in AUDIENCES}
    assert {"procedure", "risks", "evidence"} <= ids["patient"] & ids["nurse"] & ids["physician"]
