"""Input validation (输入校验): pure functions, no database, no clock reads (pass ``today``).

Every rejection raises :class:`ValidationFailed` carrying all :class:`FieldError` found, each with a stable
code and messages in Simplified Chinese and English. Rules: regulation.md §3.

Error codes:

* any field: ``required``
* identity: ``id_type_invalid``, ``id_format``, ``id_checksum``, ``id_region_invalid``, ``id_type_mismatch``,
  ``id_birth_date_invalid``, ``id_birth_date_future``, ``id_birth_date_mismatch``, ``id_sex_mismatch``
* phone: ``phone_invalid``, ``phone_not_mobile``
* name: ``name_invalid``, ``name_length``
* dates: ``date_in_future``, ``date_too_early``, ``birth_date_implausible``
* bank card: ``bank_card_invalid``, ``bank_card_length``, and the soft warning ``bank_card_luhn``
"""

from .bank_card import BankCard, check_bank_card, luhn_check_digit, luhn_valid
from .dates import DEFAULT_MAX_AGE, age_on, check_birth_date, check_event_date
from .errors import FieldError, ValidationFailed
from .identity import IdentityDocument, IdType, Sex, check_identity, normalise_id_input, parse_id_number
from .names import check_name
from .phone import MobileNumber, check_mobile
from .resident_id import (
    PROVINCE_PREFIXES,
    RESIDENCE_PERMIT_CODES,
    check_character,
    generate_resident_id,
    upgrade_legacy,
)

__all__ = [
    "DEFAULT_MAX_AGE",
    "PROVINCE_PREFIXES",
    "RESIDENCE_PERMIT_CODES",
    "BankCard",
    "FieldError",
    "IdType",
    "IdentityDocument",
    "MobileNumber",
    "Sex",
    "ValidationFailed",
    "age_on",
    "check_bank_card",
    "check_birth_date",
    "check_character",
    "check_event_date",
    "check_identity",
    "check_mobile",
    "check_name",
    "generate_resident_id",
    "luhn_check_digit",
    "luhn_valid",
    "normalise_id_input",
    "parse_id_number",
    "upgrade_legacy",
]
