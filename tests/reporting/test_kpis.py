"""Each KPI's definition (docs/kpi.md) on a hand-built data set where the right answer is known."""

from __future__ import annotations

from datetime import date

from jiabao.db.session import unit_of_work
from jiabao.reporting.definitions import KPIS
from jiabao.reporting.kpis import annual_report, compute
from jiabao.runtime import Runtime
from tests.reporting.dataset import build


def test_every_kpi_on_the_hand_built_data_set(runtime: Runtime) -> None:
    with unit_of_work(runtime.sessions) as session:
        build(session)
    with unit_of_work(runtime.sessions) as session:
        k = compute(session, date(2025, 1, 1), date(2025, 12, 31))

    def nd(code: str) -> tuple[object, object, object]:
        return k[code].value, k[code].numerator, k[code].denominator

    assert nd("family_accounts_total") == (5, 5, None)  # 6 households, one opened in 2026
    assert nd("family_accounts_new") == (2, 2, None)  # March and 31 December 2025
    # regular premium (term > 1) in 2025: 3,000 (two members insured) + 1,000; the single premium and 2024 excluded
    assert nd("family_regular_premium_share") == (75.0, 3000.0, 4000.0)
    assert nd("servicing_online_rate") == (75.0, 3, 4)  # 3 online of 4 in 2025
    assert nd("claims_online_rate") == (75.0, 3, 4)
    assert nd("claims_straight_through_share") == (50.0, 2, 4)
    assert nd("claims_time_to_payment_p50") == (24.0, None, 3)  # 2 h, 24 h, 72 h: nearest rank
    assert nd("claims_time_to_payment_p90") == (72.0, None, 3)
    assert nd("smart_uw_policies") == (2, 2, 3)  # the third has no engine decision
    assert nd("smart_uw_stp_share") == (33.33, 1, 3)  # only the first had every insured decided automatically
    assert nd("return_visit_success") == (
        66.67,
        2,
        3,
    )  # passed + mis-selling of 3 due (cancelled policy's open visit out)
    assert nd("complaints_total") == (3, 3, None)
    assert k["complaints_total"].breakdown["by_category"]["sales"] == {"count": 2, "share": 66.67}
    assert k["complaints_total"].breakdown["by_region"]["north"] == {"count": 1, "share": 33.33}
    # 60+: the 70-year-old (return visit, not the elderly script; a claim) and the 65-year-old (priority complaint)
    assert nd("elderly_served_elderly_channels") == (1, 1, 2)
    # risk: 4 applications scored in 2025 (2 passed, 1 cleared by a person, 1 intercepted); 2024's excluded
    assert nd("risk_screenings") == (4, 4, None)
    assert nd("risk_interceptions") == (1, 1, None)
    assert nd("risk_interception_rate") == (25.0, 1, 4)


def test_risk_figures_not_available_without_risk_data(runtime: Runtime) -> None:
    with unit_of_work(runtime.sessions) as session:
        build(session)
    with unit_of_work(runtime.sessions) as session:
        k = compute(session, date(2023, 1, 1), date(2023, 12, 31))
    for code in ("risk_screenings", "risk_interceptions", "risk_interception_rate"):
        assert k[code].available is False and k[code].value is None and "not available" in (k[code].reason or "")


def test_report_lists_every_defined_kpi_with_numerator_and_denominator(runtime: Runtime) -> None:
    with unit_of_work(runtime.sessions) as session:
        report = annual_report(session, 2025)
    assert list(report["kpis"]) == [k.code for k in KPIS]
    for item in report["kpis"].values():
        assert {"value", "numerator", "denominator", "definition", "available"} <= set(item)
    assert report["kpis"]["claims_online_rate"]["value"] is None  # no data: no rate, never a made-up zero


def test_docs_list_every_definition() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "kpi.md").read_text(encoding="utf-8")
    for k in KPIS:
        assert f"`{k.code}`" in text and k.numerator in text and (k.denominator or "—") in text, k.code
