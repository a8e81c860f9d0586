"""Early warning on small monthly complaint counts (事前预警). Pure (numpy + math).

Counts per cell (category × region, or category × product line, or one partner) are small and sparse, so the
methods are those built for short count series in public-health surveillance:

- **Poisson / negative-binomial control chart** (``poisson_chart``/``negbin_chart``): the expected count for the
  month is the cell's rate over a baseline window (the previous ``BASELINE`` months, skipping a ``GUARD`` month so a
  cluster that began last month does not raise its own baseline) times this month's exposure (policies in force).
  A half-complaint prior keeps an empty history from making every first complaint an alarm. If the baseline's
  variance exceeds its mean the negative binomial (method-of-moments dispersion) replaces the Poisson. The month
  alarms when P(X ≥ observed) < ``ALPHA`` and at least ``MIN_COUNT`` complaints were observed.
- **Poisson CUSUM** (``cusum``) for slow drift: S_t = max(0, S_{t-1} + x_t − k·μ_t) with k for a doubling of the
  rate (k = (2−1)/ln 2); alarm when S_t > ``CUSUM_H``. It catches a rise that no single month shows.
- **Hard triggers** (``hard_triggers``): ``PARTNER_CLUSTER`` or more complaints about one partner/agent in the
  month, ``PRODUCT_CLUSTER`` or more about one product, and any major complaint.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

BASELINE = 12
GUARD = 1
ALPHA = 0.005
MIN_COUNT = 3
PRIOR = 0.5
CUSUM_K = 1 / math.log(2)
CUSUM_H = 4.0
PARTNER_CLUSTER = 3
PRODUCT_CLUSTER = 5


@dataclass(frozen=True, slots=True)
class Signal:
    alarm: bool
    observed: int
    expected: float
    p_value: float
    method: str


def poisson_tail(observed: int, mean: float) -> float:
    """P(X ≥ observed) for X ~ Poisson(mean)."""
    if observed <= 0:
        return 1.0
    term = math.exp(-mean)
    below = term
    for k in range(1, observed):
        term *= mean / k
        below += term
    return max(0.0, 1.0 - below)


def negbin_tail(observed: int, mean: float, size: float) -> float:
    """P(X ≥ observed) for the negative binomial with this mean and size r (variance mean + mean²/r)."""
    if observed <= 0:
        return 1.0
    p = size / (size + mean)
    term = float(p**size)
    below = term
    for k in range(1, observed):
        term *= (k - 1 + size) / k * (1 - p)
        below += term
    return max(0.0, 1.0 - below)


def expected_count(
    history: Sequence[int], exposure_history: Sequence[float] | None = None, exposure_now: float | None = None
) -> tuple[float, float, float | None]:
    """(expected count, baseline mean, negative-binomial size or None) from the baseline window of ``history``
    (oldest first, the current month excluded)."""
    window = list(history[-(BASELINE + GUARD) : len(history) - GUARD]) if len(history) > GUARD else []
    counts = np.asarray(window, dtype=float)
    n = len(counts)
    if n == 0:
        return PRIOR, PRIOR, None
    if exposure_history is not None and exposure_now:
        exposures = np.asarray(list(exposure_history[-(BASELINE + GUARD) : len(exposure_history) - GUARD]), float)
        rate = (counts.sum() + PRIOR) / max(float(exposures.sum()), 1e-9)
        expected = rate * exposure_now
    else:
        expected = (counts.sum() + PRIOR) / n
    mean = float(counts.mean())
    size = None
    if n >= 4:
        var = float(counts.var(ddof=1))
        if mean > 0 and var > mean * 1.2:
            size = mean * mean / (var - mean)
    return float(expected), mean, size


def control_chart(
    history: Sequence[int],
    observed: int,
    *,
    exposure_history: Sequence[float] | None = None,
    exposure_now: float | None = None,
) -> Signal:
    expected, _, size = expected_count(history, exposure_history, exposure_now)
    if size is None:
        p, method = poisson_tail(observed, expected), "poisson_chart"
    else:
        p, method = negbin_tail(observed, expected, size), "negbin_chart"
    return Signal(p < ALPHA and observed >= MIN_COUNT, observed, round(expected, 2), p, method)


def cusum(series: Sequence[int], *, baseline_months: int = BASELINE) -> tuple[bool, float]:
    """Poisson CUSUM over the months after the first ``baseline_months`` (which set μ). (alarm now, S_t)."""
    if len(series) <= baseline_months:
        return False, 0.0
    mu = (sum(series[:baseline_months]) + PRIOR) / baseline_months
    s = 0.0
    for x in series[baseline_months:]:
        s = max(0.0, s + x - CUSUM_K * mu)
    return s > max(CUSUM_H, 2 * mu), round(s, 2)


def evaluate_cell(series: Sequence[int], **exposure: Sequence[float] | float | None) -> Signal | None:
    """The month's signal for one cell (``series`` ends with the current month): the control chart, else the CUSUM."""
    if not series:
        return None
    history, observed = series[:-1], int(series[-1])
    signal = control_chart(
        history,
        observed,
        exposure_history=exposure.get("exposure_history"),  # type: ignore[arg-type]
        exposure_now=exposure.get("exposure_now"),  # type: ignore[arg-type]
    )
    if signal.alarm:
        return signal
    drift, _ = cusum(series)
    if drift and observed >= MIN_COUNT:
        expected, _, _ = expected_count(history)
        return Signal(True, observed, round(expected, 2), signal.p_value, "poisson_cusum")
    return None


def hard_triggers(
    partner_counts: dict[int, int], product_counts: dict[str, int], majors: int
) -> list[tuple[str, str, int]]:
    """(kind, key, count) for each hard trigger that fired this month."""
    fired = [("partner_cluster", str(k), n) for k, n in sorted(partner_counts.items()) if n >= PARTNER_CLUSTER]
    fired += [("product_cluster", k, n) for k, n in sorted(product_counts.items()) if n >= PRODUCT_CLUSTER]
    if majors:
        fired.append(("major_complaint", "major", majors))
    return fired


# --- back-test on generated history with planted clusters --------------------------------------------------


@dataclass(frozen=True, slots=True)
class BackTest:
    cells: int
    months: int
    clusters: int
    detected: int
    mean_delay: float
    """Months from a cluster's first month to its first alarm (0 = the same month)."""
    false_alarms: int
    false_alarm_rate: float
    """False alarms per 100 cell-months without a cluster."""


def back_test(*, cells: int = 49, months: int = 36, clusters: int = 20, extra: int = 4, seed: int = 2021) -> BackTest:
    """Generate sparse monthly counts per cell (Poisson, rates 0.1–1.5 a month, a gentle seasonality), plant
    ``clusters`` outbreaks (``extra`` more complaints a month for 2 months) after the first year, and run the
    detector month by month from month 13."""
    rng = np.random.default_rng(seed)
    rates = rng.uniform(0.1, 1.5, size=cells)
    season = 1 + 0.2 * np.sin(np.arange(months) * 2 * np.pi / 12)
    counts = rng.poisson(np.outer(rates, season))
    planted: dict[int, int] = {}
    chosen = rng.choice(cells, size=min(clusters, cells), replace=False)
    for cell in chosen:
        start = int(rng.integers(BASELINE + 2, months - 2))
        planted[int(cell)] = start
        counts[cell, start : start + 2] += rng.poisson(extra, size=2) + 1
    detected, false_alarms, quiet_cell_months = 0, 0, 0
    delays: list[int] = []
    for cell in range(cells):
        begins = planted.get(cell)
        found = False
        for t in range(BASELINE, months):
            signal = evaluate_cell([int(x) for x in counts[cell, : t + 1]])
            in_cluster = begins is not None and begins <= t < begins + 2
            after = begins is not None and t >= begins
            if not after:
                quiet_cell_months += 1
                if signal is not None:
                    false_alarms += 1
            elif begins is not None and in_cluster and signal is not None and not found:
                found = True
                detected += 1
                delays.append(t - begins)
    return BackTest(
        cells=cells,
        months=months,
        clusters=len(planted),
        detected=detected,
        mean_delay=round(float(np.mean(delays)), 2) if delays else float("nan"),
        false_alarms=false_alarms,
        false_alarm_rate=round(100 * false_alarms / max(1, quiet_cell_months), 3),
    )
