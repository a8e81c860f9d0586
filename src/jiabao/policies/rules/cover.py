"""Cover periods (保险期间) from the product's definition, not from what a request happens to include (pure).

- ``one_year``: one year from the start, whatever the request says (the product defines its term);
- ``years``: N years from the start (the option chosen);
- ``to_age``: to the policy anniversary on which the insured has reached age N (周岁, age last birthday) — not
  N years after issue, and not the insured's birthday;
- ``whole_life``: no end date (the contract runs to death or the product's end age).

End dates follow Civil Code art. 202 (a period in years ends on the corresponding date; 29 Feb → 28 Feb).
``term_months`` is what the return-visit and dual-recording rules test ("over 1 year": BSR art. 15, 2017 rule
保监发〔2017〕54号): None for whole life.
"""

from __future__ import annotations

from datetime import date

from jiabao.policies.rules.schedule import add_years

KINDS = ("one_year", "years", "to_age", "whole_life")


def age_on(birth_date: date, day: date) -> int:
    """Age last birthday (周岁) on ``day``."""
    years = day.year - birth_date.year
    return years - 1 if (day.month, day.day) < (birth_date.month, birth_date.day) else years


def cover_end(kind: str, option: int | None, *, start: date, birth_date: date) -> date | None:
    """The day cover ends for one insured (the end date is the anniversary itself, as for ``years``)."""
    if kind == "one_year":
        return add_years(start, 1)
    if kind == "years":
        if option is None or option < 1:
            raise ValueError("a 'years' cover needs its number of years")
        return add_years(start, option)
    if kind == "to_age":
        if option is None:
            raise ValueError("a 'to_age' cover needs its end age")
        years = max(option - age_on(birth_date, start), 1)
        while age_on(birth_date, add_years(start, years)) < option:  # a birthday after the anniversary date
            years += 1
        while years > 1 and age_on(birth_date, add_years(start, years - 1)) >= option:
            years -= 1
        return add_years(start, years)
    if kind == "whole_life":
        return None
    raise ValueError(f"unknown cover kind {kind!r}")


def term_months(start: date, end: date | None) -> int | None:
    """Whole months from ``start`` to ``end`` (None: whole life)."""
    if end is None:
        return None
    months = (end.year - start.year) * 12 + end.month - start.month
    return months if end.day >= start.day else months - 1


def cover_years_option(kind: str, requested: int | None) -> int | None:
    """What an application stores as its cover option: 1 for one-year products (whatever was requested), the
    years or end age chosen otherwise, None for whole life."""
    if kind == "one_year":
        return 1
    if kind == "whole_life":
        return None
    return requested
