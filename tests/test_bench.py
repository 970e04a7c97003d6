"""`make bench` on a tiny synthetic library: the report's form, and a corpus that passes the checks.

The benchmark measures; it asserts no duration (timings belong in the README, not in tests)."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

from build_tools.bench.synthetic import write_library
from conftest import REPO, run_cli

BENCH_LINE = re.compile(r"^bench: (\d+) pages, build \d+\.\d s, clean \d+\.\d s, bare \d+\.\d s, "
                        r"ratio \d+\.\d\d, page \d+ KB, search \d+ KB, "
                        r"preview \d+\.\d\d s, memory \d+ MB$")


def content_files() -> dict[str, int]:
    return {p.relative_to(REPO).as_posix(): p.stat().st_mtime_ns
            for folder in ("content", "audiences") for p in (REPO / folder).rglob("*")}


def test_synthetic_library_passes_every_check(tmp_path: Path) -> None:
    root = write_library(tmp_path / "library", 3, REPO)
    result = run_cli(root, "check")
    assert result.code == 0, result.text
    # its topics are under review with no board member assigned: one warning each
    assert "0 error(s), 3 warning(s)" in result.text
    assert result.text.count("[no-reviewer-assigned]") == 3
    assert sorted(p.name for p in (root / "content" / "topics").iterdir()) == \
        ["syn_0001", "syn_0002", "syn_0003"]


def test_synthetic_text_says_it_is_synthetic(tmp_path: Path) -> None:
    root = write_library(tmp_path / "library", 1, REPO)
    for path in [*root.glob("audiences/*/syn_*.md"), root / "content" / "references.yml",
                 root / "content" / "topics" / "syn_0001" / "topic.yml"]:
        assert "ynthetic" in path.read_text(encoding="utf-8"), path


@pytest.mark.browser
def test_bench_reports_every_figure_in_one_line() -> None:
    before = content_files()
    proc = subprocess.run([sys.executable, "-m", "build_tools.bench", "--topics", "2",
                           "--saves", "1"], cwd=REPO,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    lines = proc.stdout.strip().splitlines()
    match = BENCH_LINE.match(lines[-1])
    assert match, lines[-1]
    assert match.group(1) == "6"  # 2 topics x 3 audiences
    for stage in ("load", "validate", "render", "check", "site engine", "html check", "handouts"):
        assert any(line.strip().startswith(stage) for line in lines), stage
    assert content_files() == before  # the library went to a scratch folder


def test_synthetic_library_shares_facts_and_groups_topics_in_categories(tmp_path: Path) -> None:
    from build_tools.core.facts.fact_base import shared_fact_users
    from build_tools.core.pipeline import generate

    root = write_library(tmp_path / "library", 40, REPO)
    result = generate(root)
    assert result.ok, [str(p) for p in result.problems][:5]
    assert result.library is not None
    users = shared_fact_users(result.library, result.variants)
    assert max(len(topics) for topics in users.values()) >= 2  # one figure, several topics
    categories = [t.category for t in result.library.topics.values()]
    assert len(set(categories)) == 2 and all(categories.count(c) == 20 for c in set(categories))


def test_synthetic_library_can_include_spanish_patient_pages(tmp_path: Path) -> None:
    """`make bench` with Spanish pages (--spanish N): every N-th topic's patient page is also
    written in the Spanish edition's places, and the library still passes every check."""
    root = write_library(tmp_path / "library", 4, REPO, spanish_every=2)
    assert sorted(p.name for p in (root / "audiences" / "patient").glob("*.es.md")) == [
        "syn_0002.es.md", "syn_0004.es.md"]
    result = run_cli(root, "check")
    assert result.code == 0, result.text
    assert "0 error(s)" in result.text
    assert "es translation" in result.text  # the report reads the Spanish pages
