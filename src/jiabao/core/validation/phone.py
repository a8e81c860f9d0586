"""Mobile numbers (手机号码), validated with the maintained ``phonenumbers`` metadata (regulation.md §3.3).

Mainland numbers may be written with or without +86 / 0086 and with spaces, dashes, dots or brackets. Numbers
of other regions must carry their country code (+CC or 00CC). Fixed lines are rejected. Where a region's plan
cannot tell mobile from fixed (e.g. the US and Canada), the number is accepted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

import phonenumbers

from .errors import FieldError, ValidationFailed, required

_ALLOWED: Final = re.compile(r"\(?\+?[\d\s\-().]+")  # "(+86) 138…" too
_MOBILE_TYPES: Final = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)


@dataclass(frozen=True, slots=True)
class MobileNumber:
    """A valid mobile number: ``e164`` (e.g. +8613812345678) for storage, ``national`` digits for display.

    For mainland numbers ``national`` is the 11-digit form (13812345678).
    """

    e164: str
    national: str
    country_code: int
    region: str


def check_mobile(raw: str, *, field: str = "mobile", default_region: str = "CN") -> MobileNumber:
    """Validate and normalise a mobile number.

    Raises ``required``, ``phone_invalid`` (not a valid number) or ``phone_not_mobile`` (e.g. a fixed line).
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        raise ValidationFailed([required(field, "手机号码", "Mobile number")])
    if not _ALLOWED.fullmatch(text):
        raise ValidationFailed([_invalid(field)])
    try:
        parsed = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException:
        raise ValidationFailed([_invalid(field)]) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationFailed([_invalid(field)])
    if phonenumbers.number_type(parsed) not in _MOBILE_TYPES:
        raise ValidationFailed(
            [
                FieldError(
                    field,
                    "phone_not_mobile",
                    "该号码不是手机号码（可能是固定电话或服务号码），请填写手机号码",
                    "This is not a mobile number (it looks like a fixed line or a service number); "
                    "please enter a mobile number",
                )
            ]
        )
    return MobileNumber(
        e164=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
        national=phonenumbers.national_significant_number(parsed),
        country_code=parsed.country_code or 0,
        region=str(phonenumbers.region_code_for_number(parsed)),
    )


def _invalid(field: str) -> FieldError:
    # The number itself is not echoed: messages may end up in logs, and phone numbers are personal data.
    return FieldError(
        field,
        "phone_invalid",
        "手机号码无效：中国大陆手机号码为以1开头的11位数字，境外号码请以“+国家/地区代码”开头",
        "Not a valid mobile number: mainland numbers have 11 digits starting with 1; "
        "numbers from elsewhere must start with +country code",
    )
