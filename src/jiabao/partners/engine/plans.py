"""Commission plans (佣金方案), versioned and dated, and the 报行合一 check at approval.

A plan is a mapping (stored as JSON, written in YAML by people):

```yaml
rates:            # product → payment term → rate of premium by policy year [y1, y2, …]; years beyond the list pay 0
  family_ci: {20: ["0.30", "0.10", "0.08", "0.05", "0.05"]}
overrides:        # nearest upline partner of that kind → rate of premium by policy year
  team: ["0.05", "0.02"]
  regional: ["0.02"]
persistency: {"13": "0.04", "25": "0.03"}   # × the first-year annual premium, on the first premium of year 2 / 3
quality: {rate: "0.05", max_complaints: 0, max_early_claim_share: "0.10"}  # × the month's own commission
clawback: {cooling_off: "1", surrender: "1", surrender_months: 24, rescission: "1"}
tax: {method: agent_cumulative}             # or {method: flat, rate: "0.20"} or {method: none}
```

报行合一 (监管 notice 银保监办发〔2023〕5号 and the 2024 报行合一 requirements on personal insurance): the
commission actually paid may not exceed the expense loading the product's pricing filed. ``loading_breaches``
checks, for every product, payment term and policy year of the plan, that own commission × (1 + quality rate)
+ every override + the persistency bonus paid in that year (13th month in year 2, 25th in year 3) stays within the
filed loading of that year. A plan that breaches it is refused at approval.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

ONE = Decimal(1)
ZERO = Decimal(0)
CLAWBACK_KINDS = ("cooling_off", "surrender", "rescission")


class PlanError(ValueError):
    """A plan that does not parse; ``field`` is the dotted path of the bad entry."""

    def __init__(self, field: str, message_zh: str, message_en: str) -> None:
        super().__init__(f"{field}: {message_en}")
        self.field, self.message_zh, self.message_en = field, message_zh, message_en


def _rate(value: Any, where: str) -> Decimal:
    if isinstance(value, float):
        value = str(value)
    try:
        rate = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise PlanError(where, "比例格式有误", "not a rate") from exc
    if not rate.is_finite() or rate < 0 or rate > 1:
        raise PlanError(where, "比例须在0到1之间", "a rate must be between 0 and 1")
    return rate


def _rates(values: Any, where: str) -> tuple[Decimal, ...]:
    if not isinstance(values, list | tuple) or not values:
        raise PlanError(where, "须列出各保单年度的比例", "list the rate of each policy year")
    return tuple(_rate(v, f"{where}.{i + 1}") for i, v in enumerate(values))


@dataclass(frozen=True, slots=True)
class Quality:
    rate: Decimal = ZERO
    max_complaints: int = 0
    max_early_claim_share: Decimal = Decimal("0.10")


@dataclass(frozen=True, slots=True)
class Clawback:
    cooling_off: Decimal = ONE
    surrender: Decimal = ONE
    surrender_months: int = 24
    rescission: Decimal = ONE


@dataclass(frozen=True, slots=True)
class TaxRule:
    method: str = "agent_cumulative"  # agent_cumulative | flat | none
    rate: Decimal = ZERO
    applies_to: frozenset[str] = frozenset({"individual", "team", "regional"})


@dataclass(frozen=True, slots=True)
class Plan:
    plan_id: int
    version: int
    effective_from: date
    rates: Mapping[str, Mapping[int, tuple[Decimal, ...]]]
    overrides: Mapping[str, tuple[Decimal, ...]] = field(default_factory=dict)
    persistency: Mapping[int, Decimal] = field(default_factory=dict)
    quality: Quality = Quality()
    clawback: Clawback = Clawback()
    tax: TaxRule = TaxRule()

    def covers(self, product: str, term: int) -> bool:
        """The plan lists rates for this product and payment term: only then does it pay anything on its premiums
        (own commission, overrides, persistency) — exactly what :func:`loading_breaches` checks against the
        filed loading."""
        return term in self.rates.get(product, {})

    def rate(self, product: str, term: int, year: int) -> Decimal:
        by_year = self.rates.get(product, {}).get(term, ())
        return by_year[year - 1] if 1 <= year <= len(by_year) else ZERO

    def override(self, kind: str, year: int) -> Decimal:
        by_year = self.overrides.get(kind, ())
        return by_year[year - 1] if 1 <= year <= len(by_year) else ZERO


def parse(rules: Mapping[str, Any], *, plan_id: int = 0, version: int = 1, effective_from: date) -> Plan:
    """Build a plan from its stored mapping; a bad entry raises :class:`PlanError` naming it."""
    unknown = set(rules) - {"rates", "overrides", "persistency", "quality", "clawback", "tax"}
    if unknown:
        name = sorted(unknown)[0]
        raise PlanError(name, "未知的方案项", "unknown plan entry")
    raw_rates = rules.get("rates")
    if not isinstance(raw_rates, Mapping) or not raw_rates:
        raise PlanError("rates", "须列出各产品的佣金比例", "list the commission rates per product")
    rates: dict[str, dict[int, tuple[Decimal, ...]]] = {}
    for product, terms in raw_rates.items():
        if not isinstance(terms, Mapping) or not terms:
            raise PlanError(f"rates.{product}", "须按缴费期列出比例", "list rates per payment term")
        rates[str(product)] = {}
        for term, values in terms.items():
            try:
                t = int(term)
            except (TypeError, ValueError) as exc:
                raise PlanError(f"rates.{product}.{term}", "缴费期须为整数年", "a payment term is whole years") from exc
            rates[str(product)][t] = _rates(values, f"rates.{product}.{term}")
    overrides = {str(k): _rates(v, f"overrides.{k}") for k, v in dict(rules.get("overrides") or {}).items()}
    for kind in overrides:
        if kind not in ("team", "regional", "institutional"):
            raise PlanError(
                f"overrides.{kind}", "只能给上级团队或区域合伙人", "overrides go to a team or regional partner"
            )
    persistency: dict[int, Decimal] = {}
    for month, value in dict(rules.get("persistency") or {}).items():
        if str(month) not in ("13", "25"):
            raise PlanError(
                f"persistency.{month}", "继续率奖只有第13和第25个月", "persistency bonuses are for months 13 and 25"
            )
        persistency[int(month)] = _rate(value, f"persistency.{month}")
    q = dict(rules.get("quality") or {})
    quality = Quality(
        rate=_rate(q.get("rate", 0), "quality.rate"),
        max_complaints=int(q.get("max_complaints", 0)),
        max_early_claim_share=_rate(q.get("max_early_claim_share", "0.10"), "quality.max_early_claim_share"),
    )
    c = dict(rules.get("clawback") or {})
    months = c.get("surrender_months", 24)
    if not isinstance(months, int) or months < 0 or months > 120:
        raise PlanError("clawback.surrender_months", "退保追回期须为0到120个月", "months must be 0 to 120")
    clawback = Clawback(
        cooling_off=_rate(c.get("cooling_off", 1), "clawback.cooling_off"),
        surrender=_rate(c.get("surrender", 1), "clawback.surrender"),
        surrender_months=months,
        rescission=_rate(c.get("rescission", 1), "clawback.rescission"),
    )
    tx: dict[str, Any] = dict(rules.get("tax") or {"method": "agent_cumulative"})
    method = str(tx.get("method", "agent_cumulative"))
    if method not in ("agent_cumulative", "flat", "none"):
        raise PlanError("tax.method", "代扣税方法未知", "unknown withholding method")
    applies = tx.get("applies_to", ["individual", "team", "regional"])
    tax = TaxRule(method=method, rate=_rate(tx.get("rate", 0), "tax.rate"), applies_to=frozenset(map(str, applies)))
    return Plan(plan_id, version, effective_from, rates, overrides, persistency, quality, clawback, tax)


@dataclass(frozen=True, slots=True)
class Breach:
    field: str
    product: str
    term: int
    year: int
    paid: Decimal
    loading: Decimal


def loading_of(loadings: Sequence[Decimal], year: int) -> Decimal:
    """The filed loading of a policy year: the last value repeats (docs/products.md)."""
    return loadings[min(year, len(loadings)) - 1]


def loading_breaches(plan: Plan, filed: Mapping[str, Mapping[int, Sequence[Decimal]]]) -> list[Breach]:
    """Every (product, payment term, policy year) where the plan pays more than the filed expense loading.

    ``filed`` maps product → payment term → loadings by year (a one-year product: term 1 → [1 − expected loss
    ratio]). A product or term the pricing does not file is a breach with loading 0 (nothing may be paid)."""
    out: list[Breach] = []
    for product, terms in sorted(plan.rates.items()):
        for term, own in sorted(terms.items()):
            loadings = filed.get(product, {}).get(term)
            years = max([len(own), *(len(v) for v in plan.overrides.values()), 3 if 25 in plan.persistency else 2])
            for year in range(1, years + 1):
                paid = plan.rate(product, term, year) * (ONE + plan.quality.rate)
                paid += sum((plan.override(kind, year) for kind in plan.overrides), ZERO)
                if year == 2:
                    paid += plan.persistency.get(13, ZERO)
                if year == 3:
                    paid += plan.persistency.get(25, ZERO)
                if paid == 0:
                    continue
                allowed = ZERO if not loadings else loading_of(loadings, year)
                if paid > allowed:
                    out.append(Breach(f"rates.{product}.{term}.{year}", product, term, year, paid, allowed))
    return out


def in_force(plans: Sequence[Plan], on: date) -> Plan | None:
    """The approved plan in force on a date: the latest ``effective_from`` on or before it, then the highest
    version."""
    best: Plan | None = None
    for p in plans:
        if p.effective_from <= on and (
            best is None or (p.effective_from, p.version) > (best.effective_from, best.version)
        ):
            best = p
    return best
