"""Unit tests of each core stage, on small inputs written inline."""
from pathlib import Path

import pytest

from build_tools.core.check.check import bare_numbers, plain_text
from build_tools.core.read.unsafe_html import unsafe_html
from build_tools.core.facts.facts import FactBook, format_fact
from build_tools.core.read.load import parse_yaml
from build_tools.core.base.model import Fact, Reference, Topic
from build_tools.core.pipeline import generate
from build_tools.core.base.problems import ContentError
from build_tools.core.facts.references import ama_text
from build_tools.core.render.render import Citer, render_text
from conftest import REPO
from projects import english_words


def test_yaml_keeps_lines_and_reports_duplicate_keys():
    doc, problems = parse_yaml("a: 1\nb:\n  c: 2\na: 3\n", "x.yml")
    assert doc is not None and doc.line_of(("b", "c")) == 3
    assert [str(p) for p in problems] == [
        "x.yml:4: error: the key 'a' appears twice in one mapping (first on line 1) [duplicate-key]"
        "\n    fix: keep one of them; YAML would silently use the last"]


def test_yaml_syntax_error_names_the_line():
    _, problems = parse_yaml("a: [1, 2\nb: 3\n", "x.yml")
    assert problems[0].code == "yaml-syntax" and problems[0].line == 2


def fact(**fields) -> Fact:
    return Fact(key="f", label="f", refs=["r"], verified=True, **fields)


@pytest.mark.parametrize("fields, style, shown", [
    ({"value": 2.6, "unit": "points"}, "exact", "2.6 points"),
    ({"value": 2.6, "unit": "points"}, "plain", "about 3 points"),
    ({"value": 2.6, "unit": "points", "plain": "about 2 to 3 points"}, "plain", "about 2 to 3 points"),
    ({"value": {"min": 3, "max": 4}, "unit": "weeks"}, "plain", "3 to 4 weeks"),
    ({"value": {"min": 3, "max": 4}, "unit": "weeks"}, "exact", "3\u20134 weeks"),
    ({"value": 2463, "unit": "EUR"}, "exact", "2,463 EUR"),
    ({"value": 2.0, "decimals": 1}, "exact", "2.0"),
    ({"value": "T10-L2"}, "exact", "T10-L2"),
])
def test_a_fact_reads_as_its_audience_expects(fields, style, shown):
    assert format_fact(fact(**fields), style, english_words().facts) == shown


def test_unknown_fact_suggests_the_nearest_key():
    book = FactBook({"vas_gain": fact(value=1.0)}, "exact", english_words().facts)
    with pytest.raises(ContentError, match="unknown fact 'vas_gian'") as info:
        book["vas_gian"]
    assert info.value.hint == "did you mean 'vas_gain'?"


def test_citations_are_numbered_by_the_topic_order():
    topic = Topic.model_construct(references=["a", "b", "c"])
    html = str(Citer(topic)("c", "a"))
    assert html == ('<sup class="edu-cites">[<a class="edu-cite" href="#ref-a">1</a>, '
                    '<a class="edu-cite" href="#ref-c">3</a>]</sup>')


def test_render_error_names_the_template_line():
    problems: list = []
    names = {"fact": FactBook({}, "plain", english_words().facts), "cite": None, "term": None, "literal": str}
    assert render_text("one\ntwo {{ fact.nothing }}\n", "p.md", 1, names, problems) is None
    assert (problems[0].path, problems[0].line, problems[0].code) == ("p.md", 2, "unknown-fact")


def test_drift_guard_flags_typed_numbers_but_not_facts_or_list_markers():
    text = "1. First {{ fact.a }}\nPain fell by 2.6 points.\n{{ literal('911') }} is fine\n"
    found = list(bare_numbers(text, "p.md"))
    assert [(p.line, p.code) for p in found] == [(2, "bare-number")]
    assert "'2.6'" in found[0].message


@pytest.mark.parametrize("line", ['<script>x()</script>', '<a href="javascript:x()">a</a>',
                                  '<img src=a onerror="x()">', '<iframe src="a">',
                                  '<object data=a>', '<embed src=a>', '<form action=a>'])
def test_unsafe_html_is_refused(line):
    assert [p.code for p in unsafe_html(f"ok\n{line}\n", "p.md")] == ["unsafe-html"]


def test_plain_text_for_reading_level_drops_citations_and_markup():
    md = '## Heading\n- item one <sup class="edu-cites">[<a href="#r">1</a>]</sup>\nA [link](x.md).'
    assert plain_text(md) == "Heading. item one. A link."


def test_ama_reference_without_authors_starts_with_the_title():
    ref = Reference(id="x", kind="meta-analysis", title="A title", container_title="Int Orthop",
                    issued=2011, volume="35", issue="9", page="1349-1358",
                    DOI="10.1007/s00264-011-1283-x", PMID="21637959")
    assert ama_text(ref) == "A title. Int Orthop. 2011;35(9):1349-1358. doi:10.1007/s00264-011-1283-x"


def test_the_example_project_passes_every_check():
    result = generate(REPO, "publish")
    assert result.ok, [str(p) for p in result.problems]
    assert {p.path for p in result.pages} >= {"patient/vertebroplasty.md", "nurse/vertebroplasty.md",
                                              "physician/vertebroplasty.md", "index.md"}


def test_only_the_site_package_knows_the_site_engine():
    """The core, the handouts and the commands import no engine: another can take its place."""
    import re
    imports = re.compile(r"^\s*(from|import)\s+(mkdocs|properdocs|material)\b", re.M)
    modules = [m for m in (REPO / "build_tools").rglob("*.py")
               if "site" not in m.relative_to(REPO / "build_tools").parts]
    assert len(modules) > 20
    for module in modules:
        assert not imports.search(module.read_text()), module.name


def test_preview_shows_a_draft_that_publish_leaves_out(make_project):
    from projects import base_files, topic_files
    draft = topic_files("draft", title="A draft", body='## Draft\n\nText {{ cite("testref_a") }}.\n')
    topic = "content/topics/draft/topic.yml"
    draft[topic] = draft[topic].replace("status: under_review", "status: submitted")
    root = make_project({**base_files(), **draft, **topic_files(
        "ready", title="Ready", body='## Ready\n\nText {{ cite("testref_a") }}.\n')})
    published = generate(root, "publish")
    paths = {p.path: p.text for p in published.pages}
    assert published.ok and "patient/ready.md" in paths
    assert not [path for path in paths if "draft" in path]
    assert "draft.md" not in paths["patient/index.md"] and "ready.md" in paths["patient/index.md"]
    preview = generate(root, "preview")
    page = next(p for p in preview.pages if p.path == "patient/draft.md")
    assert "Draft - not published" in page.text
