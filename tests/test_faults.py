"""Fault injection: one editor mistake at a time, and the real `build` must refuse it.

Every case copies a small project (tests/projects.py, one topic written for these tests) whose
site/ was built from good files, writes the one file the fault breaks, runs the build, and checks
what an editor and a patient would see: a non-zero exit, the problem's code at the file and line
to fix, and the last good site/ untouched. The example in content/ and audiences/ is not used, so
rewording it cannot break these tests. The catalogue an editor reads is docs/faults.md; keep the
two in step.
"""
from __future__ import annotations

import hashlib
import re
import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import material
import pytest

from conftest import run_cli, run_in_process
from projects import (REVIEWER, SMALL, SMALL_FACTS, SMALL_REFS, SMALL_SHARED, SMALL_TOPIC,
                      small_files, small_project, small_prose, topic_files, write_project)

TOPIC = SMALL_TOPIC
FACTS = SMALL_FACTS
REFS = SMALL_REFS
SHARED = SMALL_SHARED
PATIENT = f"audiences/patient/{SMALL}.md"
NURSE = f"audiences/nurse/{SMALL}.md"
MAIN_HTML = "templates/theme/main.html"
# Material's main stylesheet, as a theme override in templates/theme/ would replace it
MAIN_CSS = "assets/stylesheets/" + next(
    (Path(material.__file__).parent / "templates" / "assets" / "stylesheets").glob("main.*.min.css")).name
PATIENT_PAGE = f"site/patient/{SMALL}/index.html"
BOARD = "site_config/advisory_board.yml"
SIGNOFFS = f"content/topics/{SMALL}/signoffs.yml"
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

def wrote(rel: str, text: str) -> Inject:
    """The file as the fault leaves it, written in full."""
    def inject(root: Path) -> None:
        (root / rel).write_text(text, encoding="utf-8")
    return inject


def created(rel: str, text: str) -> Inject:
    """A new file of the project, its folders made."""
    def inject(root: Path) -> None:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return inject


def changed_text(rel: str, old: str, new: str) -> str:
    good = textwrap.dedent(small_files()[rel]).lstrip("\n")
    assert old in good, f"the small project's {rel} has no {old!r}"
    return good.replace(old, new, 1)


def changed(rel: str, old: str, new: str) -> Inject:
    """The small project's own file (tests/projects.py) with `old` turned into `new`."""
    return wrote(rel, changed_text(rel, old, new))


def patient_page(**parts: object) -> Inject:
    """The small topic's patient page written with one part changed (see small_prose)."""
    return wrote(PATIENT, small_prose("patient", **parts))  # type: ignore[arg-type]


def prose_first(inserted: str) -> Inject:
    """The patient page with `inserted` before its first sentence."""
    return patient_page(before_rest=inserted)


def edit(rel: str, old: str, new: str) -> Inject:
    """Replace the first `old` in a file of a test project as it is on disk: the code copied
    from the repository (templates), a file a command of the test wrote (signoffs.yml), or one
    a test wrote from tests/projects.py."""
    def inject(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{rel} no longer contains {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return inject


def signed_off(*then: Inject) -> Inject:
    """A board member signs the topic off with the real `approve` command; then the fault."""
    def inject(root: Path) -> None:
        result = run_cli(root, "approve", SMALL, "--reviewer", REVIEWER, "--date", "2026-11-28")
        assert result.code == 0, result.text
        for step in then:
            step(root)
    return inject


def not_utf8(root: Path) -> None:
    text = small_prose("patient", before_rest="Fr\u00e9sh breaks heal slowly.")
    (root / PATIENT).write_bytes(text.encode("latin-1"))


def emptied(rel: str) -> Inject:
    return lambda root: (root / rel).write_text("", encoding="utf-8")


def oversized(root: Path) -> None:
    (root / PATIENT).write_text(small_prose("patient") + "Plain words, said again and again.\n"
                                * 32_000, encoding="utf-8")


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
    fault(changed(TOPIC, "category: Backs", "category: Backs: and joints"),
          "yaml-syntax", TOPIC, "category: Backs:", id="yaml-syntax-colon-in-value"),
    fault(changed(FACTS, "  unit: weeks\n", "\tunit: weeks\n"),
          "yaml-syntax", FACTS, "\tunit: weeks", id="yaml-syntax-tab-indent"),
    fault(changed(TOPIC, "status: under_review\n", "status: under_review\nstatus: approved\n"),
          "duplicate-key", TOPIC, "status: approved", id="duplicate-key-in-mapping"),
    fault(changed(FACTS, "min_pain_score:\n", "rest_weeks:   # pasted twice\n"),
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
    fault(changed("audiences/patient.yml", "reading_grade_max: 8", "reading_grade_max: eight"),
          "wrong-type", "audiences/patient.yml", "reading_grade_max", id="wrong-type-number"),
    fault(changed(FACTS, "  refs: [testref_b]", "  refs: testref_b"),
          "wrong-type", FACTS, "refs: testref_b", id="wrong-type-list"),
    fault(changed(TOPIC, "category: Backs\n", ""),
          "missing-field", TOPIC, "question:", id="missing-topic-field"),
    fault(changed(FACTS, "  label: Lowest pain score at which a brace is tried\n", ""),
          "missing-field", FACTS, "min_pain_score:", id="missing-fact-field"),
    fault(changed(FACTS, "  verified: true\n", "  verifed: true\n"),
          "unknown-field", FACTS, "verifed", id="unknown-field-did-you-mean"),
    fault(changed(TOPIC, "status: under_review", "status: underreview"),
          "invalid-value", TOPIC, "status:", id="status-not-a-state"),
    fault(changed(TOPIC, "next_review: 2099-01-01", "next_review: 2099-13-45"),
          "bad-date", TOPIC, "next_review", id="malformed-date-month-13"),
    fault(changed(TOPIC, "next_review: 2099-01-01", "next_review: 01/10/2099"),
          "bad-date", TOPIC, "next_review", id="malformed-date-day-first"),
    fault(changed(REFS, "DOI: 10.1000/test.2020.1", "DOI: https://doi.org/test.2020.1"),
          "bad-doi", REFS, "DOI: https://doi.org", id="malformed-doi"),
    fault(changed(REFS, 'PMID: "10000001"', 'PMID: "PMC10000001"'),
          "bad-pmid", REFS, "PMC10000001", id="malformed-pmid"),
    # validate: keys that must exist once
    fault(changed(REFS, "- id: testref_c", "- id: testref_b   # copied entry"),
          "duplicate-reference", REFS, "# copied entry", id="duplicate-reference-id"),
    fault(changed(TOPIC, "  - testref_a\n", "  - testref_a\n  - testref_a   # again\n"),
          "duplicate-reference", TOPIC, "# again", id="reference-listed-twice-in-topic"),
    fault(changed(FACTS, "refs: [testref_a]", "refs: [testref_zz]"),
          "unknown-reference", FACTS, "testref_zz", id="fact-cites-unknown-reference"),
    fault(changed(SHARED, "  refs: [testref_a]", "  refs: [testref_zz]"),
          "unknown-reference", SHARED, "testref_zz", id="shared-fact-cites-unknown-reference"),
    fault(changed("audiences/nurse.yml", "disclaimer: nurse", "disclaimer: nurses"),
          "missing-disclaimer", "audiences/nurse.yml", "disclaimer:", id="unknown-disclaimer"),
    fault(changed(TOPIC, "next_review: 2099-01-01", "last_reviewed: 2025-10-15\nnext_review: 2024-10-15"),
          "review-dates", TOPIC, "next_review", id="next-review-before-last"),
    fault(deleted(NURSE), "missing-variant", NURSE, None, id="variant-file-missing"),
    fault(changed(TOPIC, "  nurse:\n", "  nurses:\n"),
          "missing-variant", TOPIC, "audiences:", id="variant-missing-in-topic"),
    # render: the sandboxed prose templates
    fault(changed(PATIENT, "{{ fact.min_pain_score }}", "{{ fact.min_pain_scor }}"),
          "unknown-fact", PATIENT, "min_pain_scor ", id="unknown-fact"),
    fault(changed(PATIENT, 'fact("testref_a.relief_days")', 'fact("testref_a.relief_day")'),
          "unknown-fact", PATIENT, "relief_day\"", id="unknown-shared-fact"),
    fault(changed(SHARED, "  refs: [testref_a]", "  refs: [testref_a, testref_c]"),
          "missing-fact-source", PATIENT, "testref_a.relief_days",
          id="shared-fact-source-not-in-topic-references"),
    fault(changed(PATIENT, 'cite("testref_b")', 'cite("testrefb")'),
          "unknown-reference", PATIENT, "testrefb", id="unknown-reference-in-cite"),
    fault(changed(PATIENT, 'term("brace", "brace")', 'term("brase", "brace")'),
          "unknown-term", PATIENT, "brase", id="unknown-glossary-term"),
    fault(prose_first("{{ facts.rest_weeks }}"),
          "unknown-name", PATIENT, "facts.rest", id="unknown-name"),
    fault(changed(PATIENT, "{{ fact.min_pain_score }}", "{{ fact.min_pain_score }"),
          "template-syntax", PATIENT, "fact.min_pain_score }", id="template-syntax-error"),
    fault(prose_first("{{ cite.__globals__ }}"),
          "unsafe-template", PATIENT, "__globals__", id="sandbox-escape-globals"),
    fault(prose_first("{{ ''.__class__.__mro__ }}"),
          "unsafe-template", PATIENT, "__mro__", id="sandbox-escape-mro"),
    fault(prose_first("{{ cite.cited.add('testref_a') }}"),
          "unsafe-template", PATIENT, "cited.add", id="sandbox-mutates-citations"),
    # check: citations, numbers, reading level, unsafe HTML
    fault(patient_page(cite_b=False),
          "uncited-reference", PATIENT, None, id="reference-not-cited-in-one-variant"),
    fault(patient_page(questions="## Things to ask"),
          "missing-section", PATIENT, None, id="patient-page-without-questions-section"),
    fault(prose_first("Most people go home within 24 hours."),
          "bare-number", PATIENT, "within 24 hours", id="bare-number-in-prose"),
    fault(prose_first('Wait {{ literal("6") }} weeks.'),
          "literal-is-a-fact", PATIENT, 'literal("6")', id="literal-hides-a-fact-value"),
    fault(changed(TOPIC, "A brace can ease the pain for a while",
                  "In 3 trials a brace eased the pain for a while"),
          "bare-number", TOPIC, "short_answer:", id="bare-number-in-short-answer"),
    fault(patient_page(risks="\n\n".join([JARGON] * 3)),
          "reading-level", PATIENT, None, id="reading-level-over-patient-limit"),
    fault(prose_first("<script>alert('hi')</script>"),
          "unsafe-html", PATIENT, "<script>", id="html-script"),
    fault(prose_first('<span onclick="steal()">Note</span>'),
          "unsafe-html", PATIENT, "onclick=", id="html-onclick"),
    fault(prose_first("[Read more](javascript:steal())"),
          "unsafe-html", PATIENT, "javascript:", id="html-javascript-url"),
    fault(prose_first('<iframe src="https://example.org"></iframe>'),
          "unsafe-html", PATIENT, "<iframe", id="html-iframe"),
    fault(prose_first('<object data="movie.swf"></object>'),
          "unsafe-html", PATIENT, "<object", id="html-object"),
    fault(prose_first('<embed src="movie.swf">'),
          "unsafe-html", PATIENT, "<embed", id="html-embed"),
    fault(prose_first('<form action="/ask"><input name="q"></form>'),
          "unsafe-html", PATIENT, "<form", id="html-form"),
    fault(prose_first("[Open](data:text/html;base64,PHNjcmlwdD4=)"),
          "unsafe-html", PATIENT, "data:text/html", id="html-data-url"),
    # page and theme templates (the repository's code), caught by rendering or in the final HTML
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
    fault(created(f"templates/theme/{MAIN_CSS}", "body{color:red}.md-typeset"),
          "stylesheet-unreadable", f"templates/theme/{MAIN_CSS}", "body{color:red}",
          id="theme-stylesheet-unreadable"),
    # warnings that --strict (make site STRICT=1) turns into errors
    fault(changed(TOPIC, "next_review: 2099-01-01", "next_review: 2025-10-16"),
          "review-overdue", TOPIC, "next_review", strict=True, id="strict-review-overdue"),
    fault(signed_off(changed(FACTS, "  value: {min: 3, max: 4}", "  value: {min: 2, max: 4}")),
          "changed-since-review", SIGNOFFS, f"- reviewer: {REVIEWER}", strict=True,
          id="strict-changed-since-review"),
    fault(changed(TOPIC, "next_review:", "reviewed_by: Test Board\nnext_review:"),
          "review-fields-ignored", TOPIC, "reviewed_by:", strict=True,
          id="strict-review-typed-into-topic"),
    # review: only a sign-off by a board member, of the content as it is, counts
    fault(changed(TOPIC, "status: under_review", "status: approved"),
          "approved-without-signoff", TOPIC, "status: approved", id="approved-without-signoff"),
    fault(signed_off(wrote(BOARD, "[]\n"), changed(TOPIC, f'reviewers: ["{REVIEWER}"]\n', "")),
          "signoff-unknown-reviewer", SIGNOFFS, f"- reviewer: {REVIEWER}",
          id="signoff-by-someone-not-on-the-board"),
    fault(signed_off(edit(SIGNOFFS, "value: 5.0", "value: 4.0")),
          "signoff-edited", SIGNOFFS, f"- reviewer: {REVIEWER}", id="signoff-edited-by-hand"),
    fault(patient_page(risks=JARGON.split(" Subsequently")[0]),
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
    """The small project with the site/ a good build gave; each test works on a copy."""
    root = write_project(tmp_path_factory.mktemp("good") / "project", small_project())
    result = run_cli(root, "build")
    assert result.code == 0, result.text
    return root


@pytest.fixture
def project_with_site(good_project: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(good_project, tmp_path / "project", symlinks=True))


@pytest.fixture
def project(make_project) -> Path:
    """The small project, not yet built."""
    return make_project(small_project())


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


def test_a_topic_the_policy_does_not_publish_is_left_out_and_the_build_says_so(make_project):
    resting = topic_files("resting", title="How long should I rest", body="""
        ## How long

        Rest until the pain eases {{ cite("testref_a") }}.
        """)
    root = make_project(small_project({**resting, TOPIC: changed_text(
        TOPIC, "status: under_review", "status: submitted")}))
    result = run_cli(root, "build")
    assert result.code == 0, result.text
    assert (f"{TOPIC}: left out: topic '{SMALL}' is submitted; site_config/policy.yml "
            "publishes only under_review, approved") in result.out
    site = root / "site"
    assert not (site / "patient" / SMALL).exists()
    listed = (site / "patient" / "categories" / "backs" / "index.html").read_text()
    assert "resting/" in listed and f"{SMALL}/" not in listed
    report = run_cli(root, "check")
    assert f"topic {SMALL}: submitted, NOT published by the policy" in report.out


# --- the exact words an editor reads, for a few representative faults --------------------------

def build_output(root: Path, inject: Inject, *args: str) -> str:
    inject(root)
    result = run_in_process(root, "build", *args)
    assert result.code == 1
    return result.err


def test_message_unknown_field_suggests_the_field(project: Path):
    err = build_output(project, changed(FACTS, "  verified: true\n", "  verifed: true\n"))
    assert (f"{FACTS}:{line_number(project / FACTS, 'verifed')}: error: unknown field 'verifed' [unknown-field]\n"
            "    fix: did you mean 'verified'?\n") in err
    assert "missing-field" not in err  # the misspelt field is one mistake, not two


def test_message_malformed_date(project: Path):
    err = build_output(project, changed(TOPIC, "next_review: 2099-01-01", "next_review: 2025-13-45"))
    assert err.startswith(
        f"{TOPIC}:{line_number(project / TOPIC, 'next_review')}: error: 'next_review': '2025-13-45' is not a date (month value is outside "
        "expected range of 1-12) [bad-date]\n"
        "    fix: write the date as YYYY-MM-DD, for example 2025-10-15\n")


def test_message_unknown_fact(project: Path):
    err = build_output(project, changed(PATIENT, "{{ fact.min_pain_score }}", "{{ fact.min_pain_scor }}"))
    line = line_number(project / PATIENT, "min_pain_scor ")
    assert err.startswith(f"{PATIENT}:{line}: error: unknown fact 'min_pain_scor' [unknown-fact]\n"
                          "    fix: did you mean 'min_pain_score'?\n")


def test_message_bare_number_says_how_to_mark_a_number_that_is_not_clinical(project: Path):
    err = build_output(project, prose_first("Most people go home within 24 hours."))
    assert err.startswith(
        f"{PATIENT}:{line_number(project / PATIENT, '24 hours')}: error: number '24' typed into the prose instead of taken from the fact "
        "base [bare-number]\n"
        "    fix: insert it with {{ fact.KEY }}; for a number that is not clinical (a phone "
        'number, a count) write {{ literal("...") }}\n')


def test_message_bare_number_names_the_fact_with_that_value(project: Path):
    err = build_output(project, prose_first("Most people wear it within 6 weeks."))
    assert err.startswith(
        f"{PATIENT}:{line_number(project / PATIENT, 'within 6 weeks')}: error: number '6' typed "
        "into the prose instead of taken from the fact base [bare-number]\n"
        "    fix: '6' is the value of fact 'min_pain_score': insert it with "
        "{{ fact.min_pain_score }}\n")


def test_message_literal_refuses_the_value_of_a_shared_fact(project: Path):
    err = build_output(project, prose_first('Relief lasted {{ literal("7") }} days.'))
    assert err.startswith(
        f"{PATIENT}:{line_number(project / PATIENT, 'literal(')}: error: literal(\"7\") gives the "
        "value of fact 'testref_a.relief_days', a clinical figure [literal-is-a-fact]\n"
        "    fix: insert it with {{ fact(\"testref_a.relief_days\") }}, so that it changes "
        "with the fact\n")


def test_message_shared_fact_whose_source_the_topic_does_not_list(project: Path):
    err = build_output(project, changed(SHARED, "  refs: [testref_a]", "  refs: [testref_a, testref_c]"))
    line = line_number(project / PATIENT, "testref_a.relief_days")
    assert err.count("[missing-fact-source]") == 3  # one per audience's page
    assert (
        f"{PATIENT}:{line}: error: shared fact 'testref_a.relief_days' rests on 'testref_c', "
        "which is not in this topic's references [missing-fact-source]\n"
        f"    fix: add 'testref_c' to `references` in {TOPIC} and cite it on this page\n") in err


def test_message_sandbox_escape(project: Path):
    err = build_output(project, prose_first("{{ cite.__globals__ }}"))
    assert err.startswith(
        f"{PATIENT}:{line_number(project / PATIENT, '__globals__')}: error: unsafe template: '__globals__' reaches into Python's internals, "
        "which prose may not do [unsafe-template]\n"
        "    fix: use only fact, cite, term, literal, as docs/authoring.md shows\n")


def test_message_reading_level_names_page_grade_and_three_hardest_sentences(project: Path):
    err = build_output(project, patient_page(risks="\n\n".join([JARGON] * 3)))
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
    assert (f"{PATIENT_PAGE}: error: the page carries no disclaimer; it "
            "must show the 'patient' disclaimer once [missing-disclaimer]\n"
            "    fix: keep #edu-disclaimer in the templates and theme overrides\n") in err
    assert re.search(r"build failed: HTML check: \d+ error\(s\); the site was not changed\n$", err)


def test_a_non_clinical_number_marked_with_literal_passes(make_project):
    from projects import base_files

    root = make_project({**base_files(), **topic_files("bracing", title="Does a brace help", body="""
        ## Rest first

        Call the clinic ({{ literal("0800") }} is its line) if the brace hurts {{ cite("testref_a") }}.
        """)})
    result = run_in_process(root, "check")
    assert result.code == 0, result.text


def test_message_one_section_over_the_limit_names_its_heading_grade_and_sentences(project: Path):
    """The page's average passes; the one academic section does not."""
    err = build_output(project, patient_page(risks=JARGON.split(" Subsequently")[0]))
    assert "[reading-level]" not in err
    head, *listed = err.split("\n    fix:")[0].splitlines()
    assert re.fullmatch(rf"{PATIENT}:{line_number(project / PATIENT, '## Risks')}: error: the section "
                        r"'Risks' reads at grade \d+\.\d, more than 2 above the patient limit of 8; "
                        r"the hardest sentences are:", head), head
    line = line_number(project / PATIENT, "Institutional protocols")
    assert len(listed) == 3 and listed[0].startswith(f'    line {line}: "Institutional protocols')
    assert listed[-1].endswith("[section-reading-level]")
