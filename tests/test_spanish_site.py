"""A site in Spanish (issue 20): `language: es` in site.yml gives pages whose own words come
from site_config/strings/es.yml, whose theme (Material) speaks Spanish, whose figures are
written with a decimal comma, and whose dates are Spanish; prose stays as editors wrote it."""
from __future__ import annotations

import datetime
import re
import textwrap
from pathlib import Path

import yaml
from babel.dates import format_date

from conftest import parse, run_cli
from projects import SMALL, SMALL_FACTS, small_prose
from spanish import ES_STRINGS, spanish_project, spanish_strings

WEAR_HOURS = """
    wear_hours:
      label: Hours a day the brace is worn at first
      value: 1.5
      unit: hours
      refs: [testref_a]
      verified: true
    """


def built_spanish_site(make_project) -> Path:
    from projects import small_files

    facts = textwrap.dedent(small_files()[SMALL_FACTS]) + textwrap.dedent(WEAR_HOURS)
    nurse = small_prose("nurse").replace(
        "Most people wear it each day.", "Most people wear it {{ fact.wear_hours }} a day.")
    root = make_project(spanish_project({SMALL_FACTS: facts,
                                         f"audiences/nurse/{SMALL}.md": nurse}))
    built = run_cli(root, "build")
    assert built.code == 0, built.text
    return root


def test_the_strings_file_in_spanish_has_every_key_of_english():
    from build_tools.core.base.strings import Strings

    Strings.model_validate(yaml.safe_load(spanish_strings()))  # raises on any missing key


def test_a_spanish_site_speaks_spanish_around_the_prose(make_project):
    root = built_spanish_site(make_project)
    words = yaml.safe_load(spanish_strings())
    page = parse(root / "site" / "patient" / SMALL / "index.html")
    assert page.get("lang") == "es"
    text = page.text_content()
    # the site's own words (es.yml): navigation, review line, disclaimer, search box
    assert page.xpath("//nav//a[normalize-space()=$w]", w=words["nav"]["home"])
    assert words["review"]["not_reviewed"] in text or words["review"]["labels"]["no_reviewer"] in text
    assert words["topic"]["please_note"] in text
    assert page.xpath("//*[@aria-label=$w]", w=words["theme"]["close_search"])
    # the theme's own words (Material's Spanish), chosen by the build from site.yml
    assert page.xpath("//input[@placeholder='Búsqueda']"), "Material's search box is not Spanish"
    assert not page.xpath("//*[@aria-label='Search' or @placeholder='Search']")
    # the engine's own tooltip beside each heading, from es.yml too
    links = page.xpath("//a[@class='headerlink']/@title")
    assert links and set(links) == {words["theme"]["permanent_link"]}
    # dates as the Spanish pattern writes them; prose as the editor wrote it
    first = format_date(datetime.date(2025, 1, 1), words["dates"]["long"], locale="es")
    assert first == "1 de enero de 2025" and first in text
    assert "Rest for" in text
    # figures with a decimal comma (es.yml facts.decimal_mark), the patient's rounded in words
    nurse = parse(root / "site" / "nurse" / SMALL / "index.html").text_content()
    assert "1,5 hours" in nurse and "1.5 hours" not in nurse


def test_a_spanish_handout_is_labelled_and_numbered_in_spanish(make_project):
    from build_tools.site.final_pdf import pdf_text

    root = built_spanish_site(make_project)
    words = yaml.safe_load(spanish_strings())["handout"]
    text, why = pdf_text(root / "site" / "handouts" / f"{SMALL}-patient.pdf")
    assert text is not None, why
    assert words["handout_for"] in text and words["review_status"] in text
    numbers = words["page_of"].format(page=r"\d+", pages=r"\d+")
    assert re.search(numbers, text) and not re.search(r"page \d+ of \d+", text)


def test_material_words_follow_the_language_without_editing_mkdocs_yml(make_project):
    """mkdocs.yml says `language: en`; the site's language wins, and a code Material knows
    only by its base language (es-US) gets the base language's words."""
    files = spanish_project()
    files["site_config/site.yml"] = files["site_config/site.yml"].replace(
        "language: es", "language: es-US")
    files["site_config/strings/es-US.yml"] = files.pop(ES_STRINGS)
    root = make_project(files)
    assert "language: en" in (root / "mkdocs.yml").read_text(encoding="utf-8")
    built = run_cli(root, "build")
    assert built.code == 0, built.text
    page = parse(root / "site" / "patient" / SMALL / "index.html")
    assert page.get("lang") == "es"
    assert page.xpath("//input[@placeholder='Búsqueda']")
