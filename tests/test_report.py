"""`make check`: the editor report, in a terminal and as JSON, without building the site."""
from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from conftest import run_cli, run_in_process
from projects import REVIEWER, SMALL, small_files, small_project, small_prose, write_project
from test_faults import FACTS, PATIENT, TOPIC, edit

AUDIENCES = ("nurse", "patient", "physician")
UNUSED_FACT = """
spare_figure:
  label: A figure no page uses yet
  value: 3
  unit: weeks
  refs: [testref_a]
  verified: true
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The small project (tests/projects.py) as the example is: an empty board, so its topic
    has no reviewer; patients are not told the unverified price."""
    topic = textwrap.dedent(small_files()[TOPIC]).replace(f'reviewers: ["{REVIEWER}"]\n', "")
    patient = small_prose("patient").replace(
        "The brace costs about {{ fact.brace_cost }} in some places.\n", "")
    return write_project(tmp_path / "project", small_project({
        TOPIC: topic, PATIENT: patient, "site_config/advisory_board.yml": "[]\n"}))


def add_unused_fact(root: Path) -> None:
    with (root / FACTS).open("a", encoding="utf-8") as facts:
        facts.write(UNUSED_FACT)


# a band of the Flesch-Kincaid grades (core/base/readability.py)
BAND = "(?:primary school|middle school|high school|college)"


def test_the_text_report_shows_state_grades_coverage_and_unverified_facts(project: Path):
    add_unused_fact(project)
    result = run_cli(project, "check")
    assert result.code == 0, result.text
    out = result.out
    assert ("  not yet reviewed (no sign-off; no board member assigned: readers are told no "
            "clinician has reviewed it); next review due 2099-01-01\n") in out
    assert f"topic {SMALL}: no-reviewer, published\n" in out
    for audience, limit in (("patient", 8), ("nurse", 18), ("physician", 18)):
        assert re.search(rf"^  reading level {audience}: \d+\.\d Flesch-Kincaid grade, "
                         rf"{BAND} \(limit: at most {limit}\)$", out, re.M)
    # and each `## ` section's grade and band, at the line of its heading in the prose file
    assert re.search(rf"^  reading level patient: .*\n    line +1 +-?\d+\.\d  {BAND} +"
                     "## Rest first$", out, re.M)
    assert re.search(rf"^    line +\d+ +-?\d+\.\d  {BAND} +## Questions to ask your care team$",
                     out, re.M)
    assert re.search(r"^    fact +nurse  patient  physician$", out, re.M)
    assert re.search(r"^    brace_cost +x +- +x +unverified$", out, re.M)  # patients read no price
    assert re.search(r"^    spare_figure +- +- +- +unused$", out, re.M)
    assert re.search(r"^    testref_a\.relief_days +x +x +x$", out, re.M)
    assert "  facts no variant uses: spare_figure\n" in out
    assert re.search(r"^  unverified facts: brace_cost$", out, re.M)
    # the topic is under review with no board member assigned (an empty board)
    assert out.rstrip().endswith("check: 0 error(s), 1 warning(s); the content is ready to build")


def test_the_json_report_has_the_same_facts_for_tools(project: Path):
    add_unused_fact(project)
    result = run_cli(project, "check", "--format", "json")
    assert result.code == 0, result.text
    report = json.loads(result.out)
    assert (report["ok"], report["errors"], report["warnings"]) == (True, 0, 1)
    assert {p["code"] for p in report["problems"]} == {"no-reviewer-assigned"}
    topic = next(t for t in report["topics"] if t["topic"] == SMALL)
    assert (topic["topic"], topic["status"], topic["published"]) == (SMALL, "under_review", True)
    assert (topic["reviewed_by"], topic["last_reviewed"]) == (None, None)  # no sign-off
    assert (topic["review_state"], topic["next_review"]) == ("no-reviewer", "2099-01-01")
    assert topic["reviewers"] == []
    first = topic["section_grades"]["patient"][0]
    assert (first["heading"], first["line"]) == ("Rest first", 1)
    assert first["grade"] <= 8
    assert set(topic["reading_grade"]) == set(AUDIENCES)
    assert topic["reading_grade"]["patient"] <= topic["grade_limit"]["patient"] == 8
    assert topic["coverage"]["brace_cost"] == ["nurse", "physician"]
    assert topic["coverage"]["spare_figure"] == []
    assert "brace_cost" in topic["facts_used"]["physician"]
    assert topic["facts_unused"] == ["spare_figure"]
    assert "brace_cost" in topic["unverified_facts"]
    assert "min_pain_score" not in topic["unverified_facts"]


def test_a_fault_makes_check_exit_1_with_the_problem(project: Path):
    edit(PATIENT, "{{ fact.min_pain_score }}", "{{ fact.min_pain_scor }}")(project)
    text = run_cli(project, "check")
    assert text.code == 1
    assert re.search(rf"^{PATIENT}:\d+: error: unknown fact 'min_pain_scor' \[unknown-fact\]$",
                     text.out, re.M)
    assert text.out.rstrip().endswith("check: 1 error(s), 1 warning(s)")
    as_json = run_cli(project, "check", "--format", "json")
    assert as_json.code == 1
    [problem] = [p for p in json.loads(as_json.out)["problems"] if p["severity"] == "error"]
    assert (problem["path"], problem["code"], problem["severity"]) == (PATIENT, "unknown-fact", "error")
    assert problem["hint"] == "did you mean 'min_pain_score'?"


def test_a_warning_is_an_error_under_strict(project: Path):
    edit(TOPIC, "next_review: 2099-01-01", "next_review: 2025-10-16")(project)
    assert run_cli(project, "check").code == 0
    strict = run_cli(project, "check", "--strict")
    assert strict.code == 1
    line = (project / TOPIC).read_text().splitlines().index("next_review: 2025-10-16") + 1
    assert f"{TOPIC}:{line}: error: the next review was due on 2025-10-16 [review-overdue]" in strict.out


def test_check_does_not_build_the_site(project: Path):
    assert run_cli(project, "check").code == 0
    assert not (project / "site").exists()


def test_a_pasted_run_of_letters_is_graded_as_its_first_letters(make_project):
    """A run of letters longer than any word (a paste gone wrong) is scored for the reading grade
    as its first LONGEST_SCORED_WORD letters: its syllables would otherwise be counted one by one
    at every grade the page is scored for, seconds for each, and its grade would be beyond any
    limit however short the rest of the page is."""
    from build_tools.core.base.readability import LONGEST_SCORED_WORD

    def grades(word: str) -> dict:
        physician = small_prose("physician", risks=f"Someone pasted {word} here.")
        root = make_project(small_project({f"audiences/physician/{SMALL}.md": physician}))
        report = json.loads(run_in_process(root, "check", "--format", "json").out)
        topic = next(t for t in report["topics"] if t["topic"] == SMALL)
        risks = [s["grade"] for s in topic["section_grades"]["physician"]
                 if s["heading"] == "Risks"]
        return {"page": topic["reading_grade"]["physician"], "risks": risks}

    pasted = "bracing" * 20_000
    assert grades(pasted) == grades(pasted[:LONGEST_SCORED_WORD])
    assert grades(pasted)["risks"][0] > grades("bracing")["risks"][0]  # still a hard word
