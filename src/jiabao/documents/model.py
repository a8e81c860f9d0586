"""What an electronic policy document shows: plain frozen data, validated on construction.

Identifiers arrive masked (``jiabao.core.pii.mask_id_number``); amounts are ``Decimal`` yuan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from jiabao.core.money import to_decimal
from jiabao.documents.privacy import ensure_masked, ensure_no_clear_pii

MAX_INSURED = 7


class PaymentFrequency(StrEnum):
    """Same codes as ``jiabao.products.schema.Frequency``, plus a single premium."""

    SINGLE = "single"  # 趸交
    ANNUAL = "annual"  # 年交
    SEMI_ANNUAL = "semi_annual"  # 半年交
    QUARTERLY = "quarterly"  # 季交
    MONTHLY = "monthly"  # 月交


class TermKind(StrEnum):
    YEARS = "years"  # 20年
    TO_AGE = "to_age"  # 至70周岁
    WHOLE_LIFE = "whole_life"  # 终身
    SINGLE = "single"  # 一次交清


@dataclass(frozen=True)
class Term:
    """A payment or cover term: ``Term.years(20)``, ``Term.to_age(70)``, ``Term.whole_life()``."""

    kind: TermKind
    value: int | None = None

    def __post_init__(self) -> None:
        needs_value = self.kind in (TermKind.YEARS, TermKind.TO_AGE)
        if needs_value != (self.value is not None) or (self.value is not None and self.value <= 0):
            raise ValueError(f"term {self.kind} needs {'a positive' if needs_value else 'no'} value")

    @classmethod
    def years(cls, n: int) -> Term:
        return cls(TermKind.YEARS, n)

    @classmethod
    def to_age(cls, age: int) -> Term:
        return cls(TermKind.TO_AGE, age)

    @classmethod
    def whole_life(cls) -> Term:
        return cls(TermKind.WHOLE_LIFE)

    @classmethod
    def single(cls) -> Term:
        return cls(TermKind.SINGLE)


@dataclass(frozen=True)
class Party:
    """The policyholder: a name and a masked ID number."""

    name: str
    masked_id: str

    def __post_init__(self) -> None:
        ensure_masked(self.masked_id, where="policyholder ID")
        ensure_no_clear_pii(self.name, where="policyholder name")


@dataclass(frozen=True)
class InsuredMember:
    """One insured family member and their cover. ``relationship`` is to the policyholder (family codes)."""

    name: str
    relationship: str
    masked_id: str
    age: int
    sum_assured: Decimal
    premium: Decimal
    frequency: PaymentFrequency
    payment_term: Term
    cover_term: Term

    def __post_init__(self) -> None:
        ensure_masked(self.masked_id, where=f"insured {self.name} ID")
        if not 0 <= self.age <= 120:
            raise ValueError("insured age must be 0..120")
        object.__setattr__(self, "sum_assured", to_decimal(self.sum_assured))
        object.__setattr__(self, "premium", to_decimal(self.premium))
        object.__setattr__(self, "frequency", PaymentFrequency(self.frequency))


@dataclass(frozen=True)
class Beneficiary:
    """A named death beneficiary and their share in percent."""

    name: str
    share_percent: Decimal
    relationship: str = ""

    def __post_init__(self) -> None:
        share = Decimal(self.share_percent)
        if not Decimal(0) < share <= Decimal(100):
            raise ValueError("a beneficiary share must be in (0, 100]")
        object.__setattr__(self, "share_percent", share)


@dataclass(frozen=True)
class CashValueRow:
    policy_year: int
    age: int
    cash_value: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "cash_value", to_decimal(self.cash_value))


@dataclass(frozen=True)
class CashValueTable:
    """End-of-year cash values for one insured member (or the main insured)."""

    insured_name: str
    rows: tuple[CashValueRow, ...]


@dataclass(frozen=True)
class PolicyDocument:
    """Everything the electronic policy shows. Empty ``beneficiaries`` means the legal heirs (法定继承人)."""

    policy_number: str
    product_name_zh: str
    product_name_en: str
    issue_date: date
    cooling_off_end: date
    policyholder: Party
    insured: tuple[InsuredMember, ...]
    waiting_period_days: int
    service_hotline: str
    beneficiaries: tuple[Beneficiary, ...] = ()
    cash_values: tuple[CashValueTable, ...] = ()
    family_account_note: str | None = None  # None: the standard note in the document's language
    cooling_off_disclosure: str | None = None  # None: the standard disclosure in the document's language
    surrender_disclosure: str | None = None  # None: the standard disclosure in the document's language
    extra: tuple[str, ...] = field(default=())  # further notes printed under "important notes"
    special_terms: tuple[str, ...] = field(default=())
    """Underwriting terms agreed for the insureds (extra premium, exclusions), printed as 特别约定."""

    def __post_init__(self) -> None:
        if not 1 <= len(self.insured) <= MAX_INSURED:
            raise ValueError(f"a policy insures 1 to {MAX_INSURED} members")
        if self.cooling_off_end < self.issue_date:
            raise ValueError("the cooling-off period cannot end before the issue date")
        if self.waiting_period_days < 0:
            raise ValueError("the waiting period cannot be negative")
        if self.beneficiaries and sum(b.share_percent for b in self.beneficiaries) != Decimal(100):
            raise ValueError("beneficiary shares must add up to 100%")
        for text in self._free_texts():
            ensure_no_clear_pii(text, where="policy document text")

    def _free_texts(self) -> Iterable[str]:
        yield self.policy_number
        yield self.service_hotline
        yield from (m.name for m in self.insured)
        yield from (b.name for b in self.beneficiaries)
        for text in (self.family_account_note, self.cooling_off_disclosure, self.surrender_disclosure):
            if text:
                yield text
        yield from self.extra
        yield from self.special_terms

    def premium_totals(self) -> dict[PaymentFrequency, Decimal]:
        """Sum of the members' instalments per payment frequency, in a stable order."""
        totals: dict[PaymentFrequency, Decimal] = {}
        for freq in PaymentFrequency:
            members = [m.premium for m in self.insured if m.frequency is freq]
            if members:
                totals[freq] = sum(members, Decimal("0.00"))
        return totals
