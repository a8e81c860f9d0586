"""The product catalog: declarative YAML files validated by the pydantic schema in :mod:`.schema`.

``load_catalog(directory)`` reads every ``*.yaml``; a bad file raises :class:`ProductFileError` naming the file
and the field. Besides the schema, each product is checked against the rules that do not depend on a quote:
the pricing-rate cap on its filing date, the 30% mild-CI rule, the 180-day waiting-period limit, loadings for
every payment term, and the consistency of the declared lines and benefits.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from jiabao.actuarial.regulation import (
    Violation,
    check_average_loading,
    check_mild_ci,
    check_pricing_rate,
    check_waiting_period,
)
from jiabao.products.schema import (
    Category,
    CiBenefit,
    CiSchedule,
    MultiStatePricing,
    Product,
    ProductLine,
    RateTablePricing,
)

DEFINITIONS_DIR = Path(__file__).with_name("definitions")


class ProductFileError(ValueError):
    """A product file is invalid. ``file`` and ``field`` say where; ``message`` says why."""

    def __init__(self, file: Path, field: str, message: str) -> None:
        self.file = file
        self.field = field
        self.message = message
        super().__init__(f"{file.name}: field '{field}': {message}")


def _field_path(loc: tuple[int | str, ...]) -> str:
    # pydantic puts the discriminator tag into the location (benefits.0.ci_lump_sum.multiple); drop it
    parts = [str(p) for p in loc]
    kinds = {"ci_lump_sum", "ci_annuity", "survival_benefit", "death", "premium_waiver", "maturity"}
    kinds |= {"multistate", "rate_table"}
    return ".".join(p for p in parts if p not in kinds) or "(file)"


def parse_product(path: Path) -> Product:
    """Read and validate one product file; raise :class:`ProductFileError` on the first problem."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ProductFileError(path, "(file)", f"cannot read YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ProductFileError(path, "(file)", "the file must hold a mapping of product fields")
    try:
        product = Product.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ProductFileError(path, _field_path(tuple(first["loc"])), first["msg"]) from exc
    problems = product_rule_violations(product)
    if problems:
        raise ProductFileError(path, problems[0].field, f"{problems[0].reason_en} / {problems[0].reason_zh}")
    return product


def _interest_violations(product: Product) -> list[Violation]:
    pricing = product.pricing
    if pricing.interest <= 0:
        return []
    return check_pricing_rate(pricing.interest, pricing.interest_kind, product.filed_on)


def _ci_violations(product: Product) -> list[Violation]:
    schedule: CiSchedule | None = product.ci
    if schedule is None:
        if ProductLine.CI in product.product_lines and product.category not in (Category.LTC, Category.CANCER):
            return [_violation("ci", "a CI product needs a 'ci' disease schedule", "重疾产品须列明疾病范围")]
        return []
    problems = check_mild_ci(schedule.severe_multiple, schedule.mild)
    lump_sums = [b.multiple for b in product.benefits if isinstance(b, CiBenefit)]
    if lump_sums and abs(max(lump_sums) - schedule.severe_multiple) > 1e-12:
        problems.append(
            _violation(
                "ci.severe_multiple",
                "severe_multiple must equal the largest ci_lump_sum multiple",
                "重度疾病保险金倍数须与重疾给付责任一致",
            )
        )
    return problems


def _pricing_violations(product: Product) -> list[Violation]:
    pricing = product.pricing
    if isinstance(pricing, MultiStatePricing):
        missing = [t for t in product.payment.terms if t not in pricing.loadings]
        if missing:
            return [_violation("pricing.loadings", f"no loadings for payment terms {missing}", "缺少缴费期附加费用率")]
        days = product.waiting_period_days / 365.0
        if abs(pricing.waiting_period_years - days) > 0.05:
            return [
                _violation(
                    "pricing.waiting_period_years",
                    f"{pricing.waiting_period_years} years does not match waiting_period_days",
                    "定价等待期与合同等待期不一致",
                )
            ]
    if isinstance(pricing, RateTablePricing):
        if product.coverage.kind != "one_year":
            return [_violation("pricing.method", "rate tables are for one-year products", "费率表仅适用于一年期产品")]
        # one-year business: the loading is 1 − expected loss ratio, capped by 7号 item 3
        return check_average_loading(
            1.0 - pricing.expected_loss_ratio, product.business, True, product.loading_class, short_term=True
        )
    return []


def _violation(field: str, en: str, zh: str) -> Violation:
    return Violation("catalog", field, zh, en)


def product_rule_violations(product: Product) -> list[Violation]:
    """Quote-independent rules for one product (see the module docstring)."""
    problems = _interest_violations(product) + _ci_violations(product) + _pricing_violations(product)
    if {ProductLine.CI, ProductLine.MEDICAL, ProductLine.LTC} & set(product.product_lines):
        problems += check_waiting_period(product.waiting_period_days)
    if product.family is None and product.category is Category.FAMILY_CI:
        problems.append(_violation("family", "a family product needs 'family' terms", "家庭保单须列明家庭条款"))
    return problems


@dataclass(frozen=True)
class Catalog:
    """Products by code (the latest version of each)."""

    products: dict[str, Product]

    def get(self, code: str) -> Product | None:
        return self.products.get(code)

    def codes(self) -> list[str]:
        return sorted(self.products)


def load_catalog(directory: Path = DEFINITIONS_DIR) -> Catalog:
    """Load every ``*.yaml`` product file in ``directory``; codes must be unique per version."""
    products: dict[str, Product] = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        product = parse_product(path)
        current = products.get(product.code)
        if current is not None and current.version == product.version:
            raise ProductFileError(path, "code", f"duplicate product {product.code} v{product.version}")
        if current is None or product.version > current.version:
            products[product.code] = product
    return Catalog(products)
