"""Language beside audience: a translated variant shows exactly what its English source shows,
numbers from the same values, and the build names what a translation leaves out or adds."""
from __future__ import annotations

from build_tools.core.base.problems import errors
from build_tools.core.pipeline import generate
from projects import SMALL, small_project, spanish_files, spanish_prose

ES_PROSE = f"audiences/patient/{SMALL}.es.md"


def build(make_project, changed: dict[str, str | None] | None = None):
    files = {**small_project(), **spanish_files()}
    for rel, text in (changed or {}).items():
        if text is None:
            files.pop(rel, None)
        else:
            files[rel] = text
    return generate(make_project(files))


def codes(result) -> list[str]:
    return [f"{p.path}:{p.line}:{p.code}" for p in errors(result.problems)]


def test_a_spanish_patient_page_is_rendered_beside_the_english_ones(make_project):
    result = build(make_project)
    assert codes(result) == []
    edition = result.editions["es"]
    [variant] = edition.variants
    assert (variant.audience.key, variant.topic.key, variant.edition) == ("patient", SMALL, "es")
    assert variant.path == f"es/patient/{SMALL}.md"
    assert variant.title == "Una faja para el dolor de espalda"
    pages = {page.path: page.text for page in [*result.pages, *edition.pages]}
    assert "Una faja para el dolor de espalda" in pages[f"es/patient/{SMALL}.md"]
    assert "es/index.md" in pages and "es/glossary.md" in pages
    assert not [page for page in result.pages if page.path.startswith("es/")]
    # the English pages are untouched by the translation
    assert "A brace for a sore back" in pages[f"patient/{SMALL}.md"]
    assert edition.nav  # its own navigation, for its own build


def test_a_fact_left_out_of_the_spanish_page_is_named_at_its_section(make_project):
    prose = spanish_prose(rest='Descanse primero {{ cite("testref_a") }}.')
    result = build(make_project, {ES_PROSE: prose})
    [problem] = [p for p in errors(result.problems) if p.code == "translation-missing"]
    assert problem.path == ES_PROSE
    assert problem.line == 1  # the section where the English page shows it
    assert "rest_weeks" in problem.message
    assert f"audiences/patient/{SMALL}.md" in problem.message
    assert not result.pages and not result.editions["es"].pages  # nothing from a failed build


def test_a_fact_the_english_page_does_not_show_is_named_at_its_line(make_project):
    # A shared fact the topic may show (its source is listed) but the English page does not.
    files = {"content/facts/testref_a.yml": """
        relief_days: {label: Days, value: 7, unit: days, refs: [testref_a], verified: true}
        worse_days: {label: Days worse, value: 9, unit: days, refs: [testref_a], verified: true}
        """, "content/facts/testref_a.es.yml": """
        relief_days: {unit: días}
        worse_days: {unit: días}
        """}
    prose = spanish_prose(extra='\nA veces empeora {{ fact("testref_a.worse_days") }}.\n')
    result = build(make_project, {**files, ES_PROSE: prose})
    [problem] = [p for p in errors(result.problems) if p.code == "translation-extra"]
    assert problem.path == ES_PROSE
    assert problem.line == prose.splitlines().index(
        'A veces empeora {{ fact("testref_a.worse_days") }}.') + 1
    assert "testref_a.worse_days" in problem.message


def test_a_reference_left_out_and_a_section_id_changed_are_both_named(make_project):
    prose = spanish_prose().replace(' {{ cite("testref_b") }}', "").replace(
        "{: #risks }", "{: #riesgos }")
    result = build(make_project, {ES_PROSE: prose})
    found = {p.code: p for p in errors(result.problems)}
    assert "testref_b" in found["translation-missing"].message
    assert "#risks" in found["translation-sections"].message
    assert "#riesgos" in found["translation-sections"].message


def test_spanish_numbers_are_compared_as_values(make_project):
    english = small_project()[f"content/topics/{SMALL}/facts.yml"].replace(
        "unit: points out of 10", "unit: points out of 10\n          plain: 6 out of 10 (2.5 more than most)")
    spanish = """
        rest_weeks: {unit: semanas}
        min_pain_score: {unit: puntos de 10, plain: "6 de 10 (2,5 más que la mayoría)"}
        brace_cost: {unit: cientos de euros}
        """
    facts = f"content/topics/{SMALL}/facts"
    assert codes(build(make_project, {f"{facts}.yml": english, f"{facts}.es.yml": spanish})) == []
    wrong = spanish.replace("2,5", "2,6")
    result = build(make_project, {f"{facts}.yml": english, f"{facts}.es.yml": wrong})
    [problem] = [p for p in errors(result.problems) if p.code == "translation-number"]
    assert problem.path == f"{facts}.es.yml" and problem.line == 2
    assert "2.6" in problem.message and "2.5" in problem.message


def test_a_missing_translation_file_says_what_to_copy(make_project):
    result = build(make_project, {"content/glossary.es.yml": None})
    [problem] = [p for p in errors(result.problems) if p.code == "missing-translation"]
    assert problem.path == "content/glossary.es.yml"
    assert "content/glossary.yml" in problem.hint


def test_a_glossary_term_left_untranslated_is_named(make_project):
    glossary = """
        brace:
          term: Faja para la espalda
          definition: Un cinturón firme que sostiene la espalda.
        """
    result = build(make_project, {"content/glossary.es.yml": glossary})
    [problem] = errors(result.problems)
    assert (problem.path, problem.code) == ("content/glossary.es.yml", "missing-translation")
    assert "rest_care" in problem.message


def test_the_spanish_page_never_counts_an_english_sign_off(make_project):
    result = build(make_project)
    assert result.editions["es"].library.topics[SMALL].signoffs == []
    assert result.editions["es"].library.topics[SMALL].reviewers == []


def test_a_translation_of_a_topic_that_does_not_exist_is_named(make_project):
    result = build(make_project, {"audiences/patient/nothing.es.md": spanish_prose()})
    [problem] = errors(result.problems)
    assert (problem.path, problem.code) == ("audiences/patient/nothing.es.md",
                                            "unknown-translation")


def test_the_markdown_tree_holds_the_spanish_pages_under_es(make_project, tmp_path):
    from conftest import run_cli

    project = make_project({**small_project(), **spanish_files()})
    out = tmp_path / "tree"
    result = run_cli(project, "markdown", str(out))
    assert result.code == 0, result.text
    page = (out / "es" / "patient" / f"{SMALL}.md").read_text(encoding="utf-8")
    assert "Una faja para el dolor de espalda" in page
    assert "faja" in (out / "es" / "glossary.md").read_text(encoding="utf-8").casefold()
    assert (out / "patient" / f"{SMALL}.md").is_file()


def test_listing_the_sites_own_language_as_a_translation_is_refused(make_project):
    result = build(make_project, {"site_config/site.yml": """
        site_name: Test Library
        organisation: Test Library
        advisory_board: Test Board
        contact_line: Ask the team that treats you.
        site_url: https://test.example.org/
        translations: [en]
        """})
    [problem] = errors(result.problems)
    assert problem.path == "site_config/site.yml" and problem.line == 6
    assert "own language" in problem.message


BOARD_WITH_SPANISH = """
    - name: Test Reviewer
      credentials: MD
      role: test fixture, not a person
      languages: [es]
    """


def test_a_spanish_sign_off_counts_for_the_spanish_page_only(make_project):
    import datetime

    from build_tools.approve import approve

    root = make_project({**small_project(), **spanish_files(),
                         "site_config/advisory_board.yml": BOARD_WITH_SPANISH})
    said = approve(root, SMALL, "Test Reviewer", datetime.date(2026, 12, 1), language="es")
    assert f"content/topics/{SMALL}/signoffs.es.yml" in said
    result = generate(root)
    assert codes(result) == []
    assert result.editions["es"].reviews[SMALL].reviewed
    assert not result.reviews[SMALL].reviewed  # the English page is not signed off by it
    page = next(p.text for p in result.editions["es"].pages if p.path == f"es/patient/{SMALL}.md")
    assert "Test Reviewer" in page


def test_only_a_member_who_reviews_the_language_signs_it_off(make_project):
    import pytest

    from build_tools.approve import Refusal, approve

    root = make_project({**small_project(), **spanish_files()})
    with pytest.raises(Refusal, match="does not review 'es' pages"):
        approve(root, SMALL, "Test Reviewer", language="es")
    # nor does an English sign-off make the Spanish page reviewed
    approve(root, SMALL, "Test Reviewer")
    result = generate(root)
    assert result.reviews[SMALL].reviewed and not result.editions["es"].reviews[SMALL].reviewed


def test_a_year_written_with_an_underscore_is_refused(make_project):
    # Python and pydantic read "2_020" as 2020: the reference list would print a year nobody
    # typed (found by the fuzzer)
    from projects import SMALL_REFS
    refs = small_project()[SMALL_REFS].replace("issued: 2021", 'issued: "2_021"')
    result = generate(make_project({**small_project(), SMALL_REFS: refs}))
    [problem] = errors(result.problems)
    assert problem.path == SMALL_REFS and "'2_021' is not a year" in problem.message


def test_a_template_nested_beyond_reading_is_named_once(make_project):
    # a run of brackets makes Jinja's parser recurse past Python's limit (found by the fuzzer)
    root = make_project({**small_project(), **spanish_files()})
    (root / "templates" / "board.md.j2").write_text("{" * 50_000, encoding="utf-8")
    result = generate(root)
    found = [p for p in errors(result.problems) if p.path == "templates/board.md.j2"]
    assert len(found) == 1 and "nests too deeply" in found[0].message
