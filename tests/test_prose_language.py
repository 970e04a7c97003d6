"""The closed prose language: only the documented calls, every refusal at its line with the call
to use instead, finished markup out of every call, and a drift guard that reads numbers as a
reader does (³⁰⁰, ½, &#51;...), in prose, short answers, term() words and change summaries."""
from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import Markup

from build_tools.core.check.check import bare_numbers
from build_tools.core.facts.facts import FactBook, FactView
from build_tools.core.base.model import Fact, GlossaryEntry, Topic
from build_tools.core.pipeline import generate
from build_tools.core.render.render import Citer, Glossary, Literal, render_text
from conftest import run_in_process
from projects import base_files, english_words, topic_files

PAIN = Fact(key="pain_gain", label="Pain", value=300, unit="adults", refs=["a"], verified=False)


def names() -> dict[str, object]:
    facts = {"pain_gain": PAIN}
    return {"fact": FactBook(facts, "exact", english_words().facts), "cite": Citer(Topic.model_construct(references=["a"])),
            "term": Glossary({"vas": GlossaryEntry(term="VAS", definition="A pain score.")},
                             tooltips=True),
            "literal": Literal(facts)}


def render(source: str) -> tuple[str | None, list[str]]:
    """source on line 2 of p.md; the problems as an editor reads them."""
    problems: list = []
    rendered = render_text(f"first line\n{source}\n", "p.md", 1, names(), problems,
                           {"pain_gain": PAIN})
    return rendered, [str(p) for p in problems]


@pytest.mark.parametrize("source, message, fix", [
    ("{{ 150 * 2 }}", "prose may not calculate ('*') [prose-not-allowed]",
     "put the figure in facts.yml and insert it with {{ fact.KEY }}"),
    ("{{ fact.pain_gain.value + 1 }}", "prose may not calculate ('+') [prose-not-allowed]",
     "put the figure in facts.yml and insert it with {{ fact.KEY }}"),
    ('{{ "300" }}', 'prose may not print a constant ("300") [prose-not-allowed]',
     'use {{ literal("...") }} for a number that is not clinical, or {{ fact.KEY }}'),
    ("{{ 300 }}", "prose may not print a constant (300) [prose-not-allowed]",
     'use {{ literal("...") }} for a number that is not clinical, or {{ fact.KEY }}'),
    ('{{ "some words" }}', 'prose may not print a constant ("some words") [prose-not-allowed]',
     "write the text itself, outside {{ }}"),
    ('{{ "3" ~ "00" }}', "prose may not join texts with '~' [prose-not-allowed]",
     "write the text itself, and insert each figure with {{ fact.KEY }}"),
    ("{{ fact.pain_gain | upper }}", "prose may not use filters ('| upper') [prose-not-allowed]",
     "write the text itself; prose may not use filters"),
    ("{{ fact.pain_gain is defined }}", "prose may not use tests ('is defined') "
     "[prose-not-allowed]", "write the text itself; prose may not test values"),
    ('{{ "a" if fact else "b" }}', "prose may not choose between texts ('if ... else') "
     "[prose-not-allowed]", "write one text: each audience has its own file"),
    ("{% set n = 300 %}", "prose may not use {% set %} [prose-not-allowed]",
     "write the text itself; a figure belongs in facts.yml, inserted with {{ fact.KEY }}"),
    ('{% include "other.md" %}', "prose may not use {% include %} [prose-not-allowed]",
     "write the text here; prose may not use other files"),
    ("{% raw %}300{% endraw %}", "prose may not use {% raw %} [prose-not-allowed]",
     "write the text itself; between {{ }} prose may only insert a fact, a citation, a term "
     "or a literal"),
    ("{{ fact }}", "'fact' alone is not a complete call [prose-not-allowed]",
     "write {{ fact.KEY }}, {{ fact.KEY.value }}, {{ fact.KEY.exact }} or "
     '{{ fact.KEY.grade }}; a shared fact: {{ fact("source.key") }}'),
    ('{{ fact["pain_gain"] }}', "prose may not use [...] on 'fact' [prose-not-allowed]",
     "write {{ fact.KEY }}, {{ fact.KEY.value }}, {{ fact.KEY.exact }} or "
     '{{ fact.KEY.grade }}; a shared fact: {{ fact("source.key") }}'),
    ("{{ literal(911) }}", "literal() takes only text in quotes, as many as documented (not a "
     "number, a name or a calculation) [prose-not-allowed]",
     'write {{ literal("text") }}, the text in quotes'),
    ('{{ cite(key="a") }}', "cite() takes only text in quotes, as many as documented (not "
     "named or starred arguments) [prose-not-allowed]",
     'write {{ cite("key") }} or {{ cite("key1", "key2") }}'),
    ("{{ range(3) }}", "'range' is not a name prose can use [unknown-name]",
     "the names you can use are fact, cite, term, literal"),
])
def test_a_construct_outside_the_language_is_refused_with_the_call_to_use(source, message, fix):
    rendered, problems = render(source)
    assert rendered is None
    assert problems[0] == f"p.md:2: error: {message}\n    fix: {fix}"


@pytest.mark.parametrize("source, shown", [
    ("{{ fact.pain_gain.fact }}", "fact.pain_gain.fact"),
    ("{{ fact.pain_gain.fact.parse_file }}", "fact.pain_gain.fact.parse_file"),
    ("{{ fact.pain_gain.value.upper() }}", "fact.pain_gain.value.upper(...)"),
    ("{{ cite.numbers }}", "cite.numbers"),
    ("{{ term.entries }}", "term.entries"),
    ("{{ literal.facts }}", "literal.facts"),
])
def test_prose_cannot_reach_the_objects_behind_the_calls(source, shown):
    rendered, problems = render(source)
    name = shown.split(".")[0]
    assert rendered is None
    assert problems[0].startswith(
        f"p.md:2: error: unsafe template: '{shown}' reaches into the objects behind {name}, "
        "which prose may not do [unsafe-template]\n    fix: write")


def test_a_fact_gives_prose_finished_markup_and_no_model():
    view = FactBook({"pain_gain": PAIN}, "exact", english_words().facts)["pain_gain"]
    assert isinstance(view, FactView)
    assert not hasattr(view, "fact") and not hasattr(view, "__dict__")
    assert [name for name in dir(view) if not name.startswith("_")] == ["exact", "grade", "value"]
    assert all(isinstance(getattr(view, part), Markup) for part in ("exact", "value"))
    assert str(view).startswith('<span class="edu-fact" data-fact="pain_gain" '
                                'data-verified="false">300 adults <sup class="edu-unverified">')


def test_every_problem_in_a_file_is_reported_in_one_pass():
    source = "\n".join([
        "Fine text {{ fact.pain_gain }} {{ cite('a') }}.",   # line 2
        "{{ 150 * 2 }} and {{ fact.nothing }}",              # 3: two problems on one line
        "{% for i in range(2) %}",                           # 4
        "{{ i * 2 }}",                                       # 5: inside the refused loop
        "{% endfor %}",
        "{{ fact.pain_gain.fact }}",                         # 7
        "{{ term('vas', '300 adults') }}",                   # 8
    ])
    rendered, problems = render(source)
    assert rendered is None
    assert [p.split(" error: ")[0] + " " + p.split("[")[-1].split("]")[0] for p in problems] == [
        "p.md:3: prose-not-allowed", "p.md:4: prose-not-allowed", "p.md:5: unknown-name",
        "p.md:7: unsafe-template", "p.md:8: bare-number", "p.md:3: unknown-fact"]


def test_string_repetition_and_nested_loops_are_refused_without_running():
    """Rendering either would take hours or all memory; they are refused from the parse tree."""
    source = ('{{ "a" * 10**12 }}\n'
              "{% for a in range(10**9) %}{% for b in range(10**9) %}x{% endfor %}{% endfor %}")
    rendered, problems = render(source)
    assert rendered is None
    assert [p.split(": error")[0] for p in problems] == ["p.md:2", "p.md:3", "p.md:3"]


def test_internals_are_named_as_such():
    rendered, problems = render("{{ ''.__class__.__mro__ }}")
    assert problems == ["p.md:2: error: unsafe template: '__class__' reaches into Python's "
                        "internals, which prose may not do [unsafe-template]\n"
                        "    fix: use only fact, cite, term, literal, as docs/authoring.md shows"]


def test_the_allowed_calls_render_as_finished_markup():
    rendered, problems = render('{{ literal("SF-36") }} {{ literal("<b>") }} {{ cite("a") }} '
                                '{{ term("vas", "pain score") }} {{ fact.pain_gain.value }}')
    assert problems == []
    assert rendered is not None
    line = rendered.splitlines()[1]
    assert line.startswith('<span class="edu-literal">SF-36</span> '
                           '<span class="edu-literal">&lt;b&gt;</span> '
                           '<sup class="edu-cites">[<a class="edu-cite" href="#ref-a">1</a>]</sup> '
                           '<abbr class="edu-term" title="VAS: A pain score." data-term="vas">'
                           '<a href="../../glossary/#term-vas">pain score</a></abbr> '
                           '<span class="edu-fact" data-fact="pain_gain" data-verified="false">300')


@pytest.mark.parametrize("argument", ["300", "³⁰⁰", "３００"])
def test_a_literal_may_not_give_a_facts_value_in_any_digits(argument):
    _, problems = render(f'{{{{ literal("{argument}") }}}}')
    assert problems == [f'p.md:2: error: literal("{argument}") gives the value of fact '
                        "'pain_gain', a clinical figure [literal-is-a-fact]\n"
                        "    fix: insert it with {{ fact.pain_gain }}, so that it changes with "
                        "the fact"]


@pytest.mark.parametrize("words, shown", [("300 adults", "300"), ("³⁰⁰ adults", "³⁰⁰"),
                                          ("&#51;00 adults", "300"), ("half (½)", "½")])
def test_the_words_a_term_shows_may_hold_no_number(words, shown):
    _, problems = render(f'A {{{{ term("vas", "{words}") }}}} score.')
    assert problems[0].startswith(
        f"p.md:2: error: number '{shown}' typed into the words of term() instead of taken "
        "from the fact base [bare-number]\n    fix: keep numbers out of the shown words; ")
    if shown in ("300", "³⁰⁰"):
        assert problems[0].endswith("'pain_gain': insert it with {{ fact.pain_gain }}")


@pytest.mark.parametrize("line, shown", [
    ("About ³⁰⁰ adults.", "³⁰⁰"), ("Some ₃ here.", "₃"), ("About ½ of them.", "½"),
    ("Grade Ⅲ.", "Ⅲ"), ("About ３００.", "３００"), ("About ٣٠٠.", "٣٠٠"),
    ("About &#51;&#48;&#48; adults.", "300"), ("About &#x33;00.", "300"),
    ("Cubed &sup3;.", "³"), ("Half &frac12;.", "½"), ("Circled ③.", "③"),
    ("{{ cite('a') }} 2. not a list", "2"), ('{% raw %}{{ 300 }}{% endraw %}', "300"),
])
def test_the_drift_guard_reads_numbers_as_a_reader_does(line, shown):
    found = list(bare_numbers(f"Fine.\n\n{line}\n", "p.md"))
    assert [(p.line, p.code) for p in found] == [(3, "bare-number")]
    assert f"'{shown}'" in found[0].message


@pytest.mark.parametrize("line", ["1. A list item", "See [the page](page-2.md).",
                                  "{{ fact.pain_gain }} {# 300 in a comment #}",
                                  "## Risks {: #risks-2 }", "Sections II and IV."])
def test_what_a_reader_does_not_read_as_a_number_passes(line):
    assert list(bare_numbers(f"Fine.\n{line}\n", "p.md")) == []


def summary_project(make_project, changes: str) -> Path:
    files = {**base_files(), **topic_files(
        "bracing", title="Does a brace help", body='## Rest\n\nRest {{ cite("testref_a") }}.\n',
        facts="rest_weeks:\n  label: Weeks of rest\n  value: 6\n  unit: weeks\n"
              "  refs: [testref_a]\n  verified: false\n")}
    topic = "content/topics/bracing/topic.yml"
    files[topic] = files[topic].replace(
        "changes:\n  - {date: 2025-01-01, summary: First written.}\n", changes)
    return make_project(files)


def test_a_change_summary_is_checked_at_its_topic_yml_line(make_project):
    root = summary_project(make_project, (
        "changes:\n"
        "  - date: 2025-02-01\n"
        "    summary: Rest is now 6 weeks.\n"                                 # line 7
        "    summaries:\n"
        "      patient: We now say ³ weeks.\n"))                               # line 9
    assert [str(p) for p in generate(root, "publish").problems] == [
        "content/topics/bracing/topic.yml:7: error: number '6' typed into the prose instead of "
        "taken from the fact base [bare-number]\n"
        "    fix: '6' is the value of fact 'rest_weeks': insert it with {{ fact.rest_weeks }}",
        "content/topics/bracing/topic.yml:9: error: number '³' typed into the prose instead of "
        "taken from the fact base [bare-number]\n"
        "    fix: insert it with {{ fact.KEY }}; for a number that is not clinical (a phone "
        'number, a count) write {{ literal("...") }}',
    ]  # each once, by the first audience that shows it, not once per audience


def test_a_change_summary_is_in_the_prose_language(make_project):
    root = summary_project(make_project, (
        "changes:\n  - {date: 2025-01-01, summary: 'Written {{ 150 * 2 }} times.'}\n"))
    assert [str(p).split("\n")[0] for p in generate(root, "publish").problems] == [
        "content/topics/bracing/topic.yml:6: error: prose may not calculate ('*') "
        "[prose-not-allowed]"]


def test_a_summary_no_audience_shows_is_checked_too(make_project):
    root = summary_project(make_project, (
        "changes:\n"
        "  - date: 2025-02-01\n"
        "    summary: Typed 300 here.\n"                                      # line 7
        "    summaries: {patient: A, nurse: B, physician: C}\n"))
    result = generate(root, "publish")
    assert [(p.path, p.line, p.code) for p in result.problems] == [
        ("content/topics/bracing/topic.yml", 7, "bare-number")]


def test_a_change_summary_shows_facts_and_literals_as_the_prose_does(make_project):
    root = summary_project(make_project, (
        "changes:\n"
        "  - date: 2025-02-01\n"
        '    summary: Rest is now {{ fact.rest_weeks }}; {{ literal("2") }} references added.\n'))
    result = generate(root, "publish")
    assert result.ok, [str(p) for p in result.problems]
    page = next(p.text for p in result.pages if p.path == "physician/bracing.md")
    assert ('<li><strong>February 1, 2025:</strong> Rest is now <span class="edu-fact" '
            'data-fact="rest_weeks" data-verified="false">6 weeks <sup class="edu-unverified">'
            in page)
    assert '<span class="edu-literal">2</span> references added.</li>' in page
    assert 'id="edu-unverified-note"' in page  # the mark's note is on the page


@pytest.mark.parametrize("source, line", [
    ("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}", 2),
    ("{% if a %}\n" * 600 + "{% endif %}" * 600, 601),
])
def test_prose_nested_too_deeply_is_an_error_at_its_line_not_a_crash(source, line):
    rendered, problems = render(source)
    assert rendered is None
    assert problems == [f"p.md:{line}: error: the template nests too deeply to be read "
                        "[prose-not-allowed]\n    fix: write the text itself; between {{ }} "
                        "prose may only insert a fact, a citation, a term or a literal, which "
                        "nest nothing"]


def test_make_check_names_every_refusal_in_a_prose_file_at_its_line(make_project):
    body = "\n".join([
        "## Rest",                                                        # line 1
        "",
        'Rest {{ cite("testref_a") }} for {{ fact.rest_weeks }}.',        # 3: fine
        '{{ fact.rest_weeks.fact.parse_file("/etc/passwd") }}',           # 4
        "{{ fact.rest_weeks.fact.value }} and {{ cite.numbers }}",        # 5: two
        '{{ term("brace", "2 straps") }} {{ term.entries }}',             # 6: two
        "About ³⁰⁰ people, {{ 150 * 2 }} in all.",                        # 7
        ""])
    files = {**base_files(), **topic_files(
        "bracing", title="Does a brace help", body=body,
        facts="rest_weeks:\n  label: Weeks of rest\n  value: 6\n  unit: weeks\n"
              "  refs: [testref_a]\n  verified: false\n")}
    root = make_project(files)
    result = run_in_process(root, "check")
    assert result.code == 1 and "Traceback" not in result.text
    physician = "audiences/physician/bracing.md"
    found = [line.split(": error: ")[0] + " [" + line.rsplit("[", 1)[-1]
             for line in result.text.splitlines() if line.startswith(physician)]
    assert found == [f"{physician}:{n} [{code}" for n, code in [
        (4, "unsafe-template]"), (5, "unsafe-template]"), (5, "unsafe-template]"),
        (6, "bare-number]"), (6, "unsafe-template]"), (7, "prose-not-allowed]"),
        (7, "bare-number]")]]  # the drift guard reads a file that does not render, too
