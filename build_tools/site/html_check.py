"""Stage 4, check (final): invariants read back from the HTML the site engine produced."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

from lxml import html as lxml_html

from ..core.facts.fact_base import usable_facts
from ..core.base.model import Library
from ..core.base.problems import Problem

THIRD_PARTY = re.compile(r"^(https?:)?//", re.I)
CSS_REMOTE = re.compile(r"(@import\s+(url\()?\s*['\"]?|url\(\s*['\"]?)(https?:)?//", re.I)
LOADS = ("//script/@src", "//link[not(@rel='canonical' or @rel='alternate')]/@href", "//img/@src", "//iframe/@src",
         "//source/@src", "//video/@src", "//audio/@src", "//embed/@src", "//object/@data")
WORDS = re.compile(r"\s+")


def squash(text: str) -> str:
    return WORDS.sub(" ", text).strip()


Listing = tuple[str, str, str]  # (topic, page, digest of its reference list)


def check_page(html: bytes | str, rel: str, library: Library) -> tuple[list[Problem], Listing | None]:
    """One page's problems, and its reference list for comparing it with the topic's others
    (the build checks each page once, when the engine has made it: site.html_pages)."""
    return check_tree(lxml_html.fromstring(html), rel, library)


def check_tree(tree: lxml_html.HtmlElement, rel: str, library: Library,
               requests: bool = True) -> tuple[list[Problem], Listing | None]:
    """check_page on a parsed page; without the test for loads from another host when the
    caller makes a stricter one (site.final_check)."""
    problems = [*_disclaimer(tree, rel, library), *(_requests(tree, rel) if requests else [])]
    topic = meta(tree, "edu:topic")
    if not topic:
        return problems, None
    found, listing = _topic_hooks(tree, rel, library, topic)
    return problems + found, (topic, f"site/{rel}", listing)


def compare_reference_lists(listings: list[Listing]) -> list[Problem]:
    """Every variant of a topic carries the identical list: each page against the topic's first."""
    first: dict[str, tuple[str, str]] = {}
    problems = []
    for topic, where, listing in sorted(listings):
        earlier = first.setdefault(topic, (where, listing))
        if earlier[1] != listing:
            problems.append(Problem(where, None, "reference-list-differs",
                                    f"the reference list differs from the one on {earlier[0]}",
                                    "every variant must carry the identical list"))
    return problems


def check_stylesheets(site_dir: Path) -> list[Problem]:
    problems = []
    for path in sorted(site_dir.rglob("*.css")):
        if CSS_REMOTE.search(path.read_text(encoding="utf-8", errors="replace")):
            problems.append(Problem(f"site/{path.relative_to(site_dir).as_posix()}", None,
                                    "third-party-request", "the stylesheet loads a file from another host",
                                    "serve the file from the site itself (theme.font: false for fonts)"))
    return problems


def meta(tree: lxml_html.HtmlElement, name: str) -> str | None:
    found = tree.xpath(f"//meta[@name='{name}']/@content")
    return str(found[0]) if found else None


def _disclaimer(tree: lxml_html.HtmlElement, rel: str, library: Library) -> Iterator[Problem]:
    audience = meta(tree, "edu:audience")
    key = library.audiences[audience].disclaimer if audience in library.audiences else "general"
    expected = squash(library.site.disclaimers[key])
    boxes = tree.xpath("//*[@id='edu-disclaimer']")
    if len(boxes) != 1 or expected not in squash(boxes[0].text_content()) or _hidden(boxes[0]):
        found = "no disclaimer" if not boxes else f"{len(boxes)} disclaimer boxes" if len(boxes) > 1 \
            else "a hidden disclaimer" if _hidden(boxes[0]) else "a disclaimer with other text"
        yield Problem(f"site/{rel}", None, "missing-disclaimer",
                      f"the page carries {found}; it must show the '{key}' disclaimer once",
                      "keep #edu-disclaimer in the templates and theme overrides")


def _hidden(box: lxml_html.HtmlElement) -> bool:
    """Hidden by the page itself; a theme stylesheet that hides it is not caught here."""
    return bool(box.xpath("ancestor-or-self::*[@hidden or contains(translate(@style, ' ', ''),"
                          " 'display:none')]"))


def _requests(tree: lxml_html.HtmlElement, rel: str) -> Iterator[Problem]:
    for query in LOADS:
        for url in tree.xpath(query):
            if THIRD_PARTY.match(str(url)):
                yield Problem(f"site/{rel}", None, "third-party-request",
                              f"the page loads {url} from another host",
                              "serve it from the site itself; patients' reading must stay private")
    for style in tree.xpath("//style/text()|//@style"):
        if CSS_REMOTE.search(str(style)):
            yield Problem(f"site/{rel}", None, "third-party-request",
                          "an inline style loads a file from another host", "remove it")


def _topic_hooks(tree: lxml_html.HtmlElement, rel: str, library: Library,
                 topic: str) -> tuple[list[Problem], str]:
    where = f"site/{rel}"
    problems = []
    expected = [f"ref-{k}" for k in library.topics[topic].references]
    items = tree.xpath("//ol[@id='edu-references']/li/@id")
    if items != expected:
        problems.append(Problem(where, None, "reference-list", "the reference list is not the topic's list",
                                "keep ol#edu-references in the topic template"))
    for href in tree.xpath("//a[contains(concat(' ', @class, ' '), ' edu-cite ')]/@href"):
        if str(href).removeprefix("#") not in items:
            problems.append(Problem(where, None, "unknown-reference", f"citation {href} leads nowhere",
                                    "cite only the topic's references"))
    listing = lxml_html.tostring(tree.xpath("//ol[@id='edu-references']")[0]) if items else b""
    if not tree.xpath("//*[@id='edu-review'][@data-status]"):
        problems.append(Problem(where, None, "missing-review-box", "the page has no #edu-review box",
                                "keep #edu-review in the topic template"))
    problems += _unverified_marks(tree, where, library, topic)
    switch = tree.xpath("//*[@id='edu-audience-switch']//a/@href")
    if len(switch) != len(library.audiences) - 1:
        problems.append(Problem(where, None, "audience-switch",
                                "the audience switch does not link to every other audience",
                                "keep #edu-audience-switch in the topic template"))
    return problems, hashlib.sha256(listing).hexdigest()


FACT_SPANS = "//span[contains(concat(' ', @class, ' '), ' edu-fact ')]"
MARKS = ".//*[contains(concat(' ', @class, ' '), ' edu-unverified ')]"


def _unverified_marks(tree: lxml_html.HtmlElement, where: str, library: Library,
                      topic: str) -> list[Problem]:
    """Every figure not yet checked still says so where it appears, and the page says what that
    means: a theme override or a sanitiser that drops the mark is caught here."""
    facts = usable_facts(library, library.topics[topic])
    wrong = []
    for span in tree.xpath(FACT_SPANS):
        fact = facts.get(str(span.get("data-fact")))
        shown = [m for m in span.xpath(MARKS) if m.text_content().strip() and not _hidden(m)]
        if fact is None or span.get("data-verified") != str(fact.verified).lower() or (
                not fact.verified and not shown):
            wrong.append(str(span.get("data-fact")))
    if any(s.get("data-verified") == "false" for s in tree.xpath(FACT_SPANS)) and \
            not tree.xpath("//*[@id='edu-unverified-note']"):
        wrong.append("#edu-unverified-note")
    if not wrong:
        return []
    return [Problem(where, None, "unverified-unmarked",
                    f"figures not yet checked are not marked as such: {', '.join(sorted(set(wrong)))}",
                    "keep the .edu-unverified marks of span.edu-fact and #edu-unverified-note in "
                    "the templates and theme overrides")]
