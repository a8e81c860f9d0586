"""Field errors raised by the validators (字段校验错误).

Kept free of HTTP concerns: ``jiabao.core.errors`` wraps :class:`ValidationFailed` into its 422 error.
Every error carries a stable snake_case ``code`` and a message in Simplified Chinese and English.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one field: ``code`` is stable (API, tests, translations); messages are for people."""

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


class ValidationFailed(Exception):
    """Input was rejected; ``errors`` holds every problem found, not just the first."""

    errors: tuple[FieldError, ...]

    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors = tuple(errors)
        if not self.errors:
            raise ValueError("ValidationFailed needs at least one FieldError")
        super().__init__("; ".join(f"{e.field}: {e.code}" for e in self.errors))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(e.code for e in self.errors)


def required(field: str, label_zh: str, label_en: str) -> FieldError:
    """The shared ``required`` error for an empty value."""
    return FieldError(field, "required", f"请填写{label_zh}", f"{label_en} is required")
