"""A clinician prints a topic page from Chromium: the page, its references and its disclaimer,
without the site's navigation, on A4 and on US Letter."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

TOPIC_PAGE = "/patient/vertebroplasty/"
DISCLAIMER = ("This page is for learning only and is not medical advice for you. Talk with your "
              "doctor, nurse or care team before you start, stop or change any treatment.")


def squash(text: str) -> str:
    return " ".join(text.split())


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
    assert "Can vertebroplasty help the pain of a broken bone in my spine?" in text
    assert "Written for: Patient or family member" in text
    assert "Not yet reviewed · Updated" in text  # the review line prints opened
    assert "no clinician has reviewed this page yet" in text
    assert "What is vertebroplasty?" in text
    assert "Percutaneous vertebroplasty versus balloon kyphoplasty" in text  # references
    assert DISCLAIMER in text
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
    assert "doi:10.1016/S0140-6736(10)60954-3(https://doi.org/10.1016/S0140-6736(10)60954-3)" \
        in unbroken
    assert "PMID20701962(https://pubmed.ncbi.nlm.nih.gov/20701962/)" in unbroken
    assert "#ref-" not in text
    assert "usual care [1, 2]." in text  # citations print, without an address after them


def test_no_list_item_reference_or_disclaimer_is_cut_across_pages(page, site_url, tmp_path):
    page.goto(site_url + TOPIC_PAGE)
    page.emulate_media(media="print")
    breaks = page.evaluate("""() => Array.from(document.querySelectorAll(
        '.md-typeset li, #edu-review, #edu-references li, #edu-disclaimer'))
        .map(e => getComputedStyle(e).breakInside)""")
    assert set(breaks) == {"avoid"}
