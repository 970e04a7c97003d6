"""Safety advice defined once (issue 18): warning signs are data with one urgency for every
reader, shown to patients right below the short answer, to nurses in "Monitoring and
escalation" and to physicians in "Complications", and boxed first on page 1 of the handout.

The signs and wordings here are fixtures of these tests, not clinical advice.
"""
from __future__ import annotations

import re
import subprocess
import textwrap
from pathlib import Path

import pytest

from conftest import parse, run_cli, run_in_process
from projects import AUDIENCES, base_files, topic_files

KEY = "bracing"
LIST = "content/warning_signs/after_test.yml"
TOPIC_YML = f"content/topics/{KEY}/topic.yml"
BODY = """
    ## Rest first

    Rest for a few weeks first {{ cite("testref_a") }}.

    ## Monitoring and escalation

    Check the legs at each round {{ cite("testref_a") }}.

    ## Complications

    Problems are rare {{ cite("testref_a") }}.
    """
SIGNS = """
    chest_pain:
      urgency: emergency
      notice:
        patient: Chest pain or sudden trouble breathing
        nurse: New chest pain or a fall in oxygen saturation
        physician: New chest pain or desaturation
      verified: false
      reason: a test fixture for general clinical practice
    fever:
      urgency: same_day
      notice: A fever after the test procedure
      source: [testref_a]
      verified: true
    """
SECTIONS = {
    "patient": """
        short_answer_max_words: 10
        warning_signs:
          title: When to call your care team
          id: warning-signs
          place: after_short_answer
          actions:
            emergency: "Emergency: call {emergency_number} now if you have:"
            same_day: "Same day: call your care team today if you have:"
            next_visit: "Next visit: tell your care team if you have:"
          unverified_mark: not yet checked
          unverified_note: Signs marked not yet checked are general advice.
        """,
    "nurse": """
        warning_signs:
          title: Monitoring and escalation
          id: monitoring
          place: end_of_section
          actions:
            emergency: "Emergency: escalate at once if the patient has:"
            same_day: "Same day: report it the same day if the patient has:"
            next_visit: "Next visit: raise it at follow-up if the patient has:"
          unverified_mark: not yet checked
          unverified_note: Signs marked not yet checked come from general practice.
        """,
    "physician": """
        warning_signs:
          title: Complications
          id: risks
          place: end_of_section
          actions:
            emergency: "Emergency: assess at once:"
            same_day: "Same day: assess the same day:"
            next_visit: "Next visit: review at follow-up:"
          unverified_mark: not yet checked
          unverified_note: Signs marked not yet checked come from general practice.
        """,
}


def files(signs: str = SIGNS, body: str = BODY, **more: str) -> dict[str, str]:
    out = {**base_files(), **topic_files(KEY, title="Does a brace help", body=body,
                                         extra="warning_signs: [after_test]\n")}
    out["site_config/site.yml"] = dedent(out["site_config/site.yml"]) + 'emergency_number: "999"\n'
    for audience, section in SECTIONS.items():
        out[f"audiences/{audience}.yml"] = (dedent(out[f"audiences/{audience}.yml"])
                                            + dedent(section))
    out[LIST] = signs
    out.update(more)
    return out


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def problems(root: Path) -> list[str]:
    run = run_in_process(root, "check")
    return [line for line in run.text.splitlines() if ": error:" in line or "fix:" in line]


def signs_of(element) -> dict[str, str]:
    """sign key -> the urgency of the group it is listed under."""
    return {item.get("data-sign"): item.xpath("ancestor::*[@data-urgency][1]")[0].get("data-urgency")
            for item in element.xpath(".//*[@data-sign]")}


def test_one_sign_with_an_urgency_per_reader_is_refused_at_its_line(make_project):
    signs = SIGNS.replace("      urgency: emergency\n",
                          "      urgency: {patient: same_day, nurse: emergency}\n", 1)
    found = problems(make_project(files(signs)))
    assert any(line.startswith(f"{LIST}:2: error: sign 'chest_pain' gives an urgency per "
                               "reader") and line.endswith("[two-urgencies]") for line in found), found


def test_one_sign_defined_twice_with_two_urgencies_is_refused_naming_both(make_project):
    again = """
        chest_pain:
          urgency: same_day
          notice: Chest pain
          verified: false
          reason: a second copy
        """
    found = problems(make_project(files(**{"content/warning_signs/other.yml": again})))
    assert any(line.startswith(f"{LIST}:1: error: sign 'chest_pain' is defined again, as "
                               "emergency here and as same_day in "
                               "content/warning_signs/other.yml:1") for line in found) or any(
        line.startswith("content/warning_signs/other.yml:1: error: sign 'chest_pain' is defined "
                        f"again, as same_day here and as emergency in {LIST}:1") for line in found), found
    assert any(line.endswith("[two-urgencies]") for line in found)


def test_the_same_words_under_two_urgencies_are_refused(make_project):
    copy = SIGNS + """
    chest_pain_again:
      urgency: next_visit
      notice: chest pain or sudden   trouble breathing
      verified: false
      reason: a copy under another key
    """
    found = problems(make_project(files(copy)))
    assert any("sign 'chest_pain_again' has the words of sign 'chest_pain'" in line
               and "as next_visit here and as emergency" in line for line in found), found


def test_a_sign_nurses_escalate_but_patients_are_not_told_is_refused(make_project):
    signs = SIGNS.replace("        patient: Chest pain or sudden trouble breathing\n", "")
    found = problems(make_project(files(signs)))
    assert (f"{LIST}:3: error: sign 'chest_pain' is worded for nurse, physician but not for the "
            "patient reader, who would not be told of it [sign-missing-for-audience]") in found, found
    assert any("not_for: {patient: <reason>}" in line for line in found)


def test_a_recorded_reason_leaves_a_sign_out_for_one_reader(make_project):
    signs = SIGNS.replace("        patient: Chest pain or sudden trouble breathing\n", "").replace(
        "      verified: false\n", "      not_for: {patient: 'taught in the ward, a test fixture'}\n"
        "      verified: false\n", 1)
    root = make_project(files(signs))
    built = run_cli(root, "build")
    assert built.code == 0, built.text
    patient = parse(root / "site" / "patient" / KEY / "index.html")
    nurse = parse(root / "site" / "nurse" / KEY / "index.html")
    assert signs_of(patient) == {"fever": "same_day"}
    assert signs_of(nurse) == {"chest_pain": "emergency", "fever": "same_day"}


def test_a_nurse_page_without_monitoring_and_escalation_fails_the_build(make_project):
    root = make_project(files())
    nurse_page = root / "audiences" / "nurse" / f"{KEY}.md"
    nurse_page.write_text(nurse_page.read_text().replace("## Monitoring and escalation",
                                                         "## Watching"))
    built = run_in_process(root, "build")
    assert built.code != 0
    assert (f"audiences/nurse/{KEY}.md: error: the nurse page has no 'Monitoring and escalation' "
            "section [missing-section]") in built.text
    assert not (root / "site").exists()


def test_a_patient_page_writing_its_own_warning_section_is_refused(make_project):
    body = BODY + "\n## When to call your care team\n\nCall us soon {{ cite(\"testref_a\") }}.\n"
    found = problems(make_project(files(body=body)))
    assert any(re.match(rf"audiences/patient/{KEY}\.md:\d+: error: the page writes its own "
                        r"'When to call your care team' section", line) for line in found), found


@pytest.mark.parametrize("signs, where, code", [
    (SIGNS.replace("Chest pain or sudden", "Chest pain for 5 minutes or sudden"), f"{LIST}:4",
     "bare-number"),
    (SIGNS.replace("source: [testref_a]", "source: [testref_zz]"), f"{LIST}:12",
     "unknown-reference"),
    (SIGNS.replace("      source: [testref_a]\n", ""), f"{LIST}:9", "sign-unsourced"),
    (SIGNS.replace("      reason: a test fixture for general clinical practice\n", ""),
     f"{LIST}:1", "sign-unsourced"),
])
def test_each_fault_of_a_sign_names_its_line(make_project, signs, where, code):
    found = problems(make_project(files(signs)))
    assert any(line.startswith(f"{where}: error:") and line.endswith(f"[{code}]")
               for line in found), found


def test_a_sign_citing_what_the_topic_does_not_list_is_refused_in_topic_yml(make_project):
    extra = {"content/references.yml": dedent(base_files()["content/references.yml"]) + dedent("""
        - id: testref_c
          kind: trial
          title: A third test trial
          issued: 2022
        """)}
    root = make_project(files(SIGNS.replace("source: [testref_a]", "source: [testref_c]"), **extra))
    found = problems(root)
    assert any(line.startswith(f"{TOPIC_YML}:") and "cites 'testref_c', which is not in this "
               "topic's `references`" in line for line in found), found


def test_an_emergency_action_without_a_number_to_call_is_refused(make_project):
    project = files()
    project["site_config/site.yml"] = base_files()["site_config/site.yml"]
    found = problems(make_project(project))
    assert any(line.startswith("audiences/patient.yml:") and line.endswith(
        "[missing-emergency-number]") for line in found), found


def test_every_reader_gets_the_same_signs_with_the_same_urgency(make_project):
    root = make_project(files())
    built = run_cli(root, "build")
    assert built.code == 0, built.text
    seen = {}
    for audience in AUDIENCES:
        page = parse(root / "site" / audience / KEY / "index.html")
        seen[audience] = signs_of(page)
        groups = [g.get("data-urgency") for g in page.xpath("//*[@data-urgency]")]
        assert groups == ["emergency", "same_day"], groups  # most urgent first
    assert seen["patient"] == seen["nurse"] == seen["physician"] == {
        "chest_pain": "emergency", "fever": "same_day"}


def test_patients_get_the_signs_right_below_the_short_answer(make_project):
    root = make_project(files())
    assert run_cli(root, "build").code == 0
    page = parse(root / "site" / "patient" / KEY / "index.html")
    answer = page.xpath("//*[@id='edu-short-answer']")[0]
    box = answer.getnext()
    assert "edu-warning-signs" in box.get("class"), box.get("class")
    assert box.xpath("./h2")[0].get("id") == "warning-signs"
    emergency = box.xpath(".//*[@data-urgency='emergency']")[0]
    text = " ".join(emergency.text_content().split())
    # a group none of whose signs is verified is marked once, on its action line
    assert text.startswith("Emergency: call 999 now if you have: not yet checked Chest pain or "
                           "sudden trouble breathing"), text
    assert emergency.xpath(".//a[@href='tel:999']/span[@class='edu-literal']")
    assert page.xpath("//*[@id='edu-sign-note']")  # the unverified mark is explained
    assert emergency.xpath("./p/sup[@class='edu-sign-unverified']/a[@href='#edu-sign-note']")
    fever = box.xpath(".//*[@data-sign='fever']")[0].getparent()
    assert fever.xpath(".//a[@class='edu-cite']")  # the verified sign cites its source
    assert not fever.xpath(".//sup[@class='edu-sign-unverified']")


def test_nurses_and_physicians_get_them_at_the_end_of_their_section(make_project):
    root = make_project(files())
    assert run_cli(root, "build").code == 0
    for audience, heading in (("nurse", "monitoring-and-escalation"), ("physician", "complications")):
        page = parse(root / "site" / audience / KEY / "index.html")
        block = page.xpath("//*[contains(@class, 'edu-warning-signs')]")[0]
        before = block.xpath("preceding::h2[1]")[0]
        assert before.get("id") == heading, (audience, before.get("id"))
        assert not page.xpath("//*[@id='warning-signs']")


def test_the_patient_handout_boxes_the_emergency_signs_first_on_page_one(make_project):
    root = make_project(files())
    assert run_cli(root, "build", fresh_handouts=True).code == 0
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout",
                            str(root / "site" / "handouts" / f"{KEY}-patient.pdf"), "-"],
                           check=True, capture_output=True, text=True).stdout
    flat = " ".join(first.split())
    emergency, same_day = flat.find("Emergency: call 999 now"), flat.find("Same day: call")
    answer = flat.find("Short answer")
    assert -1 < answer < emergency < same_day, flat[:600]
    assert flat.find("Chest pain or sudden trouble breathing") > emergency
    assert "My care team:" in flat and "Phone number:" in flat


def test_a_sign_changed_after_the_sign_off_is_no_longer_shown_as_reviewed(make_project):
    root = make_project(files())
    signed = run_in_process(root, "approve", KEY, "--reviewer", "Test Reviewer",
                            "--date", "2026-11-28")
    assert signed.code == 0, signed.text
    signs = root / LIST
    signs.write_text(signs.read_text().replace("urgency: same_day", "urgency: emergency"))
    checked = run_in_process(root, "check")
    assert f"topic '{KEY}' has changed since its review on 2026-11-28" in checked.text
    assert "warning sign 'fever': urgency 'same_day' -> 'emergency'" in checked.text


def test_a_patient_short_answer_too_long_for_the_first_screen_is_refused(make_project):
    root = make_project(files())
    topic = root / TOPIC_YML
    long_answer = "See below, where every word of this answer pushes the signs further down"
    topic.write_text(topic.read_text().replace("title: \"Does a brace help (patient)\", "
                                               "short_answer: 'See below",
                                               "title: \"Does a brace help (patient)\", "
                                               f"short_answer: '{long_answer}"))
    found = problems(root)
    assert any(re.match(rf"{TOPIC_YML}:\d+: error: the patient short answer has 13 words; the "
                        r"limit is 10 \(audiences/patient.yml\)", line) for line in found), found


def test_in_a_group_of_checked_and_unchecked_signs_each_unchecked_one_is_marked(make_project):
    signs = SIGNS + """
    sore_skin:
      urgency: same_day
      notice: Sore skin where the needle went in
      verified: false
      reason: a test fixture for general clinical practice
    """
    root = make_project(files(signs))
    assert run_cli(root, "build").code == 0
    page = parse(root / "site" / "patient" / KEY / "index.html")
    same_day = page.xpath("//*[@data-urgency='same_day']")[0]
    assert not same_day.xpath("./p/sup[@class='edu-sign-unverified']")
    marked = {li.xpath(".//*[@data-sign]")[0].get("data-sign")
              for li in same_day.xpath(".//li[sup[@class='edu-sign-unverified']]")}
    assert marked == {"sore_skin"}
