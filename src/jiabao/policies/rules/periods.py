"""One reading of "within N years of X" (自X之日起N年内) for every two-year clock of the policy and claims rules.

Civil Code arts. 201–202 (Conf. H): the day of X is not counted and a period in years ends at the end of the
corresponding date N years later (29 Feb → 28 Feb in a common year). So the anniversary day itself is still
**inside** the period, and "more than 2 years" (超过二年) starts the day after. Used alike by

- the reinstatement window (Insurance Law art. 37: reinstate within 2 years of suspension; terminated the day
  after the last day),
- the suicide exclusion (art. 44: suicide within 2 years of formation or reinstatement is excluded — including on
  the anniversary day),
- incontestability (art. 16: the contract can no longer be rescinded for non-disclosure once more than 2 years
  have passed since formation or reinstatement — from the day after the anniversary).
"""

from __future__ import annotations

from datetime import date

from jiabao.policies.rules.schedule import add_years

TWO_YEARS = 2


def period_last_day(start: date, years: int = TWO_YEARS) -> date:
    """The last day of the period of ``years`` years from ``start`` (the corresponding date)."""
    return add_years(start, years)


def within_years(start: date, day: date, years: int = TWO_YEARS) -> bool:
    """True when ``day`` falls within ``years`` years of ``start`` (start < day ≤ the corresponding date; the
    start day itself counts as inside)."""
    return start <= day <= period_last_day(start, years)
