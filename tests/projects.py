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


# --- one small topic that exercises every kind of file, for fault tests ---------------------------
# Each fault test gives the one file it breaks (`small_project({path: broken text})`); the rest
# stay as written here, so rewording the example in content/ and audiences/ cannot break them.

SMALL = "bracing"
SMALL_TOPIC = f"content/topics/{SMALL}/topic.yml"
SMALL_FACTS = f"content/topics/{SMALL}/facts.yml"
SMALL_SHARED = "content/facts/testref_a.yml"
SMALL_REFS = "content/references.yml"


def small_prose(audience: str, *, before_rest: str = "", risks: str = "", cite_b: bool = True,
                questions: str = "## Questions to ask your care team") -> str:
    """One audience's page of the small topic; `before_rest` goes before the first sentence of
    its first section (on a line of its own if it ends with a newline), `risks` replaces the Risks section's first paragraph, `cite_b=False`
    leaves out its only citation of testref_b, `questions` is the patient's last heading."""
    text = textwrap.dedent("""\
        ## Rest first

        @BEFORE@Rest for {{ fact.rest_weeks }} first {{ cite("testref_a") }}.
        A {{ term("brace", "brace") }} holds the back still@CITE_B@.
        Pain eases in about {{ fact("testref_a.relief_days") }} for most people.
        If it still hurts, ask again at the next visit.

        ## Who can wear one

        People with a pain score of {{ fact.min_pain_score }} can try one.
        Most people wear it each day.
        You can take it off to wash.
        You can sleep without it.
        Your team will show you how to put it on.
        The team may want to see you wear it for a while.
        Sometimes the pain gets worse, not better.
        Then you should stop and call the team.

        ## Risks

        @RISKS@

        Some people feel hot in it. Some find it hard to breathe deeply.
        Take it off if your skin gets red or sore.
        Tell your team if you feel sick or dizzy.
        Check your skin each day.
        Keep the brace clean and dry.
        Wash the pad with soap and water.
        Let it dry in the air.
        Do not use a hot dryer.
        A clean pad is kind to the skin.
        The brace costs about {{ fact.brace_cost }} in some places.
        """)
    if audience == "patient":
        text += f"\n{questions}\n\n- Is this right for me?\n- How long will I wear it?\n"
    before = before_rest if before_rest.endswith("\n") or not before_rest else before_rest + " "
    return (text.replace("@BEFORE@", before)
            .replace("@CITE_B@", ' {{ cite("testref_b") }}' if cite_b else "")
            .replace("@RISKS@", risks or "Like any brace, it has risks. It can rub the skin."))


def small_files() -> dict[str, str]:
    """A valid one-topic project: topic facts (one unverified), a shared fact, two cited
    references with a DOI and a PMID, a glossary term in the prose, a Risks section, and a third
    reference no topic lists."""
    files = {**base_files(), SMALL_REFS: """
        - id: testref_a
          kind: trial
          title: A test trial that exists only in these tests
          issued: 2020
          DOI: 10.1000/test.2020.1
          PMID: "10000001"
        - id: testref_b
          kind: review
          title: A test review that exists only in these tests
          issued: 2021
        - id: testref_c
          kind: review
          title: A second test review that no topic lists
          issued: 2022
        """}
    files[SMALL_TOPIC] = """
        question: Does a brace help a sore back?
        category: Backs
        status: under_review
        next_review: 2099-01-01
        changes:
          - {date: 2025-01-01, summary: First written.}
        references:
          - testref_a
          - testref_b
        reviewers: ["Test Reviewer"]
        audiences:
          patient:
            title: A brace for a sore back
            short_answer: 'A brace can ease the pain for a while {{ cite("testref_a") }}.'
          nurse:
            title: Back braces in nursing care
            short_answer: 'A brace can ease pain for some weeks {{ cite("testref_a") }}.'
          physician:
            title: Bracing for back pain
            short_answer: 'Bracing may ease pain in the short term {{ cite("testref_a") }}.'
        """
    files[SMALL_FACTS] = """
        rest_weeks:
          label: Weeks of rest before a brace is tried
          value: {min: 3, max: 4}
          unit: weeks
          refs: [testref_a]
          verified: true

        min_pain_score:
          label: Lowest pain score at which a brace is tried
          value: 6
          unit: points out of 10
          refs: [testref_a]
          verified: true

        brace_cost:
          label: Price of a brace
          value: 5
          unit: hundred euros
          refs: [testref_b]
          verified: false
        """
    files[SMALL_SHARED] = """
        relief_days:
          label: Days until the pain eases
          value: 7
          unit: days
          refs: [testref_a]
          verified: true
        """
    for audience in AUDIENCES:
        files[f"audiences/{audience}/{SMALL}.md"] = small_prose(audience)
    return files


def small_project(changed: dict[str, str | None] | None = None) -> dict[str, str]:
    """small_files() with some files replaced (None: left out)."""
    files: dict[str, str | None] = {**small_files(), **(changed or {})}
    return {rel: text for rel, text in files.items() if text is not None}


def spanish_prose(*, rest: str = 'Descanse {{ fact.rest_weeks }} primero {{ cite("testref_a") }}.',
                  extra: str = "") -> str:
    """The small topic's patient page in Spanish: the English page's facts, references, term
    and sections (by id); `rest` replaces its first sentence, `extra` is added at its end."""
    return textwrap.dedent("""\
        ## Primero, descanso {: #rest-first }

        @REST@
        Una {{ term("brace", "faja") }} sostiene la espalda {{ cite("testref_b") }}.
        El dolor baja en {{ fact("testref_a.relief_days") }} en la mayoría de las personas.

        ## Quién puede usarla {: #who-can-wear-one }

        Las personas con un dolor de {{ fact.min_pain_score }} pueden probarla.

        ## Riesgos {: #risks }

        La faja puede rozar la piel. Cuesta {{ fact.brace_cost }} en algunos lugares.

        ## Preguntas para su equipo de atención {: #questions-to-ask-your-care-team }

        - ¿Es esto bueno para mí?
        """).replace("@REST@", rest) + extra


def spanish_files(strings: str | None = None) -> dict[str, str]:
    """The words of a Spanish edition of small_project()'s patient page (docs/authoring.md,
    6b). strings: the Spanish strings file; the repository's when not given."""
    return {
        "site_config/site.yml": SMALL_SITE + "translations: [es]\n",
        "site_config/site.es.yml": """
            site_name: Biblioteca de prueba
            organisation: Biblioteca de prueba
            advisory_board: Junta de prueba
            contact_line: Pregunte al equipo que le atiende.
            """,
        "site_config/disclaimers.es.yml": """
            general: Este sitio es solo para aprender.
            patient: Esta página no es un consejo médico para usted.
            """,
        "site_config/strings/es.yml": strings or (REPO / "site_config/strings/es.yml").read_text(
            encoding="utf-8"),
        "audiences/patient.yml": textwrap.dedent(base_files()["audiences/patient.yml"])
        + "reading_level:\n  es: {formula: szigriszt_pazos, limit: 55}\n",
        "site_config/editorial_policy.es.md": "Escribimos a partir de fuentes comprobadas.\n",
        "site_config/advisory_board.es.md": "La junta revisa cada tema.\n",
        "audiences/patient.es.yml": """
            label: Paciente
            description: Páginas para pacientes.
            required_sections: [Preguntas para su equipo de atención]
            """,
        "content/glossary.es.yml": """
            rest_care:
              term: Tratamiento conservador
              definition: Reposo y medicina para el dolor, sin operación.
            brace:
              term: Faja para la espalda
              definition: Un cinturón firme que sostiene la espalda.
            """,
        f"content/topics/{SMALL}/topic.es.yml": """
            question: ¿Ayuda una faja con el dolor de espalda?
            category: Espaldas
            audiences:
              patient:
                title: Una faja para el dolor de espalda
                short_answer: 'Una faja puede aliviar el dolor un tiempo {{ cite("testref_a") }}.'
            changes:
              - {date: 2025-01-01, summary: Primera versión.}
            """,
        f"content/topics/{SMALL}/facts.es.yml": """
            rest_weeks: {unit: semanas}
            min_pain_score: {unit: puntos de 10}
            brace_cost: {unit: cientos de euros}
            """,
        "content/facts/testref_a.es.yml": """
            relief_days: {unit: días}
            """,
        f"audiences/patient/{SMALL}.es.md": spanish_prose(),
    }


SMALL_SITE = """\
site_name: Test Library
organisation: Test Library
advisory_board: Test Board
contact_line: Ask the team that treats you.
site_url: https://test.example.org/
"""
