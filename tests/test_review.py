"""Review you can trust: each review state end to end, through the real commands and the HTML.

The example's advisory board has no members, so its topic is never reviewed: tests of the
built example check only that. Reviewers and sign-offs exist only in the small projects made
here from files in tests/projects.py ("Test Reviewer" is a fixture, not a person), signed with
the real `approve` command; their edits touch those files, never the example's wording.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
import yaml
from lxml import html as lxml_html

from conftest import REPO, newest_change, parse, run_cli
from projects import (REVIEWER as REVIEWER_NAME, SMALL, SMALL_FACTS, SMALL_REFS, SMALL_TOPIC,
                      small_files, small_project, small_prose, write_project)

# its module-scoped builds are made once: pytest-xdist keeps the module on one worker
pytestmark = pytest.mark.xdist_group("review")

TOPIC = "vertebroplasty"  # the example's topic, read only as built
AUDIENCES = ("patient", "nurse", "physician")
SIGNOFFS_OF_EXAMPLE = f"content/topics/{TOPIC}/signoffs.yml"
TOPIC_YML = SMALL_TOPIC
FACTS = SMALL_FACTS
SIGNOFFS = f"content/topics/{SMALL}/signoffs.yml"
PATIENT = f"audiences/patient/{SMALL}.md"
BOARD = "site_config/advisory_board.yml"
REVIEWER = {"name": REVIEWER_NAME, "credentials": "MD", "role": "test fixture, not a person"}
SIGNED = "2026-11-28"


def write(root: Path, rel: str, text: str) -> None:
    (root / rel).write_text(text, encoding="utf-8")


def replace(root: Path, rel: str, old: str, new: str) -> None:
    text = (root / rel).read_text(encoding="utf-8")
    assert old in text, f"{rel} no longer contains {old!r}"
    write(root, rel, text.replace(old, new, 1))


def box(site: Path, audience: str = "patient", topic: str = SMALL) -> lxml_html.HtmlElement:
    return parse(site / audience / topic / "index.html").xpath("//*[@id='edu-review']")[0]


def box_text(site: Path, audience: str = "patient", topic: str = SMALL) -> str:
    return " ".join(box(site, audience, topic).text_content().split())


def jsonld(site: Path, audience: str, topic: str = SMALL) -> dict:
    tree = parse(site / audience / topic / "index.html")
    return json.loads(tree.xpath("//script[@type='application/ld+json']/text()")[0])


def pdf_text(site: Path, audience: str, topic: str = SMALL) -> str:
    out = subprocess.run(["pdftotext", str(site / "handouts" / f"{topic}-{audience}.pdf"), "-"],
                         check=True, capture_output=True, text=True).stdout
    return " ".join(out.split())


def facts(root: Path = REPO, topic: str = TOPIC) -> dict:
    """The topic's own facts and the shared facts (content/facts/) its pages show."""
    own = yaml.safe_load((root / "content" / "topics" / topic / "facts.yml").read_text(
        encoding="utf-8"))
    shared = {f"{path.stem}.{key}": fact for path in (root / "content" / "facts").glob("*.yml")
              for key, fact in yaml.safe_load(path.read_text(encoding="utf-8")).items()}
    prose = "".join(p.read_text(encoding="utf-8") for p in root.glob(f"audiences/*/{topic}.md"))
    shown = set(re.findall(r'fact\("([\w.]+)"\)', prose))
    return {**own, **{key: shared[key] for key in shown}}


def small_facts(root: Path) -> dict:
    return facts(root, SMALL)


def approve(root: Path, *extra: str):
    return run_cli(root, "approve", SMALL, "--reviewer", REVIEWER["name"], "--date", SIGNED, *extra)


# The small project's patient sentence and reference field that the `changed` fixture edits.
SENTENCE = "If it still hurts, ask again at the next visit."
EDITED = "If it still hurts, ask the team at the next visit."
PAGES = "page: 1085-1092"


def review_project(changed: dict[str, str | None] | None = None) -> dict[str, str]:
    """The small project, its first reference with pages (the `changed` fixture edits them) and
    an unverified fact in the patient's short answer."""
    good = {rel: textwrap.dedent(text).lstrip("\n") for rel, text in small_files().items()}
    refs = good[SMALL_REFS].replace("  issued: 2020\n", f"  issued: 2020\n  {PAGES}\n", 1)
    topic = good[SMALL_TOPIC].replace(
        "A brace can ease the pain for a while", "A brace costs about {{ fact.brace_cost }}. It can "
        "ease the pain for a while", 1)
    return small_project({SMALL_REFS: refs, SMALL_TOPIC: topic, **(changed or {})})


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The small project, not yet built: a one-member board and the topic assigned to them."""
    return write_project(tmp_path / "project", review_project())


@pytest.fixture(scope="module")
def approved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small project signed off by its one board member, marked approved, built."""
    root = write_project(tmp_path_factory.mktemp("approved") / "project", review_project())
    result = approve(root)
    assert result.code == 0, result.text
    replace(root, TOPIC_YML, "status: under_review", "status: approved")
    built = run_cli(root, "build", "--strict")
    assert built.code == 0, built.text
    return root


@pytest.fixture(scope="module")
def changed(approved: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The approved topic after a fact, a patient sentence and a reference were edited."""
    root = Path(shutil.copytree(approved, tmp_path_factory.mktemp("changed") / "project"))
    replace(root, FACTS, "  value: {min: 3, max: 4}", "  value: {min: 2, max: 4}")
    replace(root, PATIENT, SENTENCE, EDITED)
    replace(root, SMALL_REFS, PAGES, "page: 1085-1093")
    result = run_cli(root, "build")
    assert result.code == 0, result.text
    return root, result.text


# --- never reviewed: the example as it is -----------------------------------------------------

@pytest.mark.parametrize("audience", AUDIENCES)
def test_never_reviewed_says_so_with_the_last_update(built_site: Path, audience: str):
    assert box(built_site, audience, TOPIC).get("data-status") == "no-reviewer"
    text = box_text(built_site, audience, TOPIC)
    assert "Not yet reviewed" in text and "Last updated: " + newest_change() in text
    assert "Reviewed by" not in text
    data = jsonld(built_site, audience, TOPIC)
    assert "reviewedBy" not in data and "lastReviewed" not in data
    assert data["dateModified"] == newest_change(iso=True)
    assert "Not yet reviewed" in pdf_text(built_site, audience, TOPIC)


def test_the_board_page_says_plainly_that_it_has_no_members(built_site: Path):
    # the example names no reviewer and records no sign-off: nobody has reviewed it
    assert yaml.safe_load((REPO / BOARD).read_text(encoding="utf-8")) == []
    assert not (REPO / SIGNOFFS_OF_EXAMPLE).exists()
    text = " ".join(parse(built_site / "advisory-board" / "index.html").text_content().split())
    assert "has no members yet" in text
    assert "no topic on this site has been reviewed by it" in text


# --- unverified figures, for every audience ---------------------------------------------------

@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_fact_carries_the_hook_and_unverified_ones_say_not_yet_checked(
        built_site: Path, audience: str):
    tree = parse(built_site / audience / TOPIC / "index.html")
    spans = tree.xpath("//article//span[contains(concat(' ', @class, ' '), ' edu-fact ')]")
    assert spans, "no fact was marked"
    known = facts()
    for span in spans:
        key = span.get("data-fact")
        verified = span.get("data-verified")
        assert verified == ("true" if known[key]["verified"] else "false"), key
        marks = span.xpath(".//*[contains(@class, 'edu-unverified')]")
        if verified == "false":
            assert len(marks) == 1 and marks[0].text_content().strip() == "not yet checked"
            assert marks[0].get("hidden") is None and "display" not in (marks[0].get("style") or "")
        else:
            assert not marks
    assert any(s.get("data-verified") == "false" for s in spans)
    note = tree.xpath("//*[@id='edu-unverified-note']")
    assert note and "have not yet checked them against the original study" in note[0].text_content()


def test_patients_are_told_in_the_description_and_the_handout(approved: Path):
    site = approved / "site"
    tree = parse(site / "patient" / SMALL / "index.html")
    description = tree.xpath("//meta[@name='description']/@content")[0]
    # the short answer names the unverified price (review_project), accepted by the sign-off
    assert "5 hundred euros (not yet checked)" in description
    assert jsonld(site, "patient")["description"] == description
    printed = pdf_text(site, "patient")
    assert "5 hundred euros not yet checked" in printed
    assert "Not yet checked: Some figures on this page" in printed


# --- approved: a valid sign-off by a board member ---------------------------------------------

def test_approve_appends_a_record_with_the_fingerprint_and_the_unverified_facts(approved: Path):
    records = yaml.safe_load((approved / SIGNOFFS).read_text(encoding="utf-8"))
    [record] = records
    assert (record["reviewer"], record["credentials"], str(record["date"])) == (
        "Test Reviewer", "MD", SIGNED)
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", record["fingerprint"])
    assert record["unverified"] == sorted(k for k, f in small_facts(approved).items()
                                          if not f["verified"])
    # warning_signs too when the topic has some (test_warning_signs signs one off)
    assert set(record["snapshot"]) == {"question", "audiences", "facts", "references", "glossary"}


@pytest.mark.parametrize("audience", AUDIENCES)
def test_approved_names_the_reviewer_on_page_json_ld_and_handout(approved: Path, audience: str):
    site = approved / "site"
    assert box(site, audience).get("data-status") == "approved"
    text = box_text(site, audience)
    assert "Reviewed by Test Reviewer, MD on November 28, 2026" in text
    assert "Next review due: January 1, 2099" in text
    assert "Not yet reviewed" not in text and "Updated since" not in text
    data = jsonld(site, audience)
    assert data["reviewedBy"] == {"@type": "Person", "name": "Test Reviewer",
                                  "honorificSuffix": "MD"}
    assert data["lastReviewed"] == SIGNED
    assert "Reviewed by Test Reviewer, MD on November 28, 2026" in pdf_text(site, audience)


def test_the_board_page_lists_its_members(approved: Path):
    text = " ".join(parse(approved / "site" / "advisory-board" / "index.html").text_content().split())
    assert "Test Reviewer, MD: test fixture, not a person" in text


def test_approving_the_unchanged_topic_again_records_nothing(approved: Path, tmp_path: Path):
    root = Path(shutil.copytree(approved, tmp_path / "project"))
    before = (root / SIGNOFFS).read_bytes()
    again = approve(root)
    assert again.code == 0 and "nothing recorded" in again.out
    assert (root / SIGNOFFS).read_bytes() == before


# --- changed since review ---------------------------------------------------------------------

def test_the_build_says_exactly_what_changed(changed: tuple[Path, str]):
    root, output = changed
    line = (root / PATIENT).read_text(encoding="utf-8").splitlines().index(
        next(l for l in (root / PATIENT).read_text(encoding="utf-8").splitlines()
             if l.startswith(EDITED))) + 1
    assert (f"{SIGNOFFS}:3: warning: topic '{SMALL}' has changed since its review on {SIGNED} "
            "by Test Reviewer:") in output
    assert "    fact 'rest_weeks': value 3 to 4 -> 2 to 4\n" in output
    assert f"    patient prose ({PATIENT}):\n" in output
    assert f"      - line {line}: {SENTENCE}" in output
    assert f"      + line {line}: {EDITED}" in output
    assert "    reference 'testref_a': page '1085-1092' -> '1085-1093'" in output
    assert "[changed-since-review]" in output


@pytest.mark.parametrize("audience", AUDIENCES)
def test_a_changed_topic_is_no_longer_shown_as_reviewed(changed: tuple[Path, str], audience: str):
    site = changed[0] / "site"
    assert box(site, audience).get("data-status") == "changed-since-review"
    text = box_text(site, audience)
    assert "Updated since its review on November 28, 2026" in text
    assert "Not yet reviewed" in text and "Reviewed by" not in text
    data = jsonld(site, audience)
    assert "reviewedBy" not in data and "lastReviewed" not in data
    printed = pdf_text(site, audience)
    assert "Updated since its review on November 28, 2026" in printed
    assert "Reviewed by" not in printed


def test_strict_refuses_a_changed_topic_and_keeps_the_site(changed: tuple[Path, str]):
    root = changed[0]
    before = (root / "site" / "patient" / SMALL / "index.html").read_bytes()
    strict = run_cli(root, "build", "--strict")
    assert strict.code != 0
    assert f"error: topic '{SMALL}' has changed since its review" in strict.err
    assert (root / "site" / "patient" / SMALL / "index.html").read_bytes() == before


def test_the_policy_can_hold_back_changed_topics(changed: tuple[Path, str], tmp_path: Path):
    root = Path(shutil.copytree(changed[0], tmp_path / "project"))
    replace(root, "site_config/policy.yml", "published_states: [under_review, approved]\n",
            "published_states: [under_review, approved]\npublish_changed_since_review: false\n")
    result = run_cli(root, "build")
    assert result.code == 0, result.text
    assert f"left out: topic '{SMALL}'" in result.out
    assert not (root / "site" / "patient" / SMALL).exists()


def test_a_new_sign_off_is_appended_and_approves_the_change(changed: tuple[Path, str],
                                                            tmp_path: Path):
    root = Path(shutil.copytree(changed[0], tmp_path / "project"))
    before = (root / SIGNOFFS).read_text(encoding="utf-8")
    result = run_cli(root, "approve", SMALL, "--reviewer", "test reviewer")  # today's date
    assert result.code == 0, result.text
    after = (root / SIGNOFFS).read_text(encoding="utf-8")
    assert after.startswith(before) and len(yaml.safe_load(after)) == 2
    check = run_cli(root, "check", "--strict")
    assert check.code == 0, check.text
    assert "reviewed by Test Reviewer, MD on " in check.out


# --- typed, not signed ------------------------------------------------------------------------

def test_status_approved_without_a_sign_off_is_refused(project: Path):
    replace(project, TOPIC_YML, "status: under_review", "status: approved")
    result = run_cli(project, "build")
    assert result.code == 1
    assert re.search(rf"^{TOPIC_YML}:\d+: error: topic '{SMALL}' says `status: approved`, "
                     r"but no reviewer has signed it off", result.err, re.M)
    assert 'fix: set `status: under_review` until a board member has reviewed it' in result.err


def test_approve_refuses_someone_not_on_the_board(project: Path):
    write(project, BOARD, "[]\n")
    replace(project, TOPIC_YML, f'reviewers: ["{REVIEWER_NAME}"]\n', "")
    result = approve(project)
    assert result.code == 1
    assert "'Test Reviewer' is not on the advisory board, which has no members yet" in result.out
    assert not (project / SIGNOFFS).exists()


def test_approve_refuses_a_topic_with_errors(project: Path):
    replace(project, PATIENT, "{{ fact.min_pain_score }}", "{{ fact.min_pain_scor }}")
    result = approve(project)
    assert result.code == 1
    assert f"topic '{SMALL}' has errors; fix them first:" in result.out
    assert "unknown fact 'min_pain_scor' [unknown-fact]" in result.out
    assert not (project / SIGNOFFS).exists()


# --- overdue ----------------------------------------------------------------------------------

def test_an_overdue_review_is_shown_on_the_page_and_the_handout(project: Path):
    replace(project, TOPIC_YML, "next_review: 2099-01-01", "next_review: 2025-10-16")
    result = run_cli(project, "build")
    assert result.code == 0, result.text
    site = project / "site"
    for audience in AUDIENCES:
        assert "Review overdue since October 16, 2025" in box_text(site, audience)
        assert "Review overdue since October 16, 2025" in pdf_text(site, audience)
    assert box(site).xpath(".//*[@class='edu-review-overdue']")


# --- the site never carries the review view ----------------------------------------------------

def test_make_site_writes_no_review_view(built_site: Path):
    assert not (built_site / "_review").exists()
    assert "_review" not in (built_site / "sitemap.xml").read_text(encoding="utf-8")


# --- make serve: a submitted topic in preview, and the review view ------------------------------

def fetch(url: str, wait: float = 180.0) -> str:
    """The page once the preview server has built it (the first build takes a while)."""
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + wait
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_shows_a_submitted_topic_as_a_draft_and_the_review_view(tmp_path: Path):
    import sys

    # the physicians' version calls its Risks section Complications, with the same id
    complications = small_prose("physician").replace("## Risks", "## Complications {: #risks }")
    project = write_project(tmp_path / "project", review_project({
        f"audiences/physician/{SMALL}.md": complications}))
    replace(project, TOPIC_YML, "status: under_review", "status: submitted")
    replace(project, "site_config/policy.yml", "banners:\n",
            "banners:\n  submitted: Submitted - not yet reviewed.\n")
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "build_tools", "serve", "--port", str(port)],
                              cwd=project, stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        page = lxml_html.fromstring(fetch(f"{url}/patient/{SMALL}/"))
        banner = page.xpath("//*[contains(@class, 'edu-banner')]")[0].text_content()
        assert "Draft - not published" in banner and "Submitted" in banner  # the review line
        whole = page.xpath("//*[contains(@class, 'edu-banner-text')]")[0].text_content()
        assert "Draft - not published" in whole and "Submitted - not yet reviewed" in whole
        review_box = page.xpath("//*[@id='edu-review']")[0]
        assert review_box.get("data-status") == "submitted"
        assert "Not yet reviewed" in review_box.text_content()
        view = lxml_html.fromstring(fetch(f"{url}/_review/{SMALL}/"))
        # the versions side by side, matched by section id: patients' "Risks" beside the
        # physicians' "Complications"
        [risks] = view.xpath("//tr[@data-section='risks']")
        cells = [" ".join(td.text_content().split()) for td in risks.xpath("td")]
        assert len(cells) == 3 and cells[0].startswith("Risks")
        assert cells[2].startswith("Complications")
        rows = view.xpath("//table[@class='facts']/tr[@data-fact]")
        assert {r.get("data-fact") for r in rows} == set(small_facts(project))
        unverified = view.xpath("//tr[@data-fact='brace_cost']")[0]
        assert unverified.get("data-verified") == "false"
        assert "not yet checked" in unverified.text_content()
        assert "Price of a brace" in unverified.text_content()
        assert "There is no sign-off to compare with" in view.text_content()
        assert "data-pagefind-body" not in fetch(f"{url}/_review/{SMALL}/")
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
    built = run_cli(project, "build")
    assert built.code == 0, built.text
    assert not (project / "site" / "_review").exists()
    assert not (project / "site" / "patient" / SMALL).exists()


def test_the_review_view_shows_the_changes_since_the_sign_off(changed: tuple[Path, str]):
    from build_tools.core.pipeline import generate
    from build_tools.site.review_view import review_pages

    pages = review_pages(generate(changed[0], "preview"))
    assert set(pages) == {"_review/index.html"} | {f"_review/{topic.name}/index.html"
                                                   for topic in (changed[0] / "content" / "topics").iterdir()}
    view = lxml_html.fromstring(pages[f"_review/{SMALL}/index.html"])
    assert view.xpath("//*[@id='state']/@data-status") == ["changed-since-review"]
    diff = view.xpath("//pre[@class='diff']")[0].text_content()
    assert "fact 'rest_weeks': value 3 to 4 -> 2 to 4" in diff
    assert "+ line" in diff and EDITED in diff


def test_the_sanitiser_keeps_the_fact_hook():
    from build_tools.core.base.sanitize import sanitize_html

    html = ('<p>after <span class="edu-fact" data-fact="weeks" data-verified="false">3 to 4 weeks '
            '<sup class="edu-unverified"><a href="#edu-unverified-note">not yet checked</a></sup>'
            '</span></p>')
    assert sanitize_html(html) == html


def test_approve_records_only_what_the_review_view_showed(changed: tuple[Path, str], tmp_path: Path):
    from build_tools.core.pipeline import generate
    from build_tools.site.review_view import review_pages

    root = Path(shutil.copytree(changed[0], tmp_path / "project"))
    view = lxml_html.fromstring(review_pages(generate(root, "preview"))[f"_review/{SMALL}/index.html"])
    shown = re.search(r"FINGERPRINT=(sha256:[0-9a-f]{64})", view.xpath("//code[@id='approve']")[0]
                      .text_content()).group(1)
    replace(root, PATIENT, EDITED, "If it still hurts, ask the nurse at the next visit.")
    before = (root / SIGNOFFS).read_bytes()
    stale = approve(root, "--fingerprint", shown)
    assert stale.code == 1
    assert f"topic '{SMALL}' has changed since the review view showed fingerprint {shown}" in stale.out
    assert (root / SIGNOFFS).read_bytes() == before
    replace(root, PATIENT, "If it still hurts, ask the nurse at the next visit.", EDITED)
    assert approve(root, "--fingerprint", shown).code == 0
    assert yaml.safe_load((root / SIGNOFFS).read_text(encoding="utf-8"))[-1]["fingerprint"] == shown
