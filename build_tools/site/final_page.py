"""The final check of one page's bytes (site.final_check): where it makes the browser go, what
script it runs, which numbers it shows, and what its handout must show.

URLs. Every attribute a browser loads from (src, srcset, poster, data, action, formaction,
background, ping, manifest, the href of link, base and SVG elements, xlink:href, a meta
refresh, CSS url() in style attributes and in any other attribute, such as SVG's fill) must
stay on the site: relative, or absolute to the site's own host (site.yml's site_url), or inert
data:. A reader's
link (<a>/<area> href) to another host is allowed only to a DOI, PubMed or trial registry
address of the topic's own references inside ol#edu-references, or to a host of LINK_HOSTS.
javascript:, vbscript: and data: documents are refused anywhere.

Script. Every <script> is the theme's: a file under the site's assets/ folder, one of the
theme's inline scripts (THEME_INLINE), or JSON data (application/json, application/ld+json)
that parses and holds no "</". No on* attribute, no iframe srcdoc, no <style> element (the
theme ships none; one could hide the disclaimer or print a number with CSS `content`).

Numbers (topic pages). Every character with a Unicode numeric value in the text a reader sees
(text nodes of the whole document, and alt/title/aria-label/placeholder attributes) must lie
in span.edu-fact (a fact), sup.edu-cites (citation numbers), span.edu-literal (literal(), which
refuses facts' values), be part of a name in site_config/number_names.yml, or lie in furniture
the templates print from validated typed fields, exempt as follows (read from real pages):
- ol#edu-references: the reference list from content/references.yml (years, volumes, pages,
  DOIs); it is compared with the library's, and across the topic's pages.
- dates in #edu-review: "Updated November 30, 2026" and the like, printed by longdate from the
  typed dates of topic.yml and the sign-off; only text shaped as such a date is exempt there,
  the rest of the box (banner, reviewer) is checked; likewise in p#edu-translation-stale, the
  date of the English page's last change that a translation made before it gives.
- the date that opens each entry of "What changed" (<li><strong>DATE:</strong>), a typed
  date; the summary after it is content and is checked.
- p.edu-contact: the site's contact line from site_config/site.yml (a phone number).
- the title attribute of abbr.edu-term: the glossary's definition, from content/glossary.yml.
Script, style and template elements are not text a reader sees.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

from ..core.base.problems import Problem
from ..core.base.numerals import has_numeral
from .browser_urls import clean, css_urls, parse, refresh_url, srcset_urls
from .html_check import FACT_SPANS, MARKS, squash

# Hosts a reader may be sent to outside the reference list, and why.
LINK_HOSTS = MappingProxyType({
    "squidfunk.github.io": "the theme's credit in every page's footer (Material for MkDocs)",
})
LOAD_ATTRS = ("src", "poster", "action", "formaction", "background", "lowsrc", "dynsrc",
              "manifest", "codebase", "xlink:href")
LIST_ATTRS = ("ping", "archive")  # space-separated URLs
SRCSET_ATTRS = ("srcset", "imagesrcset")
LINK_TAGS = ("a", "area")
DATA_TYPES = ("application/json", "application/ld+json")
MD_HELPERS = ('__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=l'
              'ocalStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,'
              't=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))'
              '}catch(e){}}')
# Material for MkDocs' inline scripts (its base.html); the base URL is a string without quotes
THEME_INLINE = (
    re.compile(r'__md_scope=new URL\("[^"\\<\n]*",location\),' + re.escape(MD_HELPERS)),
    re.compile(re.escape('var target=document.getElementById(location.hash.slice(1));target&&'
                         'target.name&&(target.checked=target.name.startsWith("__tabbed_"))')),
)
NOT_TEXT = ("script", "style", "template")
TEXT_ATTRS = ("alt", "title", "aria-label", "placeholder")
PUNCTUATION = ".,;:!?()[]{}\"'«»“”‘’…"


@dataclass
class PageContext:
    """What every page is checked against besides its own bytes."""

    site_host: str
    base_path: str  # the site's path on its host, "/" or "/edu/"
    assets: frozenset[str]  # paths on the host of every file under the site's assets/
    names: re.Pattern[str] | None  # site_config/number_names.yml
    dates: re.Pattern[str]  # a date as the pages print it (core/base/wording.py, Wording.dates)
    reference_urls: dict[str, frozenset[str]] = field(default_factory=dict)  # per topic


def page_problems(tree: Any, rel: str, ctx: PageContext, topic: str | None) -> list[Problem]:
    where = f"site/{rel}"
    problems = [*_url_problems(tree, rel, ctx, topic), *_script_problems(tree, rel, ctx)]
    if topic:
        problems += _number_problems(tree, ctx.names, ctx.dates)
    return [Problem(where, None, code, message, hint) for code, message, hint in problems]


Found = Iterator[tuple[str, str, str]]  # (code, message, fix)


def _url_problems(tree: Any, rel: str, ctx: PageContext, topic: str | None) -> Found:
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            yield from _attribute(element, name.lower(), value, rel, ctx, topic)
        if element.tag == "style":  # it could hide the disclaimer or print a number
            yield ("content-style", "the page has a <style> element; pages are styled by the "
                   "theme's stylesheets only", "remove it, or style the page in "
                   "templates/theme/assets/edu.css")
        if element.tag == "meta" and (element.get("http-equiv") or "").strip().lower() == "refresh":
            yield from _loads([refresh_url(element.get("content") or "")], ctx, "a meta refresh")


def _attribute(element: Any, name: str, value: str, rel: str, ctx: PageContext,
               topic: str | None) -> Found:
    tag = element.tag
    if name.startswith("on"):
        yield ("event-attribute", f"<{tag}> has an event handler attribute {name}",
               "remove it: pages run no script but the theme's")
    elif name == "srcdoc":
        yield ("content-script", f"<{tag}> carries a page of its own in srcdoc",
               "remove it: pages run no script but the theme's")
    elif name == "style":
        yield from _loads(css_urls(value), ctx, f"a style attribute of <{tag}>")
    elif name == "href" and tag in LINK_TAGS:
        yield from _link(element, value, ctx, topic)
    elif name in LOAD_ATTRS or (name == "href" and tag != "meta") or (
            name == "data" and tag == "object"):
        yield from _loads([value], ctx, f"<{tag} {name}>")
    elif name in LIST_ATTRS:
        yield from _loads(value.split(), ctx, f"<{tag} {name}>")
    elif name in SRCSET_ATTRS:
        yield from _loads(srcset_urls(value), ctx, f"<{tag} {name}>")
    elif "url" in value.lower() or "\\" in value:  # SVG paint: fill="url(…)"
        yield from _loads(css_urls(value), ctx, f"a url() in <{tag} {name}>")


def _loads(urls: list[str], ctx: PageContext, where: str) -> Found:
    for value in [u for u in urls if u.strip()]:
        url = parse(value)
        if url.kind == "script":
            yield _script_url(value, where)
        elif url.kind == "other" or (url.kind == "host" and url.host != ctx.site_host):
            yield ("third-party-request", f"{where} loads {value!r} from outside the site",
                   "serve it from the site itself; patients' reading must stay private")


def _script_url(value: str, where: str) -> tuple[str, str, str]:
    return ("script-url", f"{where} holds a URL that runs script: {value[:60]!r}",
            "remove it: pages run no script but the theme's")


def _link(element: Any, value: str, ctx: PageContext, topic: str | None) -> Found:
    url = parse(value)
    if url.kind == "script":
        yield _script_url(value, "a link")
    elif url.kind == "data" or (url.kind == "other" and url.scheme not in ("mailto", "tel")) or (
            url.kind == "host" and url.host != ctx.site_host and url.host not in LINK_HOSTS
            and not _reference_link(element, value, ctx, topic)):
        yield ("external-link", f"a link leads off the site: {value[:80]!r}",
               "link other sites only from content/references.yml (DOI, PubMed, trial "
               "registry); a reader's page links nowhere else")


def _reference_link(element: Any, value: str, ctx: PageContext, topic: str | None) -> bool:
    in_list = element.xpath("ancestor::ol[@id='edu-references']")
    return bool(topic and in_list and value in ctx.reference_urls.get(topic, frozenset()))


def _script_problems(tree: Any, rel: str, ctx: PageContext) -> Found:
    for script in tree.iter("script"):
        kind = (script.get("type") or "").strip().lower()
        text = script.text or ""
        if kind in DATA_TYPES and script.get("src") is None:
            if "</" in text or not _is_json(text):
                yield ("content-script", f"a script of type {kind} is not plain JSON data",
                       "keep structured data to what the templates write (site.jsonld)")
        elif script.get("src") is not None:
            if not _theme_file(script.get("src"), rel, ctx):
                yield ("content-script", f"a script is loaded from {script.get('src')[:80]!r}, "
                       "not from the theme's assets", "remove it: pages run no script but the "
                       "theme's files under assets/")
        elif not any(p.fullmatch(text.strip()) for p in THEME_INLINE):
            yield ("content-script", f"an inline script that the theme does not ship: "
                   f"{squash(text)[:60]!r}", "remove it: pages run no script but the theme's")


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _theme_file(src: str, rel: str, ctx: PageContext) -> bool:
    url = parse(src)
    if url.kind not in ("relative", "host") or (url.kind == "host" and url.host != ctx.site_host):
        return False
    path = urlsplit(urljoin(f"http://site{ctx.base_path}{rel}", clean(src))).path
    return path in ctx.assets


def _number_problems(tree: Any, names: re.Pattern[str] | None, dates: re.Pattern[str]) -> Found:
    seen = set()
    for text in reader_texts(tree, dates):
        plain = names.sub(" ", text) if names else text
        for token in _tokens(plain):
            if token not in seen:
                seen.add(token)
                yield ("unmarked-number",
                       f'the number "{token}" is not a fact\'s value: "{_snippet(text, token)}"',
                       'insert figures with fact() (literal() for a phone number or a count '
                       'that is no figure); a name such as "SF-36" goes in '
                       "site_config/number_names.yml with a reason")


def _tokens(text: str) -> list[str]:
    return [word.strip(PUNCTUATION) or word for word in text.split() if has_numeral(word)]


def _snippet(text: str, token: str) -> str:
    flat = squash(text)
    start = max(0, flat.find(token) - 30)
    end = start + 70
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")


def reader_texts(tree: Any, dates: re.Pattern[str]) -> Iterator[str]:
    """The text a reader sees outside facts, citations, literals and the exempt furniture
    (module docstring); text with a number only."""
    stack: list[tuple[Any, tuple[bool, bool]]] = [(tree, (False, False))]
    while stack:
        element, outer = stack.pop()
        if element.tail and not outer[0] and has_numeral(element.tail):
            yield dates.sub(" ", element.tail) if outer[1] else element.tail
        if not isinstance(element.tag, str):
            continue
        inner = _context(element, outer, dates)
        if not inner[0]:
            yield from _own_texts(element, inner[1], dates)
        stack.extend((child, inner) for child in element)


def _context(element: Any, outer: tuple[bool, bool], dates: re.Pattern[str]
             ) -> tuple[bool, bool]:
    """(skipped, dated) inside this element."""
    classes = f" {element.get('class') or ''} "
    skipped = outer[0] or element.tag in NOT_TEXT or element.get("id") == "edu-references" or any(
        f" {name} " in classes and element.tag == tag for tag, name in (
            ("span", "edu-fact"), ("sup", "edu-cites"), ("span", "edu-literal"),
            ("p", "edu-contact"))) or _change_date(element, dates)
    return skipped, outer[1] or element.get("id") in ("edu-review", "edu-translation-stale")


def _change_date(element: Any, dates: re.Pattern[str]) -> bool:
    """<li><strong>November 30, 2026:</strong> … in the list under "What changed"."""
    item = element.getparent()
    if element.tag != "strong" or item is None or item.tag != "li" or (item.text or "").strip() \
            or item.index(element) != 0 or not dates.fullmatch((element.text or "").rstrip(":")):
        return False
    heading = item.getparent().getprevious() if item.getparent() is not None else None
    return heading is not None and heading.tag == "h2" and heading.get("id") == "what-changed"


def _own_texts(element: Any, dated: bool, dates: re.Pattern[str]) -> Iterator[str]:
    texts = [element.text or ""] + [element.get(name) or "" for name in TEXT_ATTRS
                                    if not (name == "title" and element.tag == "abbr")]
    for text in texts:
        if has_numeral(text):
            yield dates.sub(" ", text) if dated else text


@dataclass(frozen=True)
class FactShown:
    key: str
    text: str  # as the page shows it, without the "not yet checked" mark
    verified: bool
    mark: str  # the mark's text, "" for a checked fact
    # in the page's "What changed" list, which the handout does not print
    in_change_log: bool = False


IN_CHANGE_LOG = "ancestor::ul[preceding-sibling::*[1][self::h2][@id='what-changed']]"


def facts_shown(tree: Any) -> list[FactShown]:
    shown = []
    for span in tree.xpath(FACT_SPANS):
        marks = span.xpath(MARKS)
        mark_texts = {id(m) for m in marks}
        text = "".join(_text_outside(span, mark_texts))
        shown.append(FactShown(str(span.get("data-fact")), squash(text),
                               span.get("data-verified") == "true",
                               squash(marks[0].text_content()) if marks else "",
                               bool(span.xpath(IN_CHANGE_LOG))))
    return shown


def _text_outside(element: Any, left_out: set[int]) -> Iterator[str]:
    if id(element) in left_out:
        return
    if isinstance(element.tag, str):
        yield element.text or ""
    for child in element:
        yield from _text_outside(child, left_out)
        yield child.tail or ""


def handout_link(tree: Any, rel: str, base_path: str) -> str | None:
    """The site path of the PDF the page links to ("handouts/x-patient.pdf")."""
    hrefs = tree.xpath("//p[contains(concat(' ', @class, ' '), ' edu-handout ')]//a/@href")
    if not hrefs:
        return None
    path = urlsplit(urljoin(f"http://site{base_path}{rel}", clean(str(hrefs[0])))).path
    return path.removeprefix(base_path) if path.startswith(base_path) else path


def reference_texts(tree: Any) -> list[str]:
    return [squash(li.text_content()) for li in tree.xpath("//ol[@id='edu-references']/li")]


def unverified_note(tree: Any) -> str:
    notes = tree.xpath("//*[@id='edu-unverified-note']")
    return squash(notes[0].text_content()) if notes else ""


def parse_page(data: bytes) -> Any:
    return lxml_html.fromstring(data)

