"""AML rules (反洗钱规则), pure: customer due diligence levels and triggers, large-value transaction detection,
suspicious-pattern rules, report deadlines, retention and the customer texts that never tip anyone off.

Sources (``../shared/domain/regulation.md`` §2.9):

- AML Law 2024 arts. 28–31 (CDD, beneficial owner, beneficiary of a life policy who is not the customer),
  art. 34 (retention ≥ 10 years), art. 35 (reports; suspicious reports confidential: no tipping off).
- PBOC Order 2016 No. 3 (effective 2017-07-01): large-value thresholds and the 5-working-day report deadline;
  suspicious reports promptly after internal confirmation, at most 5 working days.
- 2007 CDD measures as used in insurers' rules: life cash premium per insured ≥ ¥20,000, any premium by transfer
  ≥ ¥200,000; surrenders and claims ≥ ¥10,000.
- CIRC 2007 data specification red flags (scattered buying then scattered surrender, frequent changes, premiums
  paid from an unexplained source).

Working days come from the platform calendar (``jiabao.policies.rules.calendar``: statutory holidays and make-up
working days). All amounts are yuan in ``Decimal``; only RMB amounts are handled (the USD thresholds of the
same rules are not needed: the platform takes premiums in RMB only).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from jiabao.policies.rules.calendar import add_working_days

REPORT_WORKING_DAYS = 5
"""Large-value reports within 5 working days of the transaction; suspicious ones at most 5 working days after
the internal confirmation (PBOC Order 2016 No. 3; the repealed 2006 rule's 10 days no longer apply)."""
RETENTION_YEARS = 10
"""AML Law 2024 art. 34: identity data 10 years after the relationship ends, transactions 10 years after."""


class Method(StrEnum):
    CASH = "cash"
    TRANSFER = "transfer"


class Party(StrEnum):
    NATURAL = "natural"
    ORGANISATION = "organisation"


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


@dataclass(frozen=True, slots=True)
class Txn:
    """One money movement of a customer (premium in, surrender, refund or claim out)."""

    txn_id: int
    person_id: int
    on: date
    amount: Decimal
    direction: Direction = Direction.IN
    method: Method = Method.TRANSFER
    party: Party = Party.NATURAL
    cross_border: bool = False
    kind: str = "premium"
    policy_id: int | None = None


# ---------------------------------------------------------------------------------------------------------------
# Large-value transactions (大额交易)


class LargeValueRule(StrEnum):
    CASH = "cash_50k"
    ORGANISATION_TRANSFER = "organisation_transfer_2m"
    NATURAL_DOMESTIC_TRANSFER = "natural_transfer_500k"
    NATURAL_CROSS_BORDER = "natural_cross_border_200k"


LARGE_VALUE_THRESHOLDS: dict[LargeValueRule, Decimal] = {
    LargeValueRule.CASH: Decimal("50000"),
    LargeValueRule.ORGANISATION_TRANSFER: Decimal("2000000"),
    LargeValueRule.NATURAL_DOMESTIC_TRANSFER: Decimal("500000"),
    LargeValueRule.NATURAL_CROSS_BORDER: Decimal("200000"),
}
"""PBOC Order 2016 No. 3 art. 5: single or cumulative in one day, at or above the amount."""


def large_value_rule(txn: Txn) -> LargeValueRule:
    """Which threshold a transaction is counted against."""
    if txn.method is Method.CASH:
        return LargeValueRule.CASH
    if txn.party is Party.ORGANISATION:
        return LargeValueRule.ORGANISATION_TRANSFER
    if txn.cross_border:
        return LargeValueRule.NATURAL_CROSS_BORDER
    return LargeValueRule.NATURAL_DOMESTIC_TRANSFER


@dataclass(frozen=True, slots=True)
class LargeValueHit:
    rule: LargeValueRule
    person_id: int
    on: date
    direction: Direction
    total: Decimal
    txn_ids: tuple[int, ...]
    due_on: date


def report_due(day: date) -> date:
    """The last day to file: 5 working days after ``day`` (the day itself not counted, Civil Code art. 201)."""
    return add_working_days(day, REPORT_WORKING_DAYS)


def large_value_hits(txns: Iterable[Txn]) -> list[LargeValueHit]:
    """Per customer, day, direction and kind of threshold: the day's total, reported when at or above it.

    Receipts and payments are added up separately (a premium in and a claim out on one day are two
    movements, not one larger one)."""
    groups: dict[tuple[int, date, Direction, LargeValueRule], list[Txn]] = defaultdict(list)
    for txn in txns:
        groups[(txn.person_id, txn.on, txn.direction, large_value_rule(txn))].append(txn)
    hits = []
    for (person, day, direction, rule), items in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        total = sum((t.amount for t in items), Decimal(0))
        if total >= LARGE_VALUE_THRESHOLDS[rule]:
            hits.append(
                LargeValueHit(
                    rule=rule,
                    person_id=person,
                    on=day,
                    direction=direction,
                    total=total,
                    txn_ids=tuple(sorted(t.txn_id for t in items)),
                    due_on=report_due(day),
                )
            )
    return hits


# ---------------------------------------------------------------------------------------------------------------
# Customer due diligence (客户尽职调查)


class CddLevel(StrEnum):
    SIMPLIFIED = "simplified"
    STANDARD = "standard"
    ENHANCED = "enhanced"


class CddTrigger(StrEnum):
    LIFE_CASH_PREMIUM = "life_cash_premium_20k"
    TRANSFER_PREMIUM = "transfer_premium_200k"
    SURRENDER_OR_CLAIM = "surrender_claim_10k"
    BENEFICIARY_NOT_CUSTOMER = "beneficiary_not_customer"
    BENEFICIAL_OWNER = "beneficial_owner"
    HIGH_RISK = "high_risk"


CDD_THRESHOLDS: dict[CddTrigger, Decimal] = {
    CddTrigger.LIFE_CASH_PREMIUM: Decimal("20000"),
    CddTrigger.TRANSFER_PREMIUM: Decimal("200000"),
    CddTrigger.SURRENDER_OR_CLAIM: Decimal("10000"),
}


class CddEventKind(StrEnum):
    NEW_POLICY = "new_policy"
    SURRENDER = "surrender"
    CLAIM = "claim"
    BENEFICIARY_CHANGE = "beneficiary_change"


@dataclass(frozen=True, slots=True)
class CddEvent:
    kind: CddEventKind
    person_id: int
    amount: Decimal = Decimal(0)
    """The premium paid now (new policy), the surrender value or the claim payment."""
    method: Method = Method.TRANSFER
    life: bool = True
    """A life (人身) policy; property lines would use ¥10,000 cash, which the platform does not sell."""
    premium_per_insured: Decimal = Decimal(0)
    beneficiaries_not_customer: int = 0
    """Designated beneficiaries who are neither the policyholder nor a legal heir (AML Law art. 31)."""
    organisation: bool = False
    high_risk: bool = False
    """An open suspicious-transaction case, or a politically exposed person from screening."""


@dataclass(frozen=True, slots=True)
class CddResult:
    level: CddLevel
    triggers: tuple[CddTrigger, ...]
    required: tuple[str, ...]
    """What must be collected: ``id_copies``, ``relationships``, ``payee_identity``, ``beneficiary_identity``,
    ``beneficial_owner``, ``source_of_funds``."""


def cdd_for(event: CddEvent) -> CddResult:
    """The due-diligence level and what to collect (2007 CDD measures; AML Law 2024 arts. 28–31)."""
    triggers: list[CddTrigger] = []
    required: list[str] = []
    if event.kind is CddEventKind.NEW_POLICY:
        if (
            event.life
            and event.method is Method.CASH
            and event.premium_per_insured >= CDD_THRESHOLDS[CddTrigger.LIFE_CASH_PREMIUM]
        ):
            triggers.append(CddTrigger.LIFE_CASH_PREMIUM)
        if event.method is Method.TRANSFER and event.amount >= CDD_THRESHOLDS[CddTrigger.TRANSFER_PREMIUM]:
            triggers.append(CddTrigger.TRANSFER_PREMIUM)
        if triggers:
            required += ["id_copies", "relationships"]
    if (
        event.kind in (CddEventKind.SURRENDER, CddEventKind.CLAIM)
        and event.amount >= CDD_THRESHOLDS[CddTrigger.SURRENDER_OR_CLAIM]
    ):
        triggers.append(CddTrigger.SURRENDER_OR_CLAIM)
        required.append("payee_identity")
    if event.beneficiaries_not_customer and event.life:
        triggers.append(CddTrigger.BENEFICIARY_NOT_CUSTOMER)
        required.append("beneficiary_identity")
    if event.organisation:
        triggers.append(CddTrigger.BENEFICIAL_OWNER)
        required.append("beneficial_owner")
    if event.high_risk:
        triggers.append(CddTrigger.HIGH_RISK)
        required.append("source_of_funds")
    if event.high_risk:
        level = CddLevel.ENHANCED
    elif triggers:
        level = CddLevel.STANDARD
    else:
        level = CddLevel.SIMPLIFIED  # low risk: simplified checks are allowed (art. 29)
    return CddResult(level=level, triggers=tuple(triggers), required=tuple(dict.fromkeys(required)))


# ---------------------------------------------------------------------------------------------------------------
# Suspicious patterns (可疑交易)


class SuspiciousRule(StrEnum):
    EARLY_SURRENDER_LARGE_SINGLE = "early_surrender_large_single_premium"
    FREQUENT_CHANGES = "frequent_holder_beneficiary_changes"
    THIRD_PARTY_PAYER = "third_party_payer"
    SCATTERED_BUY_SURRENDER = "scattered_buying_then_surrender"


LARGE_SINGLE_PREMIUM = Decimal("200000")
EARLY_SURRENDER_DAYS = 365
FREQUENT_CHANGES_COUNT = 3
FREQUENT_CHANGES_DAYS = 365
SCATTERED_BUY_COUNT = 3
SCATTERED_BUY_DAYS = 90
SCATTERED_SURRENDER_COUNT = 2
SCATTERED_SURRENDER_DAYS = 180


@dataclass(frozen=True, slots=True)
class PolicyHistory:
    policy_id: int
    issued_on: date
    single_premium: bool
    premium_paid: Decimal
    ended_on: date | None = None
    """Surrendered, or cancelled in the cooling-off period (the money goes back either way)."""


@dataclass(frozen=True, slots=True)
class Change:
    policy_id: int
    on: date
    kind: str  # "policyholder" | "beneficiary"


@dataclass(frozen=True, slots=True)
class PremiumPayment:
    payment_id: int
    policy_id: int | None
    on: date
    amount: Decimal
    payer_person_id: int
    policyholder_person_id: int


@dataclass(frozen=True, slots=True)
class CustomerHistory:
    person_id: int
    policies: tuple[PolicyHistory, ...] = ()
    changes: tuple[Change, ...] = ()
    payments: tuple[PremiumPayment, ...] = ()


@dataclass(frozen=True, slots=True)
class SuspiciousHit:
    rule: SuspiciousRule
    person_id: int
    on: date
    """The day the pattern was complete (the last transaction that made it)."""
    policy_ids: tuple[int, ...]
    amount: Decimal
    evidence: dict[str, str] = field(default_factory=dict)


def _early_surrender(h: CustomerHistory) -> list[SuspiciousHit]:
    hits = []
    for p in h.policies:
        if (
            p.single_premium
            and p.premium_paid >= LARGE_SINGLE_PREMIUM
            and p.ended_on is not None
            and (p.ended_on - p.issued_on).days <= EARLY_SURRENDER_DAYS
        ):
            hits.append(
                SuspiciousHit(
                    SuspiciousRule.EARLY_SURRENDER_LARGE_SINGLE,
                    h.person_id,
                    p.ended_on,
                    (p.policy_id,),
                    p.premium_paid,
                    {"issued_on": p.issued_on.isoformat(), "ended_on": p.ended_on.isoformat()},
                )
            )
    return hits


def _frequent_changes(h: CustomerHistory) -> list[SuspiciousHit]:
    changes = sorted(h.changes, key=lambda c: c.on)
    for i in range(len(changes) - FREQUENT_CHANGES_COUNT + 1):
        window = changes[i : i + FREQUENT_CHANGES_COUNT]
        if (window[-1].on - window[0].on).days <= FREQUENT_CHANGES_DAYS:
            return [
                SuspiciousHit(
                    SuspiciousRule.FREQUENT_CHANGES,
                    h.person_id,
                    window[-1].on,
                    tuple(sorted({c.policy_id for c in window})),
                    Decimal(0),
                    {"changes": str(len(window)), "from": window[0].on.isoformat(), "to": window[-1].on.isoformat()},
                )
            ]
    return []


def _third_party(h: CustomerHistory) -> list[SuspiciousHit]:
    return [
        SuspiciousHit(
            SuspiciousRule.THIRD_PARTY_PAYER,
            h.person_id,
            p.on,
            (p.policy_id,) if p.policy_id else (),
            p.amount,
            {"payment_id": str(p.payment_id)},
        )
        for p in h.payments
        if p.payer_person_id != p.policyholder_person_id
    ]


def _scattered(h: CustomerHistory) -> list[SuspiciousHit]:
    bought = sorted(h.policies, key=lambda p: p.issued_on)
    for i in range(len(bought) - SCATTERED_BUY_COUNT + 1):
        burst = bought[i : i + SCATTERED_BUY_COUNT]
        if (burst[-1].issued_on - burst[0].issued_on).days > SCATTERED_BUY_DAYS:
            continue
        last_buy = burst[-1].issued_on
        window_end = last_buy + timedelta(days=SCATTERED_SURRENDER_DAYS)
        ended = sorted(
            (p for p in bought[i:] if p.ended_on is not None and p.ended_on <= window_end),
            key=lambda p: p.ended_on or last_buy,
        )
        if len(ended) >= SCATTERED_SURRENDER_COUNT:
            return [
                SuspiciousHit(
                    SuspiciousRule.SCATTERED_BUY_SURRENDER,
                    h.person_id,
                    ended[-1].ended_on or last_buy,
                    tuple(p.policy_id for p in burst),
                    sum((p.premium_paid for p in burst), Decimal(0)),
                    {"bought": str(len(burst)), "ended": str(len(ended))},
                )
            ]
    return []


def suspicious_hits(history: CustomerHistory) -> list[SuspiciousHit]:
    """Every monitoring rule on one customer's history; each hit goes to manual review, never straight to a
    report (a person confirms, then reports or records why not)."""
    return _early_surrender(history) + _frequent_changes(history) + _third_party(history) + _scattered(history)


def suspicious_report_due(confirmed_on: date) -> date:
    """At most 5 working days after the internal confirmation (PBOC Order 2016 No. 3)."""
    return add_working_days(confirmed_on, REPORT_WORKING_DAYS)


# ---------------------------------------------------------------------------------------------------------------
# Retention and tipping off


def retain_until(end: date) -> date:
    """10 years after the relationship ended or the transaction (AML Law 2024 art. 34); 29 Feb → 28 Feb."""
    try:
        return end.replace(year=end.year + RETENTION_YEARS)
    except ValueError:
        return end.replace(year=end.year + RETENTION_YEARS, day=28)


def may_purge(retained_until: date, today: date) -> bool:
    """A record may be deleted only after its retention date has passed."""
    return today > retained_until


CUSTOMER_NOTICES: dict[str, tuple[str, str]] = {
    "hold": (
        "您的申请需要进一步核实，我们将在核实完成后尽快与您联系。如有疑问，请致电客服。",
        "Your request needs a further check. We will contact you as soon as it is complete. "
        "Please call customer service with any questions.",
    ),
    "declined": (
        "很抱歉，我们暂时无法受理您的投保申请。如有疑问，请致电客服。",
        "We are sorry: we cannot accept this application at present. Please call customer service with any questions.",
    ),
    "identity_documents": (
        "为完成本次业务办理，请提供有效身份证件并确认与被保险人、受益人的关系。",
        "To complete this transaction, please provide a valid identity document and confirm your relationship "
        "with the insured and the beneficiaries.",
    ),
}
"""What a customer is told when a case is open on them: the same neutral words whatever the cause (AML Law 2024
art. 35: no tipping off). ``TIPPING_OFF_WORDS`` must never appear in them."""

TIPPING_OFF_WORDS: tuple[str, ...] = (
    "洗钱",
    "可疑",
    "大额",
    "监测",
    "报告",
    "上报",
    "风控",
    "风险",
    "黑名单",
    "欺诈",
    "调查",
    "money laundering",
    "suspicious",
    "large-value",
    "report",
    "monitor",
    "fraud",
    "risk",
    "blacklist",
    "investigat",
)


def tips_off(text: str) -> bool:
    """True when a customer-facing text would reveal monitoring, a report or a risk finding."""
    lowered = text.lower()
    return any(word in lowered for word in TIPPING_OFF_WORDS)


def customer_notice(kind: str) -> tuple[str, str]:
    return CUSTOMER_NOTICES[kind]


def on_time(due_on: date, filed_on: date | None, today: date) -> bool | None:
    """Filed on or before the due date: True; filed late or overdue: False; not yet due and unfiled: None."""
    if filed_on is not None:
        return filed_on <= due_on
    return None if today <= due_on else False


def group_by_person(items: Sequence[Txn]) -> dict[int, list[Txn]]:
    out: dict[int, list[Txn]] = defaultdict(list)
    for t in items:
        out[t.person_id].append(t)
    return dict(out)
