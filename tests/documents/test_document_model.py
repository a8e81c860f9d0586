"""Validation of the policy document model: masked IDs only, family size, shares, dates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from jiabao.core.pii import mask_id_number
from jiabao.documents import (
    Beneficiary,
    ClearPersonalDataError,
    InsuredMember,
    Party,
    PaymentFrequency,
    PolicyDocument,
    Term,
    find_clear_pii,
)

CLEAR_ID = "11010519800101123X"


def member(name: str = "张伟", masked_id: str | None = None) -> InsuredMember:
    return InsuredMember(name, "self", masked_id or mask_id_number(CLEAR_ID), 45, Decimal(1000), Decimal(10),
                         PaymentFrequency.ANNUAL, Term.years(10), Term.whole_life())  # fmt: skip


def test_a_clear_id_number_is_refused() -> None:
    with pytest.raises(ClearPersonalDataError):
        Party("张伟", CLEAR_ID)
    with pytest.raises(ClearPersonalDataError):
        member(masked_id=CLEAR_ID)


def test_a_clear_number_in_free_text_is_refused(make_policy: Callable[..., PolicyDocument]) -> None:
    with pytest.raises(ClearPersonalDataError):
        replace(make_policy(), extra=("请联系 13812345678",))
    with pytest.raises(ClearPersonalDataError):
        replace(make_policy(), family_account_note=f"证件 {CLEAR_ID}")


def test_at_most_seven_insured_and_at_least_one(make_policy: Callable[..., PolicyDocument]) -> None:
    doc = make_policy()
    assert len(replace(doc, insured=tuple(member(f"成员{i}") for i in range(7))).insured) == 7
    with pytest.raises(ValueError, match="1 to 7"):
        replace(doc, insured=tuple(member(f"成员{i}") for i in range(8)))
    with pytest.raises(ValueError, match="1 to 7"):
        replace(doc, insured=())


def test_beneficiary_shares_add_up_to_100(make_policy: Callable[..., PolicyDocument]) -> None:
    with pytest.raises(ValueError, match="100%"):
        make_policy(beneficiaries=(Beneficiary("李娜", Decimal(60)), Beneficiary("张小明", Decimal(30))))
    with pytest.raises(ValueError):
        Beneficiary("李娜", Decimal(0))


def test_cooling_off_cannot_end_before_issue(make_policy: Callable[..., PolicyDocument]) -> None:
    with pytest.raises(ValueError, match="cooling-off"):
        replace(make_policy(), cooling_off_end=date(2026, 11, 1))


def test_terms_are_well_formed() -> None:
    with pytest.raises(ValueError):
        Term.years(0)
    assert Term.to_age(70).value == 70
    assert Term.single().value is None


def test_money_is_rounded_to_the_fen() -> None:
    m = replace(member(), premium=Decimal("10.005"))
    assert m.premium == Decimal("10.01")


def test_find_clear_pii_patterns() -> None:
    assert find_clear_pii(f"JB{CLEAR_ID}") == ["ID number"]  # letters around it do not hide it
    assert find_clear_pii(f"{CLEAR_ID}1") == []  # a 19-digit number is not an ID
    assert find_clear_pii(f"证件 {CLEAR_ID}") == ["ID number"]
    assert find_clear_pii("电话13812345678") == ["mobile number"]
    assert find_clear_pii("+86 13812345678") == ["mobile number"]
    assert find_clear_pii("138****5678 110105********123X JB2026000123 400-800-9595") == []
