"""The review view, for `make serve` only: /_review/<topic>/ shows a reviewer what they approve.

The audiences' versions side by side, section by section (matched by their shared section ids),
every fact with its value, sources and verification, and what changed since the last sign-off.
It is made from the core's result alone (review_pages), never written by `make site`, and its
pages carry no data-pagefind-body, so search leaves them out; MkDocs does not know them, so the
sitemap does too.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from ..core.facts.fact_base import topic_facts
from ..core.facts.facts import format_fact
from ..handouts.handout import prose_html
from ..core.base.model import Library, Reference, Topic
from ..core.pipeline import Result
from ..core.base.records import Kept, write_whole
from ..core.facts.references import ama_text, unchecked_words
from ..core.render.render import Variant
from ..core.review.review import Review
from ..core.base.sections import split_sections
from ..core.review.signoff import fingerprint, snapshot
from .keys import review_page_key

FOLDER = "_review"
Row = tuple[str, dict[str, Markup]]  # (section id, audience -> the section's HTML)

PAGE = """<!doctype html>
<html lang="{{ language }}"><head><meta charset="utf-8">
<meta name="robots" content="noindex">
<title>Review: {{ topic.question }}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 1.5rem; color: #1b1b1b; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #c8ccd0; padding: .4rem .6rem; vertical-align: top; text-align: left; }
.sections td { width: {{ (100 / (audiences | length)) | round(1) }}%; }
.unverified { color: #8a3b00; font-weight: bold; }
.diff { background: #f6f8fa; padding: .6rem; white-space: pre-wrap; }
#state { padding: .6rem; background: #eef2f6; }
</style></head>
<body data-review-topic="{{ topic.key }}">
<p><a href="../">All topics</a> · review view, shown by make serve only</p>
<h1>Review: {{ topic.question }}</h1>
<p id="state" data-status="{{ review.state }}"><strong>{{ review.label }}.</strong>
{% if review.reviewed %}Signed off by {{ review.signoff.reviewer }}, {{ review.signoff.credentials }}
on {{ review.signoff.date }}.
{% elif review.signoff %}Changed since the sign-off by {{ review.signoff.reviewer }} on
{{ review.signoff.date }}.{% else %}No sign-off yet.{% endif %}
{% if review.reviewers %}<span id="assigned">Being checked by {% for m in review.reviewers %}{{ m.name }}, {{ m.credentials }}{% if not loop.last %} and {% endif %}{% endfor %}.</span>
{% elif review.state == "no-reviewer" %}<span id="assigned">No board member is assigned to review it
(<code>reviewers:</code> in topic.yml), so readers are told that no clinician has reviewed it yet.</span>
{% endif %}

To record that you reviewed exactly what this page shows:
<code id="approve">make approve TOPIC={{ topic.key }} REVIEWER="NAME" FINGERPRINT={{ fingerprint }}</code></p>

<h2 id="changes">Changes since the last sign-off</h2>
{% if review.changes %}<pre class="diff">{{ review.changes | join("\n") }}</pre>
{% elif review.signoff %}<p>None: the topic reads exactly as signed off.</p>
{% else %}<p>There is no sign-off to compare with: review everything below.</p>{% endif %}

<h2 id="side-by-side">The versions side by side</h2>
<table class="sections">
<tr><th scope="col">section</th>{% for v in audiences %}<th scope="col">{{ v.audience.label }}</th>{% endfor %}</tr>
<tr><th scope="row">title</th>{% for v in audiences %}<td>{{ v.title }}</td>{% endfor %}</tr>
<tr><th scope="row">short answer</th>{% for v in audiences %}<td>{{ answers[v.audience.key] }}</td>{% endfor %}</tr>
{% for id, cells in rows %}
<tr data-section="{{ id }}"><th scope="row">#{{ id }}</th>
{% for v in audiences %}<td>{{ cells.get(v.audience.key, "") }}</td>{% endfor %}</tr>
{% endfor %}
</table>

<h2 id="facts">Facts</h2>
<table class="facts">
<tr><th>fact</th><th>value</th><th>patients read</th><th>sources</th><th>grade</th><th>verification</th></tr>
{% for fact in facts %}
<tr data-fact="{{ fact.key }}" data-verified="{{ fact.verified | lower }}">
<td><code>{{ fact.key }}</code><br>{{ fact.label }}</td><td>{{ exact[fact.key] }}</td>
<td>{{ plain[fact.key] }}</td>
<td>{% for ref in fact.refs %}{{ sources[ref] }}{% if not loop.last %}<br>{% endif %}{% endfor %}</td>
<td>{{ fact.grade or "" }}</td>
<td>{% if fact.verified %}verified{% else %}<span class="unverified">not yet checked</span>{% endif %}</td>
</tr>
{% endfor %}
</table>
</body></html>
"""

INDEX = """<!doctype html>
<html lang="{{ language }}"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<title>Review view</title></head><body>
<h1>Review view</h1><p>Shown by make serve only. Topics:</p>
<ul>{% for topic, review in topics %}
<li><a href="{{ topic.key }}/">{{ topic.question }}</a> ({{ review.label }})</li>{% endfor %}
</ul></body></html>
"""


def _env() -> Environment:
    return Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True)


def made_pages() -> Kept[str]:
    """Topic pages by key: in memory for as long as the caller keeps it, and in a store."""
    return Kept(".html", lambda html: html.encode("utf-8"), lambda data: data.decode("utf-8"))


def review_pages(result: Result, store: Path | None = None, made: Kept[str] | None = None
                 ) -> dict[str, str]:
    """{path under the site: HTML} of the review view of every topic, and its index. Each
    topic's page is kept in store by its key between runs (500 topics: 45 s to make anew),
    and in made's memory for as long as the caller keeps made (the preview: while it runs)."""
    made = made or made_pages()
    library = result.library
    assert library is not None
    topics = sorted(library.topics.values(), key=lambda t: t.key)
    pages = {f"{FOLDER}/index.html": _env().from_string(INDEX).render(
        language=library.site.settings.language,
        topics=[(t, result.reviews[t.key]) for t in topics])}
    by_topic: dict[str, list[Variant]] = {}
    for variant in result.variants:
        by_topic.setdefault(variant.topic.key, []).append(variant)
    used = set()
    for topic in topics:
        variants = _ordered(library, by_topic.get(topic.key, []))
        review = result.reviews[topic.key]
        key = review_page_key(result.memory.inputs.site, library.site.settings.language,
                              variants, review)
        pages[f"{FOLDER}/{topic.key}/index.html"] = made.get(
            store, key, lambda: topic_page(library, topic, variants, review))
        used.add(key)
    made.keep_only(store, used)
    return pages


def write_review_pages(site_dir: Path, result: Result, store: Path | None = None,
                       made: Kept[str] | None = None) -> None:
    """Write the review view into the site `make serve` shows; a page the same as the one
    there is left alone."""
    for rel, html in review_pages(result, store, made).items():
        path = site_dir / rel
        if path.is_file() and path.read_text(encoding="utf-8") == html:
            continue
        write_whole(path, html.encode("utf-8"))  # the search's word list may be reading it


def topic_page(library: Library, topic: Topic, variants: list[Variant], review: Review) -> str:
    facts = sorted(topic_facts(library, topic, variants).values(), key=lambda f: f.key)
    return _env().from_string(PAGE).render(
        language=library.site.settings.language, topic=topic, review=review,
        fingerprint=fingerprint(snapshot(library, topic, variants)),
        audiences=variants, rows=side_by_side(library, variants),
        answers={v.audience.key: prose_html(v.short_answer) for v in variants},
        facts=facts, exact={f.key: format_fact(f, "exact") for f in facts},
        plain={f.key: format_fact(f, "plain") for f in facts},
        sources={key: source_text(library.references[key]) for key in topic.references
                 if key in library.references})


def source_text(ref: Reference) -> str:
    """The citation, and what of it a reviewer should not take as checked."""
    words = unchecked_words(ref)
    return f"{ama_text(ref)} ({words})" if words else ama_text(ref)


def side_by_side(library: Library, variants: list[Variant]) -> list[Row]:
    """One row per section id, in the order the ids first appear; a section without a
    counterpart has its own row, empty for the other audiences."""
    rows: dict[str, dict[str, Markup]] = {}
    for variant in variants:
        signs = variant.audience.warning_signs
        if variant.warnings and signs:  # its own section, right below the short answer
            rows.setdefault(signs.id, {})[variant.audience.key] = prose_html(variant.warnings)
        prose = library.prose[(variant.audience.key, variant.topic.key)]
        for section in split_sections(variant.body, prose):
            heading = Markup("<h3>{}</h3>").format(section.heading)
            rows.setdefault(section.id, {})[variant.audience.key] = heading + prose_html(
                section.text)
    return list(rows.items())


def _ordered(library: Library, variants: list[Variant]) -> list[Variant]:
    order = {a.key: (a.order, a.key) for a in library.audiences.values()}
    return sorted(variants, key=lambda v: order[v.audience.key])
