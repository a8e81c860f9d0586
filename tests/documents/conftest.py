"""A three-member family critical-illness policy, with masked IDs, for the document tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from jiabao.core.pii import mask_id_number
from jiabao.documents import (
    Beneficiary,
    CashValueRow,
    CashValueTable,
    InsuredMember,
    Party,
    PaymentFrequency,
    PolicyDocument,
    Term,
)

HOLDER_ID = "11010519800101123X"
SPOUSE_ID = "110105198203041228"
CHILD_ID = "110105201505061214"


def cash_rows(n: int, start_age: int = 46) -> tuple[CashValueRow, ...]:
    return tuple(
        CashValueRow(year, start_age + year, Decimal(year * 1234) + Decimal("0.56")) for year in range(1, n + 1)
    )


def make_document(*, years: int = 20, beneficiaries: tuple[Beneficiary, ...] | None = None) -> PolicyDocument:
    members = (
        InsuredMember("张伟", "self", mask_id_number(HOLDER_ID), 45, Decimal("500000"), Decimal("8632.40"),
                      PaymentFrequency.ANNUAL, Term.years(20), Term.whole_life()),
        InsuredMember("李娜", "spouse", mask_id_number(SPOUSE_ID), 43, Decimal("400000"), Decimal("6120.00"),
                      PaymentFrequency.ANNUAL, Term.years(20), Term.whole_life()),
        InsuredMember("张小明", "child", mask_id_number(CHILD_ID), 10, Decimal("300000"), Decimal("180.25"),
                      PaymentFrequency.MONTHLY, Term.years(10), Term.to_age(70)),
    )  # fmt: skip
    return PolicyDocument(
        policy_number="JB2026000123",
        product_name_zh="家保家庭重大疾病保险",
        product_name_en="Jiabao Family Critical Illness Insurance",
        issue_date=date(2026, 11, 26),
        cooling_off_end=date(2026, 12, 11),
        policyholder=Party("张伟", mask_id_number(HOLDER_ID)),
        insured=members,
        waiting_period_days=90,
        service_hotline="400-800-9595",
        beneficiaries=(Beneficiary("李娜", Decimal(60), "spouse"), Beneficiary("张小明", Decimal(40), "child"))
        if beneficiaries is None
        else beneficiaries,
        cash_values=(CashValueTable("张伟", cash_rows(years)),),
    )


@pytest.fixture
def policy_document() -> PolicyDocument:
    return make_document()


@pytest.fixture
def make_policy() -> Callable[..., PolicyDocument]:
    return make_document
