"""Problems found in content: values that stages return instead of raising."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
import unicodedata
from pathlib import Path
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


UNSHOWN = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs"})


def shown(text: str, keep: str = "\n\t") -> str:
    """text with every control or formatting character written as an escape (\\x1b, \\u202e)."""
    if text.isprintable():
        return text
    return "".join(char if char in keep or unicodedata.category(char) not in UNSHOWN
                   else char.encode("unicode_escape").decode("ascii") for char in text)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing an editor must look at: where, what, and how to fix it."""

    path: str
    line: int | None
    code: str
    message: str
    hint: str = ""
    severity: Severity = field(default=Severity.ERROR, compare=False)

    def __post_init__(self) -> None:
        # Values quoted from content may hold characters a terminal obeys instead of showing
        # (escape sequences, right-to-left overrides, line breaks in a folder name): shown escaped.
        object.__setattr__(self, "path", shown(self.path, keep="\t"))
        object.__setattr__(self, "message", shown(self.message))
        object.__setattr__(self, "hint", shown(self.hint))

    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        text = f"{self.where()}: {self.severity.value}: {self.message} [{self.code}]"
        return f"{text}\n    fix: {self.hint}" if self.hint else text

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Problem":
        """A problem kept as as_dict() gave it (a cache record)."""
        return cls(data["path"], data["line"], data["code"], data["message"], data["hint"],
                   Severity(data["severity"]))

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
        }


class ContentError(Exception):
    """Raised inside template calls (unknown fact, unknown reference); caught by render."""

    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


def relpath(path: Path, root: Path) -> str:
    """The path as the editor knows it; a link is named where it is, not where it leads."""
    for candidate in (path.absolute(), path.resolve()):
        if candidate.is_relative_to(root.resolve()):
            return candidate.relative_to(root.resolve()).as_posix()
    return path.as_posix()


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


def apply_strict(problems: list[Problem], strict: bool) -> list[Problem]:
    """--strict: every warning becomes an error."""
    if not strict:
        return problems
    return [
        Problem(p.path, p.line, p.code, p.message, p.hint, Severity.ERROR) for p in problems
    ]


def warning(path: str, line: int | None, code: str, message: str, hint: str = "") -> Problem:
    return Problem(path, line, code, message, hint, Severity.WARNING)
