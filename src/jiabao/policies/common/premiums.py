"""One premium figure everywhere (issue 9, item 1): an insured's charged premium is the standard premium with the
underwriting terms on it, and every instalment is the sum of the charged insureds' parts at the policy's frequency.

- charged annual premium = standard × (100 + rating %) / 100 + flat extra (‰ of the sum assured), half-up;
- an insured's part of an instalment = annual × the product's modal factor, half-up to the fen (as quoted);
- an instalment = Σ parts of the insureds charged on its due date; a temporary flat extra stops being charged
  from the policy anniversary after its years.

The application, the confirm page, the first charge, the schedule, servicing re-plans, the policy page and the PDF
all read these functions, so the member lines always add up to what is charged.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Protocol

from jiabao.policies.rules.schedule import add_years
from jiabao.products.quoting import MODAL_FACTORS, money
from jiabao.products.schema import Frequency
from jiabao.underwriting.terms import Terms, flat_extra_amount, rated_premium


class Priced(Protocol):
    sum_assured: Decimal
    annual_premium: Decimal
    standard_premium: Decimal | None
    extra_premium_percent: int | None
    flat_extra: Decimal | None
    flat_extra_years: int | None
    exclusions: list[dict[str, str]] | None


def apply_terms(row: Priced, standard: Decimal, terms: Terms) -> None:
    """Set the standard premium, the terms and the charged annual premium on an application or policy insured."""
    row.standard_premium = standard
    row.extra_premium_percent = terms.extra_premium_percent
    row.flat_extra = flat_extra_amount(terms, row.sum_assured)
    row.flat_extra_years = terms.flat_years
    row.exclusions = [dict(e) for e in terms.exclusions]
    row.annual_premium = rated_premium(standard, terms, row.sum_assured)


def copy_terms(source: Priced, target: Priced) -> None:
    target.standard_premium = source.standard_premium
    target.extra_premium_percent = source.extra_premium_percent
    target.flat_extra = source.flat_extra
    target.flat_extra_years = source.flat_extra_years
    target.exclusions = list(source.exclusions or [])
    target.annual_premium = source.annual_premium


def modal(annual: Decimal, frequency: str) -> Decimal:
    """One insured's part of an instalment: annual × the modal factor, half-up to the fen (as quoted)."""
    return money(annual * MODAL_FACTORS[Frequency(frequency)])


def annual_on(row: Priced, start: date, due: date) -> Decimal:
    """The insured's annual premium charged on ``due``: without a temporary flat extra once its years are over."""
    if row.flat_extra and row.flat_extra_years is not None and due >= add_years(start, row.flat_extra_years):
        return row.annual_premium - row.flat_extra
    return row.annual_premium


def instalment(rows: Iterable[Priced], frequency: str) -> Decimal:
    """The instalment of the first premium year: Σ each insured's modal part."""
    return sum((modal(r.annual_premium, frequency) for r in rows), Decimal("0.00"))


def restandard(row: Priced, standard: Decimal) -> None:
    """A new standard premium (the family re-priced without a removed member) under the same terms."""
    row.standard_premium = standard
    rated = money(standard * (100 + (row.extra_premium_percent or 0)) / 100)
    row.annual_premium = rated + (row.flat_extra or Decimal(0))
