"""Handouts as they are used on paper: the safety box on page 1 with room to write, no
near-empty last page, clean metadata, marks spaced from words, QR codes a phone can read."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import parse

TOPIC = "vertebroplasty"
AUDIENCES = ("patient", "nurse", "physician")


def pdf(site: Path, audience: str) -> Path:
    return site / "handouts" / f"{TOPIC}-{audience}.pdf"


def page_texts(path: Path) -> list[str]:
    pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(path))).group(1))
    return [run("pdftotext", "-f", str(n), "-l", str(n), str(path), "-") for n in range(1, pages + 1)]


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def letters(text: str) -> str:
    return re.sub(r"[\s\u00a0\u2022-]+", "", text).casefold()  # pdftotext adds list bullets


def without_citations(element) -> str:
    for sup in element.xpath(".//sup"):
        sup.drop_tree()
    return element.text_content()


def test_the_patient_warning_signs_stand_whole_on_page_one_emergency_first(built_site):
    page = parse(built_site / "patient" / TOPIC / "index.html")
    box = page.xpath("//*[contains(@class, 'edu-warning-signs')]")[0]
    parts = box.xpath("./h2 | .//*[@data-urgency]/p | .//*[@data-urgency]//li")
    assert len(parts) >= 4  # the heading, an action, its signs
    first = re.sub(r"\[[\d,]+\]", "", letters(page_texts(pdf(built_site, "patient"))[0]))
    found = []
    for element in parts:
        text = letters(without_citations(element).replace("¶", ""))
        assert text and text in first, text[:60]
        found.append(first.index(text))
    emergency = letters(box.xpath(".//*[@data-urgency='emergency']/p")[0].text_content())
    assert first.index(emergency) == min(found[1:]), "the emergency action comes first"
    assert "mycareteam:" in first and "phonenumber:" in first


@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_handout_ends_on_a_near_empty_page(built_site, audience):
    texts = [len(letters(t)) for t in page_texts(pdf(built_site, audience))]
    assert len(texts) == 1 or texts[-1] >= 0.4 * max(texts[:-1]), texts


@pytest.mark.parametrize("audience", AUDIENCES)
def test_pdf_metadata_has_no_stray_spaces(built_site, audience):
    info = run("pdfinfo", str(pdf(built_site, audience)))
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    for field in ("Title", "Subject", "Author"):
        value = fields[field].strip()
        assert value and not re.search(r"\s[.,;:!?)]|\s{2}", value), (field, value)


def test_unverified_marks_are_spaced_from_their_figures(built_site):
    text = "".join(page_texts(pdf(built_site, "physician")))
    assert "unverified" in text
    assert not re.search(r"\wunverified", text)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_qr_code_reads_at_150_dpi(built_site, tmp_path, audience):
    assert shutil.which("zbarimg"), "run `make setup` (Debian's zbar-tools)"
    run("pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(pdf(built_site, audience)),
        str(tmp_path / "page"))
    image = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
                             capture_output=True, text=True).stdout.split()
    assert decoded == [f"https://education.example.org/{audience}/{TOPIC}/"]
