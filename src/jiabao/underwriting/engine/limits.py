"""Case-level rules: non-medical limits, minors' death caps, bank-channel age screen, family terms."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from jiabao.underwriting.engine.codes import Channel, Evidence, PremiumMode, ProductLine
from jiabao.underwriting.engine.facts import CoverRequest, InForceCover
from jiabao.underwriting.engine.kb import KnowledgeBase
from jiabao.underwriting.engine.schema import FamilyTier


def family_tier(kb: KnowledgeBase, insured_members: int) -> FamilyTier | None:
    """The family-terms tier (家庭核保政策) a household of ``insured_members`` reaches, if any.

    The tier with the largest qualifying ``min_insured_members`` applies; tiers are configuration.
    """
    best: FamilyTier | None = None
    for tier in kb.family.tiers:
        if insured_members >= tier.min_insured_members and (
            best is None or tier.min_insured_members > best.min_insured_members
        ):
            best = tier
    return best


def evidence_for(kb: KnowledgeBase, age: int, cumulative: Decimal, factor: Decimal) -> tuple[Evidence, ...]:
    """Evidence the non-medical limits grid asks for at ``age`` and ``cumulative`` sum assured (§1.5).

    ``cumulative`` is the cover applied for plus the cover in force on the line; ``factor`` (≥ 1, from the
    family terms) multiplies every limit.
    """
    for band in kb.limits.grid:
        if band.min_age <= age <= band.max_age:
            for tier in band.tiers:
                if tier.up_to is None or cumulative <= tier.up_to * factor:
                    return tier.evidence
            return band.tiers[-1].evidence
    return ()


def cumulative_cover(line: ProductLine, covers: Iterable[CoverRequest], in_force: Iterable[InForceCover]) -> Decimal:
    """Sum assured applied for on ``line`` plus the insured's cover already in force on it."""
    applied = sum((c.sum_assured for c in covers if c.line is line), Decimal(0))
    held = sum((c.sum_assured for c in in_force if c.line is line), Decimal(0))
    return applied + held


def death_amount(kb: KnowledgeBase, line: ProductLine, sum_assured: Decimal, explicit: Decimal | None) -> Decimal:
    """The part of a cover that pays on death (counted toward the minors' cap).

    Explicit when given; otherwise the whole sum assured on the configured death-cover lines, else zero.
    """
    if explicit is not None:
        return explicit
    return sum_assured if line in kb.limits.death_cover_lines else Decimal(0)


def minor_cap(kb: KnowledgeBase, age: int) -> Decimal | None:
    """The death-cover cap for an insured of ``age``: ¥200,000 under 10, ¥500,000 for 10–17, else none.

    Source: CIRC notice 保监发〔2015〕90号 (regulation.md §1.7); the amounts are configuration.
    """
    for cap in sorted(kb.limits.minor_caps, key=lambda c: c.below_age):
        if age < cap.below_age:
            return cap.cap
    return None


def bank_referral_age(
    kb: KnowledgeBase, channel: Channel, policyholder_age: int, modes: Iterable[PremiumMode]
) -> int | None:
    """The age limit breached when a bank-channel case may not be decided automatically, else None.

    A policyholder over 65 (over 60 for regular premiums) in the bank channel: no automatic on-site
    underwriting or issuance (CIRC/CBRC notice 保监发〔2014〕3号, regulation.md §1.7 and §3.5).
    """
    if channel is not Channel.BANK:
        return None
    if policyholder_age > kb.limits.bank_max_auto_age_single:
        return kb.limits.bank_max_auto_age_single
    if PremiumMode.REGULAR in set(modes) and policyholder_age > kb.limits.bank_max_auto_age_regular:
        return kb.limits.bank_max_auto_age_regular
    return None
