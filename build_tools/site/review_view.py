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
from ..core.base.variant import Variant
from ..core.review.review import Review
from ..core.base.sections import split_sections
from ..core.review.signoff import fingerprint, snapshot
from ..core.base.strings import Strings
from ..core.base.wording import Wording, html_escape, language_filters
from .keys import review_page_key

FOLDER = "_review"
Row = tuple[str, dict[str, Markup]]  # (section id, audience -> the section's HTML)

PAGE = """<!doctype html>
<html lang="{{ language }}"><head><meta charset="utf-8">
<meta name="robots" content="noindex">
<title>{{ rv.title | fill(question=topic.question) }}</title>
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
<p><a href="../">{{ rv.all_topics }}</a> · {{ rv.serve_only }}</p>
<h1>{{ rv.title | fill(question=topic.question) }}</h1>
<p id="state" data-status="{{ review.state }}"><strong>{{ review.label }}.</strong>
{% if review.reviewed %}{{ rv.signed_off | fill(reviewer=review.signoff.reviewer,
credentials=review.signoff.credentials, date=review.signoff.date) }}
{% elif review.signoff %}{{ rv.changed_since | fill(reviewer=review.signoff.reviewer,
date=review.signoff.date) }}{% else %}{{ rv.no_signoff }}{% endif %}
{% if review.reviewers %}<span id="assigned">{{ rv.being_checked | fill(reviewers=review.reviewers | members) }}</span>
{% elif review.state == "no-reviewer" %}<span id="assigned">{{ rv.no_reviewer }}</span>
{% endif %}

{{ rv.approve | fill(command=approve) }}</p>

<h2 id="changes">{{ rv.changes }}</h2>
{% if review.changes %}<pre class="diff">{{ review.changes | join("\n") }}</pre>
{% elif review.signoff %}<p>{{ rv.no_changes }}</p>
{% else %}<p>{{ rv.nothing_to_compare }}</p>{% endif %}

<h2 id="side-by-side">{{ rv.side_by_side }}</h2>
<table class="sections">
<tr><th scope="col">{{ rv.section }}</th>{% for v in audiences %}<th scope="col">{{ v.audience.label }}</th>{% endfor %}</tr>
<tr><th scope="row">{{ rv.title_row }}</th>{% for v in audiences %}<td>{{ v.title }}</td>{% endfor %}</tr>
<tr><th scope="row">{{ rv.short_answer }}</th>{% for v in audiences %}<td>{{ answers[v.audience.key] }}</td>{% endfor %}</tr>
{% for id, cells in rows %}
<tr data-section="{{ id }}"><th scope="row">#{{ id }}</th>
{% for v in audiences %}<td>{{ cells.get(v.audience.key, "") }}</td>{% endfor %}</tr>
{% endfor %}
</table>

<h2 id="facts">{{ rv.facts }}</h2>
<table class="facts">
<tr><th>{{ rv.fact }}</th><th>{{ rv.value }}</th><th>{{ rv.patients_read }}</th><th>{{ rv.sources }}</th><th>{{ rv.grade }}</th><th>{{ rv.verification }}</th></tr>
{% for fact in facts %}
<tr data-fact="{{ fact.key }}" data-verified="{{ fact.verified | lower }}">
<td><code>{{ fact.key }}</code><br>{{ fact.label }}</td><td>{{ exact[fact.key] }}</td>
<td>{{ plain[fact.key] }}</td>
<td>{% for ref in fact.refs %}{{ sources[ref] }}{% if not loop.last %}<br>{% endif %}{% endfor %}</td>
<td>{{ fact.grade or "" }}</td>
<td>{% if fact.verified %}{{ rv.verified }}{% else %}<span class="unverified">{{ unverified }}</span>{% endif %}</td>
</tr>
{% endfor %}
</table>
</body></html>
"""

INDEX = """<!doctype html>
<html lang="{{ language }}"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<title>{{ rv.index_title }}</title></head><body>
<h1>{{ rv.index_title }}</h1><p>{{ rv.index_intro }}</p>
<ul>{% for topic, review in topics %}
<li><a href="{{ topic.key }}/">{{ topic.question }}</a> ({{ review.label }})</li>{% endfor %}
</ul></body></html>
"""


def _env(library: Library) -> Environment:
    """The review view's pages, in the site's language (the strings file's review_view)."""
    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True)
    env.filters.update(language_filters(
        Wording(library.site.strings, library.site.settings.language), html_escape))
    env.globals.update(language=library.site.settings.language,
                       rv=library.site.strings.review_view,
                       unverified=library.site.strings.facts.unverified)
    return env


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
    pages = {f"{FOLDER}/index.html": _env(library).from_string(INDEX).render(
        topics=[(t, result.reviews[t.key]) for t in topics])}
    by_topic: dict[str, list[Variant]] = {}
    for variant in result.variants:
        by_topic.setdefault(variant.topic.key, []).append(variant)
    used = set()
    strings = library.site.strings.model_dump_json()
    for topic in topics:
        variants = _ordered(library, by_topic.get(topic.key, []))
        review = result.reviews[topic.key]
        key = review_page_key(result.memory.inputs.site, library.site.settings.language,
                              strings, variants, review)
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
    words = library.site.strings
    approve = Markup('<code id="approve">make approve TOPIC={} REVIEWER="NAME" '
                     'FINGERPRINT={}</code>').format(
        topic.key, fingerprint(snapshot(library, topic, variants)))
    return _env(library).from_string(PAGE).render(
        topic=topic, review=review, approve=approve,
        audiences=variants, rows=side_by_side(library, variants),
        answers={v.audience.key: prose_html(v.short_answer) for v in variants},
        facts=facts, exact={f.key: format_fact(f, "exact", words.facts) for f in facts},
        plain={f.key: format_fact(f, "plain", words.facts) for f in facts},
        sources={key: source_text(library.references[key], words) for key in topic.references
                 if key in library.references})


def source_text(ref: Reference, strings: Strings) -> str:
    """The citation, and what of it a reviewer should not take as checked."""
    words = unchecked_words(ref, strings)
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
