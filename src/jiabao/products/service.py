"""Quoting glue (报价): prices a household's chosen products on the catalog and the industry tables.

The engine (``products.quoting``) is pure; this service adds the household context (ages, sexes and
relationships from the family account, with access checks) and turns the result into the API's shapes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from jiabao.actuarial.tables import Sex as TableSex
from jiabao.actuarial.tables import TableLibrary
from jiabao.core.errors import FieldProblem, InvalidInput
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.family.schemas import MemberOut
from jiabao.products.catalog import Catalog
from jiabao.products.limits import MemberRequest, ProductSelection
from jiabao.products.offer import cached_refused_cells, on_sale
from jiabao.products.quoting import HouseholdQuote, quote_household
from jiabao.products.schema import Frequency

RELATION = {"self": "self", "spouse": "spouse", "child": "child", "parent": "parent"}


@dataclass(frozen=True)
class ProductEngine:
    """The catalog and the table library a process prices with (loaded once at start-up)."""

    catalog: Catalog
    tables: TableLibrary


class QuoteLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: int
    product_code: str = Field(min_length=1, max_length=40)
    sum_assured: Decimal = Field(gt=0, le=Decimal("100000000"), decimal_places=2)
    coverage: int | None = Field(default=None, ge=1, le=120)
    payment_term: int = Field(default=1, ge=1, le=50)
    frequency: Frequency = Frequency.ANNUAL
    occupation_class: int | None = Field(default=None, ge=1, le=6)
    social_insurance: bool | None = None
    health_rating: str | None = Field(default=None, max_length=20)
    payout_age: int | None = Field(default=None, ge=40, le=80)


DeclaredAmount = Annotated[Decimal, Field(ge=0, le=Decimal("100000000"), decimal_places=2)]
PersonKey = Annotated[int, Field(ge=1, le=2**63 - 1)]


class HouseholdQuoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lines: list[QuoteLineIn] = Field(min_length=1, max_length=7 * 6)
    declared_death_cover: dict[PersonKey, DeclaredAmount] = Field(default_factory=dict, max_length=7)
    """Death cover each member (by person id) holds with other insurers, as the applicant declares it; counted
    with the household's in-force cover toward the minors' cap (保监发〔2015〕90号)."""


class CashValueOut(BaseModel):
    policy_year: int
    age: int
    cash_value: Decimal


class QuoteLineOut(BaseModel):
    product_code: str
    product_version: int
    name_zh: str
    name_en: str
    sum_assured: Decimal
    cover_years: int
    payment_term: int
    frequency: Frequency
    annual_premium: Decimal
    instalment: Decimal
    modal_premiums: dict[Frequency, Decimal]
    basis: str
    cash_values: list[CashValueOut]


class MemberQuoteOut(BaseModel):
    person_id: int
    name: str
    age: int
    lines: list[QuoteLineOut]
    annual_premium: Decimal


class HouseholdQuoteOut(BaseModel):
    household_id: int
    as_of: date
    members: list[MemberQuoteOut]
    annual_premium: Decimal
    totals_by_frequency: dict[Frequency, Decimal]
    chosen_instalments: dict[Frequency, Decimal]
    bases: list[str]


class NotOfferedOut(BaseModel):
    """Issue ages not offered for one payment term, cover option, frequency and sex (the 7号 ratio refuses them
    whatever the amount)."""

    payment_term: int
    coverage: int | None
    frequency: Frequency
    sex: str
    ages: list[int]


class ProductOut(BaseModel):
    code: str
    version: int
    name_zh: str
    name_en: str
    category: str
    product_lines: list[str]
    min_age: int
    max_age: int
    waiting_period_days: int
    payment_terms: list[int]
    frequencies: list[Frequency]
    on_sale: bool = True
    """False: closed to new business today (its pricing rate is above today's cap); existing policies are served."""
    not_offered: list[NotOfferedOut] = []


def list_products(engine: ProductEngine, *, as_of: date, include_closed: bool = False) -> list[ProductOut]:
    """The products on sale on ``as_of`` (with ``include_closed``, also those closed to new business), each with
    the age/term cells it does not offer."""
    products = [
        p for p in engine.catalog.products.values() if p.filed_on <= as_of and (include_closed or on_sale(p, as_of))
    ]
    return [
        ProductOut(
            code=p.code,
            version=p.version,
            name_zh=p.name_zh,
            name_en=p.name_en,
            category=p.category.value,
            product_lines=[line.value for line in p.product_lines],
            min_age=p.ages.min_age,
            max_age=p.ages.max_age,
            waiting_period_days=p.waiting_period_days,
            payment_terms=list(p.payment.terms),
            frequencies=list(p.payment.frequencies),
            on_sale=on_sale(p, as_of),
            not_offered=[
                NotOfferedOut(
                    payment_term=c.payment_term,
                    coverage=c.coverage,
                    frequency=c.frequency,
                    sex=c.sex.value,
                    ages=list(c.ages),
                )
                for c in cached_refused_cells(p, engine.tables)
            ],
        )
        for p in sorted(products, key=lambda p: p.code)
    ]


def quote(
    ctx: ServiceContext,
    engine: ProductEngine,
    household_id: int,
    request: HouseholdQuoteIn,
    *,
    in_force_death_cover: Mapping[int, Decimal] | None = None,
    new_business: bool = True,
) -> HouseholdQuoteOut:
    """Price every line of the request for members of the household (refused lines raise ``QuoteRefused``).

    ``in_force_death_cover`` is the death cover each member already holds in the household's policies (the caller
    reads it from the policies domain); with the declared cover elsewhere it counts toward the minors' cap."""
    overview = family.get_overview(ctx, household_id)
    members = {m.person_id: m for m in overview.members}
    unknown = [i for i, line in enumerate(request.lines) if line.person_id not in members]
    if unknown:
        raise InvalidInput(
            fields=tuple(
                FieldProblem(
                    f"lines.{i}.person_id", "not_a_member", "此人不是该家庭成员", "Not a member of this household"
                )
                for i in unknown
            )
        )
    by_person: dict[int, list[ProductSelection]] = defaultdict(list)
    for line in request.lines:
        by_person[line.person_id].append(ProductSelection(**line.model_dump(exclude={"person_id"})))
    requests = [
        MemberRequest(
            member_id=str(pid),
            age=members[pid].age,
            sex=TableSex(members[pid].sex.value),
            relation=RELATION.get(members[pid].relationship.value, "other"),
            selections=selections,
            death_cover_held=(in_force_death_cover or {}).get(pid, Decimal(0))
            + request.declared_death_cover.get(pid, Decimal(0)),
        )
        for pid, selections in by_person.items()
    ]
    result = quote_household(
        members=requests,
        catalog=engine.catalog,
        tables=engine.tables,
        as_of=ctx.clock.today(),
        new_business=new_business,
    )
    return _out(household_id, result, members)


def _out(household_id: int, result: HouseholdQuote, members: dict[int, MemberOut]) -> HouseholdQuoteOut:
    return HouseholdQuoteOut(
        household_id=household_id,
        as_of=result.as_of,
        members=[
            MemberQuoteOut(
                person_id=int(m.member_id),
                name=members[int(m.member_id)].name,
                age=members[int(m.member_id)].age,
                annual_premium=m.annual_premium,
                lines=[
                    QuoteLineOut(
                        product_code=line.product_code,
                        product_version=line.product_version,
                        name_zh=line.name_zh,
                        name_en=line.name_en,
                        sum_assured=line.sum_assured,
                        cover_years=line.cover_years,
                        payment_term=line.payment_term,
                        frequency=line.frequency,
                        annual_premium=line.annual_premium,
                        instalment=line.instalment,
                        modal_premiums=line.modal_premiums,
                        basis=line.basis,
                        cash_values=[
                            CashValueOut(policy_year=r.policy_year, age=r.age, cash_value=r.cash_value)
                            for r in line.cash_values
                        ],
                    )
                    for line in m.lines
                ],
            )
            for m in result.members
        ],
        annual_premium=result.annual_premium,
        totals_by_frequency=result.totals_by_frequency,
        chosen_instalments=result.chosen_instalments,
        bases=list(result.bases),
    )
