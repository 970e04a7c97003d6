"""Seeded mutations of a project's sources: what a careless editor or an attacker could save.

A mutation changes the copy of the project a run works on and says what it did, in words a
developer can act on, plus, for a changed value, what a harmless run must then show
(`Expectation`, checked by classify.py). Everything is drawn from one `random.Random`, so a
seed and a run number give the same mutation again (`--only`).
"""
from __future__ import annotations

import os
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType


@dataclass(frozen=True)
class Expectation:
    """A value the mutation typed, which a run without errors must show as typed.

    kind: "fact" (a fact's value, a range bound or its unit, on the exact pages), "verified"
    (the fact's data-verified mark), "date" (a change's date on the topic's pages) or "year" (a
    reference's year in its list entry). key: the fact key as pages write it
    (`smith2020.brace_weeks` for a shared fact), the topic, or the reference id.
    """

    kind: str
    key: str
    typed: str
    old: str
    topics: tuple[str, ...] = ()
    part: str = "value"  # value | min | max | unit
    other: str = ""  # a range bound's partner, as typed


@dataclass
class Mutation:
    family: str
    path: str
    description: str
    expectations: list[Expectation] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.family} {self.path}: {self.description}"


class Tree:
    """The run's copy of the project, and its source files in a stable order."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def sources(self, suffix: str = "") -> list[str]:
        found = []
        for folder in ("site_config", "audiences", "content", "templates"):
            for path in sorted((self.root / folder).rglob("*")):
                rel = path.relative_to(self.root).as_posix()
                theme = rel.startswith("templates/theme")  # MkDocs' files, not the core's
                if path.is_file() and rel.endswith(suffix) and not theme:
                    found.append(rel)
        return found

    def prose(self) -> list[str]:
        return [p for p in self.sources(".md") if p.count("/") == 2 and p.startswith("audiences/")]

    def topics(self) -> list[str]:
        return sorted(p.name for p in (self.root / "content" / "topics").iterdir() if p.is_dir())

    def read(self, rel: str) -> bytes:
        return (self.root / rel).read_bytes()

    def write(self, rel: str, data: bytes | str) -> None:
        raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
        (self.root / rel).write_bytes(raw)


def pick_file(tree: Tree, rng: random.Random) -> str:
    """Any source; templates are code, not content, so they are picked less often."""
    content = [p for p in tree.sources() if not p.startswith("templates/")]
    templates = [p for p in tree.sources(".j2")]
    return rng.choice(templates if templates and rng.random() < 0.1 else content)


def position(data: bytes, rng: random.Random) -> int:
    return rng.randrange(len(data) + 1)


# --- byte level ---------------------------------------------------------------------------

CONTROL = (b"\x00", b"\x01", b"\x07", b"\x08", b"\x0b", b"\x0c", b"\x1b[31m", b"\x7f",
           "\u0085".encode(), "\u2028".encode(), "\ufeff".encode(), "\u202e".encode(), b"\r")
INVALID_UTF8 = (b"\xff", b"\xfe\xfe", b"\xc3\x28", b"\xe2\x82", b"\xed\xa0\x80", b"\xc0\xaf",
                b"\xf8\x88\x80\x80\x80")


def flip_bit(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    if not data:
        return b"\x01", "flip a bit of an empty file"
    at = rng.randrange(len(data))
    bit = rng.randrange(8)
    out = bytearray(data)
    out[at] ^= 1 << bit
    return bytes(out), (f"flip bit {bit} of byte {at} "
                        f"({data[at:at + 1]!r} -> {bytes(out[at:at + 1])!r})")


def insert_random(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    at = position(data, rng)
    junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return data[:at] + junk + data[at:], f"insert bytes {junk!r} at byte {at}"


def delete_range(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    at = position(data, rng)
    length = rng.choice([1, 2, 5, 20, 200])
    return data[:at] + data[at + length:], f"delete {length} bytes at byte {at}"


def control_char(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    char = rng.choice(CONTROL)
    if rng.random() < 0.3:  # in a comment, where nobody would look
        return data + b"\n# note " + char + b" end\n", f"append a comment holding {char!r}"
    at = position(data, rng)
    return data[:at] + char + data[at:], f"insert control character {char!r} at byte {at}"


def invalid_utf8(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    at = position(data, rng)
    junk = rng.choice(INVALID_UTF8)
    return data[:at] + junk + data[at:], f"insert invalid UTF-8 {junk!r} at byte {at}"


def truncate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    at = rng.randrange(len(data)) if data else 0
    return data[:at], f"truncate to {at} bytes"


def repeat(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """A slice repeated until the file is large: near, under and over the size limit."""
    if not data:
        return b"x" * 100_000, "fill an empty file with 100000 x"
    start = rng.randrange(len(data))
    piece = data[start:start + rng.choice([1, 10, 80, 400])]
    target = rng.choice([10_000, 200_000, 990_000, 1_100_000])
    times = max(2, target // len(piece))
    return (data[:start] + piece * times + data[start + len(piece):],
            f"repeat {piece[:30]!r} {times} times at byte {start}")


BYTE_MUTATIONS: tuple[Callable[[bytes, random.Random], tuple[bytes, str]], ...] = (
    flip_bit, insert_random, delete_range, control_char, invalid_utf8, truncate, repeat)


def byte_mutation(tree: Tree, rng: random.Random) -> Mutation:
    rel = pick_file(tree, rng)
    data = tree.read(rel)
    steps = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        data, what = rng.choice(BYTE_MUTATIONS)(data, rng)
        steps.append(what)
    tree.write(rel, data)
    return Mutation("bytes", rel, "; ".join(steps))


# --- file level ---------------------------------------------------------------------------

ODD_NAMES = ('brac"ing', "brac ing", "Bracing", "brac'ing", "-bracing", "brac<script>ing",
             "bräcing", "brac\\ing", "b" * 250, "brac%2fing", "brac\u202eing", ".bracing",
             "brac\ning", "brac\x07ing")
OUTSIDE = ("/etc/hostname", "/etc/passwd", "/proc/self/environ", "/dev/zero", "/nonexistent")


def file_mutation(tree: Tree, rng: random.Random) -> Mutation:
    action = rng.choice([delete_file, file_to_folder, rename_topic, symlink, extra_file,
                         empty_file, template_to_folder])
    return action(tree, rng)


def delete_file(tree: Tree, rng: random.Random) -> Mutation:
    rel = pick_file(tree, rng)
    (tree.root / rel).unlink()
    return Mutation("file", rel, "delete the file")


def file_to_folder(tree: Tree, rng: random.Random) -> Mutation:
    rel = pick_file(tree, rng)
    path = tree.root / rel
    path.unlink()
    path.mkdir()
    if rng.random() < 0.5:
        (path / "inner.yml").write_text("a: 1\n", encoding="utf-8")
    return Mutation("file", rel, "replace the file by a folder of the same name")


def template_to_folder(tree: Tree, rng: random.Random) -> Mutation:
    rel = rng.choice(tree.sources(".j2"))
    (tree.root / rel).unlink()
    (tree.root / rel).mkdir()
    return Mutation("file", rel, "replace the page template by a folder")


def rename_topic(tree: Tree, rng: random.Random) -> Mutation:
    """A topic folder with an odd name; with its prose renamed too, or left behind."""
    topic = rng.choice(tree.topics())
    name = rng.choice(ODD_NAMES).replace("bracing", topic).replace("brac", topic[:4])
    name = name if name != topic else topic + '"'
    (tree.root / "content" / "topics" / topic).rename(tree.root / "content" / "topics" / name)
    with_prose = rng.random() < 0.6
    if with_prose:
        for audience in sorted(p for p in (tree.root / "audiences").iterdir() if p.is_dir()):
            if (audience / f"{topic}.md").exists():
                (audience / f"{topic}.md").rename(audience / f"{name}.md")
    how = "and its prose files" if with_prose else "leaving its prose files"
    return Mutation("file", f"content/topics/{topic}", f"rename the topic folder to {name!r} {how}")


def symlink(tree: Tree, rng: random.Random) -> Mutation:
    rel = pick_file(tree, rng)
    path = tree.root / rel
    target = rng.choice((*OUTSIDE, "inside", "self", "root", "dangling"))
    path.unlink()
    if target == "inside":
        other = rng.choice([p for p in tree.sources() if p != rel])
        os.symlink(os.path.relpath(tree.root / other, path.parent), path)
        target = other
    elif target == "self":
        os.symlink(path.name, path)
    elif target == "root":
        os.symlink(os.path.relpath(tree.root, path.parent), path)
    elif target == "dangling":
        os.symlink("missing-file.yml", path)
    else:
        os.symlink(target, path)
    return Mutation("file", rel, f"replace the file by a symbolic link to {target}")


EXTRA_FILES = MappingProxyType({
    "audiences/patient/orphan.md": "## Lost\n\nNo topic has this prose.\n",
    "audiences/extra.yml": "label: Extra\ndescription: A fourth audience.\nreading_grade_max: 9\n"
                           "disclaimer: patient\nnumbers: exact\n",
    "content/facts/Bad-Name.yml": "x:\n  label: x\n  value: 1\n  refs: [smith2020]\n"
                                  "  verified: true\n",
    "content/facts/nobody.yml": "x:\n  label: x\n  value: 1\n  refs: [nobody]\n  verified: true\n",
    "content/topics/empty/.keep": "",
    "content/topics/bracing/signoffs.yml": "- reviewer: Nobody\n  credentials: MD\n"
                                           "  date: 2025-01-01\n  fingerprint: sha256:00\n"
                                           "  snapshot: {}\n",
    "templates/evil.md.j2": "{{ library.__class__ }}\n",
})


def extra_file(tree: Tree, rng: random.Random) -> Mutation:
    if rng.random() < 0.2:  # a link inside templates/ to the whole project: a loop to walk
        os.symlink("..", tree.root / "templates" / "loop")
        return Mutation("file", "templates/loop", "add a symbolic link templates/loop -> ..")
    rel, text = rng.choice(sorted(EXTRA_FILES.items()))
    path = tree.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return Mutation("file", rel, "add the file")


def empty_file(tree: Tree, rng: random.Random) -> Mutation:
    rel = pick_file(tree, rng)
    filler = rng.choice([b"", b"\n", b"   \n\n", b"# only a comment\n", b"---\n", b"...\n"])
    tree.write(rel, filler)
    return Mutation("file", rel, f"replace the file's content by {filler!r}")


def remove_tree(path: Path) -> None:
    """Remove a run's copy, whatever the mutation made of it (links, odd names, folders)."""
    shutil.rmtree(path, ignore_errors=True)
