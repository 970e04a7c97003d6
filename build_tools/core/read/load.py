"""Stage 1, load: read project files safely and parse YAML keeping line numbers."""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..base.memo import Memo
from ..base.problems import Problem, relpath
from .strict_yaml import Document, YamlPath, parse_yaml
from ..base.timing import Timing

__all__ = ("Document", "Project", "Reads", "YamlPath", "parse_yaml")

MAX_FILE_BYTES = 1_000_000
# Invisible characters no source needs: C0 controls but tab and line ends, DEL, C1 controls, and
# the two noncharacters. YAML refuses some of them mid-parse; Markdown would publish them.
TEMPLATE_SUFFIXES = (".j2", ".html", ".css", ".js")  # read as text by Jinja or the handouts
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


Parsed = tuple[Document | None, list[Problem]]


@dataclass
class Reads:
    """What reading remembers, for one build or a preview between saves: the files read and
    accepted, by what identifies their content without reading it (inode, size, times), and what
    each text parsed to. A preview reads and parses again only what was saved (2,500 files at
    500 topics). The Documents are shared between builds: no caller may change them."""

    accepted: dict[Path, tuple[tuple[object, ...], str]] = field(default_factory=dict)
    parsed: Memo[tuple[str, str], Parsed] = field(default_factory=Memo)


class Project:
    """Reads files under one root and records what is wrong with them."""

    def __init__(self, root: Path, reads: Reads | None = None,
                 timing: Timing | None = None) -> None:
        self.root = root.resolve()
        self.reads = reads or Reads()
        self.timing = timing or Timing()
        self.problems: list[Problem] = []
        self.docs: dict[str, Document] = {}
        self.texts: dict[str, str] = {}
        self._folders: dict[Path, Path] = {}

    def rel(self, path: Path) -> str:
        absolute = path.absolute()
        if absolute.is_relative_to(self.root):  # the usual case, without resolving links
            return absolute.relative_to(self.root).as_posix()
        return relpath(path, self.root)

    def resolve(self, path: Path) -> Path:
        """path.resolve(), resolving each folder once per load: 3,500 files share 500 folders."""
        if path.is_symlink():
            return path.resolve()
        if path.parent not in self._folders:
            self._folders[path.parent] = path.parent.resolve()
        return self._folders[path.parent] / path.name

    def read_text(self, path: Path) -> str | None:
        """The file's text, or None after recording why it cannot be used."""
        rel = self.rel(path)
        try:
            resolved = self.resolve(path)
        except (OSError, RuntimeError):  # a link that leads back to itself, at any depth
            self.problems.append(Problem(rel, None, "link-loop",
                                         "the file is a link that leads back to itself",
                                         "replace the link with the real file"))
            return None
        identity = _identity(path, resolved)
        known = self.reads.accepted.get(path)
        if identity is not None and known is not None and known[0] == identity:
            self.texts[rel] = known[1]  # make serve: read and accepted before, unchanged since
            return known[1]
        refusal = _refusal(path, self.root, resolved)
        if refusal:
            self.problems.append(Problem(rel, None, refusal[0], refusal[1], refusal[2]))
            return None
        with self.timing.stage("load"):
            raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.problems.append(Problem(
                rel, line, "not-utf8", f"the file is not UTF-8 text (byte {exc.start})",
                "save the file with UTF-8 encoding"))
            return None
        text = text.removeprefix("\ufeff")
        control = control_problem(text, rel)
        if control:
            self.problems.append(control)
            return None
        self.texts[rel] = text
        if identity is not None:
            self.reads.accepted[path] = (identity, self.texts[rel])
        return self.texts[rel]

    def read_yaml(self, path: Path) -> Document | None:
        text = self.read_text(path)
        if text is None:
            return None
        rel = self.rel(path)
        with self.timing.stage("load"):
            doc, problems = self.reads.parsed.get((text, rel), lambda: parse_yaml(text, rel))
        self.problems.extend(problems)
        if doc:
            self.docs[doc.path] = doc
        return doc

    def links_leaving(self, folder: str) -> list[Problem]:
        """Links under folder that lead out of it, or into a hidden folder such as .git.

        Templates and theme files are read by Jinja and copied by MkDocs, not through
        read_text, and a link there would publish whatever file it points to; a link from one
        source folder into another, or into build/, would make content of what is not content.
        """
        base = self.root / folder
        found = []
        for path in [base, *_walk(base)]:
            if not path.is_symlink():
                continue
            try:
                target = path.resolve(strict=False)
            except (OSError, RuntimeError):  # a loop of links
                target = path
            if not target.is_relative_to(self.root):
                found.append(Problem(self.rel(path), None, *_outside(path)))
            elif _hidden(target, self.root) or (path != base and not target.is_relative_to(
                    self.resolve(base))):
                found.append(Problem(
                    self.rel(path), None, "link-leaves-folder",
                    f"the link leads out of {folder}/ (to {relpath(target, self.root)})",
                    f"replace the link with a real file inside {folder}/; a link may only lead "
                    "to another file of the same folder, never into a hidden folder"))
        return found

    def unreadable_templates(self) -> list[Problem]:
        """Template and theme files Jinja or the handout printer could not read as text."""
        found = []
        for path in _walk(self.root / "templates"):
            if not path.name.endswith(TEMPLATE_SUFFIXES):
                continue
            problem = _template_refusal(path)
            if problem:
                found.append(Problem(self.rel(path), problem[0], "template-unreadable", *problem[1:]))
        return found

    def files(self, folder: str, pattern: str) -> list[Path]:
        base = self.root / folder
        return sorted(base.glob(pattern)) if base.is_dir() else []


def _identity(path: Path, resolved: Path) -> tuple[object, ...] | None:
    """Where the file leads and its inode, size and time; None for a link or a missing file."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (resolved, info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _refusal(path: Path, root: Path, resolved: Path) -> tuple[str, str, str] | None:
    if not resolved.is_relative_to(root):
        return _outside(path)
    if not path.is_file():
        return ("missing-file", "the file does not exist", "create it or fix the name")
    size = path.stat().st_size
    if size == 0:
        return ("empty-file", "the file is empty", "write its content or delete it")
    if size > MAX_FILE_BYTES:
        return ("file-too-large", f"the file is {size} bytes; the limit is {MAX_FILE_BYTES}",
                "split it into smaller files")
    return None


def control_problem(text: str, rel: str) -> Problem | None:
    """The first invisible control character of a text, at its line and column."""
    found = CONTROL.search(text)
    if not found:
        return None
    start = found.start()
    line = text.count("\n", 0, start) + 1
    column = start - text.rfind("\n", 0, start)
    more = sum(1 for _ in CONTROL.finditer(text, start + 1))
    message = (f"the file holds an invisible control character (U+{ord(found.group()):04X}) at "
               f"column {column}" + (f", and {more} more after it" if more else ""))
    return Problem(rel, line, "control-character", message,
                   "delete it (comments too): such characters come with text pasted from PDFs "
                   "or word processors, and some editors show them as a space or nothing")


def _template_refusal(path: Path) -> tuple[int | None, str, str] | None:
    """(line, message, fix) when a template cannot be read as UTF-8 text."""
    if path.is_dir():
        return (None, "the template is a folder, not a file",
                "move the folder's files elsewhere and put the template file back in its place")
    try:
        raw = path.read_bytes()
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (raw[: exc.start].count(b"\n") + 1, f"the template is not UTF-8 text (byte "
                f"{exc.start})", "save the file with UTF-8 encoding")
    except OSError as exc:
        return (None, f"the template cannot be read ({exc.strerror})",
                "make it a readable file, or restore it from version control")
    return None


def _hidden(target: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in target.relative_to(root).parts)


def _outside(path: Path) -> tuple[str, str, str]:
    return ("outside-project", f"the path leads outside the project (to {path.resolve()})",
            "replace the link with a real file inside the project")


def _walk(folder: Path) -> list[Path]:
    """Every file and folder under folder, without entering linked folders."""
    found: list[Path] = []
    for parent, dirs, files in os.walk(folder):
        found += [Path(parent) / name for name in sorted(dirs + files)]
    return found
