"""Typed checking of one answer, and the structured error it produces (字段、原因，中英文)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from jiabao.underwriting.engine.codes import AnswerType
from jiabao.underwriting.engine.schema import BaseQuestion, ReflexiveQuestion

_MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("此项为必答题", "This answer is required"),
    "not_a_number": ("请输入数字", "Please enter a number"),
    "not_integer": ("请输入整数", "Please enter a whole number"),
    "out_of_range": ("请输入{min}至{max}之间的数值", "Please enter a value from {min} to {max}"),
    "invalid_choice": ("请从列出的选项中选择", "Please choose one of the listed options"),
    "duplicate_choice": ("同一选项不能重复选择", "An option was chosen more than once"),
    "not_a_list": ("请勾选列出的选项（可不选）", "Please answer with a list of the listed options (it may be empty)"),
    "not_a_date": ("请输入有效日期（年-月-日）", "Please enter a valid date (YYYY-MM-DD)"),
    "future_date": ("日期不能晚于今天", "The date cannot be in the future"),
    "before_birth": ("日期不能早于出生日期", "The date cannot be before the date of birth"),
    "not_yes_no": ("请选择“是”或“否”", "Please answer yes or no"),
    "not_asked": ("本次投保不询问此问题，请勿作答", "This question is not asked for this application"),
    "not_disclosed": (
        "未告知该疾病，无需回答其追问",
        "This condition was not disclosed, so its follow-up questions do not apply",
    ),
}
Problem = tuple[str, dict[str, str]]


@dataclass(frozen=True, slots=True)
class AnswerError:
    """One invalid answer: the field path, a stable code, and the reason in Chinese and English."""

    field: str
    code: str
    reason_zh: str
    reason_en: str

    @classmethod
    def of(cls, field: str, problem: str | Problem) -> AnswerError:
        code, params = (problem, {}) if isinstance(problem, str) else problem
        zh, en = _MESSAGES[code]
        return cls(field, code, zh.format(**params), en.format(**params))

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "reason_zh": self.reason_zh, "reason_en": self.reason_en}


class AnswersInvalid(ValueError):
    """The questionnaire has invalid answers; ``errors`` lists every one of them."""

    def __init__(self, errors: tuple[AnswerError, ...]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.code}" for e in errors))


def check_value(
    question: BaseQuestion | ReflexiveQuestion, raw: Any, allowed: Sequence[str], birth_date: date, as_of: date
) -> tuple[Problem | None, Any]:
    """Check ``raw`` against the question's type; return (problem, None) or (None, typed value)."""
    kind = question.type
    if kind is AnswerType.NUMBER:
        return _number(question, raw)
    if kind is AnswerType.DATE:
        return _date(raw, birth_date, as_of)
    if kind is AnswerType.YES_NO:
        if raw in (True, "yes"):
            return None, "yes"
        if raw in (False, "no"):
            return None, "no"
        return ("not_yes_no", {}), None
    if kind in (AnswerType.MULTI_CHOICE, AnswerType.IMPAIRMENTS):
        return _many(raw, allowed)
    if not isinstance(raw, str) or raw not in allowed:
        return ("invalid_choice", {}), None
    return None, raw


def _number(question: BaseQuestion | ReflexiveQuestion, raw: Any) -> tuple[Problem | None, Any]:
    if isinstance(raw, bool):
        return ("not_a_number", {}), None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        return ("not_a_number", {}), None
    if not value.is_finite():
        return ("not_a_number", {}), None
    if isinstance(question, BaseQuestion) and question.integer and value != value.to_integral_value():
        return ("not_integer", {}), None
    low, high = question.min, question.max
    if (low is not None and value < low) or (high is not None and value > high):
        return ("out_of_range", {"min": str(low), "max": str(high)}), None
    return None, value


def _date(raw: Any, birth_date: date, as_of: date) -> tuple[Problem | None, Any]:
    value = raw
    if isinstance(raw, str):
        try:
            value = date.fromisoformat(raw)
        except ValueError:
            return ("not_a_date", {}), None
    if not isinstance(value, date):
        return ("not_a_date", {}), None
    if value > as_of:
        return ("future_date", {}), None
    if value < birth_date:
        return ("before_birth", {}), None
    return None, value


def _many(raw: Any, allowed: Sequence[str]) -> tuple[Problem | None, Any]:
    if not isinstance(raw, list | tuple) or not all(isinstance(v, str) for v in raw):
        return ("not_a_list", {}), None
    if len(set(raw)) != len(raw):
        return ("duplicate_choice", {}), None
    if any(v not in allowed for v in raw):
        return ("invalid_choice", {}), None
    return None, list(raw)
