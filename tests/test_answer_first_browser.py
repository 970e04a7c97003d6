"""Answer first: on a phone's first screen a reader sees the short answer, and the review state
as one line that opens to its details (issue 13, item 1)."""
import pytest
from playwright.sync_api import expect

from conftest import ARTIFACTS

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
TOPIC_PAGES = [f"/{audience}/{topic}/" for topic in ("vertebroplasty", "kyphoplasty")
               for audience in ("patient", "nurse", "physician")]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
@pytest.mark.parametrize("path", TOPIC_PAGES)
def test_the_short_answer_starts_on_the_first_screen(page, site_url, path, viewport):
    page.set_viewport_size(viewport)
    page.goto(site_url + path)
    answer = page.locator("#edu-short-answer").bounding_box()
    assert answer is not None and answer["y"] < viewport["height"] - 80, answer
    review = page.locator("#edu-review > summary").bounding_box()
    assert review is not None and review["height"] <= 60, review  # one or two short lines
    if path.startswith("/patient/"):  # and the way to the warning signs
        safety = page.locator(".edu-safety-link a").bounding_box()
        assert safety is not None and safety["y"] + safety["height"] < viewport["height"]
    if viewport is PHONE and path == "/patient/vertebroplasty/":
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "answer-first-375.png"))


def test_the_review_line_says_the_state_and_opens_to_its_details(page, site_url):
    page.set_viewport_size(PHONE)
    page.goto(site_url + "/patient/vertebroplasty/")
    summary = page.locator("#edu-review > summary")
    expect(summary).to_contain_text("Not yet reviewed")
    details = page.locator("#edu-review > p").first
    expect(details).to_be_hidden()
    summary.focus()
    page.keyboard.press("Enter")  # the keyboard opens it as a click does
    expect(details).to_be_visible()
    expect(page.locator("#edu-review .edu-banner-text")).to_contain_text(
        "no clinician has reviewed this page yet")
    expect(page.locator("#edu-review a", has_text="How we write and review")).to_be_visible()
