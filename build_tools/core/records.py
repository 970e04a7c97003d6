"""Small JSON records the build keeps beside what it made (manifests, cache indexes)."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def read_record(path: Path, default: Any) -> Any:
    """The record, or default when it is missing, unreadable or of another shape."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default
    return record if isinstance(record, type(default)) else default


def write_record(path: Path, record: Any) -> None:
    """Whole or not at all: a build cut short never leaves half a record."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(json.dumps(record, sort_keys=True, indent=0), encoding="utf-8")
    partial.replace(path)
