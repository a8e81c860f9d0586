"""Plausible dates (合理日期). No clock reads: the caller passes ``today`` from the injectable clock."""

from __future__ import annotations

from datetime import date, datetime

from .errors import FieldError, ValidationFailed

DEFAULT_MAX_AGE = 120


def age_on(birth_date: date, on: date) -> int:
    """Age in completed years on ``on`` (周岁). Someone born on 29 February turns a year older on 1 March."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def check_birth_date(d: date, *, today: date, max_age: int = DEFAULT_MAX_AGE, field: str = "birth_date") -> date:
    """A birth date must not be in the future, and the person must be at most ``max_age`` years old today."""
    d = _as_date(d)
    errors: list[FieldError] = []
    if d > today:
        errors.append(_future(field, d, today))
    elif age_on(d, today) > max_age:
        errors.append(
            FieldError(
                field,
                "birth_date_implausible",
                f"出生日期 {d.isoformat()} 不合理：年龄不能超过{max_age}岁",
                f"The birth date {d.isoformat()} is not plausible: age cannot exceed {max_age} years",
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return d


def check_event_date(d: date, *, today: date, not_before: date | None = None, field: str = "event_date") -> date:
    """An event (e.g. marriage, accident, diagnosis) must not be in the future nor before ``not_before``.

    ``not_before`` is typically the person's birth date or the policy's start date.
    """
    d = _as_date(d)
    if d > today:
        raise ValidationFailed([_future(field, d, today)])
    if not_before is not None and d < _as_date(not_before):
        nb = _as_date(not_before)
        raise ValidationFailed(
            [
                FieldError(
                    field,
                    "date_too_early",
                    f"日期 {d.isoformat()} 不能早于 {nb.isoformat()}",
                    f"The date {d.isoformat()} cannot be earlier than {nb.isoformat()}",
                )
            ]
        )
    return d


def _as_date(d: date) -> date:
    # A datetime is a date subclass but does not compare with a plain date; keep its calendar day.
    return d.date() if isinstance(d, datetime) else d


def _future(field: str, d: date, today: date) -> FieldError:
    return FieldError(
        field,
        "date_in_future",
        f"日期 {d.isoformat()} 晚于今天（{today.isoformat()}）",
        f"The date {d.isoformat()} is in the future (today is {today.isoformat()})",
    )
