"""Bank card numbers: hard length/digit rules, soft Luhn warning (regulation.md §3.4)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiabao.core.validation import BankCard, ValidationFailed, check_bank_card, luhn_check_digit, luhn_valid

digits = st.text(alphabet="0123456789", min_size=11, max_size=18)


def test_luhn_reference_values() -> None:
    assert luhn_valid("79927398713")  # the textbook example
    assert not luhn_valid("79927398710")
    assert luhn_valid("4111111111111111")
    assert luhn_check_digit("7992739871") == "3"
    assert not luhn_valid("7")
    assert not luhn_valid("12a4")


def test_luhn_check_digit_needs_digits() -> None:
    with pytest.raises(ValueError):
        luhn_check_digit("")
    with pytest.raises(ValueError):
        luhn_check_digit("12-3")


@pytest.mark.parametrize("raw", ["6222021234567890128", "6222 0212 3456 7890 128", "4111-1111-1111-1111"])
def test_valid_cards_have_no_warnings(raw: str) -> None:
    card = check_bank_card(raw)
    assert card == BankCard(raw.replace(" ", "").replace("-", ""))


def test_full_width_digits_are_normalised() -> None:
    assert check_bank_card("４１１１１１１１１１１１１１１１").number == "4111111111111111"


def test_luhn_failure_is_a_warning_not_an_error() -> None:
    card = check_bank_card("6222021234567890127", field="payout_account")
    assert card.number == "6222021234567890127"
    (warning,) = card.warnings
    assert (warning.field, warning.code) == ("payout_account", "bank_card_luhn")
    assert "核对" in warning.message_zh and "confirm" in warning.message_en


@pytest.mark.parametrize("raw", ["6222o21234567890128", "6222021234567890128x", "６２２２０２１２３４５６７８Ａ"])
def test_non_digits_raise(raw: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_bank_card(raw)
    assert exc.value.codes == ("bank_card_invalid",)


@pytest.mark.parametrize("length", [1, 11, 20, 25])
def test_length_outside_12_to_19_raises(length: int) -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_bank_card("4" * length)
    assert exc.value.codes == ("bank_card_length",)
    assert str(length) in exc.value.errors[0].message_en


@pytest.mark.parametrize("raw", ["", "  ", " - "])
def test_required(raw: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_bank_card(raw)
    assert exc.value.codes == ("required",)


@given(digits)
def test_appending_the_check_digit_always_passes(payload: str) -> None:
    number = payload + luhn_check_digit(payload)
    assert check_bank_card(number).warnings == ()


@given(digits, st.data())
def test_any_single_digit_change_is_caught_by_luhn(payload: str, data: st.DataObject) -> None:
    number = payload + luhn_check_digit(payload)
    pos = data.draw(st.integers(0, len(number) - 1))
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != number[pos]]))
    changed = number[:pos] + new + number[pos + 1 :]
    assert [w.code for w in check_bank_card(changed).warnings] == ["bank_card_luhn"]
