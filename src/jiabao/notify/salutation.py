"""How a message greets its reader, by age group (see docs/notifications.md).

| age      | zh                                   | en                          |
|----------|--------------------------------------|-----------------------------|
| under 18 | never addressed: the guardian is greeted and the child named as "您孩子小明" |
| 18–35    | 小明，您好！ (given name)              | Hello Ming,                 |
| 36–59    | 张先生，您好！ / 张女士，您好！       | Hello Mr Zhang, / Ms Zhang, |
| 60+      | 尊敬的张老先生，您好！ / 张老太太      | Dear Mr Zhang, / Mrs Zhang, |

Without a known sex the full name stands in for 先生/女士. A one-character given name is too curt on its
own in Chinese, so the 18–35 group then gets the full name (张伟，您好！).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from jiabao.notify.model import Person

ADULT_AGE = 18
MIDDLE_AGE = 36
SENIOR_AGE = 60


class AgeGroup(StrEnum):
    MINOR = "minor"  # under 18: addressed via the guardian
    YOUNG_ADULT = "young_adult"  # 18–35
    MIDDLE_AGED = "middle_aged"  # 36–59
    SENIOR = "senior"  # 60 and over


class GuardianRequired(ValueError):
    """A message about a minor needs an adult guardian to address."""


def age_group(age: int) -> AgeGroup:
    if age < ADULT_AGE:
        return AgeGroup.MINOR
    if age < MIDDLE_AGE:
        return AgeGroup.YOUNG_ADULT
    if age < SENIOR_AGE:
        return AgeGroup.MIDDLE_AGED
    return AgeGroup.SENIOR


@dataclass(frozen=True)
class Address:
    """The greeting line, how the policy's person is referred to, and whether the senior wording applies."""

    greeting: str
    whose: str  # "您" / "您孩子小明" ; "your" / "your child Ming's"
    group: AgeGroup  # the greeted reader's age group
    senior: bool


def _zh_greeting(person: Person, group: AgeGroup) -> str:
    full = person.surname + person.given_name
    if group is AgeGroup.YOUNG_ADULT:
        name = person.given_name if len(person.given_name) >= 2 else full
        return f"{name}，您好！"
    if person.sex is None:
        return f"尊敬的{full}，您好！" if group is AgeGroup.SENIOR else f"{full}，您好！"
    if group is AgeGroup.SENIOR:
        return f"尊敬的{person.surname}{'老先生' if person.sex == 'M' else '老太太'}，您好！"
    return f"{person.surname}{'先生' if person.sex == 'M' else '女士'}，您好！"


def _en_greeting(person: Person, group: AgeGroup) -> str:
    surname = person.surname_en or person.surname
    given = person.given_name_en or person.given_name
    if group is AgeGroup.YOUNG_ADULT:
        return f"Hello {given},"
    opener = "Dear" if group is AgeGroup.SENIOR else "Hello"
    if person.sex is None:
        return f"{opener} {given} {surname},"
    female_title = "Mrs" if group is AgeGroup.SENIOR else "Ms"
    title = "Mr" if person.sex == "M" else female_title
    return f"{opener} {title} {surname},"


def greeting(person: Person, language: str) -> str:
    """The greeting for an adult reader; a minor cannot be greeted directly."""
    group = age_group(person.age)
    if group is AgeGroup.MINOR:
        raise GuardianRequired("a minor is addressed through the guardian")
    return _zh_greeting(person, group) if language == "zh" else _en_greeting(person, group)


def address(recipient: Person, guardian: Person | None, language: str) -> Address:
    """Greet the recipient, or, when the recipient is under 18, the guardian about the child."""
    if age_group(recipient.age) is not AgeGroup.MINOR:
        group = age_group(recipient.age)
        whose = "您" if language == "zh" else "your"
        return Address(greeting(recipient, language), whose, group, group is AgeGroup.SENIOR)
    if guardian is None or age_group(guardian.age) is AgeGroup.MINOR:
        raise GuardianRequired("a message about a minor needs an adult guardian")
    group = age_group(guardian.age)
    if language == "zh":
        whose = f"您孩子{recipient.given_name}"
    else:
        whose = f"your child {recipient.given_name_en or recipient.given_name}'s"
    return Address(greeting(guardian, language), whose, group, group is AgeGroup.SENIOR)
