"""What a build remembers and measures, in one object passed explicitly.

A build makes a BuildMemory (pipeline.generate does, when given none); the preview keeps one
between saves, so a save reads, parses, validates and renders again only what it changed. No
module keeps build data of its own: two builds in one process (tests, the preview) share
nothing but what they are given.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .base.inputs import Inputs
from .base.records import Kept
from .render_cache import RenderMemory
from .base.timing import Timing
from .read.validate import ReadMemory


@dataclass
class BuildMemory:
    """inputs: digests of the code and libraries, worked out once per memory (a test gives its
    own library versions here); timing: seconds per stage; reads: files read, parsed and
    validated; renders: variants and topic pages made (in memory, and on disk in the mode's
    build folder); written: each file of the Markdown tree as a build left it, with its time
    (site.markdown_tree), so an unchanged page costs a stat, not a read."""

    inputs: Inputs = field(default_factory=Inputs)
    timing: Timing = field(default_factory=Timing)
    reads: ReadMemory = field(default_factory=ReadMemory)
    renders: RenderMemory = field(default_factory=RenderMemory)
    written: dict[Path, tuple[str, int]] = field(default_factory=dict)
    # the translated editions' variants and pages, by language: kept apart, as each render
    # forgets what its own edition no longer has
    translated: dict[str, RenderMemory] = field(default_factory=dict)

    def renders_of(self, edition: str) -> RenderMemory:
        if not edition:
            return self.renders
        return self.translated.setdefault(edition, RenderMemory())

    def stores(self) -> tuple[Kept[Any], ...]:
        """The stores whose damaged files a build reports (records.damage_warnings)."""
        return tuple(s for r in (self.renders, *self.translated.values()) for s in r.stores())
