"""Publish, print: one topic for one audience as a PDF handout, made with WeasyPrint.

A handout is made from the same rendered variant as the web page, so its figures, numbered
citations and reference list are the page's. The HTML is filled here; handout_cache.py decides
which handouts need WeasyPrint at all.
"""
from __future__ import annotations

import datetime
import re
from pathlib import Path

import markdown
import segno
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from .check import plain_text
from .model import Library, Topic
from .pages import STATUS_LABELS, longdate
from .references import reference_item
from .render import Variant
from .sanitize import sanitize_html

# The web page's extensions (mkdocs.yml), so prose renders the same; toc without the permalink
# marks, which mean nothing on paper. tests/test_handouts.py keeps the two lists in step.
MARKDOWN_EXTENSIONS = ["attr_list", "md_in_html", "abbr", "admonition", "tables", "toc"]
TEMPLATE = "handout.html.j2"
STYLESHEET = "handout.css"
CITED_WORD = re.compile(r'(?<![^\s>])(?:[^\s<>]+ )?<sup class="edu-cites">.*?</sup>[^\s<]*')
FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?=\s|$)", re.S)


def handout_name(variant: Variant) -> str:
    """The file name under the site's handouts/ folder, stable for links and bookmarks."""
    return f"{variant.topic.key}-{variant.audience.key}.pdf"


def page_url(site_url: str, variant: Variant) -> str:
    return f"{site_url.rstrip('/')}/{variant.audience.key}/{variant.topic.key}/"


def opening_sentence(text: str) -> str:
    """The disclaimer's first sentence, which is written to stand alone (see disclaimers.yml)."""
    found = FIRST_SENTENCE.match(" ".join(text.split()))
    return found.group(1) if found else text


def qr_code(url: str) -> str:
    """The page's address as a QR code: an SVG data URI, so nothing is fetched."""
    return str(segno.make(url, error="m", micro=False).svg_data_uri(border=0))


def prose_html(text: str) -> Markup:
    html = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    return Markup(keep_citations_on_line(sanitize_html(html)))


def keep_citations_on_line(html: str) -> str:
    """Glue each citation to the word before it and the punctuation after it.

    Besides reading better, this steers round a WeasyPrint 70 line-breaking fault: when a
    citation and the full stop after it do not fit at the end of a line, WeasyPrint breaks the
    line far too early and leaves a word or two alone on a line.
    """
    return CITED_WORD.sub(r'<span class="edu-cited">\g<0></span>', html)


def iso_date(epoch: int) -> str:
    moment = datetime.datetime.fromtimestamp(epoch, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class HandoutPrinter:
    """Fills the handout template; one per build, shared by every handout."""

    def __init__(self, root: Path, library: Library, banners: dict[str, str], epoch: int) -> None:
        self.env = SandboxedEnvironment(loader=FileSystemLoader(root / "templates"),
                                        undefined=StrictUndefined, autoescape=True,
                                        trim_blocks=True, lstrip_blocks=True)
        self.env.filters["longdate"] = longdate
        self.css = (root / "templates" / STYLESHEET).read_text(encoding="utf-8")
        self.library = library
        self.banners = banners
        self.created = iso_date(epoch)

    def html(self, variant: Variant) -> str:
        topic, audience = variant.topic, variant.audience
        site = self.library.site
        disclaimer = site.disclaimers[audience.disclaimer]
        url = page_url(site.settings.site_url, variant)
        return self.env.get_template(TEMPLATE).render(
            variant=variant, topic=topic, audience=audience, site=site.settings, url=url,
            qr=qr_code(url), banner=self.banners.get(topic.key, ""),
            status_label=STATUS_LABELS[topic.status], created=self.created,
            summary=plain_text(variant.short_answer),
            short_answer=prose_html(f"**Short answer:** {variant.short_answer.strip()}"),
            body=prose_html(variant.body), references=self.references(topic),
            disclaimer=disclaimer, disclaimer_opening=opening_sentence(disclaimer))

    def references(self, topic: Topic) -> list[Markup]:
        return [reference_item(i, self.library.references[key])
                for i, key in enumerate(topic.references, 1)]


def render_pdf(html: str, css: str) -> bytes:
    """The PDF itself: tagged for PDF/UA, and fetching nothing but data: URIs."""
    # Imported here: WeasyPrint loads Pango, which `check` and `markdown` never need.
    import weasyprint
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)
    style = weasyprint.CSS(string=css, url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=[style], pdf_variant="pdf/ua-1")
    assert isinstance(pdf, bytes)
    return pdf
