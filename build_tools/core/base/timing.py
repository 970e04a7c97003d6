"""Wall time per build stage, for the benchmark (`make bench`).

Stages nest (the MkDocs build contains the core's on_config); each stage is charged only its own
time, so the figures add up to the whole build. `build --timings FILE` writes them there.
"""
from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_own: dict[str, float] = defaultdict(float)
_open: list[list[float]] = []  # per open stage: [start, time spent in stages nested inside]


@contextmanager
def stage(name: str) -> Iterator[None]:
    frame = [time.perf_counter(), 0.0]
    _open.append(frame)
    try:
        yield
    finally:
        _open.pop()
        spent = time.perf_counter() - frame[0]
        _own[name] += spent - frame[1]
        if _open:
            _open[-1][1] += spent


def add(name: str, seconds: float) -> None:
    """Time measured elsewhere (a worker process), charged to name and taken from the open stage."""
    _own[name] += seconds
    if _open:
        _open[-1][1] += seconds


def timings() -> dict[str, float]:
    return dict(_own)


def save(target: Path) -> None:
    target.write_text(json.dumps(timings(), indent=1, sort_keys=True), encoding="utf-8")
