"""The product terms a claim is judged by, copied from the catalog into the claim's input.

A snapshot (not a reference to the catalog) keeps a stored input self-contained: re-deciding it gives the same
answer even after the catalog gains a new product version. :func:`product_terms` builds it from a catalog
:class:`~jiabao.products.schema.Product`; multiples become ``Decimal`` through their decimal text.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from jiabao.products.schema import CiBenefit, DeathBenefit, PremiumWaiver, Product


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CiTerms(_Frozen):
    severe_multiple: Decimal = Field(gt=0)
    mild: dict[str, Decimal] = Field(default_factory=dict)
    """Standard mild disease name (e.g. ``恶性肿瘤——轻度``) → multiple of the sum assured."""


class DeathTerms(_Frozen):
    sa_multiple: Decimal = Decimal(0)
    premium_multiple: Decimal = Decimal(0)
    healthy_only: bool = False
    """Paid only if no CI benefit was paid before the death."""


class MedicalTerms(_Frozen):
    deductible: Decimal = Field(ge=0)
    ratio_with_social_insurance: Decimal = Field(gt=0, le=1)
    ratio_without_social_insurance: Decimal = Field(gt=0, le=1)
    annual_limit: Decimal = Field(gt=0)


class FamilyTerms(_Frozen):
    spouse_joint_multiple: Decimal = Decimal(0)
    family_waiver: bool = False


class ProductTerms(_Frozen):
    code: str
    version: int
    lines: tuple[str, ...]
    """Product lines: death, ci, medical, accident, ltc, annuity."""
    waiting_period_days: int = Field(default=0, ge=0)
    ci: CiTerms | None = None
    ci_waiting_refund: bool = False
    death: DeathTerms | None = None
    medical: MedicalTerms | None = None
    family: FamilyTerms | None = None
    premium_waiver: bool = False
    """The insured's own severe CI waives the remaining premiums (本人重疾豁免)."""
    waiver_subject_to_waiting: bool = True


def _dec(value: float) -> Decimal:
    return Decimal(str(value))


def product_terms(product: Product) -> ProductTerms:
    """The claims-relevant terms of one catalog product version."""
    death = next((b for b in product.benefits if isinstance(b, DeathBenefit)), None)
    waiver = next((b for b in product.benefits if isinstance(b, PremiumWaiver)), None)
    ci_lump = [b for b in product.benefits if isinstance(b, CiBenefit)]
    ci = None
    if product.ci is not None:
        ci = CiTerms(
            severe_multiple=_dec(product.ci.severe_multiple),
            mild={name: _dec(m) for name, m in product.ci.mild.items()},
        )
    medical = None
    if product.medical is not None:
        m = product.medical
        medical = MedicalTerms(
            deductible=m.deductible,
            ratio_with_social_insurance=_dec(m.reimbursement_with_social_insurance),
            ratio_without_social_insurance=_dec(m.reimbursement_without_social_insurance),
            annual_limit=m.annual_limit,
        )
    family = None
    if product.family is not None:
        family = FamilyTerms(
            spouse_joint_multiple=_dec(product.family.spouse_joint_multiple),
            family_waiver=product.family.family_waiver,
        )
    return ProductTerms(
        code=product.code,
        version=product.version,
        lines=tuple(str(line) for line in product.product_lines),
        waiting_period_days=product.waiting_period_days,
        ci=ci,
        ci_waiting_refund=any(b.waiting_refund for b in ci_lump),
        death=None
        if death is None
        else DeathTerms(
            sa_multiple=_dec(death.sa_multiple),
            premium_multiple=_dec(death.premium_multiple),
            healthy_only=death.healthy_only,
        ),
        medical=medical,
        family=family,
        premium_waiver=waiver is not None,
        waiver_subject_to_waiting=waiver.subject_to_waiting if waiver is not None else True,
    )
