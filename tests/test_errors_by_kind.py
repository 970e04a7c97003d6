"""Errors by kind: a fault of the tool (or of a program it runs) exits 70 and says it is not a
content problem; only what the writer caused is reported at the writer's file and line.

Each fault is planted in a small project written by the test: a hook file its mkdocs.yml
names, or a bug appended to the project's own copy of build_tools (the copy a build in the
project runs), never by patching a library.
"""
from __future__ import annotations

import re
import shutil
import textwrap
import time
from pathlib import Path

import pytest
import yaml

from conftest import run_cli, run_in_process
from projects import REPO, SMALL, small_project, small_prose

pytestmark = pytest.mark.xdist_group("errors-by-kind")

PROSE = f"audiences/patient/{SMALL}.md"
PROBLEM_LINE = re.compile(r"^\S+: (error|warning): .*\[[a-z0-9-]+\]$", re.M)
NOT_CONTENT = "(not a content problem); the site was not changed."


def files(patient: str | None = None, hooks: dict[str, str] | None = None) -> dict[str, str]:
    """The small project (tests/projects.py); patient: the patient page's prose, if changed;
    hooks: extra MkDocs hook files, by name."""
    found = small_project({PROSE: patient} if patient else {})
    if hooks:
        config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
        config["hooks"] += list(hooks)
        found["mkdocs.yml"] = yaml.safe_dump(config, sort_keys=False)
        found.update(hooks)
    return found


@pytest.fixture(scope="module")
def last_good_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site a good build of the project made: what every failing build must leave alone."""
    from projects import write_project

    root = write_project(tmp_path_factory.mktemp("good") / "project", files())
    result = run_cli(root, "build")
    assert result.code == 0, result.text
    return root / "site"


def with_site(root: Path, site: Path) -> dict[str, bytes]:
    """Put the last good site into the project; return it file by file, to compare after."""
    shutil.copytree(site, root / "site")
    return snapshot(root)


def snapshot(root: Path) -> dict[str, bytes]:
    """The site and whatever lies beside it (a staging folder left behind would show)."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()
            and p.relative_to(root).parts[0] not in ("build", "build_tools", "content",
                                                     "audiences", "templates", "site_config")}


def plant(root: Path, module: str, code: str) -> None:
    """A bug in the project's own copy of the tool, which a build in that project runs."""
    path = root / "build_tools" / module
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + code + "\n", encoding="utf-8")


def assert_tools_fault(result, what: str) -> None:
    assert result.code == 70, result.text
    assert f"internal error: {what}" in result.err, result.err
    assert NOT_CONTENT in result.err
    assert not PROBLEM_LINE.search(result.err), result.err  # nothing blamed on a file
    assert "build failed" not in result.err


def test_an_engine_that_crashes_is_the_tools_fault(make_project, last_good_site: Path) -> None:
    root = make_project(files(hooks={"crash_hook.py": """
        def on_page_markdown(markdown, **kwargs):
            raise RuntimeError("planted: the engine crashed")
        """}))
    before = with_site(root, last_good_site)
    result = run_cli(root, "build")
    assert_tools_fault(result, "the site engine stopped without finishing its build")
    assert "RuntimeError: planted: the engine crashed" in result.err  # the engine's traceback
    assert "Please report the output above." in result.err
    assert "engine-failed" not in result.text
    assert snapshot(root) == before


def test_an_engine_that_hangs_is_stopped_at_the_given_time(make_project,
                                                           last_good_site: Path) -> None:
    root = make_project(files(hooks={"slow_hook.py": """
        import time

        def on_config(config):
            time.sleep(300)
            return config
        """}))
    before = with_site(root, last_good_site)
    started = time.monotonic()
    result = run_cli(root, "build", "--engine-timeout", "3")
    assert_tools_fault(result, "the site engine did not finish within 3 s and was stopped; if "
                               "the library is only large, allow it more with "
                               "--engine-timeout SECONDS")
    assert time.monotonic() - started < 120
    assert snapshot(root) == before


@pytest.mark.parametrize("given", ["0", "-5", "nan", "inf", "soon"])
def test_the_engine_timeout_must_be_a_positive_number(tmp_path: Path, given: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from build_tools.cli import main

    with pytest.raises(SystemExit) as stopped:  # argparse's usage error, before any build
        main(["--root", str(tmp_path), "build", f"--engine-timeout={given}"])
    assert stopped.value.code == 2
    assert (f"argument --engine-timeout: '{given}' is not a positive number of seconds"
            in capsys.readouterr().err)
    assert not (tmp_path / "build").exists()


def test_a_configuration_the_engine_refuses_stays_the_contents_error(make_project) -> None:
    """What the engine reports as a failed build (here: a theme it does not know) is for the
    editor to fix in mkdocs.yml: exit 1, as before."""
    project = files()
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["name"] = "no-such-theme"
    project["mkdocs.yml"] = yaml.safe_dump(config, sort_keys=False)
    result = run_cli(make_project(project), "build")
    assert result.code == 1, result.text
    assert "mkdocs.yml: error: the site engine could not build the pages (see above) " \
           "[engine-failed]" in result.err
    assert "internal error" not in result.text


def test_a_bug_met_while_rendering_prose_is_not_blamed_on_the_writer(
        make_project, last_good_site: Path) -> None:
    root = make_project(files())
    plant(root, "core/facts/facts.py", "def _planted(self, key):\n"
                                 "    raise TypeError('planted: a bug in FactBook')\n\n\n"
                                 "FactBook.__getitem__ = _planted")
    before = with_site(root, last_good_site)
    result = run_cli(root, "build")
    assert_tools_fault(result, "the build tool failed while rendering the prose of "
                               "audiences/")
    assert "TypeError: planted: a bug in FactBook" in result.err
    assert "Please report the traceback above." in result.err
    assert f"{PROSE}:" not in result.err.replace("the prose of", "")  # no writer's line
    assert snapshot(root) == before
    assert run_cli(root, "check").code == 70  # `make check` says the same


def test_a_writers_mistake_is_still_the_writers(make_project) -> None:
    typo = small_prose("patient").replace("fact.rest_weeks", "fact.rest_wekks")
    root = make_project(files(patient=typo))
    result = run_in_process(root, "build")
    assert result.code == 1, result.text
    assert f"{PROSE}:3: error: unknown fact 'rest_wekks'" in result.err, result.err
    assert "internal error" not in result.text


def test_prose_nested_too_deeply_is_still_the_writers(make_project) -> None:
    """Jinja's parser recurses as deep as the text nests: that RecursionError is the text's."""
    deep = "(" * 5000 + ")" * 5000
    root = make_project(files(patient=small_prose("patient", before_rest=f"{{{{ {deep} }}}}\n")))
    result = run_in_process(root, "check")
    assert result.code == 1, result.text
    assert f"{PROSE}:3: error: the template nests too deeply to be read" in result.out, result.out
    assert "internal error" not in result.text


def test_a_handout_the_tool_cannot_make_is_the_tools_fault(make_project,
                                                          last_good_site: Path) -> None:
    root = make_project(files())
    plant(root, "handouts/handout.py", "def render_pdf(*args, **kwargs):\n"
                                       "    raise RuntimeError('planted: WeasyPrint crashed')")
    before = with_site(root, last_good_site)
    result = run_cli(root, "build", fresh_handouts=True)
    assert_tools_fault(result, "3 PDF handout(s) could not be made: WeasyPrint or the build "
                               "tool failed")
    assert "bracing-patient.pdf: Traceback" in result.err
    assert "RuntimeError: planted: WeasyPrint crashed" in result.err
    assert snapshot(root) == before


def test_the_preview_says_whose_fault_it_is_and_keeps_serving(
        make_project, capsys: pytest.CaptureFixture[str]) -> None:
    """make serve's build after a save: the tool's fault is said as such, and the server goes
    on (the next save tries again), its folder as it was."""
    from build_tools.site.build import BuildOptions
    from build_tools.site.serve import Preview

    root = make_project(files(hooks={"crash_hook.py": """
        def on_page_markdown(markdown, **kwargs):
            raise RuntimeError("planted: the engine crashed")
        """}))
    preview = Preview(root, BuildOptions(handouts=False))
    preview.site.mkdir(parents=True)
    preview.rebuild()  # returns: the live-reload server calls it again after the next save
    err = capsys.readouterr().err
    assert "internal error: the site engine stopped without finishing its build" in err, err
    assert "(not a content problem); the preview was not changed." in err
    assert "RuntimeError: planted: the engine crashed" in err
    assert preview.shown is None  # no search index or PDFs for a failed build
    assert not any(preview.site.iterdir())


def test_a_search_index_pagefind_cannot_make_is_the_tools_fault(make_project,
                                                               last_good_site: Path) -> None:
    """The pages Pagefind reads have passed the HTML check: its failure is not the content's."""
    root = make_project(files())
    plant(root, "site/search_index.py", textwrap.dedent("""
        def _pagefind(site_dir, glob, bundle, language):  # a Pagefind that fails
            return subprocess.Popen([sys.executable, "-c", "print('planted: no index'); exit(3)"],
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        """))
    before = with_site(root, last_good_site)
    result = run_cli(root, "build")
    assert_tools_fault(result, "Pagefind could not index the site")
    assert "the 'patient' index (exit 3): planted: no index" in result.err
    assert snapshot(root) == before
