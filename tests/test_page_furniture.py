"""What every page carries besides its text: a description, one title, working home and
contact links, a change log each reader can read."""
import re
import textwrap

import yaml
from lxml import html as lxml_html

from conftest import REPO, parse, run_cli

TOPIC_YML = "content/topics/vertebroplasty/topic.yml"


def settings() -> dict:
    return yaml.safe_load((REPO / "site_config/site.yml").read_text(encoding="utf-8"))


def test_every_page_has_its_own_meta_description(built_site):
    seen = {}
    for path in sorted(built_site.rglob("*.html")):
        descriptions = parse(path).xpath("//head/meta[@name='description']/@content")
        assert len(descriptions) == 1 and len(descriptions[0].split()) >= 5, path
        seen[path.relative_to(built_site).as_posix()] = descriptions[0]
    assert len(seen) >= 10
    assert seen["index.html"] == settings()["description"]
    assert len(set(seen.values())) >= len(seen) - 3  # the topic pages each describe themselves


def test_no_page_title_repeats_the_site_name(built_site):
    """The Spanish edition's pages (es/) carry its own name (site_config/site.es.yml)."""
    import yaml
    from conftest import REPO

    name = settings()["site_name"]
    spanish = yaml.safe_load((REPO / "site_config/site.es.yml").read_text())["site_name"]
    for path in sorted(built_site.rglob("*.html")):
        title = parse(path).xpath("//head/title/text()")[0]
        own = spanish if path.is_relative_to(built_site / "es") else name
        assert title.count(own) == 1, (path, title)
    assert parse(built_site / "index.html").xpath("//head/title/text()") == [name]
    assert parse(built_site / "es" / "index.html").xpath("//head/title/text()") == [spanish]


def test_the_404_page_links_home_within_the_site(built_site):
    tree = parse(built_site / "404.html")
    home = tree.xpath("//article//a[normalize-space()='home page']/@href")
    assert home and not home[0].startswith(("http:", "https:", "//"))
    assert settings()["site_url"].rstrip("/") not in lxml_html.tostring(tree.xpath("//article")[0]).decode()


def test_the_contact_address_is_a_mailto_link(built_site):
    for audience in ("patient",):
        contact = parse(built_site / audience / "vertebroplasty" / "index.html").xpath(
            "//p[@class='edu-contact']")[0]
        assert contact.xpath(".//a/@href") == ["mailto:editors@example.org"]


def typed_parts(summary: str) -> list[str]:
    """The words typed around a summary's {{ ... }} calls (facts, literals), as printed."""
    return [" ".join(part.split()) for part in re.split(r"\{\{.*?\}\}", summary, flags=re.S)
            if part.strip()]


def test_patients_read_the_change_log_in_their_own_words(built_site):
    changes = yaml.safe_load((REPO / TOPIC_YML).read_text(encoding="utf-8"))["changes"]

    def log(audience: str) -> list[str]:
        tree = parse(built_site / audience / "vertebroplasty" / "index.html")
        items = tree.xpath("//h2[@id='what-changed']/following-sibling::ul[1]/li")
        return [" ".join(li.text_content().split()) for li in items]

    patient, nurse = log("patient"), log("nurse")
    for change, for_patient, for_nurse in zip(changes, patient, nurse, strict=True):
        assert all(part in for_patient for part in typed_parts(change["summaries"]["patient"]))
        assert all(part in for_nurse for part in typed_parts(change["summary"]))
    # where patients have their own words, the clinicians' words are not on their page
    for change, for_patient in zip(changes, patient):
        if "patient" in change.get("summaries", {}):
            assert typed_parts(change["summary"])[0] not in for_patient


def test_a_change_summary_for_an_unknown_audience_is_refused(make_project):
    from projects import SMALL_TOPIC, small_files, small_project

    good = textwrap.dedent(small_files()[SMALL_TOPIC]).lstrip("\n")
    entry = "  - {date: 2025-01-01, summary: First written.}\n"
    assert entry in good
    project = make_project(small_project({SMALL_TOPIC: good.replace(entry, (
        "  - date: 2025-01-01\n    summary: First written.\n"
        "    summaries:\n      patients: We wrote this page.\n"))}))
    topic = project / SMALL_TOPIC
    line = next(i for i, l in enumerate(topic.read_text().splitlines(), 1) if "patients:" in l)
    result = run_cli(project, "check")
    assert result.code != 0
    assert f"{SMALL_TOPIC}:{line}: error:" in result.text and "[unknown-audience]" in result.text
    assert "did you mean 'patient'?" in result.text
