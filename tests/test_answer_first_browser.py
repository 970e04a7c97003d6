"""Answer first: on a phone's first screen a reader sees the short answer, and the review state
as one line that opens to its details (issue 13, item 1)."""
from pathlib import Path

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
    if viewport is PHONE and path == "/patient/vertebroplasty/":
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "answer-first-375.png"))


def patient_pages(site: Path) -> list[str]:
    return sorted(f"/patient/{p.parent.name}/" for p in (site / "patient").glob("*/index.html")
                  if p.parent.name != "categories")


def test_every_patient_page_shows_the_emergency_signs_on_the_first_phone_screen(
        page, site_url, built_site):
    """Issue 18: what to do in an emergency, and its signs, without scrolling at 375x812."""
    page.set_viewport_size(PHONE)
    paths = patient_pages(built_site)
    assert len(paths) >= 2, paths
    for path in paths:
        page.goto(site_url + path)
        emergency = page.locator(".edu-warning-signs [data-urgency='emergency']")
        expect(emergency.locator("li").first).to_be_visible()
        box = emergency.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], (path, box)
        answer = page.locator("#edu-short-answer").bounding_box()
        assert answer is not None and answer["y"] < box["y"], path  # right after the answer
        dial = emergency.locator("a[href^='tel:']")
        expect(dial).to_have_count(1)


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
