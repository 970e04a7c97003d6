"""Reading level per language (issue 20, item 5): each audience sets a formula and a limit per
language (audiences/<audience>.yml `reading_level:`; `reading_grade_max:` is English's
Flesch-Kincaid limit in short), Spanish pages are scored on Szigriszt-Pazos (INFLESZ) or
Fernández-Huerta, and the editor report shows score, formula and band per page and section."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pyphen
import pytest
import textstat

from conftest import run_in_process
from projects import SMALL, small_project
from spanish import spanish_project, spanish_rule

PATIENT = f"audiences/patient/{SMALL}.md"
EASY = ("Un corsé puede aliviar el dolor por un tiempo. Descanse primero. Llame a su equipo "
        "si el dolor empeora. Quítese el corsé para bañarse. Revise su piel cada día.")
MIDDLE = ("La fractura vertebral por compresión se produce cuando el hueso de la columna se "
          "debilita y se aplasta. El tratamiento habitual incluye reposo, medicamentos para el "
          "dolor y, en algunos casos, un corsé.")
HARD = ("La cifoplastia percutánea constituye un procedimiento mínimamente invasivo cuya "
        "indicación fundamental corresponde a fracturas vertebrales osteoporóticas "
        "sintomáticas refractarias al tratamiento conservador convencional, particularmente "
        "en pacientes con comorbilidades significativas.")
# a patient page in Spanish, with every reference cited; RISKS: its Risks section
SPANISH_PAGE = """\
## Descanse primero

Descanse {{ fact.rest_weeks }} antes de usar un {{ term("brace", "corsé") }} {{ cite("testref_a") }}.
El dolor mejora en unos {{ fact("testref_a.relief_days") }} {{ cite("testref_b") }}.
Su equipo le dirá cuándo puede volver a caminar.

## Riesgos

RISKS

## Questions to ask your care team

- ¿Es esto adecuado para mí?
- ¿Cuánto tiempo debo usar el corsé?
"""
ENGLISH = "The bone can break when it is weak. Rest helps the pain go away."


def scored(formula: str, text: str) -> float:
    from build_tools.core.base.readability import FORMULAS, Scorer

    return Scorer().score(FORMULAS[formula], text)


def test_spanish_text_gets_a_szigriszt_pazos_score_in_its_inflesz_band():
    from build_tools.core.base.readability import FORMULAS

    inflesz = FORMULAS["szigriszt_pazos"]
    score = scored("szigriszt_pazos", MIDDLE)
    assert 40 < score < 80, score  # plain patient information: between difficult and easy
    assert inflesz.band(score) in ("normal", "bastante fácil")
    assert inflesz.band(39.9) == "muy difícil" and inflesz.band(85) == "muy fácil"


@pytest.mark.parametrize("formula", ["szigriszt_pazos", "fernandez_huerta"])
def test_easy_spanish_scores_higher_than_hard_spanish(formula):
    easy, middle, hard = (scored(formula, text) for text in (EASY, MIDDLE, HARD))
    assert easy > middle > hard


def test_spanish_syllables_come_from_pyphens_own_spanish_dictionary():
    """Fernández-Huerta is 206.84 - 60 x syllables per word (textstat rounds it to one
    decimal) - 1.02 x words per sentence: the
    score of one sentence tells the syllables it was counted with, and they are the hyphenation
    points of pyphen's Spanish dictionary, shipped inside pyphen (nothing is downloaded)."""
    sentence = "El médico revisa la columna vertebral"
    words = sentence.lower().split()
    syllables = sum(len(pyphen.Pyphen(lang="es").positions(w)) + 1 for w in words)
    assert syllables == 14
    expected = 206.84 - 60 * round(syllables / len(words), 1) - 1.02 * len(words)
    assert scored("fernandez_huerta", sentence + ".") == pytest.approx(expected, abs=0.01)
    assert Path(pyphen.LANGUAGES["es"]).is_relative_to(Path(pyphen.__file__).parent)


def test_scoring_spanish_leaves_textstats_shared_language_alone():
    before = textstat.flesch_kincaid_grade(ENGLISH)
    scored("szigriszt_pazos", HARD)
    assert textstat.flesch_kincaid_grade(ENGLISH) == before
    assert scored("flesch_kincaid_grade", ENGLISH) == before


def test_an_english_page_is_still_scored_in_grades_against_its_maximum(make_project):
    result = run_in_process(make_project(small_project()), "check", "--format", "json")
    assert result.code == 0, result.text
    topic = json.loads(result.out)["topics"][0]
    level = topic["reading_level"]["patient"]
    assert (level["formula"], level["limit"], level["limit_is"]) == ("flesch_kincaid_grade", 8,
                                                                     "max")
    assert level["score"] == topic["reading_grade"]["patient"] <= 8


def test_the_report_shows_score_formula_and_band_per_page_and_section(make_project):
    root = make_project(spanish_project({PATIENT: SPANISH_PAGE.replace("RISKS", MIDDLE)}))
    text = run_in_process(root, "check")
    assert text.code == 0, text.text
    page = re.search(r"^  reading level patient: (\S+) Szigriszt-Pazos \(INFLESZ\), "
                     r"(muy difícil|algo difícil|normal|bastante fácil|muy fácil) "
                     r"\(limit: at least 55\)$", text.out, re.M)
    assert page, text.out
    assert re.search(r"^    line +\d+ +\d+\.\d  (normal|bastante fácil) +## Riesgos$",
                     text.out, re.M), text.out
    report = json.loads(run_in_process(root, "check", "--format", "json").out)
    level = report["topics"][0]["reading_level"]["patient"]
    assert (level["formula"], level["limit"], level["limit_is"]) == ("szigriszt_pazos", 55, "min")
    assert level["band"] == page[2] and level["score"] == float(page[1])
    risks = next(s for s in report["topics"][0]["section_grades"]["patient"]
                 if s["heading"] == "Riesgos")
    assert risks["band"] in ("normal", "bastante fácil") and risks["over"] is False


def test_a_hard_spanish_section_fails_below_the_patients_minimum(make_project):
    root = make_project(spanish_project({PATIENT: SPANISH_PAGE.replace("RISKS", HARD)}))
    result = run_in_process(root, "check")
    assert result.code == 1
    head = next(line for line in result.text.splitlines() if "[section-reading-level]" in line
                or "the section 'Riesgos'" in line)
    assert re.search(r"the section 'Riesgos' has a Szigriszt-Pazos score of -?\d+\.\d \(muy "
                     r"difícil, Szigriszt-Pazos \(INFLESZ\)\), more than 10 below the patient "
                     r"minimum of 55", head), head
    assert '"La cifoplastia percutánea constituye' in result.text
    assert re.search(r"^\s+line +\d+ +-?\d+\.\d  muy difícil +## Riesgos  OVER$", result.out, re.M)


@pytest.mark.parametrize("formula, why", [
    ("flesh_kincaid", "'flesh_kincaid' is not a reading-level formula"),
    ("flesch_kincaid_grade", "'flesch_kincaid_grade' is a formula for language 'en', not 'es'"),
])
def test_a_formula_unknown_or_of_another_language_is_refused_at_its_line(make_project, formula,
                                                                          why):
    from projects import base_files

    path = "audiences/nurse.yml"
    files = spanish_project({path: spanish_rule(base_files()[path], 40, formula)})
    root = make_project(files)
    result = run_in_process(root, "check")
    assert result.code == 1
    lines = (root / path).read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "formula:" in text)
    assert (f"{path}:{line}: error: 'reading_level.es.formula': {why} [unknown-formula]\n"
            "    fix: for 'es' write one of: szigriszt_pazos, fernandez_huerta") in result.text


def test_a_spanish_site_whose_audience_has_no_spanish_rule_is_told_what_to_add(make_project):
    from projects import base_files

    files = spanish_project({"audiences/nurse.yml": base_files()["audiences/nurse.yml"]})
    result = run_in_process(make_project(files), "check")
    assert result.code == 1
    assert ("audiences/nurse.yml:1: error: the nurse audience sets no reading-level limit for "
            "its pages in 'es' [no-reading-level]\n    fix: add `reading_level:` with "
            "`es: {formula: szigriszt_pazos, limit: ...}`") in result.text


def test_english_given_twice_is_refused(make_project):
    path = "audiences/patient.yml"
    files = small_project()
    files[path] = re.sub(r"^( *)(reading_grade_max: .*)$", r"\1\2\n\1reading_level: "
                         "{en: {formula: flesch_kincaid_grade, limit: 6}}", files[path],
                         flags=re.M)
    result = run_in_process(make_project(files), "check")
    assert result.code == 1
    assert "[reading-level-twice]" in result.text and f"{path}:" in result.text
