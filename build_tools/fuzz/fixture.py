"""The fuzzer's own small project: two topics written for three audiences, every fact shown,
and one patient page translated into Spanish (its sibling files are mutated like the rest).

It is written here rather than copied from content/ so that a run depends neither on the example
topics' wording nor on their size. Every fact is shown to every audience; nurses and physicians
read numbers exactly, which is what the silent-value check (classify.py) compares against.
"""
from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

QUESTIONS = """
## Questions to ask your care team

- Is a brace right for me?
- How long should I rest?
"""

SITE = MappingProxyType({
    "site_config/site.yml": """\
site_name: Fuzz Library
organisation: Fuzz Library (test project)
advisory_board: Fuzz Board
contact_line: Ask the team that treats you, or write to editors@example.org.
site_url: https://fuzz.example.org/
language: en
translations: [es]
emergency_number: "999"
""",
    # a fixture of the fuzzer, not clinical advice
    "content/warning_signs/after_bracing.yml": """\
weak_legs:
  urgency: emergency
  notice:
    patient: Your legs feel weak or numb
  verified: false
  reason: a fixture of the fuzzer
sore_skin:
  urgency: same_day
  notice: Sore skin under the brace
  source: [smith2020]
  verified: true
""",
    "site_config/policy.yml": """\
published_states: [under_review, approved]
banners:
  under_review: "Under review - this page may change."
draft_banner: "Draft - not published"
publish_changed_since_review: true
""",
    "site_config/disclaimers.yml": """\
# The first sentence of each stands alone.
general: This site is for education only.
patient: This page is not medical advice for you.
nurse: This page does not replace local protocols.
physician: This page does not replace clinical judgment.
""",
    "site_config/editorial_policy.md": "We write from checked sources.\n",
    "site_config/advisory_board.md": "The board reviews each topic.\n",
    # a fixture, not a person: a topic under review names the board member who checks it
    "site_config/advisory_board.yml": """\
- name: Fuzz Reviewer
  credentials: MD
  role: test fixture, not a person
""",
    "audiences/patient.yml": """\
label: Patient or family member
description: Plain words about what happens.
reading_grade_max: 8
reading_level:
  es: {formula: szigriszt_pazos, limit: 55}
disclaimer: patient
numbers: plain
order: 1
schema_audience: Patient
contact_line: true
required_sections:
  - Questions to ask your care team
warning_signs:
  title: When to call your care team
  id: warning-signs
  place: after_short_answer
  actions:
    emergency: "Call {emergency_number} now if you have:"
    same_day: "Call your care team today if you have:"
    next_visit: "Tell your care team at your next visit if you have:"
  unverified_mark: not yet checked
  unverified_note: Signs marked not yet checked are general advice.
""",
    "audiences/nurse.yml": """\
label: Nurse
description: Care before and after, and what to teach.
reading_grade_max: 16
disclaimer: nurse
numbers: exact
order: 2
""",
    "audiences/physician.yml": """\
label: Physician
description: The evidence, with figures and grades.
reading_grade_max: 18
disclaimer: physician
numbers: exact
order: 3
glossary_tooltips: false
""",
    "content/references.yml": """\
- id: smith2020
  kind: trial
  type: article-journal
  title: "A made-up trial of back braces that exists only in this fuzzer"
  author:
    - {family: Smith, given: A}
    - {family: Jones, given: B}
  more-authors: true
  container-title: Fuzz Journal
  issued: 2020
  volume: "12"
  page: 100-110
  DOI: 10.1000/fuzz.2020.1
  PMID: "12345678"
- id: lee2021
  kind: review
  title: "A made-up review of rest after a spine fracture"
  author:
    - {literal: "Fuzz Review Group"}
  issued: "2021-03-04"
  note: ClinicalTrials.gov NCT01234567
- id: park2019
  kind: cohort study
  title: "A made-up cohort of people who rested"
  issued: {date-parts: [[2019, 5]]}
""",
    "content/glossary.yml": """\
brace:
  term: Back brace
  definition: A stiff belt that holds the back still.
rest_care:
  term: Conservative treatment
  definition: Rest and pain medicine, without an operation.
""",
    "content/facts/smith2020.yml": """\
# Shared facts: shown by both topics as fact("smith2020.KEY").
brace_weeks:
  label: Weeks people wore the brace in the trial
  value: 12
  unit: weeks
  refs: [smith2020]
  verified: true
""",
})

BRACING = MappingProxyType({
    "content/topics/bracing/topic.yml": """\
question: Does a back brace help a broken bone in the spine?
category: Backs
order: 1
status: under_review
reviewers: [Fuzz Reviewer]
next_review: 2099-01-01
changes:
  - date: 2025-02-03
    summary: First written.
warning_signs: [after_bracing]
references: [smith2020, lee2021]
audiences:
  patient:
    title: Does a back brace help my back?
    short_answer: 'A brace can ease pain for some people {{ cite("smith2020") }}.'
  nurse:
    title: "Back braces after a spine fracture: what nurses should know"
    short_answer: 'Braces eased pain by {{ fact.pain_drop }} {{ cite("smith2020") }}.'
  physician:
    title: "Back braces for spine fractures: evidence"
    short_answer: 'Bracing lowered pain by {{ fact.pain_drop }} {{ cite("smith2020") }}.'
""",
    "content/topics/bracing/facts.yml": """\
# Facts of the bracing topic.
pain_drop:
  label: Fall in pain score with a brace
  value: 2.6
  unit: points
  plain: a little less pain
  refs: [smith2020]
  verified: false
wear_hours:
  label: Hours a day the brace was worn
  value: {min: 12, max: 23}
  unit: hours a day
  refs: [smith2020]
  grade: "Level of Evidence B"
  verified: true
people:
  label: People in the trial
  value: 240
  unit: adults
  refs: [smith2020]
  verified: true
brace_kind:
  label: Kind of brace used
  value: "a rigid back brace"
  refs: [lee2021]
  verified: true
""",
    "audiences/patient/bracing.md": """\
## What is a brace?

A {{ term("brace") }} holds your back still {{ cite("smith2020") }}. The trial used {{ fact.brace_kind }}.

## What did a trial find?

A trial took in {{ fact.people }} {{ cite("smith2020") }}. People wore the brace for {{ fact.wear_hours }}. They wore it for {{ fact("smith2020.brace_weeks") }}. They had {{ fact.pain_drop }} {{ cite("lee2021") }}.
""" + QUESTIONS,
    "audiences/nurse/bracing.md": """\
## Fitting the brace

Patients wore {{ fact.brace_kind }} for {{ fact.wear_hours }} over {{ fact("smith2020.brace_weeks") }} {{ cite("smith2020") }}.

## Evidence

The trial enrolled {{ fact.people }}; pain fell by {{ fact.pain_drop }} {{ cite("smith2020", "lee2021") }}.
""",
    "audiences/physician/bracing.md": """\
## Evidence

In {{ fact.people }}, {{ fact.brace_kind }} worn for {{ fact.wear_hours }} ({{ fact.wear_hours.grade }}) over {{ fact("smith2020.brace_weeks") }} reduced pain by {{ fact.pain_drop }} {{ cite("smith2020") }}.

## Limitations

The review found few trials {{ cite("lee2021") }}.
""",
})

RESTING = MappingProxyType({
    "content/topics/resting/topic.yml": """\
question: How long should I rest after a spine fracture?
category: Backs
status: under_review
reviewers: [Fuzz Reviewer]
next_review: 2098-06-30
changes:
  - date: 2025-03-04
    summary: Added the cohort.
  - date: 2024-12-01
    summary: First written.
warning_signs: [after_bracing]
references: [lee2021, park2019, smith2020]
audiences:
  patient:
    title: How long should I rest my back?
    short_answer: 'Most people rest for {{ fact.rest_days }} {{ cite("lee2021") }}.'
  nurse:
    title: "Rest after a spine fracture: nursing care"
    short_answer: 'Rest lasted {{ fact.rest_days }} {{ cite("lee2021") }}.'
  physician:
    title: "Rest after a spine fracture: evidence"
    short_answer: 'Median rest was {{ fact.rest_days }} {{ cite("lee2021", "park2019") }}.'
""",
    "content/topics/resting/facts.yml": """\
rest_days:
  label: Days of bed rest
  value: 3
  unit: days
  plain: a few days
  refs: [lee2021]
  verified: true
walk_minutes:
  label: Minutes of walking a day after rest
  value: 10.5
  unit: minutes
  refs: [park2019]
  verified: true
""",
    "audiences/patient/resting.md": """\
## How long to rest

Most people rest for {{ fact.rest_days }} {{ cite("lee2021") }}. Then they walk for {{ fact.walk_minutes }} a day {{ cite("park2019") }}. Some wear a {{ term("rest_care", "brace") }} for {{ fact("smith2020.brace_weeks") }} {{ cite("smith2020") }}.
""" + QUESTIONS,
    "audiences/nurse/resting.md": """\
## Mobilisation

Bed rest lasted {{ fact.rest_days }} {{ cite("lee2021") }}; walking then began at {{ fact.walk_minutes }} a day {{ cite("park2019") }}, with a brace for {{ fact("smith2020.brace_weeks") }} {{ cite("smith2020") }}.
""",
    "audiences/physician/resting.md": """\
## Evidence

Median bed rest was {{ fact.rest_days }} {{ cite("lee2021") }}, then walking of {{ fact.walk_minutes.value }} minutes a day {{ cite("park2019") }}; bracing lasted {{ fact("smith2020.brace_weeks") }} {{ cite("smith2020") }}.
""",
})

# The resting topic's patient page in Spanish (docs/authoring.md, 6b): its words only.
SPANISH = MappingProxyType({
    "site_config/site.es.yml": """\
site_name: Biblioteca Fuzz
organisation: Biblioteca Fuzz (proyecto de prueba)
advisory_board: Junta Fuzz
contact_line: Pregunte al equipo que le atiende, o escriba a editors@example.org.
""",
    "site_config/disclaimers.es.yml": """\
general: Este sitio es solo para aprender.
patient: Esta página no es un consejo médico para usted.
""",
    "site_config/editorial_policy.es.md": "Escribimos a partir de fuentes comprobadas.\n",
    "site_config/advisory_board.es.md": "La junta revisa cada tema.\n",
    "audiences/patient.es.yml": """\
label: Paciente o familiar
description: Palabras sencillas sobre lo que pasa.
required_sections:
  - Preguntas para su equipo de atención
warning_signs:
  title: Cuándo llamar a su equipo de atención
  actions:
    emergency: "Llame al {emergency_number} ahora si tiene:"
    same_day: "Llame hoy a su equipo de atención si tiene:"
    next_visit: "Dígalo a su equipo en su próxima visita si tiene:"
  unverified_mark: no comprobado todavía
  unverified_note: Las señales no comprobadas todavía son consejos generales.
""",
    "content/glossary.es.yml": """\
brace:
  term: Faja para la espalda
  definition: Un cinturón firme que sostiene la espalda.
rest_care:
  term: Tratamiento conservador
  definition: Reposo y medicina para el dolor, sin operación.
""",
    "content/facts/smith2020.es.yml": """\
brace_weeks: {unit: semanas}
""",
    "content/warning_signs/after_bracing.es.yml": """\
weak_legs: {notice: Siente las piernas débiles o dormidas}
sore_skin: {notice: Piel adolorida debajo de la faja}
""",
    "content/topics/resting/topic.es.yml": """\
question: ¿Cuánto tiempo debo descansar después de una fractura en la columna?
category: Espaldas
audiences:
  patient:
    title: ¿Cuánto tiempo debo descansar la espalda?
    short_answer: 'La mayoría descansa {{ fact.rest_days }} {{ cite("lee2021") }}.'
changes:
  - {date: 2025-03-04, summary: Agregamos el estudio de un grupo.}
  - {date: 2024-12-01, summary: Primera versión.}
""",
    "content/topics/resting/facts.es.yml": """\
rest_days: {unit: días, plain: unos pocos días}
walk_minutes: {unit: minutos}
""",
    "audiences/patient/resting.es.md": """\
## Cuánto descansar {: #how-long-to-rest }

La mayoría descansa {{ fact.rest_days }} {{ cite("lee2021") }}. Luego camina {{ fact.walk_minutes }} al día {{ cite("park2019") }}. Algunas personas usan una {{ term("rest_care", "faja") }} durante {{ fact("smith2020.brace_weeks") }} {{ cite("smith2020") }}.

## Preguntas para su equipo de atención {: #questions-to-ask-your-care-team }

- ¿Es una faja buena para mí?
- ¿Cuánto tiempo debo descansar?
""",
})

FILES: MappingProxyType[str, str] = MappingProxyType({**SITE, **BRACING, **RESTING, **SPANISH})


def write_fixture(root: Path) -> None:
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
