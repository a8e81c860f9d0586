"""Bank card numbers (银行卡号), ISO/IEC 7812-1 (regulation.md §3.4).

Length 12-19 digits is required. The Luhn (mod 10) check is *soft*: some Chinese bank cards do not satisfy it,
so a failure is returned as a ``bank_card_luhn`` warning for the customer to confirm, and the bank's real-name
account verification decides.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import FieldError, ValidationFailed, required

_SEPARATORS = re.compile(r"[\s\-]+")


@dataclass(frozen=True, slots=True)
class BankCard:
    """The card number as digits only, and any soft warnings (empty when the Luhn check passes)."""

    number: str
    warnings: tuple[FieldError, ...] = ()


def luhn_check_digit(payload: str) -> str:
    """The Luhn digit to append to ``payload``.

    Double every second digit from the right (subtracting 9 above 9), sum, and take (10 - sum mod 10) mod 10.
    """
    if not payload or not payload.isascii() or not payload.isdigit():
        raise ValueError("the Luhn payload is one or more ASCII digits")
    total = 0
    for i, ch in enumerate(reversed(payload)):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    """True if the last digit is the Luhn check digit of the others."""
    return len(number) >= 2 and number.isascii() and number.isdigit() and luhn_check_digit(number[:-1]) == number[-1]


def check_bank_card(raw: str, *, field: str = "bank_card", strict: bool = False) -> BankCard:
    """Raise for non-digits or a length outside 12-19; return a Luhn failure as a warning, not an error —
    unless ``strict``: money moves (premiums, payouts, servicing) refuse a card that fails its check digit
    (issue 10, item 7), so a mistyped number is caught before the bank returns the transfer."""
    number = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw))
    if not number:
        raise ValidationFailed([required(field, "银行卡号", "Bank card number")])
    if not (number.isascii() and number.isdigit()):
        raise ValidationFailed(
            [
                FieldError(
                    field,
                    "bank_card_invalid",
                    "银行卡号只能包含数字",
                    "A bank card number may contain digits only",
                )
            ]
        )
    if not 12 <= len(number) <= 19:
        raise ValidationFailed(
            [
                FieldError(
                    field,
                    "bank_card_length",
                    f"银行卡号应为12至19位数字，当前为{len(number)}位",
                    f"A bank card number has 12 to 19 digits; this one has {len(number)}",
                )
            ]
        )
    if luhn_valid(number):
        return BankCard(number)
    warning = FieldError(
        field,
        "bank_card_luhn",
        "银行卡号未通过校验，可能输入有误，请核对后确认",
        "The bank card number fails its check digit and may be mistyped; please check it and confirm",
    )
    if strict:
        raise ValidationFailed([warning])
    return BankCard(number, (warning,))
