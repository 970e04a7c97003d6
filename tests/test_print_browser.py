"""A clinician prints a topic page from Chromium: the page, its references and its disclaimer,
without the site's navigation, on A4 and on US Letter; links that do nothing on paper read as
text, the copy says where the handout is, and its last sheet is not near-empty (issue 21,
item 5)."""
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


PAGES = [f"/{audience}/{topic}/" for topic in ("vertebroplasty", "kyphoplasty")
         for audience in ("patient", "nurse", "physician")]


def last_sheet_lines(pdf: Path) -> int:
    """How many lines of text the PDF's last page holds."""
    last = pdftotext(pdf, "-bbox").split("<page ")[-1]
    return len({round(float(y)) for y in re.findall(r'<word [^>]*yMin="([\d.]+)"', last)})


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("path", PAGES)
def test_every_topic_page_prints_its_disclaimer_the_handout_and_a_full_last_sheet(
        page, site_url, tmp_path, path, paper):
    page.goto(site_url + path)
    disclaimer = squash(page.locator("#edu-disclaimer").text_content())
    page.emulate_media(media="print")
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), format=paper)
    text = squash(pdftotext(pdf))
    assert disclaimer in text
    # the handout's address in the strings file's words, in full (an address wraps anywhere)
    words = yaml.safe_load((REPO / "site_config/strings/en.yml").read_text(encoding="utf-8"))
    site = yaml.safe_load((REPO / "site_config/site.yml").read_text(encoding="utf-8"))
    audience, topic = path.strip("/").split("/")
    address = f"{site['site_url'].rstrip('/')}/handouts/{topic}-{audience}.pdf"
    pointer = words["topic"]["handout_on_paper"].format(address=address)
    assert pointer.replace(" ", "") in text.replace(" ", "")
    assert last_sheet_lines(pdf) >= 10, f"{path} on {paper}: a near-empty last sheet"


@pytest.mark.parametrize("path", ["/patient/vertebroplasty/", "/physician/vertebroplasty/"])
def test_links_that_do_nothing_on_paper_print_as_text(page, site_url, tmp_path, path):
    page.goto(site_url + path)
    page.emulate_media(media="print")
    looks = page.evaluate("""() => [...document.querySelectorAll('a[href]')]
        .filter(a => a.getClientRects().length && !a.closest('#edu-references')
                     && !/^(https?:|mailto:|tel:)/.test(a.getAttribute('href'))
                     && !a.classList.contains('edu-cite'))
        .map(a => ({href: a.getAttribute('href'), text: a.textContent.trim(),
                    line: getComputedStyle(a).textDecorationLine}))""")
    assert any(look["href"].startswith("#edu-") for look in looks)  # the marks are among them
    assert [look for look in looks if look["line"] != "none"] == []
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), format="Letter")
    text = squash(pdftotext(pdf))
    raw = pdf.read_bytes()
    # no "When to call" jump: neither the table of contents nor a link to the section prints
    assert b"/Dest /warning-signs" not in raw and b"#warning-signs" not in raw
    assert text.count("When to call") <= 1  # the section's own heading, if the page has it
    for chrome in ("Read it for:", "Nurse or Physician", "Search", "Table of contents"):
        assert chrome not in text, chrome
