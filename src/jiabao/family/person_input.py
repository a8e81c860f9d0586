"""Turn a submitted person into validated facts, collecting every field problem before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from jiabao.core import validation as v
from jiabao.core.errors import FieldProblem, InvalidInput
from jiabao.family.enums import Sex
from jiabao.family.schemas import PersonIn


@dataclass(frozen=True, slots=True)
class ValidPerson:
    name: str
    id_type: str
    id_number: str
    sex: Sex
    birth_date: date
    region_code: str | None
    phone: str | None
    occupation: str | None
    occupation_class: int | None
    annual_income: Decimal | None
    social_insurance: bool


def _problems(exc: v.ValidationFailed) -> list[FieldProblem]:
    return [FieldProblem(e.field, e.code, e.message_zh, e.message_en) for e in exc.errors]


def storable_phone(mobile: v.MobileNumber) -> str:
    """Mainland numbers are kept as 11 national digits, others in E.164 (the same form feeds the blind index)."""
    return mobile.national if mobile.country_code == 86 else mobile.e164


def normalise_phone(raw: str) -> str | None:
    """The storable form of a phone typed into a search box, or None when it is not a mobile number."""
    try:
        return storable_phone(v.check_mobile(raw, field="phone"))
    except v.ValidationFailed:
        return None


def validate_contact(name: str, phone: str | None) -> tuple[str, str | None]:
    problems: list[FieldProblem] = []
    clean_name, clean_phone = name, None
    try:
        clean_name = v.check_name(name, field="name")
    except v.ValidationFailed as exc:
        problems += _problems(exc)
    if phone:
        try:
            clean_phone = storable_phone(v.check_mobile(phone, field="phone"))
        except v.ValidationFailed as exc:
            problems += _problems(exc)
    if problems:
        raise InvalidInput(fields=tuple(problems))
    return clean_name, clean_phone


def validate_person(data: PersonIn, *, today: date) -> ValidPerson:
    """Validate name, identity document (cross-checking birth date and sex), phone and dates together."""
    problems: list[FieldProblem] = []
    name, phone = data.name, None
    try:
        name, phone = validate_contact(data.name, data.phone)
    except InvalidInput as exc:
        problems += list(exc.fields)
    doc: v.IdentityDocument | None = None
    try:
        doc = v.check_identity(
            data.id_type,
            data.id_number,
            birth_date=data.birth_date,
            sex=data.sex.value if data.sex else None,
            today=today,
            field="id_number",
        )
    except v.ValidationFailed as exc:
        problems += _problems(exc)
    birth = data.birth_date or (doc.birth_date if doc else None)
    sex_code = data.sex.value if data.sex else (doc.sex.value if doc and doc.sex else None)
    if birth is None and doc is not None:
        problems.append(FieldProblem("birth_date", "required", "请填写出生日期", "Birth date is required"))
    elif birth is not None:
        try:
            v.check_birth_date(birth, today=today, field="birth_date")
        except v.ValidationFailed as exc:
            problems += _problems(exc)
    if sex_code is None and doc is not None:
        problems.append(FieldProblem("sex", "required", "请选择性别", "Sex is required"))
    if problems or doc is None or birth is None or sex_code is None:
        raise InvalidInput(fields=tuple(problems))
    return ValidPerson(
        name=name,
        id_type=doc.id_type.value,
        id_number=doc.number,
        sex=Sex(sex_code),
        birth_date=birth,
        region_code=doc.region_code,
        phone=phone,
        occupation=data.occupation,
        occupation_class=data.occupation_class,
        annual_income=data.annual_income,
        social_insurance=data.social_insurance,
    )
