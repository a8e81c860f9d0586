"""Bounded input types and the one rule for path and query parameters (issue 10, item 2).

Two layers, so that routes added by any domain are covered without editing them:

- ``guard_parameters`` is a dependency of the whole app: every integer path parameter must be an id
  (1 .. 2**63-1), every integer query parameter 0 .. 2**63-1, every text parameter at most 200 characters without
  control characters. The OpenAPI document shows the same bounds (``jiabao.api.openapi``).
- The annotated types below (``Id``, ``Offset``, ``Limit``, ``Money``, ``SafeText``...) state tighter bounds
  where a route or schema knows them; use them in new code.
"""

from __future__ import annotations

import re
import types
import typing
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import Path, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import AfterValidator, Field

from jiabao.core.errors import FieldProblem, InvalidInput

MAX_ID = 2**63 - 1
"""The largest BIGINT: ids and counts beyond it cannot exist in the database."""
MAX_TEXT_PARAM = 200
MAX_MONEY = Decimal("1000000000")
"""¥1 billion: above any sum assured, premium or claim the platform accepts."""
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2200, 12, 31)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters refused in any text (tab, newline and carriage return are allowed in multi-line text)."""
LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
"""Control characters refused in single-line text, path and query values (including tab and newlines)."""
NO_CONTROL_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*$"


def bounds_for(location: str, name: str, kind: str | None) -> tuple[int, int] | None:
    """The guard's bounds for a parameter: (low, high) for integers, (0, max length) for text; None: no rule."""
    if location not in ("path", "query"):
        return None
    if kind == "integer":
        return (1, MAX_ID) if location == "path" else (0, MAX_ID)
    if kind == "string":
        return (0, MAX_TEXT_PARAM)
    return None


def _kind_of(annotation: Any) -> str | None:
    options = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,)
    if typing.get_origin(annotation) is typing.Union:
        options = typing.get_args(annotation)
    for option in options:
        if option is bool:
            return None
        if option is int:
            return "integer"
        if option is str:
            return "string"
    return None


_PLAN: dict[tuple[str, str], list[tuple[str, str, str]]] = {}


def _plan(route: APIRoute) -> list[tuple[str, str, str]]:
    key = (route.path_format, ",".join(sorted(route.methods or ())))
    plan = _PLAN.get(key)
    if plan is None:
        plan = []
        pending: list[Dependant] = [route.dependant]
        while pending:
            dependant = pending.pop()
            pending.extend(dependant.dependencies)
            for location, fields in (("path", dependant.path_params), ("query", dependant.query_params)):
                for field in fields:
                    kind = _kind_of(field.field_info.annotation)
                    if kind is not None and (location, field.alias, kind) not in plan:
                        plan.append((location, field.alias, kind))
        _PLAN[key] = plan
    return plan


def _problem(field: str, code: str, zh: str, en: str) -> FieldProblem:
    return FieldProblem(field, code, f"{field}：{zh}", f"{field} {en}")


def check_value(location: str, name: str, kind: str, raw: str) -> FieldProblem | None:
    """One raw path or query value against the guard's rule (None when it passes or is left to FastAPI)."""
    bounds = bounds_for(location, name, kind)
    if bounds is None:
        return None
    low, high = bounds
    if LINE_CONTROL.search(raw):
        return _problem(name, "control_character", "含有不允许的控制字符", "contains a control character")
    if kind == "integer":
        text = raw.strip()
        if re.fullmatch(r"[+-]?\d+", text) is None:
            return None  # not a number at all: FastAPI's own message
        if len(text) > 25 or not low <= int(text) <= high:
            return _problem(name, "out_of_range", f"应在 {low} 到 {high} 之间", f"must be between {low} and {high}")
    elif len(raw) > high:
        return _problem(name, "string_too_long", "太长", "is too long")
    return None


def guard_parameters(request: Request) -> None:
    """App-wide dependency: bounds on every path and query parameter of the matched route (422 with the field)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    problems: list[FieldProblem] = []
    for location, name, kind in _plan(route):
        if location == "path":
            values = [str(request.path_params[name])] if name in request.path_params else []
        else:
            values = request.query_params.getlist(name)
        for raw in values:
            problem = check_value(location, name, kind, raw)
            if problem is not None:
                problems.append(problem)
                break
    if problems:
        raise InvalidInput(fields=tuple(problems))


def _no_control(value: str) -> str:
    if CONTROL.search(value):
        raise ValueError("contains a control character")
    return value


def _single_line(value: str) -> str:
    if LINE_CONTROL.search(value):
        raise ValueError("contains a control character or a line break")
    return value


def _plausible(value: date) -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"must be between {EARLIEST_DATE} and {LATEST_DATE}")
    return value


Id = Annotated[int, Path(ge=1, le=MAX_ID)]
"""A path id."""
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]
Limit = Annotated[int, Query(ge=1, le=200)]
SafeText = Annotated[str, AfterValidator(_no_control)]
"""Multi-line text: tab and newlines allowed, other control characters refused. Add ``Field(max_length=...)``."""
Line = Annotated[str, AfterValidator(_single_line)]
"""Single-line text (names, codes, account numbers)."""
Money = Annotated[Decimal, Field(ge=0, le=MAX_MONEY, max_digits=12, decimal_places=2)]
"""A non-negative amount in yuan: at most two decimals and ¥1 billion."""
PlausibleDate = Annotated[date, AfterValidator(_plausible)]
