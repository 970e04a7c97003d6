"""Stage 3 and 4 at scale: render and check every variant, remembering results by their inputs.

Compiling a variant's prose with Jinja and scoring its reading level take about 15 ms, 20 s for
1,500 variants. A variant is made only from its prose, its topic (facts included), its audience,
the glossary, the topic's references and this package's code, so a variant whose inputs hash the
same as last time is taken from the cache: from memory while `make serve` runs (RenderMemory,
kept in the preview's memory.BuildMemory), from disk across builds (build/<state>/variants).
Editing one fact re-renders that topic's variants only. When many variants miss (a cold build),
they are rendered on every core. While `make serve` runs, each topic page is
remembered the same way (topic_pages), and handout_cache.py names handouts by these keys.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
import time
from dataclasses import dataclass, field, fields
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .check.check import check_variant
from .base.faults import ToolFault
from .facts.fact_base import dump_shared, shared_inputs
from .base.model import Audience, Library, Topic
from .pages.pages import Assembler, Page
from .base.problems import Problem
from .base.readability import Scorer
from .base.records import Kept, pickled
from .base.variant import Variant
from .render.render import render_variant
from .base.timing import Timing

RENDER_TIMEOUT = 60.0  # seconds one variant may take; one takes about 15 ms
PARALLEL_FROM = 40  # fewer misses than this render faster than worker processes start
Entry = dict[str, Any]  # {"fields": Variant fields or None, "problems": [...], "seconds": (r, c)}
Job = tuple[Topic, Audience]


def _entry_store() -> Kept[dict]:
    return Kept(".pickle", *pickled(dict))


def _page_store() -> Kept[Page]:
    return Kept(".pickle", *pickled(Page))


@dataclass
class RenderMemory:
    """What rendering remembers: each variant's Entry and each topic page, by its key; in
    memory for as long as the build's memory lives (the preview's, between saves), on disk
    between builds."""

    entries: Kept[dict] = field(default_factory=_entry_store)
    pages: Kept[Page] = field(default_factory=_page_store)

    def stores(self) -> tuple[Kept[Any], ...]:
        """For their damage reports (records.damage_warnings)."""
        return (self.entries, self.pages)


def shared_digest(library: Library, core_inputs: str) -> bytes:
    """What every variant is made from, computed once a build: the code and libraries, the
    glossary, the number to call, and the words of the fact strings ("about 3", marks)."""
    return "\0".join([core_inputs, *(g.model_dump_json() for g in library.glossary.values()),
                    library.site.settings.emergency_number or "",
                    library.site.settings.language,  # its reading-level formula
                    library.site.strings.facts.model_dump_json()]).encode()


def topic_digest(library: Library, topic: Topic, shared: bytes,
                 dumped: dict[str, str] | None = None) -> hashlib._Hash:
    """What every variant of a topic is made from: the topic with its facts, its references;
    shared: what every topic's variants are made from (shared_digest)."""
    digest = hashlib.sha256(shared)
    digest.update(topic.model_dump_json().encode())
    digest.update(shared_inputs(library, topic, dumped).encode())  # a shared fact it shows
    for key in topic.references:
        reference = library.references.get(key)
        digest.update(reference.model_dump_json().encode() if reference else key.encode())
    for name in topic.warning_signs:  # the signs it shows, and the number to call
        for sign in library.warning_lists.get(name, {}).values():
            digest.update(sign.model_dump_json().encode())
    return digest


def variant_key(library: Library, topic: hashlib._Hash, key: str, audience: Audience) -> str:
    digest = topic.copy()
    digest.update(audience.model_dump_json().encode())
    digest.update(library.prose.get((audience.key, key), "").encode())
    return digest.hexdigest()


def render_all(store: Path, library: Library, topics: list[Topic], memory: RenderMemory,
               core_inputs: str, timing: Timing) -> tuple[list[Variant], list[Problem]]:
    """Every topic x audience, rendered and checked, in a stable order. core_inputs: the
    digest of the code and libraries (inputs.Inputs.core), part of every key."""
    jobs = [(t, a) for t in topics for a in library.audiences.values()
            if (a.key, t.key) in library.prose]
    shared = shared_digest(library, core_inputs)
    dumped = dump_shared(library)
    topic_digests = {t.key: topic_digest(library, t, shared, dumped) for t in topics}
    keys = [variant_key(library, topic_digests[t.key], t.key, a) for t, a in jobs]
    entries: list[Entry | None] = [memory.entries.recall(store, key) for key in keys]
    missing = [i for i, entry in enumerate(entries) if entry is None]
    for i, entry in zip(missing, _make(library, [jobs[i] for i in missing], timing)):
        entries[i] = entry
        memory.entries.keep(store, keys[i], entry)
    memory.entries.keep_only(store, set(keys))  # variants that no longer exist or have changed
    variants: list[Variant] = []
    problems: list[Problem] = []
    for (topic, audience), key, found in zip(jobs, keys, entries):
        assert found is not None
        problems.extend(found["problems"])
        if found["fields"] is not None:
            variants.append(Variant(topic=topic, audience=audience, made_from=key,
                                    **found["fields"]))
    return variants, problems


def make_entry(library: Library, topic: Topic, audience: Audience, scorer: Scorer) -> Entry:
    started = time.perf_counter()
    variant, problems = render_variant(library, topic, audience)
    rendered = time.perf_counter()
    if variant is not None:
        # the page's language: for now the site's (topic_digest keys it)
        problems = problems + check_variant(library, variant, library.site.settings.language,
                                            scorer)
    return {"fields": _fields(variant), "problems": problems,
            "seconds": (rendered - started, time.perf_counter() - rendered)}


def _fields(variant: Variant | None) -> dict[str, Any] | None:
    if variant is None:
        return None
    return {f.name: getattr(variant, f.name) for f in fields(Variant)
            if f.name not in ("topic", "audience", "made_from")}


def _make(library: Library, jobs: list[Job], timing: Timing) -> list[Entry]:
    # fork only a single-threaded process: `make serve` has server threads whose locks a
    # forked child could inherit held
    if len(jobs) < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or threading.active_count() > 1:
        scorer = Scorer()
        entries = [make_entry(library, topic, audience, scorer) for topic, audience in jobs]
        timing.add("render", sum(e["seconds"][0] for e in entries))
        timing.add("check", sum(e["seconds"][1] for e in entries))
        return entries
    started = time.perf_counter()
    entries = _in_workers(library, jobs)
    wall = time.perf_counter() - started
    busy = [sum(e["seconds"][i] for e in entries) for i in (0, 1)]
    timing.add("render", wall * busy[0] / (sum(busy) or 1))
    timing.add("check", wall * busy[1] / (sum(busy) or 1))
    return entries


def _in_workers(library: Library, jobs: list[Job]) -> list[Entry]:
    """One forked process per core, each making every n-th job. A forked process starts with the
    validated library in its memory: it is its Process argument, which fork never pickles; only
    the entries travel back, through a pipe."""
    context = multiprocessing.get_context("fork")
    count = min(os.cpu_count() or 1, len(jobs))
    limit = RENDER_TIMEOUT * len(jobs)
    deadline = time.monotonic() + limit
    workers = []
    for first in range(count):
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_work, args=(library, jobs[first::count], sender),
                                  daemon=True)
        process.start()
        sender.close()  # the child's end: the parent sees end-of-file when the child dies
        workers.append((process, receiver))
    entries: list[Entry] = [{}] * len(jobs)
    try:
        for first, (_, receiver) in enumerate(workers):
            if not receiver.poll(max(0.0, deadline - time.monotonic())):
                raise ToolFault(f"rendering {len(jobs)} variants on {count} cores took longer "
                                f"than {limit:g} s and was stopped")
            try:
                outcome, made = receiver.recv()
            except EOFError:
                raise ToolFault("a process rendering variants stopped without finishing "
                                "(killed, or out of memory)") from None
            if outcome == "raised":
                raise made
            entries[first::count] = made
    finally:
        for process, receiver in workers:
            if process.is_alive():
                process.kill()
            process.join()
            receiver.close()
    return entries


def _work(library: Library, jobs: list[Job], sender: Connection) -> None:
    """A worker's whole life: make its jobs, send them (or what was raised) to the parent."""
    try:
        scorer = Scorer()
        sender.send(("made", [make_entry(library, topic, audience, scorer)
                              for topic, audience in jobs]))
    except BaseException as exc:  # the parent raises it, as if it had rendered in place
        sender.send(("raised", exc))
    finally:
        sender.close()


def topic_pages(root: Path, assembler: Assembler, variants: list[Variant], memory: RenderMemory,
                core_inputs: str, store: Path | None = None) -> list[Page]:
    """Each variant's page, remembered by its variant's key and by everything else the page
    template reads (library-wide data, templates, the banner): in memory while `make serve`
    runs, and in store between builds (filling 1,500 pages took 0.9 s of an edit's build)."""
    shared = hashlib.sha256(core_inputs.encode())
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
        digest.update(repr(assembler.stale_note(variant)).encode())  # a translation's source
        key = digest.hexdigest()
        pages.append(memory.pages.get(store, key, lambda: assembler.topic_page(variant)))
        used.add(key)
    memory.pages.keep_only(store, used)
    return pages

