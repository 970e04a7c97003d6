"""Every word a reader sees that is not content comes from site_config/strings/<language>.yml
(issue 19, item 4): no English is left in the page templates or in the code that writes pages,
a new language is one new file, and a wrong strings file is refused at its line."""
from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from jinja2 import Environment, nodes

from conftest import REPO, run_in_process
from projects import STRINGS, base_files, english_strings, topic_files

# The modules that write what readers read (pages, handouts, the review view). Editor-facing
# text in them (problems, hints, faults) is passed to EDITOR_CALLS and stays in code.
READER_MODULES = ("core/render/render.py", "core/facts/facts.py", "core/review/review.py", "core/pages/pages.py",
                  "core/facts/references.py", "core/pages/jsonld.py", "core/render/warning_render.py",
                  "core/check/check.py", "core/pages/listing.py", "handouts/handout.py",
                  "site/review_view.py")
EDITOR_CALLS = {"ContentError", "Problem", "ToolFault", "warning", "HandoutError", "ValueError",
                "PydanticCustomError", "Refusal"}
# Single capitalised words that are no reader's words: schema.org types and audience types in
# the pages' JSON-LD, which search engines read.
ALLOWED_WORDS = {"Thing", "Patient", "Clinician", "Organization", "Person"}
# Constants that read as words but are no reader's: editor-facing messages and hints put
# together before the call that reports them, the citation style's own "et al" (AMA prints
# it in every language), an XPath, a CSS rule (the handout's page number, whose words are the
# strings file's), and the command a reviewer types.
ALLOWED_TEXTS = {
    ("core/render/render.py", "template syntax error: \x00"),
    ("core/render/render.py", "keep numbers out of the shown words; "),
    ("core/facts/facts.py", "add the fact to the topic's facts.yml"),
    ("core/facts/facts.py", "define it in content/facts/\x00.yml"),
    ("core/review/review.py", "\n    (no change a reader sees)"),
    ("handouts/handout.py", "//body//*[self::p or self::li or self::h1 or self::h2 or self::h3"
                            " or self::dt or self::dd][not(@id='running-site' or "
                            "@id='running-disclaimer')]"),
    ("site/review_view.py", '<code id="approve">make approve TOPIC={} REVIEWER="NAME" '
                            'FINGERPRINT={}</code>'),
}
# What a template's own text may hold besides markup: front matter names and values, and
# Material's `hide:` options.
TEMPLATE_TOKENS = {"true", "navigation", "toc"}
READER_ATTRIBUTES = re.compile(r'\b(?:aria-label|alt|title|placeholder)="([^"\x00]*)"')
HOLE = "\x00"  # where a template prints or decides something, or an f-string a value
MARKUP = [re.compile(p, re.S | re.M) for p in (
    r"<(style|script)\b.*?</\1>", r"<!--.*?-->", r"<[^>]*>", r"<\w[^>]*$", r"&#?\w+;",
    r"\{:[^}]*\}")]
TEMPLATE_ONLY = [re.compile(p, re.S | re.M) for p in (
    r"\]\([^)]*\)", r"^\s*[\w-]+:", r"https?://\S+")]
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")


def without(text: str, patterns: list[re.Pattern[str]]) -> str:
    for pattern in patterns:
        text = pattern.sub(" ", text)
    return text


def template_words(source: str) -> list[str]:
    """The words of a template's own text (Jinja's lexer: outside {{ }}, {% %} and {# #}),
    markup, front matter names and link targets taken out; and of the attributes a reader
    hears or sees (aria-label, alt, title, placeholder)."""
    text = "".join(value if kind == "data" else HOLE
                   for _, kind, value in Environment().lex(source))
    words = [w for value in READER_ATTRIBUTES.findall(text) for w in WORD.findall(value)]
    return words + [w for w in WORD.findall(without(without(text, MARKUP), TEMPLATE_ONLY))
                    if w not in TEMPLATE_TOKENS]


def english_constant(text: str) -> bool:
    """A string constant that reads as words once markup and {placeholders} are taken out:
    two words in a row, a word with a space at the constant's end (" to ", "For: "), or one
    capitalised word ("Home")."""
    bare = without(re.sub(r"\{[^{}]*\}", "", text.replace(HOLE, "")), MARKUP)
    return bool(re.search(r"[A-Za-z]{2,}[ ,;:]+[A-Za-z]{2,}", bare)
                or re.search(r"^ +[A-Za-z]{2,}|[A-Za-z]{2,}[.,;:!?]? +$", bare)
                or re.fullmatch(r"[A-Z][a-z]{2,}", text) and text not in ALLOWED_WORDS)


def _skipped(tree: ast.AST) -> set[int]:
    """Docstrings, annotations and what is said to the editor (EDITOR_CALLS)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        parts: list[ast.AST | None] = []
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            parts += [node] if name in EDITOR_CALLS else []
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                parts.append(first.value)
        if isinstance(node, ast.FunctionDef):
            parts += [node.returns, *(a.annotation for a in node.args.args)]
        if isinstance(node, ast.AnnAssign):
            parts.append(node.annotation)
        skip.update(id(n) for part in parts if part is not None for n in ast.walk(part))
    return skip


def python_words(source: str, module: str = "") -> list[str]:
    """The string constants of a module that would put English on a page (an f-string read
    whole, its values as holes); a constant holding a template is read as a template."""
    tree = ast.parse(source)
    skip = _skipped(tree)
    inner = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
    found = []
    for node in ast.walk(tree):
        if id(node) in skip or id(node) in inner:
            continue
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else HOLE for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if (module, text) in ALLOWED_TEXTS:
            continue
        if "{{" in text or "{%" in text:
            found += template_words(text)
        elif english_constant(text):
            found.append(text)
    return found


TEMPLATES = sorted([*(p.name for p in (REPO / "templates").glob("*.j2")),
                    *(p.relative_to(REPO / "templates").as_posix()
                      for p in (REPO / "templates" / "theme").rglob("*.html"))])
SCRIPTS = sorted(p.name for p in (REPO / "templates" / "theme" / "assets").glob("*.js"))
JS_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'|`((?:[^`\\]|\\.)*)`')
JS_ALLOWED = {"use strict", "Escape", "Enter"}  # a directive and keys' names


def script_words(source: str) -> list[str]:
    """The string literals of a theme script that read as words (english_constant)."""
    source = re.sub(r"//[^\n]*|/\*.*?\*/", "", source, flags=re.S)
    literals = (next(g for g in m.groups() if g is not None) for m in JS_STRING.finditer(source))
    return [text for text in literals
            if text not in JS_ALLOWED and english_constant(re.sub(r"\$\{[^}]*\}", "", text))]


STYLESHEETS = sorted([*(p.relative_to(REPO / "templates").as_posix()
                       for p in (REPO / "templates" / "theme" / "assets").glob("*.css")),
                     *(p.name for p in (REPO / "templates").glob("*.css"))])
CSS_CONTENT = re.compile(r"(?<![\w-])content\s*:([^;}]*)")
CSS_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'')
CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)")


def stylesheet_words(source: str) -> list[str]:
    """The quoted texts of a stylesheet's `content:` values that hold a letter (CSS escapes
    read as the characters they stand for): words CSS would print, which the strings file
    cannot translate. attr(), counter() and string() take their text from the page."""
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    found = []
    for value in CSS_CONTENT.findall(source):
        for match in CSS_STRING.finditer(value):
            quoted = next(g for g in match.groups() if g is not None)
            text = CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1)
                                  else m.group(2), quoted)
            if any(c.isalpha() for c in text):
                found.append(text)
    return found


@pytest.mark.parametrize("stylesheet", STYLESHEETS)
def test_no_stylesheet_prints_words_of_its_own(stylesheet):
    source = (REPO / "templates" / stylesheet).read_text(encoding="utf-8")
    assert stylesheet_words(source) == []


@pytest.mark.parametrize("template", TEMPLATES)
def test_no_template_holds_words_of_its_own(template):
    source = (REPO / "templates" / template).read_text(encoding="utf-8")
    assert template_words(source) == []


@pytest.mark.parametrize("script", SCRIPTS)
def test_no_theme_script_holds_words_of_its_own(script):
    source = (REPO / "templates" / "theme" / "assets" / script).read_text(encoding="utf-8")
    assert script_words(source) == []


@pytest.mark.parametrize("module", READER_MODULES)
def test_no_module_that_writes_pages_holds_english(module):
    source = (REPO / "build_tools" / module).read_text(encoding="utf-8")
    assert python_words(source, module) == []


def test_the_guards_see_english_where_it_is_left():
    assert template_words('# {{ title }}\n\n<p class="x">Read more</p> {{ "Ok" }}') == [
        "Read", "more"]
    assert template_words('<img alt="Scan this">\n---\ntitle: {{ t | yaml }}\n') == [
        "Scan", "this"]
    assert python_words('LABELS = {"approved": "Approved", "x": "Under review"}\n') == [
        "Approved", "Under review"]
    assert python_words('def f(n):\n    return f"about {n}" + " to "\n') == [
        f"about {HOLE}", " to "]
    assert python_words('PAGE = "<h1>{{ a }}</h1><p>Signed off</p>"\n') == ["Signed", "off"]
    assert script_words('meta.append(" Did you mean ", b, "?"); x = `For: ${a}`;') == [
        " Did you mean ", "For: ${a}"]
    assert stylesheet_words('a::before { content: "Written for: "; }\n'
                            '/* content: "a comment" */ b { content: "\\2192\\00a0" / ""; }\n'
                            '@page { @top-right { content: "page " counter(page); } }\n'
                            "c::after { content: '\\59 ou'; } d { content: attr(data-x); }") == [
        "Written for: ", "page ", "You"]
    assert python_words('raise ContentError("no-grade", "fact has no grade", "add one")\n'
                        'CLASS = "edu-fact"\nTYPE = "Patient"\n') == []


def test_every_allowed_text_is_still_there():
    """An entry of ALLOWED_TEXTS the code no longer has would let the same words back in."""
    for module, text in ALLOWED_TEXTS:
        source = (REPO / "build_tools" / module).read_text(encoding="utf-8")
        tree = ast.parse(source)
        texts = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)} | {
            "".join(v.value if isinstance(v, ast.Constant) else HOLE for v in n.values)
            for n in ast.walk(tree) if isinstance(n, ast.JoinedStr)}
        assert text in texts, (module, text)


def other_language(text: str) -> str:
    """en.yml in capitals, its placeholders kept: every word on a page that comes from the
    strings file shows up in capitals."""
    def upper(value: object) -> object:
        if isinstance(value, dict):
            return {k: upper(v) for k, v in value.items()}
        if not isinstance(value, str):
            return value
        return re.sub(r"(\{[^{}]*\})|([^{}]+)", lambda m: m.group(1) or m.group(2).upper(), value)

    data = upper(yaml.safe_load(text))
    assert isinstance(data, dict)
    data["dates"] = {"long": "d. MMMM y"}
    data["facts"].update(decimal_mark=",", thousands_separator=".")
    return yaml.safe_dump(data, allow_unicode=True)


def english_texts() -> set[str]:
    """The runs of two or more words of en.yml's texts (placeholders split them)."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, str):
            found.update(part.strip() for part in re.split(r"\{[^{}]*\}", value)
                         if len(WORD.findall(part)) >= 2)
    walk(yaml.safe_load(english_strings()))
    return found


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, check=True,
                          capture_output=True).stdout.decode("utf-8")


GERMAN_SITE = """
    site_name: Test Library
    organisation: Test Library
    advisory_board: Test Board
    contact_line: Ask the team that treats you.
    site_url: https://test.example.org/
    language: de
    """
FACTS = """
    rest_days:
      label: Days of rest
      value: 2.6
      unit: days
      refs: [testref_a]
      verified: false
    """


def test_a_new_language_is_a_strings_file_and_no_code(make_project):
    from build_tools.core.pipeline import generate
    from build_tools.handouts.handout import HandoutPrinter, render_pdf
    from build_tools.core.base.wording import Wording
    from build_tools.site.review_view import review_pages

    files = {**base_files(), **topic_files("bracing", title="Does a brace help", facts=FACTS,
                                           body='## Rest\n\nRest {{ fact.rest_days }} first '
                                                '{{ cite("testref_a") }}.\n')}
    files["site_config/site.yml"] = GERMAN_SITE
    # the policy's banner is content, and in the site's language too
    files["site_config/policy.yml"] = ("published_states: [under_review, approved]\n"
                                       "banners: {under_review: IN PRÜFUNG}\n")
    files["site_config/strings/de.yml"] = other_language(files.pop(STRINGS))
    root = make_project(files)
    result = generate(root, "publish")
    assert result.ok, [str(p) for p in result.problems]
    assert result.library is not None
    pages = {page.path: page.text for page in result.pages}
    patient = pages["patient/bracing.md"]
    for words in ("**SHORT ANSWER:**", "## WHAT CHANGED", "1. Januar 2025", "NOT YET CHECKED",
                  "ABOUT 3 days", "UNDER REVIEW", "**PLEASE NOTE:**", "## REFERENCES", "TRIAL"):
        assert words in patient, words
    # the final check of the built pages tells these dates from typed numbers
    dates = Wording(result.library.site.strings, "de").dates()
    assert dates.findall(patient) == ["1. Januar 2025"] * 2
    assert "2,6 days" in pages["nurse/bracing.md"]
    printer = HandoutPrinter(root, result.library, {}, 0, result.reviews)
    shown = {**pages, **review_pages(result),
             **{f"handout/{v.path}": printer.html(v) for v in result.variants},
             "nav": str(result.nav)}
    # the handout binds a block's last words in a span (handouts/typesetting.py): read its text
    handout_text = re.sub(r"<[^>]+>", "", shown["handout/patient/bracing.md"]).replace("\xa0", " ")
    assert "HANDOUT FOR: Patient" in handout_text
    # the words stylesheets print come from the page: the label of a printed topic page, the
    # home page's card of a returning reader, and each handout page's number
    assert '<strong data-edu-written-for="WRITTEN FOR:">' in patient
    assert 'data-edu-last-choice="YOUR LAST CHOICE"' in pages["index.md"]
    handout_pdf = render_pdf(shown["handout/patient/bracing.md"], printer.css)
    first_page = pdf_text(handout_pdf).split("\f")[0]
    assert re.search(r"\bPAGE 1 OF \d\b", first_page), first_page
    assert "'HOME'" in shown["nav"] and "'GLOSSARY'" in shown["nav"]
    left = {(path, text) for path, page in shown.items() for text in english_texts()
            if text in page}
    assert left == set()


def test_a_strings_file_is_refused_at_the_line_of_its_mistake(make_project):
    files = base_files()
    text = english_strings()
    text = text.replace('  about: "about {number}"', '  about: "about {numbr}"')
    text = text.replace("  details: Details\n", "  details: Details\n  detials: Details\n")
    text = text.replace("    trial: Trial\n", "")
    text = text.replace('  page_of: "page {page} of {pages}"', '  page_of: "{pages} pages: {page}"')
    files[STRINGS] = text
    lines = text.splitlines()
    result = run_in_process(make_project({**files, **topic_files(
        "bracing", title="Does a brace help", body='## Rest\n\nRest {{ cite("testref_a") }}.\n')}),
        "check")
    assert result.code == 1
    about = lines.index('  about: "about {numbr}"') + 1
    extra = lines.index("  detials: Details") + 1
    kinds = lines.index("  kinds:") + 1
    pages = lines.index('  page_of: "{pages} pages: {page}"') + 1
    assert (f"{STRINGS}:{about}: error: 'facts.about': 'about {{numbr}}' must use exactly "
            "{number} [bad-placeholder]") in result.text
    assert f"{STRINGS}:{extra}: error: unknown field 'review.detials'" in result.text
    assert (f"{STRINGS}:{kinds}: error: 'references.kinds' has no words for: trial "
            "[missing-field]") in result.text
    # the handout's stylesheet prints the page number first
    assert (f"{STRINGS}:{pages}: error: 'handout.page_of': '{{pages}} pages: {{page}}' must use "
            "{page} once and then {pages} once [bad-placeholder]") in result.text


def test_a_language_without_a_strings_file_is_refused_at_its_setting(make_project):
    files = base_files()
    files["site_config/site.yml"] = GERMAN_SITE
    result = run_in_process(make_project(files), "check")
    assert result.code == 1
    assert ("site_config/site.yml:6: error: there is no strings file for language 'de' "
            "(site_config/strings/de.yml) [no-strings-file]") in result.text
    assert "fix: copy site_config/strings/en.yml to site_config/strings/de.yml" in result.text
