"""A clinician prints a topic page from Chromium: the page, its references and its disclaimer,
without the site's navigation, on A4 and on US Letter."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import REPO

pytestmark = pytest.mark.browser

TOPIC = "vertebroplasty"
TOPIC_PAGE = f"/patient/{TOPIC}/"


def squash(text: str) -> str:
    return " ".join(text.split())


def example() -> tuple[dict, str]:
    """The example topic's topic.yml and its patient prose."""
    topic = yaml.safe_load((REPO / "content/topics" / TOPIC / "topic.yml").read_text(encoding="utf-8"))
    prose = (REPO / "audiences/patient" / f"{TOPIC}.md").read_text(encoding="utf-8")
    return topic, prose


def printed(page, site_url: str, tmp_path: Path, paper: str) -> Path:
    page.goto(site_url + TOPIC_PAGE)
    page.emulate_media(media="print")
    target = tmp_path / f"printed-{paper}.pdf"
    page.pdf(path=str(target), format=paper)
    return target


def pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_printing_keeps_the_page_and_drops_the_navigation(page, site_url, tmp_path, paper):
    text = squash(pdftotext(printed(page, site_url, tmp_path, paper), "-layout"))
    topic, prose = example()
    assert squash(topic["audiences"]["patient"]["title"]) in text
    assert "Written for: Patient or family member" in text
    assert "Not yet reviewed · Updated" in text  # the review line prints opened
    assert "no clinician has reviewed this page yet" in text
    first_heading = re.search(r"^## (.+?)(?: \{:.*\})?$", prose, re.M).group(1)
    assert first_heading in text
    # the references: each item's first words as the page shows them
    for item in page.locator("#edu-references li .edu-citation").all_text_contents():
        assert squash(item)[:30] in text, item
    disclaimers = yaml.safe_load((REPO / "site_config/disclaimers.yml").read_text(encoding="utf-8"))
    assert squash(disclaimers["patient"]) in text
    for chrome in ("Read it for:", "Print handout (PDF)", "Made with", "Search",
                   "Skip to content", "Editorial policy", "Glossary", "Back to top"):
        assert chrome not in text, chrome


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_every_word_lies_inside_the_paper(page, site_url, tmp_path, paper):
    pdf = printed(page, site_url, tmp_path, paper)
    bbox = pdftotext(pdf, "-bbox")
    width = float(re.search(r'<page width="([\d.]+)"', bbox).group(1))
    right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox))
    assert right < width - 20, f"text reaches {right:.0f} of {width:.0f} points"


def test_links_print_their_address_except_citations(page, site_url, tmp_path):
    text = squash(pdftotext(printed(page, site_url, tmp_path, "A4")))
    unbroken = text.replace(" ", "")  # long addresses wrap anywhere
    for site in ("https://doi.org/", "https://pubmed.ncbi.nlm.nih.gov/"):
        link = page.locator(f"#edu-references a[href^='{site}']").first
        shown, address = link.text_content() or "", link.get_attribute("href") or ""
        # a long address may wrap at a hyphen, which pdftotext then drops
        assert f"{shown}({address})".replace(" ", "").replace("-", "") in unbroken.replace("-", "")
    assert "#ref-" not in text
    # citations print, without an address after them
    assert re.search(r"\w \[\d+(?:, \d+)*\]\.", text)


def test_no_list_item_reference_or_disclaimer_is_cut_across_pages(page, site_url, tmp_path):
    page.goto(site_url + TOPIC_PAGE)
    page.emulate_media(media="print")
    breaks = page.evaluate("""() => Array.from(document.querySelectorAll(
        '.md-typeset li, #edu-review, #edu-references li, #edu-disclaimer'))
        .map(e => getComputedStyle(e).breakInside)""")
    assert set(breaks) == {"avoid"}
