"""PDF handouts as a nurse hands them to a patient, read back with poppler's pdftotext."""
from __future__ import annotations

import copy
import datetime
import re
import subprocess
import zlib
from pathlib import Path

import pytest
import yaml

from build_tools.handouts.handout import (MARKDOWN_EXTENSIONS, HandoutError, HandoutPrinter,
                                 keep_citations_on_line, opening_sentence, render_pdf)
from build_tools.core.pipeline import content_epoch
from build_tools.core.read.validate import load_library
from build_tools.core.review.review import review_states
from conftest import REPO, parse, run_cli

TOPIC = "vertebroplasty"
AUDIENCES = ("patient", "nurse", "physician")
BODY = ("//article//*[self::p or self::li or self::h2 or self::h3]"
        "[not(ancestor-or-self::*[@id='edu-review' or @id='edu-audience-switch'"
        " or @id='edu-references' or @id='edu-disclaimer' or @class='edu-handout'])]"
        "[not(preceding::h2[@id='what-changed'] or self::h2[@id='what-changed'])]"
        # links to other pages of the site: on screen only
        "[not(self::h2[@id='related'] or preceding::h2[1][@id='related'])]")


def pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


def info(pdf: Path, field: str) -> str:
    out = subprocess.run(["pdfinfo", "-isodates", str(pdf)], check=True, capture_output=True,
                         text=True).stdout
    fields = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    return fields[field].strip()


def squash(text: str) -> str:
    return " ".join(text.split())


def letters(text: str) -> str:
    """Text without white space or hyphens: pdftotext joins lines and drops a hyphen that ends
    one ("meta-" + "analysis"), so only the letters, digits and other marks are compared."""
    return re.sub(r"[\s\u00a0-]+", "", text).casefold()


def handout(site: Path, audience: str, topic: str = TOPIC) -> Path:
    return site / "handouts" / f"{topic}-{audience}.pdf"


@pytest.fixture(scope="module")
def library(built_site: Path):
    found, problems = load_library(built_site.parent)
    assert found is not None, problems
    return found


def test_every_topic_and_audience_has_a_handout(built_site: Path) -> None:
    topics = [p.name for p in (REPO / "content" / "topics").iterdir()]
    assert TOPIC in topics and len(topics) >= 2
    assert sorted(p.name for p in (built_site / "handouts").iterdir()) == sorted(
        f"{t}-{a}.pdf" for t in topics for a in AUDIENCES)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_page_carries_the_disclaimer_opening_and_its_number(built_site, library, audience):
    pdf = handout(built_site, audience)
    opening = opening_sentence(library.site.disclaimers[audience])
    pages = int(info(pdf, "Pages"))
    for number in range(1, pages + 1):
        text = squash(pdftotext(pdf, "-layout", "-f", str(number), "-l", str(number)))
        assert opening in text, f"page {number} of {pdf.name}"
        assert f"page {number} of {pages}" in text


def test_the_disclaimer_opening_is_its_first_sentence() -> None:
    assert opening_sentence("This is for learning only.  Talk with your team. Call 911.") == \
        "This is for learning only."


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_full_disclaimer_closes_the_handout(built_site, library, audience):
    pdf = handout(built_site, audience)
    last = pdftotext(pdf, "-f", info(pdf, "Pages"), "-l", info(pdf, "Pages"))
    assert letters(library.site.disclaimers[audience]) in letters(last)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_page_one_says_what_it_is_who_reviewed_it_and_where_it_lives(built_site, audience):
    page = parse(built_site / audience / TOPIC / "index.html")
    first = squash(pdftotext(handout(built_site, audience), "-f", "1", "-l", "1"))
    title = squash(page.xpath("//article//h1")[0].text_content()).rstrip("¶").strip()
    assert title in first
    assert squash(page.xpath("//*[@id='edu-audience-switch']//strong")[0].text_content()) in first
    review = squash(page.xpath("//*[@id='edu-review']")[0].text_content())
    status = squash(page.xpath("//*[@id='edu-review']//*[contains(@class, 'edu-status')]")[0]
                    .text_content())
    updated = re.search(r"Updated (\w+ \d+, \d{4})", review).group(1)
    assert f"Review status: {status}" in first
    assert "Not yet reviewed" in review and "Not yet reviewed" in first  # no sign-off
    assert "Reviewed by" not in first
    assert f"Last updated: {updated}" in first
    assert f"https://education.example.org/{audience}/{TOPIC}/" in first
    assert "Scan for the current version" in first


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_reference_list_is_the_web_pages_list_with_the_same_numbers(built_site, audience):
    page = parse(built_site / audience / TOPIC / "index.html")
    text = letters(pdftotext(handout(built_site, audience)))
    items = page.xpath("//ol[@id='edu-references']/li")
    assert len(items) == 12  # the references of the vertebroplasty topic.yml
    for item in items:
        assert letters(f"{item.get('value')}. {item.text_content()}") in text, item.get("id")


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_body_is_the_web_pages_body_with_the_same_figures_and_citations(built_site, library,
                                                                            audience):
    """Every paragraph, list item and heading, word for word: figures and [n] included."""
    page = parse(built_site / audience / TOPIC / "index.html")
    pdf = handout(built_site, audience)
    pages = int(info(pdf, "Pages"))
    furniture = [library.site.settings.site_name, opening_sentence(
        library.site.disclaimers[audience])] + [f"page {n} of {pages}" for n in range(1, 9)]
    text = letters(pdftotext(pdf))
    for piece in furniture:  # page headers and footers fall inside text that crosses a page
        text = text.replace(letters(piece), "")
    blocks = [own_text(e) for e in page.xpath(BODY)]
    assert len(blocks) > 20
    missing = [b for b in blocks if b and letters(b) not in text]
    assert not missing


def own_text(element) -> str:
    """An element's text without its nested lists, which are compared item by item."""
    element = copy.deepcopy(element)
    for nested in element.xpath(".//ul|.//ol"):
        nested.getparent().remove(nested)
    return squash(element.text_content()).rstrip("¶").strip()


def test_the_patient_handout_fits_on_two_a4_pages(built_site: Path) -> None:
    pdf = handout(built_site, "patient")
    assert int(info(pdf, "Pages")) <= 2
    assert "(A4)" in info(pdf, "Page size")


def test_handout_text_is_at_least_11_points() -> None:
    css = (REPO / "templates" / "handout.css").read_text(encoding="utf-8")
    assert re.search(r"html \{ font: 11pt/", css)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_metadata_title_author_date_language_and_tagging(built_site, library, audience):
    pdf = handout(built_site, audience)
    page = parse(built_site / audience / TOPIC / "index.html")
    assert info(pdf, "Title") == squash(page.xpath("//article//h1")[0].text_content()).rstrip(
        "¶").strip()
    assert info(pdf, "Author") == "Spine Care Explained (example education library)"
    newest = datetime.datetime.fromtimestamp(content_epoch(library), datetime.timezone.utc)
    assert info(pdf, "CreationDate") == newest.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert info(pdf, "ModDate") == info(pdf, "CreationDate")
    assert info(pdf, "Tagged") == "yes"
    assert b"/Lang (en)" in uncompressed(pdf)
    meta = subprocess.run(["pdfinfo", "-meta", str(pdf)], capture_output=True, text=True).stdout
    assert 'pdfuaid:part="1"' in meta


def uncompressed(pdf: Path) -> bytes:
    """The PDF with its object streams inflated, to find the catalogue's entries."""
    data = pdf.read_bytes()
    out = [data]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            pass
    return b"\n".join(out)


def test_topic_pages_link_to_their_handout(built_site: Path) -> None:
    for audience in AUDIENCES:
        page = parse(built_site / audience / TOPIC / "index.html")
        links = page.xpath("//*[@class='edu-handout']/a")
        assert [a.text_content() for a in links] == ["Print handout (PDF)"]
        target = (built_site / audience / TOPIC / links[0].get("href")).resolve()
        assert target == handout(built_site, audience).resolve()


def test_markdown_extensions_are_the_web_pages() -> None:
    class Tolerant(yaml.SafeLoader):
        pass

    Tolerant.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Tolerant)
    names = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    assert tuple(names) == MARKDOWN_EXTENSIONS


def test_a_citation_stays_with_its_word_and_full_stop() -> None:
    cite = '<sup class="edu-cites">[<a class="edu-cite" href="#ref-a">1</a>]</sup>'
    assert keep_citations_on_line(f"<li>not needed for everyone {cite}. Your team</li>") == (
        f'<li>not needed for <span class="edu-cited">everyone {cite}.</span> Your team</li>')


def test_two_builds_from_scratch_give_identical_pdfs(built_site: Path, project: Path) -> None:
    assert run_cli(project, "build", fresh_handouts=True).code == 0
    for audience in AUDIENCES:
        assert handout(project / "site", audience).read_bytes() == \
            handout(built_site, audience).read_bytes(), audience


def test_the_cache_renders_only_what_changed(make_project) -> None:
    from projects import SMALL, small_project

    project = make_project(small_project())  # one topic: three handouts
    first = run_cli(project, "build", fresh_handouts=True)
    assert "handouts: 3 rendered, 0 from cache" in first.out, first.text
    before = {a: handout(project / "site", a, SMALL).read_bytes() for a in AUDIENCES}

    again = run_cli(project, "build")
    assert "handouts: 0 rendered, 3 from cache" in again.out, again.text

    prose = project / "audiences" / "nurse" / f"{SMALL}.md"
    prose.write_text(prose.read_text(encoding="utf-8")
                     + "\nAsk the pharmacy team about pain relief before discharge.\n",
                     encoding="utf-8")
    edited = run_cli(project, "build")
    assert "handouts: 1 rendered, 2 from cache" in edited.out, edited.text
    after = {a: handout(project / "site", a, SMALL).read_bytes() for a in AUDIENCES}
    assert [a for a in AUDIENCES if after[a] != before[a]] == ["nurse"]
    assert "pharmacy team" in pdftotext(handout(project / "site", "nurse", SMALL))
    assert len(list((project / "build" / "handouts").glob("*.pdf"))) == 3


def test_text_the_layout_would_drop_stops_the_handout(make_project) -> None:
    """WeasyPrint 70 loses blocks spanning columns after a page break: caught, not printed.
    The project's size (7 sections, 20 references) is one this faulty style drops text of."""
    from build_tools.core.pipeline import generate
    from projects import base_files, topic_files

    keys = tuple(f"ref{i}" for i in range(20))
    sentence = ("Rest helps most people with this kind of back problem, and the team will "
                'explain each step {{ cite("ref0") }}.\n\n')
    body = "".join(f"## Part {chr(65 + i)}\n\n" + sentence * 3 for i in range(7))
    body += "All of these {{ cite(%s) }}.\n" % ", ".join(f'"{key}"' for key in keys)
    files = {**base_files(), **topic_files("bracing", title="Does a brace help", body=body,
                                            references=keys)}
    files["content/references.yml"] = "".join(
        f"- id: {key}\n  kind: trial\n  title: A test trial number {i} with a long title about "
        "rest and braces and backs\n  issued: 2020\n" for i, key in enumerate(keys))
    result = generate(make_project(files))
    assert result.ok and result.library is not None, [str(p) for p in result.problems]
    printer = HandoutPrinter(REPO, result.library, {}, content_epoch(result.library),
                             result.reviews)
    patient = next(v for v in result.variants if v.audience.key == "patient")
    faulty = printer.css + """ main { column-fill: balance } #edu-references { columns: 2 }
        .handout-references, #edu-disclaimer { column-span: all } html { line-height: 1.3 }
        @page { margin: 13mm 12mm 16mm 12mm }"""
    with pytest.raises(HandoutError, match="the layout dropped text, starting with"):
        render_pdf(printer.html(patient), faulty)
    assert render_pdf(printer.html(patient), printer.css)  # the site's own style keeps it all


def render_all_variants(library):
    from build_tools.core.render.render import render_variant

    for topic in library.topics.values():
        for audience in library.audiences.values():
            variant, _ = render_variant(library, topic, audience)
            assert variant is not None
            yield variant


def test_a_handout_that_would_fetch_from_the_network_fails_the_build(make_project) -> None:
    from projects import SMALL, small_project

    project = make_project(small_project())  # one topic: three handouts, not the example's six
    assert run_cli(project, "build").code == 0
    before = handout(project / "site", "patient", SMALL).read_bytes()
    template = project / "templates" / "handout.html.j2"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "<main>", '<main>\n<img src="https://example.org/logo.png" alt="">'), encoding="utf-8")
    failed = run_cli(project, "build")
    assert failed.code != 0
    assert (f'audiences/patient/{SMALL}.md: error: the PDF handout '
            f'{SMALL}-patient.pdf could not be made: Error fetching '
            '"https://example.org/logo.png" (a handout may load nothing but data: URIs) '
            '[handout-failed]') in failed.err, failed.text
    assert handout(project / "site", "patient", SMALL).read_bytes() == before  # last good site stays
