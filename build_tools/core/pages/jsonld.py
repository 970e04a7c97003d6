"""Stage 3, render (continued): schema.org `MedicalWebPage` data for each topic page.

Search engines and health assistants read it to tell who a page is for and who vouches for it,
so it carries the same review facts and references the reader sees on the page.
"""
from __future__ import annotations

import json
from types import MappingProxyType
from typing import Any

from markupsafe import Markup

from ..base.model import Library
from ..facts.references import ama_text, doi_url, pubmed_url
from ..base.variant import Variant
from ..review.review import Review

# In the page the data sits in a <script> element, which no character reference can escape
# from: `</script>` in a title would end it. JSON's \u escapes mean the same characters.
HTML_SAFE_JSON = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                                "\u2028": "\\u2028", "\u2029": "\\u2029"})
CLINICIANS = MappingProxyType({"@type": "MedicalAudience", "audienceType": "Clinician"})
PATIENTS = MappingProxyType({"@type": "Patient"})


def medical_web_page(library: Library, variant: Variant, description: str,
                     review: Review) -> dict[str, Any]:
    topic, audience = variant.topic, variant.audience
    settings = library.site.settings
    page = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": variant.title,
        "description": description,
        "about": {"@type": "Thing", "name": topic.question},
        "audience": dict(PATIENTS if audience.schema_audience == "Patient" else CLINICIANS),
        "inLanguage": settings.language,
        "dateModified": review.last_updated.isoformat(),
        "publisher": {"@type": "Organization", "name": settings.organisation},
        "citation": [citation(library, key) for key in topic.references],
    }
    if review.reviewed and review.signoff:  # only a valid sign-off vouches for the page
        page["lastReviewed"] = review.signoff.date.isoformat()
        page["reviewedBy"] = {"@type": "Person", "name": review.signoff.reviewer,
                              "honorificSuffix": review.signoff.credentials}
    return page


def citation(library: Library, key: str) -> dict[str, str]:
    ref = library.references[key]
    work = {"@type": "CreativeWork", "name": ama_text(ref)}
    url = doi_url(ref) or pubmed_url(ref) or ref.URL
    return {**work, "url": url} if url else work


def json_in_html(data: dict[str, Any]) -> Markup:
    """The data as one line of JSON that no value can end a <script> element in (nor, being
    one line of JSON, a YAML front matter value)."""
    return Markup(json.dumps(data, ensure_ascii=False, sort_keys=True).translate(HTML_SAFE_JSON))
