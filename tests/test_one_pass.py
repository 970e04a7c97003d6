"""One build reports every problem: an unreadable file does not hide the others' problems."""
from __future__ import annotations

from pathlib import Path

from build_tools.bench.synthetic import write_library
from conftest import REPO, run_cli


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_independent_problems_in_three_files_come_in_one_build(tmp_path: Path) -> None:
    root = write_library(tmp_path / "project", 3, REPO)
    append(root / "content/topics/syn_0001/facts.yml", "\nbroken: [unclosed\n")
    append(root / "audiences/nurse/syn_0002.md", "\nThe figure {{ fact.no_such_fact }}.\n")
    topic = root / "content/topics/syn_0003/topic.yml"
    topic.write_text(topic.read_text(encoding="utf-8").replace(
        "references:\n", "references:\n- no_such_reference\n", 1), encoding="utf-8")
    result = run_cli(root, "build")
    assert result.code == 1
    assert "content/topics/syn_0001/facts.yml:" in result.err
    assert "audiences/nurse/syn_0002.md:" in result.err and "[unknown-fact]" in result.err
    assert "content/topics/syn_0003/topic.yml:" in result.err
    assert "[unknown-reference]" in result.err
    assert not (root / "site").exists()


def test_a_broken_shared_file_stops_before_topics_are_checked(tmp_path: Path) -> None:
    """With the bibliography unreadable every citation would be reported unknown: noise that
    hides the one real problem, so the topics wait for the next build."""
    root = write_library(tmp_path / "project", 2, REPO)
    append(root / "content/references.yml", "\n- id: [unclosed\n")
    result = run_cli(root, "build")
    assert result.code == 1
    assert "content/references.yml:" in result.err
    assert "[unknown-reference]" not in result.err and "[unknown-fact]" not in result.err
