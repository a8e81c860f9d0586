"""Message contexts for the notification tests (masked values only)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from jiabao.core.pii import mask_bank_card
from jiabao.documents import PaymentFrequency
from jiabao.notify import MessageContext, Person, ScheduleLine

GUARDIAN = Person("李", "娜", 40, "F", "Li", "Na")


def person(age: int, sex: str | None = "M", given: str = "小明") -> Person:
    return Person("张", given, age, sex, "Zhang", "Xiaoming")


def context(recipient: Person | None = None, **overrides: Any) -> MessageContext:
    values: dict[str, Any] = {
        "recipient": recipient or person(45),
        "guardian": GUARDIAN,
        "policy_number": "JB2026000123",
        "product_name_zh": "家保家庭重大疾病保险",
        "product_name_en": "Jiabao Family CI",
        "hotline": "400-800-9595",
        "link": "https://jb.example/s/Ab3d",
        "amount": Decimal("8632.40"),
        "date": date(2026, 12, 11),
        "claim_number": "CL20260042",
        "masked_account": mask_bank_card("6222021234567890"),
        "schedule": (
            ScheduleLine("张伟", Decimal(500000), Decimal("8632.40"), PaymentFrequency.ANNUAL),
            ScheduleLine("张小明", Decimal(300000), Decimal("180.25"), PaymentFrequency.MONTHLY),
        ),
    }
    values.update(overrides)
    return MessageContext(**values)


@pytest.fixture
def make_context() -> Callable[..., MessageContext]:
    return context


@pytest.fixture
def make_person() -> Callable[..., Person]:
    return person
