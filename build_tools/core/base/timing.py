"""Wall time per build stage, for the benchmark (`make bench`).

Stages nest (the MkDocs build contains the core's on_config); each stage is charged only its own
time, so the figures add up to the whole build. `build --timings FILE` writes them there. Each
build's memory (memory.BuildMemory) has its own Timing: one build's figures never include
another's.
"""
from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class Timing:
    """Seconds per stage name, each stage charged its own time only."""

    def __init__(self) -> None:
        self.own: dict[str, float] = defaultdict(float)
        self.open: list[list[float]] = []  # per open stage: [start, time spent in stages inside]

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        frame = [time.perf_counter(), 0.0]
        self.open.append(frame)
        try:
            yield
        finally:
            self.open.pop()
            spent = time.perf_counter() - frame[0]
            self.own[name] += spent - frame[1]
            if self.open:
                self.open[-1][1] += spent

    def add(self, name: str, seconds: float) -> None:
        """Time measured elsewhere (a worker process), charged to name and taken from the open
        stage."""
        self.own[name] += seconds
        if self.open:
            self.open[-1][1] += seconds

    def timings(self) -> dict[str, float]:
        return dict(self.own)

    def save(self, target: Path) -> None:
        target.write_text(json.dumps(self.timings(), indent=1, sort_keys=True), encoding="utf-8")
