"""Validating loaded YAML into a model, every error at its file and line."""
from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..base.problems import Problem
from .field_problems import field_problems
from .load import Document, YamlPath

M = TypeVar("M", bound=BaseModel)


def build_model(cls: type[M], data: Any, doc: Document, at: YamlPath,
                problems: list[Problem], extra: dict[str, Any] | None = None) -> M | None:
    """Validate data into cls; every error becomes a Problem at its YAML line."""
    if not isinstance(data, dict):
        problems.append(Problem(doc.path, doc.line_of(at), "wrong-type",
                                f"expected a mapping of fields here, found {kind_of(data)}",
                                f"write the fields of {cls.__name__} as `name: value` lines"))
        return None
    try:
        return cls.model_validate({**data, **(extra or {})})
    except ValidationError as exc:
        # a value load refused (010, .nan, a tag) was reported there; saying it again is noise
        problems.extend(p for p in field_problems(cls, exc.errors(), doc, at)
                        if p.line not in doc.refused)
        return None


def kind_of(data: Any) -> str:
    return "nothing" if data is None else f"a {type(data).__name__}"
