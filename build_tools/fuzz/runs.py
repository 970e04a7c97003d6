"""One fuzz run: copy the pristine project, mutate it, run the core in a child, classify."""
from __future__ import annotations

import datetime

import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from ..translated import record_translation
from .child import Outcome, run_forked
from .classify import Verdict, classify, printable
from .fixture import write_fixture
from .mutations import Mutation, Tree, byte_mutation, file_mutation, remove_tree
from .text_mutations import jinja_mutation, markdown_mutation
from .yaml_mutations import value_mutation, yaml_mutation

REPO = Path(__file__).resolve().parents[2]
# The core reads templates/ (pages) and nothing else of the code; build_tools/ is not copied.
CODE_PARTS = ("templates", "mkdocs.yml", "site_config/strings")  # the words of the pages

Family = Callable[[Tree, random.Random], Mutation]
# name: (mutation, weight); changed values most, as they are what a careless edit does most.
FAMILIES: MappingProxyType[str, tuple[Family, int]] = MappingProxyType({
    "value": (value_mutation, 25), "yaml": (yaml_mutation, 22), "bytes": (byte_mutation, 18),
    "jinja": (jinja_mutation, 15), "markdown": (markdown_mutation, 10),
    "file": (file_mutation, 10)})


@dataclass(frozen=True)
class Limits:
    seconds: float = 10.0
    memory_mb: int = 1024


@dataclass
class Run:
    index: int
    mutation: Mutation
    outcome: Outcome
    verdict: Verdict

    def line(self) -> str:
        """The one line a developer reads first, and enough to replay the run."""
        head = (f"{self.verdict.kind}: run {self.index}: {self.mutation.family} "
                f"{self.mutation.path}: {self.mutation.description}")
        return printable(f"{head} -> {self.verdict.detail}" if self.verdict.detail else head)


def make_pristine(dest: Path) -> Path:
    """The fuzzer's project: this checkout's templates and the fixture's content."""
    dest.mkdir(parents=True)
    for part in CODE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / part)
    write_fixture(dest)
    # the Spanish page translates this checkout's English page: recorded as `make translated`
    # does, so the fixture passes unmutated and the record file is mutated like the rest
    record_translation(dest, "resting", "es", "patient", datetime.date(2025, 3, 4))
    return dest


def mutate(root: Path, seed: int, index: int, family: str | None = None) -> Mutation:
    """The mutation of run `index` of `seed` (of one family, if given): the same on every
    machine and every replay."""
    rng = random.Random(f"fuzz:{seed}:{index}")
    drawn = rng.choices(list(FAMILIES), [w for _, w in FAMILIES.values()])[0]
    return FAMILIES[family or drawn][0](Tree(root), rng)


def run_one(pristine: Path, work: Path, seed: int, index: int, limits: Limits,
            keep: Path | None = None, family: str | None = None) -> Run:
    root = work / f"run-{index}"
    shutil.copytree(pristine, root, symlinks=True)
    try:
        mutation = mutate(root, seed, index, family)
        if keep is not None:
            shutil.copytree(root, keep, symlinks=True)
        outcome = run_forked(root, limits.seconds, limits.memory_mb)
        verdict = classify(outcome, mutation, root)
    finally:
        remove_tree(root)
    return Run(index, mutation, outcome, verdict)
