"""Per-audience behaviour is data (issue 19, item 4, in part): glossary tooltips, the page's
schema.org audience and the contact line come from audiences/<audience>.yml, so a new audience
needs no code. "carer" is a fixture of this test."""
from __future__ import annotations

import json

from conftest import parse, run_cli
from projects import base_files, topic_files

KEY = "bracing"
BODY = """
    ## Rest first

    Rest with a {{ term("brace") }} for a while {{ cite("testref_a") }}.
    """
CARER = """\
label: Carer
description: Pages for people who look after someone.
reading_grade_max: 10
disclaimer: patient
numbers: plain
order: 4
glossary_tooltips: true
schema_audience: Patient
contact_line: true
"""


def test_a_new_audience_gets_its_rules_from_its_file_alone(make_project):
    files = {**base_files(), **topic_files(KEY, title="Does a brace help", body=BODY)}
    files[f"content/topics/{KEY}/topic.yml"] += (
        "  carer: {title: \"Does a brace help (carer)\", short_answer: 'See below "
        "{{ cite(\"testref_a\") }}.'}\n")
    files["audiences/carer.yml"] = CARER
    files[f"audiences/carer/{KEY}.md"] = files[f"audiences/nurse/{KEY}.md"]
    root = make_project(files)
    built = run_cli(root, "build")
    assert built.code == 0, built.text
    seen = {}
    for audience in ("carer", "patient", "nurse", "physician"):
        page = parse(root / "site" / audience / KEY / "index.html")
        data = json.loads(page.xpath("//script[@type='application/ld+json']")[0].text)
        seen[audience] = (bool(page.xpath("//abbr[@class='edu-term']")),
                          data["audience"].get("@type"),
                          bool(page.xpath("//p[@class='edu-contact']")))
    assert seen == {"carer": (True, "Patient", True), "patient": (True, "Patient", True),
                    "nurse": (True, "MedicalAudience", False),
                    "physician": (False, "MedicalAudience", False)}
