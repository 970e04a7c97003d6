"""The editorial policy's statements of practice hold, or the build says which one breaks.

A reference field taken from a secondary source (`unchecked:` in content/references.yml) is
marked next to it wherever references are listed; and each promise declared in
site_config/policy.yml (`promises:`) stops the build, at the file and line to fix, when the
content breaks it. Projects are written from the files given here (tests/projects.py).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from build_tools.core.pipeline import content_epoch, generate
from build_tools.handouts.handout import HandoutPrinter
from conftest import parse, run_in_process
from projects import base_files, english_words, topic_files

DOI = "10.1000/test.unchecked"
TRIAL = """\
- id: testref_a
  kind: trial
  title: A test trial that exists only in these tests
  container-title: Test Journal
  issued: 2020
  volume: "3"
  page: 10-19
  DOI: {doi}
{extra}"""
UNTRACED = """\
- id: summary_x
  kind: {kind}
  title: A summary of guidance that exists only in these tests
  issued: 2024
  note: "Not traceable in the published literature."
"""
MARKER = "DOI from a secondary source, not yet checked"
ALL_PROMISES = """\
published_states: [under_review, approved]
banners:
  under_review: Under review - this page may change.
promises:
  - references_checked
  - untraceable_labelled
  - grades_from_source
  - unverified_marked
  - change_log_newest_first
"""
BODY = """
## What the trial found

Rest helped {{ cite("testref_a") }}.
"""


def project_files(references: str, *, policy: str = ALL_PROMISES, facts: str = "",
                  body: str = BODY, cited: tuple[str, ...] = ("testref_a",)) -> dict[str, str]:
    files = {**base_files(), **topic_files("resting", title="Does rest help", body=body,
                                           facts=facts, references=cited)}
    files["content/references.yml"] = references
    files["site_config/policy.yml"] = policy
    return files


def trial(extra: str = "") -> str:
    return TRIAL.format(doi=DOI, extra=extra)


def line_of(root: Path, rel: str, text: str) -> int:
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def errors(root: Path) -> list[str]:
    result = run_in_process(root, "check")
    return [line for line in result.text.splitlines() if ": error: " in line]


# --- the mark a reader sees ---------------------------------------------------------------------

def test_an_unchecked_doi_is_marked_next_to_it_on_the_page_and_in_the_handout(make_project):
    root = make_project(project_files(trial("  unchecked: [DOI]\n")))
    result = run_in_process(root, "build")
    assert result.code == 0, result.text
    for audience in ("patient", "nurse", "physician"):
        item = parse(root / "site" / audience / "resting" / "index.html").xpath(
            "//ol[@id='edu-references']/li[@id='ref-testref_a']")[0]
        assert_marked_after_doi(item)
    made = generate(root)
    assert made.library is not None
    printer = HandoutPrinter(root, made.library, {}, content_epoch(made.library), made.reviews)
    handout = lxml_html.fromstring(printer.html(made.variants[0]))
    assert_marked_after_doi(handout.xpath("//ol[@id='edu-references']/li")[0])


def assert_marked_after_doi(item) -> None:
    link = item.xpath(".//a[@class='edu-doi']")[0]
    assert link.text == DOI
    marker = item.xpath("./span[@class='edu-ref-unchecked']")[0]
    assert marker.get("data-unchecked") == "DOI"
    assert " ".join(marker.text_content().split()) == f"({MARKER})"
    # right after the citation, whose last part is the DOI link
    assert marker.getprevious() is item.xpath("./span[@class='edu-citation']")[0]


def test_a_checked_reference_carries_no_mark(make_project):
    root = make_project(project_files(trial()))
    made = generate(root)
    assert made.library is not None and not made.problems
    printer = HandoutPrinter(root, made.library, {}, content_epoch(made.library), made.reviews)
    assert "edu-ref-unchecked" not in printer.html(made.variants[0])


def test_the_mark_names_every_unchecked_field_and_escapes_nothing_it_should_not(make_project):
    from build_tools.core.base.model import Reference
    from build_tools.core.facts.references import reference_item

    ref = Reference.model_validate({
        "id": "x", "kind": "trial", "title": "<b>Bold</b> & co", "issued": 2020,
        "author": [{"family": "Smith", "given": "J"}], "issue": "2",
        "DOI": DOI, "unchecked": ["author", "issue", "DOI"]})
    item = lxml_html.fromstring(str(reference_item(1, ref, english_words())))
    marker = item.xpath("./span[@class='edu-ref-unchecked']")[0]
    assert marker.text_content() == ("(author list, issue number and DOI from a secondary source, "
                                     "not yet checked)")
    assert not item.xpath(".//b")  # the title is text, not markup


@pytest.mark.parametrize("written, message", [
    ("[DIO]", "'DIO' under `unchecked` of 'testref_a' is not a field a reference prints"),
    ("[PMID]", "'testref_a' lists 'PMID' under `unchecked`, but has no `PMID:` field"),
])
def test_an_unchecked_field_that_is_unknown_or_absent_is_an_error_at_its_line(
        make_project, written, message):
    root = make_project(project_files(trial(f"  unchecked: {written}\n")))
    line = line_of(root, "content/references.yml", "unchecked:")
    found = errors(root)
    assert found == [f"content/references.yml:{line}: error: {message} [unknown-unchecked-field]"]


def test_an_unknown_promise_is_an_error_at_its_line(make_project):
    policy = ALL_PROMISES.replace("  - grades_from_source\n", "  - grades_from_sources\n")
    root = make_project(project_files(trial(), policy=policy))
    line = line_of(root, "site_config/policy.yml", "grades_from_sources")
    assert [e for e in errors(root) if f"site_config/policy.yml:{line}: error:" in e]


# --- each promise: broken, kept -----------------------------------------------------------------

def test_references_checked_refuses_a_doubted_field_left_unmarked(make_project):
    broken = make_project(project_files(trial('  note: "DOI taken from secondary sources."\n')))
    line = line_of(broken, "content/references.yml", "note:")
    found = errors(broken)
    assert len(found) == 1 and found[0].startswith(f"content/references.yml:{line}: error: ")
    assert found[0].endswith("[unchecked-not-marked]") and "its DOI" in found[0]
    kept = make_project(project_files(trial(
        '  unchecked: [DOI]\n  note: "PMID not verified and therefore not given."\n')))
    assert errors(kept) == []
    # a detail the note doubts and the entry leaves out keeps the promise too
    left_out = make_project(project_files(trial(
        '  author: [{family: Smith, given: J}]\n  more-authors: true\n'
        '  note: "Author list beyond the first author not verified, so not given."\n')))
    assert errors(left_out) == []


def test_a_promise_not_declared_is_not_checked(make_project):
    policy = ALL_PROMISES.replace("  - references_checked\n", "")
    root = make_project(project_files(trial('  note: "DOI taken from secondary sources."\n'),
                                      policy=policy))
    assert errors(root) == []


@pytest.mark.parametrize("kind, wrong", [("review", True), ("untraceable summary", False)])
def test_untraceable_labelled(make_project, kind, wrong):
    refs = trial() + UNTRACED.format(kind=kind)
    body = BODY + 'A summary agrees {{ cite("summary_x") }}.\n'
    root = make_project(project_files(refs, body=body, cited=("testref_a", "summary_x")))
    found = errors(root)
    if wrong:
        line = line_of(root, "content/references.yml", "kind: review")
        assert found == [f"content/references.yml:{line}: error: the note of 'summary_x' says it "
                         "cannot be traced, but its kind is 'review': the reference list would "
                         "not label it untraceable [untraceable-not-labelled]"]
    else:
        assert found == []


@pytest.mark.parametrize("verified", ["true", "false"])
def test_grades_from_source(make_project, verified):
    facts = f"""\
rest_grade:
  label: Grade the summary gives rest
  value: "Class IIa"
  grade: "Class IIa, Level B"
  refs: [summary_x]
  verified: {verified}
"""
    refs = trial() + UNTRACED.format(kind="untraceable summary")
    body = BODY + 'A summary grades it {{ fact.rest_grade.grade }} {{ cite("summary_x") }}.\n'
    root = make_project(project_files(refs, facts=facts, body=body,
                                      cited=("testref_a", "summary_x")))
    found = errors(root)
    if verified == "true":
        line = line_of(root, "content/topics/resting/facts.yml", "verified:")
        assert len(found) == 1 and found[0].startswith(
            f"content/topics/resting/facts.yml:{line}: error: fact 'rest_grade' gives the grade")
        assert found[0].endswith("[grade-not-from-source]")
    else:
        assert found == []


@pytest.mark.parametrize("dates, wrong", [(("2025-03-01", "2025-01-01"), False),
                                          (("2025-01-01", "2025-03-01"), True)])
def test_change_log_newest_first(make_project, dates, wrong):
    files = project_files(trial())
    topic = "content/topics/resting/topic.yml"
    changes = "".join(f"  - {{date: {d}, summary: Changed.}}\n" for d in dates)
    files[topic] = files[topic].replace(
        "  - {date: 2025-01-01, summary: First written.}\n", changes)
    root = make_project(files)
    found = errors(root)
    if wrong:
        line = line_of(root, topic, "2025-03-01")
        assert found == [f"{topic}:{line}: error: the change of 2025-03-01 comes after the change "
                         "of 2025-01-01: the policy says the change log runs newest first "
                         "[change-log-order]"]
    else:
        assert found == []


def test_the_example_declares_every_promise_the_build_can_check():
    """The example's policy.yml promises all of them, and its content keeps them (make check)."""
    import typing

    import yaml

    from build_tools.core.base.model import Promise
    from conftest import REPO

    policy = yaml.safe_load((REPO / "site_config/policy.yml").read_text(encoding="utf-8"))
    assert sorted(policy["promises"]) == sorted(typing.get_args(Promise))


def test_the_review_view_tells_the_reviewer_which_fields_are_unchecked():
    from build_tools.core.base.model import Reference
    from build_tools.site.review_view import source_text

    ref = Reference.model_validate({"id": "x", "kind": "trial", "title": "A trial",
                                    "issued": 2020, "DOI": DOI, "unchecked": ["DOI"]})
    assert source_text(ref, english_words()).endswith(f"doi:{DOI} ({MARKER})")
