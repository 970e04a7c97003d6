"""Stage 2, validate (detail): pydantic's complaints about a YAML mapping, in an editor's words.

Each error pydantic reports becomes one Problem at the line of the field it is about, with a
stable code an editor can look up in docs/faults.md and a hint that says what to write instead.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel

from .load import Document, YamlPath
from ..base.problems import Problem

UNION_TAGS = frozenset({"Range", "float", "str", "int", "bool"})
DATE_ERRORS = frozenset({"date_type", "date_parsing", "date_from_datetime_parsing",
                         "date_from_datetime_inexact"})
# pydantic error type prefix -> (what the field wants, how to write it)
WANTED = MappingProxyType({
    "float": ("a number", "write a number, such as 8 or 2.6"),
    "int": ("a whole number", "write a whole number, such as 2010"),
    "bool": ("true or false", "write true or false"),
    "string": ("text", "write text; put it in quotes if it looks like a number, date or list"),
    "list": ("a list", "write a list: [a, b], or one `- item` per line"),
    "dict": ("a mapping", "write `name: value` lines under it"),
    "model": ("a mapping", "write `name: value` lines under it"),
})
FACT_VALUE = ("a number, a range or text",
              "write a number (2.6), a range ({min: 3, max: 4}) or text in quotes")
IDENTIFIERS = MappingProxyType({
    "DOI": ("bad-doi", "copy the DOI from the article page, without the https://doi.org/ part"),
    "PMID": ("bad-pmid", "copy the PMID (digits only) from the article's PubMed page; "
                         "a PMCID (PMC...) is a different number"),
    "URL": ("bad-url", "copy the address from the browser's address bar, starting https://"),
    "site_url": ("bad-url", "write the site's address, starting https://"),
})
DATE_HINT = "write the date as YYYY-MM-DD, for example 2025-10-15"


def field_problems(cls: type[BaseModel], errors: Iterable[Any], doc: Document,
                   at: YamlPath) -> list[Problem]:
    """One problem per field pydantic rejected; a misspelt field is not also reported missing."""
    located = _distinct(errors)
    misspelt = {loc[:-1] + (name,) for loc, err in located
                if err["type"] == "extra_forbidden" and (name := suggested_field(cls, loc))}
    return [_problem(cls, err, loc, doc, at) for loc, err in located
            if not (err["type"] == "missing" and loc in misspelt)]


def _distinct(errors: Iterable[Any]) -> list[tuple[YamlPath, Any]]:
    """A union field fails once per member type; the editor needs to hear about it once.
    A mapping given as a fact value is a range: what is wrong inside it is all there is to say."""
    errors = list(errors)
    ranges = {tuple(err["loc"][:err["loc"].index("Range")]) for err in errors
              if "Range" in err["loc"] and err["loc"][-1] != "Range"}
    seen: dict[YamlPath, Any] = {}
    for err in errors:
        if err["loc"] and err["loc"][-1] in UNION_TAGS and tuple(err["loc"][:-1]) in ranges:
            continue
        loc = tuple(part for part in err["loc"] if part not in UNION_TAGS)
        seen.setdefault(loc, err)
    return list(seen.items())


def _problem(cls: type[BaseModel], err: Any, loc: YamlPath, doc: Document,
             at: YamlPath) -> Problem:
    # a check of the whole mapping (a model validator) is about the entry at `at`
    field = ".".join(str(p) for p in loc) or ".".join(str(p) for p in at[-1:]) or "(top)"
    kind = str(err["type"])
    line = doc.line_of(at + loc) if loc else doc.key_line(at)
    if kind == "extra_forbidden":
        name = suggested_field(cls, loc)
        hint = f"did you mean '{name}'?" if name else f"allowed fields: {allowed_fields(cls, loc)}"
        return Problem(doc.path, doc.key_line(at + loc), "unknown-field",
                       f"unknown field '{field}'", hint)
    if kind == "missing":
        return Problem(doc.path, doc.key_line(at + loc[:-1]), "missing-field",
                       f"the required field '{field}' is missing", f"add `{loc[-1]}:` with its value")
    if kind == "edu_value":  # the model's own checks say which code and fix apply
        context = err.get("ctx", {})
        return Problem(doc.path, line, context.get("code", "invalid-value"),
                       f"'{field}': {err['msg']}", context.get("hint", "correct the value"))
    if kind in DATE_ERRORS:
        detail = err.get("ctx", {}).get("error", "not a date")
        return Problem(doc.path, line, "bad-date",
                       f"'{field}': {shown(err['input'])} is not a date ({detail})", DATE_HINT)
    wanted = _wanted(err, loc)
    if wanted:
        return Problem(doc.path, line, "wrong-type",
                       f"'{field}': expected {wanted[0]}, found {shown(err['input'])}", wanted[1])
    code, hint = IDENTIFIERS.get(str(loc[-1]) if loc else "", ("invalid-value", "correct the value"))
    if kind == "literal_error":
        hint = _literal_hint(err)
    message = str(err["msg"]).removeprefix("Value error, ")
    return Problem(doc.path, line, code, f"'{field}': {message}", hint)


def _wanted(err: Any, loc: YamlPath) -> tuple[str, str] | None:
    kind = str(err["type"])
    if loc and loc[-1] == "value" and ("Range" in err["loc"] or "union" in kind):
        return FACT_VALUE
    if kind.endswith(("_type", "_parsing")) or kind == "int_from_float":
        return WANTED.get(kind.split("_")[0])
    return None


def _literal_hint(err: Any) -> str:
    """'Input should be 'a', 'b' or 'c'': suggest the allowed value nearest to what was written."""
    allowed = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
    match = difflib.get_close_matches(str(err["input"]), allowed, n=1)
    return f"did you mean '{match[0]}'?" if match else "use one of the values listed"


def shown(value: Any) -> str:
    """A value as the editor wrote it, short enough for one line."""
    if value is None:
        return "nothing"
    text = f"'{value}'" if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _fields(cls: type[BaseModel], loc: YamlPath) -> list[str]:
    """The field names (as written in YAML) of the model that holds loc's last part."""
    model: Any = cls
    for part in loc[:-1]:
        info = getattr(model, "model_fields", {}).get(part)
        model = _inner_model(info.annotation) if info else model
    return [f.alias or n for n, f in getattr(model, "model_fields", {}).items()]


def suggested_field(cls: type[BaseModel], loc: YamlPath) -> str | None:
    match = difflib.get_close_matches(str(loc[-1]), _fields(cls, loc), n=1)
    return match[0] if match else None


def allowed_fields(cls: type[BaseModel], loc: YamlPath) -> str:
    # key and source are filled in by the loader, never written by an editor
    return ", ".join(sorted(n for n in _fields(cls, loc) if n not in ("key", "source")))


def _inner_model(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or (annotation,):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        inner = _inner_model(arg) if getattr(arg, "__args__", None) else None
        if inner:
            return inner
    return None
