"""Early warning on sparse monthly counts: Poisson/negative-binomial control chart, CUSUM, hard triggers, and the
back-test on generated history with planted clusters (detection delay and false alarms)."""

from __future__ import annotations

from jiabao.voice.warning import back_test, control_chart, cusum, evaluate_cell, hard_triggers, poisson_tail


def test_poisson_tail() -> None:
    assert poisson_tail(0, 2.0) == 1.0
    assert abs(poisson_tail(1, 2.0) - (1 - 0.1353352832)) < 1e-9


def test_a_quiet_cell_with_a_sudden_cluster_alarms() -> None:
    history = [0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0]
    signal = control_chart(history, 5)
    assert signal.alarm and signal.method == "poisson_chart" and signal.expected < 1
    assert not control_chart(history, 2).alarm  # two complaints in a quiet cell is not yet a cluster


def test_exposure_growth_raises_the_expectation() -> None:
    history = [2] * 13
    flat = control_chart(history, 8, exposure_history=[1000.0] * 13, exposure_now=1000.0)
    grown = control_chart(history, 8, exposure_history=[1000.0] * 13, exposure_now=3000.0)
    assert flat.alarm and not grown.alarm and grown.expected > flat.expected


def test_cusum_catches_a_slow_drift() -> None:
    series = [1] * 12 + [2, 2, 3, 3, 3]
    drift, s = cusum(series)
    assert drift and s > 4
    assert evaluate_cell(series) is not None


def test_hard_triggers() -> None:
    fired = hard_triggers({7: 3, 8: 2}, {"whole_life": 5, "accident": 1}, majors=1)
    assert fired == [("partner_cluster", "7", 3), ("product_cluster", "whole_life", 5), ("major_complaint", "major", 1)]


def test_back_test_detects_planted_clusters_with_few_false_alarms() -> None:
    result = back_test(cells=49, months=36, clusters=20, extra=4, seed=2021)
    print(f"back-test: {result}")
    assert result.clusters == 20
    assert result.detected >= 18  # ≥ 90 % of the planted clusters
    assert result.mean_delay <= 0.5  # mostly the month the cluster starts
    assert result.false_alarm_rate <= 2.0  # false alarms per 100 quiet cell-months
