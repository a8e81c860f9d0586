"""Every KPI and ESG figure (经营指标), defined once: numerator, denominator, period, unit. Pure.

``docs/kpi.md`` states the same definitions in words; ``jiabao.reporting.kpis`` computes each by a query over the
operating tables (nothing is ever stored by hand). The period is a calendar year (Beijing dates) unless noted."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Kpi:
    code: str
    name_zh: str
    name_en: str
    numerator: str
    denominator: str | None
    unit: str  # count | percent | hours
    domain: str


KPIS: tuple[Kpi, ...] = (
    Kpi(
        "family_accounts_total",
        "家庭账户总数",
        "Family accounts (total)",
        "households opened on or before the period's last day",
        None,
        "count",
        "family",
    ),
    Kpi(
        "family_accounts_new",
        "新增家庭账户",
        "New family accounts",
        "households opened in the period",
        None,
        "count",
        "family",
    ),
    Kpi(
        "family_regular_premium_share",
        "家庭账户期缴保费占比",
        "Family-account share of regular premium",
        "regular premium (payment term > 1 year) received in the period on policies of households in which two or "
        "more members are insured by policies in force at the period's end",
        "all regular premium received in the period",
        "percent",
        "policies",
    ),
    Kpi(
        "servicing_online_rate",
        "保全E化率",
        "Online servicing rate (保全E化率)",
        "servicing requests (保全) submitted online in the period",
        "all servicing requests submitted in the period",
        "percent",
        "policies",
    ),
    Kpi(
        "claims_online_rate",
        "线上理赔率",
        "Online claims rate (线上理赔率)",
        "claims reported online in the period",
        "all claims reported in the period",
        "percent",
        "claims",
    ),
    Kpi(
        "claims_straight_through_share",
        "理赔直赔（自动理赔）占比",
        "Straight-through claims share",
        "claims reported in the period that the engine approved and paid without a person",
        "all claims reported in the period",
        "percent",
        "claims",
    ),
    Kpi(
        "claims_time_to_payment_p50",
        "理赔支付时效（中位数）",
        "Time to payment, median",
        "median hours from report to payment of the claims paid in the period",
        "claims paid in the period",
        "hours",
        "claims",
    ),
    Kpi(
        "claims_time_to_payment_p90",
        "理赔支付时效（90分位）",
        "Time to payment, 90th percentile",
        "90th-percentile hours from report to payment of the claims paid in the period (nearest rank)",
        "claims paid in the period",
        "hours",
        "claims",
    ),
    Kpi(
        "smart_uw_policies",
        "智能核保出单件数",
        "Policies issued through smart underwriting",
        "policies issued in the period whose insureds were all decided by the underwriting engine's rules",
        "policies issued in the period",
        "count",
        "underwriting",
    ),
    Kpi(
        "smart_uw_stp_share",
        "智能核保自动通过率",
        "Smart-underwriting straight-through share",
        "policies issued in the period with every insured decided automatically (no underwriter)",
        "policies issued in the period",
        "percent",
        "underwriting",
    ),
    Kpi(
        "risk_screenings",
        "风险筛查次数",
        "Risk screenings",
        "applications scored by the risk rules before confirmation (核保风控) in the period",
        None,
        "count",
        "risk",
    ),
    Kpi(
        "risk_interceptions",
        "风险拦截次数",
        "Risk interceptions",
        "applications scored in the period that were intercepted (by the rules or a person)",
        None,
        "count",
        "risk",
    ),
    Kpi(
        "risk_interception_rate",
        "风险拦截率",
        "Interception rate",
        "applications scored in the period that were intercepted",
        "applications scored in the period",
        "percent",
        "risk",
    ),
    Kpi(
        "return_visit_success",
        "回访成功率",
        "Return-visit success rate",
        "return visits due in the period that were completed (passed or mis-selling found)",
        "return visits due in the period (less open visits of cancelled policies)",
        "percent",
        "policies",
    ),
    Kpi(
        "complaints_total",
        "投诉件数（按类别、地区）",
        "Complaints (by category and region)",
        "complaints received in the period",
        None,
        "count",
        "voice",
    ),
    Kpi(
        "elderly_served_elderly_channels",
        "通过适老化渠道服务的老年客户",
        "Elderly customers served through elderly channels",
        "customers aged 60+ served in the period (return visit due, complaint received or claim reported) through "
        "an elderly channel: the elderly return-visit script, priority complaint handling, or elderly mode (大字版)",
        "customers aged 60+ served in the period",
        "count",
        "family",
    ),
)

BY_CODE = {k.code: k for k in KPIS}
