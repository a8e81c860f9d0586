"""Regression anchors on the China Life 2010-2013 tables (actuarial.md §2.2: pyliferisk and an independent loop
agree to ≤ 2e-14). Curtate, annual, death benefit at the end of the year, tables closing at 105."""

from __future__ import annotations

import numpy as np
import pytest

from jiabao.actuarial import contingencies as lc
from jiabao.actuarial.tables import MortalityKind, Sex, TableSet, rates_by_policy_year

ANCHORS = [
    # table, kind, sex, i, x, ä_x, A_x, ä_{x:20}, 20-pay WL net premium per 1000
    ("CL1", MortalityKind.NON_PENSION_I, Sex.MALE, 0.025, 30, 27.744412, 0.323307, 15.801354, 20.460716),
    ("CL1", MortalityKind.NON_PENSION_I, Sex.MALE, 0.035, 30, 23.243897, 0.213974, 14.553859, 14.702251),
    ("CL1", MortalityKind.NON_PENSION_I, Sex.MALE, 0.035, 50, 17.948207, 0.393056, 13.867664, 28.343331),
    ("CL2", MortalityKind.NON_PENSION_I, Sex.FEMALE, 0.025, 30, 29.382222, 0.283360, 15.904196, 17.816709),
    ("CL2", MortalityKind.NON_PENSION_I, Sex.FEMALE, 0.035, 50, 19.587813, 0.337610, 14.302383, 23.605172),
    ("CL5", MortalityKind.PENSION, Sex.MALE, 0.025, 50, 23.088223, 0.436873, 15.490055, 28.203425),
    ("CL6", MortalityKind.PENSION, Sex.FEMALE, 0.035, 30, 25.333479, 0.143312, 14.673076, 9.767025),
]


@pytest.mark.parametrize(("name", "kind", "sex", "i", "x", "adue", "ax", "adue20", "p20"), ANCHORS)
def test_cl_anchor(
    cl_tables: TableSet,
    name: str,
    kind: MortalityKind,
    sex: Sex,
    i: float,
    x: int,
    adue: float,
    ax: float,
    adue20: float,
    p20: float,
) -> None:
    qx = cl_tables.mortality_table(kind, sex).qx
    q = rates_by_policy_year(qx, np.array([x]), 106 - x, 1.0)
    got = (
        lc.annuity_due(q, i)[0],
        lc.assurance(q, i)[0],
        lc.annuity_due(q, i, term=20)[0],
        1000 * lc.assurance(q, i)[0] / lc.annuity_due(q, i, term=20)[0],
    )
    assert np.allclose(got, (adue, ax, adue20, p20), rtol=0, atol=5e-7), name
