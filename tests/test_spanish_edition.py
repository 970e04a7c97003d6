"""The Spanish edition as published (issue 20): its own pages below es/ in Spanish, the way
between the languages, its handouts and search, and the note a translation older than its
English page carries."""
from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest

from build_tools.translated import record_translation
from conftest import run_cli
from projects import SMALL, small_project, small_prose, spanish_files

ES_PAGE = Path("site/es/patient") / SMALL / "index.html"
EN_PAGE = Path("site/patient") / SMALL / "index.html"


@pytest.fixture(scope="module")
def spanish_site(tmp_path_factory) -> Path:
    from projects import write_project
    root = write_project(tmp_path_factory.mktemp("es") / "project",
                         {**small_project(), **spanish_files()})
    record_translation(root, SMALL, "es", "patient", datetime.date(2026, 12, 1))
    result = run_cli(root, "build")
    assert result.code == 0, result.text
    return root


def read(root: Path, rel: Path | str) -> str:
    return (root / rel).read_text(encoding="utf-8")


def test_the_spanish_page_is_in_spanish_below_es(spanish_site):
    page = read(spanish_site, ES_PAGE)
    assert re.search(r'<html lang="es"', page)
    assert "Una faja para el dolor de espalda" in page
    assert "Esta página no es un consejo médico para usted." in page  # its disclaimer
    assert "Respuesta breve:" in page  # the strings file's words
    assert 'placeholder="Búsqueda"' in page  # Material's own words, in Spanish
    assert re.search(r'<html lang="en"', read(spanish_site, EN_PAGE))
    assert "edu-translation-stale" not in page  # recorded as translating today's English


def test_each_page_links_its_other_language(spanish_site):
    english = read(spanish_site, EN_PAGE)
    spanish = read(spanish_site, ES_PAGE)
    assert re.search(rf'<a class="md-header__button edu-language" href="../../es/patient/{SMALL}/"'
                     r' hreflang="es" lang="es" data-edu-same="true">Español', english)
    assert re.search(rf'href="../../../patient/{SMALL}/" hreflang="en" lang="en" '
                     r'data-edu-same="true">English', spanish)
    nurse = read(spanish_site, Path("site/nurse") / SMALL / "index.html")
    assert re.search(r'href="../../es/" hreflang="es" lang="es" data-edu-same="false"', nurse)
    sitemap = read(spanish_site, "site/sitemap.xml")
    entry = re.search(rf"<url><loc>https://test.example.org/patient/{SMALL}/</loc>.*?</url>",
                      sitemap).group(0)
    assert (f'hreflang="es" href="https://test.example.org/es/patient/{SMALL}/"' in entry)


def test_spanish_handouts_and_search_index(spanish_site):
    assert (spanish_site / f"site/es/handouts/{SMALL}-patient.pdf").is_file()
    assert (spanish_site / f"site/handouts/{SMALL}-patient.pdf").is_file()
    entry = json.loads(read(spanish_site, "site/es/pagefind/patient/pagefind-entry.json"))
    assert list(entry["languages"]) == ["es"]
    english = json.loads(read(spanish_site, "site/pagefind/patient/pagefind-entry.json"))
    assert list(english["languages"]) == ["en"]


def test_a_changed_english_page_marks_its_translation_out_of_date(spanish_site, tmp_path):
    import shutil
    root = tmp_path / "project"
    shutil.copytree(spanish_site, root, ignore=lambda folder, names: [
        n for n in names if Path(folder) == spanish_site and n in ("site", "build")])
    prose = root / f"audiences/patient/{SMALL}.md"
    prose.write_text(small_prose("patient", risks="It can rub the skin. Take it off at night."),
                     encoding="utf-8")
    check = run_cli(root, "check")
    assert check.code == 0, check.text
    assert (f"content/topics/{SMALL}/translations.yml:3: warning: the English patient page "
            "changed after this translation of 2026-12-01") in check.out
    assert f"make translated TOPIC={SMALL} LANG=es" in check.out
    assert run_cli(root, "build").code == 0
    page = read(root, ES_PAGE)
    note = re.search(r'<p id="edu-translation-stale".*?</p>', page, re.S).group(0)
    assert "La versión en inglés de esta página se actualizó el 1 de enero de 2025" in note
    assert f'href="../../../patient/{SMALL}/"' in note
    # recorded again, the note goes
    record_translation(root, SMALL, "es", "patient")
    assert run_cli(root, "build").code == 0
    assert "edu-translation-stale" not in read(root, ES_PAGE)


def test_recording_a_translation_that_does_not_exist_is_refused(make_project):
    from build_tools.approve import Refusal
    root = make_project(small_project())
    with pytest.raises(Refusal, match="publishes no 'es' translation"):
        record_translation(root, SMALL, "es", "patient")


def test_the_spanish_editions_stylesheets_are_trimmed_too(spanish_site):
    english = sorted((spanish_site / "site/assets/stylesheets").glob("main.*.min.css"))
    spanish = sorted((spanish_site / "site/es/assets/stylesheets").glob("main.*.min.css"))
    assert len(english) == len(spanish) == 1
    import material
    whole = Path(material.__file__).parent / "templates/assets/stylesheets" / spanish[0].name
    assert spanish[0].stat().st_size < 0.75 * whole.stat().st_size
