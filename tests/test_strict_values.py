"""Strict values: YAML means what YAML 1.2 says, and nothing ambiguous, unbounded or hostile
gets past load and validate without a `path:line: error` and a fix an editor can act on.

Most tests build a small project from inline files and run only the core (pipeline.generate),
as `make check` does; the messages asserted are the exact lines an editor reads.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from build_tools.core.read.load import parse_yaml
from build_tools.core.pipeline import Result, generate
from conftest import run_in_process
from projects import base_files, topic_files

FACTS = "content/topics/bracing/facts.yml"
TOPIC = "content/topics/bracing/topic.yml"
REFS = "content/references.yml"
PATIENT = "audiences/patient/bracing.md"
BODY = """
    ## Wearing it

    Wear it for {{ fact.brace_weeks }} {{ cite("testref_a") }}.
    """
ALIAS_FIX = ("write the value out in full where it is used: anchors (&name) and aliases (*name) "
             "are not allowed, since a few lines of them can stand for billions of values")
KEY_FIX = ("write the key as a name (put it in quotes if it is a number, such as '2024':), or "
           "check the indentation and the `- ` of the lines above")
BIG_FIX = ("check the number; give large amounts in a bigger unit (`unit: million EUR`), or "
           "quote the value if it is text")


def fact_file(value: str, extra: str = "") -> str:
    """One fact whose value, on line 3, is typed exactly as given."""
    return (f"brace_weeks:\n  label: Weeks in a brace\n  value: {value}\n  unit: weeks\n"
            f"  refs: [testref_a]\n  verified: true\n{extra}")


def files_with(value: str = "3", **changed: str) -> dict[str, str]:
    files = {**base_files(), **topic_files("bracing", title="Does a brace help", body=BODY,
                                           facts=fact_file(value))}
    return {**files, **changed}


def core(root: Path) -> Result:
    return generate(root, "publish")


def messages(root: Path) -> list[str]:
    """Every problem as the editor reads it: `path:line: error: ... [code]` and its fix line."""
    return [str(p) for p in core(root).problems]


def shown(root: Path, audience: str = "nurse") -> str:
    """The rendered Markdown of the bracing topic for one audience."""
    result = core(root)
    assert result.ok, [str(p) for p in result.problems]
    return next(v.body for v in result.variants if v.audience.key == audience)


def error(path: str, line: int | None, message: str, code: str, fix: str) -> str:
    where = f"{path}:{line}" if line else path
    return f"{where}: error: {message} [{code}]\n    fix: {fix}"


# --- YAML 1.2 core meaning -------------------------------------------------------------------

@pytest.mark.parametrize("typed, meaning", [
    ("yes", "yes"), ("no", "no"), ("on", "on"), ("off", "off"), ("Yes", "Yes"), ("y", "y"),
    ("1:30", "1:30"), ("2027-10-15", "2027-10-15"), ("1_000", "1_000"),
    ("~", None), ("null", None), ("NULL", None), ("", None),
    ("true", True), ("FALSE", False), ("False", False),
    ("10", 10), ("-3", -3), ("+5", 5), ("0", 0), ("2.50", 2.5), (".5", 0.5), ("1e3", 1000.0),
    ('"010"', "010"), ("'.nan'", ".nan"),
])
def test_a_plain_value_means_what_yaml_1_2_says(typed: str, meaning: object):
    doc, problems = parse_yaml(f"a: {typed}\n", "x.yml")
    assert problems == [] and doc is not None
    assert doc.data == {"a": meaning} and type(doc.data["a"]) is type(meaning)


def test_yes_and_a_clock_time_reach_the_page_as_typed(make_project):
    root = make_project(files_with("1:30"))
    assert 'data-fact="brace_weeks" data-verified="true">1:30 weeks</span>' in shown(root)
    root = make_project(files_with("off"))
    assert ">off weeks</span>" in shown(root)


def test_dates_arrive_as_text_and_still_validate(make_project):
    root = make_project(files_with())
    result = core(root)
    topic = result.library.topics["bracing"] if result.library else None
    assert result.ok and topic is not None
    assert str(topic.next_review) == "2099-01-01" and str(topic.changes[0].date) == "2025-01-01"


def test_a_date_typed_as_a_number_is_not_read_as_seconds_since_1970(make_project):
    root = make_project(files_with(**{TOPIC: topic_files(
        "bracing", title="Does a brace help", body=BODY)[TOPIC].replace(
            "next_review: 2099-01-01", "next_review: 20990101")}))
    assert error(TOPIC, 4, "'next_review': 20990101 is not a date (not in the form YYYY-MM-DD)",
                 "bad-date", "write the date as YYYY-MM-DD, for example 2025-10-15"
                 ) in messages(root)


# --- numbers YAML tools disagree on, or no page can show ------------------------------------------

@pytest.mark.parametrize("typed, message, code, fix", [
    ("010", "the number '010' starts with 0", "ambiguous-number",
     "YAML 1.1 tools read this as 8; write 10, or quote it if it is a code"),
    ("09", "the number '09' starts with 0", "ambiguous-number",
     "YAML 1.1 tools read this as text; write 9, or quote it if it is a code"),
    ("0o17", "'0o17' is an octal number", "ambiguous-number",
     "YAML tools disagree on this form; write 15, or quote it if it is a code"),
    ("0x1F", "'0x1F' is a hexadecimal number", "ambiguous-number",
     "YAML tools disagree on this form; write 31, or quote it if it is a code"),
    (".inf", "'.inf' is not a finite number", "bad-number",
     "write a number, or put the value in quotes if it is text"),
    ("-.Inf", "'-.Inf' is not a finite number", "bad-number",
     "write a number, or put the value in quotes if it is text"),
    (".nan", "'.nan' is not a finite number", "bad-number",
     "write a number, or put the value in quotes if it is text"),
    ("1e30", "the number '1e30' is larger than this site shows (at most 1,000,000,000 either way)",
     "bad-number", BIG_FIX),
    ("-2000000000", "the number '-2000000000' is larger than this site shows (at most "
     "1,000,000,000 either way)", "bad-number", BIG_FIX),
])
def test_a_number_is_refused_at_its_line_never_re_valued(make_project, typed: str, message: str,
                                                        code: str, fix: str):
    root = make_project(files_with(typed))
    # the one problem of that line: validate does not repeat it as a wrong type
    assert [m for m in messages(root) if m.startswith(f"{FACTS}:3:")] == [
        error(FACTS, 3, message, code, fix)]


def test_a_number_in_a_range_is_refused_at_its_line(make_project):
    root = make_project(files_with("\n    min: 3\n    max: 012"))
    assert error(FACTS, 5, "the number '012' starts with 0", "ambiguous-number",
                 "YAML 1.1 tools read this as 10; write 12, or quote it if it is a code"
                 ) in messages(root)


def test_a_quoted_nan_in_a_range_is_not_a_number_a_page_can_show(make_project):
    root = make_project(files_with('{min: 3, max: "nan"}'))
    assert error(FACTS, 3, "'value.max': nan is not a number a page can show (at most "
                 "1,000,000,000 either way)", "bad-number",
                 "check the number; give large amounts in a bigger unit") in messages(root)


def test_a_range_with_min_above_max_is_refused_at_the_range(make_project):
    root = make_project(files_with("{min: 5, max: -5}"))
    assert messages(root) == [error(
        FACTS, 3, "'value': the range's min (5) is larger than its max (-5)", "bad-range",
        "write the smaller number as min, and check both against the source")]


# --- decimals print as typed ------------------------------------------------------------------

@pytest.mark.parametrize("typed, printed", [
    ("2.50", "2.50 weeks"), ("26.0", "26.0 weeks"), ("3", "3 weeks"), ("2463", "2,463 weeks"),
    ("{min: 2.5, max: 4.0}", "2.5\u20134.0 weeks"), ("{min: 3, max: 4.25}", "3.00\u20134.25 weeks"),
    ("{min: 3, max: 4}", "3\u20134 weeks"), ("1234.567", "1,234.567 weeks"),
])
def test_a_fact_prints_the_decimals_it_was_typed_with(make_project, typed: str, printed: str):
    assert f'data-verified="true">{printed}</span>' in shown(make_project(files_with(typed)))


def test_decimals_given_in_the_fact_win_over_the_typed_ones(make_project):
    facts = fact_file("2.50").replace("  unit: weeks\n", "  unit: weeks\n  decimals: 1\n")
    root = make_project(files_with(**{FACTS: facts}))
    assert '">2.5 weeks</span>' in shown(root)


def test_more_decimals_than_a_page_shows_are_refused(make_project):
    root = make_project(files_with("0.1234567"))
    assert messages(root) == [error(
        FACTS, 3, "'brace_weeks.value' is typed with 7 digits after the point; a page shows at "
        "most 6", "invalid-value", "round the value to the digits the source reports")]


# --- tags, anchors, aliases, keys, depth ----------------------------------------------------------

@pytest.mark.parametrize("tag", ["!!timestamp", "!!binary", "!!str", "!!python/object/apply:os.system",
                                 "!foo"])
def test_an_explicit_tag_is_refused(make_project, tag: str):
    root = make_project(files_with(**{TOPIC: topic_files(
        "bracing", title="Does a brace help", body=BODY)[TOPIC].replace(
            "next_review: 2099-01-01", f"next_review: {tag} 2099-01-01")}))
    assert [m for m in messages(root) if m.startswith(f"{TOPIC}:4:")] == [error(
        TOPIC, 4, f"the YAML tag {tag} is not allowed", "yaml-tag",
        f"write a plain value: delete {tag}, and put the value in quotes if it is text")]


def test_anchors_and_aliases_are_refused_without_expanding_them():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]"
              for i in range(8)]
    lines.append("z: [" + ", ".join(["*i"] * 9) + "]")  # 9**10 x's, were the aliases expanded
    doc, problems = parse_yaml("\n".join(lines) + "\n", "bomb.yml")
    assert doc is not None and doc.data["z"] == [None] * 9
    assert str(problems[0]) == error("bomb.yml", 1, "the YAML anchor &a is not allowed",
                                     "yaml-alias", ALIAS_FIX)
    assert str(problems[-1]) == error("bomb.yml", 10, "the YAML alias *i is not allowed",
                                      "yaml-alias", ALIAS_FIX)
    assert len(problems) == 10  # one per line, not one per alias


def test_an_alias_in_a_project_file_is_refused_at_its_line(make_project):
    facts = fact_file("&weeks 3") + fact_file("*weeks").replace("brace_weeks", "cast_weeks")
    root = make_project(files_with(**{FACTS: facts}))
    found = messages(root)
    assert error(FACTS, 3, "the YAML anchor &weeks is not allowed", "yaml-alias", ALIAS_FIX) in found
    assert error(FACTS, 9, "the YAML alias *weeks is not allowed", "yaml-alias", ALIAS_FIX) in found


@pytest.mark.parametrize("key, message", [
    ("1", "the key '1' is a number, not text"),
    ("true", "the key 'true' is true or false, not text"),
    ("~", "the key '~' means nothing (null)"),
    ("[a, b]", "a key is a list, not text"),
    ("{a: 1}", "a key is a mapping, not text"),
])
def test_a_mapping_key_that_is_not_text_is_refused(make_project, key: str, message: str):
    root = make_project(files_with(**{FACTS: fact_file("3") + f"{key}: {{label: x}}\n"}))
    assert messages(root) == [error(FACTS, 7, f"{message}: a mapping key must be a name",
                                    "yaml-key", KEY_FIX)]


@pytest.mark.parametrize("depth", [21, 100_000])
def test_deep_nesting_is_refused_without_a_recursion_error(make_project, depth: int):
    files = files_with()
    root = make_project({**files, TOPIC: files[TOPIC] + "notes: " + "[" * depth + "\n"})
    assert [m for m in messages(root) if TOPIC in m] == [error(
        TOPIC, files[TOPIC].count("\n") + 1, "the YAML is nested more than 20 levels deep",
        "yaml-depth",
        "no file of this project needs more than a few levels: check for brackets [ { that are "
        "not closed, or indentation that runs away")]


def test_twenty_levels_are_still_read():
    doc, problems = parse_yaml("a: " + "[" * 19 + "]" * 19 + "\n", "x.yml")
    assert problems == [] and doc is not None


def test_a_second_document_is_refused():
    doc, problems = parse_yaml("a: 1\n---\nb: 2\n", "x.yml")
    assert doc is None and [str(p) for p in problems] == [error(
        "x.yml", 2, "YAML syntax error: expected a single document in the stream, but found "
        "another document", "yaml-syntax",
        "delete the `---` line and what follows it, or move it to its own file")]


# --- control characters, in YAML comments and prose ------------------------------------------------

CONTROL_FIX = ("delete it (comments too): such characters come with text pasted from PDFs or "
               "word processors, and some editors show them as a space or nothing")


@pytest.mark.parametrize("character", ["\x07", "\x00", "\x1b", "\x7f", "\x85", "\x9f", "\ufffe"])
def test_a_control_character_in_a_yaml_comment_is_refused_with_line_and_column(
        make_project, character: str):
    files = files_with()
    root = make_project({**files, FACTS: files[FACTS] + f"# pasted{character} from a PDF\n"})
    assert messages(root) == [error(
        FACTS, 7, f"the file holds an invisible control character (U+{ord(character):04X}) at "
        "column 9", "control-character", CONTROL_FIX)]


def test_a_control_character_in_prose_is_refused_and_counted(make_project):
    files = files_with()
    prose = files[PATIENT].replace("Wear it", "Wear\x0b it\x0c")
    root = make_project({**files, PATIENT: prose})
    assert error(PATIENT, 3, "the file holds an invisible control character (U+000B) at column 5, "
                 "and 1 more after it", "control-character", CONTROL_FIX) in messages(root)


def test_tabs_and_windows_line_ends_are_not_control_characters(make_project):
    files = files_with()
    root = make_project({**files, PATIENT: files[PATIENT].replace("Wear it", "Wear\tit")})
    (root / FACTS).write_bytes((root / FACTS).read_bytes().replace(b"\n", b"\r\n"))
    assert core(root).ok


# --- references, topic folders, templates -------------------------------------------------------

@pytest.mark.parametrize("issued", ["{date-parts: []}", "{date-parts: [[]]}", "{date-parts: [7]}"])
def test_empty_date_parts_are_refused(make_project, issued: str):
    files = files_with()
    root = make_project({**files, REFS: files[REFS].replace("issued: 2020", f"issued: {issued}")})
    assert error(REFS, 4, "'issued': date-parts holds no year", "invalid-value",
                 "write the year, as `issued: 2010` or `issued: {date-parts: [[2010]]}`"
                 ) in messages(root)


@pytest.mark.parametrize("issued", ["2020", "2020-08-11", '"2020"', "{date-parts: [[2020, 8]]}"])
def test_an_issued_year_in_the_forms_csl_exports_use(make_project, issued: str):
    files = files_with()
    root = make_project({**files, REFS: files[REFS].replace("issued: 2020", f"issued: {issued}")})
    result = core(root)
    assert result.ok and result.library and result.library.references["testref_a"].issued == 2020


@pytest.mark.parametrize("name", ['brace"s', "Bracing", "brace care", ".hidden"])
def test_a_topic_folder_name_that_cannot_be_a_key_is_refused(make_project, name: str):
    files = files_with()
    renamed = {path.replace("bracing", name): text for path, text in files.items()}
    root = make_project(renamed)
    assert error(f"content/topics/{name}", None,
                 f"the topic folder name '{name}' cannot be a topic's key and web address",
                 "bad-topic-name", "rename the folder with lower-case letters, digits, - and _ "
                 "only, such as content/topics/back-pain (and its audiences/<audience>/<topic>.md "
                 "files)") in messages(root)


def test_a_page_template_that_is_not_utf8_is_refused(make_project):
    root = make_project(files_with())
    template = root / "templates" / "topic.md.j2"
    template.write_bytes(b"{# Caf\xe9 #}\n" + template.read_bytes())
    assert messages(root) == [error("templates/topic.md.j2", 1,
                                    "the template is not UTF-8 text (byte 6)",
                                    "template-unreadable", "save the file with UTF-8 encoding")]


def test_a_template_path_that_is_a_folder_is_refused(make_project):
    root = make_project(files_with())
    template = root / "templates" / "topic.md.j2"
    template.unlink()
    template.mkdir()
    run = run_in_process(root, "check")
    assert run.code == 1 and "Traceback" not in run.text
    assert error("templates/topic.md.j2", None, "the template is a folder, not a file",
                 "template-unreadable", "move the folder's files elsewhere and put the template "
                 "file back in its place") in run.text


# --- links that leave their source folder ---------------------------------------------------------

def test_a_theme_link_to_git_config_is_refused(make_project):
    root = make_project(files_with())
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[remote]\n", encoding="utf-8")
    link = root / "templates" / "theme" / "assets" / "notes.txt"
    link.symlink_to(root / ".git" / "config")
    assert messages(root) == [error(
        "templates/theme/assets/notes.txt", None, "the link leads out of templates/ (to .git/config)",
        "link-leaves-folder", "replace the link with a real file inside templates/; a link may "
        "only lead to another file of the same folder, never into a hidden folder")]


def test_a_content_link_into_another_source_folder_is_refused(make_project):
    root = make_project(files_with())
    link = root / "content" / "glossary.yml"
    link.unlink()
    link.symlink_to(Path(os.path.relpath(root / "site_config" / "site.yml", link.parent)))
    assert error("content/glossary.yml", None,
                 "the link leads out of content/ (to site_config/site.yml)", "link-leaves-folder",
                 "replace the link with a real file inside content/; a link may only lead to "
                 "another file of the same folder, never into a hidden folder") in messages(root)


def test_a_link_within_its_own_folder_is_allowed(make_project):
    root = make_project(files_with())
    (root / "templates" / "theme" / "assets" / "copy.css").symlink_to("edu.css")
    assert core(root).ok


# --- sign-offs read back as they were written ------------------------------------------------------

def test_a_sign_off_of_text_that_looks_like_a_number_still_matches_its_fingerprint(make_project):
    """`make approve` writes the snapshot; a text value such as '1e3' must read back as text,
    or the topic would count as edited by hand."""
    from build_tools.approve import approve

    facts = fact_file('"1e3"') + fact_file('"0o17"').replace("brace_weeks", "cast_weeks")
    board = "- name: Test Reviewer\n  credentials: MD\n  role: test fixture, not a real person\n"
    root = make_project(files_with(**{FACTS: facts, "site_config/advisory_board.yml": board}))
    approve(root, "bracing", "Test Reviewer", today=None)
    result = core(root)
    assert result.ok, [str(p) for p in result.problems]
    assert result.reviews["bracing"].state == "approved"


# --- files whose shape would otherwise drop content silently ----------------------------------------

def test_an_audience_file_name_that_cannot_be_a_key_is_refused(make_project):
    files = files_with()
    renamed = {path.replace("audiences/nurse", 'audiences/nu"rse'): text
               for path, text in files.items()}
    assert error('audiences/nu"rse.yml', None, "the file name 'nu\"rse' cannot be an audience's "
                 "key and web address", "bad-audience-name", "rename it with lower-case letters, "
                 "digits, - and _ only, such as audiences/carer.yml (and its folder of prose with "
                 "it)") in messages(make_project(renamed))


def test_a_facts_file_that_is_a_list_is_refused_not_dropped(make_project):
    root = make_project(files_with(**{FACTS: "- brace_weeks\n"}))
    assert messages(root) == [error(
        FACTS, 1, "facts.yml holds `key: {label: ..., ...}` facts, found a list", "wrong-type",
        "write one fact per key, with its fields indented under it")]


def test_a_glossary_that_is_a_list_is_refused_not_dropped(make_project):
    root = make_project(files_with(**{"content/glossary.yml": "- brace\n"}))
    assert messages(root) == [error(
        "content/glossary.yml", 1, "the glossary holds `key: {term: ..., definition: ...}` "
        "entries, found a list", "wrong-type",
        "write each entry as `key:` with `term:` and `definition:` indented under it")]


def test_yaml_read_directly_names_a_control_character_too():
    doc, problems = parse_yaml("a: 1\n# pasted\x07\n", "x.yml")
    assert doc is None and [str(p) for p in problems] == [error(
        "x.yml", 2, "the file holds a character YAML does not allow (U+0007)", "control-character",
        CONTROL_FIX)]


@pytest.mark.parametrize("typed", ["yes", "on", "'true'", "1"])
def test_a_flag_is_true_or_false_and_nothing_else(make_project, typed: str):
    root = make_project(files_with(**{FACTS: fact_file("3").replace("verified: true",
                                                                    f"verified: {typed}")}))
    shown_typed = typed if typed == "1" else f"'{typed.strip(chr(39))}'"
    assert messages(root) == [error(FACTS, 6, f"'verified': expected true or false, found "
                                    f"{shown_typed}", "wrong-type", "write true or false")]


@pytest.mark.parametrize("typed, where", [("true", "value"), ("{min: false, max: 23}", "value.min")])
def test_true_or_false_where_a_figure_is_wanted_is_refused_not_printed_as_one(make_project,
                                                                              typed: str,
                                                                              where: str):
    root = make_project(files_with(typed))
    assert messages(root) == [error(FACTS, 3, f"'{where}': expected a number, found "
                                    f"{'true' if typed == 'true' else 'false'}", "wrong-type",
                                    "write the number itself; true and false are answers to "
                                    "yes-or-no fields")]


def test_a_file_that_links_to_itself_is_named_not_a_crash(make_project):
    root = make_project(files_with())
    path = root / "audiences/nurse.yml"
    path.unlink()
    path.symlink_to(path.name)
    assert error("audiences/nurse.yml", None, "the file is a link that leads back to itself",
                 "link-loop", "replace the link with the real file") in messages(root)


def test_an_invisible_character_quoted_in_a_message_is_shown_escaped(make_project):
    # a right-to-left override may be published in words, but a message shows it as an escape
    root = make_project(files_with(**{FACTS: fact_file("3").replace(
        "verified: true", 'verified: "\\u202e[2J"')}))
    found = messages(root)
    assert found == [error(FACTS, 6, "'verified': expected true or false, found '\\u202e[2J'",
                           "wrong-type", found[0].split("fix: ")[1])]


@pytest.mark.parametrize("escape, code_point", [("\\ud800", "D800"), ("\\udfff", "DFFF"),
                                                 ("\\x1b", "001B"), ("\\u0007", "0007")])
def test_an_escape_making_an_unpublishable_character_is_refused_at_its_line(make_project,
                                                                            escape: str,
                                                                            code_point: str):
    # found by the fuzzer: half a surrogate pair crashed the cache key with a traceback
    facts = fact_file("3").replace("label: Weeks in a brace", f'label: "Weeks{escape} in a brace"')
    root = make_project(files_with(**{FACTS: facts}))
    assert messages(root) == [error(
        FACTS, 2, f"an escape in this quoted value makes the character U+{code_point}, which "
        "cannot be published", "control-character",
        "delete the escape (\\x.., \\u....): such characters cannot be shown or written out, "
        "and half of a surrogate pair is not a character")]


def test_escapes_of_ordinary_characters_are_read_as_typed(make_project):
    facts = fact_file("3").replace("label: Weeks in a brace", 'label: "Weeks in a \\u00e9brace"')
    assert core(make_project(files_with(**{FACTS: facts}))).ok
