"""The validation package as a whole: the error contract, every documented code, and no crash on any input."""

from __future__ import annotations

import contextlib
import dataclasses
import re
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

import jiabao.core.validation as validation
from jiabao.core.validation import (
    FieldError,
    IdType,
    ValidationFailed,
    check_bank_card,
    check_birth_date,
    check_event_date,
    check_identity,
    check_mobile,
    check_name,
    parse_id_number,
)

TODAY = date(2025, 6, 1)
GOOD_ID = "11010519491231002X"


def test_field_error_is_frozen_and_serialisable() -> None:
    error = FieldError("mobile", "phone_invalid", "手机号码无效", "Invalid mobile number")
    with pytest.raises(dataclasses.FrozenInstanceError):
        error.code = "other"  # type: ignore[misc]
    assert error.as_dict() == {
        "field": "mobile",
        "code": "phone_invalid",
        "message_zh": "手机号码无效",
        "message_en": "Invalid mobile number",
    }


def test_validation_failed_carries_all_errors() -> None:
    a = FieldError("a", "x", "甲", "a")
    b = FieldError("b", "y", "乙", "b")
    exc = ValidationFailed([a, b])
    assert exc.errors == (a, b)
    assert exc.codes == ("x", "y")
    assert "a: x" in str(exc) and "b: y" in str(exc)


def test_validation_failed_needs_an_error() -> None:
    with pytest.raises(ValueError):
        ValidationFailed([])


def test_id_type_values_are_stable() -> None:
    assert [t.value for t in IdType] == [
        "resident_id",
        "hk_macau_tw_residence_permit",
        "passport",
        "foreign_permanent_residence",
    ]


def test_public_api_is_exported() -> None:
    for name in validation.__all__:
        assert hasattr(validation, name), name


def _id(id_type: str, raw: str, **kw: object) -> Callable[[], object]:
    return lambda: check_identity(id_type, raw, today=TODAY, **kw)  # type: ignore[arg-type]


# One input per documented code; the test below checks the table covers the package docstring exactly.
TRIGGERS: dict[str, Callable[[], object]] = {
    "required": lambda: check_name(" "),
    "id_type_invalid": _id("hukou", GOOD_ID),
    "id_format": _id("resident_id", "1101051949123100"),
    "id_checksum": _id("resident_id", "110105194912310021"),
    "id_region_invalid": _id("resident_id", "99010519491231002X"[:17] + "7"),
    "id_type_mismatch": _id("resident_id", "810000198001010017"),
    "id_birth_date_invalid": _id("resident_id", "110105194902300027"),
    "id_birth_date_future": _id("resident_id", "110105203001010016"),
    "id_birth_date_mismatch": _id("resident_id", GOOD_ID, birth_date=date(1949, 12, 30)),
    "id_sex_mismatch": _id("resident_id", GOOD_ID, sex="M"),
    "phone_invalid": lambda: check_mobile("12312345678"),
    "phone_not_mobile": lambda: check_mobile("010-12345678"),
    "name_invalid": lambda: check_name("张三3"),
    "name_length": lambda: check_name("张"),
    "date_in_future": lambda: check_event_date(date(2025, 6, 2), today=TODAY),
    "date_too_early": lambda: check_event_date(date(2000, 1, 1), today=TODAY, not_before=date(2001, 1, 1)),
    "birth_date_implausible": lambda: check_birth_date(date(1900, 1, 1), today=TODAY),
    "bank_card_invalid": lambda: check_bank_card("6222x"),
    "bank_card_length": lambda: check_bank_card("62220"),
    "bank_card_luhn": lambda: check_bank_card("6222021234567890127"),
}


def test_every_documented_code_has_a_trigger() -> None:
    documented = set(re.findall(r"``([a-z_]+)``", (validation.__doc__ or "").split("Error codes:")[1]))
    assert documented == set(TRIGGERS)


@pytest.mark.parametrize("code", sorted(TRIGGERS))
def test_every_code_is_produced_with_bilingual_messages(code: str) -> None:
    errors: tuple[FieldError, ...]
    try:
        result = TRIGGERS[code]()
    except ValidationFailed as exc:
        errors = exc.errors
    else:
        assert isinstance(result, validation.BankCard)  # the one soft warning
        errors = result.warnings
    assert code in [e.code for e in errors]
    for error in errors:
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", error.code)
        assert re.search(r"[\u4e00-\u9fff]", error.message_zh), error.message_zh
        assert error.message_en.isascii() and error.message_en[0].isupper(), error.message_en


@given(st.sampled_from(list(IdType)), st.text(max_size=25))
def test_identity_never_raises_anything_but_validation_failed(id_type: IdType, raw: str) -> None:
    try:
        doc = parse_id_number(id_type, raw, today=TODAY)
    except ValidationFailed:
        return
    assert doc.number.isascii() and doc.number == doc.number.upper()


@given(st.sampled_from(list(IdType)), st.text(alphabet="0123456789Xx -", min_size=14, max_size=19))
def test_identity_on_digit_like_input(id_type: IdType, raw: str) -> None:
    with contextlib.suppress(ValidationFailed):
        parse_id_number(id_type, raw, today=TODAY)


@given(st.text(max_size=30))
def test_mobile_never_raises_anything_but_validation_failed(raw: str) -> None:
    try:
        result = check_mobile(raw)
    except ValidationFailed:
        return
    assert result.e164.startswith("+") and result.e164[1:].isdigit()


@given(st.text(max_size=25))
def test_bank_card_never_raises_anything_but_validation_failed(raw: str) -> None:
    try:
        card = check_bank_card(raw)
    except ValidationFailed:
        return
    assert card.number.isdigit() and 12 <= len(card.number) <= 19
