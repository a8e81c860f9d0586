"""Identity documents (证件): parsing, normalising and cross-checking the number a person enters.

Rules and sources are in regulation.md §3.1. Supported document types (:class:`IdType`):

* ``resident_id`` — 居民身份证, GB 11643-1999, 18 characters; first-generation 15-digit numbers are converted.
* ``hk_macau_tw_residence_permit`` — 港澳台居民居住证: same format, address code exactly 810000/820000/830000.
* ``passport`` — 护照: 5-17 letters or digits (no country-specific rule).
* ``foreign_permanent_residence`` — 外国人永久居留身份证. The 2023 card (issued from 2023-12-01) has 17 digits
  starting with 9 plus a MOD 11-2 check character; the check and the leading 9 are stated in the National
  Immigration Administration's adaptation notice as quoted by card-reader vendors (conf. M). The layout
  9 + 2-digit province + 3-digit nationality + YYYYMMDD + 3-digit sequence (odd = male) comes from one
  third-party library only (conf. L), so derived birth date and sex are best effort. The older card number is
  3 letters + 12 digits; we check only that shape (its check digit is not verified, conf. L).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final, Literal

from . import resident_id as gb
from .errors import FieldError, ValidationFailed, required


class IdType(StrEnum):
    """Kind of identity document; the values are stable in the API and the database."""

    RESIDENT_ID = "resident_id"
    HK_MACAU_TW_RESIDENCE_PERMIT = "hk_macau_tw_residence_permit"
    PASSPORT = "passport"
    FOREIGN_PERMANENT_RESIDENCE = "foreign_permanent_residence"


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"


@dataclass(frozen=True, slots=True)
class IdentityDocument:
    """A normalised identity number with what can be derived from it (None where the type carries nothing)."""

    id_type: IdType
    number: str
    birth_date: date | None
    sex: Sex | None
    region_code: str | None
    converted_from_legacy: bool = False


_LABELS: Final[dict[IdType, tuple[str, str]]] = {
    IdType.RESIDENT_ID: ("身份证号码", "ID number"),
    IdType.HK_MACAU_TW_RESIDENCE_PERMIT: ("港澳台居民居住证号码", "residence permit number"),
    IdType.PASSPORT: ("护照号码", "passport number"),
    IdType.FOREIGN_PERMANENT_RESIDENCE: ("外国人永久居留身份证号码", "permanent residence card number"),
}
_FORMAT_HINTS: Final[dict[IdType, tuple[str, str]]] = {
    IdType.RESIDENT_ID: (
        "应为18位（前17位为数字，最后一位为数字或X），或旧版15位数字",
        "must be 18 characters (17 digits and a digit or X), or 15 digits for a first-generation card",
    ),
    IdType.HK_MACAU_TW_RESIDENCE_PERMIT: (
        "应为18位（前17位为数字，最后一位为数字或X）",
        "must be 18 characters (17 digits and a digit or X)",
    ),
    IdType.PASSPORT: ("应为5至17位字母或数字", "must be 5 to 17 letters or digits"),
    IdType.FOREIGN_PERMANENT_RESIDENCE: (
        "应为以9开头的18位号码，或3位字母加12位数字（旧版）",
        "must be 18 characters starting with 9, or 3 letters and 12 digits (older card)",
    ),
}
_SEX_NAMES: Final[dict[Sex, tuple[str, str]]] = {Sex.MALE: ("男", "male"), Sex.FEMALE: ("女", "female")}

_GB11643 = re.compile(r"[0-9]{17}[0-9X]")
_LEGACY15 = re.compile(r"[0-9]{15}")
_PASSPORT = re.compile(r"[A-Z0-9]{5,17}")
_FPR_2023 = re.compile(r"9[0-9]{16}[0-9X]")
_FPR_OLD = re.compile(r"[A-Z]{3}[0-9]{12}")
_SEPARATORS = re.compile(r"[\s\-]+")


def normalise_id_input(raw: str) -> str:
    """Full-width to half-width (NFKC), drop spaces and hyphens, upper-case (a lowercase x becomes X)."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw)).upper()


def parse_id_number(id_type: IdType | str, raw: str, *, today: date, field: str = "id_number") -> IdentityDocument:
    """Validate and normalise an identity number; raise :class:`ValidationFailed` with every problem found."""
    doc, errors = _analyse(id_type, raw, today=today, field=field)
    if errors or doc is None:
        raise ValidationFailed(errors)
    return doc


def check_identity(
    id_type: IdType | str,
    raw: str,
    *,
    birth_date: date | None = None,
    sex: Sex | Literal["M", "F"] | None = None,
    today: date,
    field: str = "id_number",
) -> IdentityDocument:
    """Parse the number and cross-check the birth date and sex the person entered against those it encodes.

    All problems (format, check character, region, birth date, and both mismatches) are raised together.
    Mismatches are reported even when the check character is wrong: they show which part was mistyped.
    """
    doc, errors = _analyse(id_type, raw, today=today, field=field)
    if doc is not None:
        label_zh, label_en = _LABELS[doc.id_type]
        if birth_date is not None and doc.birth_date is not None and birth_date != doc.birth_date:
            errors.append(
                FieldError(
                    field,
                    "id_birth_date_mismatch",
                    f"出生日期与{label_zh}不符：号码中为 {doc.birth_date.isoformat()}，"
                    f"填写的是 {birth_date.isoformat()}",
                    f"Birth date does not match the {label_en}: the number says "
                    f"{doc.birth_date.isoformat()}, but {birth_date.isoformat()} was entered",
                )
            )
        if sex is not None and doc.sex is not None and Sex(sex) != doc.sex:
            derived_zh, derived_en = _SEX_NAMES[doc.sex]
            entered_zh, entered_en = _SEX_NAMES[Sex(sex)]
            errors.append(
                FieldError(
                    field,
                    "id_sex_mismatch",
                    f"性别与{label_zh}不符：号码显示为{derived_zh}，填写的是{entered_zh}",
                    f"Sex does not match the {label_en}: the number says {derived_en}, but {entered_en} was entered",
                )
            )
    if errors or doc is None:
        raise ValidationFailed(errors)
    return doc


def _analyse(
    id_type: IdType | str, raw: str, *, today: date, field: str
) -> tuple[IdentityDocument | None, list[FieldError]]:
    """Return what could be derived (even from a number with errors) and the list of problems."""
    try:
        kind = IdType(id_type)
    except ValueError:
        return None, [
            FieldError(
                "id_type",
                "id_type_invalid",
                f"不支持的证件类型：{id_type}",
                f"Unsupported identity document type: {id_type}",
            )
        ]
    number = normalise_id_input(raw)
    label_zh, label_en = _LABELS[kind]
    if not number:
        return None, [required(field, label_zh, label_en)]
    errors: list[FieldError] = []
    doc: IdentityDocument | None = None
    if kind is IdType.RESIDENT_ID and _LEGACY15.fullmatch(number):
        doc = _parse_gb11643(kind, gb.upgrade_legacy(number), today, field, errors, legacy=True)
    elif kind in (IdType.RESIDENT_ID, IdType.HK_MACAU_TW_RESIDENCE_PERMIT) and _GB11643.fullmatch(number):
        doc = _parse_gb11643(kind, number, today, field, errors, legacy=False)
    elif kind is IdType.PASSPORT and _PASSPORT.fullmatch(number):
        doc = IdentityDocument(kind, number, None, None, None)
    elif kind is IdType.FOREIGN_PERMANENT_RESIDENCE and _FPR_2023.fullmatch(number):
        doc = _parse_fpr_2023(number, today, field, errors)
    elif kind is IdType.FOREIGN_PERMANENT_RESIDENCE and _FPR_OLD.fullmatch(number):
        doc = IdentityDocument(kind, number, None, None, None)
    else:
        hint_zh, hint_en = _FORMAT_HINTS[kind]
        errors.append(FieldError(field, "id_format", f"{label_zh}格式错误，{hint_zh}", f"The {label_en} {hint_en}"))
    return doc, errors


def _parse_gb11643(
    kind: IdType, number: str, today: date, field: str, errors: list[FieldError], *, legacy: bool
) -> IdentityDocument:
    label_zh, label_en = _LABELS[kind]
    _check_character(number, label_zh, label_en, field, errors)
    address = number[:6]
    if kind is IdType.HK_MACAU_TW_RESIDENCE_PERMIT:
        if address not in gb.RESIDENCE_PERMIT_CODES:
            errors.append(
                FieldError(
                    field,
                    "id_region_invalid",
                    f"{label_zh}前6位应为 810000（香港）、820000（澳门）或 830000（台湾），实为 {address}",
                    f"A {label_en} must start with 810000 (Hong Kong), 820000 (Macau) or 830000 (Taiwan), "
                    f"not {address}",
                )
            )
    elif address in gb.RESIDENCE_PERMIT_CODES:
        errors.append(
            FieldError(
                field,
                "id_type_mismatch",
                "该号码是港澳台居民居住证号码，请将证件类型选为“港澳台居民居住证”",
                "This is a residence permit number for Hong Kong, Macau or Taiwan residents; choose that document type",
            )
        )
    elif address[:2] not in gb.PROVINCE_PREFIXES:
        errors.append(
            FieldError(
                field,
                "id_region_invalid",
                f"{label_zh}前两位 {address[:2]} 不是有效的省级行政区代码",
                f"The {label_en} starts with {address[:2]}, which is not a province-level area code",
            )
        )
    birth = _birth_date(number[6:14], today, label_zh, label_en, field, errors)
    sex = Sex(gb.sex_of_sequence(number[16]))
    return IdentityDocument(kind, number, birth, sex, address, converted_from_legacy=legacy)


def _parse_fpr_2023(number: str, today: date, field: str, errors: list[FieldError]) -> IdentityDocument:
    kind = IdType.FOREIGN_PERMANENT_RESIDENCE
    label_zh, label_en = _LABELS[kind]
    _check_character(number, label_zh, label_en, field, errors)
    birth = _birth_date(number[6:14], today, label_zh, label_en, field, errors)
    return IdentityDocument(kind, number, birth, Sex(gb.sex_of_sequence(number[16])), None)


def _check_character(number: str, label_zh: str, label_en: str, field: str, errors: list[FieldError]) -> None:
    expected = gb.check_character(number[:17])
    if number[17] != expected:
        errors.append(
            FieldError(
                field,
                "id_checksum",
                f"{label_zh}校验位错误，按前17位应为 {expected}，请核对整个号码",
                f"The {label_en} check character is wrong; expected {expected} from the first 17 digits. "
                "Please check the whole number",
            )
        )


def _birth_date(
    digits: str, today: date, label_zh: str, label_en: str, field: str, errors: list[FieldError]
) -> date | None:
    """The encoded birth date if real; None (with an error) if not a date or before 1900."""
    birth = gb.birth_date_of(digits)
    if birth is None or birth < gb.EARLIEST_BIRTH_DATE:
        why_zh = "不是有效日期" if birth is None else "早于1900年1月1日"
        why_en = "is not a real date" if birth is None else "is before 1900-01-01"
        errors.append(
            FieldError(
                field,
                "id_birth_date_invalid",
                f"{label_zh}中的出生日期 {digits} {why_zh}",
                f"The birth date {digits} in the {label_en} {why_en}",
            )
        )
        return None
    if birth > today:
        errors.append(
            FieldError(
                field,
                "id_birth_date_future",
                f"{label_zh}中的出生日期 {birth.isoformat()} 晚于今天",
                f"The birth date {birth.isoformat()} in the {label_en} is in the future",
            )
        )
    return birth
