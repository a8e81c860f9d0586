"""Application risk scoring (核保风控) and claims fraud rules: each rule, its points and the outcome bands
(Anti-Insurance-Fraud Work Measures, 金规〔2024〕10号: risk data checked at underwriting and at claims)."""

from __future__ import annotations

from decimal import Decimal

from jiabao.risk.fraud import application_rules as ar
from jiabao.risk.fraud import claim_rules as cr
from jiabao.risk.fraud.application_rules import (
    AgentRecord,
    ApplicationRisk,
    InsuredRisk,
    Outcome,
    SharedIdentifier,
)


def app(*insureds: InsuredRisk, **kw: object) -> ApplicationRisk:
    return ApplicationRisk(application_id=1, insureds=insureds or (InsuredRisk(1, Decimal("300000")),), **kw)  # type: ignore[arg-type]


def codes(result: ar.Score) -> set[str]:
    return {h.code for h in result.hits}


def test_a_plain_application_passes() -> None:
    result = ar.score(app(InsuredRisk(1, Decimal("300000"), annual_income=Decimal("200000"))))
    assert result.outcome is Outcome.PASS and result.points == 0 and result.hits == ()


def test_many_applications_in_a_short_time() -> None:
    assert codes(ar.score(app(recent_applications=3))) == {"several_applications"}
    assert ar.score(app(recent_applications=2)).hits == ()
    five = ar.score(app(recent_applications=5))
    assert codes(five) == {"many_applications"} and five.outcome is Outcome.REVIEW


def test_cover_far_above_income_counts_existing_cover() -> None:
    ok = InsuredRisk(1, Decimal("1000000"), annual_income=Decimal("100000"))  # 10×
    assert ar.score(app(ok)).hits == ()
    above = InsuredRisk(
        1, Decimal("1000000"), annual_income=Decimal("40000"), existing_cover=Decimal("100000")
    )  # 27.5×
    assert codes(ar.score(app(above))) == {"cover_above_income"}
    far = InsuredRisk(1, Decimal("5000000"), annual_income=Decimal("100000"))  # 50×
    result = ar.score(app(far))
    assert codes(result) == {"cover_far_above_income"} and result.outcome is Outcome.REVIEW
    assert ar.score(app(InsuredRisk(1, Decimal("5000000")))).hits == ()  # income unknown: no rule


def test_applying_soon_after_a_diagnosis() -> None:
    assert codes(ar.score(app(InsuredRisk(1, Decimal("1"), days_since_diagnosis=30)))) == {"recent_diagnosis"}
    assert ar.score(app(InsuredRisk(1, Decimal("1"), days_since_diagnosis=181))).hits == ()


def test_undeclared_cover_elsewhere() -> None:
    hidden = InsuredRisk(1, Decimal("1"), declared_other_cover=False, known_other_cover=True)
    assert codes(ar.score(app(hidden))) == {"undeclared_other_cover"}
    declared = InsuredRisk(1, Decimal("1"), declared_other_cover=True, known_other_cover=True)
    assert ar.score(app(declared)).hits == ()


def test_identifiers_shared_across_unrelated_households() -> None:
    one = ar.score(app(shared=(SharedIdentifier("account", 1), SharedIdentifier("phone", 0))))
    assert codes(one) == {"shared_account"} and one.points == 25 and one.outcome is Outcome.PASS
    many = ar.score(app(shared=(SharedIdentifier("account", 3), SharedIdentifier("phone", 3))))
    assert many.points == 70 and many.outcome is Outcome.INTERCEPT


def test_agent_with_a_high_share_of_early_claims() -> None:
    assert codes(ar.score(app(agent=AgentRecord(policies=20, early_claims=5)))) == {"agent_early_claims"}
    assert ar.score(app(agent=AgentRecord(policies=20, early_claims=3))).hits == ()
    assert ar.score(app(agent=AgentRecord(policies=5, early_claims=5))).hits == ()  # too few to judge


def test_a_network_partner_is_judged_on_its_quality_figures_against_the_partner_threshold() -> None:
    """Issue 13's agent rule fed by the partner's quality figures (issue 15): policies sold and of them with a claim
    within two policy years, above the partner early-claim threshold (10%) — the reason names the partner."""
    over = AgentRecord(policies=20, early_claims=3, partner_name="李敏", limit=Decimal("0.10"))
    hit = ar.score(app(agent=over)).hits
    assert [h.code for h in hit] == ["agent_early_claims"] and hit[0].points == 20
    assert "销售合伙人李敏" in hit[0].text_zh and "15%" in hit[0].text_zh and "10%" in hit[0].text_zh
    # 3 in 20 (15%) is under the generic 20% first-year share but over the partner threshold; 2 in 20 (10%) is not
    # above it; fewer than 10 policies are too few to judge
    assert ar.score(app(agent=AgentRecord(policies=20, early_claims=3))).hits == ()
    assert ar.score(app(agent=AgentRecord(20, 2, "李敏", Decimal("0.10")))).hits == ()
    assert ar.score(app(agent=AgentRecord(9, 9, "李敏", Decimal("0.10")))).hits == ()


def test_outcome_bands_and_cap() -> None:
    worst = app(
        InsuredRisk(1, Decimal("5000000"), annual_income=Decimal("10000"), days_since_diagnosis=10),
        recent_applications=6,
        shared=(SharedIdentifier("account", 4),),
    )
    result = ar.score(worst)
    assert result.points == 100 and result.outcome is Outcome.INTERCEPT
    assert all(h.text_zh and h.text_en for h in result.hits)


def claim(**kw: object) -> cr.ClaimRisk:
    base: dict[str, object] = {"claimed": Decimal("800"), "days_since_start": 400}
    base.update(kw)
    return cr.ClaimRisk(**base)  # type: ignore[arg-type]


def claim_codes(f: cr.ClaimRisk) -> set[str]:
    return {h.code for h in cr.hits(f)}


def test_claim_rules_each() -> None:
    assert cr.hits(claim()) == []
    assert claim_codes(claim(days_since_start=45)) == {"early_claim"}
    assert claim_codes(claim(days_since_start=150)) == {"fairly_early_claim"}
    assert claim_codes(claim(insured_claims_12m=4)) == {"frequent_claims"}
    assert claim_codes(claim(household_claims_12m=8)) == {"frequent_household_claims"}
    assert claim_codes(claim(claimed=Decimal("30000"), annual_income=Decimal("50000"))) == {"amount_above_income"}
    assert claim_codes(claim(claimed=Decimal("17000"), sum_assured=Decimal("20000"))) == {"amount_near_cover"}
    assert claim_codes(claim(duplicate_invoices_elsewhere=1)) == {"duplicate_invoice_other_household"}
    assert claim_codes(claim(hospital_claims=25, hospital_fraud_share=0.2)) == {"unusual_hospital"}
    assert claim_codes(claim(hospital_claims=25, hospital_amount_ratio=3.5)) == {"unusual_hospital"}
    assert cr.hits(claim(hospital_claims=5, hospital_fraud_share=0.9)) == []  # too few claims to judge a hospital
    assert claim_codes(claim(report_delay_days=400)) == {"late_report"}


def test_claim_rule_score_against_the_straight_through_limit() -> None:
    """The claims engine refers a claim whose score is above ``max_fast_pay_risk`` (0.5)."""
    early, _ = cr.rule_score(claim(days_since_start=45))
    assert early == 0.25
    duplicate, _ = cr.rule_score(claim(duplicate_invoices_elsewhere=2))
    assert duplicate > 0.5
    stacked, _ = cr.rule_score(
        claim(days_since_start=10, insured_claims_12m=5, claimed=Decimal("40000"), annual_income=Decimal("50000"))
    )
    assert stacked == 0.7


def test_features_follow_the_declared_order() -> None:
    row = cr.features(claim(days_since_start=45, proxy=True, claimed=Decimal("999")))
    assert len(row) == len(cr.FEATURES)
    named = dict(zip(cr.FEATURES, row, strict=True))
    assert named["early_claim"] == 1.0 and named["proxy"] == 1.0 and named["log_amount"] == 3.0
