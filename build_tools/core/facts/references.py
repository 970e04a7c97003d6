"""References in AMA style, formatted by a CSL processor (citeproc-py with the AMA CSL style).

Each entry shows the kind of evidence, the citation exactly as citeproc-py gives it (journal
titles in italics, the DOI as a link), the fields not yet checked against the publication
(`unchecked:`), and, set apart from the citation, its PubMed and ClinicalTrials.gov numbers and
any editorial note.
"""
from __future__ import annotations

import re

from markupsafe import Markup, escape

from ..base.model import Reference
from ..base.sanitize import sanitize_html
from ..base.strings import ReferenceWords, Strings, and_list

NCT_RE = re.compile(r"(?:ClinicalTrials\.gov\s+)?(NCT\d{8})\.?")


def ama_text(ref: Reference) -> str:
    """The citation as plain AMA text (JSON-LD, tests)."""
    return ref.citation[0]


def ama_html(ref: Reference) -> Markup:
    """The citation as HTML: journal and book titles in italics, the DOI a link."""
    html = sanitize_html(ref.citation[1])
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
