"""Stage 3, render (continued): schema.org `MedicalWebPage` data for each topic page.

Search engines and health assistants read it to tell who a page is for and who vouches for it,
so it carries the same review facts and references the reader sees on the page.
"""
from __future__ import annotations

from typing import Any

from .model import Library
from .references import ama_text, doi_url, pubmed_url
from .render import Variant

CLINICIANS = {"@type": "MedicalAudience", "audienceType": "Clinician"}
PATIENTS = {"@type": "Patient"}


def medical_web_page(library: Library, variant: Variant, description: str) -> dict[str, Any]:
    topic, audience = variant.topic, variant.audience
    settings = library.site.settings
    return {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": variant.title,
        "description": description,
        "about": {"@type": "Thing", "name": topic.question},
        "audience": PATIENTS if audience.key == "patient" else CLINICIANS,
        "inLanguage": settings.language,
        **({"lastReviewed": topic.last_reviewed.isoformat()} if topic.last_reviewed else {}),
        **({"reviewedBy": {"@type": "Organization", "name": topic.reviewed_by}}
           if topic.reviewed_by else {}),
        "dateModified": max(change.date for change in topic.changes).isoformat(),
        "publisher": {"@type": "Organization", "name": settings.organisation},
        "citation": [citation(library, key) for key in topic.references],
    }


def citation(library: Library, key: str) -> dict[str, str]:
    ref = library.references[key]
    work = {"@type": "CreativeWork", "name": ama_text(ref)}
    url = doi_url(ref) or pubmed_url(ref) or ref.URL
    return {**work, "url": url} if url else work
