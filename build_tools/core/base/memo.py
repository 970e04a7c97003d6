"""Results remembered by what they were made from, for as long as their owner lives: one build,
or a preview between saves (memory.BuildMemory). What a round did not ask for is forgotten when
the round ends, so a preview that runs for days keeps only what its latest build used."""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    def __init__(self) -> None:
        self.values: dict[K, V] = {}
        self.asked: set[K] = set()

    def get(self, key: K, make: Callable[[], V]) -> V:
        self.asked.add(key)
        if key not in self.values:
            self.values[key] = make()
        return self.values[key]

    def end_round(self) -> None:
        """Forget what was not asked for since the last round ended."""
        self.values = {k: v for k, v in self.values.items() if k in self.asked}
        self.asked = set()
