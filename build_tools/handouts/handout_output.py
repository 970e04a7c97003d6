"""The PDF handouts as an output: planned before the pages (a few missing ones are made by a
child process meanwhile), then published from the store (handouts.handout_cache). A translated
edition's handouts are its own plan, published below its folder (es/handouts/)."""
from __future__ import annotations

from pathlib import Path

from ..core.base.problems import Problem
from ..core.pipeline import Result
from ..site.outputs import Job, Output
from .handout_cache import HandoutPlan, plan_handouts, publish_handouts, start_early, stop_early


class Handouts(Output):
    name = "handouts"
    folders = ("handouts",)

    def __init__(self, store: Path | None = None) -> None:
        self.store = store  # None: build/handouts/ of the project, shared by both modes
        self.plans: dict[str, HandoutPlan] = {}  # by edition, "" for the site's own

    def wanted(self, job: Job) -> bool:
        return super().wanted(job) and job.options.handouts

    def plan(self, job: Job) -> None:
        store = self.store or job.root / "build" / "handouts"
        with job.timing.stage(self.name):
            self.plans = {"": plan_handouts(job.root, job.result, job.epoch, job.options.mode,
                                            store)}
            for language in sorted(job.result.editions):
                self.plans[language] = plan_handouts(
                    job.root, edition_result(job.result, language), job.epoch,
                    job.options.mode, store, language)
            start_early(self.plans[""])

    def publish(self, job: Job, site: Path) -> list[Problem]:
        problems: list[Problem] = []
        with job.timing.stage(self.name):
            for language, plan in self.plans.items():
                report = publish_handouts(plan, site / language if language else site)
                print(f"{language}: {report}" if language else report)
                problems += report.problems
        return problems

    def close(self) -> None:
        for plan in self.plans.values():
            stop_early(plan)  # a failed build: what the child has not made, it never will
        self.plans = {}


def edition_result(result: Result, language: str) -> Result:
    """A translated edition as the handouts read a build's result: its library, variants and
    reviews, and the topics the site leaves out."""
    edition = result.editions[language]
    left_out = {t.key for t in result.left_out}
    return Result([], edition.library, edition.variants,
                  left_out=[t for t in edition.library.topics.values() if t.key in left_out],
                  reviews=edition.reviews, memory=result.memory)
