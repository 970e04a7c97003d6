"""YAML-aware mutations: retyped scalars, tags, aliases, nesting, odd keys, changed values.

Positions come from composing the pristine file with PyYAML's own parser, so a mutation
replaces exactly one scalar's text; a changed value that a harmless run must show as typed is
returned as an Expectation.
"""
from __future__ import annotations

import datetime
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .mutations import Expectation, Mutation, Tree
from ..core.read.translations import is_translation

Path_ = tuple[object, ...]


@dataclass(frozen=True)
class Scalar:
    """One scalar of a YAML file: where it is in the text and what it holds."""

    path: Path_
    start: int
    end: int
    value: str
    is_key: bool


def scalars(text: str) -> tuple[list[Scalar], str]:
    """Every scalar (keys too) and the root's kind: "map", "seq" or "" when it cannot be read."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return [], ""
    found: list[Scalar] = []

    def walk(node: Node, path: Path_) -> None:
        if isinstance(node, ScalarNode):
            found.append(Scalar(path, node.start_mark.index, node.end_mark.index, node.value,
                                False))
        elif isinstance(node, SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, path + (i,))
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    found.append(Scalar(path + (key.value,), key.start_mark.index,
                                        key.end_mark.index, key.value, True))
                    walk(value, path + (key.value,))

    if root is None:
        return [], ""
    walk(root, ())
    kind = ("map" if isinstance(root, MappingNode)
            else "seq" if isinstance(root, SequenceNode) else "")
    return found, kind


def replace(text: str, site: Scalar, new: str) -> str:
    return text[:site.start] + new + text[site.end:]


def dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path) or "(root)"


# What YAML 1.1 re-values, what YAML 1.2 reads differently, and what no figure should be.
RETYPES = ("010", "0x1F", "0o17", "0b101", "1:30", "1_000", "yes", "no", "on", "off", "Yes", "NO",
           "y", "n", ".nan", ".NaN", ".inf", "-.inf", "1e30", "1e3", "1.0e+3", "-0", "+12", ".5",
           "~", "null", "", "true", "false", "2025-13-45", "2025-02-30", "2025-1-5",
           "2025-01-01T10:00:00Z", "2025-01-01 10:00:00", "1e309", "-1e309", "9" * 400,
           "123456789012345678901234567890", "3.14159265358979", "2.50", "1,000", "0.1",
           "'17'", '"17"', "'unclosed", '"unclosed', '"\\x3cscript>alert(1)\\x3c/script>"',
           '"a\\0b"', '"\\x07"', '"\\u202e"', '"\\ud800"', '"\\x1b[2J"', "[]", "{}", "[1, 2]",
           "{min: 5, max: -5}", "*undefined", "&anchor 12", "'it''s'", "- item", "? key",
           "@reserved", "`reserved", "%directive", "| \n", "> \n", "!!str", "!")
TAGS = ("!!timestamp 2025-01-01", "!!timestamp not a date", "!!timestamp 2025-13-45",
        "!!binary aGVsbG8=", "!!binary not base64!", "!!python/object/apply:os.getcwd []",
        "!!python/name:os.getcwd", "!!python/tuple [1, 2]", "!!str 12", "!!int 12", "!!int abc",
        "!!float 1.5", "!!float x", "!!bool yes", "!!null ''", "!!set {a, b}", "!!omap [a: 1]",
        "!!pairs [a: 1, a: 2]", "!custom x", "!!map {a: 1}", "!!seq [1]", "!<tag:x> y",
        "!!merge x", "!!value x", "!!yaml x")
KEYS = ("1", "2025-01-01", "true", "null", "~", "1.5", "[a, b]", "{a: 1}", "yes", "0x10",
        '"1"', "''", "!!binary aGk=", ".nan", "*undefined")
DATE_PARTS = ("{date-parts: [[]]}", "{date-parts: []}", "{date-parts: [[2019, 13, 45]]}",
              '{date-parts: [["x"]]}', "{date-parts: x}", "{date-parts: ~}", "[]", "[{}]",
              "[{year: x}]", "{}", "{date-parts: [[99999999999999999999]]}", "''",
              "{date-parts: [[-5]]}", "{date-parts: [[2019], [2020]]}", "[{year: }]")


def alias_bomb(levels: int) -> str:
    """levels nested lists, each holding the previous one nine times: 9**levels items."""
    parts = ["&a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        parts.append(f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "[" + ", ".join(parts) + "]"


def nesting(rng: random.Random) -> str:
    depth = rng.choice([30, 300, 3000, 30_000])
    if rng.random() < 0.5:
        return "[" * depth + "]" * depth
    return "{a: " * depth + "1" + "}" * depth


def retype(site_text: str, site: Scalar, rng: random.Random) -> tuple[str, str]:
    family = rng.random()
    if family < 0.45:
        new = rng.choice(RETYPES)
    elif family < 0.65:
        new = rng.choice(TAGS)
    elif family < 0.75:
        new = alias_bomb(rng.randint(3, 9))
    elif family < 0.85:
        new = nesting(rng)
    elif family < 0.9:
        new = "&self [*self]"  # a list that holds itself
    else:
        new = json.dumps(site.value + rng.choice(["\t", "\x00", "\x85", " " * 10_000, "\u2028"]))
    what = f"retype {dotted(site.path)} from {site.value[:40]!r} to {new[:60]!r}"
    return replace(site_text, site, new), what


def yaml_mutation(tree: Tree, rng: random.Random) -> Mutation:
    rel = rng.choice(tree.sources(".yml"))
    text = tree.read(rel).decode("utf-8")
    sites, root = scalars(text)
    values = [s for s in sites if not s.is_key]
    keys = [s for s in sites if s.is_key]
    action = rng.random()
    if action < 0.55 and values:
        text, what = retype(text, rng.choice(values), rng)
    elif action < 0.65 and keys:
        site = rng.choice(keys)
        new = rng.choice(KEYS)
        text, what = replace(text, site, new), f"change key {dotted(site.path)} to {new!r}"
    elif action < 0.72:
        line = _new_entry(root, rng.choice(KEYS) + ": x")
        text, what = text + line, f"append {line.strip()!r}"
    elif action < 0.8:
        text, what = duplicate_line(text, rng)
    elif action < 0.86:
        text, what = tab_or_quote(text, rng)
    elif action < 0.92:
        text, what = anchored_alias(text, values, rng)
    else:
        depth = rng.choice([50, 500, 5000])
        block = "".join("  " * i + "a:\n" for i in range(depth)) + "  " * depth + "b: 1\n"
        text += _new_entry(root, "deep:\n" + block)
        what = f"append {depth}-deep block mapping"
    tree.write(rel, text)
    return Mutation("yaml", rel, what)


def _new_entry(root: str, entry: str) -> str:
    """An entry added at the end of the file: a key of a mapping, or an item of a list."""
    if root == "seq":
        lines = entry.splitlines()
        return "\n- " + "\n  ".join(lines) + "\n"
    return "\n" + entry + "\n"


def duplicate_line(text: str, rng: random.Random) -> tuple[str, str]:
    lines = text.splitlines(keepends=True)
    keyed = [i for i, line in enumerate(lines) if re.match(r"\s*-?\s*[\w-]+:", line)]
    if not keyed:
        return text + text, "double the file"
    i = rng.choice(keyed)
    lines.insert(i + 1, lines[i] if lines[i].endswith("\n") else lines[i] + "\n")
    return "".join(lines), f"repeat line {i + 1} ({lines[i].strip()[:40]!r}): a duplicate key"


def tab_or_quote(text: str, rng: random.Random) -> tuple[str, str]:
    lines = text.splitlines(keepends=True)
    if not lines:
        return "\t", "write a tab"
    i = rng.randrange(len(lines))
    line = lines[i]
    if rng.random() < 0.5 and line.startswith(" "):
        lines[i] = "\t" + line.lstrip(" ")
        what = f"indent line {i + 1} with a tab"
    else:
        at = rng.randrange(len(line) + 1)
        quote = rng.choice(['"', "'", "[", "{", "\t"])
        lines[i] = line[:at] + quote + line[at:]
        what = f"insert {quote!r} in line {i + 1} at column {at + 1}"
    return "".join(lines), what


def anchored_alias(text: str, values: list[Scalar], rng: random.Random) -> tuple[str, str]:
    """An anchor on one value and an alias (or a merge of it) in place of a later one."""
    if len(values) < 2:
        return text + "\n*nothing\n", "append an undefined alias"
    first, second = sorted(rng.sample(values, 2), key=lambda s: s.start)
    alias = rng.choice(["*fz", "*fz", "*missing", "{<<: *fz}"])
    text = replace(text, second, alias)
    text = text[:first.start] + "&fz " + text[first.start:]
    return text, f"anchor {dotted(first.path)} and use {alias!r} for {dotted(second.path)}"


# --- changed values that must show as typed -----------------------------------------------

NUMBERS = RETYPES[:40] + ("17", "0", "-3", "4.25", "1234567.5", "99.99", "0.001", "100000")
TEXTS = ("a soft brace", "three braces a day", "<b>bold</b> brace", "brace & belt",
         "a brace \u2265 3 hours", "a brace\u00a0fitted", "{{ 300 }}", "yes", "no", "1:30",
         "a brace for 6 weeks", "\u00b3\u2070\u2070 adults", "&#51;00 people", "NaN", "None")
UNITS = ("mg", "mL/kg", "times a day", "% of people", "yes", "", "<b>x</b>", "010",
         "weeks (median)", "\u00b0C")
FLAGS = ("true", "false", "yes", "no", "on", "off", "True", "FALSE", "1", "0", "y", "n", "maybe",
         "~", "'true'")
DATES = ("2025-02-29", "2024-02-29", "2025-1-5", "2025-13-45", "2025-00-10", "1999-12-31",
         "2025-01-01T10:00:00Z", "2025-01-01 10:00:00", "20250101", "2025/01/01",
         "'2025-01-01'", "0001-01-01", "9999-12-31", "2025-W01", "", "~", "yes", "2030-06-15")
YEARS = ("2019", "1850", "2031", "010", "0x7E4", "2_020", "'2020'", "2020-01-01", "1e3", "-2020",
         "99999", "2020.5", "MMXX")


def value_sites(tree: Tree) -> list[tuple[str, Scalar]]:
    """The scalars whose new value a harmless run must show: fact values, bounds, units and
    verified marks; change dates; reference years."""
    found = []
    for rel in tree.sources(".yml"):
        sites, _ = scalars(tree.read(rel).decode("utf-8"))
        for site in sites:
            if not site.is_key and _shows(rel, site.path):
                found.append((rel, site))
    return found


def _shows(rel: str, path: Path_) -> bool:
    if is_translation(Path(rel)):
        return False  # its words show on its edition's pages, which a run does not read
    if rel.endswith("facts.yml") or rel.startswith("content/facts/"):
        return path[1:] in {("value",), ("value", "min"), ("value", "max"), ("unit",),
                            ("verified",)}
    if rel.endswith("topic.yml"):
        return len(path) == 3 and path[0] == "changes" and path[2] == "date"
    return rel == "content/references.yml" and len(path) == 2 and path[1] == "issued"


def value_mutation(tree: Tree, rng: random.Random) -> Mutation:
    sites = value_sites(tree)
    rel, site = rng.choice(sites)
    text = tree.read(rel).decode("utf-8")
    if site.path[1:] in {("value", "min"), ("value", "max")} and rng.random() < 0.3:
        return _swap_range(tree, rel, text, site)
    new = _new_value(rel, site, text, rng)
    tree.write(rel, replace(text, site, new))
    expectation = expectation_for(rel, site, new, text)
    return Mutation("value", rel, f"set {dotted(site.path)} from {site.value!r} to {new!r}",
                    [expectation] if expectation else [])


def _new_value(rel: str, site: Scalar, text: str, rng: random.Random) -> str:
    field = site.path[-1]
    if field == "verified":
        return rng.choice(FLAGS)
    if field == "date":
        if rng.random() < 0.4:
            day = datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randrange(12_000))
            return day.isoformat()
        return rng.choice(DATES)
    if field == "issued":
        return rng.choice(YEARS) if rng.random() < 0.7 else rng.choice(DATE_PARTS)
    if field == "unit":
        return _quoted(rng.choice(UNITS))
    if not re.fullmatch(r"[-+.\d]+", site.value):  # a fact whose value is text
        return _quoted(rng.choice(TEXTS)) if rng.random() < 0.7 else rng.choice(NUMBERS)
    if rng.random() < 0.4:
        number = rng.choice([rng.randint(-50, 100_000),
                             round(rng.uniform(0, 500), rng.randint(1, 3))])
        return str(number)
    return rng.choice(NUMBERS)


def _quoted(text: str) -> str:
    """Text as an editor would quote it when YAML needs it, and plain when it does not."""
    plain = re.fullmatch(r"[A-Za-z][\w ]*", text) is not None
    return text if plain else json.dumps(text, ensure_ascii=False)


def typed(raw: str) -> str | None:
    """The text of a scalar as typed, quotes removed; None for what is not one plain value."""
    raw = raw.strip()
    if not raw or raw[0] in "!&*[{|>?@`%" or (raw[0] == "-" and not re.match(r"-[\d.]", raw)):
        return None
    if raw[:1] == "'":
        return raw[1:-1].replace("''", "'") if len(raw) > 1 and raw.endswith("'") else None
    if raw[:1] == '"':
        try:
            value = json.loads(raw)
        except ValueError:
            return None
        return value if isinstance(value, str) else None
    return raw


def expectation_for(rel: str, site: Scalar, new: str, text: str) -> Expectation | None:
    shown = typed(new)
    if shown is None:
        return None
    field = site.path[-1]
    if rel == "content/references.yml":
        ref_id = _sibling(text, site.path[:-1] + ("id",))
        return Expectation("year", ref_id, shown, site.value) if ref_id else None
    topic = rel.split("/")[2] if rel.startswith("content/topics/") else ""
    if field == "date":
        return Expectation("date", topic, shown, site.value, (topic,))
    key = str(site.path[0])
    if rel.startswith("content/facts/"):
        key = f"{rel.split('/')[-1].removesuffix('.yml')}.{key}"
    topics = (topic,) if topic else ()
    if field == "verified":
        return Expectation("verified", key, shown, site.value, topics)
    part = {"min": "min", "max": "max", "unit": "unit"}.get(str(field), "value")
    other = ""
    if part in ("min", "max"):
        other = _sibling(text, site.path[:-1] + ("max" if part == "min" else "min",)) or ""
    return Expectation("fact", key, shown, site.value, topics, part, other)


def _sibling(text: str, path: Path_) -> str | None:
    sites, _ = scalars(text)
    return next((s.value for s in sites if s.path == path and not s.is_key), None)


def _swap_range(tree: Tree, rel: str, text: str, site: Scalar) -> Mutation:
    """min and max exchanged: a range that runs backwards must not publish as it is."""
    sites, _ = scalars(text)
    pair = sorted((s for s in sites if not s.is_key and s.path[:-1] == site.path[:-1]
                   and s.path[-1] in ("min", "max")), key=lambda s: s.start)
    low, high = pair
    if low.value == high.value:
        return Mutation("value", rel, f"leave {dotted(site.path[:-1])} as it is (min = max)")
    swapped = text[:low.start] + high.value + text[low.end:high.start] + low.value + text[high.end:]
    tree.write(rel, swapped)
    key = str(site.path[0])
    if rel.startswith("content/facts/"):
        key = f"{rel.split('/')[-1].removesuffix('.yml')}.{key}"
    topic = rel.split("/")[2] if rel.startswith("content/topics/") else ""
    min_first = low.path[-1] == "min"
    new_min, new_max = (high.value, low.value) if min_first else (low.value, high.value)
    return Mutation("value", rel, f"swap {dotted(site.path[:-1])} to min {new_min}, max {new_max}",
                    [Expectation("fact", key, new_min, site.value, (topic,) if topic else (),
                                 "min", new_max)])
