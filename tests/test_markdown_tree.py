"""`python -m build_tools markdown DIR`: writes the plain Markdown tree, and loses nothing."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli


def test_the_tree_is_written_for_another_engine(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "tree"
    result = run_cli(project, "markdown", str(out))
    assert result.code == 0, result.text
    assert (out / "patient" / "vertebroplasty.md").is_file()
    assert (out / "index.md").is_file()


def test_files_it_did_not_write_are_never_touched(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "tree"
    assert run_cli(project, "markdown", str(out)).code == 0  # a folder of its own (its manifest)
    (out / "README.md").write_text("the editor's own notes\n", encoding="utf-8")
    (out / "notes").mkdir()
    (out / "notes" / "plan.md").write_text("a plan\n", encoding="utf-8")
    assert run_cli(project, "markdown", str(out)).code == 0
    assert run_cli(project, "markdown", str(out)).code == 0
    assert (out / "README.md").read_text(encoding="utf-8") == "the editor's own notes\n"
    assert (out / "notes" / "plan.md").read_text(encoding="utf-8") == "a plan\n"


def test_pages_it_wrote_that_are_gone_are_removed(tmp_path: Path) -> None:
    from build_tools.core.pages.pages import Page
    from build_tools.site.markdown_tree import write_tree

    write_tree([Page("a.md", "A\n"), Page("b/c.md", "C\n")], tmp_path)
    (tmp_path / "mine.md").write_text("mine\n", encoding="utf-8")
    assert write_tree([Page("a.md", "A2\n")], tmp_path) == ["a.md", "b/c.md"]
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == "A2\n"
    assert not (tmp_path / "b" / "c.md").exists()
    assert (tmp_path / "mine.md").read_text(encoding="utf-8") == "mine\n"


def test_a_file_of_someone_else_at_a_page_path_is_not_overwritten(project: Path,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "tree"
    out.mkdir()
    (out / ".edu-written.json").write_text("[]", encoding="utf-8")  # written by it, no pages
    (out / "index.md").write_text("somebody's home page\n", encoding="utf-8")
    result = run_cli(project, "markdown", str(out))
    assert result.code == 2
    assert f"{out}: error: {out / 'index.md'} exists and was not written by this tool " \
           "[markdown-destination]\n    fix: move it away or choose another destination folder" \
           in result.err
    assert (out / "index.md").read_text(encoding="utf-8") == "somebody's home page\n"


@pytest.mark.parametrize("destination", [".", "content", "audiences/patient", "templates",
                                         "site_config", "docs", ".."])
def test_the_project_and_its_sources_are_refused(project: Path, destination: str) -> None:
    (project / "docs").mkdir(exist_ok=True)
    (project / "docs" / "guide.md").write_text("guide\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in project.rglob("*.md")}
    result = run_cli(project, "markdown", destination)
    assert result.code == 2, result.text
    assert "[markdown-destination]" in result.err
    assert {p: p.read_bytes() for p in project.rglob("*.md")} == before


def test_a_fault_of_the_tool_is_an_internal_error_not_a_content_error(project: Path) -> None:
    """A bug in the build tool (here: one planted in the project's copy of it) is reported as
    the tool's, with its traceback, and the site stays as it was."""
    assert run_cli(project, "build").code == 0
    before = (project / "site" / "index.html").read_bytes()
    check = project / "build_tools" / "core" / "check" / "check.py"
    check.write_text(check.read_text(encoding="utf-8")
                     + "\n\ndef check_variant(*args, **kwargs):\n    raise KeyError('planted')\n",
                     encoding="utf-8")
    result = run_cli(project, "build")
    assert result.code == 70
    assert "internal error: the build tool failed (not a content problem)" in result.err
    assert "KeyError: 'planted'" in result.err
    assert (project / "site" / "index.html").read_bytes() == before
