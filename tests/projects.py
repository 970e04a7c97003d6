"""Small projects written from files given in the test, as MkDocs' tests use tempdir(files=...).

`write_project(root, files)` copies only the code (templates, build_tools, mkdocs.yml) from the
repository and writes every content file from `files`, so a test does not depend on the
example topic's wording. `base_files()` is the least a project needs besides topics; `topic_files`
writes one topic for every audience from a few sentences.
"""
from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CODE_PARTS = ("templates", "build_tools", "mkdocs.yml")
AUDIENCES = ("patient", "nurse", "physician")
QUESTIONS = "## Questions to ask your care team\n\n- Is this right for me?\n"
# The board of every test project, and the member its topics are assigned to for review: a
# fixture of the tests, not a person (a topic under review names a board member who checks it).
REVIEWER = "Test Reviewer"


def copy_parts(dest: Path, parts: tuple[str, ...]) -> Path:
    """These folders and files of the repository, without caches, into dest."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in parts:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / part)
    return dest


def write_project(root: Path, files: dict[str, str]) -> Path:
    """The code of this repository and exactly the given files (text is dedented)."""
    copy_parts(root, CODE_PARTS)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def base_files() -> dict[str, str]:
    """Site settings, a one-member board, three audiences, two test references and a
    two-word glossary."""
    files = {
        "site_config/site.yml": """
            site_name: Test Library
            organisation: Test Library
            advisory_board: Test Board
            contact_line: Ask the team that treats you.
            site_url: https://test.example.org/
            """,
        "site_config/policy.yml": """
            published_states: [under_review, approved]
            banners:
              under_review: Under review - this page may change.
            """,
        "site_config/disclaimers.yml": """
            general: This site is for education only.
            patient: This page is not medical advice for you.
            nurse: This page does not replace local protocols.
            physician: This page does not replace clinical judgment.
            """,
        "site_config/editorial_policy.md": "We write from checked sources.\n",
        "site_config/advisory_board.md": "The board reviews each topic.\n",
        "site_config/advisory_board.yml": f"""
            - name: {REVIEWER}
              credentials: MD
              role: test fixture, not a person
            """,
        "content/references.yml": """
            - id: testref_a
              kind: trial
              title: A test trial that exists only in these tests
              issued: 2020
            - id: testref_b
              kind: review
              title: A test review that exists only in these tests
              issued: 2021
            """,
        "content/glossary.yml": """
            rest_care:
              term: Conservative treatment
              definition: Rest and pain medicine, without an operation.
            brace:
              term: Back brace
              definition: A stiff belt that holds the back still.
            """,
    }
    for order, audience in enumerate(AUDIENCES, 1):
        files[f"audiences/{audience}.yml"] = f"""
            label: {audience.capitalize()}
            description: Pages for the {audience}.
            reading_grade_max: {8 if audience == "patient" else 18}
            disclaimer: {audience}
            numbers: {"plain" if audience == "patient" else "exact"}
            order: {order}
            glossary_tooltips: {"false" if audience == "physician" else "true"}
            schema_audience: {"Patient" if audience == "patient" else "Clinician"}
            contact_line: {"true" if audience == "patient" else "false"}
            """ + ("required_sections: [Questions to ask your care team]\n"
                   if audience == "patient" else "")
    files[STRINGS] = english_strings()
    return files


# The words of the pages, in English (`language: en`): the repository's own file, as a test
# project's pages are worded as the site's are.
STRINGS = "site_config/strings/en.yml"


def english_strings() -> str:
    return (REPO / STRINGS).read_text(encoding="utf-8")


def english_words() -> Any:
    """The repository's English strings, validated: for tests that call the code that prints
    them (a FactBook, format_fact) without a project."""
    import yaml

    from build_tools.core.base.strings import Strings

    return Strings.model_validate(yaml.safe_load(english_strings()))


def topic_files(key: str, *, title: str, body: str, facts: str = "",
                references: tuple[str, ...] = ("testref_a",), category: str = "Backs",
                extra: str = "", reviewers: tuple[str, ...] = (REVIEWER,)) -> dict[str, str]:
    """One topic: the same body for every audience, plus the questions patients need.

    `body` must cite every reference; `extra` adds lines to topic.yml (such as `order: 2`);
    `reviewers` are the board members assigned to it (none: its pages say nobody checks it).
    """
    answer = "{{ cite(\"%s\") }}" % references[0]
    audiences = "".join(f"  {a}: {{title: \"{title} ({a})\", short_answer: 'See below {answer}.'}}\n"
                        for a in AUDIENCES)
    files = {
        f"content/topics/{key}/topic.yml": (
            f"question: {title}?\ncategory: {category}\nstatus: under_review\n"
            "next_review: 2099-01-01\n"
            "changes:\n  - {date: 2025-01-01, summary: First written.}\n"
            f"references: [{', '.join(references)}]\n{extra}"
            + (f"reviewers: {json.dumps(list(reviewers))}\n" if reviewers else "")
            + f"audiences:\n{audiences}"),
        f"content/topics/{key}/facts.yml": facts or (
            "placeholder_count:\n  label: A count no page shows\n  value: 1\n"
            f"  refs: [{references[0]}]\n  verified: true\n"),
    }
    for audience in AUDIENCES:
        text = textwrap.dedent(body).lstrip("\n")
        files[f"audiences/{audience}/{key}.md"] = text + ("\n" + QUESTIONS if audience == "patient" else "")
    return files


def two_topics_sharing_a_fact() -> dict[str, str]:
    """Two topics of one category that both show the shared fact testref_a.rest_weeks."""
    shared = {"content/facts/testref_a.yml": """
        rest_weeks:
          label: Weeks of rest before a procedure is considered
          value: {min: 3, max: 4}
          unit: weeks
          refs: [testref_a]
          verified: true
        """}
    first = topic_files("bracing", title="Does a brace help", body="""
        ## Rest first

        Rest for {{ fact("testref_a.rest_weeks") }} first {{ cite("testref_a") }}.
        """)
    second = topic_files("resting", title="How long should I rest", body="""
        ## How long

        Most people rest for {{ fact("testref_a.rest_weeks") }} {{ cite("testref_a") }}.
        """)
    return {**base_files(), **shared, **first, **second}
