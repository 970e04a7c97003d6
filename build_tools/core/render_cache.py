"""Stage 3 and 4 at scale: render and check every variant, remembering results by their inputs.

Compiling a variant's prose with Jinja and scoring its reading level take about 15 ms, 20 s for
1,500 variants. A variant is made only from its prose, its topic (facts included), its audience,
the glossary, the topic's references and this package's code, so a variant whose inputs hash the
same as last time is taken from the cache: from memory while `make serve` runs, from disk
across builds (build/<state>/variants). Editing one fact re-renders that topic's variants only. When many variants miss
(a cold build), they are rendered on every core. While `make serve` runs, each topic page is
remembered the same way (topic_pages), and handout_cache.py names handouts by these keys.
"""
from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
import threading
import time
from dataclasses import fields
from pathlib import Path
from typing import Any

from . import timing
from .check import check_variant
from .faults import ToolFault
from .inputs import core_inputs
from .fact_base import dump_shared, shared_inputs
from .model import Audience, Library, Topic
from .pages import Assembler, Page
from .problems import Problem
from .records import Kept, pickled
from .render import Variant, render_variant

RENDER_TIMEOUT = 60.0  # seconds one variant may take; one takes about 15 ms
PARALLEL_FROM = 40  # fewer misses than this render faster than worker processes start
Entry = dict[str, Any]  # {"fields": Variant fields or None, "problems": [...], "seconds": (r, c)}
Job = tuple[Topic, Audience]

_entries: Kept[dict] = Kept(".pickle", *pickled(dict))  # Entry by variant key
_pages: Kept[Page] = Kept(".pickle", *pickled(Page))


def stores() -> tuple[Kept[Any], ...]:
    """The stores this module keeps, for their damage reports (records.damage_warnings)."""
    return (_entries, _pages)
_library: Library | None = None  # what forked workers render from (inherited, never pickled)


def topic_digest(library: Library, topic: Topic, shared: bytes,
                 dumped: dict[str, str] | None = None) -> hashlib._Hash:
    """What every variant of a topic is made from: the topic with its facts, its references."""
    digest = hashlib.sha256(shared)
    digest.update(topic.model_dump_json().encode())
    digest.update(shared_inputs(library, topic, dumped).encode())  # a shared fact it shows
    for key in topic.references:
        reference = library.references.get(key)
        digest.update(reference.model_dump_json().encode() if reference else key.encode())
    for name in topic.warning_signs:  # the signs it shows, and the number to call
        for sign in library.warning_lists.get(name, {}).values():
            digest.update(sign.model_dump_json().encode())
    digest.update((library.site.settings.emergency_number or "").encode())
    digest.update(library.site.strings.facts.model_dump_json().encode())  # "about 3", marks
    return digest


def variant_key(library: Library, topic: hashlib._Hash, key: str, audience: Audience) -> str:
    digest = topic.copy()
    digest.update(audience.model_dump_json().encode())
    digest.update(library.prose.get((audience.key, key), "").encode())
    return digest.hexdigest()


def render_all(store: Path, library: Library, topics: list[Topic]
               ) -> tuple[list[Variant], list[Problem]]:
    """Every topic x audience, rendered and checked, in a stable order."""
    jobs = [(t, a) for t in topics for a in library.audiences.values()]
    shared = (core_inputs() + "".join(g.model_dump_json() for g in library.glossary.values()))
    dumped = dump_shared(library)
    topic_digests = {t.key: topic_digest(library, t, shared.encode(), dumped) for t in topics}
    keys = [variant_key(library, topic_digests[t.key], t.key, a) for t, a in jobs]
    entries: list[Entry | None] = [_entries.recall(store, key) for key in keys]
    missing = [i for i, entry in enumerate(entries) if entry is None]
    for i, entry in zip(missing, _make(library, [jobs[i] for i in missing])):
        entries[i] = entry
        _entries.keep(store, keys[i], entry)
    _entries.keep_only(store, set(keys))  # variants that no longer exist or have changed
    variants: list[Variant] = []
    problems: list[Problem] = []
    for (topic, audience), key, found in zip(jobs, keys, entries):
        assert found is not None
        problems.extend(found["problems"])
        if found["fields"] is not None:
            variants.append(Variant(topic=topic, audience=audience, made_from=key,
                                    **found["fields"]))
    return variants, problems


def make_entry(library: Library, topic: Topic, audience: Audience) -> Entry:
    started = time.perf_counter()
    variant, problems = render_variant(library, topic, audience)
    rendered = time.perf_counter()
    if variant is not None:
        problems = problems + check_variant(library, variant)
    return {"fields": _fields(variant), "problems": problems,
            "seconds": (rendered - started, time.perf_counter() - rendered)}


def _fields(variant: Variant | None) -> dict[str, Any] | None:
    if variant is None:
        return None
    return {f.name: getattr(variant, f.name) for f in fields(Variant)
            if f.name not in ("topic", "audience", "made_from")}


def _make(library: Library, jobs: list[Job]) -> list[Entry]:
    # fork only a single-threaded process: `make serve` has server threads whose locks a
    # forked child could inherit held
    if len(jobs) < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or threading.active_count() > 1:
        entries = [make_entry(library, topic, audience) for topic, audience in jobs]
        _charge(sum(e["seconds"][0] for e in entries), sum(e["seconds"][1] for e in entries))
        return entries
    global _library
    _library = library
    started = time.perf_counter()
    # fork: workers inherit the validated library instead of receiving it pickled
    limit = RENDER_TIMEOUT * len(jobs)
    with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
        pending = pool.map_async(_make_in_worker, [(t.key, a.key) for t, a in jobs], chunksize=8)
        try:
            entries = pending.get(timeout=limit)
        except multiprocessing.TimeoutError:  # a worker hangs, or died (the pool waits on)
            raise ToolFault(f"rendering {len(jobs)} variants on {os.cpu_count()} cores took "
                            f"longer than {limit:g} s and was stopped") from None
        finally:
            _library = None
    wall = time.perf_counter() - started
    busy = [sum(e["seconds"][i] for e in entries) for i in (0, 1)]
    _charge(wall * busy[0] / (sum(busy) or 1), wall * busy[1] / (sum(busy) or 1))
    return entries


def _make_in_worker(job: tuple[str, str]) -> Entry:
    assert _library is not None
    return make_entry(_library, _library.topics[job[0]], _library.audiences[job[1]])


def _charge(render: float, check: float) -> None:
    timing.add("render", render)
    timing.add("check", check)


def topic_pages(root: Path, assembler: Assembler, variants: list[Variant],
                store: Path | None = None) -> list[Page]:
    """Each variant's page, remembered by its variant's key and by everything else the page
    template reads (library-wide data, templates, the banner): in memory while `make serve`
    runs, and in store between builds (filling 1,500 pages took 0.9 s of an edit's build)."""
    shared = hashlib.sha256(core_inputs().encode())
    shared.update(assembler.library.model_dump_json(exclude={"topics", "prose"}).encode())
    for path in sorted((root / "templates").glob("*.j2")):
        shared.update(path.read_bytes())
    pages, used = [], set()
    for variant in variants:
        made_from = variant.made_from
        if not made_from:  # not rendered by render_all: nothing to recognise it by
            pages.append(assembler.topic_page(variant))
            continue
        digest = shared.copy()
        digest.update(made_from.encode())
        digest.update(assembler.banners.get(variant.topic.key, "").encode())
        digest.update(assembler.reviews[variant.topic.key].cache_key().encode())
        digest.update(repr(assembler.related_links(variant)).encode())  # other topics' titles
        key = digest.hexdigest()
        pages.append(_pages.get(store, key, lambda: assembler.topic_page(variant)))
        used.add(key)
    _pages.keep_only(store, used)
    return pages

