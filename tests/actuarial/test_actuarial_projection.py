"""The monthly term projection against independent closed forms on a small synthetic basis."""

from __future__ import annotations

import numpy as np

from jiabao.actuarial.projection import TermProjectionBasis, in_force, lapse_rates_basicterm, project_term


def basis(lapse: float = 0.0, **kw: float) -> TermProjectionBasis:
    ages = np.arange(18, 121)
    mortality = np.minimum(0.0005 * 1.09 ** (ages - 18), 1.0)[:, None] * np.array([0.8, 0.9, 1.0])[None, :]
    return TermProjectionBasis(
        mortality=mortality,
        mortality_min_age=18,
        annual_spot_rates=np.full(60, 0.03),
        lapse_by_duration=np.array([lapse]),
        **kw,
    )


def test_in_force_closed_form() -> None:
    """Without lapses pols_if at month 12k is Π_{s<k}(1 − q_s) (constant force within the year), 0 at maturity."""
    b = basis()
    pols, q_month = in_force(b, np.array([40]), np.array([5]), 61)
    annual = b.mortality[40 - 18 + np.arange(5), np.minimum(np.arange(5), 2)]
    assert np.allclose(pols[0, [12, 24, 36, 48]], np.cumprod(1 - annual)[:4])
    assert pols[0, 60] == 0.0 and np.isclose(q_month[0, 0], 1 - (1 - annual[0]) ** (1 / 12))


def test_pv_claims_is_monthly_term_assurance() -> None:
    """PV claims = SA·Σ_t v^{t/12} ₜp q^{(12)}_t; no loading → break even; commission = year-1 premiums."""
    b = basis(
        lapse=0.05, premium_loading=0.0, expense_acquisition=0.0, expense_maintenance=0.0, first_year_commission=0.0
    )
    res = project_term(
        b, age_at_entry=np.array([30, 50]), policy_term=np.array([10, 20]), sum_assured=np.array([100_000.0, 200_000.0])
    )
    pols, q = in_force(b, np.array([30, 50]), np.array([10, 20]), 241)
    disc = (1.03 ** (1 / 12)) ** -np.arange(241)
    assert np.allclose(res.pv_claims, np.array([100_000.0, 200_000.0]) * ((pols * q) @ disc))
    assert np.allclose(res.pv_net_cf, 0.0, atol=0.01 * (pols @ disc).max())
    with_commission = project_term(
        basis(lapse=0.05), age_at_entry=np.array([30]), policy_term=np.array([10]), sum_assured=np.array([100_000.0])
    )
    assert np.isclose(
        with_commission.pv_commissions[0], with_commission.premium_pp[0] * (pols[0, :12] @ disc[:12]), rtol=1e-12
    )


def test_lapse_assumption() -> None:
    assert np.allclose(lapse_rates_basicterm(6), [0.1, 0.08, 0.06, 0.04, 0.02, 0.02])


def test_monthly_cash_flow_arrays_discount_to_the_present_values() -> None:
    """The full monthly arrays (premiums, claims, expenses, commissions) discount to exactly project_term's PVs;
    commissions are the premiums of the first 12 months; nothing is paid after maturity."""
    from jiabao.actuarial.projection import project_term_cashflows

    mortality = np.minimum(0.0005 * np.exp(0.08 * np.arange(100))[:, None] * np.ones((1, 6)), 1.0)
    basis = TermProjectionBasis(mortality, 18, np.linspace(0.02, 0.04, 30), lapse_rates_basicterm(21))
    rng = np.random.default_rng(0)
    ages, terms = rng.integers(20, 60, 300), rng.choice([10, 15, 20], 300)
    sa = rng.integers(1, 10, 300) * 100_000.0
    pv = project_term(basis, age_at_entry=ages, policy_term=terms, sum_assured=sa)
    flows = project_term_cashflows(basis, age_at_entry=ages, policy_term=terms, sum_assured=sa)
    again = flows.present_values()
    for name in ("pv_premiums", "pv_claims", "pv_expenses", "pv_commissions"):
        assert np.allclose(getattr(again, name), getattr(pv, name), rtol=1e-12)
    assert np.allclose(flows.commissions[:, :12], flows.premiums[:, :12]) and not flows.commissions[:, 12:].any()
    after = np.arange(flows.premiums.shape[1])[None, :] >= 12 * terms[:, None]
    assert not flows.premiums[after].any() and not flows.claims[after].any()
    assert np.isclose(flows.by_month()["Net Cashflow"] @ flows.discount, pv.pv_net_cf.sum(), rtol=1e-12)
