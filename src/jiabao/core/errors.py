"""One error hierarchy for the whole platform.

Every expected condition is a :class:`JiabaoError` with a stable string ``code``, an HTTP status and a message
in Simplified Chinese and English. The API renders it as JSON, the web UI as a page; neither ever turns an
expected condition into a 500.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One problem with one submitted field (字段错误)."""

    field: str
    code: str
    message_zh: str
    message_en: str

    def as_dict(self) -> dict[str, str]:
        return {
            "field": self.field,
            "code": self.code,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }


class JiabaoError(Exception):
    """Base of every expected error. Subclasses fix ``status`` and a default ``code``."""

    status: int = 400
    default_code: ClassVar[str] = "bad_request"
    default_zh: ClassVar[str] = "请求有误"
    default_en: ClassVar[str] = "The request is not valid"

    def __init__(
        self,
        message_en: str | None = None,
        message_zh: str | None = None,
        *,
        code: str | None = None,
        fields: tuple[FieldProblem, ...] = (),
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.code = code or self.default_code
        self.message_en = message_en or self.default_en
        self.message_zh = message_zh or self.default_zh
        self.fields = fields
        self.extra = extra or {}
        super().__init__(f"{self.code}: {self.message_en}")

    def message(self, language: str) -> str:
        return self.message_zh if language == "zh" else self.message_en

    def as_dict(self, language: str = "zh") -> dict[str, Any]:
        body: dict[str, Any] = {
            "code": self.code,
            "message": self.message(language),
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }
        if self.fields:
            body["fields"] = [f.as_dict() for f in self.fields]
        if self.extra:
            body["detail"] = self.extra
        return body


class InvalidInput(JiabaoError):
    """Submitted data failed validation (422). Nothing was stored."""

    status = 422
    default_code = "validation_failed"
    default_zh = "提交的信息有误，请检查标出的字段"
    default_en = "Some fields are not valid; please check the marked fields"


class NotAuthenticated(JiabaoError):
    status = 401
    default_code = "not_authenticated"
    default_zh = "请先登录"
    default_en = "Please log in first"


class PermissionDenied(JiabaoError):
    status = 403
    default_code = "permission_denied"
    default_zh = "您没有权限进行此操作"
    default_en = "You are not allowed to do this"


class NotFound(JiabaoError):
    status = 404
    default_code = "not_found"
    default_zh = "未找到相关记录"
    default_en = "Not found"


class Conflict(JiabaoError):
    """A business rule forbids the change in the current state (409)."""

    status = 409
    default_code = "conflict"
    default_zh = "当前状态下无法完成此操作"
    default_en = "This cannot be done in the current state"


class CsrfFailed(JiabaoError):
    status = 403
    default_code = "csrf_failed"
    default_zh = "页面已过期，请刷新后重试"
    default_en = "The page has expired; please reload and try again"


def invalid(field: str, code: str, message_zh: str, message_en: str) -> InvalidInput:
    """Shorthand for a one-field validation error."""
    return InvalidInput(fields=(FieldProblem(field, code, message_zh, message_en),))
