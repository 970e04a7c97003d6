"""Judge one run: clean error, harmless, traceback, hang, bad message or silent value change.

A clean error is what an editor should get for a broken file: every problem names a file of
the project (and a line, when it gives one, inside that file), says what is wrong and how to
fix it, and shows nothing of Python. A harmless run has no errors; when its mutation changed a
value, the nurse and physician pages (which print numbers exactly) must show the new value as
it was typed. The comparison is deliberately forgiving (see `shows`), so that what it reports
is a value the pages really changed, dropped or kept from before.
"""
from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .child import Outcome
from .mutations import Expectation, Mutation

CLEAN, HARMLESS, TRACEBACK, HANG, BAD, SILENT = (
    "clean error", "harmless", "traceback", "hang", "bad message", "silent value change")
CLASSES = (CLEAN, HARMLESS, TRACEBACK, HANG, BAD, SILENT)
FAILING = (TRACEBACK, HANG, BAD, SILENT)


@dataclass(frozen=True)
class Verdict:
    kind: str
    detail: str = ""  # the first line a developer reads: the exception, message or value shown


def classify(outcome: Outcome, mutation: Mutation, root: Path) -> Verdict:
    if outcome.status in ("timeout", "memory"):
        return Verdict(HANG, outcome.error)
    if outcome.status != "done":
        where = f" [{outcome.where}]" if outcome.where else ""
        return Verdict(TRACEBACK, outcome.error + where)
    for problem in outcome.problems:
        if "MemoryError" in f"{problem.get('message')} {problem.get('hint')}":
            return Verdict(HANG, f"the memory limit was reached and reported as: {_shown(problem)}")
    for problem in outcome.problems:
        fault = message_fault(problem, root)
        if fault:
            return Verdict(BAD, f"{fault}: {_shown(problem)}")
    for line in outcome.report.splitlines():
        leak = _internals(line)
        if leak:
            return Verdict(BAD, f"the report shows {leak}: {line.strip()[:160]}")
    if any(p.get("severity") == "error" for p in outcome.problems):
        first = next(p for p in outcome.problems if p.get("severity") == "error")
        return Verdict(CLEAN, _shown(first))
    for expectation in mutation.expectations:
        change = silent_change(expectation, outcome)
        if change:
            return Verdict(SILENT, change)
    return Verdict(HARMLESS)


def _shown(problem: dict[str, Any]) -> str:
    """The problem as `make check` prints its first line, shortened to one screen line."""
    where = problem.get("path")
    where = f"{where}:{problem['line']}" if problem.get("line") else where
    message = str(problem.get("message")).split("\n")[0]
    message = message if len(message) <= 160 else message[:157] + "..."
    return f"{where}: {message} [{problem.get('code')}]"


def printable(text: str) -> str:
    """One line, its control characters (newlines too) written as escapes: the fuzzer's output."""
    return CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


# --- messages -----------------------------------------------------------------------------

CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# in a message, where a newline or a tab may be the tool's own layout
UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
INTERNALS = (
    ("a traceback", re.compile(r"Traceback|File \"[^\"]*\", line \d+")),
    ("a memory address", re.compile(r" at 0x[0-9a-fA-F]+")),
    ("a Python object", re.compile(r"<[\w.]+ object\b|'[\w.]+ object'|<class '|<function |"
                                   r"<built-in|<bound method|<module '|\bNoneType\b")),
    ("a Python exception name", re.compile(r"\b[A-Z][A-Za-z0-9]*(?:Error|Exception)\b")),
    ("the tool's internals", re.compile(r"build_tools[./]|site-packages|\.py\b|jinja2|"
                                        r"markupsafe|Markup\(|pydantic|input_value=|input_type=")),
    ("an unprintable character", UNPRINTABLE),
)
CODE = re.compile(r"[a-z][a-z0-9-]*")


def _internals(text: str) -> str:
    for name, pattern in INTERNALS:
        if pattern.search(text):
            return name
    return ""


def message_fault(problem: dict[str, Any], root: Path) -> str:
    """Why an editor could not act on this problem; "" when it is a clean message."""
    code, message, hint = problem.get("code"), problem.get("message"), problem.get("hint")
    if not isinstance(code, str) or not CODE.fullmatch(code):
        return f"the code {code!r} is not a stable code"
    if problem.get("severity") not in ("error", "warning"):
        return f"the severity {problem.get('severity')!r} is unknown"
    fault = _path_fault(problem.get("path"))
    if fault:
        return fault
    fault = _line_fault(problem.get("line"), root / str(problem.get("path")))
    if fault:
        return fault
    if not isinstance(message, str) or not message.strip():
        return "no message"
    if not isinstance(hint, str) or not hint.strip():
        return "no fix: hint"
    leak = _internals(message) or _internals(hint)
    return f"the message shows {leak}" if leak else ""


def _path_fault(path: object) -> str:
    """A path relative to the project, inside it; it may name a file to create."""
    if not isinstance(path, str) or path.strip() in ("", "."):
        return "no path"
    if path.startswith(("/", "~", "\\")) or ".." in path.split("/"):
        return "a path outside the project"
    if CONTROL.search(path):  # a newline in it would break `path:line: error: ...`
        return "a path holding an unprintable character"
    return ""


def _line_fault(line: object, path: Path) -> str:
    if line is None:
        return ""
    if not isinstance(line, int) or isinstance(line, bool) or line < 1:
        return f"the line {line!r} is not a line number"
    try:
        count = path.read_bytes().count(b"\n") + 1 if path.is_file() else None
    except OSError:
        count = None
    if count is not None and line > count + 1:
        return f"line {line} is past the end of the file ({count} lines)"
    return ""


# --- values -------------------------------------------------------------------------------

SPAN = re.compile(r'<span class="edu-fact" data-fact="([^"]*)" data-verified="(true|false)">'
                  r"(.*?)</span>", re.S)
UNVERIFIED_MARK = re.compile(r'<sup class="edu-unverified">.*?</sup>', re.S)
TAG = re.compile(r"<[^>]+>")
DECIMAL = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
RADIX = re.compile(r"([-+]?)0([xo])([0-9a-fA-F]+)")
NUMBER = re.compile(r"(?<![\w.])[-+\u2212]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?")
DATE = re.compile(r"(\d{4})[-/]?(\d{1,2})[-/]?(\d{1,2})(?:[Tt ][\d:.]+\s*(?:Z|[-+][\d:]+)?)?")
TRUE, FALSE = {"true", "yes", "on", "y", "1"}, {"false", "no", "off", "n", "0"}


def silent_change(expectation: Expectation, outcome: Outcome) -> str:
    """How the pages differ from the value typed; "" when they show it."""
    check = {"fact": _fact, "verified": _verified, "date": _date, "year": _year}
    return check[expectation.kind](expectation, outcome)


def _spaced(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def number_of(typed: str) -> Decimal | None:
    """The number a YAML 1.2 reader sees in typed text: decimal, 0x hex or 0o octal."""
    typed = typed.strip()
    try:
        if DECIMAL.fullmatch(typed):
            return Decimal(typed)
        radix = RADIX.fullmatch(typed)
        if radix:
            value = int(radix.group(3), 16 if radix.group(2) == "x" else 8)
            return Decimal(-value if radix.group(1) == "-" else value)
    except (InvalidOperation, ValueError):
        return None
    return None


def numbers_in(text: str) -> list[Decimal]:
    found = []
    for match in NUMBER.finditer(text):
        try:
            found.append(Decimal(match.group(0).replace(",", "").replace("\u2212", "-")))
        except InvalidOperation:
            continue
    return found


def shows(typed: str, text: str) -> bool:
    """Whether text shows the typed value: the same characters, or the same number."""
    typed, text = _spaced(typed), _spaced(text)
    if _literally(typed, text):
        return True
    value = number_of(typed)
    return value is not None and value in numbers_in(text)


def _literally(typed: str, text: str) -> bool:
    if not typed:
        return True
    before = r"(?<![\w.])" if typed[0].isalnum() else ""
    after = r"(?![\w])" if typed[-1].isalnum() else ""
    return re.search(before + re.escape(typed) + after, text) is not None


def fact_spans(outcome: Outcome, key: str, topics: tuple[str, ...], exact: bool
               ) -> list[tuple[str, str, str]]:
    """(variant, data-verified, text) of each span showing the fact."""
    found = []
    for variant in outcome.variants:
        if topics and variant["topic"] not in topics or exact and variant["numbers"] != "exact":
            continue
        for shown_key, verified, inner in SPAN.findall(variant["text"]):
            if shown_key == key and "edu-grade" not in inner:
                text = html.unescape(TAG.sub("", UNVERIFIED_MARK.sub("", inner)))
                found.append((f"{variant['audience']}/{variant['topic']}", verified, text))
    return found


def _fact(expectation: Expectation, outcome: Outcome) -> str:
    e = expectation
    spans = fact_spans(outcome, e.key, e.topics, exact=True)
    if not spans:
        return f"fact '{e.key}' is no longer shown after {e.part} {e.typed!r} was typed"
    if e.part == "unit":  # `fact.KEY.value` leaves the unit out: one span with it is enough
        if e.typed.strip() and not any(_spaced(e.typed) in _spaced(text) for _, _, text in spans):
            where, _, text = spans[0]
            return f"{where}: fact '{e.key}' shows {text!r}, not the unit {e.typed!r} typed"
        return ""
    for where, _, text in spans:
        if not shows(e.typed, text):
            before = " (the old value)" if shows(e.old, text) else ""
            return (f"{where}: fact '{e.key}' shows {text!r}{before} where {e.part} "
                    f"{e.typed!r} was typed (before: {e.old!r})")
    if e.part in ("min", "max") and e.other:
        low, high = (e.typed, e.other) if e.part == "min" else (e.other, e.typed)
        low_n, high_n = number_of(low), number_of(high)
        if low_n is not None and high_n is not None and low_n > high_n:
            return (f"fact '{e.key}': the range min {low}, max {high} is published as "
                    f"{spans[0][2]!r}")
    return ""


def _verified(expectation: Expectation, outcome: Outcome) -> str:
    word = expectation.typed.strip().lower()
    wanted = "true" if word in TRUE else "false" if word in FALSE else None
    if wanted is None:
        return ""
    for where, verified, _ in fact_spans(outcome, expectation.key, expectation.topics, exact=False):
        if verified != wanted:
            return (f"{where}: fact '{expectation.key}' is marked data-verified=\"{verified}\" "
                    f"where verified: {expectation.typed} was typed")
    return ""


def _as_date(typed: str) -> datetime.date | None:
    match = DATE.fullmatch(typed.strip())
    if not match:
        return None
    try:
        return datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _topic_pages(outcome: Outcome, topic: str) -> list[dict[str, str]]:
    return [p for p in outcome.pages if p["path"].count("/") == 1
            and p["path"].endswith(f"/{topic}.md")]


def _date(expectation: Expectation, outcome: Outcome) -> str:
    from babel.dates import format_date

    def longdate(day: datetime.date) -> str:  # the fuzz project's pattern (the repository's en.yml)
        return format_date(day, "MMMM d, y", locale="en")

    pages = _topic_pages(outcome, expectation.key)
    day = _as_date(expectation.typed)
    for page in pages:
        if day is None:
            shown = re.findall(r"<li><strong>(.*?):</strong>", page["text"])
            return (f"{page['path']}: the change date {expectation.typed!r}, which is not a date, "
                    f"was accepted; the change log shows {shown}")
        if longdate(day) not in page["text"]:
            return (f"{page['path']}: the change date {expectation.typed!r} is not shown as "
                    f"{longdate(day)!r} (before: {expectation.old!r})")
    return ""


def _year(expectation: Expectation, outcome: Outcome) -> str:
    items = [m.group(1) for p in outcome.pages for m in re.finditer(
        rf'<li id="ref-{re.escape(expectation.key)}"[^>]*>(.*?)</li>', p["text"], re.S)]
    typed = expectation.typed.strip()
    day = re.fullmatch(r"(\d{4})-\d\d-\d\d", typed)
    value = Decimal(day.group(1)) if day else number_of(typed)
    for item in items:
        text = html.unescape(TAG.sub("", item))
        if value is None:
            return (f"reference '{expectation.key}': issued {typed!r}, which is not a year, was "
                    f"accepted; its entry reads {_spaced(text)[:120]!r}")
        if value == value.to_integral_value() and 1000 <= value <= 2999 \
                and value not in numbers_in(text):
            return (f"reference '{expectation.key}': issued {typed!r} is not shown; its entry "
                    f"reads {_spaced(text)[:120]!r}")
    return ""
