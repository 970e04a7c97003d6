"""Fault injection: one editor mistake at a time, and the real `build` must refuse it.

Every case copies a project whose site/ was built from good content, injects one fault, runs
`python -m build_tools build`, and checks what an editor and a patient would see: a non-zero
exit, the problem's code at the file and line to fix, and the last good site/ untouched.
The catalogue an editor reads is docs/faults.md; keep the two in step.
"""
from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import copy_project, run_cli, run_in_process

TOPIC = "content/topics/vertebroplasty/topic.yml"
FACTS = "content/topics/vertebroplasty/facts.yml"
REFS = "content/references.yml"
LIU = "content/facts/liu2011.yml"
PATIENT = "audiences/patient/vertebroplasty.md"
NURSE = "audiences/nurse/vertebroplasty.md"
MAIN_HTML = "templates/theme/main.html"
PATIENT_PAGE = "site/patient/vertebroplasty/index.html"
BOARD = "site_config/advisory_board.yml"
SIGNOFFS = "content/topics/vertebroplasty/signoffs.yml"
# A reviewer who exists only in this test's temporary project, never in the example.
TEST_REVIEWER = "- name: Test Reviewer\n  credentials: MD\n  role: test fixture, not a real person\n"
# A paragraph no patient should have to read; three of them push the page past grade 8.
JARGON = (
    "Notwithstanding considerable methodological heterogeneity among contemporaneous "
    "investigations, percutaneous vertebral augmentation demonstrates substantial periprocedural "
    "complication profiles, particularly regarding extravertebral polymethylmethacrylate "
    "extravasation and consequential pulmonary embolization. Institutional protocols emphasize "
    "individualized multidisciplinary risk stratification incorporating comorbidities, "
    "anticoagulation considerations, osteoporotic severity quantification, and comprehensive "
    "radiographic characterization. Accordingly, determinations regarding interventional "
    "appropriateness necessitate meticulous deliberation concerning anticipated therapeutic "
    "benefits relative to procedural morbidity. Furthermore, postprocedural surveillance "
    "encompasses neurological examination, hemodynamic monitoring, and systematic documentation "
    "of analgesic requirements throughout convalescence. Subsequently, pharmacological "
    "optimization of antiresorptive therapy constitutes an indispensable component of "
    "comprehensive osteoporosis management following vertebral augmentation. Methodological "
    "limitations, including inadequate blinding, heterogeneous outcome measurement instruments, "
    "and insufficient longitudinal follow-up, substantially constrain evidentiary "
    "generalizability.")
PROBLEM_HEAD = re.compile(r"^(\S+?)(?::(\d+))?: (error|warning): ", re.M)

Inject = Callable[[Path], None]


# --- how a fault is injected ------------------------------------------------------------------

def edit(rel: str, old: str, new: str) -> Inject:
    """Replace the first `old` in one file; fails loudly when the example no longer has it."""
    def inject(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"the example {rel} no longer contains {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return inject


def signed_off(*then: Inject) -> Inject:
    """A board member signs the topic off with the real `approve` command; then the fault."""
    def inject(root: Path) -> None:
        (root / BOARD).write_text(TEST_REVIEWER, encoding="utf-8")
        result = run_cli(root, "approve", "vertebroplasty", "--reviewer", "Test Reviewer",
                         "--date", "2026-11-28")
        assert result.code == 0, result.text
        for step in then:
            step(root)
    return inject


def prose_before(rel: str, anchor: str, inserted: str) -> Inject:
    return edit(rel, anchor, f"{inserted} {anchor}")


def not_utf8(root: Path) -> None:
    path = root / PATIENT
    path.write_bytes(path.read_bytes().replace(b"Fresh breaks", "Fr\u00e9sh breaks".encode("latin-1")))


def emptied(rel: str) -> Inject:
    return lambda root: (root / rel).write_text("", encoding="utf-8")


def oversized(root: Path) -> None:
    path = root / PATIENT
    path.write_text(path.read_text() + "Plain words, said again and again.\n" * 32_000)


def linked_outside(rel: str) -> Inject:
    def inject(root: Path) -> None:
        outside = root.parent / "outside.md"
        outside.write_text("Text that lives outside the project.\n", encoding="utf-8")
        (root / rel).unlink(missing_ok=True)
        (root / rel).symlink_to(outside)
    return inject


def deleted(rel: str) -> Inject:
    return lambda root: (root / rel).unlink()


# --- what the editor must be told -------------------------------------------------------------

@dataclass(frozen=True)
class Fault:
    inject: Inject
    code: str
    path: str                  # the file the editor must open
    line_text: str | None      # text on the line the build must name; None: the fault has no line
    strict: bool = False

    def where(self, root: Path) -> str:
        """`path:line` as the build must print it, the line found in the faulted file."""
        if self.line_text is None:
            return self.path
        return f"{self.path}:{line_number(root / self.path, self.line_text)}"


def line_number(path: Path, text: str) -> int:
    """The first line of path that contains text."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def fault(inject: Inject, code: str, path: str, line_text: str | None, *, id: str,
          strict: bool = False) -> object:
    return pytest.param(Fault(inject, code, path, line_text, strict), id=id)


FAULTS = [
    # load: YAML and files
    fault(edit(TOPIC, "category: Spine and bones", "category: Spine: bones and joints"),
          "yaml-syntax", TOPIC, "category: Spine: bones", id="yaml-syntax-colon-in-value"),
    fault(edit(FACTS, "  unit: EUR\n", "\tunit: EUR\n"),
          "yaml-syntax", FACTS, "\tunit: EUR", id="yaml-syntax-tab-indent"),
    fault(edit(TOPIC, "status: under_review\n", "status: under_review\nstatus: approved\n"),
          "duplicate-key", TOPIC, "status: approved", id="duplicate-key-in-mapping"),
    fault(edit(FACTS, "conservative_care_weeks:\n", "min_vas_score:   # pasted twice\n"),
          "duplicate-key", FACTS, "# pasted twice", id="duplicate-fact-key"),
    fault(not_utf8, "not-utf8", PATIENT, "Fr\ufffdsh", id="non-utf8-file"),
    fault(emptied("content/glossary.yml"), "empty-file", "content/glossary.yml", None,
          id="empty-yaml-file"),
    fault(emptied(NURSE), "empty-file", NURSE, None, id="empty-prose-file"),
    fault(oversized, "file-too-large", PATIENT, None, id="file-over-1mb"),
    fault(linked_outside(PATIENT), "outside-project", PATIENT, None, id="prose-link-leaves-project"),
    fault(linked_outside("templates/theme/assets/notes.md"), "outside-project",
          "templates/theme/assets/notes.md", None, id="theme-link-leaves-project"),
    # validate: fields and values
    fault(edit("audiences/patient.yml", "reading_grade_max: 8", "reading_grade_max: eight"),
          "wrong-type", "audiences/patient.yml", "reading_grade_max", id="wrong-type-number"),
    fault(edit(FACTS, "  refs: [lamanna2019]", "  refs: lamanna2019"),
          "wrong-type", FACTS, "refs: lamanna2019", id="wrong-type-list"),
    fault(edit(TOPIC, "category: Spine and bones\n", ""),
          "missing-field", TOPIC, "question:", id="missing-topic-field"),
    fault(edit(FACTS, "  label: Length of failed conservative care before vertebroplasty is "
                      "considered\n", ""),
          "missing-field", FACTS, "conservative_care_weeks:", id="missing-fact-field"),
    fault(edit(FACTS, "  verified: true\n", "  verifed: true\n"),
          "unknown-field", FACTS, "verifed", id="unknown-field-did-you-mean"),
    fault(edit(TOPIC, "status: under_review", "status: underreview"),
          "invalid-value", TOPIC, "status:", id="status-not-a-state"),
    fault(edit(TOPIC, "next_review: 2027-10-15", "next_review: 2027-13-45"),
          "bad-date", TOPIC, "next_review", id="malformed-date-month-13"),
    fault(edit(TOPIC, "next_review: 2027-10-15", "next_review: 15/10/2027"),
          "bad-date", TOPIC, "next_review", id="malformed-date-day-first"),
    fault(edit(REFS, "DOI: 10.1111/1754-9485.12900", "DOI: https://doi.org/1754-9485.12900"),
          "bad-doi", REFS, "DOI: https://doi.org", id="malformed-doi"),
    fault(edit(REFS, 'PMID: "31106977"', 'PMID: "PMC31106977"'),
          "bad-pmid", REFS, "PMC31106977", id="malformed-pmid"),
    # validate: keys that must exist once
    fault(edit(REFS, "- id: praxis2025b", "- id: praxis2025a   # copied entry"),
          "duplicate-reference", REFS, "# copied entry", id="duplicate-reference-id"),
    fault(edit(TOPIC, "  - liu2011\n", "  - liu2011\n  - liu2011   # again\n"),
          "duplicate-reference", TOPIC, "# again", id="reference-listed-twice-in-topic"),
    fault(edit(FACTS, "refs: [lamanna2019]", "refs: [lamanna2091]"),
          "unknown-reference", FACTS, "lamanna2091", id="fact-cites-unknown-reference"),
    fault(edit(LIU, "  refs: [liu2011]", "  refs: [liu2012]"),
          "unknown-reference", LIU, "liu2012", id="shared-fact-cites-unknown-reference"),
    fault(edit("audiences/nurse.yml", "disclaimer: nurse", "disclaimer: nurses"),
          "missing-disclaimer", "audiences/nurse.yml", "disclaimer:", id="unknown-disclaimer"),
    fault(edit(TOPIC, "next_review: 2027-10-15", "last_reviewed: 2025-10-15\nnext_review: 2024-10-15"),
          "review-dates", TOPIC, "next_review", id="next-review-before-last"),
    fault(deleted(NURSE), "missing-variant", NURSE, None, id="variant-file-missing"),
    fault(edit(TOPIC, "  nurse:\n", "  nurses:\n"),
          "missing-variant", TOPIC, "audiences:", id="variant-missing-in-topic"),
    # render: the sandboxed prose templates
    fault(edit(PATIENT, "{{ fact.min_vas_score }}", "{{ fact.min_vas_scor }}"),
          "unknown-fact", PATIENT, "min_vas_scor ", id="unknown-fact"),
    fault(edit(PATIENT, 'fact("liu2011.pain_window_days")', 'fact("liu2011.pain_window_day")'),
          "unknown-fact", PATIENT, "pain_window_day\"", id="unknown-shared-fact"),
    fault(edit(LIU, "  refs: [liu2011]", "  refs: [liu2011, wardlaw2009]"),
          "missing-fact-source", PATIENT, "liu2011.pain_window_days",
          id="shared-fact-source-not-in-topic-references"),
    fault(edit(PATIENT, 'cite("lamanna2019")', 'cite("lamana2019")'),
          "unknown-reference", PATIENT, "lamana2019", id="unknown-reference-in-cite"),
    fault(edit(PATIENT, 'term("osteoporosis", "osteoporosis")', 'term("osteoporsis", "osteoporosis")'),
          "unknown-term", PATIENT, "osteoporsis", id="unknown-glossary-term"),
    fault(prose_before(PATIENT, "Fresh breaks seem", "{{ facts.acute_fracture_weeks }}"),
          "unknown-name", PATIENT, "facts.acute", id="unknown-name"),
    fault(edit(PATIENT, "{{ fact.min_vas_score }}", "{{ fact.min_vas_score }"),
          "template-syntax", PATIENT, "fact.min_vas_score }", id="template-syntax-error"),
    fault(prose_before(PATIENT, "Fresh breaks seem", "{{ cite.__globals__ }}"),
          "unsafe-template", PATIENT, "__globals__", id="sandbox-escape-globals"),
    fault(prose_before(PATIENT, "Fresh breaks seem", "{{ ''.__class__.__mro__ }}"),
          "unsafe-template", PATIENT, "__mro__", id="sandbox-escape-mro"),
    fault(prose_before(PATIENT, "Fresh breaks seem", "{{ cite.cited.add('liu2011') }}"),
          "unsafe-template", PATIENT, "cited.add", id="sandbox-mutates-citations"),
    # check: citations, numbers, reading level, unsafe HTML
    fault(edit(PATIENT, ' {{ cite("liu2011") }}', ""),
          "uncited-reference", PATIENT, None, id="reference-not-cited-in-one-variant"),
    fault(edit(PATIENT, "## Questions to ask your care team", "## Things to ask"),
          "missing-section", PATIENT, None, id="patient-page-without-questions-section"),
    fault(edit(PATIENT, "Most people go home the same day.", "Most people go home within 24 hours."),
          "bare-number", PATIENT, "within 24 hours", id="bare-number-in-prose"),
    fault(prose_before(PATIENT, "Fresh breaks seem", 'Wait {{ literal("6") }} weeks.'),
          "literal-is-a-fact", PATIENT, 'literal("6")', id="literal-hides-a-fact-value"),
    fault(edit(TOPIC, "Studies do not agree on", "Studies in 3 trials do not agree on"),
          "bare-number", TOPIC, "short_answer:", id="bare-number-in-short-answer"),
    fault(edit(PATIENT, "Like any procedure, vertebroplasty has risks.", "\n\n".join([JARGON] * 3)),
          "reading-level", PATIENT, None, id="reading-level-over-patient-limit"),
    fault(prose_before(PATIENT, "Fresh breaks seem", "<script>alert('hi')</script>"),
          "unsafe-html", PATIENT, "<script>", id="html-script"),
    fault(prose_before(PATIENT, "Fresh breaks seem", '<span onclick="steal()">Note</span>'),
          "unsafe-html", PATIENT, "onclick=", id="html-onclick"),
    fault(prose_before(PATIENT, "Fresh breaks seem", "[Read more](javascript:steal())"),
          "unsafe-html", PATIENT, "javascript:", id="html-javascript-url"),
    fault(prose_before(PATIENT, "Fresh breaks seem", '<iframe src="https://example.org"></iframe>'),
          "unsafe-html", PATIENT, "<iframe", id="html-iframe"),
    fault(prose_before(PATIENT, "Fresh breaks seem", '<object data="movie.swf"></object>'),
          "unsafe-html", PATIENT, "<object", id="html-object"),
    fault(prose_before(PATIENT, "Fresh breaks seem", '<embed src="movie.swf">'),
          "unsafe-html", PATIENT, "<embed", id="html-embed"),
    fault(prose_before(PATIENT, "Fresh breaks seem", '<form action="/ask"><input name="q"></form>'),
          "unsafe-html", PATIENT, "<form", id="html-form"),
    fault(prose_before(PATIENT, "Fresh breaks seem", "[Open](data:text/html;base64,PHNjcmlwdD4=)"),
          "unsafe-html", PATIENT, "data:text/html", id="html-data-url"),
    # page and theme templates, caught by rendering or in the final HTML
    fault(edit("templates/topic.md.j2", "{{ review.label | md }}", "{{ review.reviewer | md }}"),
          "page-template", "templates/topic.md.j2", "review.reviewer", id="page-template-unknown-name"),
    fault(edit(MAIN_HTML, "{{ super() }}", "{{ super() }"),
          "theme-template", MAIN_HTML, "super() }", id="theme-template-syntax-error"),
    fault(edit("templates/topic.md.j2", '<aside id="edu-disclaimer"', '<aside id="edu-note"'),
          "missing-disclaimer", PATIENT_PAGE, None, id="topic-template-drops-disclaimer"),
    fault(edit(MAIN_HTML, "{{ super() }}", "<article>{{ page.content.split('<aside')[0] }}</article>"),
          "missing-disclaimer", PATIENT_PAGE, None, id="theme-override-drops-disclaimer"),
    fault(edit("templates/theme/404.html", '{% include "partials/edu-disclaimer.html" %}', ""),
          "missing-disclaimer", "site/404.html", None, id="theme-404-drops-disclaimer"),
    fault(edit(MAIN_HTML, "{{ super() }}",
               "{{ page.content | replace('id=\"edu-disclaimer\"', 'id=\"edu-disclaimer\" hidden') }}"),
          "missing-disclaimer", PATIENT_PAGE, None, id="theme-override-hides-disclaimer"),
    fault(edit(MAIN_HTML, "{{ super() }}",
               "{{ page.content | replace('class=\"edu-unverified\"', 'class=\"x\"') }}"),
          "unverified-unmarked", PATIENT_PAGE, None, id="theme-override-drops-unverified-marks"),
    fault(edit(MAIN_HTML, "{% block extrahead %}",
               '{% block extrahead %}<link rel="stylesheet" href="https://fonts.example.com/a.css">'),
          "third-party-request", PATIENT_PAGE, None, id="theme-loads-third-party-font"),
    # warnings that --strict (make site STRICT=1) turns into errors
    fault(edit(TOPIC, "next_review: 2027-10-15", "next_review: 2025-10-16"),
          "review-overdue", TOPIC, "next_review", strict=True, id="strict-review-overdue"),
    fault(signed_off(edit(FACTS, "  value: {min: 3, max: 4}", "  value: {min: 2, max: 4}")),
          "changed-since-review", SIGNOFFS, "- reviewer: Test Reviewer", strict=True,
          id="strict-changed-since-review"),
    fault(edit(TOPIC, "next_review:", "reviewed_by: Editorial Advisory Board\nnext_review:"),
          "review-fields-ignored", TOPIC, "reviewed_by:", strict=True,
          id="strict-review-typed-into-topic"),
    # review: only a sign-off by a board member, of the content as it is, counts
    fault(edit(TOPIC, "status: under_review", "status: approved"),
          "approved-without-signoff", TOPIC, "status: approved", id="approved-without-signoff"),
    fault(signed_off(lambda root: (root / BOARD).write_text("[]\n", encoding="utf-8")),
          "signoff-unknown-reviewer", SIGNOFFS, "- reviewer: Test Reviewer",
          id="signoff-by-someone-not-on-the-board"),
    fault(signed_off(edit(SIGNOFFS, "      value: 5.0", "      value: 4.0")),
          "signoff-edited", SIGNOFFS, "- reviewer: Test Reviewer", id="signoff-edited-by-hand"),
    fault(edit(PATIENT, "Like any procedure, vertebroplasty has risks.", JARGON.split(" Subsequently")[0]),
          "section-reading-level", PATIENT, "## Risks", id="one-section-over-the-patient-limit"),
]


# --- the harness ------------------------------------------------------------------------------

def tree_digest(folder: Path) -> str:
    """One hash over every path and byte under folder: equal digests, identical trees."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def problem_blocks(output: str) -> dict[str, str]:
    """Each `path[:line]: error: ...` problem of the output, keyed by its `path[:line]`."""
    heads = list(PROBLEM_HEAD.finditer(output))
    blocks: dict[str, str] = {}
    for head, following in zip(heads, heads[1:] + [None]):
        end = following.start() if following else len(output)
        where = head.group(1) + (f":{head.group(2)}" if head.group(2) else "")
        blocks.setdefault(where, "")
        blocks[where] += output[head.start():end]
    return blocks


@pytest.fixture(scope="module")
def good_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project with the site/ a good build gave; each test works on a copy."""
    root = copy_project(tmp_path_factory.mktemp("good") / "project")
    result = run_cli(root, "build")
    assert result.code == 0, result.text
    return root


@pytest.fixture
def project_with_site(good_project: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(good_project, tmp_path / "project", symlinks=True))


@pytest.mark.parametrize("case", FAULTS)
def test_build_refuses_the_fault_and_keeps_the_last_good_site(case: Fault, project_with_site: Path):
    root = project_with_site
    before = tree_digest(root / "site")
    case.inject(root)
    result = run_in_process(root, "build", *(["--strict"] if case.strict else []))
    assert result.code != 0, result.text
    assert "Traceback" not in result.text
    where = case.where(root)
    blocks = problem_blocks(result.text)
    assert where in blocks, f"expected a problem at {where}:\n{result.text}"
    assert ": error: " in blocks[where] and f"[{case.code}]" in blocks[where], blocks[where]
    assert tree_digest(root / "site") == before, "a failed build changed site/"
    assert not list(root.glob(".site.*")), "a failed build left its staging folder behind"


def test_there_are_at_least_thirty_distinct_faults():
    ids = [param.id for param in FAULTS]
    assert len(set(ids)) == len(ids) >= 30


@pytest.mark.parametrize("case", [p for p in FAULTS if p.values[0].strict])
def test_without_strict_a_warning_does_not_stop_the_build(case: Fault, project_with_site: Path):
    case.inject(project_with_site)
    result = run_cli(project_with_site, "build")
    assert result.code == 0, result.text
    assert f"{case.where(project_with_site)}: warning: " in result.text
    assert f"[{case.code}]" in result.text


def test_a_topic_the_policy_does_not_publish_is_left_out_and_the_build_says_so(
        project_with_site: Path):
    edit(TOPIC, "status: under_review", "status: submitted")(project_with_site)
    result = run_cli(project_with_site, "build")
    assert result.code == 0, result.text
    assert (f"{TOPIC}: left out: topic 'vertebroplasty' is submitted; site_config/policy.yml "
            "publishes only under_review, approved") in result.out
    site = project_with_site / "site"
    assert not (site / "patient" / "vertebroplasty").exists()
    listed = (site / "patient" / "categories" / "spine-and-bones" / "index.html").read_text()
    assert "kyphoplasty/" in listed and "vertebroplasty/" not in listed
    report = run_cli(project_with_site, "check")
    assert "topic vertebroplasty: submitted, NOT published by the policy" in report.out


# --- the exact words an editor reads, for a few representative faults --------------------------

def build_output(root: Path, inject: Inject, *args: str) -> str:
    inject(root)
    result = run_in_process(root, "build", *args)
    assert result.code == 1
    return result.err


def test_message_unknown_field_suggests_the_field(project: Path):
    err = build_output(project, edit(FACTS, "  verified: true\n", "  verifed: true\n"))
    assert (f"{FACTS}:{line_number(project / FACTS, 'verifed')}: error: unknown field 'verifed' [unknown-field]\n"
            "    fix: did you mean 'verified'?\n") in err
    assert "missing-field" not in err  # the misspelt field is one mistake, not two


def test_message_malformed_date(project: Path):
    err = build_output(project, edit(TOPIC, "next_review: 2027-10-15", "next_review: 2025-13-45"))
    assert err.startswith(
        f"{TOPIC}:{line_number(project / TOPIC, 'next_review')}: error: 'next_review': '2025-13-45' is not a date (month value is outside "
        "expected range of 1-12) [bad-date]\n"
        "    fix: write the date as YYYY-MM-DD, for example 2025-10-15\n")


def test_message_unknown_fact(project: Path):
    err = build_output(project, edit(PATIENT, "{{ fact.min_vas_score }}", "{{ fact.min_vas_scor }}"))
    line = line_number(project / PATIENT, "min_vas_scor ")
    assert err.startswith(f"{PATIENT}:{line}: error: unknown fact 'min_vas_scor' [unknown-fact]\n"
                          "    fix: did you mean 'min_vas_score'?\n")


def test_message_bare_number_says_how_to_mark_a_number_that_is_not_clinical(project: Path):
    err = build_output(project, edit(PATIENT, "Most people go home the same day.",
                                     "Most people go home within 24 hours."))
    assert err.startswith(
        f"{PATIENT}:{line_number(project / PATIENT, '24 hours')}: error: number '24' typed into the prose instead of taken from the fact "
        "base [bare-number]\n"
        "    fix: insert it with {{ fact.KEY }}; for a number that is not clinical (a phone "
        'number, a count) write {{ literal("...") }}\n')


def test_message_bare_number_names_the_fact_with_that_value(project: Path):
    err = build_output(project, edit(PATIENT, "Most people go home the same day.",
                                     "Most people go home within 6 weeks."))
    assert err.startswith(
        f"{PATIENT}:{line_number(project / PATIENT, 'within 6 weeks')}: error: number '6' typed "
        "into the prose instead of taken from the fact base [bare-number]\n"
        "    fix: '6' is the value of fact 'acute_fracture_weeks': insert it with "
        "{{ fact.acute_fracture_weeks }}\n")


def test_message_literal_refuses_the_value_of_a_shared_fact(project: Path):
    err = build_output(project, prose_before(PATIENT, "Fresh breaks seem",
                                             'Relief lasted {{ literal("7") }} days.'))
    assert err.startswith(
        f"{PATIENT}:{line_number(project / PATIENT, 'literal(')}: error: literal(\"7\") gives the "
        "value of fact 'liu2011.pain_window_days', a clinical figure [literal-is-a-fact]\n"
        "    fix: insert it with {{ fact(\"liu2011.pain_window_days\") }}, so that it changes "
        "with the fact\n")


def test_message_shared_fact_whose_source_the_topic_does_not_list(project: Path):
    err = build_output(project, edit(LIU, "  refs: [liu2011]", "  refs: [liu2011, wardlaw2009]"))
    line = line_number(project / PATIENT, "liu2011.pain_window_days")
    assert err.count("[missing-fact-source]") == 3  # one per audience's page
    assert (
        f"{PATIENT}:{line}: error: shared fact 'liu2011.pain_window_days' rests on 'wardlaw2009', "
        "which is not in this topic's references [missing-fact-source]\n"
        f"    fix: add 'wardlaw2009' to `references` in {TOPIC} and cite it on this page\n") in err


def test_message_sandbox_escape(project: Path):
    err = build_output(project, prose_before(PATIENT, "Fresh breaks seem", "{{ cite.__globals__ }}"))
    assert err.startswith(
        f"{PATIENT}:{line_number(project / PATIENT, '__globals__')}: error: unsafe template: '__globals__' reaches into Python's internals, "
        "which prose may not do [unsafe-template]\n"
        "    fix: use only fact, cite, term, literal, as docs/authoring.md shows\n")


def test_message_reading_level_names_page_grade_and_three_hardest_sentences(project: Path):
    err = build_output(project, edit(PATIENT, "Like any procedure, vertebroplasty has risks.",
                                     "\n\n".join([JARGON] * 3)))
    head, *listed = err.split("\n    fix:")[0].splitlines()
    assert re.fullmatch(rf"{PATIENT}: error: reading grade \d+\.\d is above the patient limit of "
                        r"8; the hardest sentences are:", head), head
    assert len(listed) == 3
    line = line_number(project / PATIENT, "Institutional protocols")
    assert listed[0].startswith(f'    line {line}: "Institutional protocols emphasize')
    assert all(re.search(r'" \(grade \d+\.\d\)', line) for line in listed)
    assert listed[-1].endswith("[reading-level]")


def test_message_disclaimer_dropped_by_the_theme(project: Path):
    err = build_output(project, edit(MAIN_HTML, "{{ super() }}",
                                     "<article>{{ page.content.split('<aside')[0] }}</article>"))
    assert ("site/patient/vertebroplasty/index.html: error: the page carries no disclaimer; it "
            "must show the 'patient' disclaimer once [missing-disclaimer]\n"
            "    fix: keep #edu-disclaimer in the templates and theme overrides\n") in err
    assert re.search(r"build failed: HTML check: \d+ error\(s\); the site was not changed\n$", err)


def test_a_non_clinical_number_marked_with_literal_passes(make_project):
    from projects import base_files, topic_files

    root = make_project({**base_files(), **topic_files("bracing", title="Does a brace help", body="""
        ## Rest first

        Call the clinic ({{ literal("0800") }} is its line) if the brace hurts {{ cite("testref_a") }}.
        """)})
    result = run_in_process(root, "check")
    assert result.code == 0, result.text


def test_message_one_section_over_the_limit_names_its_heading_grade_and_sentences(project: Path):
    """The page's average passes; the one academic section does not."""
    err = build_output(project, edit(PATIENT, "Like any procedure, vertebroplasty has risks.",
                                     JARGON.split(" Subsequently")[0]))
    assert "[reading-level]" not in err
    head, *listed = err.split("\n    fix:")[0].splitlines()
    assert re.fullmatch(rf"{PATIENT}:{line_number(project / PATIENT, '## Risks')}: error: the section "
                        r"'Risks' reads at grade \d+\.\d, more than 2 above the patient limit of 8; "
                        r"the hardest sentences are:", head), head
    line = line_number(project / PATIENT, "Institutional protocols")
    assert len(listed) == 3 and listed[0].startswith(f'    line {line}: "Institutional protocols')
    assert listed[-1].endswith("[section-reading-level]")
