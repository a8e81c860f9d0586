"""Inputs and outputs of message rendering: plain frozen data, masked identifiers only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from jiabao.documents.model import PaymentFrequency
from jiabao.documents.privacy import ensure_masked, ensure_no_clear_pii


class MessageKind(StrEnum):
    """The stages of a policy's life that send a message."""

    APPLICATION_RECEIVED = "application_received"
    POLICY_ISSUED = "policy_issued"
    COOLING_OFF_REMINDER = "cooling_off_reminder"
    RETURN_VISIT_INVITATION = "return_visit_invitation"
    PREMIUM_DUE_REMINDER = "premium_due_reminder"
    GRACE_PERIOD_WARNING = "grace_period_warning"
    SUSPENSION_NOTICE = "suspension_notice"
    REINSTATEMENT_DONE = "reinstatement_done"
    CLAIM_RECEIVED = "claim_received"
    CLAIM_PAID = "claim_paid"
    CLAIM_DECLINED = "claim_declined"
    PREMIUM_WAIVED = "premium_waived"
    PROTECTION_GAP_WIDENED = "protection_gap_widened"  # advice: a life event or an ended policy widened the gap
    FAMILY_BILL_DUE = "family_bill_due"  # one bill for every instalment of the family in a period
    FAMILY_BILL_FAILED = "family_bill_failed"  # the bill's one debit was declined: each policy's grace period runs


class Channel(StrEnum):
    SMS = "sms"
    EMAIL = "email"


@dataclass(frozen=True)
class Person:
    """Who a message is addressed to. ``age`` is computed by the caller on the sending date (no clock here).

    ``sex`` is ``"M"``, ``"F"`` or ``None`` (then the full name is used instead of 先生/女士).
    The ``*_en`` names (pinyin) are used in English messages when given.
    """

    surname: str
    given_name: str
    age: int
    sex: str | None = None
    surname_en: str | None = None
    given_name_en: str | None = None

    def __post_init__(self) -> None:
        if not self.surname or not self.given_name:
            raise ValueError("a person needs a surname and a given name")
        if not 0 <= self.age <= 130:
            raise ValueError("age must be 0..130")
        if self.sex not in ("M", "F", None):
            raise ValueError("sex must be 'M', 'F' or None")
        for part in (self.surname, self.given_name, self.surname_en or "", self.given_name_en or ""):
            ensure_no_clear_pii(part, where="person name")


@dataclass(frozen=True)
class ScheduleLine:
    """One insured member's line in an e-mail's policy schedule."""

    insured_name: str
    sum_assured: Decimal
    premium: Decimal
    frequency: PaymentFrequency


@dataclass(frozen=True)
class MessageContext:
    """Everything a message may say. Which optional fields a kind needs is listed in ``REQUIRED_FIELDS``.

    ``date`` is the stage's key date: cooling-off end, visit deadline, due date, grace end, suspension or
    reinstatement date, or the date premiums are waived from. ``masked_account`` is a masked bank card.
    """

    recipient: Person
    policy_number: str
    product_name_zh: str
    product_name_en: str
    hotline: str
    link: str
    guardian: Person | None = None
    amount: Decimal | None = None
    date: date | None = None
    claim_number: str | None = None
    masked_account: str | None = None
    schedule: tuple[ScheduleLine, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.masked_account is not None:
            ensure_masked(self.masked_account, where="payment account")
        for text in (self.policy_number, self.hotline, self.link, self.claim_number or ""):
            ensure_no_clear_pii(text, where="message context")


REQUIRED_FIELDS: dict[MessageKind, tuple[str, ...]] = {
    MessageKind.APPLICATION_RECEIVED: (),
    MessageKind.POLICY_ISSUED: ("date",),
    MessageKind.COOLING_OFF_REMINDER: ("date",),
    MessageKind.RETURN_VISIT_INVITATION: ("date",),
    MessageKind.PREMIUM_DUE_REMINDER: ("amount", "date"),
    MessageKind.GRACE_PERIOD_WARNING: ("amount", "date"),
    MessageKind.SUSPENSION_NOTICE: ("date",),
    MessageKind.REINSTATEMENT_DONE: ("date",),
    MessageKind.CLAIM_RECEIVED: ("claim_number",),
    MessageKind.CLAIM_PAID: ("amount", "claim_number", "masked_account"),
    MessageKind.CLAIM_DECLINED: ("claim_number",),
    MessageKind.PREMIUM_WAIVED: ("date",),
    MessageKind.PROTECTION_GAP_WIDENED: ("amount",),
    MessageKind.FAMILY_BILL_DUE: ("amount", "date"),
    MessageKind.FAMILY_BILL_FAILED: ("amount", "date"),
}


@dataclass(frozen=True)
class Message:
    """A rendered message. ``subject`` is ``None`` for SMS; ``segments`` is 1 for e-mail."""

    kind: MessageKind
    channel: Channel
    language: str
    subject: str | None
    body: str
    segments: int
