"""Golden output: the Markdown the core writes for a tiny two-topic project.

A change to templates or rendering shows up here as a readable diff. When the change is
intended, regenerate the files and review the diff before committing:

    .venv/bin/python -m pytest tests/test_golden.py --update-golden
"""
from pathlib import Path

import pytest

from build_tools.core.pipeline import generate

GOLDEN = Path(__file__).parent / "golden"
PAGES = ("index.md", "patient/index.md", "patient/bracing.md", "physician/bracing.md",
         "glossary.md")


@pytest.mark.parametrize("page", PAGES)
def test_rendered_markdown_matches_the_golden_file(two_topic_project, update_golden, page):
    result = generate(two_topic_project, "publish")
    assert result.ok, [str(p) for p in result.problems]
    text = next(p.text for p in result.pages if p.path == page)
    golden = GOLDEN / page.replace("/", "__")
    if update_golden:
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file for {page}: run pytest --update-golden"
    assert text == golden.read_text(encoding="utf-8"), (
        f"{page} differs from {golden}; if the change is intended, run "
        "pytest tests/test_golden.py --update-golden and review the diff")
