"""Assumption sets from a daily government curve file: the last 750 business days build the reserve curve."""

from __future__ import annotations

import numpy as np
import pytest

from jiabao.valuation.assumptions import assumptions_from_daily_csv, daily_curves_from_csv


def test_curve_file_builds_the_750_day_reserve_curve() -> None:
    rng = np.random.default_rng(2)
    tenors = [1, 5, 10, 20, 30]
    base = np.array([1.6, 1.9, 2.1, 2.4, 2.5])
    rows = ["date," + ",".join(str(t) for t in tenors)]
    daily = base + rng.normal(0, 0.05, (760, 5))
    rows += [f"2023-{i:04d}," + ",".join(f"{x:.4f}" for x in row) for i, row in enumerate(daily)]
    text = "\n".join(rows)
    parsed_tenors, rates = daily_curves_from_csv(text)
    assert parsed_tenors.tolist() == tenors and rates.shape == (760, 5)
    assumptions = assumptions_from_daily_csv(text, "BE-test", premium=0.0030)
    ten_year = np.mean(np.round(daily[-750:, 2], 4)) / 100 + 0.0030  # the oldest 10 days drop out of the window
    assert abs(float(assumptions.curve.spot(10.0)) - ten_year) < 1e-12
    assert abs(float(assumptions.curve.spot(50.0)) - (0.045 + 0.0030)) < 1e-12  # ultimate rate beyond 40 years
    with pytest.raises(ValueError, match="750"):
        assumptions_from_daily_csv("\n".join(rows[:500]), "BE-short")
    with pytest.raises(ValueError, match="header"):
        daily_curves_from_csv("1,2\n3,4")
