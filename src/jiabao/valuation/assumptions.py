"""The valuation assumption sets shipped with the platform (pure). A set is immutable once a run has used it: a
change of any parameter is a new version (the service refuses to store a different set under a used version)."""

from __future__ import annotations

import numpy as np

from jiabao.actuarial.curves import reserve_curve_from_average, reserve_discount_curve
from jiabao.valuation.engine import AssumptionSet

ILLUSTRATIVE_TENORS = np.array([1.0, 2.0, 3.0, 5.0, 7.0, 10.0, 15.0, 20.0, 30.0])
ILLUSTRATIVE_750MA = np.array([0.0185, 0.0200, 0.0212, 0.0232, 0.0250, 0.0262, 0.0278, 0.0290, 0.0300])
"""An **illustrative** 750-working-day average of the government spot curve (shape and level typical of the
averages of 2023–2025; not a published data set). Replace with the China Bond download (`--curve-csv`)."""
DEFAULT_PREMIUM = 0.0035
"""Comprehensive premium (综合溢价) of 35 bp over the base curve (docs/valuation.md)."""


def default_assumptions(version: str = "BE-2026.12") -> AssumptionSet:
    curve = reserve_curve_from_average(ILLUSTRATIVE_TENORS, ILLUSTRATIVE_750MA, premium=DEFAULT_PREMIUM)
    return AssumptionSet(version=version, curve=curve)


def assumptions_with_curve(version: str, tenors: np.ndarray, averaged: np.ndarray, premium: float) -> AssumptionSet:
    return AssumptionSet(version=version, curve=reserve_curve_from_average(tenors, averaged, premium=premium))


def daily_curves_from_csv(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Parse daily government spot curves: a header ``date,<tenor years>,…`` then one row per business day, rates
    in percent (as China Bond publishes them), oldest first. Returns (tenors, rates as decimals (days, tenors))."""
    rows = [line.split(",") for line in text.strip().splitlines() if line.strip()]
    if len(rows) < 2 or rows[0][0].strip().lower() != "date":
        raise ValueError("the curve file needs a header 'date,<tenor>,…' and daily rows")
    tenors = np.array([float(x) for x in rows[0][1:]])
    rates = np.array([[float(x) for x in row[1:]] for row in rows[1:]]) / 100.0
    if rates.shape[1] != len(tenors):
        raise ValueError("every row needs one rate per tenor")
    return tenors, rates


def assumptions_from_daily_csv(text: str, version: str, premium: float = DEFAULT_PREMIUM) -> AssumptionSet:
    """An assumption set whose curve is the reserve curve of the last 750 daily curves in ``text`` + ``premium``."""
    tenors, daily = daily_curves_from_csv(text)
    return AssumptionSet(version=version, curve=reserve_discount_curve(tenors, daily, premium=premium))
