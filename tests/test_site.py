"""The example project built whole: the pages, hooks and invariants a reader relies on."""
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conftest import newest_change, parse

AUDIENCES = ("patient", "nurse", "physician")
TOPIC = "vertebroplasty"


def topic_page(site: Path, audience: str) -> lxml_html.HtmlElement:
    return parse(site / audience / TOPIC / "index.html")


def test_three_topic_pages_with_their_meta(built_site):
    for audience in AUDIENCES:
        tree = topic_page(built_site, audience)
        assert tree.xpath("//meta[@name='edu:topic']/@content") == [TOPIC]
        assert tree.xpath("//meta[@name='edu:audience']/@content") == [audience]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_review_box_opens_the_page_with_status_and_dates(built_site, audience):
    tree = topic_page(built_site, audience)
    box = tree.xpath("//*[@id='edu-review']")[0]
    assert box.get("data-status") == "no-reviewer"
    text = " ".join(box.text_content().split())
    # the example's board has no members, so nobody has signed the topic off or is checking it
    assert "Not yet reviewed · Updated " + newest_change() in text
    assert "No clinician has reviewed this page yet." in text and "Under review" not in text
    assert "Reviewed by" not in text and "Updated since" not in text and "overdue" not in text
    article = tree.xpath("//article")[0]
    body_ids = [e.get("id") for e in article.iter() if e.get("id")]
    assert body_ids.index("edu-review") < body_ids.index("edu-references")


@pytest.mark.parametrize("audience", AUDIENCES)
def test_not_reviewed_banner_is_visible(built_site, audience):
    banner = topic_page(built_site, audience).xpath("//*[contains(@class, 'edu-banner')]")
    assert banner and "Not yet reviewed" in banner[0].text_content()


def test_reference_lists_are_identical_and_every_reference_is_cited(built_site):
    lists = []
    for audience in AUDIENCES:
        tree = topic_page(built_site, audience)
        ol = tree.xpath("//ol[@id='edu-references']")[0]
        ids = ol.xpath("./li/@id")
        cited = {h.removeprefix("#") for h in tree.xpath("//a[contains(@class,'edu-cite')]/@href")}
        assert ids and set(ids) == cited, audience
        lists.append(lxml_html.tostring(ol))
    assert lists[0] == lists[1] == lists[2]


def test_references_in_ama_style_with_doi_and_pubmed_links(built_site):
    item = topic_page(built_site, "physician").xpath("//li[@id='ref-klazen2010']")[0]
    text = " ".join(item.text_content().split())
    assert "Klazen CA, Lohle PN, de Vries J, et al." in text
    assert "Lancet. 2010;376(9746):1085-1092." in text
    assert item.get("data-kind") == "trial"
    links = item.xpath(".//a/@href")
    assert "https://doi.org/10.1016/S0140-6736(10)60954-3" in links
    assert "https://pubmed.ncbi.nlm.nih.gov/20701962/" in links


def test_no_reference_outside_the_verified_sources_is_listed(built_site):
    ids = topic_page(built_site, "nurse").xpath("//ol[@id='edu-references']/li/@id")
    known = {"oracle2025", "praxis2025a", "praxis2025b", "lamanna2019", "klazen2010",
             "buchbinder2009", "kallmes2009", "comstock2013", "berenson2011", "venmans2010",
             "klazen2010b", "liu2011", "yang2022"}
    assert {i.removeprefix("ref-") for i in ids} <= known


def test_same_figure_on_every_clinician_page_and_patient_wording(built_site):
    physician = topic_page(built_site, "physician").text_content()
    nurse = topic_page(built_site, "nurse").text_content()
    patient = topic_page(built_site, "patient").text_content()
    assert "2.6 points" in physician and "2.6 points" in nurse
    assert "2.6" not in patient  # patients read the plain wording


@pytest.mark.parametrize("audience", AUDIENCES)
def test_audience_switch_links_to_the_other_two(built_site, audience):
    switch = topic_page(built_site, audience).xpath("//*[@id='edu-audience-switch']//a/@href")
    others = [a for a in AUDIENCES if a != audience]
    assert sorted(switch) == sorted(f"../../{o}/{TOPIC}/" for o in others)


def test_every_page_carries_exactly_one_disclaimer_with_the_right_text(built_site):
    import yaml
    from conftest import REPO
    disclaimers = yaml.safe_load((REPO / "site_config/disclaimers.yml").read_text())
    spanish = yaml.safe_load((REPO / "site_config/disclaimers.es.yml").read_text())
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) >= 9
    for path in pages:
        tree = parse(path)
        own = spanish if path.is_relative_to(built_site / "es") else disclaimers
        boxes = tree.xpath("//*[@id='edu-disclaimer']")
        assert len(boxes) == 1, path
        audience = (tree.xpath("//meta[@name='edu:audience']/@content") or ["general"])[0]
        assert " ".join(own[audience].split()) in " ".join(boxes[0].text_content().split()), path


def test_home_page_asks_which_best_describes_you(built_site):
    tree = parse(built_site / "index.html")
    assert "Which best describes you?" in tree.text_content()
    chooser = tree.xpath("//*[@id='edu-audience-chooser']//a")
    labels = [" ".join(a.text_content().split()) for a in chooser]
    assert any(label.startswith("Patient or family member") for label in labels)
    assert len(chooser) == 3
    assert "patient/categories/spine-and-bones/" in tree.xpath("//article//a/@href")


def test_navigation_has_a_section_per_audience_and_the_policy_page(built_site):
    tree = parse(built_site / "editorial-policy" / "index.html")
    nav = " ".join(tree.xpath("//nav[contains(@class,'md-nav--primary')]")[0].text_content().split())
    for label in ("Patient or family member", "Nurse", "Physician", "Editorial policy"):
        assert label in nav


def test_nothing_is_loaded_from_another_host(built_site):
    for path in built_site.rglob("*.html"):
        tree = parse(path)
        for url in tree.xpath("//script/@src|//link[@rel!='canonical']/@href|//img/@src"):
            assert not url.startswith(("http:", "https:", "//")), (path, url)
