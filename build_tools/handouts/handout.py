"""Publish, print: one topic for one audience as a PDF handout, made with WeasyPrint.

A handout is made from the same rendered variant as the web page, so its figures, numbered
citations and reference list are the page's. The HTML is filled here; handout_cache.py decides
which handouts need WeasyPrint at all.
"""
from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import markdown
import segno
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from lxml import html as lxml_html
from markupsafe import Markup

from ..core.check.check import description_text
from ..core.base.escaping import md_text
from ..core.base.model import Library, Topic
from ..core.pages.pages import mailto_links, unverified_used
from ..core.facts.references import reference_item
from ..core.base.variant import Variant
from ..core.review.review import Review
from ..core.base.sanitize import sanitize_html
from ..core.base.wording import Wording, html_escape, language_filters
from .typesetting import bind_last_words

# The web page's extensions (mkdocs.yml), so prose renders the same; toc without the permalink
# marks, which mean nothing on paper. tests/test_handouts.py keeps the two lists in step.
MARKDOWN_EXTENSIONS = ("attr_list", "md_in_html", "abbr", "admonition", "tables", "toc")
TEMPLATE = "handout.html.j2"
STYLESHEET = "handout.css"
CITED_WORD = re.compile(r'(?<![^\s>])(?:[^\s<>]+ )?<sup class="edu-cites">.*?</sup>[^\s<]*')
FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?=\s|$)", re.S)
# A glossary term's link leads to the web glossary; on paper it is just the word.
TERM_LINK = re.compile(r'(<abbr class="edu-term"[^>]*>)<a href="[^"]*">(.*?)</a>(</abbr>)', re.S)
# Text blocks of the page body; the running header and footer are in page margins instead.
IN_FLOW_BLOCKS = ("//body//*[self::p or self::li or self::h1 or self::h2 or self::h3 or self::dt"
                  " or self::dd][not(@id='running-site' or @id='running-disclaimer')]")


def handout_name(variant: Variant) -> str:
    """The file name under the site's handouts/ folder, stable for links and bookmarks."""
    return f"{variant.topic.key}-{variant.audience.key}.pdf"


def page_url(site_url: str, variant: Variant) -> str:
    """The page's address, which the QR code gives: a translated edition's is below its
    language's folder (es/patient/<topic>/)."""
    return f"{site_url.rstrip('/')}/{variant.path.removesuffix('.md')}/"


def opening_sentence(text: str) -> str:
    """The disclaimer's first sentence, which is written to stand alone (see disclaimers.yml)."""
    found = FIRST_SENTENCE.match(" ".join(text.split()))
    return found.group(1) if found else text


def qr_code(url: str) -> str:
    """The page's address as a QR code, quiet zone included; a data URI, so nothing is fetched."""
    return str(segno.make(url, error="m", micro=False).svg_data_uri(border=4))


def prose_html(text: str) -> Markup:
    html = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    return Markup(keep_citations_on_line(TERM_LINK.sub(r"\1\2\3", sanitize_html(html))))


def keep_citations_on_line(html: str) -> str:
    """Glue each citation to the word before it and the punctuation after it.

    Besides reading better, this steers round a WeasyPrint 70 line-breaking fault: when a
    citation and the full stop after it do not fit at the end of a line, WeasyPrint breaks the
    line far too early and leaves a word or two alone on a line.
    """
    return CITED_WORD.sub(r'<span class="edu-cited">\g<0></span>', html)


def typeset(html: str) -> str:
    """The filled template with each block's last two words bound (typesetting.py)."""
    tree = lxml_html.fromstring(html)
    bind_last_words(tree)
    return lxml_html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>")


def iso_date(epoch: int) -> str:
    moment = datetime.datetime.fromtimestamp(epoch, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class HandoutPrinter:
    """Fills the handout template; one per build, shared by every handout."""

    def __init__(self, root: Path, library: Library, banners: dict[str, str], epoch: int,
                 reviews: dict[str, Review]) -> None:
        self.env = SandboxedEnvironment(loader=FileSystemLoader(root / "templates"),
                                        undefined=StrictUndefined, autoescape=True,
                                        trim_blocks=True, lstrip_blocks=True)
        self.words = library.site.strings
        self.env.filters["mailto"] = mailto_links
        self.env.filters.update(language_filters(
            Wording(self.words, library.site.settings.language), html_escape))
        self.css = (root / "templates" / STYLESHEET).read_text(encoding="utf-8")
        self.library = library
        self.banners = banners
        self.reviews = reviews
        self.created = iso_date(epoch)

    def html(self, variant: Variant) -> str:
        topic, audience = variant.topic, variant.audience
        site = self.library.site
        disclaimer = site.disclaimers[audience.disclaimer]
        url = page_url(site.settings.site_url, variant)
        body = prose_html(variant.body)
        # on page 1, whole, right after the short answer, as on the phone's first screen
        safety = prose_html(variant.warnings) if variant.warnings else Markup("")
        return typeset(self.env.get_template(TEMPLATE).render(
            variant=variant, topic=topic, audience=audience, site=site.settings, url=url,
            qr=qr_code(url), banner=self.banners.get(topic.key, ""),
            review=self.reviews[topic.key], unverified=unverified_used(self.library, variant),
            created=self.created, words=self.words,
            summary=description_text(variant.short_answer, self.words.facts.unverified),
            short_answer=prose_html(f"**{md_text(self.words.topic.short_answer)}** "
                                    f"{variant.short_answer.strip()}"),
            body=body, safety=safety, references=self.references(topic),
            disclaimer=disclaimer, disclaimer_opening=opening_sentence(disclaimer)))

    def references(self, topic: Topic) -> list[Markup]:
        return [reference_item(i, self.library.references[key], self.words)
                for i, key in enumerate(topic.references, 1)]


def render_pdf(html: str, css: str) -> bytes:
    """The PDF itself: tagged for PDF/UA, fetching nothing but data: URIs, and whole; and with
    no near-empty last page: when the last page holds little, the handout is set a little
    tighter (body.handout-compact in handout.css) if that saves the page."""
    options: dict[str, Any] = {"pdf_variant": "pdf/ua-1"}
    document, blocks = _whole(*_layout(html, css, options))
    if near_empty_last_page(document, blocks):
        compact_html = html.replace("<body ", '<body class="handout-compact" ', 1)
        compact, _ = _whole(*_layout(compact_html, css, options))
        if len(compact.pages) < len(document.pages):
            document = compact
    pdf = document.write_pdf(**options)
    assert isinstance(pdf, bytes)
    return pdf


Blocks = dict[str, str]  # id of a paragraph, list item or heading -> its text


def _layout(html: str, css: str, options: dict[str, Any]) -> tuple[Any, Blocks]:
    # Imported here: WeasyPrint loads Pango, which `check` and `markdown` never need.
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    marked, blocks = mark_blocks(html)
    try:
        return weasyprint.HTML(string=marked, url_fetcher=fetcher).render(
            stylesheets=[weasyprint.CSS(string=css, url_fetcher=fetcher)], **options), blocks
    except FatalURLFetchingError as exc:  # a BaseException: it would pass any `except Exception`
        raise HandoutError(f"{exc} (a handout may load nothing but data: URIs)") from None


def _whole(document: Any, blocks: Blocks) -> tuple[Any, Blocks]:
    placed = {name for page in document.pages for name in page.anchors}
    lost = [text for name, text in blocks.items() if name not in placed]
    if lost:
        first = " ".join(lost[0].split())
        raise HandoutError(f"the layout dropped text, starting with: {first[:80]!r}")
    return document, blocks


NEAR_EMPTY = 0.4  # a last page with less than this share of a full page's text


def near_empty_last_page(document: Any, blocks: Blocks) -> bool:
    """Whether the last page holds little: the text of the blocks that start on each page
    (WeasyPrint's pages list the anchors placed on them), the last against the fullest."""
    if len(document.pages) < 2:
        return False
    seen: set[str] = set()
    texts = []
    for page in document.pages:
        starting = [name for name in page.anchors if name in blocks and name not in seen]
        seen.update(starting)
        texts.append(sum(len("".join(blocks[name].split())) for name in starting))
    return texts[-1] < NEAR_EMPTY * max(texts[:-1])


class HandoutError(Exception):
    """The PDF cannot be made as a reader must have it: whole, and fetching nothing."""


def mark_blocks(html: str) -> tuple[str, dict[str, str]]:
    """Give every paragraph, list item and heading an id, so the laid-out pages can be asked
    which of them they placed (WeasyPrint's pages list their anchors).

    WeasyPrint's multi-column layout has dropped whole blocks at page breaks before; a handout
    that silently lacks a warning sign is worse than no handout, so every build checks."""
    tree = lxml_html.fromstring(html)
    blocks = {}
    for number, block in enumerate(tree.xpath(IN_FLOW_BLOCKS), 1):
        if not block.get("id"):
            block.set("id", f"edu-block-{number}")
        blocks[block.get("id")] = _own_text(block)
    return lxml_html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>"), blocks


def _own_text(element: Any) -> str:
    """The element's text without the lists inside it, which are checked item by item."""
    parts = [element.text or ""]
    for child in element:
        if child.tag not in ("ul", "ol"):
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return "".join(parts)
