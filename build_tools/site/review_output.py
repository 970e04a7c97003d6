"""The review view as an output of the preview (site.review_view makes its pages)."""
from __future__ import annotations

from pathlib import Path

from ..core.base.problems import Problem
from ..core.base.records import Kept
from .outputs import Job, Output
from .review_view import FOLDER, made_pages, write_review_pages


class ReviewView(Output):
    name = "review view"
    folders = (FOLDER,)
    modes = ("preview",)  # `make site` never writes it

    def wanted(self, job: Job) -> bool:
        """Only in the folder the preview serves: its pages carry no disclaimer, and a
        checked, published copy of a preview build must not have them."""
        return super().wanted(job) and job.options.in_place

    def __init__(self) -> None:
        self.made: Kept[str] = made_pages()  # kept across the preview's saves

    def publish(self, job: Job, site: Path) -> list[Problem]:
        with job.timing.stage(self.name):
            write_review_pages(site, job.result, job.state / "review", self.made)
        return []
