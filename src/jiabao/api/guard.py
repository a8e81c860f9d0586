"""ASGI middleware in front of every route (issue 10, items 2 and 8).

``BodyGuard``: a request body larger than the limit is refused with 413 before any handler reads it (the limit
is larger for multipart document uploads); a JSON body is checked once, whatever the route: nesting depth,
integers beyond 64 bits, NaN/Infinity, numbers beyond any amount, control characters in text and dates outside
a plausible range are refused with 422 naming the field.

``SecurityHeaders``: Content-Security-Policy without inline script, frame-ancestors and X-Frame-Options,
nosniff, Referrer-Policy on every response.

``AdmissionGate``: at most ``limit`` requests inside the application at once; the others wait their turn without
holding a worker thread or a database connection (see docs/architecture.md, "Row locks and the worker threads").
"""

from __future__ import annotations

import asyncio
import json
import re
import weakref
from collections.abc import MutableMapping
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl

import anyio.to_thread
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jiabao.api.errors import render
from jiabao.api.params import CONTROL, EARLIEST_DATE, LATEST_DATE, MAX_ID
from jiabao.core.errors import FieldProblem, InvalidInput, JiabaoError

MAX_DEPTH = 32
MAX_STRING = 10_000
"""No text field anywhere is longer (each schema's own, column-matching limit is usually far lower)."""
MAX_NUMBER = Decimal("1e15")
_DATE = re.compile(r"^(\d{4,})-(\d{2})-(\d{2})(?:[T ].*)?$")


class BodyTooLarge(JiabaoError):
    status = 413
    default_code = "body_too_large"
    default_zh = "提交的内容太大"
    default_en = "The request body is too large"


class _Refused(Exception):
    def __init__(self, error: JiabaoError) -> None:
        self.error = error


def _problem(field: str, code: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput(fields=(FieldProblem(field or "body", code, f"{field or 'body'}：{zh}", f"{field} {en}"),))


def _reject_constant(name: str) -> Any:
    raise _Refused(_problem("body", "not_a_number", "不是有效的数字", f"contains {name}, which is not a number"))


def _check_number(path: str, text: str) -> Decimal | int:
    try:
        number = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - json only hands over valid number literals
        raise _Refused(_problem(path, "not_a_number", "不是有效的数字", "is not a number")) from exc
    if number.is_finite() and number == number.to_integral_value() and "." not in text and "e" not in text.lower():
        if abs(number) > MAX_ID:
            raise _Refused(_problem(path, "out_of_range", "数值超出范围", "is out of range"))
        return int(number)
    if not number.is_finite() or abs(number) >= MAX_NUMBER:
        raise _Refused(_problem(path, "out_of_range", "数值超出范围", "is out of range"))
    return number


def check_json(document: Any) -> None:
    """Walk a parsed JSON document without recursion; raise InvalidInput for the first problem."""
    stack: list[tuple[str, Any, int]] = [("", document, 1)]
    while stack:
        path, value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _problem(path, "too_deep", "嵌套层级太深", f"is nested deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            for key, item in value.items():
                if CONTROL.search(key):
                    raise _problem(
                        path or "body", "control_character", "含有不允许的控制字符", "has a control character"
                    )
                stack.append((f"{path}.{key}" if path else str(key), item, depth + 1))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                stack.append((f"{path}.{index}" if path else str(index), item, depth + 1))
        elif isinstance(value, str):
            if len(value) > MAX_STRING:
                raise _problem(path, "string_too_long", "太长", f"is longer than {MAX_STRING} characters")
            if CONTROL.search(value):
                raise _problem(path, "control_character", "含有不允许的控制字符", "contains a control character")
            match = _DATE.match(value)
            if match and not EARLIEST_DATE.year <= int(match.group(1)) <= LATEST_DATE.year:
                raise _problem(
                    path,
                    "implausible_date",
                    f"日期应在 {EARLIEST_DATE.year} 年到 {LATEST_DATE.year} 年之间",
                    f"must be a date between {EARLIEST_DATE.year} and {LATEST_DATE.year}",
                )


def _parse(body: bytes) -> Any:
    return json.loads(
        body,
        parse_constant=_reject_constant,
        parse_int=lambda text: _check_number("body", text),
        parse_float=lambda text: _check_number("body", text),
    )


def _locate_number_problem(body: bytes) -> InvalidInput | None:
    """Re-parse keeping numbers as text to name the field whose number is out of range."""
    try:
        document = json.loads(body, parse_int=str, parse_float=str, parse_constant=str)
    except (ValueError, RecursionError):
        return None
    stack: list[tuple[str, Any]] = [("", document)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((f"{path}.{k}" if path else str(k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((f"{path}.{i}" if path else str(i), v) for i, v in enumerate(value))
        elif isinstance(value, str) and (value in ("NaN", "Infinity", "-Infinity") or re.fullmatch(r"-?\d.*", value)):
            try:
                _check_number(path, value) if value not in ("NaN", "Infinity", "-Infinity") else _reject_constant(value)
            except _Refused as refused:
                error = refused.error
                return error if isinstance(error, InvalidInput) else None
            except InvalidOperation:
                continue
    return None


def inspect_body(body: bytes) -> JiabaoError | None:
    """The problem with a JSON body, or None (invalid JSON is left to FastAPI's own 422)."""
    try:
        document = _parse(body)
    except _Refused as refused:
        return _locate_number_problem(body) or refused.error
    except RecursionError:
        return _problem("body", "too_deep", "嵌套层级太深", f"is nested deeper than {MAX_DEPTH} levels")
    except ValueError:
        return None
    try:
        check_json(document)
    except InvalidInput as error:
        return error
    return None


def inspect_form(body: bytes) -> JiabaoError | None:
    """A posted form: control characters (other than tab and newlines) refused in any field."""
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
    except (UnicodeDecodeError, ValueError):
        return _problem("body", "invalid_encoding", "编码不正确", "is not valid UTF-8")
    for key, value in pairs:
        if CONTROL.search(key) or CONTROL.search(value):
            return _problem(key, "control_character", "含有不允许的控制字符", "contains a control character")
        if len(value) > MAX_STRING:
            return _problem(key, "string_too_long", "太长", f"is longer than {MAX_STRING} characters")
    return None


class BodyGuard:
    def __init__(self, app: ASGIApp, *, max_body: int, max_upload: int) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        content_type = headers.get("content-type", "").lower()
        limit = self.max_upload if content_type.startswith("multipart/") else self.max_body
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, send, BodyTooLarge(extra={"limit_bytes": limit}))
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._refuse(scope, send, BodyTooLarge(extra={"limit_bytes": limit}))
                return
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        problem: JiabaoError | None = None
        if "json" in content_type and body:
            problem = inspect_body(body)
        elif content_type.startswith("application/x-www-form-urlencoded") and body:
            problem = inspect_form(body)
        if problem is not None:
            await self._refuse(scope, send, problem)
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, send: Send, error: JiabaoError) -> None:
        response = render(Request(scope), error)
        await response(scope, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    b"content-security-policy": CSP.encode(),
    b"x-frame-options": b"DENY",
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"strict-origin-when-cross-origin",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=()",
}


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.extra = dict(SECURITY_HEADERS)
        if hsts:
            self.extra[b"strict-transport-security"] = b"max-age=31536000"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in self.extra.items() if k not in present
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


class AdmissionGate:
    """Admission control in front of the sync handlers and their database connections.

    FastAPI runs each sync dependency and the handler in separate trips to the worker-thread pool, and a request
    keeps its database connection between those trips. Without a gate, a burst larger than the connection pool
    lets every worker thread block on the pool while the requests holding connections wait for a thread: nothing
    moves until the pool's timeout turns them into 503s. With at most ``limit`` requests admitted (the engine's
    pool holds twice as many connections, the thread pool at least twice as many threads), every admitted request
    always finds a thread and a connection; the rest queue here, asynchronously, in arrival order.
    """

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit
        self._gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    def _gate(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        gate = self._gates.get(loop)
        if gate is None:
            gate = self._gates[loop] = asyncio.Semaphore(self.limit)
            limiter = anyio.to_thread.current_default_thread_limiter()
            limiter.total_tokens = max(limiter.total_tokens, 2 * self.limit)
        return gate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        async with self._gate():
            await self.app(scope, receive, send)
