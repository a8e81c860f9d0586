"""The data a valuation shard carries: assumption set, insured lines, the shard, its result (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from jiabao.actuarial.curves import YieldCurve
from jiabao.actuarial.tables import TableSet
from jiabao.products.schema import Product

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
RESULT_FIELDS = ("statutory", "pvr", "cash_value", "bel", "ra", "fcf0")
HORIZON_MONTHS = 106 * 12 + 1


@dataclass(frozen=True)
class AssumptionSet:
    """Best-estimate assumptions of one valuation (versioned: every run records the version it used)."""

    version: str
    curve: YieldCurve
    mortality_multiplier: float = 0.90
    incidence_multiplier: float = 0.95
    lapse_by_year: tuple[float, ...] = (0.08, 0.06, 0.05, 0.04, 0.03, 0.02)
    commission_by_year: tuple[float, ...] = (0.30, 0.10, 0.05, 0.0)
    acquisition_per_policy: float = 150.0
    maintenance_per_year: float = 36.0
    inflation: float = 0.02
    claim_expense_ratio: float = 0.01
    ra_stress: float = 0.10

    def parameters(self) -> dict[str, object]:
        """Everything but the curve's arrays, for the stored assumption set."""
        return {
            "mortality_multiplier": self.mortality_multiplier,
            "incidence_multiplier": self.incidence_multiplier,
            "lapse_by_year": list(self.lapse_by_year),
            "commission_by_year": list(self.commission_by_year),
            "acquisition_per_policy": self.acquisition_per_policy,
            "maintenance_per_year": self.maintenance_per_year,
            "inflation": self.inflation,
            "claim_expense_ratio": self.claim_expense_ratio,
            "ra_stress": self.ra_stress,
            "curve": {"name": self.curve.name, "step": self.curve.step, "forwards": self.curve.forwards.tolist()},
        }


@dataclass(frozen=True)
class Lines:
    """Insured lines of one product, one row each (arrays of equal length)."""

    policy_id: IntArray
    cohort: IntArray  # issue year
    issue_age: IntArray
    sex: NDArray[np.str_]
    elapsed_months: IntArray  # whole months from the effective date to the valuation date
    payment_term: IntArray
    cover_years: IntArray
    per_year: IntArray  # instalments a year
    sum_assured: FloatArray
    annual_premium: FloatArray
    modal_ratio: FloatArray  # instalment / annual premium of the policy (market modal factors)

    def __len__(self) -> int:
        return len(self.policy_id)

    def take(self, rows: NDArray[np.bool_] | IntArray) -> Lines:
        return Lines(**{name: getattr(self, name)[rows] for name in self.__dataclass_fields__})


@dataclass(frozen=True)
class Shard:
    """What a worker needs: lines by product code, the products, their table sets and the assumptions."""

    lines: dict[str, Lines]
    products: dict[str, Product]
    tables: dict[str, TableSet]
    assumptions: AssumptionSet


@dataclass
class ShardResult:
    """Per insured line (``policy_id``, ``product``, ``cohort``, the six amounts) and the book's expected net
    cash flow by month from the valuation date, per product (for the scenario runs)."""

    policy_id: IntArray
    product: NDArray[np.str_]
    cohort: IntArray
    amounts: dict[str, FloatArray]
    net_cash_flow: dict[str, FloatArray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.policy_id)
