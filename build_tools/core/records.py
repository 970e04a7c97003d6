"""Small JSON records the build keeps beside what it made (manifests, cache indexes), and the
files of its caches, written whole."""
from __future__ import annotations

import json
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar


def read_record(path: Path, default: Any) -> Any:
    """The record, or default when it is missing, unreadable or of another shape."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default
    return record if isinstance(record, type(default)) else default


def write_record(path: Path, record: Any) -> None:
    write_whole(path, json.dumps(record, sort_keys=True, indent=0).encode("utf-8"))


def write_whole(path: Path, data: bytes) -> None:
    """Whole or not at all: a build cut short never leaves half a file, and a reader (another
    build, the search's word list) never sees one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_bytes(data)
    partial.replace(path)


def forget_all_but(store: Path, suffix: str, keys: set[str]) -> None:
    """Remove the store's <key><suffix> files whose key is not in keys."""
    if store.is_dir():
        for path in store.glob(f"*{suffix}"):
            if path.stem not in keys:
                path.unlink(missing_ok=True)


T = TypeVar("T")


class Kept(Generic[T]):
    """What is made from a key (a hash of everything it is made from): kept in memory while this
    process runs (`make serve`) and as a file <key><suffix> in a store folder between runs."""

    def __init__(self, suffix: str, dump: Callable[[T], bytes],
                 load: Callable[[bytes], T | None]) -> None:
        self.suffix, self.dump, self.load = suffix, dump, load
        self.memory: dict[str, T] = {}

    def get(self, store: Path | None, key: str, make: Callable[[], T]) -> T:
        found = self.recall(store, key)
        if found is None:
            found = make()
            self.keep(store, key, found)
        return found

    def recall(self, store: Path | None, key: str) -> T | None:
        if key not in self.memory and store is not None:
            try:
                found = self.load((store / f"{key}{self.suffix}").read_bytes())
            except (OSError, ValueError, EOFError, AttributeError, ImportError,
                    pickle.UnpicklingError):
                found = None  # not kept yet, or by another version: it is made again
            if found is not None:
                self.memory[key] = found
        return self.memory.get(key)

    def keep(self, store: Path | None, key: str, value: T) -> None:
        self.memory[key] = value
        if store is not None:
            write_whole(store / f"{key}{self.suffix}", self.dump(value))

    def keep_only(self, store: Path | None, keys: set[str]) -> None:
        """Forget, in memory and in the store, what no longer has one of these keys."""
        for key in [k for k in self.memory if k not in keys]:
            del self.memory[key]
        if store is not None:
            forget_all_but(store, self.suffix, keys)


def pickled(kind: type[T]) -> tuple[Callable[[T], bytes], Callable[[bytes], T | None]]:
    """dump and load for Kept, by pickle; what loads as another type counts as not kept."""
    def load(data: bytes) -> T | None:
        value = pickle.loads(data)
        return value if isinstance(value, kind) else None
    return (lambda value: pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)), load
