"""The PDF handouts as an output: planned before the pages (a few missing ones are made by a
child process meanwhile), then published from the store (handouts.handout_cache)."""
from __future__ import annotations

from pathlib import Path

from ..core.base.problems import Problem
from ..site.outputs import Job, Output
from .handout_cache import HandoutPlan, plan_handouts, publish_handouts, start_early, stop_early


class Handouts(Output):
    name = "handouts"
    folders = ("handouts",)

    def __init__(self, store: Path | None = None) -> None:
        self.store = store  # None: build/handouts/ of the project, shared by both modes
        self.plan_: HandoutPlan | None = None

    def wanted(self, job: Job) -> bool:
        return super().wanted(job) and job.options.handouts

    def plan(self, job: Job) -> None:
        with job.timing.stage(self.name):
            self.plan_ = plan_handouts(job.root, job.result, job.epoch, job.options.mode,
                                       self.store or job.root / "build" / "handouts")
            start_early(self.plan_)

    def publish(self, job: Job, site: Path) -> list[Problem]:
        assert self.plan_ is not None
        with job.timing.stage(self.name):
            report = publish_handouts(self.plan_, site)
        print(report)
        return report.problems

    def close(self) -> None:
        if self.plan_ is not None:
            stop_early(self.plan_)  # a failed build: what the child has not made, it never will
            self.plan_ = None
