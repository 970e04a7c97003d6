"""Outputs are generators behind one interface (site.outputs): a new one is a module and a
line in the registry, and the caches of each are keyed by what it is made from."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_tools.core.base.problems import Problem
from build_tools.site.build import BuildFailed, BuildOptions, build_site
from build_tools.site.outputs import Job, Output
from build_tools.site.registry import standard_outputs
from projects import base_files, topic_files


class PlainText(Output):
    """A plain-text handout per variant: the kind of output a project might add."""

    name = "plain text"
    folders = ("plain",)

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}

    def plan(self, job: Job) -> None:
        self.texts = {f"{v.topic.key}-{v.audience.key}.txt": f"{v.title}\n\n{v.body}\n"
                      for v in job.result.variants}

    def check(self, job: Job) -> list[Problem]:
        return [Problem(name, None, "empty-text", "the text is empty", "write something")
                for name, text in self.texts.items() if not text.strip()]

    def publish(self, job: Job, site: Path) -> list[Problem]:
        for name, text in self.texts.items():
            (site / "plain").mkdir(exist_ok=True)
            (site / "plain" / name).write_text(text, encoding="utf-8")
        return []


def bracing(make_project) -> Path:
    return make_project({**base_files(), **topic_files("bracing", title="Does a brace help",
                                                       body="""
        ## Rest first

        Rest first {{ cite("testref_a") }}.
        """)})


def test_an_output_registered_by_a_test_reaches_the_built_site(make_project) -> None:
    root = bracing(make_project)
    build_site(root, root / "site", BuildOptions(handouts=False, jobs=1),
               outputs=[*standard_outputs(), PlainText()])
    texts = sorted(p.name for p in (root / "site" / "plain").iterdir())
    assert texts == ["bracing-nurse.txt", "bracing-patient.txt", "bracing-physician.txt"]
    assert "Rest first" in (root / "site" / "plain" / "bracing-nurse.txt").read_text()
    assert (root / "site" / "nurse" / "bracing" / "index.html").is_file()  # the others too


def test_the_preview_keeps_an_added_output_beside_its_pages(make_project) -> None:
    """A preview's page update leaves the folders of the outputs that follow the pages."""
    root = bracing(make_project)
    site = root / "build" / "serve" / "site"
    outputs = [*standard_outputs(), PlainText()]
    options = BuildOptions(mode="preview", in_place=True, handouts=False, jobs=1)
    build_site(root, site, options, outputs)
    (root / "audiences" / "nurse" / "bracing.md").write_text(
        (root / "audiences" / "nurse" / "bracing.md").read_text() + "\nRest some more.\n")
    build_site(root, site, BuildOptions(**{**options.__dict__, "finish": False}), outputs)
    assert (site / "plain" / "bracing-nurse.txt").is_file()
    assert (site / "_review" / "bracing" / "index.html").is_file()


def pages_line(capsys: pytest.CaptureFixture[str]) -> str:
    return next(line for line in capsys.readouterr().out.splitlines()
                if line.startswith("pages:"))


def test_pages_are_made_again_when_an_inherited_or_environment_setting_changes(
        make_project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
        ) -> None:
    """mkdocs.yml is read as the engine reads it: what it inherits (INHERIT:) and what it
    takes from the environment (!ENV) change the pages as they change their key."""
    root = bracing(make_project)
    config = root / "mkdocs.yml"
    shutil.move(config, root / "base.yml")
    config.write_text("INHERIT: base.yml\n"
                      "copyright: !ENV [EDU_TEST_COPYRIGHT, 'Test Library']\n", encoding="utf-8")
    site = root / "build" / "serve" / "site"
    options = BuildOptions(mode="preview", in_place=True, finish=False, jobs=1)
    monkeypatch.setenv("EDU_TEST_COPYRIGHT", "Test Library 2025")
    build_site(root, site, options)
    assert "0 from cache" in pages_line(capsys)
    build_site(root, site, options)
    assert " 0 built" in pages_line(capsys)

    monkeypatch.setenv("EDU_TEST_COPYRIGHT", "Test Library 2026")
    build_site(root, site, options)
    assert "0 from cache" in pages_line(capsys)
    assert "Test Library 2026" in (site / "nurse" / "bracing" / "index.html").read_text()

    base = root / "base.yml"
    base.write_text(base.read_text().replace("site_dir: site", "site_dir: site\n"
                                             "copyright: from the base"), encoding="utf-8")
    build_site(root, site, options)
    assert " 0 built" in pages_line(capsys)  # the inheriting file's own value still wins
    base.write_text(base.read_text() + "\nextra:\n  edu_test: 1\n", encoding="utf-8")
    build_site(root, site, options)
    assert "0 from cache" in pages_line(capsys)


def test_the_served_folder_is_unchanged_when_the_html_check_fails(make_project) -> None:
    from test_faults import tree_digest

    root = bracing(make_project)
    site = root / "build" / "serve" / "site"
    options = BuildOptions(mode="preview", in_place=True, finish=False, jobs=1)
    build_site(root, site, options)
    before = tree_digest(site)
    (root / "templates" / "theme" / "partials" / "edu-disclaimer.html").write_text(
        "<p>no disclaimer here</p>\n", encoding="utf-8")
    with pytest.raises(BuildFailed, match="HTML check"):
        build_site(root, site, options)
    assert tree_digest(site) == before
