"""A published site loads Material's stylesheet cut down to the rules its pages can use: what
a page or a script the pages load names stays, a component the site never shows goes."""
from __future__ import annotations

from pathlib import Path

import material
import pytest
import tinycss2

from build_tools.site.build import BuildOptions, build_site
from build_tools.site.css_trim import trim_stylesheet, words_in
from conftest import parse
from projects import small_project

MATERIAL_SHEETS = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
MAIN = next(MATERIAL_SHEETS.glob("main.*.min.css")).name
# A Material class no page of this site carries and no script of Material's adds; our script
# adds it below, as a site's own script would add a class it styles.
ADDED_BY_OUR_SCRIPT = "md-banner"


def classes_styled(css: str) -> set[str]:
    """Every class name a selector of the stylesheet mentions."""
    found: set[str] = set()

    def walk(tokens: list) -> None:
        previous = None
        for token in tokens:
            if token.type == "ident" and previous is not None and previous.type == "literal" \
                    and previous.value == ".":
                found.add(token.value)
            if getattr(token, "content", None) and token.type != "{} block":
                walk(token.content)
            previous = token

    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule":
            walk(rule.prelude)
        elif rule.type == "at-rule" and rule.content and rule.lower_at_keyword in ("media", "supports"):
            found |= classes_styled(tinycss2.serialize(rule.content))
    return found


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from projects import write_project

    root = write_project(tmp_path_factory.mktemp("trim") / "project", small_project())
    script = root / "templates" / "theme" / "assets" / "edu.js"
    script.write_text(script.read_text(encoding="utf-8")
                      + f'\ndocument.body.classList.toggle("{ADDED_BY_OUR_SCRIPT}", false);\n',
                      encoding="utf-8")
    build_site(root, root / "site", BuildOptions(handouts=False, jobs=1))
    return root / "site"


def test_the_published_sheet_keeps_what_pages_and_scripts_use_and_drops_the_rest(small_site):
    whole = (MATERIAL_SHEETS / MAIN).read_text(encoding="utf-8")
    trimmed = (small_site / "assets" / "stylesheets" / MAIN).read_text(encoding="utf-8")
    before, after = classes_styled(whole), classes_styled(trimmed)
    page = parse(small_site / "patient" / "bracing" / "index.html")
    on_page = {name for value in page.xpath("//@class") for name in value.split()}
    assert on_page & before <= after, sorted((on_page & before) - after)
    # Material's script marks the table of contents' entries the reader has scrolled past
    assert "md-nav__link--passed" not in on_page and "md-nav__link--passed" in after
    assert ADDED_BY_OUR_SCRIPT not in on_page and ADDED_BY_OUR_SCRIPT in after
    # components this site never shows: cookie consent, blog posts
    assert {"md-consent", "md-post"} <= before
    assert not {"md-consent", "md-post"} & after
    assert len(trimmed) < len(whole) * 3 // 4
    assert "sourceMappingURL" not in trimmed
    assert not (small_site / "assets" / "stylesheets" / f"{MAIN}.map").exists()


def test_print_styles_do_not_hold_up_the_first_paint(small_site):
    page = parse(small_site / "patient" / "bracing" / "index.html")
    blocking = [link.get("href") for link in page.xpath("//head/link[@rel='stylesheet']")
                if link.get("media") in (None, "all", "screen")]
    assert blocking and not [href for href in blocking if "print" in href]
    assert page.xpath("//link[@rel='stylesheet'][@media='print'][contains(@href, 'print.css')]")


@pytest.mark.parametrize(("css", "words", "kept"), [
    (".a .b{color:red}", {"a"}, ""),
    (".a .b{color:red}", {"a", "b"}, ".a .b{color:red}"),
    # a selector list keeps the selectors that can match
    (".a,.b,#c{color:red}", {"b", "c"}, ".b,#c{color:red}"),
    # what :not() names is never required: a missing class makes it true
    (".a:not(.gone) p{color:red}", {"a", "p"}, ".a:not(.gone) p{color:red}"),
    ("nav{color:red}", {"a"}, ""),
    # an attribute's exact value must occur, a prefix match's need not
    ("[data-x=indigo]{color:red}[data-x^=in]{color:blue}", {"data-x"},
     "[data-x^=in]{color:blue}"),
    ("@media screen{.a{color:red}.b{color:blue}}@media print{.b{color:red}}", {"a"},
     "@media screen{.a{color:red}}"),
    ("@font-face{font-family:x}@keyframes k{0%{opacity:0}}:root{--c:red}", set(),
     "@font-face{font-family:x}@keyframes k{0%{opacity:0}}:root{--c:red}"),
])
def test_trim_rule(css, words, kept):
    assert trim_stylesheet(css, frozenset(words)).css == kept


def test_words_are_whole_names():
    assert words_in(['el.classList.add("md-top--hidden")']) >= {"md-top--hidden", "classList"}
    assert "md-top" not in words_in(['el.classList.add("md-top--hidden")'])
