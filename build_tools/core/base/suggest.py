"""The closest name to one an editor mistyped, for a problem's fix."""
from __future__ import annotations

import difflib
from collections.abc import Iterable


def suggest(name: str, choices: Iterable[object]) -> str:
    match = difflib.get_close_matches(name, [str(c) for c in choices], n=1)
    return f"did you mean '{match[0]}'?" if match else ""
