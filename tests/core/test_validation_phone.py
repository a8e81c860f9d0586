"""Mobile numbers through phonenumbers (regulation.md §3.3)."""

from __future__ import annotations

import pytest

from jiabao.core.validation import MobileNumber, ValidationFailed, check_mobile


@pytest.mark.parametrize("prefix", ["138", "192", "166", "145", "170", "199", "147", "162", "175", "186"])
def test_valid_mainland_prefixes(prefix: str) -> None:
    number = f"{prefix}12345678"
    assert check_mobile(number) == MobileNumber(f"+86{number}", number, 86, "CN")


@pytest.mark.parametrize("prefix", ["123", "140", "154", "194", "110", "100"])
def test_invalid_mainland_prefixes(prefix: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_mobile(f"{prefix}12345678")
    assert exc.value.codes == ("phone_invalid",)


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "+8613812345678",
        "+86 138 1234 5678",
        "0086 138 1234 5678",
        "0086-138-1234-5678",
        "138-1234-5678",
        "(+86) 138 1234 5678",
        " 138.1234.5678 ",
        "＋８６ １３８ １２３４ ５６７８",  # full-width
    ],
)
def test_mainland_formats_normalise_to_e164(raw: str) -> None:
    result = check_mobile(raw)
    assert (result.e164, result.national) == ("+8613812345678", "13812345678")


@pytest.mark.parametrize(
    ("raw", "e164", "region"),
    [
        ("+852 9123 4567", "+85291234567", "HK"),
        ("+853 6612 3456", "+85366123456", "MO"),
        ("+886 912 345 678", "+886912345678", "TW"),
        ("+81 90-1234-5678", "+819012345678", "JP"),
        ("+65 8123 4567", "+6581234567", "SG"),
        ("0065 8123 4567", "+6581234567", "SG"),
    ],
)
def test_foreign_mobiles_in_international_form(raw: str, e164: str, region: str) -> None:
    result = check_mobile(raw)
    assert (result.e164, result.region) == (e164, region)


def test_north_american_numbers_cannot_be_told_apart_and_are_accepted() -> None:
    assert check_mobile("+1 650 253 0000").country_code == 1


@pytest.mark.parametrize(
    "raw",
    [
        "010-12345678",
        "+86 10 1234 5678",
        "021 6123 4567",
        "+852 2123 4567",
        "+44 20 7946 0958",
        "400 810 8888",
    ],
)
def test_fixed_lines_and_service_numbers_are_not_mobiles(raw: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_mobile(raw, field="phone")
    (error,) = exc.value.errors
    assert (error.field, error.code) == ("phone", "phone_not_mobile")
    assert "不是手机号码" in error.message_zh
    assert "12345678" not in error.message_en + error.message_zh  # no personal data in messages


@pytest.mark.parametrize(
    "raw",
    [
        "1381234567",  # 10 digits
        "138123456789",  # 12 digits
        "6581234567",  # foreign number without +CC is read as mainland
        "1381234567a",
        "138-1234-5678 ext 1",
        "tel:+8613812345678",
        "+",
        "---",
        "+999 1234 5678",
    ],
)
def test_invalid(raw: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_mobile(raw)
    (error,) = exc.value.errors
    assert error.code == "phone_invalid"
    assert "11位" in error.message_zh and "+country code" in error.message_en


@pytest.mark.parametrize("raw", ["", "  "])
def test_required(raw: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_mobile(raw)
    assert exc.value.codes == ("required",)
