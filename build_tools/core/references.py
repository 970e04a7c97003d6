"""References formatted in AMA style, with DOI and PubMed links and the kind of evidence."""
from __future__ import annotations

from markupsafe import Markup, escape

from .model import Name, Reference

AMA_MAX_AUTHORS = 6
AMA_LISTED_WHEN_TRUNCATED = 3


def author_name(name: Name) -> str:
    if name.literal:
        return name.literal
    initials = (name.given or "").replace(".", "").replace(" ", "")
    return f"{name.family} {initials}".strip()


def authors(ref: Reference) -> str:
    names = [author_name(n) for n in ref.author]
    truncated = ref.more_authors or len(names) > AMA_MAX_AUTHORS
    if len(names) > AMA_MAX_AUTHORS:
        names = names[:AMA_LISTED_WHEN_TRUNCATED]
    text = ", ".join(names)
    return f"{text}, et al" if truncated and names else text


def source(ref: Reference) -> str:
    """Journal. Year;Volume(Issue):Pages  - or publisher and year for reports."""
    venue = ref.container_title or ref.publisher or ""
    detail = str(ref.issued)
    if ref.volume:
        detail += f";{ref.volume}"
        detail += f"({ref.issue})" if ref.issue else ""
    if ref.page:
        detail += f":{ref.page}"
    return f"{venue}. {detail}" if venue else detail


def ama_text(ref: Reference) -> str:
    """The reference as plain AMA text (used in PDFs, JSON-LD and tests)."""
    parts = [authors(ref), ref.title.rstrip("."), source(ref)]
    text = ". ".join(p for p in parts if p) + "."
    if ref.DOI:
        text += f" doi:{ref.DOI}"
    if ref.PMID:
        text += f" PMID: {ref.PMID}"
    return text


def doi_url(ref: Reference) -> str | None:
    return f"https://doi.org/{ref.DOI}" if ref.DOI else None


def pubmed_url(ref: Reference) -> str | None:
    return f"https://pubmed.ncbi.nlm.nih.gov/{ref.PMID}/" if ref.PMID else None


def ama_html(ref: Reference) -> Markup:
    parts = [authors(ref), ref.title.rstrip("."), source(ref)]
    html = escape(". ".join(p for p in parts if p) + ".")
    if ref.DOI:
        html += Markup(' doi:<a class="edu-doi" href="{}">{}</a>').format(doi_url(ref), ref.DOI)
    if ref.PMID:
        html += Markup(' PMID: <a class="edu-pubmed" href="{}">{}</a>').format(
            pubmed_url(ref), ref.PMID)
    if ref.note:
        html += Markup(" {}").format(ref.note)
    return html


def reference_item(number: int, ref: Reference) -> Markup:
    return Markup(
        '<li id="ref-{key}" value="{n}" data-kind="{kind}">'
        '<span class="edu-kind">{kind_label}</span> {body}</li>'
    ).format(key=ref.id, n=number, kind=ref.kind, kind_label=ref.kind.capitalize(),
             body=ama_html(ref))
