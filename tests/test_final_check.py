"""The final check of the bytes that go out (build_tools/site/final_check.py): a built project
passes it; a page or handout changed after it was made is refused with the message an editor
sees; and a whole build refuses a page cache edited between two builds."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from build_tools.core.pipeline import generate
from build_tools.site.browser_urls import css_urls, parse, srcset_urls
from build_tools.site.final_check import check_site
from conftest import run_cli
from projects import base_files, topic_files, write_project

BODY = """
## Rest first

Rest for {{ fact.rest_weeks }} first {{ cite("testref_a") }}. About
{{ fact.felt_better }} felt better after a month {{ cite("testref_a") }}.
"""
FACTS = """
rest_weeks:
  label: Weeks of rest before a procedure is considered
  value: {min: 3, max: 4}
  unit: weeks
  refs: [testref_a]
  verified: true
felt_better:
  label: People who felt better after a month of rest
  value: 7
  unit: in 10 people
  refs: [testref_a]
  verified: false
"""
PAGE = "patient/bracing/index.html"
PDF = "handouts/bracing-patient.pdf"
ANCHOR = '<div class="edu-short-answer" id="edu-short-answer">'


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small project, built once with `build`; tests copy its site before changing it."""
    files = {**base_files(), **topic_files("bracing", title="Does rest help", body=BODY,
                                           facts=FACTS)}
    root = write_project(tmp_path_factory.mktemp("final") / "project", files)
    result = run_cli(root, "build")
    assert result.code == 0, result.text
    return root


def staging(root: Path, tmp_path: Path) -> Path:
    """A copy of the published site, as the staging folder before the swap."""
    return Path(shutil.copytree(root / "site", tmp_path / "staging"))


def check(root: Path, site: Path) -> list[str]:
    return [str(p).split("\n")[0] for p in check_site(root, site, generate(root), "publish")]


def tamper(site: Path, rel: str, old: str, new: str) -> None:
    page = site / rel
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.unlink()  # a copy of its own, never the published file
    page.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_built_project_passes_the_final_check(built: Path) -> None:
    assert check(built, built / "site") == []
    assert (built / "build" / "site" / "final-check.json").is_file()


@pytest.mark.parametrize("inserted, message", [
    ("<p>Some 300 adults took part.</p>",
     'the number "300" is not a fact\'s value: "Some 300 adults took part." [unmarked-number]'),
    ("<p>Some &#51;&#48;&#48; adults took part.</p>",
     'the number "300" is not a fact\'s value: "Some 300 adults took part." [unmarked-number]'),
    ("<p>Some ³⁰⁰ adults took part.</p>",
     'the number "³⁰⁰" is not a fact\'s value: "Some ³⁰⁰ adults took part." '
     '[unmarked-number]'),
    ("<p>Some ３００ adults took part.</p>",
     'the number "３００" is not a fact\'s value: "Some ３００ adults took part." '
     '[unmarked-number]'),
    ("<script>alert(1)</script>",
     "an inline script that the theme does not ship: 'alert(1)' [content-script]"),
    ('<script src="../../assets/../evil.js"></script>',
     "a script is loaded from '../../assets/../evil.js', not from the theme's assets "
     "[content-script]"),
    ('<script type="application/ld+json">{"a": "</b>"}</script>',
     "a script of type application/ld+json is not plain JSON data [content-script]"),
    ('<img src="x.png" onerror="alert(1)">',
     "<img> has an event handler attribute onerror [event-attribute]"),
    ('<img src="\\\\evil.example/x">',
     "<img src> loads '\\\\\\\\evil.example/x' from outside the site [third-party-request]"),
    ('<img srcset="a.png 1x, //evil.example/b.png 2x">',
     "<img srcset> loads '//evil.example/b.png' from outside the site [third-party-request]"),
    ('<p style="background: \\75 rl(//evil.example/x)">x</p>',
     "a style attribute of <p> loads '//evil.example/x' from outside the site "
     "[third-party-request]"),
    ('<svg><image href=" HTTPS:evil.example/x"></image></svg>',
     "<image href> loads ' HTTPS:evil.example/x' from outside the site [third-party-request]"),
    ('<a href="//evil.example/">more</a>',
     "a link leads off the site: '//evil.example/' [external-link]"),
    ('<a href="https://doi.org/10.1000/not-a-reference">more</a>',
     "a link leads off the site: 'https://doi.org/10.1000/not-a-reference' [external-link]"),
    ('<a href="java\tscript:alert(1)">more</a>',
     "a link holds a URL that runs script: 'java\\tscript:alert(1)' [script-url]"),
    ('<svg><rect fill="url(//evil.example/p.svg#a)"></rect></svg>',
     "a url() in <rect fill> loads '//evil.example/p.svg#a' from outside the site "
     "[third-party-request]"),
    ("<style>p::after { content: '300'; }</style>",
     "the page has a <style> element; pages are styled by the theme's stylesheets only "
     "[content-style]"),
    ('<meta http-equiv="refresh" content="0; url=//evil.example/">',
     "a meta refresh loads '//evil.example/' from outside the site [third-party-request]"),
])
def test_a_page_changed_after_it_was_made_is_refused(built: Path, tmp_path: Path,
                                                     inserted: str, message: str) -> None:
    site = staging(built, tmp_path)
    tamper(site, PAGE, ANCHOR, inserted + ANCHOR)
    assert check(built, site) == [f"site/{PAGE}: error: {message}"]


def test_a_fact_without_its_mark_is_refused(built: Path, tmp_path: Path) -> None:
    site = staging(built, tmp_path)
    page = (site / PAGE).read_text(encoding="utf-8")
    mark = re.search(r' ?<sup class="edu-unverified">.*?</sup>', page).group(0)
    tamper(site, PAGE, mark, "")
    assert check(built, site) == [
        f"site/{PAGE}: error: figures not yet checked are not marked as such: felt_better "
        "[unverified-unmarked]"]


def test_a_fact_with_another_value_than_the_fact_base_is_refused(built: Path,
                                                                  tmp_path: Path) -> None:
    site = staging(built, tmp_path)
    tamper(site, PAGE, ">3 to 4 weeks<", ">5 to 6 weeks<")
    assert check(built, site) == [
        f"site/{PAGE}: error: the fact 'rest_weeks' shows \"5 to 6 weeks\", not its value from "
        "the fact base [fact-value-differs]",
        f"site/{PDF}: error: the handout does not show \"5 to 6 weeks\", which site/{PAGE} "
        "shows [handout-fact-differs]"]


def test_a_name_on_the_allow_list_passes(built: Path, tmp_path: Path) -> None:
    site = staging(built, tmp_path)
    tamper(site, PAGE, ANCHOR, "<p>The SF-36 questionnaire.</p>" + ANCHOR)
    names = built / "site_config" / "number_names.yml"
    try:
        names.write_text("- text: SF-36\n  reason: a questionnaire's name\n", encoding="utf-8")
        assert check(built, site) == []
        names.write_text("- text: SF-36\n", encoding="utf-8")
        assert check(built, site) == [
            "site_config/number_names.yml:1: error: each entry needs exactly two fields, text "
            "and reason [number-name]"]
    finally:
        names.unlink(missing_ok=True)
    assert check(built, site) == [
        f"site/{PAGE}: error: the number \"SF-36\" is not a fact's value: \"The SF-36 "
        "questionnaire.\" [unmarked-number]"]


def handout_html(root: Path) -> tuple[str, str]:
    """The patient handout's HTML and stylesheet, as the build fills them."""
    from build_tools.handouts.handout_cache import plan_handouts
    from build_tools.site.build import site_epoch

    result = generate(root)
    plan = plan_handouts(root, result, site_epoch(result), "publish", root / "build" / "handouts")
    assert plan.printer is not None
    variant = next(v for v in plan.variants if v.audience.key == "patient")
    return plan.printer.html(variant), plan.printer.css


def replace_pdf(site: Path, html: str, css: str) -> None:
    from build_tools.handouts.handout import render_pdf

    (site / PDF).unlink()
    (site / PDF).write_bytes(render_pdf(html, css))


def test_a_handout_without_the_disclaimer_is_refused(built: Path, tmp_path: Path) -> None:
    site = staging(built, tmp_path)
    html, css = handout_html(built)
    html, count = re.subn(r'<aside id="edu-disclaimer".*?</aside>', "", html, flags=re.S)
    assert count == 1
    replace_pdf(site, html, css)
    assert check(built, site) == [
        f"site/{PDF}: error: the handout lacks the 'patient' disclaimer [handout-disclaimer]"]


def test_a_handout_with_another_value_than_its_page_is_refused(built: Path,
                                                               tmp_path: Path) -> None:
    site = staging(built, tmp_path)
    html, css = handout_html(built)
    assert html.count("3 to 4 weeks") == 1
    replace_pdf(site, html.replace("3 to 4 weeks", "5 to 6 weeks"), css)
    assert check(built, site) == [
        f"site/{PDF}: error: the handout does not show \"3 to 4 weeks\", which site/{PAGE} "
        "shows [handout-fact-differs]"]


def test_a_handout_without_the_mark_of_an_unverified_value_is_refused(built: Path,
                                                                      tmp_path: Path) -> None:
    site = staging(built, tmp_path)
    html, css = handout_html(built)
    html, count = re.subn(r' ?<sup class="edu-unverified">.*?</sup>', "", html, flags=re.S)
    assert count == 1
    replace_pdf(site, html, css)
    assert check(built, site) == [
        f"site/{PDF}: error: the handout shows 0 \"not yet checked\" mark(s) for the 1 "
        f"figure(s) not yet checked on site/{PAGE} [handout-unverified]"]


def test_a_pdf_no_page_links_to_is_refused(built: Path, tmp_path: Path) -> None:
    site = staging(built, tmp_path)
    shutil.copy(site / PDF, site / "handouts" / "stray.pdf")
    assert check(built, site) == [
        "site/handouts/stray.pdf: error: no page links to this handout [handout-without-page]"]


def test_an_edited_page_cache_is_not_published(built: Path, tmp_path: Path) -> None:
    """A page kept in build/site/html/ is edited between two builds: the second build refuses
    it (or, where the cache is verified first, publishes the page made again)."""
    root = Path(shutil.copytree(built, tmp_path / "project"))
    cached = root / "build" / "site" / "html" / PAGE
    text = cached.read_text(encoding="utf-8")
    edited = cached.with_name("edited.html")
    edited.write_text(text.replace(ANCHOR, "<p>Some 300 adults took part.</p>" + ANCHOR),
                      encoding="utf-8")
    os.replace(edited, cached)  # a new file: the published site is not changed by this test
    result = run_cli(root, "build")
    published = (root / "site" / PAGE).read_text(encoding="utf-8")
    assert "Some 300 adults" not in published
    if result.code != 0:
        assert f'site/{PAGE}: error: the number "300" is not a fact\'s value: "Some 300 adults ' \
               'took part." [unmarked-number]' in result.err
        assert "build failed: final check: 1 error(s); the site was not changed" in result.err


@pytest.mark.parametrize("url, kind, host", [
    ("//evil.example/x", "host", "evil.example"),
    ("\\\\evil.example/x", "host", "evil.example"),
    ("/\\evil.example/x", "host", "evil.example"),
    ("https:\\\\evil.example", "host", "evil.example"),
    ("HTTPS:evil.example", "host", "evil.example"),
    ("https:///evil.example:8080/x", "host", "evil.example"),
    ("\x01 //user@Evil.Example./x", "host", "evil.example"),
    ("ja\nva\tscript:alert(1)", "script", ""),
    (" VBScript:x", "script", ""),
    ("data:text/html;base64,PHNjcmlwdD4=", "script", ""),
    ("data:image/png;base64,AAAA", "data", ""),
    ("mailto:a@example.org", "other", ""),
    ("../../assets/edu.js", "relative", ""),
    ("#ref-a", "relative", ""),
])
def test_urls_are_read_as_browsers_read_them(url: str, kind: str, host: str) -> None:
    assert (parse(url).kind, parse(url).host) == (kind, host)


def test_urls_in_srcset_and_css() -> None:
    assert srcset_urls("a.png 1x,b.png 2x, c,d.png 3x") == ["a.png", "b.png", "c,d.png"]
    assert css_urls("a{b:url( 'x' )} /* url(y) */ @import \"z\"; c{d:\\75 rl(w)}") == \
        ["x", "w", "z"]


def test_a_kept_verdict_is_used_only_for_the_same_bytes_and_expectations(
        built: Path, tmp_path: Path) -> None:
    """The record of verdicts is read back: a verdict written for these bytes is used as it is
    (a made-up problem shows), and no longer once what the page is checked against changes."""
    import json

    site = staging(built, tmp_path)
    assert check(built, site) == []
    record = built / "build" / "site" / "final-check.json"
    kept = json.loads(record.read_text(encoding="utf-8"))
    kept["pages"][PAGE]["problems"] = [{"path": f"site/{PAGE}", "line": None, "code": "kept",
                                        "message": "a kept verdict", "hint": "",
                                        "severity": "error"}]
    record.write_text(json.dumps(kept), encoding="utf-8")
    assert check(built, site) == [f"site/{PAGE}: error: a kept verdict [kept]"]
    kept["pages"][PAGE]["problems"] = [{"code": "kept"}]  # damaged: read as no verdict
    record.write_text(json.dumps(kept), encoding="utf-8")
    assert check(built, site) == []
    record.write_text(json.dumps({"pages": [], "pdfs": {PDF: None}}), encoding="utf-8")
    assert check(built, site) == []
    kept = json.loads(record.read_text(encoding="utf-8"))
    kept["pages"][PAGE]["problems"] = [{"path": f"site/{PAGE}", "line": None, "code": "kept",
                                        "message": "a kept verdict", "hint": "",
                                        "severity": "error"}]
    record.write_text(json.dumps(kept), encoding="utf-8")
    names = built / "site_config" / "number_names.yml"
    try:
        names.write_text("- text: SF-36\n  reason: a questionnaire's name\n", encoding="utf-8")
        assert check(built, site) == []
    finally:
        names.unlink(missing_ok=True)


def test_a_number_in_a_title_is_refused_on_its_pages(make_project) -> None:
    """Titles are content the drift guard does not read."""
    files = {**base_files(), **topic_files("bracing", title="Type 2 back pain", body=BODY,
                                           facts=FACTS)}
    root = make_project(files)
    result = run_cli(root, "build")
    assert result.code == 1
    for audience in ("nurse", "patient", "physician"):
        assert (f'site/{audience}/bracing/index.html: error: the number "2" is not a fact\'s '
                f'value: "Type 2 back pain ({audience})" [unmarked-number]') in result.err
    assert "build failed: final check: 3 error(s); the site was not changed" in result.err
    assert not (root / "site").exists()


def test_a_fact_shown_only_in_the_change_log_is_not_looked_for_in_the_handout(make_project
                                                                               ) -> None:
    """The handout prints no "What changed" list: a figure the page shows there alone (a change
    summary is prose) is checked on the page, and the handout is not held to it."""
    files = {**base_files(), **topic_files("bracing", title="Does rest help", body=BODY,
                                           facts=FACTS + """
wait_weeks:
  label: Weeks the first advice said to wait
  value: 6
  unit: weeks
  refs: [testref_a]
  verified: true
""")}
    topic = "content/topics/bracing/topic.yml"
    files[topic] = files[topic].replace(
        "summary: First written.",
        'summary: "We no longer say {{ fact.wait_weeks }}."')
    root = make_project(files)
    result = run_cli(root, "build")
    assert result.code == 0, result.text
    page = (root / "site" / PAGE).read_text(encoding="utf-8")
    assert 'data-fact="wait_weeks"' in page
