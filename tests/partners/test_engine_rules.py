"""The partner network's pure rules: who may sell, the hierarchy on a date, overrides, persistency and quality
bonuses, every clawback, the 报行合一 loading cap, tax withholding and determinism of the monthly computation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from jiabao.partners.engine.eligibility import Licence, PartnerFacts, sale_refusals
from jiabao.partners.engine.hierarchy import Hierarchy, Membership
from jiabao.partners.engine.plans import loading_breaches, parse
from jiabao.partners.engine.quality import QualityCounts, figures
from jiabao.partners.engine.run import Line, PremiumEvent, QualityFacts, RunInput, YearToDate, compute
from jiabao.partners.engine.tax import withheld

D = Decimal
SOLD = date(2026, 1, 10)
REG = Licence("practice_registration", "R-1", date(2025, 1, 1), date(2027, 12, 31))
RULES = {
    "rates": {"family_ci": {20: ["0.30", "0.10", "0.05"]}},
    "overrides": {"team": ["0.05", "0.02"], "regional": ["0.02"]},
    "persistency": {"13": "0.04", "25": "0.03"},
    "quality": {"rate": "0.05", "max_complaints": 0, "max_early_claim_share": "0.10"},
    "clawback": {"cooling_off": "1", "surrender": "1", "surrender_months": 24, "rescission": "1"},
    "tax": {"method": "none"},
}
PLAN = parse(RULES, plan_id=1, version=1, effective_from=date(2025, 1, 1))
KINDS = {1: "regional", 2: "team", 3: "team", 10: "individual"}
HIER = Hierarchy(
    [Membership(2, 1, date(2024, 1, 1)), Membership(3, 1, date(2024, 1, 1)), Membership(10, 2, date(2024, 1, 1))]
)


def facts(kind: str = "individual", *licences: Licence, **kw: object) -> PartnerFacts:
    base: dict[str, object] = {
        "partner_id": 10,
        "kind": kind,
        "status": "active",
        "products": frozenset({"family_ci"}),
        "channels": frozenset({"agent"}),
        "regions": frozenset({"north"}),
        "licences": licences,
    }
    base.update(kw)
    return PartnerFacts(**base)  # type: ignore[arg-type]


def refusals(f: PartnerFacts, on: date = date(2026, 6, 1), product: str = "family_ci") -> list[tuple[str, str, int]]:
    return [
        (r.field, r.code, r.status)
        for r in sale_refusals(f, product_code=product, channel="agent", region="north", on=on)
    ]


def premium(
    ref: str, policy: int, on: date, amount: str = "10000", year: int = 1, first: bool = True, seller: int = 10
) -> PremiumEvent:
    return PremiumEvent(ref, "premium", policy, seller, "family_ci", 20, year, first, D("10000"), D(amount), on, SOLD)


def ended(kind: str, policy: int, on: date, effective: date = SOLD) -> PremiumEvent:
    return PremiumEvent(f"end:{policy}", kind, policy, 10, "family_ci", 20, 1, False, D("10000"), D(0), on, effective)


def run(events: list[PremiumEvent], month: tuple[int, int] = (2026, 6), **kw: object) -> dict[tuple[int, str], Decimal]:
    start = date(*month, 1)
    end = date(month[0] + month[1] // 12, month[1] % 12 + 1, 1).replace(day=1)
    end = date.fromordinal(end.toordinal() - 1)
    result = compute(RunInput(start, end, events, [PLAN], kw.pop("hierarchy", HIER), KINDS, **kw))  # type: ignore[arg-type]
    out: dict[tuple[int, str], Decimal] = {}
    for line in result.lines:
        out[(line.partner_id, line.kind)] = out.get((line.partner_id, line.kind), D(0)) + line.amount
    return out


# --- registrations and authorisations (保险代理人监管规定 arts. 27, 36; 互联网保险业务监管办法 art. 8) ---


def test_individual_with_a_valid_practice_registration_may_sell() -> None:
    assert refusals(facts("individual", REG)) == []


def test_individual_without_or_with_an_expired_or_revoked_registration_is_refused_409() -> None:
    """保险代理人监管规定 art. 27: a person sells only after practice registration (执业登记), while it is valid."""
    assert refusals(facts("individual")) == [("partner", "no_practice_registration", 409)]
    assert refusals(facts("individual", REG), on=date(2028, 1, 1)) == [
        ("partner", "practice_registration_expired", 409)
    ]
    revoked = Licence("practice_registration", "R-1", date(2025, 1, 1), None, revoked_on=date(2026, 3, 1))
    assert refusals(facts("individual", revoked)) == [("partner", "practice_registration_revoked", 409)]
    assert refusals(facts("individual", revoked), on=date(2026, 2, 28)) == []


def test_institution_needs_its_licence_and_the_insurers_authorisation_for_the_product() -> None:
    """保险代理人监管规定 art. 36: an agency sells only the insurer's products it is authorised (委托) to sell."""
    lic = Licence("institution_licence", "L-1", date(2024, 1, 1))
    auth = Licence(
        "insurer_authorisation", "A-1", date(2026, 1, 1), date(2026, 12, 31), products=frozenset({"family_ci"})
    )
    bank = facts("institutional", lic, auth, products=frozenset({"*"}))
    assert refusals(bank) == []
    assert refusals(facts("institutional", lic, products=frozenset({"*"}))) == [
        ("partner", "no_insurer_authorisation", 409)
    ]
    assert refusals(bank, product="whole_life") == [("product_code", "product_not_authorised", 409)]
    assert refusals(bank, on=date(2027, 1, 1)) == [("partner", "insurer_authorisation_expired", 409)]


def test_product_channel_and_region_not_granted_are_422_on_their_field() -> None:
    f = facts("individual", REG, channels=frozenset({"bank"}), regions=frozenset({"east"}))
    assert refusals(f, product="whole_life") == [
        ("product_code", "product_not_granted", 422),
        ("channel", "channel_not_granted", 422),
        ("household", "region_not_covered", 422),
    ]


def test_a_partner_who_left_may_not_sell() -> None:
    assert refusals(facts("individual", REG, status="left")) == [("partner", "partner_left", 409)]


# --- hierarchy, overrides ---


def test_overrides_go_to_the_nearest_team_and_regional_partner() -> None:
    lines = run([premium("payment:1", 100, date(2026, 6, 5))])
    assert lines == {
        (10, "first_year"): D("3000.00"),
        (2, "override"): D("500.00"),
        (1, "override"): D("200.00"),
        (10, "quality"): D("150.00"),  # 5% of the own commission: no complaints, no early claims
    }


def test_a_move_mid_month_pays_the_override_to_the_team_of_the_premium_date() -> None:
    """Dated membership: the individual moves from team 2 to team 3 on 15 June; premiums before pay team 2."""
    moved = Hierarchy(
        [
            Membership(2, 1, date(2024, 1, 1)),
            Membership(3, 1, date(2024, 1, 1)),
            Membership(10, 2, date(2024, 1, 1), date(2026, 6, 15)),
            Membership(10, 3, date(2026, 6, 15)),
        ]
    )
    lines = run(
        [premium("payment:1", 100, date(2026, 6, 14)), premium("payment:2", 101, date(2026, 6, 15))], hierarchy=moved
    )
    assert lines[(2, "override")] == D("500.00") and lines[(3, "override")] == D("500.00")
    assert lines[(1, "override")] == D("400.00")  # the region is above both teams


def test_renewal_years_use_the_plan_rates_of_that_year_and_end_after_the_list() -> None:
    lines = run([premium("payment:1", 100, date(2026, 6, 5), year=3, first=False)])
    assert lines == {(10, "renewal"): D("500.00"), (10, "quality"): D("25.00")}  # year 3: 5%; no override
    assert run([premium("payment:1", 100, date(2026, 6, 5), year=4, first=False)]) == {}


# --- persistency bonuses (继续率奖金) ---


def test_persistency_bonus_on_the_first_premium_of_year_two_and_three_only() -> None:
    y2 = run([premium("payment:1", 100, date(2026, 6, 5), year=2, first=True)])
    assert y2[(10, "persistency_13")] == D("400.00") and y2[(10, "renewal")] == D("1000.00")
    y2_later = run([premium("payment:2", 100, date(2026, 6, 5), amount="2500", year=2, first=False)])
    assert (10, "persistency_13") not in y2_later
    y3 = run([premium("payment:3", 100, date(2026, 6, 5), year=3, first=True)])
    assert y3[(10, "persistency_25")] == D("300.00") and (10, "persistency_13") not in y3


# --- clawbacks (佣金追回) ---


def test_cooling_off_cancellation_claws_back_commission_and_overrides_of_the_same_month() -> None:
    """A cooling-off cancellation (保险法 art. 15, 犹豫期) returns the premium; the plan takes back everything paid."""
    lines = run([premium("payment:1", 100, date(2026, 6, 5)), ended("cooling_off", 100, date(2026, 6, 12))])
    assert lines[(10, "clawback")] == D("-3000.00")
    assert lines[(2, "clawback")] == D("-500.00") and lines[(1, "clawback")] == D("-200.00")


def test_cooling_off_clawback_of_an_earlier_months_commission_uses_what_was_posted() -> None:
    posted = {
        100: [
            Line(10, 100, "payment:1", "first_year", D(10000), D("0.3"), D("3000.00")),
            Line(2, 100, "payment:1", "override", D(10000), D("0.05"), D("500.00")),
        ]
    }
    lines = run([ended("cooling_off", 100, date(2026, 7, 2))], month=(2026, 7), posted=posted)
    assert lines == {(10, "clawback"): D("-3000.00"), (2, "clawback"): D("-500.00")}


def test_surrender_within_the_configured_months_claws_back_and_after_it_does_not() -> None:
    posted = {100: [Line(10, 100, "payment:1", "first_year", D(10000), D("0.3"), D("3000.00"))]}
    within = run(
        [ended("surrender", 100, date(2027, 6, 5), effective=date(2026, 1, 10))], month=(2027, 6), posted=posted
    )
    assert within == {(10, "clawback"): D("-3000.00")}
    after = run(
        [ended("surrender", 100, date(2028, 1, 10), effective=date(2026, 1, 10))], month=(2028, 1), posted=posted
    )
    assert after == {}  # 24 months reached on 10 Jan 2028


def test_rescission_claws_back_at_any_time_and_a_partial_share_is_honoured() -> None:
    """保险法 art. 16: the insurer rescinds for non-disclosure; the plan claws back its rescission share."""
    rules = dict(RULES, clawback={"rescission": "0.5"})
    half = parse(rules, plan_id=2, version=2, effective_from=date(2025, 1, 1))
    posted = {100: [Line(10, 100, "payment:1", "first_year", D(10000), D("0.3"), D("3000.00"))]}
    inp = RunInput(
        date(2029, 3, 1), date(2029, 3, 31), [ended("rescission", 100, date(2029, 3, 3))], [half], HIER, KINDS, posted
    )
    assert [(ln.partner_id, ln.kind, ln.amount) for ln in compute(inp).lines] == [(10, "clawback", D("-1500.00"))]


def test_a_second_termination_event_claws_back_nothing_more() -> None:
    posted = {
        100: [
            Line(10, 100, "payment:1", "first_year", D(10000), D("0.3"), D("3000.00")),
            Line(10, 100, "end:100", "clawback", D(3000), D(1), D("-3000.00")),
        ]
    }
    assert run([ended("rescission", 100, date(2026, 8, 1))], month=(2026, 8), posted=posted) == {}


# --- quality bonus, tax, determinism ---


def test_quality_bonus_only_without_complaints_and_with_few_early_claims() -> None:
    ev = [premium("payment:1", 100, date(2026, 6, 5))]
    assert run(ev, quality={10: QualityFacts(0, D("0.05"))})[(10, "quality")] == D("150.00")
    assert (10, "quality") not in run(ev, quality={10: QualityFacts(1, D("0"))})
    assert (10, "quality") not in run(ev, quality={10: QualityFacts(0, D("0.2"))})


def test_agent_cumulative_withholding() -> None:
    """财税〔2018〕164号 item 3 / 税务总局公告2018年第61号: income × 80% less 25% 展业成本, cumulative,
    less 5,000 a month."""
    rule = parse(dict(RULES, tax={"method": "agent_cumulative"}), effective_from=date(2025, 1, 1)).tax
    # 20,000 in January: 20,000 × 0.8 × 0.75 − 5,000 = 7,000 × 3% = 210
    assert withheld(rule, "individual", month_gross=D(20000), prior_gross=D(0), prior_tax=D(0), months=1) == D("210.00")
    # February another 80,000: 100,000 × 0.6 − 10,000 = 50,000 → 50,000 × 10% − 2,520 = 2,480; less 210 = 2,270
    assert withheld(rule, "individual", month_gross=D(80000), prior_gross=D(20000), prior_tax=D("210"), months=2) == D(
        "2270.00"
    )
    assert withheld(rule, "institutional", month_gross=D(80000), prior_gross=D(0), prior_tax=D(0), months=1) == D(0)


def test_a_negative_month_is_carried_forward_and_tax_never_negative() -> None:
    plan = parse(dict(RULES, tax={"method": "agent_cumulative"}), plan_id=1, effective_from=date(2025, 1, 1))
    posted = {100: [Line(10, 100, "payment:1", "first_year", D(10000), D("0.3"), D("3000.00"))]}
    inp = RunInput(
        date(2026, 7, 1),
        date(2026, 7, 31),
        [ended("cooling_off", 100, date(2026, 7, 2))],
        [plan],
        HIER,
        KINDS,
        posted,
        year_to_date={10: YearToDate(D(3000), D(0), 1)},
    )
    st = compute(inp).statements[10]
    assert (st.gross, st.tax, st.net, st.payable) == (D("-3000.00"), D(0), D("-3000.00"), D(0))


def test_the_same_input_gives_the_same_lines_whatever_the_event_order() -> None:
    ev = [premium(f"payment:{i}", 100 + i, date(2026, 6, 1 + i % 28), amount=str(1000 + i)) for i in range(50)]
    ev.append(ended("cooling_off", 105, date(2026, 6, 29)))
    a = compute(RunInput(date(2026, 6, 1), date(2026, 6, 30), ev, [PLAN], HIER, KINDS)).lines
    b = compute(RunInput(date(2026, 6, 1), date(2026, 6, 30), list(reversed(ev)), [PLAN], HIER, KINDS)).lines
    assert a == b and len(a) > 100


# --- 报行合一: the plan never pays more than the filed expense loading ---

FAMILY_CI = {"family_ci": {20: [D("0.70"), D("0.40"), D("0.25"), D("0.15"), D("0.10"), D("0.05")]}}


def test_a_plan_within_the_filed_loading_passes() -> None:
    """family_ci.yaml files loadings [0.70, 0.40, 0.25, …] for the 20-year term; the plan pays at most
    y1 0.30×1.05+0.05+0.02 = 0.385, y2 0.10×1.05+0.02+0.04 = 0.165, y3 0.05×1.05+0.03 = 0.0825."""
    assert loading_breaches(PLAN, FAMILY_CI) == []


def test_a_plan_paying_more_than_the_filed_loading_is_a_breach() -> None:
    """报行合一 (银保监办发〔2023〕5号): commission beyond the filed expense loading is refused."""
    rich = parse(
        dict(
            RULES,
            rates={"family_ci": {20: ["0.30", "0.10", "0.05", "0.04", "0.04", "0.04", "0.06"]}},
            persistency={"13": "0.30"},
        ),
        effective_from=date(2025, 1, 1),
    )
    breaches = [(b.field, b.paid, b.loading) for b in loading_breaches(rich, FAMILY_CI)]
    assert breaches == [
        ("rates.family_ci.20.2", D("0.4250"), D("0.40")),
        ("rates.family_ci.20.7", D("0.0630"), D("0.05")),
    ]


def test_a_term_or_product_the_pricing_does_not_file_may_pay_nothing() -> None:
    plan = parse(dict(RULES, rates={"family_ci": {10: ["0.10"]}}), effective_from=date(2025, 1, 1))
    assert [b.field for b in loading_breaches(plan, FAMILY_CI)][:1] == ["rates.family_ci.10.1"]


def test_a_product_or_term_the_plan_does_not_list_earns_no_override_or_bonus_either() -> None:
    """The loading check covers the products and terms the plan lists; a premium of any other pays nothing under
    it — no override or persistency bonus slipping past 报行合一."""
    other = PremiumEvent("payment:9", "premium", 109, 10, "whole_life", 20, 2, True, D("10000"), D("10000"),
                         date(2026, 6, 5), SOLD)  # fmt: skip
    ten_years = PremiumEvent("payment:8", "premium", 108, 10, "family_ci", 10, 1, True, D("10000"), D("10000"),
                             date(2026, 6, 5), SOLD)  # fmt: skip
    assert run([other, ten_years]) == {}
    assert run([premium("payment:1", 100, date(2026, 6, 5))])[(2, "override")] == D("500.00")


def test_flat_withholding_and_whom_the_rule_applies_to_are_the_plans() -> None:
    """Tax withholding is a rule of the plan: ``flat`` withholds a share of a positive month, ``applies_to`` names
    the kinds it applies to (institutions invoice by default), ``none`` withholds nothing."""
    flat = parse(dict(RULES, tax={"method": "flat", "rate": "0.20", "applies_to": ["individual", "institutional"]}),
                 effective_from=date(2025, 1, 1)).tax  # fmt: skip
    kw = {"prior_gross": D(0), "prior_tax": D(0), "months": 1}
    assert withheld(flat, "individual", month_gross=D("3000.00"), **kw) == D("600.00")  # type: ignore[arg-type]
    assert withheld(flat, "institutional", month_gross=D("1234.56"), **kw) == D("246.91")  # type: ignore[arg-type]
    assert withheld(flat, "team", month_gross=D("3000.00"), **kw) == D(0)  # type: ignore[arg-type]
    assert withheld(flat, "individual", month_gross=D("-500.00"), **kw) == D(0)  # type: ignore[arg-type]
    none = parse(dict(RULES, tax={"method": "none"}), effective_from=date(2025, 1, 1)).tax
    assert withheld(none, "individual", month_gross=D("3000.00"), **kw) == D(0)  # type: ignore[arg-type]
    flat_rules = dict(RULES, quality={"rate": "0"}, tax={"method": "flat", "rate": "0.10"})
    flat_plan = parse(flat_rules, plan_id=1, effective_from=date(2025, 1, 1))
    result = compute(RunInput(date(2026, 6, 1), date(2026, 6, 30), [premium("payment:1", 100, date(2026, 6, 5))],
                              [flat_plan], HIER, KINDS))  # fmt: skip
    taxes = {line.partner_id: line.amount for line in result.lines if line.kind == "tax"}
    assert taxes == {10: D("-300.00"), 2: D("-50.00"), 1: D("-20.00")}
    assert result.statements[10].net == D("2700.00")


# --- quality thresholds ---


def test_quality_thresholds_put_a_partner_under_review() -> None:
    good = figures(
        QualityCounts(
            due_13=100,
            kept_13=90,
            due_25=50,
            kept_25=45,
            policies_sold=200,
            early_claims=4,
            in_force=180,
            complaints=0,
            return_visits=100,
            return_visit_failures=2,
        )
    )
    assert not good.under_review and good.persistency_13 == D("0.9")
    bad = figures(
        QualityCounts(
            due_13=100,
            kept_13=70,
            policies_sold=100,
            early_claims=15,
            in_force=100,
            complaints=1,
            return_visits=10,
            return_visit_failures=3,
            mis_selling=1,
        )
    )
    assert bad.reasons == ("persistency_13", "early_claims", "complaints", "return_visits", "mis_selling")
