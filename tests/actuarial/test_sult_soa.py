"""Life contingencies against the Standard Ultimate Life Table (SULT) and SOA FAM-L sample questions.

SULT: Makeham μ_x = 0.00022 + 2.7e-6·1.124^x, i = 5% (AMLCR 3rd ed. p.82; SOA FAM-L tables). Sample questions:
SOA *Exam FAM-L Sample Questions* (2022), answers from the SOA *Sample Solutions*. Each test names its question
and asserts the published answer at the precision the answer is printed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from jiabao.actuarial import cashflows as cf
from jiabao.actuarial import contingencies as lc
from jiabao.actuarial.pricing import gross_premium, loading_matrix
from jiabao.actuarial.reserves import fpt_reserve
from jiabao.actuarial.tables import rates_by_policy_year


def q_from(qx: np.ndarray, x: int, years: int | None = None) -> np.ndarray:
    return rates_by_policy_year(qx, np.array([x]), years or len(qx) - x, 1.0)


def components(qx: np.ndarray, x: int, *, cover: int, pay: int, i: float) -> tuple[cf.Components, cf.Exposure]:
    q = q_from(qx, x, cover)
    t = np.arange(cover)[None, :]
    exposure = cf.Exposure(
        q=q,
        other_death=q,
        trigger=np.zeros_like(q),
        ages=x + t,
        cover=np.ones_like(q),
        pay=(t < pay).astype(float),
        interest=i,
    )
    dens = cf.densities(exposure)
    return cf.empty_components(dens, exposure), exposure


def test_sult_table_matches_computed_file(sult_qx: np.ndarray, tables_dir: Path) -> None:
    """ä_x, A_x, ²A_x and ₂₀E_x for ages 20–100 agree with the computed SULT file (8 decimals printed)."""
    rows = list(csv.DictReader((tables_dir / "sult_standard_ultimate_i5_computed.csv").open()))
    ages = np.array([int(r["age"]) for r in rows])
    q = rates_by_policy_year(sult_qx, ages, 121, 1.0)
    assert np.allclose(lc.annuity_due(q, 0.05), [float(r["adue"]) for r in rows], atol=1e-7)
    assert np.allclose(lc.assurance(q, 0.05), [float(r["Ax"]) for r in rows], atol=1e-7)
    assert np.allclose(lc.assurance(q, 1.05**2 - 1), [float(r["A2x"]) for r in rows], atol=1e-7)
    assert np.allclose(lc.pure_endowment(q, 0.05, 20), [float(r["E20"]) for r in rows], atol=1e-7)


@pytest.mark.parametrize(
    ("x", "adue", "ax"),
    [(20, 19.9664, 0.04922), (50, 17.0245, 0.18931), (60, 14.9041, 0.29028), (65, 13.5498, 0.35477)],
)
def test_sult_printed_values(sult_qx: np.ndarray, x: int, adue: float, ax: float) -> None:
    """SULT rows as printed (ä_x to 4 d.p., A_x to 5 d.p.)."""
    q = q_from(sult_qx, x)
    assert round(float(lc.annuity_due(q, 0.05)[0]), 4) == adue
    assert round(float(lc.assurance(q, 0.05)[0]), 5) == ax


def test_sq_6_43_temporary_annuity_and_gross_premium(sult_qx: np.ndarray) -> None:
    """SQ 6.43: ä_{30:5} = 4.5431 (given); 10-year term 200,000, premiums 5 years, 35%/15% of premium,
    8 then 4 a year per policy for 10 years → G = 170 (C; the answer choices are 10 apart)."""
    q = q_from(sult_qx, 30)
    assert round(float(lc.annuity_due(q, 0.05, term=5)[0]), 4) == 4.5431
    comp, exposure = components(sult_qx, 30, cover=10, pay=5, i=0.05)
    cf.add_death_benefit(
        comp,
        cf.densities(exposure),
        exposure,
        sa_multiple=1.0,
        premium_multiple=0.0,
        healthy_only=False,
        end_of_year=True,
    )
    loadings = loading_matrix([0.35, 0.15], comp.premium.shape)
    expenses = comp.in_force * np.where(np.arange(10) == 0, 8.0, 4.0)
    g = gross_premium(comp, loadings, sum_assured=200_000, per_policy_expenses=expenses)[0]
    assert round(g, -1) == 170
    assert 165 < g < 175


def test_sq_4_6_term_assurance_adjusted_mortality(sult_qx: np.ndarray) -> None:
    """SQ 4.6: q_{70+k} = 0.95^k·q^{SULT}_{70+k}, 3-year term 1000 at 5% → 29.85 (B)."""
    q = q_from(sult_qx, 70, 3) * 0.95 ** np.arange(3)
    assert round(1000 * float(lc.assurance(q, 0.05, term=3)[0]), 2) == 29.85


def test_sq_4_8_first_year_interest(sult_qx: np.ndarray) -> None:
    """SQ 4.8: i = 4% in year 1, 5% after; 1000·A_50 → 191 (C)."""
    q50, a51 = sult_qx[50], float(lc.assurance(q_from(sult_qx, 51), 0.05)[0])
    assert round(1000 * (q50 + (1 - q50) * a51) / 1.04) == 191


def test_sq_6_1_return_of_premium(sult_qx: np.ndarray) -> None:
    """SQ 6.1: 2-year term 1000 at 80, i = 3%, premiums refunded without interest on death → P = 35.36 (D)."""
    q = q_from(sult_qx, 80, 2)
    direct = (
        1000
        * lc.assurance(q, 0.03, term=2)
        / (lc.annuity_due(q, 0.03, term=2) - lc.assurance(q, 0.03, term=2, increasing=True))
    )
    assert round(float(direct[0]), 2) == 35.36
    comp, exposure = components(sult_qx, 80, cover=2, pay=2, i=0.03)
    cf.add_death_benefit(
        comp,
        cf.densities(exposure),
        exposure,
        sa_multiple=1.0,
        premium_multiple=1.0,
        healthy_only=False,
        end_of_year=True,
    )
    blocks = gross_premium(comp, np.zeros_like(comp.premium), sum_assured=1000)
    assert round(float(blocks[0]), 2) == 35.36


def test_sq_6_22_monthly_premiums_udd(sult_qx: np.ndarray) -> None:
    """SQ 6.22: WL 100,000 at 45 paid at death, monthly premiums for 20 years, UDD → monthly 102 (D)."""
    q = q_from(sult_qx, 45)
    a_bar = lc.assurance(q, 0.05, timing=lc.Timing.IMMEDIATE_UDD)
    a12 = lc.annuity_due(q, 0.05, term=20, frequency=12)
    assert round(float(100_000 * a_bar[0] / (12 * a12[0]))) == 102


def test_sq_6_14_reduced_premiums(sult_qx: np.ndarray) -> None:
    """SQ 6.14: WL 100,000 at 40; premium P for 10 years then P/2 for 10 years → P = 1150 (D), to 3 s.f."""
    q = q_from(sult_qx, 40)
    annuity = lc.annuity_due(q, 0.05, term=10) + 0.5 * lc.annuity_due(q, 0.05, deferral=10, term=10)
    p = float(100_000 * lc.assurance(q, 0.05)[0] / annuity[0])
    assert round(p, -1) == 1150


def test_sq_7_24_net_premium(sult_qx: np.ndarray) -> None:
    """SQ 7.24: 11,800 − net premium of WL 1,000,000 at 50 = 680 (D)."""
    q = q_from(sult_qx, 50)
    p = 1_000_000 * lc.assurance(q, 0.05)[0] / lc.annuity_due(q, 0.05)[0]
    assert round(float(11_800 - p), -1) == 680


def test_sq_7_13_fpt_reserve(sult_qx: np.ndarray) -> None:
    """SQ 7.13: FPT reserve at t = 10 of a 30-year endowment 1000 at 40 → 180 (A)."""
    comp, exposure = components(sult_qx, 40, cover=30, pay=30, i=0.05)
    dens = cf.densities(exposure)
    cf.add_death_benefit(
        comp, dens, exposure, sa_multiple=1.0, premium_multiple=0.0, healthy_only=False, end_of_year=True
    )
    cf.add_maturity_benefit(comp, dens, exposure, sa_multiple=1.0, premium_multiple=0.0)
    reserve = fpt_reserve(comp, sum_assured=1000.0, gross=np.zeros(1))
    assert round(float(reserve[0, 10])) == 180
    assert reserve[0, 0] == 0.0
    assert abs(reserve[0, 1]) < 1e-12


def test_sq_6_35_premium_loadings(sult_qx: np.ndarray) -> None:
    """SQ 6.35: WL 100,000 at 35, expenses 19% of the first premium and 4% of renewals → 530 (D)."""
    comp, exposure = components(sult_qx, 35, cover=106, pay=106, i=0.05)
    cf.add_death_benefit(
        comp,
        cf.densities(exposure),
        exposure,
        sa_multiple=1.0,
        premium_multiple=0.0,
        healthy_only=False,
        end_of_year=True,
    )
    p = gross_premium(comp, loading_matrix([0.19, 0.04], comp.premium.shape), sum_assured=100_000)
    assert round(float(p[0]), -1) == 530


def test_sq_6_47_deferred_annuity_premium(sult_qx: np.ndarray) -> None:
    """SQ 6.47: at 70, 10 premiums for 100,000 a year from 80; 75% first-year and 5% renewal loadings → 66,400."""
    comp, exposure = components(sult_qx, 70, cover=71, pay=10, i=0.05)
    cf.add_survival_benefit(comp, cf.densities(exposure), exposure, multiple=1.0, from_age=80, to_age=200)
    p = gross_premium(comp, loading_matrix([0.75, 0.05], comp.premium.shape), sum_assured=100_000)
    assert round(float(p[0]), -2) == 66_400


def test_monthly_annuity_udd_identity(sult_qx: np.ndarray) -> None:
    """ä^{(12)}_x = α(12)ä_x − β(12) under UDD (AMLCR eq. 5.34); α(12) = 1.00020, β(12) = 0.46651 at 5% as printed
    in the SOA "Interest Functions at i = 0.05" table."""
    i = 0.05
    d, i12 = i / (1 + i), 12 * ((1 + i) ** (1 / 12) - 1)
    d12 = 12 * (1 - (1 + i) ** (-1 / 12))
    alpha, beta = i * d / (i12 * d12), (i - i12) / (i12 * d12)
    assert (round(alpha, 5), round(beta, 5)) == (1.00020, 0.46651)
    q = rates_by_policy_year(sult_qx, np.array([30, 50, 70]), 111, 1.0)
    exact = lc.annuity_due(q, i, frequency=12)
    assert np.allclose(exact, alpha * lc.annuity_due(q, i) - beta, atol=1e-12)


def test_joint_and_last_survivor(sult_qx: np.ndarray) -> None:
    """ä_{xy} + ä_{\\overline{xy}} = ä_x + ä_y for independent lives (AMLCR eq. 9.15)."""
    qx, qy = q_from(sult_qx, 60, 80), q_from(sult_qx, 55, 80)
    joint = lc.annuity_due(lc.joint_life_q(qx, qy), 0.05)
    last = lc.annuity_due_from_survival(lc.last_survivor_survival(qx, qy), 0.05)
    assert np.allclose(joint + last, lc.annuity_due(qx, 0.05) + lc.annuity_due(qy, 0.05), atol=1e-12)
    assert joint[0] < lc.annuity_due(qy, 0.05)[0] < last[0]


def test_assurance_annuity_twins_and_deferral(sult_qx: np.ndarray) -> None:
    """A_{x:n} = 1 − d·ä_{x:n}; ₙ|ä_x = ₙE_x·ä_{x+n}; increasing term > level term."""
    q = q_from(sult_qx, 40)
    d = 0.05 / 1.05
    assert np.isclose(lc.endowment_assurance(q, 0.05, 20)[0], 1 - d * lc.annuity_due(q, 0.05, term=20)[0])
    deferred = lc.annuity_due(q, 0.05, deferral=20)[0]
    assert np.isclose(deferred, lc.pure_endowment(q, 0.05, 20)[0] * lc.annuity_due(q_from(sult_qx, 60), 0.05)[0])
    assert lc.assurance(q, 0.05, term=10, increasing=True)[0] > lc.assurance(q, 0.05, term=10)[0]
    a_mid = lc.assurance(q, 0.05, timing=lc.Timing.MID_YEAR)[0]
    assert np.isclose(a_mid, lc.assurance(q, 0.05)[0] * 1.05**0.5)
