"""Shared facts: defined once in content/facts/<source>.yml and shown by any topic citing it."""
from pathlib import Path

from build_tools.core.facts.fact_base import facts_shown
from build_tools.core.pipeline import generate
from build_tools.core.report import as_json, as_text
from projects import base_files, topic_files, two_topics_sharing_a_fact

import json

SHARED = "content/facts/testref_a.yml"


def page(result, path: str) -> str:
    return next(p.text for p in result.pages if p.path == path)


def test_a_shared_fact_reads_the_same_on_both_topics_for_each_audience(two_topic_project):
    result = generate(two_topic_project)
    assert result.ok, [str(p) for p in result.problems]
    for audience, shown in (("patient", "3 to 4 weeks"), ("physician", "3\u20134 weeks")):
        for topic in ("bracing", "resting"):
            assert shown in page(result, f"{audience}/{topic}.md"), (audience, topic)


def test_editing_the_shared_fact_changes_both_topics(two_topic_project):
    path = two_topic_project / SHARED
    path.write_text(path.read_text().replace("max: 4", "max: 6"))
    result = generate(two_topic_project)
    assert result.ok
    for topic in ("bracing", "resting"):
        assert "3 to 6 weeks" in page(result, f"patient/{topic}.md")


def test_facts_shown_gives_each_topic_its_shared_facts(two_topic_project):
    result = generate(two_topic_project)
    assert result.library is not None
    shown = facts_shown(result.library, result.variants)
    assert {t: sorted(f) for t, f in shown.items()} == {
        "bracing": ["testref_a.rest_weeks"], "resting": ["testref_a.rest_weeks"]}
    assert shown["bracing"]["testref_a.rest_weeks"].value.max == 4


def test_a_topic_must_list_the_source_of_a_shared_fact_it_shows(make_project):
    files = {**two_topics_sharing_a_fact(), **topic_files(
        "walking", title="Can I walk", references=("testref_b",), body="""
        ## Walking

        Walk after {{ fact("testref_a.rest_weeks") }} {{ cite("testref_b") }}.
        """)}
    result = generate(make_project(files))
    found = [str(p) for p in result.problems if p.code == "missing-fact-source"]
    assert found[0] == (
        "audiences/nurse/walking.md:3: error: shared fact 'testref_a.rest_weeks' rests on "
        "'testref_a', which is not in this topic's references [missing-fact-source]\n"
        "    fix: add 'testref_a' to `references` in content/topics/walking/topic.yml "
        "and cite it on this page")
    assert len(found) == 3 and not result.ok


def test_an_unknown_shared_fact_suggests_the_nearest(make_project):
    files = two_topics_sharing_a_fact()
    files["audiences/patient/bracing.md"] = files["audiences/patient/bracing.md"].replace(
        "rest_weeks", "rest_weks")
    result = generate(make_project(files))
    assert [(p.path, p.line, p.code, p.hint) for p in result.problems] == [
        ("audiences/patient/bracing.md", 3, "unknown-fact", "did you mean 'testref_a.rest_weeks'?")]


def test_a_shared_fact_citing_an_unknown_reference_names_its_line(make_project):
    files = two_topics_sharing_a_fact()
    files[SHARED] = files[SHARED].replace("refs: [testref_a]", "refs: [testref_c]")
    result = generate(make_project(files))
    assert [str(p) for p in result.problems if p.path == SHARED] == [
        f"{SHARED}:5: error: shared fact 'testref_a.rest_weeks' cites 'testref_c', which is not "
        "a known reference [unknown-reference]\n    fix: did you mean 'testref_b'?"]


def test_check_report_lists_the_topics_showing_each_shared_fact(two_topic_project):
    result = generate(two_topic_project)
    text = as_text(result)
    assert "shared facts (content/facts/), and the topics that show them" in text
    assert "  testref_a.rest_weeks  bracing, resting" in text.splitlines()
    data = json.loads(as_json(result))
    assert data["shared_facts"] == {"testref_a.rest_weeks": {"topics": ["bracing", "resting"],
                                                              "verified": True}}
    coverage = data["topics"][0]["coverage"]
    assert coverage["testref_a.rest_weeks"] == ["nurse", "patient", "physician"]


def test_a_shared_fact_file_needs_a_key_like_name(make_project):
    files = {**two_topics_sharing_a_fact(), "content/facts/Liu-2011.yml": "a: 1\n"}
    result = generate(make_project(files))
    assert [(p.path, p.code) for p in result.problems] == [
        ("content/facts/Liu-2011.yml", "invalid-value")]


def test_the_fixture_uses_only_the_files_it_was_given(two_topic_project: Path):
    assert not (two_topic_project / "content/topics/vertebroplasty").exists()
    assert sorted(p.name for p in (two_topic_project / "content/topics").iterdir()) == [
        "bracing", "resting"]


def test_the_example_library_shares_liu_cafe_and_yang_between_its_two_topics():
    from build_tools.core.check.check import plain_text, reading_grade
    from build_tools.core.facts.fact_base import shared_fact_users
    from conftest import REPO

    result = generate(REPO)
    assert result.ok, [str(p) for p in result.problems]
    assert result.library is not None
    users = shared_fact_users(result.library, result.variants)
    for key in ("liu2011.pain_window_days", "berenson2011.timepoint", "yang2022.age_threshold"):
        assert users[key] == ["kyphoplasty", "vertebroplasty"], key
    kyphoplasty = next(v for v in result.variants
                       if v.topic.key == "kyphoplasty" and v.audience.key == "patient")
    assert reading_grade(plain_text(kyphoplasty.short_answer + "\n" + kyphoplasty.body)) <= 6
    headings = [line for line in kyphoplasty.body.splitlines() if line.startswith("## ")]
    assert headings[-1] == "## Questions to ask your care team"
    for audience in ("patient", "nurse", "physician"):
        assert {f"{audience}/kyphoplasty.md", f"{audience}/vertebroplasty.md"} <= {
            p.path for p in result.pages}


def test_a_shared_fact_edit_counts_against_every_topic_that_shows_it(make_project):
    """Both topics show testref_a.rest_weeks: both are signed off, the figure changes, and
    neither may say "Reviewed by" any more; each names the change."""
    from conftest import run_cli

    files = two_topics_sharing_a_fact()
    files["site_config/advisory_board.yml"] = (
        "- {name: Test Reviewer, credentials: MD, role: \"test fixture, not a person\"}\n")
    root = make_project(files)
    for topic in ("bracing", "resting"):
        signed = run_cli(root, "approve", topic, "--reviewer", "Test Reviewer",
                         "--date", "2026-11-28")
        assert signed.code == 0, signed.text
    assert run_cli(root, "build").code == 0
    shared = root / SHARED
    shared.write_text(shared.read_text(encoding="utf-8").replace("max: 4", "max: 6"),
                      encoding="utf-8")
    result = run_cli(root, "build")
    assert result.code == 0, result.text
    for topic in ("bracing", "resting"):
        assert f"topic '{topic}' has changed since its review on 2026-11-28" in result.text
        page = (root / "site" / "patient" / topic / "index.html").read_text(encoding="utf-8")
        assert 'data-status="changed-since-review"' in page
        assert "Updated since its review on November 28, 2026" in page
    assert "fact 'testref_a.rest_weeks': value" in result.text


def test_an_interval_with_a_negative_end_reads_with_to_not_a_dash():
    """"-0.3–1.7 points" reads as a sum; "-0.3 to 1.7 points" as the interval it is."""
    from build_tools.core.facts.facts import format_fact
    from build_tools.core.base.model import Fact

    def fact(low: float) -> Fact:
        return Fact(key="ci", label="95% confidence interval", value={"min": low, "max": 1.7},
                    unit="points", refs=["testref_a"], verified=True)

    from projects import english_words

    words = english_words().facts
    assert format_fact(fact(-0.3), "exact", words) == "-0.3 to 1.7 points"
    assert format_fact(fact(0.3), "exact", words) == "0.3\u20131.7 points"
