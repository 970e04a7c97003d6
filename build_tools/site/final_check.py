"""Publish, last check before the swap: every page and handout that will be published, read
from the staging folder's bytes, whether made by this build or taken from a cache.

Each page (every *.html) is checked for its audience's disclaimer, where it makes the browser
go, and what script it runs; each topic page also for its topic's reference list (the same on
every page of the topic), the marks of unverified facts, each fact's text against the fact
base (as the audience reads it: core.facts.facts.format_fact), and numbers outside a fact's markup
(the rules and the exempt furniture: site.final_page). Each PDF under handouts/ is read with
pdftotext and held against its page: disclaimer, references, fact values, marks
(site.final_pdf). A page's check before this one (site.html_check, when the engine made it)
cannot see what happened to the file since: a cache edited or damaged, a step that wrote
into the folder.

A verdict is kept in build/<state>/final-check.json with the sha256 of the file's bytes and a
digest of everything it was checked against (the page's expectations from the library, the
allow-list, the site's address and assets, this code); it is reused only when both are equal,
so a build after a one-fact edit reads only the pages and PDFs that changed.
"""
from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from ..core.facts.fact_base import usable_facts
from ..core.facts.facts import format_fact
from ..core.base.model import Library
from ..core.base.variant import Variant
from ..core.pipeline import Mode, Result, state_dir
from ..core.base.problems import Problem, errors
from ..core.base.records import read_record, write_whole
from ..core.facts.references import reference_item
from ..core.base.wording import Wording
from ..handouts.handout import handout_name
from . import browser_urls, final_page, final_pdf, html_check, number_names
from .browser_urls import site_host
from .final_page import FactShown, PageContext
from .html_check import Listing, check_tree, compare_reference_lists, meta, squash
from .html_pages import files_under

RECORD = "final-check.json"
CODE = (browser_urls, final_page, final_pdf, html_check, number_names)
HREF = re.compile(r'href="([^"]*)"')


def check_site(root: Path, site: Path, result: Result, mode: Mode) -> list[Problem]:
    """Every problem of the pages and handouts in site; nothing in site is changed. The pages
    below a translated edition's folder (es/) are held against that edition's library."""
    assert result.library is not None
    names, problems = number_names.load_number_names(root)
    if errors(problems):
        return problems
    expects = {"": Expectations(result.library, result.variants, site, names)}
    for language, translated in result.editions.items():
        expects[language] = Expectations(translated.library, translated.variants, site, names,
                                         language)
    record = state_dir(root, mode) / RECORD
    kept = read_record(record, {})
    rels = _files(site, ".html")
    pages = {rel: _page(site, rel, _kept(kept, "pages", rel), expects[_edition(rel, expects)])
             for rel in rels}
    pdfs: dict[str, dict[str, Any]] = {}
    for edition, expect in expects.items():
        pdfs.update(_handouts(site, {rel: v for rel, v in pages.items()
                                     if _edition(rel, expects) == edition}, kept, expect))
    if kept != {"pages": pages, "pdfs": pdfs}:  # json's C encoder: no indent (1,500 pages)
        write_whole(record, json.dumps({"pages": pages, "pdfs": pdfs}).encode())
    problems += _unmade_handouts(pages, pdfs) if (site / "handouts").is_dir() else []
    found = [Problem.from_dict(p) for v in [*pages.values(), *pdfs.values()] for p in v["problems"]]
    listings = {edition: [tuple(v["listing"]) for rel, v in pages.items()
                          if v["listing"] and _edition(rel, expects) == edition]
                for edition in expects}
    # the reference lists of one language's pages are identical; another's are in its words
    return problems + _once(found) + [p for found_lists in listings.values()
                                      for p in compare_reference_lists(found_lists)]


def _edition(rel: str, expects: Mapping[str, Any]) -> str:
    """The translated edition a file of the site belongs to ("" for the site's own)."""
    top = rel.split("/", 1)[0]
    return top if top in expects and "/" in rel else ""


def _once(problems: list[Problem]) -> list[Problem]:
    """A problem the same on many pages (a title with a number is in every page's
    navigation) is named on its first page, with the number of the others."""
    first: dict[tuple[str, str], list[Problem]] = {}
    for problem in problems:
        first.setdefault((problem.code, problem.message), []).append(problem)
    return [same[0] if len(same) == 1 else Problem(
        same[0].path, same[0].line, same[0].code,
        f"{same[0].message} (and on {len(same) - 1} other page(s))", same[0].hint)
        for same in first.values()]


VERDICT = MappingProxyType({"sha": str, "expect": str, "topic": str, "audience": str,
                            "problems": list})
PROBLEM = MappingProxyType({"path": str, "line": (int, type(None)), "code": str, "message": str,
                            "hint": str, "severity": str})


def _kept(record: Any, kind: str, rel: str) -> dict[str, Any] | None:
    """The record's verdict on a file, when it has the shape this code writes (an older or
    damaged record is read as no verdict: the file is checked again)."""
    verdict = record.get(kind, {}).get(rel) if isinstance(record.get(kind), dict) else None
    fields = {k: v for k, v in VERDICT.items() if kind == "pages" or k in ("sha", "expect",
                                                                           "problems")}
    if not isinstance(verdict, dict) or not _shaped(verdict, fields):
        return None
    return verdict if all(_shaped(p, PROBLEM) for p in verdict["problems"]) else None


def _shaped(value: Any, fields: Mapping[str, Any]) -> bool:
    return isinstance(value, dict) and all(isinstance(value.get(k), t) for k, t in fields.items())


def _files(site: Path, suffix: str) -> list[str]:
    return [p.relative_to(site).as_posix() for p in files_under(site) if p.suffix == suffix]


class Expectations:
    """What the pages are checked against, as digests per (topic, audience), worked out once."""

    def __init__(self, library: Library, variants: list[Variant], site: Path, names: list[str],
                 edition: str = "") -> None:
        self.library: Library = library
        self.folder = f"{edition}/" if edition else ""  # where its pages and handouts are
        settings = self.library.site.settings
        base = urlsplit(settings.site_url).path or "/"
        self.base_path = base if base.endswith("/") else base + "/"
        assets = frozenset(f"{self.base_path}{rel}"
                           for rel in _files_in(site, f"{self.folder}assets"))
        self.context = PageContext(site_host(settings.site_url), self.base_path, assets,
                                   number_names.names_pattern(names),
                                   Wording(self.library.site.strings, settings.language).dates())
        self.handouts = {(v.topic.key, v.audience.key): handout_name(v) for v in variants}
        self.shared = _digest([[_source(m) for m in CODE], settings.site_url, sorted(assets),
                               names, sorted(self.library.audiences),
                               self.library.site.disclaimers, settings.site_name,
                               self.library.site.strings.model_dump(), settings.language,
                               edition])
        self.memo: dict[tuple[str, str], str] = {}
        self.refs: dict[str, str] = {}
        self.urls: dict[str, frozenset[str]] = {}

    def disclaimer(self, audience: str) -> tuple[str, str]:
        known = self.library.audiences.get(audience)
        key = known.disclaimer if known else "general"
        return key, self.library.site.disclaimers[key]

    def of(self, topic: str, audience: str) -> str:
        if (topic, audience) not in self.memo:
            self.memo[(topic, audience)] = _digest([self.shared, topic, audience,
                                                    self._topic(topic),
                                                    self.handouts.get((topic, audience))])
        return self.memo[(topic, audience)]

    def _topic(self, key: str) -> Any:
        topic = self.library.topics.get(key)
        if topic is None:
            return None
        refs = [self._dumped(ref) for ref in topic.references]
        facts = {k: f.model_dump_json() for k, f in usable_facts(self.library, topic).items()}
        return [refs, sorted(facts.items())]

    def fact_texts(self, topic: str, audience: str) -> dict[str, set[str]]:
        """Each fact the topic may show, and every way the audience's page may print it
        (core.facts.facts.FactView: the fact, its bare value, the exact figure, its grade)."""
        known = self.library.audiences.get(audience)
        style = known.numbers if known else "exact"
        texts, words = {}, self.library.site.strings.facts
        for key, fact in usable_facts(self.library, self.library.topics[topic]).items():
            bare = fact.model_copy(update={"unit": None, "plain": None})
            texts[key] = {squash(format_fact(fact, style, words)),
                          squash(format_fact(bare, style, words)),
                          squash(format_fact(fact, "exact", words)), squash(fact.grade or "")}
        return texts

    def _dumped(self, key: str) -> str:
        if key not in self.refs:
            ref = self.library.references.get(key)
            self.refs[key] = f"{key}:{ref.model_dump_json() if ref else None}"
        return self.refs[key]

    def reference_urls(self, topic: str) -> frozenset[str]:
        """The addresses the topic's reference list links to (DOI, PubMed, trial registry);
        asked only for pages read now (a reference's markup takes a millisecond to make)."""
        found = self.context.reference_urls.get(topic)
        if found is None:
            found = frozenset().union(*(self._urls(key) for key in
                                        self.library.topics[topic].references))
            self.context.reference_urls[topic] = found
        return found

    def _urls(self, key: str) -> frozenset[str]:
        if key not in self.urls:
            ref = self.library.references.get(key)
            markup = str(reference_item(1, ref, self.library.site.strings)) if ref else ""
            self.urls[key] = frozenset(html.unescape(url) for url in HREF.findall(markup))
        return self.urls[key]


def _files_in(site: Path, folder: str) -> list[str]:
    return [p.relative_to(site).as_posix() for p in files_under(site / folder)]


def _source(module: Any) -> str:
    return hashlib.sha256(Path(module.__file__).read_bytes()).hexdigest()


def _digest(parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _page(site: Path, rel: str, kept: dict[str, Any] | None, expect: Expectations
          ) -> dict[str, Any]:
    data = (site / rel).read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if kept and kept["sha"] == sha and kept["expect"] == expect.of(kept["topic"],
                                                                   kept["audience"]):
        return kept
    try:
        tree = final_page.parse_page(data)
    except (etree.ParserError, ValueError) as exc:
        return _verdict(sha, expect, "", "", [Problem(
            f"site/{rel}", None, "unreadable-page", f"the page cannot be read as HTML: {exc}",
            "build again; if it stays, remove build/ and build again")])
    return _page_verdict(tree, rel, sha, expect)


def _page_verdict(tree: Any, rel: str, sha: str, expect: Expectations) -> dict[str, Any]:
    topic, audience = meta(tree, "edu:topic") or "", meta(tree, "edu:audience") or ""
    where = f"site/{rel}"
    if topic and topic not in expect.library.topics:
        return _verdict(sha, expect, topic, audience, [Problem(
            where, None, "unknown-topic", f"the page names a topic the content lacks: {topic!r}",
            "build again; if it stays, remove build/ and build again")])
    if topic:
        expect.reference_urls(topic)
    found, listing = check_tree(tree, rel, expect.library, requests=False)
    found += final_page.page_problems(tree, rel, expect.context, topic or None)
    verdict = _verdict(sha, expect, topic, audience, found, listing)
    if topic:
        facts = final_page.facts_shown(tree)
        verdict["problems"] += [p.as_dict() for p in _fact_values(facts, expect, topic,
                                                                  audience, where)]
        verdict.update(facts=[asdict(f) for f in facts],
                       references=final_page.reference_texts(tree),
                       note=final_page.unverified_note(tree),
                       handout=final_page.handout_link(tree, rel, expect.base_path))
        verdict["problems"] += [p.as_dict() for p in _link_problem(verdict, expect, where)]
    return verdict


def _fact_values(facts: list[FactShown], expect: Expectations, topic: str, audience: str,
                 where: str) -> list[Problem]:
    """Each fact shows its value from the fact base, as the audience reads it."""
    texts = expect.fact_texts(topic, audience)
    return [Problem(where, None, "fact-value-differs",
                    f'the fact \'{fact.key}\' shows "{fact.text}", not its value from the fact base',
                    "build again; if it stays, remove build/ and build again")
            for fact in facts if fact.key in texts and fact.text not in texts[fact.key]]


def _verdict(sha: str, expect: Expectations, topic: str, audience: str,
             problems: list[Problem], listing: Listing | None = None) -> dict[str, Any]:
    return {"sha": sha, "expect": expect.of(topic, audience), "topic": topic,
            "audience": audience, "problems": [p.as_dict() for p in problems],
            "listing": listing, "handout": None}


def _link_problem(verdict: dict[str, Any], expect: Expectations, where: str) -> list[Problem]:
    name = expect.handouts.get((verdict["topic"], verdict["audience"]))
    wanted = f"{expect.folder}handouts/{name}"
    if name is None or verdict["handout"] == wanted:
        return []
    return [Problem(where, None, "handout-link",
                    f"the page's handout link leads to {verdict['handout']!r}, not to "
                    f"{wanted}", "keep p.edu-handout in templates/topic.md.j2")]


def _handouts(site: Path, pages: dict[str, dict[str, Any]], kept: Any,
              expect: Expectations) -> dict[str, dict[str, Any]]:
    """A verdict for every PDF under the edition's handouts/; pdftotext reads only PDFs not
    seen before."""
    folder = f"{expect.folder}handouts"
    if not (site / folder).is_dir():
        return {}
    owners = {v["handout"]: rel for rel, v in pages.items() if v.get("handout")}
    rels = _files_in(site, folder)
    verdicts: dict[str, dict[str, Any]] = {}
    todo = []
    for rel in rels:
        sha = hashlib.sha256((site / rel).read_bytes()).hexdigest()
        wanted = _pdf_expected(rel, owners, pages, expect)
        key = _digest([expect.shared, asdict(wanted) if wanted else None])
        known = _kept(kept, "pdfs", rel)
        if known and known["sha"] == sha and known["expect"] == key:
            verdicts[rel] = known
        else:
            todo.append((rel, sha, key, wanted))
    with ThreadPoolExecutor(max_workers=4) as pool:  # pdftotext runs outside the interpreter
        for rel, verdict in zip([t[0] for t in todo], pool.map(lambda t: _pdf(site, *t), todo)):
            verdicts[rel] = verdict
    return verdicts


def _unmade_handouts(pages: dict[str, dict[str, Any]], pdfs: dict[str, Any]) -> list[Problem]:
    return [Problem(f"site/{rel}", None, "handout-missing",
                    f"the page links to {verdict['handout']}, which the site lacks",
                    "build again; a handout that fails is reported with its cause")
            for rel, verdict in pages.items()
            if verdict.get("handout") and verdict["handout"] not in pdfs]


def _pdf_expected(rel: str, owners: dict[str, str], pages: dict[str, dict[str, Any]],
                  expect: Expectations) -> final_pdf.Expected | None:
    owner = owners.get(rel)
    if owner is None:
        return None
    page = pages[owner]
    key, text = expect.disclaimer(page["audience"])
    return final_pdf.Expected(f"site/{owner}", key, text, expect.library.site.settings.site_name,
                              [FactShown(**f) for f in page.get("facts", [])
                               if not f.get("in_change_log")],
                              page.get("references", []), page.get("note", ""),
                              expect.library.site.strings.handout.page_of_parts())


def _pdf(site: Path, rel: str, sha: str, key: str, wanted: final_pdf.Expected | None
         ) -> dict[str, Any]:
    where = f"site/{rel}"
    if wanted is None:
        found = [Problem(where, None, "handout-without-page", "no page links to this handout",
                         "build again; if it stays, remove build/handouts/ and build again")]
    else:
        text, why = final_pdf.pdf_text(site / rel)
        drawn, why = final_pdf.pdf_text(site / rel, raw=True) if text is not None else (None, why)
        found = final_pdf.handout_problems(where, text, drawn, wanted) if (
            text is not None and drawn is not None) else [
            Problem(where, None, "handout-unreadable", f"the handout cannot be read: {why}",
                    "remove build/handouts/ and build again")]
    return {"sha": sha, "expect": key, "problems": [p.as_dict() for p in found]}

