"""Household-level benefits of a family CI policy (同心保型): spouse joint benefit and whole-family waiver.

All members of one family policy form one batch (same cover years and payment term), so the cross-member terms
are whole-array operations over that batch. Member k's probability of no severe CI by the start of year t is
g_k(t) = Π_{s<t} (1 − i_k(s)); deaths of *other* members are ignored for these triggers (prudent: it slightly
overstates the chance that another member is diagnosed).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from jiabao.actuarial import cashflows as cf
from jiabao.actuarial.contingencies import survival
from jiabao.actuarial.curves import as_curve

FloatArray = NDArray[np.float64]


def family_blocks(*, spouse_of: list[int], joint_multiple: float, family_waiver: bool) -> cf.ExtraBlocks:
    """Builder adding, per member j of the batch:

    * spouse joint benefit (夫妻同心金), per unit SA: Σ_t h_j(t)·g_s(t)·i_j(t)·v^{t+½}·m, paid when j is the first
      of the couple (j, s) diagnosed; ``spouse_of[j]`` is s's row or −1;
    * family waiver, per unit premium: Σ_t h_j(t)·(G_j(t) − G_j(t+1))·v^{t+½}·ä^{after}_j(t), with
      G_j = Π_{k≠j} g_k (first diagnosis among the others) and ä^{after}_j(t) the value at mid-year t of j's
      premiums after year t, Σ_{s>t} D_s pay_s / D_t·v(t)/v(t+½) (j's own diagnosis is the product's own waiver).
    """

    def build(comp: cf.Components, exposure: cf.Exposure) -> None:
        dens = cf.densities(exposure)
        n = exposure.q.shape[1]
        g = survival(exposure.trigger)  # (members, n+1)
        mid = as_curve(exposure.interest).discount(np.arange(n) + 0.5)
        if joint_multiple > 0:
            partner = np.asarray(spouse_of)
            has = partner >= 0
            g_partner = np.where(has[:, None], g[np.maximum(partner, 0), :n], 0.0)
            comp.sa += joint_multiple * dens.healthy[:, :n] * g_partner * exposure.trigger * mid
        if family_waiver and len(spouse_of) > 1:
            with np.errstate(divide="ignore", invalid="ignore"):
                others = np.prod(g, axis=0, keepdims=True) / g
                later = cf.reverse_cumsum(comp.premium) - comp.premium
                after = np.where(dens.d_start > 0, later / dens.d_start, 0.0) * dens.half_year
            first_other = others[:, :n] - others[:, 1:]
            comp.premium_linked += dens.healthy[:, :n] * first_other * mid * after * exposure.cover

    return build
