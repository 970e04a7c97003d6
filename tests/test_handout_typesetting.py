"""Every handout of the example set like print, read back from the PDF's word positions
(poppler's pdftotext -bbox-layout): no paragraph or list item ending in a line of one word, no
word split at a line end without a hyphen, no heading at the foot of a column, no near-empty
last page, and a QR code that still reads at 80 dpi, as from a fax or a cheap scanner."""
from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from conftest import parse

MM = 72 / 25.4
# templates/handout.css: the A4 page's margins; text outside them is the running header/footer
TOP, BOTTOM = 10 * MM, 13 * MM
# Between two lines of one block pdftotext's word boxes (ascent to descent) nearly touch; the
# smallest gap between blocks (a list item's 0.5 mm margin) is wider than this.
BLOCK_GAP = 1.2
CITATION = re.compile(r"^\[?[\d,\u2013-]*\][.,;:)]*$|^\[[\d,\u2013-]*$")
# Addresses and a reference's identifiers (DOI, trial number) set a line of their own: bound to
# the word before, they would run out of the column.
IDENTIFIER = re.compile(r"^(doi:)?10\.\d{4,}/|^NCT\d+$|^https?://")


@dataclass
class Line:
    words: list[str]
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass
class Page:
    width: float
    height: float
    columns: list[list[Line]]  # the body's lines, column by column, top to bottom


def pages(pdf: Path) -> list[Page]:
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                         capture_output=True).stdout
    tree = etree.fromstring(out, etree.XMLParser(recover=True))
    found = []
    for page in tree.iter("{*}page"):
        width, height = float(page.get("width")), float(page.get("height"))
        lines = []
        for line in page.iter("{*}line"):
            box = [float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
            if box[1] > TOP + 8 and box[3] < height - BOTTOM:  # below the running header
                lines.append(Line([w.text or "" for w in line.iter("{*}word")], *box))
        middle = width / 2
        left = sorted((ln for ln in lines if ln.x0 < middle), key=lambda ln: ln.y0)
        right = sorted((ln for ln in lines if ln.x0 >= middle), key=lambda ln: ln.y0)
        found.append(Page(width, height, [left, right]))
    return found


def handouts(site: Path) -> list[Path]:
    """Every handout, the Spanish edition's (es/handouts/) too."""
    found = sorted((site / "handouts").glob("*.pdf"))
    spanish = sorted((site / "es" / "handouts").glob("*.pdf"))
    assert len(found) >= 6 and len(spanish) >= 2
    return found + spanish


def edition(site: Path, pdf: Path) -> str:
    """"es/" for a Spanish handout, "" for the site's own."""
    return "" if pdf.parent.parent == site else pdf.parent.parent.name + "/"


def web_page(site: Path, pdf: Path) -> Path:
    topic, audience = pdf.stem.rsplit("-", 1)
    return pdf.parent.parent / audience / topic / "index.html"


def bare(word: str) -> str:
    return re.sub(r"[^\w]", "", word).casefold()


def vocabulary(site: Path, pdf: Path) -> set[str]:
    """The words of the topic's web page, which has the handout's text (and more)."""
    return {bare(w) for w in parse(web_page(site, pdf)).text_content().split()}


def gap(upper: Line, lower: Line) -> float:
    return lower.y0 - upper.y1


def own_words(line: Line) -> list[str]:
    """The line's words without citation marks ("[4]")."""
    return [w for w in line.words if not CITATION.match(w)]


def columns(laid_out: dict[Path, list[Page]]) -> Iterator[tuple[Path, str, list[Line]]]:
    """Each column of each handout's pages: (the PDF, where it is ("x.pdf p2"), its lines)."""
    for pdf, found in laid_out.items():
        for number, page in enumerate(found, 1):
            for column in page.columns:
                yield pdf, f"{pdf.name} p{number}", column


@pytest.fixture(scope="module")
def laid_out(built_site: Path) -> dict[Path, list[Page]]:
    return {pdf: pages(pdf) for pdf in handouts(built_site)}


def test_no_paragraph_or_list_item_ends_in_a_line_of_one_word(laid_out):
    """A line of one word after a line of the same block, followed by a gap between blocks or
    by the foot of the column (a block's last line, or one word left before a column break)."""
    alone = []
    for _, where, column in columns(laid_out):
        for before, line, after in zip(column, column[1:], column[2:] + [None]):
            ends_block = after is None or gap(line, after) > BLOCK_GAP
            words = own_words(line)
            if (len(words) == 1 and not IDENTIFIER.match(words[0])
                    and gap(before, line) <= BLOCK_GAP and ends_block):
                alone.append(f"{where}: {before.text!r} / {line.text!r}")
    assert not alone, "\n".join(alone)


def test_no_word_is_split_at_a_line_end_without_a_hyphen(built_site, laid_out):
    split = []
    vocabularies = {pdf: vocabulary(built_site, pdf) for pdf in laid_out}
    for pdf, where, column in columns(laid_out):
        words = vocabularies[pdf]
        for line, after in zip(column, column[1:]):
            end, start = line.words[-1], after.words[0]
            if not (end[-1:].isalpha() and start[:1].isalpha()):
                continue
            joined = bare(end + start)
            if joined in words and not (bare(end) in words and bare(start) in words):
                split.append(f"{where}: {end!r} / {start!r}")
    assert not split, "\n".join(split)


def headings(site: Path, pdf: Path) -> set[str]:
    page = parse(web_page(site, pdf))
    return {" ".join(h.text_content().replace("¶", "").split())
            for h in page.xpath("//article//h2 | //article//h3")}


def test_no_heading_stands_at_the_foot_of_a_column(built_site, laid_out):
    alone = []
    titles = {pdf: headings(built_site, pdf) for pdf in laid_out}
    for pdf, where, column in columns(laid_out):
        if column and any(title.endswith(column[-1].text) for title in titles[pdf]):
            alone.append(f"{where}: {column[-1].text!r}")
    assert not alone, "\n".join(alone)


def filled(page: Page) -> float:
    """The share of the page's two columns that text takes, from the top of the body."""
    body = [ln for column in page.columns for ln in column]
    if not body:
        return 0.0
    top = min(ln.y0 for ln in body)
    room = page.height - BOTTOM - top
    return sum(max(ln.y1 for ln in column) - top for column in page.columns if column) / (2 * room)


def test_no_last_page_is_less_than_a_third_full(laid_out):
    thin = {pdf.name: round(filled(found[-1]), 2) for pdf, found in laid_out.items()
            if len(found) > 1 and filled(found[-1]) < 1 / 3}
    assert not thin, thin


def test_every_qr_code_reads_at_80_dpi(built_site, tmp_path):
    assert shutil.which("zbarimg"), "run `make setup` (Debian's zbar-tools)"
    unread = []
    for pdf in handouts(built_site):
        prefix = tmp_path / pdf.stem
        subprocess.run(["pdftoppm", "-r", "80", "-f", "1", "-l", "1", "-png", str(pdf),
                        str(prefix)], check=True)
        image = next(tmp_path.glob(f"{pdf.stem}*.png"))
        decoded = subprocess.run(["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable",
                                  str(image)], capture_output=True, text=True).stdout.split()
        topic, audience = pdf.stem.rsplit("-", 1)
        folder = edition(built_site, pdf)
        if decoded != [f"https://education.example.org/{folder}{audience}/{topic}/"]:
            unread.append(f"{pdf.name}: {decoded}")
    assert not unread, "\n".join(unread)


def test_words_are_hyphenated_in_the_pages_language(built_site, laid_out):
    """At least one line of every handout ends in a hyphen that splits a word of the page, in
    the handout's language (<html lang="en">, or "es" for the Spanish edition's)."""
    for pdf, found in laid_out.items():
        words = vocabulary(built_site, pdf)
        breaks = [bare(line.words[-1] + after.words[0])
                  for page in found for column in page.columns
                  for line, after in zip(column, column[1:])
                  if line.words[-1].endswith("-") and line.words[-1][-2:-1].isalpha()]
        assert any(word in words for word in breaks), pdf.name


@pytest.mark.parametrize("source, bound", [
    ("<p>Ask the team that treats you.</p>", "treats\u00a0you."),
    ('<p>write to <a href="mailto:e@x.org">e@x.org</a>.</p>', "to\u00a0e@x.org."),
    ('<li>after about <span class="edu-fact">3 months</span>;</li>', "3 months;"),
])
def test_a_blocks_last_words_are_set_together(source, bound):
    from lxml import html as lxml_html

    from build_tools.handouts.typesetting import LAST_WORDS, bind_last_words
    tree = lxml_html.fromstring(f"<html><body>{source}</body></html>")
    bind_last_words(tree)
    together = tree.xpath(f"//span[@class='{LAST_WORDS}']")
    assert [span.text_content() for span in together] == [bound]
    assert tree.xpath("string(//body)").replace("\u00a0", " ") == lxml_html.fromstring(
        source).text_content()
