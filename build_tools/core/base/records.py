"""Small JSON records the build keeps beside what it made (manifests, cache indexes), and the
files of its caches, written whole.

Every file the build writes goes through write_whole: a temporary name in the target folder,
then a rename. A file is never written into, so a reader (a served site, another build) holding
the old file never sees it change, and two names for one file cannot be written through each other.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Generic, TypeVar

from .problems import Problem, relpath, warning

DIGEST_HEADER = b"sha256:"  # a kept file: this, the payload's sha256 in hex, a newline, the payload


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
    build, the search's word list, a served site) never sees one. The one way this tool
    places a file, pages and PDFs of a site included."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        _write_bytes(partial, data)
        partial.replace(path)
    except OSError as exc:  # named by the file being written, not by its temporary name
        _remove(partial)
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    except BaseException:
        _remove(partial)
        raise


def _remove(partial: Path) -> None:
    with contextlib.suppress(OSError):  # a disk that refused the write may refuse this too
        partial.unlink(missing_ok=True)


def _write_bytes(path: Path, data: bytes) -> None:
    """The lowest write of the tool (tests stand a failing disk in for it)."""
    path.write_bytes(data)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def damage_warnings(root: Path, stores: Iterable["Kept[Any]"]) -> list[Problem]:
    """One warning for each damaged file these stores found since the last call: it was not
    used."""
    return [damaged_problem(path, root)
            for path in sorted({p for store in stores for p in store.take_damaged()})]


def damaged_problem(path: Path, root: Path, made_again: bool = True) -> Problem:
    if made_again:
        return warning(relpath(path, root), None, "cache-damaged",
                       "this cached file does not match the hash recorded when it was made; "
                       "it was made again and the damaged copy was not used",
                       "nothing to change in the content; if this comes back, check the disk "
                       "and what else writes into build/")
    return Problem(relpath(path, root), None, "cache-damaged",
                   "this cached file changed while the build was using it; it was not published",
                   "make sure nothing else writes into build/ during a build, and build again")


def forget_all_but(store: Path, suffix: str, keys: set[str]) -> None:
    """Remove the store's <key><suffix> files whose key is not in keys."""
    if store.is_dir():
        for path in store.glob(f"*{suffix}"):
            if path.stem not in keys:
                path.unlink(missing_ok=True)


def sealed(payload: bytes) -> bytes:
    """payload with its hash in front, as Kept writes it."""
    return DIGEST_HEADER + sha256(payload).encode() + b"\n" + payload


def unsealed(data: bytes) -> bytes | None:
    """The payload of a sealed file, or None when it does not match its recorded hash."""
    head, newline, payload = data.partition(b"\n")
    if not newline or not head.startswith(DIGEST_HEADER):
        return None
    return payload if head[len(DIGEST_HEADER):].decode("ascii", "replace") == sha256(payload) else None


def is_sealed(data: bytes) -> bool:
    """Written with a hash by this tool (a file of an older version has none: it is remade
    quietly; one whose hash does not match is damaged)."""
    return data.startswith(DIGEST_HEADER)


T = TypeVar("T")


class Kept(Generic[T]):
    """What is made from a key (a hash of everything it is made from): kept in memory while this
    process runs (`make serve`) and as a file <key><suffix> in a store folder between runs. The
    file carries the hash of what it holds, checked before anything is loaded from it (never
    unpickle unchecked bytes); one that does not match is reported (take_damaged) and made again."""

    def __init__(self, suffix: str, dump: Callable[[T], bytes],
                 load: Callable[[bytes], T | None]) -> None:
        self.suffix, self.dump, self.load = suffix, dump, load
        self.memory: dict[str, T] = {}
        self.damaged: list[Path] = []  # files not matching their recorded hash (take_damaged)

    def get(self, store: Path | None, key: str, make: Callable[[], T]) -> T:
        found = self.recall(store, key)
        if found is None:
            found = make()
            self.keep(store, key, found)
        return found

    def recall(self, store: Path | None, key: str) -> T | None:
        if key not in self.memory and store is not None:
            found = self._read(store / f"{key}{self.suffix}")
            if found is not None:
                self.memory[key] = found
        return self.memory.get(key)

    def _read(self, path: Path) -> T | None:
        try:
            data = path.read_bytes()
        except OSError:
            return None  # not kept yet: it is made
        payload = unsealed(data)
        if payload is None:
            if is_sealed(data):
                self.damaged.append(path)
            return None  # never loaded: made again
        try:
            return self.load(payload)
        except (ValueError, EOFError, AttributeError, ImportError, pickle.UnpicklingError):
            return None  # kept by another version of this tool: it is made again

    def take_damaged(self) -> list[Path]:
        """The damaged files found since the last call."""
        found, self.damaged = self.damaged, []
        return found

    def keep(self, store: Path | None, key: str, value: T) -> None:
        self.memory[key] = value
        if store is not None:
            write_whole(store / f"{key}{self.suffix}", sealed(self.dump(value)))

    def keep_only(self, store: Path | None, keys: set[str]) -> None:
        """Forget, in memory and in the store, what no longer has one of these keys."""
        for key in [k for k in self.memory if k not in keys]:
            del self.memory[key]
        if store is not None:
            forget_all_but(store, self.suffix, keys)


def pickled(kind: type[T]) -> tuple[Callable[[T], bytes], Callable[[bytes], T | None]]:
    """dump and load for Kept, by pickle; what loads as another type counts as not kept.
    Kept checks the bytes against their recorded hash before they reach pickle."""
    def load(data: bytes) -> T | None:
        value = pickle.loads(data)
        return value if isinstance(value, kind) else None
    return (lambda value: pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)), load
