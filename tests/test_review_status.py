"""Status lines that are true: "being checked by the board" only with a board member assigned.

`status: under_review` in topic.yml is the editors' word; readers are told a topic is being
checked only while a member of site_config/advisory_board.yml is assigned to it (`reviewers:`).
Otherwise every page, handout, JSON-LD block and the review view says that no clinician has
reviewed it yet. "Dr Test Member" is a fixture of these tests, not a person.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from lxml import html as lxml_html

from conftest import parse, run_in_process
from projects import AUDIENCES, base_files, topic_files

KEY = "bracing"
TOPIC_YML = f"content/topics/{KEY}/topic.yml"
BOARD = """
    - name: Dr Test Member
      credentials: MD
      role: test fixture, not a person
    """
# What a page would say if it claimed a review going on
CLAIMS = re.compile(r"under review|being checked|is checking|checked by the", re.IGNORECASE)
BODY = """
    ## Rest first

    Rest for a few weeks first {{ cite("testref_a") }}.
    """


def files(board: str = "[]\n", reviewers: tuple[str, ...] = ()) -> dict[str, str]:
    return {**base_files(), "site_config/advisory_board.yml": board,
            **topic_files(KEY, title="Does a brace help", body=BODY, reviewers=reviewers)}


def words(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def printed(root: Path) -> dict[str, lxml_html.HtmlElement]:
    """The HTML of each audience's handout, as the PDF is made from it."""
    from build_tools.core.pipeline import banners, generate
    from build_tools.handouts.handout import HandoutPrinter

    result = generate(root)
    assert result.ok and result.library is not None, [str(p) for p in result.problems]
    topics = list(result.library.topics.values())
    printer = HandoutPrinter(root, result.library, banners(result.library, topics, result.reviews),
                             0, result.reviews)
    return {v.audience.key: lxml_html.fromstring(printer.html(v)) for v in result.variants}


def review_view(root: Path) -> lxml_html.HtmlElement:
    from build_tools.core.pipeline import generate
    from build_tools.site.review_view import review_pages

    return lxml_html.fromstring(review_pages(generate(root, "preview"))[f"_review/{KEY}/index.html"])


def test_with_an_empty_board_no_page_claims_a_review_in_progress(make_project):
    root = make_project(files())
    built = run_in_process(root, "build")
    assert built.code == 0, built.text
    pages = sorted((root / "site").rglob("*.html"))
    assert len(pages) > 5
    for path in pages:
        tree = parse(path)
        text = words(tree.xpath("//body")[0])
        assert not CLAIMS.search(text), f"{path}: {CLAIMS.search(text).group(0)}"
        assert not tree.xpath("//*[@data-status='under_review']"), path
    for audience in AUDIENCES:
        tree = parse(root / "site" / audience / KEY / "index.html")
        box = tree.xpath("//*[@id='edu-review']")[0]
        assert box.get("data-status") == "no-reviewer"
        assert words(box).startswith("Not yet reviewed · Updated January 1, 2025")
        assert "No clinician has reviewed this page yet." in words(box)
        [banner] = box.xpath(".//*[contains(@class, 'edu-banner-text')]")
        assert words(banner) == ("Not yet reviewed - no clinician has reviewed this page yet. "
                                 "Do not use it alone for care decisions.")
        data = json.loads(tree.xpath("//script[@type='application/ld+json']/text()")[0])
        assert not {"reviewedBy", "lastReviewed"} & set(data)
        assert not CLAIMS.search(json.dumps(data))
    for audience, handout in printed(root).items():
        text = words(handout.xpath("//body")[0])
        assert not CLAIMS.search(text), audience
        assert handout.xpath("//*[@class='edu-banner']/@data-status") == ["no-reviewer"]
        shown = [words(dd) for dd in handout.xpath("//*[@id='edu-review']//dd")]
        assert shown[:2] == ["Not yet reviewed", "No clinician has reviewed this page yet"]
    view = review_view(root)
    assert view.xpath("//*[@id='state']/@data-status") == ["no-reviewer"]
    assert "No board member is assigned to review it" in words(view.xpath("//*[@id='state']")[0])


def test_the_banner_for_an_unassigned_topic_is_set_in_the_policy(make_project):
    project = files()
    project["site_config/policy.yml"] += "no_reviewer_banner: Draft text - nobody has checked it.\n"
    from build_tools.core.pipeline import generate

    result = generate(make_project(project))
    page = next(p for p in result.pages if p.path == f"nurse/{KEY}.md")
    assert '<p class="edu-banner-text" role="note"><strong>Draft text - nobody has checked it.' \
        in page.text


def test_an_assigned_board_member_makes_the_under_review_line_appear(make_project):
    root = make_project(files(BOARD, ("dr test  member",)))
    checked = run_in_process(root, "check")
    assert checked.code == 0, checked.text
    assert "no-reviewer-assigned" not in checked.text
    assert "being checked by Dr Test Member (no sign-off yet)" in checked.out
    from build_tools.core.pipeline import generate

    result = generate(root)
    assert result.ok and result.reviews[KEY].state == "under_review"
    page = next(p for p in result.pages if p.path == f"patient/{KEY}.md")
    box = lxml_html.fromstring(re.search(r"<details id=\"edu-review\".*?</details>", page.text,
                                         re.DOTALL).group(0))
    assert box.get("data-status") == "under_review"
    assert words(box).startswith("Under review · Not yet reviewed · Updated January 1, 2025")
    assert "Under review - this page may change." in words(box)
    assert "Being checked for the Test Board by Dr Test Member, MD; not yet signed off." in words(box)
    handout = words(printed(root)["patient"].xpath("//body")[0])
    assert "Being checked by Dr Test Member, MD; not yet signed off" in handout
    assert "Being checked by Dr Test Member, MD." in words(review_view(root))


def test_an_unknown_reviewer_is_an_error_at_its_line_with_a_fix(make_project):
    root = make_project(files(BOARD, ("Dr Test Membr",)))
    result = run_in_process(root, "check")
    assert result.code == 1
    line = (root / TOPIC_YML).read_text(encoding="utf-8").splitlines().index(
        'reviewers: ["Dr Test Membr"]') + 1
    assert (f"{TOPIC_YML}:{line}: error: the reviewer 'Dr Test Membr' is not on the advisory "
            "board (site_config/advisory_board.yml) [unknown-reviewer]\n"
            "    fix: did you mean 'Dr Test Member'?") in result.text


def test_a_reviewer_with_an_empty_board_is_an_error_that_says_what_to_do(make_project):
    root = make_project(files("[]\n", ("Dr Nobody",)))
    result = run_in_process(root, "check")
    assert result.code == 1
    assert ("error: the reviewer 'Dr Nobody' is not on the advisory board "
            "(site_config/advisory_board.yml) [unknown-reviewer]\n"
            "    fix: write the name as the board file spells it, or add the member to "
            "site_config/advisory_board.yml") in result.text


def test_under_review_without_a_reviewer_is_a_warning_at_the_status_line(make_project):
    root = make_project(files())
    result = run_in_process(root, "check")
    assert result.code == 0, result.text
    line = (root / TOPIC_YML).read_text(encoding="utf-8").splitlines().index(
        "status: under_review") + 1
    assert (f"{TOPIC_YML}:{line}: warning: topic '{KEY}' is under review, but no board member "
            "is assigned to it: its pages say that no clinician has reviewed it yet "
            "[no-reviewer-assigned]\n"
            "    fix: assign a member of site_config/advisory_board.yml (`reviewers: [NAME]`), "
            "or set `status: submitted`") in result.text
    assert "not yet reviewed (no sign-off; no board member assigned" in result.out


def test_a_submitted_topic_is_not_warned_about(make_project):
    project = files()
    project[TOPIC_YML] = project[TOPIC_YML].replace("status: under_review", "status: submitted")
    result = run_in_process(make_project(project), "check", "--preview")
    assert result.code == 0, result.text
    assert "no-reviewer-assigned" not in result.text
