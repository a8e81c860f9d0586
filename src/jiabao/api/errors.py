"""Rendering of errors: JSON under /api, a page elsewhere. Expected conditions never become a 500."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as SqlTimeoutError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from jiabao.core.errors import (
    Conflict,
    FieldProblem,
    InvalidInput,
    JiabaoError,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)

log = logging.getLogger("jiabao")

_PYDANTIC_MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("必填", "is required"),
    "string_too_short": ("太短", "is too short"),
    "string_too_long": ("太长", "is too long"),
    "string_pattern_mismatch": ("格式不正确", "has the wrong format"),
    "date_from_datetime_parsing": ("日期格式不正确", "is not a valid date"),
    "date_parsing": ("日期格式不正确", "is not a valid date"),
    "date_type": ("日期格式不正确", "is not a valid date"),
    "enum": ("取值无效", "is not one of the allowed values"),
    "int_parsing": ("应为整数", "must be a whole number"),
    "int_type": ("应为整数", "must be a whole number"),
    "decimal_parsing": ("应为数字", "must be a number"),
    "greater_than_equal": ("数值太小", "is too small"),
    "less_than_equal": ("数值太大", "is too large"),
    "extra_forbidden": ("不允许的字段", "is not an accepted field"),
    "bool_parsing": ("应为是或否", "must be true or false"),
    "json_invalid": ("请求格式不正确", "is not valid JSON"),
}


def problems_from_pydantic(errors: list[Any]) -> tuple[FieldProblem, ...]:
    problems = []
    for err in errors:
        loc = [str(part) for part in err.get("loc", ()) if part not in ("body", "query", "path")]
        field = ".".join(loc) or "body"
        zh, en = _PYDANTIC_MESSAGES.get(err.get("type", ""), ("取值无效", "is not valid"))
        problems.append(FieldProblem(field, err.get("type", "invalid"), f"{field}：{zh}", f"{field} {en}"))
    return tuple(problems)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path in ("/openapi.json",)


def language_of(request: Request) -> str:
    state_lang = getattr(request.state, "language", None)
    if state_lang in ("zh", "en"):
        return str(state_lang)
    accept = request.headers.get("accept-language", "")
    return "en" if accept.startswith("en") else "zh"


def render(request: Request, error: JiabaoError) -> Response:
    if wants_json(request):
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
        if error.status == 429:
            headers = {"Retry-After": str(error.extra.get("retry_after", 1))}
        return JSONResponse({"error": error.as_dict(language_of(request))}, status_code=error.status, headers=headers)
    page_renderer = getattr(request.app.state, "error_page", None)
    if page_renderer is not None:
        response: Response = page_renderer(request, error)
        return response
    return HTMLResponse(f"<h1>{error.message_zh}</h1><p>{error.message_en}</p>", status_code=error.status)


def concurrent_change() -> Conflict:
    return Conflict(
        "Another request changed this at the same time; reload and try again",
        "其他操作同时修改了此记录，请刷新后重试",
        code="concurrent_change",
    )


def install(app: FastAPI) -> None:
    """Register every error handler in one place."""

    @app.exception_handler(JiabaoError)
    async def _jiabao(request: Request, exc: JiabaoError) -> Response:
        return render(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        return render(request, InvalidInput(fields=problems_from_pydantic(list(exc.errors()))))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        mapped: JiabaoError
        if exc.status_code == 404:
            mapped = NotFound(code="route_not_found")
        elif exc.status_code == 401:
            mapped = NotAuthenticated()
        elif exc.status_code == 403:
            mapped = PermissionDenied()
        elif exc.status_code == 400:  # FastAPI could not decode the body: a field problem like any other
            mapped = InvalidInput(
                fields=(FieldProblem("body", "json_invalid", "body：请求格式不正确", "body is not valid JSON"),)
            )
        else:
            mapped = JiabaoError(str(exc.detail), str(exc.detail), code=f"http_{exc.status_code}")
            mapped.status = exc.status_code
        return render(request, mapped)

    @app.exception_handler(SqlTimeoutError)
    async def _busy(request: Request, exc: SqlTimeoutError) -> Response:
        log.warning("connection pool exhausted on %s %s", request.method, request.url.path)
        error = JiabaoError("The service is busy; please try again", "系统繁忙，请稍后重试", code="busy")
        error.status = 503
        return render(request, error)

    @app.exception_handler(IntegrityError)
    @app.exception_handler(StaleDataError)
    async def _raced(request: Request, exc: Exception) -> Response:
        # Two requests changed the same thing at once and the database refused the second (unique key, version):
        # the loser is told so, with a reason, instead of a 500 (issue 10, item 3).
        log.info("concurrent change refused on %s %s: %s", request.method, request.url.path, type(exc).__name__)
        return render(request, concurrent_change())

    @app.exception_handler(OperationalError)
    async def _operational(request: Request, exc: OperationalError) -> Response:
        text = str(exc.orig).lower() if exc.orig is not None else ""
        if "locked" in text or "deadlock" in text or "could not serialize" in text:
            return render(request, concurrent_change())
        log.exception("database error on %s %s", request.method, request.url.path)
        error = JiabaoError("The service is busy; please try again", "系统繁忙，请稍后重试", code="busy")
        error.status = 503
        return render(request, error)

    @app.exception_handler(DataError)
    @app.exception_handler(OverflowError)
    async def _out_of_range(request: Request, exc: Exception) -> Response:
        # A value the database or date arithmetic cannot hold (the guards refuse most before they get here).
        log.info("value out of range on %s %s: %s", request.method, request.url.path, type(exc).__name__)
        problem = FieldProblem("body", "out_of_range", "body：数值超出范围", "body is out of range")
        return render(request, InvalidInput(fields=(problem,)))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        error = JiabaoError("Something went wrong on our side", "系统繁忙，请稍后再试", code="internal_error")
        error.status = 500
        return render(request, error)
