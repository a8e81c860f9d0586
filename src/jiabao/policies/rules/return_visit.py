"""Electronic return visit (电子化回访): the script, the elderly variant and the evaluation of answers.

Rules (regulation.md §2.2):

- Every new individual contract over 1 year gets a visit within the cooling-off period (Basic Service Rules 2010
  arts. 14–15, H; Health Measures art. 44 for long-term health). Group business is excluded.
- The 7 mandatory points of art. 15 (H), plus, when the sale was dual-recorded, whether the customer accepted the
  recording and whether what they said in it was their true intention (Traceability rule 2017 art. 11, H).
- No rule prescribes an elderly script (§2.2). For policyholders aged 60+ we follow the Disclosure Measures art. 18
  (H: suitable means for 60+) and T/IAC 54-2025 (M): slower pace, plainer wording, a check that the surrender
  loss is understood, and a route to a human agent at every question.
- A mis-selling finding is settled within 15 working days by someone other than the seller (BSR art. 18, H).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from jiabao.policies.rules.calendar import Deadline, SlaKind, sla_deadline
from jiabao.policies.rules.cooling_off import COOLING_OFF_DAYS, cooling_off_period

ELDERLY_AGE = 60


class VisitPoint(StrEnum):
    IDENTITY = "identity"  # 1
    PURCHASE_AND_SIGNATURES = "purchase_and_signatures"  # 2
    READ_BROCHURE = "read_brochure"  # 3
    COVER_EXCLUSIONS_TERM = "cover_exclusions_term"  # 4
    SURRENDER_LOSS = "surrender_loss"  # 5
    COOLING_OFF = "cooling_off"  # 6
    PAYMENT_TERM_FREQUENCY = "payment_term_frequency"  # 7 (regular premiums only)
    RECORDING_ACCEPTED = "recording_accepted"  # 双录 question 1
    RECORDING_TRUE_INTENTION = "recording_true_intention"  # 双录 question 2
    SURRENDER_UNDERSTANDING = "surrender_understanding"  # elderly check of understanding


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    UNSURE = "unsure"
    HUMAN = "human"  # asked for a person


class VisitResult(StrEnum):
    PASSED = "passed"
    MIS_SELLING_SUSPECTED = "mis_selling_suspected"
    NEEDS_HUMAN = "needs_human"


@dataclass(frozen=True, slots=True)
class Question:
    point: VisitPoint
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class VisitScript:
    questions: tuple[Question, ...]
    elderly: bool
    pace: str
    """"normal" or "slow" (read-aloud speed and time allowed per answer)."""
    human_route: str | None
    """Shown with every question in the elderly script; None otherwise."""


_STANDARD: dict[VisitPoint, tuple[str, str]] = {
    VisitPoint.IDENTITY: ("请确认您是本保单的投保人本人。", "Please confirm that you are the policyholder."),
    VisitPoint.PURCHASE_AND_SIGNATURES: (
        "您是否购买了本产品，投保人和被保险人是否按要求亲笔签名？",
        "Did you buy this product, and did you and the insured sign by hand as required?",
    ),
    VisitPoint.READ_BROCHURE: (
        "您是否已阅读并理解产品说明书和投保提示书？",
        "Have you read and understood the product brochure and the application prompt?",
    ),
    VisitPoint.COVER_EXCLUSIONS_TERM: (
        "您是否了解保险责任、责任免除和保险期间？",
        "Do you know the cover, the exclusions and the policy term?",
    ),
    VisitPoint.SURRENDER_LOSS: (
        "您是否知道犹豫期后退保可能会有损失？",
        "Do you know that surrendering after the cooling-off period may lose money?",
    ),
    VisitPoint.COOLING_OFF: (
        "您是否知道犹豫期从何时开始、有多长，以及期间可以全额退保（仅扣不超过10元工本费）？",
        "Do you know when the cooling-off period starts, how long it is, and that you may cancel in it "
        "(less a fee of at most ¥10)?",
    ),
    VisitPoint.PAYMENT_TERM_FREQUENCY: (
        "您是否了解缴费期间和缴费频率？",
        "Do you know the payment term and how often you pay?",
    ),
    VisitPoint.RECORDING_ACCEPTED: ("投保时您是否接受了录音录像？", "Did you accept audio and video recording?"),
    VisitPoint.RECORDING_TRUE_INTENTION: (
        "录音录像中您的陈述是否为您的真实意思表示？",
        "Was what you said in the recording your true intention?",
    ),
}

_ELDERLY: dict[VisitPoint, tuple[str, str]] = {
    VisitPoint.IDENTITY: ("您好。请问，这份保险是您本人买的吗？", "Hello. Did you yourself buy this insurance?"),
    VisitPoint.PURCHASE_AND_SIGNATURES: (
        "投保的单子，是您和被保险人自己签的名吗？",
        "Did you and the insured sign the forms yourselves?",
    ),
    VisitPoint.READ_BROCHURE: ("产品的说明材料，您看过、看懂了吗？", "Did you read the product leaflet and follow it?"),
    VisitPoint.COVER_EXCLUSIONS_TERM: (
        "这份保险保什么、不保什么、保多少年，您清楚吗？",
        "Do you know what it covers, what it does not, and for how many years?",
    ),
    VisitPoint.SURRENDER_LOSS: (
        "中途退保可能拿回的钱比交的少，您知道吗？",
        "Stopping early may return less than you paid. Did you know?",
    ),
    VisitPoint.COOLING_OFF: (
        "收到保单后{days}天内反悔，可以退回保费，最多扣10元。您知道吗？",
        "Within {days} days of receiving the policy you can change your mind and get the premium back, less at "
        "most ¥10. Did you know?",
    ),
    VisitPoint.PAYMENT_TERM_FREQUENCY: (
        "每次交多少钱、多久交一次、交几年，您清楚吗？",
        "Do you know how much you pay, how often and for how many years?",
    ),
    VisitPoint.RECORDING_ACCEPTED: (
        "买保险时给您录音录像，您同意了吗？",
        "Did you agree to be filmed when you bought it?",
    ),
    VisitPoint.RECORDING_TRUE_INTENTION: (
        "录像里您说的，是您的真实想法吗？",
        "Was what you said in the video what you really meant?",
    ),
    VisitPoint.SURRENDER_UNDERSTANDING: (
        "我再确认一下：过了{days}天再退保，拿回的钱可能比交的保费少，对吗？",
        "Let me check: after {days} days, if you stop the policy you may get back less than you paid. Is that right?",
    ),
}

HUMAN_ROUTE = (
    "任何时候说“转人工”或按0，都可以由工作人员为您服务。",
    'Say "agent" or press 0 at any time to talk to a person.',
)


def return_visit_required(term_months: int | None, *, group: bool = False) -> bool:
    """A new individual contract over 1 year (None = whole of life) needs a visit (BSR art. 15, §2.2 H)."""
    return not group and (term_months is None or term_months > 12)


def visit_script(
    *, regular_premium: bool, dual_recorded: bool, policyholder_age: int, cooling_off_days: int = COOLING_OFF_DAYS
) -> VisitScript:
    """The questions, in order, for one visit; the elderly script from age 60 (60周岁, inclusive).

    Order: points 1–6, point 7 for regular premiums, the two 双录 questions when recorded, then (60+) the check
    of understanding of the surrender loss.
    """
    elderly = policyholder_age >= ELDERLY_AGE
    texts = _ELDERLY if elderly else _STANDARD
    points = [p for p in VisitPoint if p not in _CONDITIONAL]
    if regular_premium:
        points.append(VisitPoint.PAYMENT_TERM_FREQUENCY)
    if dual_recorded:
        points += [VisitPoint.RECORDING_ACCEPTED, VisitPoint.RECORDING_TRUE_INTENTION]
    if elderly:
        points.append(VisitPoint.SURRENDER_UNDERSTANDING)
    questions = tuple(
        Question(p, texts[p][0].format(days=cooling_off_days), texts[p][1].format(days=cooling_off_days))
        for p in points
    )
    route = f"{HUMAN_ROUTE[0]} / {HUMAN_ROUTE[1]}" if elderly else None
    return VisitScript(questions, elderly, "slow" if elderly else "normal", route)


_CONDITIONAL = frozenset(
    {
        VisitPoint.PAYMENT_TERM_FREQUENCY,
        VisitPoint.RECORDING_ACCEPTED,
        VisitPoint.RECORDING_TRUE_INTENTION,
        VisitPoint.SURRENDER_UNDERSTANDING,
    }
)


@dataclass(frozen=True, slots=True)
class VisitOutcome:
    result: VisitResult
    points: tuple[VisitPoint, ...]
    """Mis-selling: the points answered "no". Needs human: the points unanswered, unsure or routed to a person."""
    reason: str


def evaluate_visit(script: VisitScript, answers: Mapping[VisitPoint, Answer]) -> VisitOutcome:
    """Evaluate one visit; every question expects "yes".

    Precedence: (1) identity not confirmed → ``needs_human`` (the person may not be the policyholder, so nothing
    else counts); (2) any "no" → ``mis_selling_suspected`` with those points; (3) any unanswered, unsure or
    request for a person → ``needs_human``; (4) otherwise ``passed``.
    """
    identity = answers.get(VisitPoint.IDENTITY)
    if identity is not Answer.YES:
        return VisitOutcome(VisitResult.NEEDS_HUMAN, (VisitPoint.IDENTITY,), "identity_not_confirmed")
    asked = [q.point for q in script.questions]
    denied = tuple(p for p in asked if answers.get(p) is Answer.NO)
    if denied:
        return VisitOutcome(VisitResult.MIS_SELLING_SUSPECTED, denied, "denied_points")
    open_points = tuple(p for p in asked if answers.get(p) is not Answer.YES)
    if open_points:
        reason = "human_requested" if any(answers.get(p) is Answer.HUMAN for p in open_points) else "unclear"
        return VisitOutcome(VisitResult.NEEDS_HUMAN, open_points, reason)
    return VisitOutcome(VisitResult.PASSED, (), "all_confirmed")


def visit_deadline(received_on: date, *, cooling_off_days: int = COOLING_OFF_DAYS, warn_lead: int = 3) -> Deadline:
    """The visit must be finished by the last day of the cooling-off period (BSR art. 15; §2.2 H)."""
    period = cooling_off_period(received_on, days=cooling_off_days)
    base = sla_deadline(SlaKind.RETURN_VISIT, received_on)
    warn_from = max(received_on, period.last_day - timedelta(days=warn_lead))
    return Deadline(SlaKind.RETURN_VISIT, received_on, period.last_day, warn_from, base.basis)


def mis_selling_deadline(found_on: date, *, warn_lead: int = 3) -> Deadline:
    """A mis-selling finding is resolved within 15 working days, not by the seller (BSR art. 18; §2.2 H)."""
    return sla_deadline(SlaKind.MIS_SELLING_CASE, found_on, warn_lead=warn_lead)
