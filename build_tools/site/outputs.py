"""Publish: what a build makes from the core's result, each kind of output behind one interface.

An output (the pages, the sitemap, the search index, the handouts, the review view, the next
one) plans what it is missing from the core's result, makes it, checks it and publishes it
into the site being built; the build (site.build) runs the outputs of the registry
(site.registry) and knows none of them by name. The outputs of the "pages" step are what the
engine's HTML needs and are checked before anything reaches a site; those of the "finish" step
follow (the preview makes them after the browser has reloaded). An output object lives as long
as its caller wants its caches kept: one build (`make site`) or the whole preview (`make serve`).
"""
from __future__ import annotations

import os
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Literal

from ..core.base.timing import Timing
from ..core.base.model import Library
from ..core.pipeline import Mode, Result, content_epoch, state_dir
from ..core.base.problems import Problem
from .html_pages import ENGINE_TIMEOUT

Step = Literal["pages", "finish"]


@dataclass(frozen=True)
class BuildOptions:
    """How one build runs: what `make site`, `make serve` and the tests choose."""

    mode: Mode = "publish"
    strict: bool = False
    engine: str = "mkdocs"
    jobs: int = os.cpu_count() or 1
    handouts: bool = True
    finish: bool = True  # the outputs of the "finish" step; a preview makes them after the reload
    in_place: bool = False  # the preview: its served folder is brought up to date in place
    engine_timeout: float = ENGINE_TIMEOUT  # seconds an engine process may take


@dataclass(frozen=True)
class Job:
    """One build, as every output sees it: the core's result and how the build runs."""

    root: Path
    result: Result
    options: BuildOptions
    later: tuple[str, ...] = ()  # top-level site folders the "finish" step's outputs write

    @property
    def library(self) -> Library:
        assert self.result.library is not None  # no output runs for a library with errors
        return self.result.library

    @property
    def timing(self) -> Timing:
        """Where this build's stage times go (its memory's)."""
        return self.result.memory.timing

    @property
    def state(self) -> Path:
        return state_dir(self.root, self.options.mode)

    @property
    def epoch(self) -> int:
        """The site's date: the content's newest, never the environment's or the clock's."""
        return content_epoch(self.library)


class Output(ABC):
    """One kind of output. Subclasses set name (also the stage it is timed as), step, the
    top-level folders of the site it alone writes, and the modes it is made in."""

    name: ClassVar[str]
    step: ClassVar[Step] = "finish"
    folders: ClassVar[tuple[str, ...]] = ()
    modes: ClassVar[tuple[Mode, ...]] = ("publish", "preview")
    stops_as: ClassVar[str] = ""  # what a build stopped by its errors names ("" = name)

    def wanted(self, job: Job) -> bool:
        return job.options.mode in self.modes

    def plan(self, job: Job) -> None:
        """Work out what is missing; may start making it (it is called before any output is
        made, so slow work can go on beside the pages)."""

    def make(self, job: Job) -> list[Problem]:
        """Make what is missing into the output's own store."""
        return []

    def check(self, job: Job) -> list[Problem]:
        """What is wrong with what was made, before any of it reaches a site."""
        return []

    @abstractmethod
    def publish(self, job: Job, site: Path) -> list[Problem]:
        """Place the output into site (the staging folder, or the preview's served folder)."""

    def close(self) -> None:
        """Stop whatever plan or make started and left running (a failed build, a preview
        that stops)."""
