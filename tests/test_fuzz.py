"""`make fuzz`: a small fixed seeded run finds nothing, and the classifier judges runs right.

The classifier is tested on made-up run outcomes, so that each class is known to be reachable
and to be told apart from the others; the fixed run uses the real mutations and the real core.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from build_tools.fuzz.__main__ import fuzz, main, summary
from build_tools.fuzz.child import Outcome, run_core, run_forked
from build_tools.fuzz.classify import (BAD, CLEAN, HANG, HARMLESS, SILENT, TRACEBACK, classify,
                                       shows)
from build_tools.fuzz.mutations import Expectation, Mutation, Tree
from build_tools.fuzz.runs import Limits, make_pristine, mutate
from build_tools.fuzz.yaml_mutations import expectation_for, value_sites

SPAN = '<span class="edu-fact" data-fact="{key}" data-verified="{verified}">{text}</span>'


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_pristine(tmp_path_factory.mktemp("fuzz") / "pristine")


def problem(path: str = "content/topics/bracing/facts.yml", line: int | None = 2,
            message: str = "'value': expected a number, found 'x'",
            hint: str = "write a number, such as 8 or 2.6", code: str = "wrong-type",
            severity: str = "error") -> dict[str, object]:
    return {"path": path, "line": line, "code": code, "message": message, "hint": hint,
            "severity": severity}


def exact_page(key: str, text: str, verified: str = "true", numbers: str = "exact",
               topic: str = "bracing") -> Outcome:
    span = SPAN.format(key=key, verified=verified, text=text)
    return Outcome("done", variants=[{"topic": topic, "audience": "physician",
                                      "numbers": numbers, "text": f"Title\nIn {span}.\n"}])


def fact_change(typed: str, old: str = "240", part: str = "value", other: str = "") -> Mutation:
    return Mutation("value", "content/topics/bracing/facts.yml", f"set people.value to {typed}",
                    [Expectation("fact", "people", typed, old, ("bracing",), part, other)])


NO_CHANGE = Mutation("none", "", "")


# --- the fixed run -------------------------------------------------------------------------

def test_a_fixed_seeded_run_finds_no_traceback_hang_bad_message_or_silent_change(
        capsys: pytest.CaptureFixture[str]) -> None:
    counts = fuzz(list(range(40)), seed=1, limits=Limits(seconds=5.0, memory_mb=1024))
    found = {kind: counts[kind] for kind in (TRACEBACK, HANG, BAD, SILENT)}
    assert found == {TRACEBACK: 0, HANG: 0, BAD: 0, SILENT: 0}, capsys.readouterr().out


# --- the command ---------------------------------------------------------------------------

def test_the_command_prints_one_summary_line_and_fails_on_findings(
        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--runs", "3", "--seed", "4", "--seconds", "5"])
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"fuzz: 3 runs, \d+ clean errors, \d+ harmless, \d+ tracebacks, \d+ hangs, "
                        r"\d+ bad messages, \d+ silent value changes", lines[-1])
    assert [line for line in lines if line.startswith("fuzz:")] == [lines[-1]]
    failing = sum(int(n) for n in re.findall(r"(\d+) (?:tracebacks|hangs|bad messages|silent)",
                                             lines[-1]))
    assert code == (1 if failing else 0)


def test_summary_names_every_class_in_order() -> None:
    counts = Counter({"clean error": 1, "harmless": 2, "traceback": 3, "hang": 4,
                      "bad message": 5, "silent value change": 6})
    assert summary(counts, 21) == ("fuzz: 21 runs, 1 clean errors, 2 harmless, 3 tracebacks, "
                                   "4 hangs, 5 bad messages, 6 silent value changes")


def test_a_run_is_replayed_exactly_from_its_seed_and_number(pristine: Path, tmp_path: Path) -> None:
    for index in range(12):
        first = shutil.copytree(pristine, tmp_path / f"a{index}", symlinks=True)
        second = shutil.copytree(pristine, tmp_path / f"b{index}", symlinks=True)
        assert str(mutate(first, 9, index)) == str(mutate(second, 9, index))
        assert snapshot(first) == snapshot(second)


def snapshot(root: Path) -> dict[str, bytes | str]:
    out: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        out[rel] = (f"-> {path.readlink()}" if path.is_symlink()
                    else path.read_bytes() if path.is_file() else "folder")
    return out


def test_the_unmutated_fixture_passes_and_shows_every_changeable_value(pristine: Path) -> None:
    """No false alarms: every value a mutation may change is found as it stands."""
    outcome = Outcome.from_dict(run_core(pristine))
    assert classify(outcome, NO_CHANGE, pristine).kind == HARMLESS and not outcome.problems
    tree = Tree(pristine)
    for rel, site in value_sites(tree):
        unchanged = expectation_for(rel, site, site.value, tree.read(rel).decode())
        assert unchanged is not None, (rel, site.path)
        verdict = classify(outcome, Mutation("value", rel, "none", [unchanged]), pristine)
        assert verdict.kind == HARMLESS, verdict.detail


# --- classes of outcome --------------------------------------------------------------------

def test_an_exception_or_a_dead_child_is_a_traceback(tmp_path: Path) -> None:
    escaped = Outcome("exception", error="TypeError: 'NoneType' object is not subscriptable",
                      where="build_tools/core/base/model.py:41 in _year")
    verdict = classify(escaped, NO_CHANGE, tmp_path)
    assert verdict.kind == TRACEBACK
    assert verdict.detail == ("TypeError: 'NoneType' object is not subscriptable "
                              "[build_tools/core/base/model.py:41 in _year]")
    died = Outcome("died", error="killed by signal 11")
    assert classify(died, NO_CHANGE, tmp_path).kind == TRACEBACK


def test_time_and_memory_limits_are_hangs(tmp_path: Path) -> None:
    assert classify(Outcome("timeout", error="no answer"), NO_CHANGE, tmp_path).kind == HANG
    assert classify(Outcome("memory"), NO_CHANGE, tmp_path).kind == HANG
    caught = Outcome("done", problems=[problem(message="MemoryError: ", code="template-error")])
    assert classify(caught, NO_CHANGE, tmp_path).kind == HANG


def spin(root: Path) -> dict[str, Any]:
    while True:
        pass


def hoard(root: Path) -> dict[str, Any]:
    return {"status": "done", "report": "x" * (4 << 30)}


def die(root: Path) -> dict[str, Any]:
    os.kill(os.getpid(), signal.SIGKILL)
    return {}


@pytest.mark.parametrize("target, status, kind", [
    (spin, "timeout", HANG), (hoard, "memory", HANG), (die, "died", TRACEBACK)])
def test_a_child_is_held_to_its_limits(target: Callable[[Path], dict[str, Any]], status: str,
                                       kind: str, tmp_path: Path) -> None:
    outcome = run_forked(tmp_path, seconds=1.0, memory_mb=256, target=target)
    assert outcome.status == status
    assert classify(outcome, NO_CHANGE, tmp_path).kind == kind


def test_a_problem_an_editor_can_act_on_is_a_clean_error(pristine: Path) -> None:
    outcome = Outcome("done", problems=[problem(), problem(line=None, severity="warning")])
    assert classify(outcome, NO_CHANGE, pristine).kind == CLEAN


@pytest.mark.parametrize("changes, why", [
    ({"hint": ""}, "no fix: hint"),
    ({"path": ""}, "no path"),
    ({"path": "/etc/passwd"}, "a path outside the project"),
    ({"path": "../outside.yml"}, "a path outside the project"),
    ({"path": "content/topics/a\nb/topic.yml"}, "a path holding an unprintable character"),
    ({"line": 999}, "line 999 is past the end of the file"),
    ({"line": 0}, "the line 0 is not a line number"),
    ({"message": "cannot read: <Fact object at 0x7f3a2c>"}, "the message shows a memory address"),
    ({"message": "TypeError: 'int' object is not iterable"},
     "the message shows a Python exception"),
    ({"message": "'build_tools.core.facts.facts.FactView object' has no attribute 'x'"},
     "the message shows a Python object"),
    ({"message": "Traceback (most recent call last):"}, "the message shows a traceback"),
    ({"message": "bad \x1b[31m value"}, "the message shows an unprintable character"),
    ({"code": "Bad Code"}, "the code 'Bad Code' is not a stable code"),
])
def test_a_problem_an_editor_cannot_act_on_is_a_bad_message(
        pristine: Path, changes: dict[str, object], why: str) -> None:
    outcome = Outcome("done", problems=[problem(), {**problem(), **changes}])
    verdict = classify(outcome, NO_CHANGE, pristine)
    assert verdict.kind == BAD
    assert verdict.detail.startswith(why)


def test_a_file_to_create_may_be_named(pristine: Path) -> None:
    outcome = Outcome("done", problems=[problem(path="audiences/extra/bracing.md", line=None,
                                                code="missing-variant")])
    assert classify(outcome, NO_CHANGE, pristine).kind == CLEAN


def test_no_error_is_harmless(tmp_path: Path) -> None:
    warned = Outcome("done", problems=[problem(severity="warning", path="x.yml", line=None)])
    (tmp_path / "x.yml").write_text("a: 1\n", encoding="utf-8")
    assert classify(warned, NO_CHANGE, tmp_path).kind == HARMLESS


# --- silent value changes ------------------------------------------------------------------

@pytest.mark.parametrize("typed, text, kind", [
    ("010", "8 adults", SILENT),  # YAML 1.1 octal
    ("010", "10 adults", HARMLESS),  # YAML 1.2: decimal
    ("010", "010 adults", HARMLESS),  # kept as text
    ("1:30", "90 adults", SILENT),  # base 60
    ("1:30", "1:30 adults", HARMLESS),
    ("yes", "1 adults", SILENT),
    ("yes", "yes adults", HARMLESS),
    (".nan", "nan adults", SILENT),
    ("1e30", "1,000,000,000,000,000,019,884,624,838,656 adults", SILENT),  # float noise
    ("1e30", "1e+30 adults", HARMLESS),
    ("2.50", "2.50 adults", HARMLESS),
    ("1234.5", "1,234.5 adults", HARMLESS),
    ("0x1F", "31 adults", HARMLESS),  # YAML 1.2 core hex: the same number
    ("1_000", "1,000 adults", SILENT),  # YAML 1.1 only
    ("-5", "\u22125 adults", HARMLESS),
    ("17", "240 adults", SILENT),  # the old value kept
])
def test_a_changed_number_must_show_as_typed_on_exact_pages(typed: str, text: str, kind: str,
                                                            tmp_path: Path) -> None:
    assert classify(exact_page("people", text), fact_change(typed), tmp_path).kind == kind


def test_rounded_wording_for_patients_is_not_compared(tmp_path: Path) -> None:
    patient = exact_page("people", "about 8 adults", numbers="plain")
    physician = exact_page("people", "010 adults")
    physician.variants += patient.variants
    assert classify(physician, fact_change("010"), tmp_path).kind == HARMLESS


def test_a_fact_no_exact_page_shows_any_more_is_a_silent_change(tmp_path: Path) -> None:
    verdict = classify(exact_page("other", "3 days"), fact_change("17"), tmp_path)
    assert verdict.kind == SILENT
    assert verdict.detail == "fact 'people' is no longer shown after value '17' was typed"


def test_a_range_published_backwards_is_a_silent_change(tmp_path: Path) -> None:
    outcome = exact_page("people", "23\u201312 hours a day")
    verdict = classify(outcome, fact_change("23", old="12", part="min", other="12"), tmp_path)
    assert verdict.kind == SILENT
    assert "the range min 23, max 12 is published" in verdict.detail


def test_a_text_value_is_compared_unescaped(tmp_path: Path) -> None:
    outcome = exact_page("people", "brace &amp; &lt;b&gt;belt&lt;/b&gt;")
    assert classify(outcome, fact_change("brace & <b>belt</b>"), tmp_path).kind == HARMLESS
    assert shows("&#51;00 people", "&#51;00 people")
    assert not shows("&#51;00 people", "300 people")


def test_a_verified_mark_must_follow_what_was_typed(tmp_path: Path) -> None:
    change = Mutation("value", "f.yml", "", [Expectation("verified", "people", "no", "true")])
    assert classify(exact_page("people", "240", verified="true"), change, tmp_path).kind == SILENT
    unmarked = exact_page("people", "240", verified="false")
    assert classify(unmarked, change, tmp_path).kind == HARMLESS


def test_a_changed_date_must_show_on_the_topic_pages(tmp_path: Path) -> None:
    change = Mutation("value", "t.yml", "", [Expectation("date", "bracing", "2024-02-29",
                                                         "2025-02-03", ("bracing",))])
    shown = Outcome("done", pages=[{"path": "patient/bracing.md",
                                    "text": "<li><strong>February 29, 2024:</strong> x</li>"}])
    old = Outcome("done", pages=[{"path": "patient/bracing.md",
                                  "text": "<li><strong>February 3, 2025:</strong> x</li>"}])
    assert classify(shown, change, tmp_path).kind == HARMLESS
    assert classify(old, change, tmp_path).kind == SILENT


def test_a_report_that_shows_python_internals_is_a_bad_message(tmp_path: Path) -> None:
    leaked = Outcome("done", report="line   1   2.3  ## Care <build_tools.core.facts.facts.FactBook "
                                    "object at 0x7f504549b1d0>\ncheck: 0 error(s)")
    verdict = classify(leaked, NO_CHANGE, tmp_path)
    assert verdict.kind == BAD
    assert verdict.detail.startswith("the report shows a memory address: line   1")


def test_a_changed_unit_must_show_where_the_fact_prints_its_unit(tmp_path: Path) -> None:
    change = fact_change("mg", old="adults", part="unit")
    with_value_only = exact_page("people", "240 mg")
    with_value_only.variants += exact_page("people", "240").variants  # fact.people.value
    assert classify(with_value_only, change, tmp_path).kind == HARMLESS
    assert classify(exact_page("people", "240 adults"), change, tmp_path).kind == SILENT
