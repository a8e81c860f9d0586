"""Small helpers shared by the policy rules (kept here so the package depends on nothing but ``jiabao.core``)."""

from __future__ import annotations

from datetime import date


def age_at(birth_date: date, on: date) -> int:
    """Completed years (周岁) on a date, the same convention as ``jiabao.family.lifestage.age_on``.

    A 29 February birthday counts as 1 March in common years. Duplicated on purpose: policies must not import
    the family domain (domains are independent layers).
    """
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
