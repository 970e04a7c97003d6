"""The example topic says what its sources support, and no more (shared/content-sources.md)."""
from conftest import parse


def page(site, audience):
    return parse(site / audience / "vertebroplasty" / "index.html")


def words(element) -> str:
    return " ".join(element.text_content().split())


def test_every_version_says_the_new_fracture_difference_could_be_chance(built_site):
    for audience in ("patient", "nurse", "physician"):
        risks = page(built_site, audience).xpath("//article//li[contains(., 'after vertebroplasty')"
                                                  " and contains(., 'new')]")
        text = " ".join(words(li) for li in risks)
        assert "chance" in text, audience


def test_physician_lists_the_vertos_ii_age_and_pain_duration_criteria(built_site):
    criteria = page(built_site, "physician").xpath(
        "//li[starts-with(normalize-space(.), 'Criteria used in VERTOS II')]/ul/li")
    texts = [words(li) for li in criteria]
    assert "age 50 years or older;" in texts
    assert "back pain for 6 weeks or less;" in texts
    assert not any("unverified" in t for t in texts[:2])


def test_vertos_time_points_are_verified_and_the_grade_is_not(built_site):
    tree = page(built_site, "physician")
    grade = tree.xpath("//span[@class='edu-grade']")[0]
    following = grade.getnext()
    assert following is not None and following.get("class") == "edu-unverified"
    evidence = [words(li) for li in tree.xpath("//li[contains(., 'VERTOS II') and contains(., 'at 1 month')]")]
    assert evidence and all("at 1 month and" in t and "at 1 year" in t for t in evidence)
    assert all("1 monthunverified" not in t and "1 yearunverified" not in t for t in evidence)
