"""Escaped furniture: every field a page prints shows what the editor wrote, as text.

The payloads are the ones an attacker tries first: a script element, an element with an event
handler, attribute breakouts with either quote, a `</script>` that would end the JSON-LD, and a
Jinja expression. They are written in YAML's double-quoted escapes ("\\u003cscript\\u003e"), the
form the raw-HTML guard does not see (it reads what the editor typed), so each one reaches the
templates. The built HTML must hold each payload as text, and no element or attribute of it.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from lxml import html as lxml_html
from projects import AUDIENCES, base_files, topic_files

from build_tools.core.pages.jsonld import json_in_html
from build_tools.core.base.escaping import md_text
from build_tools.core.read.strict_yaml import CoreSafeDumper, CoreSafeLoader

# No digits: a number outside a fact's markup in a printed field is refused by the final check
# of published bytes (tests/test_final_check.py), so the payloads would never reach a page.
PAYLOADS = ("<script>alert(document)</script>", "<img src=x onerror=alert(document)>",
            '" onmouseover="alert(document)" x="', "'><svg onload=alert(document)>",
            "</script><script>alert(document)</script>", "{{ config }}")
ALL = " ".join(PAYLOADS)
# Markdown's own syntax, which a title must not become either.
MARKDOWN = ("[link](javascript:alert(document)) ![img](x) *em* `code` "
            "{: onclick=alert(document) } *[x]: y")


def yaml_escapes(text: str) -> str:
    """<, >, & and the j of javascript: as YAML escapes, which the raw-HTML guard cannot see."""
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("javascript", "\\u006aavascript"))


def quoted(text: str) -> str:
    """A YAML double-quoted string whose payloads are written as escapes."""
    return yaml_escapes(json.dumps(text))


def field(name: str) -> str:
    """The payloads with a name, so a test can tell which field a text on a page came from."""
    return f"{name} {ALL} {MARKDOWN}"


def prose_field(name: str) -> str:
    """What a change summary may hold of the payloads: it is prose, so markup that could run
    is refused even when written as YAML escapes (test_markup_in_a_summary_is_refused_decoded)."""
    return f'{name} " onmouseover="alert(document)" x="'


def payload_project() -> dict[str, str]:
    """A project whose every printed field holds every payload."""
    files = base_files()
    files["site_config/site.yml"] = "\n".join([
        f"site_name: {quoted(field('SITE'))}", f"organisation: {quoted(field('ORG'))}",
        f"advisory_board: {quoted(field('BOARD'))}",
        f"contact_line: {quoted(field('CONTACT') + ' team@example.org')}",
        f"description: {quoted(field('DESCRIPTION'))}",
        "site_url: https://test.example.org/", ""])
    files["site_config/policy.yml"] = (
        "published_states: [under_review, approved]\n"
        f"banners:\n  under_review: {quoted(field('BANNER'))}\n")
    files["site_config/disclaimers.yml"] = "".join(
        f"{key}: {quoted(field('DISCLAIMER-' + key))}\n" for key in ("general", *AUDIENCES))
    files["site_config/advisory_board.yml"] = (
        f"- name: {quoted(field('MEMBER'))}\n  credentials: {quoted(field('CREDENTIALS'))}\n"
        f"  role: {quoted(field('ROLE'))}\n")
    files["content/references.yml"] = f"""
        - id: testref_a
          kind: trial
          title: {quoted(field('REFTITLE'))}
          author: [{{family: {quoted(field('FAMILY'))}, given: AB}}, {{literal: {quoted(field('LITERAL'))}}}]
          container-title: {quoted(field('CONTAINER'))}
          publisher: {quoted(field('PUBLISHER'))}
          note: {quoted(field('NOTE'))}
          URL: "https://example.org/trial?q=%3Cscript%3E"
          issued: 2020
        """
    files["content/glossary.yml"] = f"""
        brace:
          term: {quoted(field('TERM'))}
          definition: {quoted(field('DEFINITION'))}
        """
    for order, audience in enumerate(AUDIENCES, 1):
        files[f"audiences/{audience}.yml"] = "\n".join([
            f"label: {quoted(field('LABEL-' + audience))}",
            f"description: {quoted(field('AUDDESC-' + audience))}",
            f"reading_grade_max: {8 if audience == 'patient' else 18}",
            f"disclaimer: {audience}", f"numbers: {'plain' if audience == 'patient' else 'exact'}",
            f"order: {order}",
            f"glossary_tooltips: {'false' if audience == 'physician' else 'true'}",
            f"schema_audience: {'Patient' if audience == 'patient' else 'Clinician'}",
            f"contact_line: {'true' if audience == 'patient' else 'false'}",
            ""]) + ("required_sections: [Questions to ask your care team]\n"
                                       if audience == "patient" else "")
    topic = topic_files("bracing", title="Brace", body="""
        ## Rest first

        Rest first, with a {{ term("brace", "belt") }} {{ cite("testref_a") }}.
        """)
    answer = quoted('See below. {{ cite("testref_a") }}')
    titles = "".join(f"  {a}: {{title: {quoted(field('TITLE-' + a))}, short_answer: {answer}}}\n"
                     for a in AUDIENCES)
    summaries = "".join(f"      {a}: {quoted(prose_field('CHANGE-' + a))}\n" for a in AUDIENCES)
    topic["content/topics/bracing/topic.yml"] = (
        f"question: {quoted(field('QUESTION'))}\ncategory: {quoted(field('CATEGORY'))}\n"
        "status: under_review\nnext_review: 2099-01-01\n"
        f"changes:\n  - date: 2025-01-01\n    summary: {quoted(prose_field('SUMMARY'))}\n"
        f"    summaries:\n{summaries}"
        f"references: [testref_a]\naudiences:\n{titles}")
    unsigned = topic_files("resting", title="Rest", body="""
        ## Rest first

        Rest first {{ cite("testref_a") }}.
        """, reviewers=(), extra=f"reviewers: [{quoted(field('MEMBER'))}]\n")  # checked: the banner
    return {**files, **topic, **unsigned}


class QuotedText(CoreSafeDumper):
    """Every text in double quotes, where YAML escapes (\\u003c) mean what they say."""


QuotedText.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style='"'))


def signed_off(root: Path) -> Path:
    """The topic signed off by the board member whose name and credentials hold the payloads.

    `approve` writes the name as typed, which the raw-HTML guard refuses; the record is written
    again with YAML escapes, as for every other field here."""
    from conftest import run_in_process

    result = run_in_process(root, "approve", "bracing", "--reviewer", field("MEMBER"),
                            "--date", "2025-02-01")
    assert result.code == 0, result.text
    path = root / "content/topics/bracing/signoffs.yml"
    records = yaml.load(path.read_text(encoding="utf-8"), Loader=CoreSafeLoader)
    text = yaml.dump(records, Dumper=QuotedText, allow_unicode=True, width=10_000)
    path.write_text(yaml_escapes(text), encoding="utf-8")
    return root


def build_payload_site(root: Path) -> Path:
    from conftest import run_in_process
    from projects import write_project

    signed_off(write_project(root, payload_project()))
    result = run_in_process(root, "build")
    assert result.code == 0, result.text
    return root / "site"


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_payload_site(tmp_path_factory.mktemp("escaping") / "project")


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def injected(tree: lxml_html.HtmlElement) -> list[str]:
    """Elements and attributes no payload may make: event handlers, inline script, svg, img x."""
    found = [f"<{el.tag} {name}=...>" for el in tree.iter() if isinstance(el.tag, str)
             for name in el.attrib if name.lower().startswith("on")]
    found += ["<svg>" for _ in tree.iter("svg") if "alert" in lxml_html.tostring(_, encoding="unicode")]
    found += ["<img src=x>" for img in tree.iter("img") if img.get("src") == "x"]
    for script in tree.iter("script"):  # the theme's own, and the JSON-LD that holds text
        if "alert" in (script.text or "") and script.get("type") != "application/ld+json":
            found.append(f"<script type={script.get('type')}>{script.text}</script>")
    found += [f'x="{el.get("x")}" on <{el.tag}>' for el in tree.iter()
              if isinstance(el.tag, str) and "x" in el.attrib]
    return found


def test_no_page_gets_an_element_or_attribute_from_a_field(payload_site):
    built = pages(payload_site)
    assert len(built) > 8
    found = {str(path.relative_to(payload_site)): injected(lxml_html.fromstring(path.read_bytes()))
             for path in built}
    assert {page: made for page, made in found.items() if made} == {}


def text_of(path: Path) -> str:
    return lxml_html.fromstring(path.read_bytes()).text_content()


@pytest.mark.parametrize("name, page", [
    ("SITE", "index.html"), ("LABEL-patient", "index.html"),
    ("AUDDESC-nurse", "index.html"), ("CATEGORY", "index.html"),
    ("TITLE-patient", "patient/index.html"), ("AUDDESC-patient", "patient/index.html"),
    ("TITLE-nurse", "nurse/bracing/index.html"), ("BANNER", "nurse/resting/index.html"),
    ("BOARD", "nurse/bracing/index.html"), ("CONTACT", "patient/bracing/index.html"),
    ("DISCLAIMER-physician", "physician/bracing/index.html"),
    ("LABEL-physician", "nurse/bracing/index.html"),
    ("REFTITLE", "nurse/bracing/index.html"), ("FAMILY", "nurse/bracing/index.html"),
    ("CONTAINER", "nurse/bracing/index.html"), ("NOTE", "nurse/bracing/index.html"),
    ("LITERAL", "nurse/bracing/index.html"),
    ("MEMBER", "nurse/bracing/index.html"), ("CREDENTIALS", "patient/bracing/index.html"),
    ("MEMBER", "advisory-board/index.html"), ("CREDENTIALS", "advisory-board/index.html"),
    ("ROLE", "advisory-board/index.html"), ("TERM", "glossary/index.html"),
    ("DEFINITION", "glossary/index.html"), ("DISCLAIMER-general", "glossary/index.html"),
    ("DISCLAIMER-general", "editorial-policy/index.html"),
    ("DISCLAIMER-general", "404.html"), ("SITE", "404.html"),
])
def test_each_field_shows_its_payloads_as_text(payload_site, name, page):
    assert field(name) in text_of(payload_site / page)


def test_titles_in_the_head_and_header_are_text(payload_site):
    tree = lxml_html.fromstring((payload_site / "nurse/bracing/index.html").read_bytes())
    assert tree.findtext(".//title") == f"{field('TITLE-nurse')} - {field('SITE')}"
    assert tree.xpath("string(//meta[@name='description']/@content)").startswith("See below.")
    logo = tree.xpath("//header//a[contains(@class, 'md-logo')]")[0]
    # no title: Material's header tooltips read it as HTML (templates/theme/partials/header.html)
    assert logo.get("title") is None and logo.get("aria-label") == field("SITE")
    assert tree.xpath("//header//*[@title]/@title") == ["Clear"]
    nav = " ".join(tree.xpath("//nav[contains(@class, 'md-nav--primary')]")[0].itertext())
    assert field("LABEL-patient") in " ".join(nav.split())
    home = lxml_html.fromstring((payload_site / "index.html").read_bytes())
    assert home.xpath("string(//meta[@name='description']/@content)") == field("DESCRIPTION")


def test_the_sitemap_lists_only_the_site_s_own_addresses(payload_site):
    from lxml import etree

    sitemap = etree.fromstring((payload_site / "sitemap.xml").read_bytes())
    locs = [loc.text for loc in sitemap.iter("{*}loc")]
    assert len(locs) > 8 and all(loc.startswith("https://test.example.org/") for loc in locs)


def test_a_tooltip_title_is_escaped_once_more_for_material(payload_site):
    """Material's tooltips add a [title]'s text to innerHTML (mkdocs_hooks.tooltip_title)."""
    tree = lxml_html.fromstring((payload_site / "patient/bracing/index.html").read_bytes())
    [title] = tree.xpath("//abbr[@data-term='brace']/@title")
    shown = lxml_html.fragment_fromstring(title, create_parent="div").text_content()
    assert shown == f"{field('TERM')}: {field('DEFINITION')}"


def test_json_ld_holds_the_fields_and_cannot_be_ended(payload_site):
    raw = (payload_site / "patient/bracing/index.html").read_text(encoding="utf-8")
    tree = lxml_html.fromstring(raw)
    [script] = tree.xpath("//script[@type='application/ld+json']")
    data = json.loads(script.text)
    assert data["name"] == field("TITLE-patient")
    assert data["about"]["name"] == field("QUESTION")
    assert data["publisher"]["name"] == field("ORG")
    assert data["reviewedBy"] == {"@type": "Person", "name": field("MEMBER"),
                                  "honorificSuffix": field("CREDENTIALS")}
    assert "</script><script>" not in script.text


def test_md_text_keeps_markdown_syntax_as_text():
    import markdown

    html = markdown.markdown(f"# {md_text(MARKDOWN)}\n\n- {md_text('1. not a list')}\n\n"
                             f"{md_text('--- ' + ALL)}",
                             extensions=["attr_list", "abbr", "md_in_html", "toc"])
    tree = lxml_html.fragment_fromstring(html, create_parent="div")
    assert [el.tag for el in tree.iter()] == ["div", "h1", "ul", "li", "p"]
    assert [el.text_content().strip() for el in tree] == [MARKDOWN, "1. not a list", "--- " + ALL]


def test_md_text_makes_one_line_and_keeps_markup():
    from markupsafe import Markup

    assert "\n" not in md_text("a\n\n# b\n<c>")
    assert md_text(Markup("<a href='mailto:x@y.z'>x@y.z</a>")) == "<a href='mailto:x@y.z'>x@y.z</a>"


def test_json_in_html_cannot_end_a_script_element():
    text = json_in_html({"name": "</script><script>alert(1)</script>&\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script>&\u2028"}


@pytest.mark.parametrize("file, line, text, code, message", [
    ("content/references.yml", 5, """
        - id: testref_a
          kind: trial
          title: A test trial
          issued: 2020
          URL: "javascript:alert(1)"
        """, "bad-url", "'URL': 'javascript:alert(1)' is not a web address; only http:// and "
                        "https:// addresses are allowed"),
    ("content/references.yml", 5, """
        - id: testref_a
          kind: trial
          title: A test trial
          issued: 2020
          URL: "data:text/html;base64,PHNjcmlwdD4="
        """, "bad-url", "'URL': 'data:text/html;base64,PHNjcmlwdD4=' is not a web address; only "
                        "http:// and https:// addresses are allowed"),
    ("content/references.yml", 5, """
        - id: testref_a
          kind: trial
          title: A test trial
          issued: 2020
          URL: "https://example.org/\\" onmouseover=\\"alert(1)"
        """, "bad-url", "'URL': 'https://example.org/\" onmouseover=\"alert(1)' is not a web "
                        "address; only http:// and https:// addresses are allowed"),
    ("site_config/site.yml", 5, """
        site_name: Test Library
        organisation: Test Library
        advisory_board: Test Board
        contact_line: Ask the team that treats you.
        site_url: "\\u006aavascript:alert(1)//"
        """, "bad-url", "'site_url': 'javascript:alert(1)//' is not a web address; only http:// "
                        "and https:// addresses are allowed"),
])
def test_a_url_field_takes_web_addresses_only(make_project, file, line, text, code, message):
    from conftest import run_in_process

    files = {**base_files(), **topic_files("bracing", title="Brace", body="""
        ## Rest first

        Rest first {{ cite("testref_a") }}.
        """), file: text}
    result = run_in_process(make_project(files), "check")
    assert result.code == 1
    assert f"{file}:{line}: error: {message} [{code}]" in result.text


@pytest.fixture(scope="module")
def payload_result(payload_site: Path):
    from build_tools.core.pipeline import generate

    result = generate(payload_site.parent, "preview")
    assert result.ok, [str(p) for p in result.problems]
    return result


def test_the_handout_html_holds_the_fields_as_text(payload_site, payload_result):
    from build_tools.core.pipeline import banners, content_epoch
    from build_tools.handouts.handout import HandoutPrinter

    library = payload_result.library
    shown = list(library.topics.values())
    printer = HandoutPrinter(payload_site.parent, library,
                             banners(library, shown, payload_result.reviews),
                             content_epoch(library), payload_result.reviews)
    for variant in payload_result.variants:
        tree = lxml_html.fromstring(printer.html(variant))
        assert injected(tree) == [], variant.path
        text = tree.text_content().replace("\xa0", " ")  # a block's last words are bound
        for name in ("SITE", "ORG", f"LABEL-{variant.audience.key}", "REFTITLE", "NOTE",
                     f"DISCLAIMER-{variant.audience.key}"):
            assert field(name) in text, (variant.path, name)
        assert tree.xpath("string(//meta[@name='author']/@content)") == field("ORG")
        if variant.topic.key == "bracing":
            assert field(f"TITLE-{variant.audience.key}") == tree.findtext(".//title")
            assert field("MEMBER") in text and field("CREDENTIALS") in text
        else:
            assert field("BANNER") in text


def test_the_review_view_holds_the_fields_as_text(payload_result):
    from build_tools.site.review_view import review_pages

    for rel, page in review_pages(payload_result).items():
        tree = lxml_html.fromstring(page)
        assert injected(tree) == [], rel
    bracing = lxml_html.fromstring(review_pages(payload_result)["_review/bracing/index.html"])
    assert field("QUESTION") in bracing.findtext(".//title")
    assert field("MEMBER") in bracing.text_content()


def test_no_markdown_page_of_the_preview_holds_markup_from_a_field(payload_result):
    """The preview shows drafts with the draft banner; every page's Markdown, rendered as the
    engine does, has no element or attribute from a field."""
    import markdown

    for page in payload_result.pages:
        html = markdown.markdown(page.text.split("---", 2)[-1],
                                 extensions=["attr_list", "md_in_html", "abbr", "toc", "tables"])
        tree = lxml_html.fragment_fromstring(html, create_parent="div")
        assert injected(tree) == [], page.path
        assert not tree.xpath("//script | //svg | //img"), page.path


def test_the_preview_s_draft_banner_is_text(make_project):
    import markdown

    from build_tools.core.pipeline import generate

    files = payload_project()
    files["site_config/policy.yml"] = (
        f"published_states: [approved]\ndraft_banner: {quoted(field('DRAFT'))}\n")
    result = generate(make_project(files), "preview")
    assert result.ok, [str(p) for p in result.problems]
    page = next(p for p in result.pages if p.path == "nurse/resting.md")
    html = markdown.markdown(page.text.split("---", 2)[-1], extensions=["attr_list", "md_in_html"])
    tree = lxml_html.fragment_fromstring(html, create_parent="div")
    assert injected(tree) == [] and not tree.xpath("//script | //svg | //img")
    assert field("DRAFT") in tree.text_content()


# What a page template may print without `| md`: finished markup (Markup from pages.py),
# names and numbers the build makes, and keys (they name files and anchors, and are checked
# as such when the content is read).
FINISHED = {"body", "short_answer", "warnings", "jsonld", "item", "summary"}
# made by the build from validated keys and codes (a translation's link to its English
# page: `href` from the topic and audience keys, `lang` a language code)
MADE = {"key", "slug", "status", "shown_status", "state", "anchor", "count", "n", "href", "lang"}
# fill, plural and members (core/base/strings.py) escape what they print as md does
SAFE_FILTERS = {"md", "yaml", "longdate", "mailto", "length", "fill", "plural", "members"}


def unescaped_prints(source: str) -> list[str]:
    """The `{{ … }}` of a page template that print a content field without `| md` or `| yaml`."""
    from jinja2 import nodes

    from build_tools.core.pages.pages import template_env

    def safe(node: nodes.Node) -> bool:
        if isinstance(node, (nodes.Const, nodes.Call)):
            return True
        if isinstance(node, nodes.CondExpr):
            return safe(node.expr1) and (node.expr2 is None or safe(node.expr2))
        if isinstance(node, nodes.Filter):
            if node.name == "join":
                inner = node.node
                return (isinstance(inner, nodes.Filter) and inner.name == "map"
                        and [a.value for a in inner.args if isinstance(a, nodes.Const)] == ["md"])
            return node.name in SAFE_FILTERS
        if isinstance(node, nodes.Name):
            return node.name in FINISHED | MADE
        if isinstance(node, nodes.Getattr):
            return node.attr in MADE
        return False

    tree = template_env(REPO).parse(source)
    return [f"line {child.lineno}: {child}" for output in tree.find_all(nodes.Output)
            for child in output.nodes
            if not isinstance(child, nodes.TemplateData) and not safe(child)]


REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("template", sorted(p.name for p in (REPO / "templates").glob("*.md.j2")))
def test_every_field_a_page_template_prints_is_escaped_for_markdown(template):
    source = (REPO / "templates" / template).read_text(encoding="utf-8")
    assert unescaped_prints(source) == []


def test_the_template_guard_sees_a_field_printed_as_it_is():
    assert unescaped_prints("# {{ variant.title }}\n{{ audience.label | md }}") == [
        "line 1: Getattr(node=Name(name='variant', ctx='load'), attr='title', ctx='load')"]


def test_markup_in_a_summary_is_refused_even_as_yaml_escapes(make_project):
    from conftest import run_in_process

    files = payload_project()
    text = files["content/topics/bracing/topic.yml"]
    escaped = quoted("CHANGE <img src=x onerror=alert(document)>")
    files["content/topics/bracing/topic.yml"] = text.replace(
        quoted(prose_field("SUMMARY")), escaped)
    result = run_in_process(make_project(files), "check")
    assert result.code == 1
    assert ("content/topics/bracing/topic.yml:7: error: the text contains an on...= event "
            "attribute, which runs code [unsafe-html]") in result.text
